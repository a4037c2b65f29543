"""Regulatory notes stage: informative notes on lines, after the duty stage.

``note_lines(lf, ruleset)`` adds ``regulatory_notes`` (a list of ``NOTE_STRUCT``: code, text,
source) to every line: one note per ``regulatory_notes:`` entry of the ruleset whose line
criteria (coverage stage, HTS prefix, mineral, declared Chinese rare-earth content) the line meets
and whose periods hold the line's entry date. The text says the measure's state on that date.

Notes are not flags: they read the line and the duty stage's coverage columns and change nothing
else, so origin_risk, flags and duty are the same with or without them. Vectorized: one
``when/then`` per note and period, no loop over rows.
"""

from __future__ import annotations

import polars as pl

from screener.ruleset import Ruleset
from screener.ruleset_notes import NoteLines, NotePeriod, RegulatoryNote, split_template
from screener.schema import NOTE_STRUCT

STATUS_TEXT: dict[str, str] = {
    "announced": "announced, not yet in force",
    "pending": "pending",
    "in_force": "in force",
    "suspended": "suspended",
    "lapsed": "lapsed",
}


def _applies(lines: NoteLines) -> pl.Expr:
    """Whether a line meets every criterion the note gives (null counts as not met)."""
    conditions: list[pl.Expr] = []
    if lines.stages:
        conditions.append(pl.col("duty_stage").is_in(list(lines.stages)))
    if lines.hts_prefixes:
        hts = pl.col("hts_code")
        conditions.append(pl.any_horizontal(hts.str.starts_with(p) for p in lines.hts_prefixes))
    if lines.minerals:
        named = (
            pl.col("duty_mineral")
            .str.split("; ")
            .list.eval(pl.element().str.strip_chars().is_in(lines.minerals))
        )
        conditions.append(named.list.any())
    if lines.min_cn_ree_content_pct is not None:
        conditions.append(pl.col("cn_ree_content_pct") >= lines.min_cn_ree_content_pct)
    return pl.all_horizontal(conditions).fill_null(False)


def _in_period(period: NotePeriod) -> pl.Expr:
    day = pl.col("entry_date")
    inside = day >= period.start
    return inside & (day <= period.end) if period.end is not None else inside


def _text(note: RegulatoryNote, period: NotePeriod) -> pl.Expr:
    values = {
        "entry_date": pl.col("entry_date").dt.to_string("%Y-%m-%d"),
        "status": pl.lit(STATUS_TEXT[period.status]),
        "detail": pl.lit(period.detail),
    }
    parts = [values[piece] if hole else pl.lit(piece) for piece, hole in split_template(note.text)]
    return pl.concat_str(parts)


def _note(code: str, note: RegulatoryNote) -> pl.Expr:
    """The note's struct on the lines that carry it, null elsewhere."""
    text: pl.Expr = pl.lit(None, dtype=pl.String)
    for period in reversed(note.periods):
        text = pl.when(_in_period(period)).then(_text(note, period)).otherwise(text)
    struct = pl.struct(code=pl.lit(code), text=text, source=pl.lit(note.source)).cast(NOTE_STRUCT)
    return pl.when(_applies(note.lines) & text.is_not_null()).then(struct)


def note_lines(lf: pl.LazyFrame, ruleset: Ruleset) -> pl.LazyFrame:
    """Add ``regulatory_notes`` (empty list when no note applies); every other column unchanged."""
    notes = ruleset.config.regulatory_notes
    if not notes:
        return lf.with_columns(pl.lit([], dtype=pl.List(NOTE_STRUCT)).alias("regulatory_notes"))
    return lf.with_columns(
        pl.concat_list([_note(code, note) for code, note in notes.items()])
        .list.drop_nulls()
        .alias("regulatory_notes")
    )
