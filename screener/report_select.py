"""`screener report`: which runs the page is about, and its headline numbers.

The selection is the latest run, one run (``--run``) or every run whose entry lines all fall on or
after a date (``--since``). "Previous runs" are the runs started before the earliest selected
one; the headline compares the selection with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from screener.errors import InputError
from screener.store import Store

# Per run: the numbers the headline compares. Concern-sourced duty is the duty of class
# CONCERN_301 (covered lines sourced from a country of concern); the trust fund's share is of
# all duty computed on the run's lines.
RUN_METRICS_SQL = """
WITH e AS (
    SELECT
        run_id,
        count(*) AS lines,
        count(*) FILTER (WHERE duty_class = 'HOLD_VERIFY') AS holds,
        coalesce(sum(duty_usd), 0) AS duty_usd,
        coalesce(sum(duty_usd) FILTER (WHERE duty_class = 'CONCERN_301'), 0) AS concern_duty_usd,
        coalesce(sum(duty_trust_fund_usd), 0) AS trust_fund_usd,
        min(entry_date) AS first_entry_date,
        max(entry_date) AS last_entry_date
    FROM entries
    GROUP BY run_id
)
SELECT
    r.run_id, r.started_at,
    coalesce(e.lines, 0) AS lines,
    r.rejected AS rejects,
    coalesce(e.holds, 0) AS holds,
    coalesce(e.duty_usd, 0) AS duty_usd,
    coalesce(e.concern_duty_usd, 0) AS concern_duty_usd,
    coalesce(e.trust_fund_usd, 0) AS trust_fund_usd,
    e.first_entry_date, e.last_entry_date
FROM runs AS r
LEFT JOIN e USING (run_id)
ORDER BY r.started_at, r.run_id
"""

# Headline rows: (label, column); the trust-fund share is derived from two sums.
HEADLINE: tuple[tuple[str, str], ...] = (
    ("Entry lines screened", "lines"),
    ("Rows rejected", "rejects"),
    ("Lines held for origin verification", "holds"),
    ("Concern-sourced duty (class CONCERN_301), USD", "concern_duty_usd"),
    ("Duty feeding the trust fund, USD", "trust_fund_usd"),
    ("Trust-fund share of all duty, %", "trust_fund_share_pct"),
)


@dataclass(frozen=True)
class Selection:
    """The runs the report is about (oldest first) and the runs before them."""

    run_ids: list[str]
    previous_ids: list[str]
    label: str
    runs: pl.DataFrame  # every run in the database with its metrics (RUN_METRICS_SQL)


def run_metrics(store: Store) -> pl.DataFrame:
    """Every run with its headline numbers, oldest first."""
    return store.frame(RUN_METRICS_SQL)


def select_runs(store: Store, run: str | None = None, since: date | None = None) -> Selection:
    """The latest run, run ``run``, or every run whose entry lines are all on or after ``since``."""
    if run is not None and since is not None:
        raise InputError("--run and --since: give one of them, not both")
    runs = run_metrics(store)
    if runs.is_empty():
        raise InputError(f"database {store.path} holds no runs; screen into it first")
    ids: list[str] = runs["run_id"].to_list()
    if run is not None:
        if run not in ids:
            known = ", ".join(ids[-5:])
            raise InputError(f"--run {run}: no such run in {store.path} (latest: {known})")
        chosen = [run]
        label = f"run {run}"
    elif since is not None:
        hit = runs.filter(pl.col("first_entry_date") >= since)
        if hit.is_empty():
            last = str(runs["last_entry_date"].max())
            raise InputError(
                f"--since {since}: no run in {store.path} has all its entry lines on or after "
                f"that date (the latest entry date is {last})"
            )
        chosen = hit["run_id"].to_list()
        label = f"{len(chosen)} run(s) whose entry lines are all on or after {since}"
    else:
        chosen = [ids[-1]]
        label = f"the latest run, {ids[-1]}"
    first = ids.index(chosen[0])
    previous = [i for i in ids[:first] if i not in chosen]
    return Selection(run_ids=chosen, previous_ids=previous, label=label, runs=runs)


def _totals(runs: pl.DataFrame) -> dict[str, float]:
    sums = {col: float(runs[col].sum()) for _, col in HEADLINE if col in runs.columns}
    duty = float(runs["duty_usd"].sum())
    sums["trust_fund_share_pct"] = 100.0 * sums["trust_fund_usd"] / duty if duty else 0.0
    return sums


def headline(sel: Selection) -> list[dict[str, object]]:
    """One row per headline number: the selection's total, its mean per run, the previous run's
    value and the previous runs' mean per run (None where there is no previous run)."""
    runs = sel.runs
    chosen = runs.filter(pl.col("run_id").is_in(sel.run_ids))
    before = runs.filter(pl.col("run_id").is_in(sel.previous_ids))
    total = _totals(chosen)
    last = _totals(before.tail(1)) if not before.is_empty() else None
    rows: list[dict[str, object]] = []
    for label, col in HEADLINE:
        share = col == "trust_fund_share_pct"
        per_run = total[col] if share else total[col] / max(chosen.height, 1)
        if before.is_empty():
            mean: float | None = None
        elif share:
            mean = _totals(before)[col]
        else:
            mean = _totals(before)[col] / before.height
        change = None if mean is None or mean == 0 else 100.0 * (per_run - mean) / mean
        rows.append(
            {
                "label": label,
                "key": col,
                "selection": total[col],
                "per_run": per_run,
                "previous": None if last is None else last[col],
                "previous_mean": mean,
                "change_pct": change,
            }
        )
    return rows
