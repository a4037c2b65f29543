"""Re-price one stored run under two rulesets and show where the duty moves (issue 6, item 6a).

Only the duty stage runs again (``screener.duty.assign_duty`` with each ruleset's tables): the
stored match hits and the stored origin flags and risk are kept as the run recorded them, so a
difference comes from coverage, rates, country roles (concern, Alliance, column 2) and the hold
threshold, never from a re-match. ``as_of`` prices every line as if entered on that date (a
scenario whose Alliance starts in 2027 changes nothing on 2026 lines otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl

from screener import schema
from screener.duty import assign_duty
from screener.duty_tables import DutyTables
from screener.errors import StoreError
from screener.ruleset import Ruleset

if TYPE_CHECKING:
    from screener.store import Store

__all__ = ["Comparison", "compare_run", "reprice"]

KEPT = "stored match hits, origin flags and origin risk are kept as the run recorded them"
GROUPS = {"class": "duty_class", "origin": "country_of_origin", "hts6": "hts6"}


@dataclass(frozen=True)
class Side:
    """One ruleset's pricing of the run."""

    name: str
    version: str
    content_hash: str
    lines: pl.DataFrame  # entry_number, line_number, hts6, country_of_origin, duty_class, duty_usd


@dataclass(frozen=True)
class Comparison:
    run_id: str
    as_of: date | None
    stored: dict[str, Any]  # the run's ruleset and its stored duty total by class
    a: Side
    b: Side
    stored_lines: pl.DataFrame  # the stored duty_class and duty_usd of every line
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)  # group -> A, B, B-A

    def a_equals_stored(self) -> bool | None:
        """Whether A (the run's own ruleset, same content hash, no ``as_of``) gives the stored
        duty class and amount on every line; None when A is not the run's ruleset."""
        if self.as_of is not None or self.a.content_hash != self.stored["ruleset_hash"]:
            return None
        key = ["entry_number", "line_number", "duty_class", "duty_usd"]
        mine = self.a.lines.select(key).sort(key[:2])
        return mine.equals(self.stored_lines.select(key).sort(key[:2]))

    def to_json(self) -> dict[str, Any]:
        """The comparison as JSON-able data (every group row, not only the top ones)."""
        return {
            "run_id": self.run_id,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "kept": KEPT,
            "stored": self.stored,
            "a": _side_json(self.a),
            "b": _side_json(self.b),
            "a_equals_stored": self.a_equals_stored(),
            "moves": _moves(self.a, self.b).to_dicts(),
            **{k: v.to_dicts() for k, v in self.tables.items()},
        }


def _side_json(side: Side) -> dict[str, Any]:
    duty = side.lines["duty_usd"]
    return {
        "ruleset_name": side.name,
        "ruleset_version": side.version,
        "ruleset_hash": side.content_hash,
        "lines": side.lines.height,
        "duty_usd": round(float(duty.sum() or 0.0), 2),
        "lines_not_computable": duty.null_count(),
    }


def reprice(entries: pl.DataFrame, ruleset: Ruleset, as_of: date | None = None) -> pl.DataFrame:
    """The stored lines with their ``duty_*`` columns computed again under ``ruleset``."""
    duty_columns = [c for c in schema.DUTY if c in entries.columns]
    lines = entries.drop(duty_columns)
    if as_of is not None:
        lines = lines.with_columns(pl.lit(as_of, dtype=pl.Date).alias("entry_date"))
    return assign_duty(lines.lazy(), ruleset, DutyTables.build(ruleset)).collect()


def _side(entries: pl.DataFrame, ruleset: Ruleset, as_of: date | None) -> Side:
    priced = reprice(entries, ruleset, as_of).select(
        "entry_number",
        "line_number",
        pl.col("hts_code").str.slice(0, 6).alias("hts6"),
        "country_of_origin",
        "duty_class",
        "duty_usd",
    )
    return Side(ruleset.name, ruleset.version, ruleset.content_hash, priced)


def _by(side: Side, key: str) -> pl.DataFrame:
    return side.lines.group_by(key).agg(
        pl.len().alias("lines"), pl.col("duty_usd").sum().round(2).alias("duty_usd")
    )


def _table(a: Side, b: Side, group: str) -> pl.DataFrame:
    """One row per value of the group: lines and duty under A and B, and B - A; by |B - A|."""
    key = GROUPS[group]
    joined = (
        _by(a, key)
        .join(_by(b, key), on=key, how="full", coalesce=True, suffix="_b")
        .rename({"lines": "lines_a", "duty_usd": "duty_a_usd", "duty_usd_b": "duty_b_usd"})
        .with_columns(pl.col("lines_a", "lines_b", "duty_a_usd", "duty_b_usd").fill_null(0))
        .with_columns((pl.col("duty_b_usd") - pl.col("duty_a_usd")).round(2).alias("diff_usd"))
        .rename({key: group})
    )
    return joined.sort(pl.col("diff_usd").abs(), pl.col("duty_a_usd"), group, descending=True)


def _moves(a: Side, b: Side) -> pl.DataFrame:
    """Lines whose duty class changed: class under A -> class under B, how many, duty moved."""
    both = a.lines.join(b.lines, on=["entry_number", "line_number"], suffix="_b")
    moved = both.filter(pl.col("duty_class") != pl.col("duty_class_b"))
    return (
        moved.group_by(
            pl.col("duty_class").alias("class_a"), pl.col("duty_class_b").alias("class_b")
        )
        .agg(
            pl.len().alias("lines"),
            (pl.col("duty_usd_b").sum() - pl.col("duty_usd").sum()).round(2).alias("diff_usd"),
        )
        .sort("lines", "class_a", "class_b", descending=[True, False, False])
    )


def compare_run(
    store: Store, run_id: str, a: Ruleset, b: Ruleset, as_of: date | None = None
) -> Comparison:
    """Price run ``run_id``'s stored lines under ``a`` and ``b`` (see the module docstring)."""
    runs = store.dicts(
        "SELECT ruleset_name, ruleset_version, ruleset_hash FROM runs WHERE run_id = ?", [run_id]
    )
    if not runs:
        raise StoreError(f"no run {run_id!r} in {store.path}; `screener sql` lists the runs")
    entries = store.frame("SELECT * FROM entries WHERE run_id = ?", [run_id])
    stored = dict(runs[0])
    stored["duty_by_class"] = (
        entries.group_by("duty_class")
        .agg(pl.len().alias("lines"), pl.col("duty_usd").sum().round(2).alias("duty_usd"))
        .sort("duty_class")
        .to_dicts()
    )
    stored["duty_usd"] = round(float(entries["duty_usd"].sum() or 0.0), 2)
    side_a, side_b = _side(entries, a, as_of), _side(entries, b, as_of)
    tables = {group: _table(side_a, side_b, group) for group in GROUPS}
    return Comparison(run_id, as_of, stored, side_a, side_b, entries, tables)
