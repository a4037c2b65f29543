"""Confirmed evasion in the history: PRIOR_CONFIRMED_EVASION's columns, and the baselines' filter.

``screener decide ... --outcome confirmed`` records that verification of a line proved evasion
(``outcomes``; the latest decision per entry line counts, ``screener.decide.LATEST_SQL``).
``load_evasion`` reads those lines (entered within the rule's window before the batch) with their
manufacturer ID, supplier and importer; ``add_evasion_columns`` joins them onto the batch by party,
giving ``_h_ev`` (the evidence, null where no party has a confirmed line) and ``_h_ok_ev`` (null
without a store: the rule is then skipped). ``clean_sql`` is the SQL condition the history
baselines (UNIT_VALUE_LOW's median / MAD, ORIGIN_SURGE's months before the event) add so that a
proven evader's prices and volumes do not teach the rules what is normal. A ``released`` outcome
changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

import polars as pl

from screener.decide import LATEST_SQL
from screener.history_exprs import party_key
from screener.ruleset import Ruleset
from screener.ruleset_rule_params import PriorEvasionParams

EVASION: dict[str, pl.DataType] = {
    "kind": pl.String(),  # manufacturer | supplier | importer
    "party": pl.String(),  # MID, supplier name key (history_exprs.party_key), importer ID
    "entry_number": pl.String(),
    "line_number": pl.Int64(),
    "entry_date": pl.Date(),
    "decided_by": pl.String(),
    "decided_at": pl.Datetime("us"),
    "reason": pl.String(),
}
EV_COLUMNS: dict[str, pl.DataType] = {"_h_ev": pl.String(), "_h_ok_ev": pl.Boolean()}
_PARTIES = (
    ("manufacturer", "manufacturer_id", "manufacturer ID"),
    ("supplier", "supplier_name", "supplier"),
    ("importer", "importer_id", "importer"),
)
MAX_CITED = 3


class _Frames(Protocol):
    def frame(self, sql_text: str, params: list[object] | None = None) -> pl.DataFrame: ...


def has_outcomes(store: _Frames) -> bool:
    """Whether the database has the outcomes table (an older read-only file may not)."""
    found = store.frame(
        "SELECT count(*) AS n FROM information_schema.tables"
        " WHERE table_schema = 'main' AND table_name = 'outcomes'"
    )
    return bool(found["n"][0])


def clean_sql(store: _Frames) -> str:
    """SQL condition on an ``entries`` row: true unless its latest outcome is ``confirmed``."""
    if not has_outcomes(store):
        return "TRUE"
    return (
        f"NOT EXISTS (SELECT 1 FROM ({LATEST_SQL}) AS _c WHERE _c.outcome = 'confirmed'"
        " AND _c.entry_number = entries.entry_number AND _c.line_number = entries.line_number)"
    )


def load_evasion(store: _Frames, *, start: date, before: date) -> pl.DataFrame:
    """Confirmed lines entered in [start, before), one row per (party kind, party)."""
    if not has_outcomes(store):
        return pl.DataFrame(schema=EVASION)
    lines = store.frame(
        f"WITH c AS ({LATEST_SQL}), e AS (SELECT e.entry_number, e.line_number, e.entry_date,"
        " e.manufacturer_id, e.supplier_name, e.importer_id FROM entries AS e"
        " JOIN runs AS r USING (run_id)"
        " QUALIFY row_number() OVER (PARTITION BY e.entry_number, e.line_number"
        " ORDER BY r.started_at DESC, r.run_id DESC) = 1)"
        " SELECT e.*, c.decided_by, c.decided_at, c.reason FROM c JOIN e"
        " USING (entry_number, line_number)"
        " WHERE c.outcome = 'confirmed' AND e.entry_date >= ? AND e.entry_date < ?",
        [start, before],
    )
    if lines.is_empty():
        return pl.DataFrame(schema=EVASION)
    parts = [
        lines.select(
            pl.lit(kind).alias("kind"),
            (party_key(pl.col(column)) if kind == "supplier" else pl.col(column)).alias("party"),
            *[c for c in EVASION if c not in ("kind", "party")],
        )
        for kind, column, _ in _PARTIES
    ]
    return (
        pl.concat(parts)
        .filter(pl.col("party").is_not_null() & (pl.col("party") != ""))
        .select(pl.col(c).cast(t) for c, t in EVASION.items())
    )


def add_evasion_columns(
    lf: pl.LazyFrame, evasion: pl.DataFrame, known: bool, ruleset: Ruleset
) -> pl.LazyFrame:
    """Add ``_h_ev`` and ``_h_ok_ev`` (see the module docstring); ``known``: a store was read."""
    if not known:
        return lf.with_columns(pl.lit(None, dtype=t).alias(c) for c, t in EV_COLUMNS.items())
    p = ruleset.config.rule_params("PRIOR_CONFIRMED_EVASION", PriorEvasionParams)
    lf = lf.with_row_index("_ev_i")
    labels = {kind: label for kind, _, label in _PARTIES}
    keys = [
        lf.select(
            "_ev_i",
            pl.col("entry_number").alias("_ev_entry"),
            pl.col("line_number").alias("_ev_line"),
            pl.lit(kind).alias("kind"),
            (party_key(pl.col(column)) if kind == "supplier" else pl.col(column)).alias("party"),
            pl.col(column).alias("_ev_as_declared"),
        )
        for kind, column, _ in _PARTIES
        if kind in p.parties
    ]
    found = (
        pl.concat(keys)
        .join(evasion.lazy(), on=["kind", "party"], how="inner")
        .filter(
            (pl.col("entry_number") != pl.col("_ev_entry"))
            | (pl.col("line_number") != pl.col("_ev_line"))
        )
        .sort("decided_at", descending=True)
        .unique(["_ev_i", "entry_number", "line_number"], keep="first", maintain_order=True)
        .with_columns(
            pl.format(
                "{} '{}' was on entry {} line {} (entered {}), confirmed as evasion by {} on {}:"
                " {}",
                pl.col("kind").replace_strict(labels, return_dtype=pl.String),
                pl.col("_ev_as_declared"),
                pl.col("entry_number"),
                pl.col("line_number"),
                pl.col("entry_date"),
                pl.col("decided_by"),
                pl.col("decided_at").dt.date(),
                pl.col("reason"),
            ).alias("_ev_text")
        )
        .group_by("_ev_i")
        .agg(
            pl.col("_ev_text").head(MAX_CITED).str.join("; ").alias("_ev_cited"),
            pl.len().alias("_ev_n"),
        )
        .select(
            "_ev_i",
            pl.when(pl.col("_ev_n") > MAX_CITED)
            .then(pl.format("{} (and {} more confirmed lines)", "_ev_cited", pl.col("_ev_n") - 3))
            .otherwise("_ev_cited")
            .alias("_h_ev"),
        )
    )
    return (
        lf.join(found, on="_ev_i", how="left", maintain_order="left")
        .with_columns(pl.lit(True).alias("_h_ok_ev"))
        .drop("_ev_i")
    )
