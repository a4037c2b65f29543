"""`screener report`: the frames its charts draw, one query each.

"Over time" charts span every run in the database, bucketed by entry date: by month, or by ISO
week when all entry dates fall within 92 days. The other charts read the selected runs only.
Run ids go in as a bound list parameter, never spliced into SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from screener.ruleset import find_run_ruleset
from screener.store import Store

_IN_RUNS = "list_contains($runs, run_id)"


@dataclass(frozen=True)
class DutyEventMark:
    """A duty change of the ruleset, drawn as a vertical line on the imports chart."""

    effective: date
    description: str


@dataclass(frozen=True)
class ChartData:
    """Everything the charts draw (frames may be empty: the chart then says so)."""

    period: str  # "month" | "week"
    duty: pl.DataFrame  # period, duty_class, duty_usd
    holds: pl.DataFrame  # period, holds
    flags: pl.DataFrame  # period, rule, lines
    imports: pl.DataFrame  # hts6, country_of_origin, period, value_usd
    routes: pl.DataFrame  # origin, lading, lines, value_usd
    unit_values: pl.DataFrame  # label, unit, unit_value, fence, median, reference
    trust_fund: pl.DataFrame  # recipient, share, usd
    selected_periods: list[date] = field(default_factory=list)
    duty_events: list[DutyEventMark] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def period_unit(store: Store) -> str:
    """'week' when every entry date falls within 92 days, else 'month'."""
    _, rows = store.query("SELECT max(entry_date) - min(entry_date) FROM entries")
    span = rows[0][0] if rows else None
    return "week" if isinstance(span, int) and span <= 92 else "month"


def _frame(store: Store, sql_text: str, runs: list[str] | None = None) -> pl.DataFrame:
    return store.frame(sql_text.replace("$runs", "?"), [runs] if runs is not None else None)


def duty_over_time(store: Store, unit: str) -> pl.DataFrame:
    return _frame(
        store,
        f"SELECT date_trunc('{unit}', entry_date)::DATE AS period, duty_class,"
        " coalesce(sum(duty_usd), 0) AS duty_usd FROM entries GROUP BY ALL ORDER BY ALL",
    )


def holds_over_time(store: Store, unit: str) -> pl.DataFrame:
    return _frame(
        store,
        f"SELECT date_trunc('{unit}', entry_date)::DATE AS period,"
        " count(*) FILTER (WHERE duty_class = 'HOLD_VERIFY') AS holds"
        " FROM entries GROUP BY ALL ORDER BY ALL",
    )


def flags_over_time(store: Store, unit: str) -> pl.DataFrame:
    """Lines flagged by each rule (weight > 0) per period."""
    return _frame(
        store,
        f"SELECT date_trunc('{unit}', e.entry_date)::DATE AS period, f.rule,"
        " count(DISTINCT (f.run_id, f.entry_number, f.line_number)) AS lines"
        " FROM flags AS f JOIN entries AS e USING (run_id, entry_number, line_number)"
        " WHERE f.weight > 0 GROUP BY ALL ORDER BY ALL",
    )


def imports_over_time(store: Store, unit: str) -> pl.DataFrame:
    """Entered value of each covered HTS6 by declared origin and period."""
    return _frame(
        store,
        f"SELECT substr(hts_code, 1, 6) AS hts6, country_of_origin,"
        f" date_trunc('{unit}', entry_date)::DATE AS period,"
        " sum(entered_value_usd) AS value_usd"
        " FROM entries WHERE duty_coverage_hts IS NOT NULL GROUP BY ALL ORDER BY ALL",
    )


def held_routes(store: Store, runs: list[str]) -> pl.DataFrame:
    """Held lines of the selection by declared origin and lading country (UN/LOCODE prefix)."""
    return _frame(
        store,
        "SELECT country_of_origin AS origin,"
        " coalesce(upper(substr(nullif(trim(port_of_lading), ''), 1, 2)), '??') AS lading,"
        " count(*) AS lines, sum(entered_value_usd) AS value_usd"
        f" FROM entries WHERE duty_class = 'HOLD_VERIFY' AND {_IN_RUNS}"
        " GROUP BY ALL ORDER BY lines DESC, origin, lading",
        runs,
    )


_NUM = r"([0-9][0-9.,eE+-]*)"
_FENCE = re.compile(rf"below the fence {_NUM} USD/.*? \(median {_NUM}")
_REFERENCE = re.compile(rf"below the reference minimum {_NUM} USD/")


def _number(pattern: re.Pattern[str], text: str, group: int = 1) -> float | None:
    found = pattern.search(text)
    return float(found.group(group).replace(",", "")) if found else None


def unit_values(store: Store, runs: list[str]) -> pl.DataFrame:
    """UNIT_VALUE_LOW lines of the selection: the line's unit value and, read back from the
    flag's evidence (the flag stores no numbers), the fence, median and reference minimum."""
    raw = _frame(
        store,
        "SELECT e.entry_number, e.line_number, e.hts_code, e.country_of_origin,"
        " e.quantity_unit AS unit, e.entered_value_usd / nullif(e.quantity, 0) AS unit_value,"
        " f.evidence FROM flags AS f JOIN entries AS e USING (run_id, entry_number, line_number)"
        " WHERE f.rule = 'UNIT_VALUE_LOW' AND list_contains($runs, f.run_id)"
        " ORDER BY e.hts_code, e.entry_number, e.line_number",
        runs,
    )
    rows = []
    for r in raw.iter_rows(named=True):
        text = str(r["evidence"] or "")
        rows.append(
            {
                "label": f"{r['hts_code']} {r['country_of_origin']} "
                f"{r['entry_number']}/{r['line_number']}",
                "unit": str(r["unit"] or ""),
                "unit_value": r["unit_value"],
                "fence": _number(_FENCE, text),
                "median": _number(_FENCE, text, 2),
                "reference": _number(_REFERENCE, text),
            }
        )
    schema = {
        "label": pl.String,
        "unit": pl.String,
        "unit_value": pl.Float64,
        "fence": pl.Float64,
        "median": pl.Float64,
        "reference": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def trust_fund(store: Store, runs: list[str]) -> pl.DataFrame:
    """The trust fund's allocation over the selection (the `trust_fund` view's split)."""
    sums = _frame(
        store,
        "SELECT coalesce(sum(doe_lpo_usd), 0) AS doe_lpo, coalesce(sum(dod_usd), 0) AS dod,"
        " coalesce(sum(dfc_usd), 0) AS dfc, any_value(doe_lpo_share) AS doe_lpo_share,"
        " any_value(dod_share) AS dod_share, any_value(dfc_share) AS dfc_share"
        f" FROM trust_fund WHERE {_IN_RUNS}",
        runs,
    ).row(0, named=True)
    names = {"doe_lpo": "DOE Loan Programs Office", "dod": "Department of Defense", "dfc": "DFC"}
    return pl.DataFrame(
        {
            "recipient": list(names.values()),
            "share": [float(sums[f"{k}_share"] or 0.0) for k in names],
            "usd": [float(sums[k]) for k in names],
        }
    )


def duty_events(store: Store, run_id: str) -> tuple[list[DutyEventMark], list[str]]:
    """The duty events of the ruleset the run used (its recorded --ruleset, else its name)."""
    run = store.frame(
        "SELECT coalesce(json_extract_string(options, '$.ruleset'), ruleset_name) AS spec,"
        " ruleset_hash FROM runs WHERE run_id = ?",
        [run_id],
    ).row(0)
    spec, recorded_hash = str(run[0]), str(run[1])
    ruleset = find_run_ruleset(spec)
    if ruleset is None:
        return [], [f"duty-change dates not marked: ruleset {spec!r} cannot be loaded here"]
    notes = []
    if ruleset.content_hash != recorded_hash:
        notes.append(
            f"duty-change dates read from ruleset {spec!r} as it is now (#{ruleset.content_hash});"
            f" the run used #{recorded_hash}"
        )
    marks = [DutyEventMark(e.effective, e.description) for e in ruleset.config.duty_events]
    return marks, notes


def chart_data(store: Store, runs: list[str]) -> ChartData:
    """Every chart's frame for a selection of runs (oldest first)."""
    unit = period_unit(store)
    events, notes = duty_events(store, runs[-1])
    selected = _frame(
        store,
        f"SELECT DISTINCT date_trunc('{unit}', entry_date)::DATE AS period FROM entries"
        f" WHERE {_IN_RUNS} ORDER BY period",
        runs,
    )
    return ChartData(
        period=unit,
        duty=duty_over_time(store, unit),
        holds=holds_over_time(store, unit),
        flags=flags_over_time(store, unit),
        imports=imports_over_time(store, unit),
        routes=held_routes(store, runs),
        unit_values=unit_values(store, runs),
        trust_fund=trust_fund(store, runs),
        selected_periods=selected["period"].to_list(),
        duty_events=events,
        notes=notes,
    )
