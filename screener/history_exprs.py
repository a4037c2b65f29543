"""Expressions and joins the history step (``screener.history_columns``) and its parts share."""

from __future__ import annotations

from datetime import date

import polars as pl

MID = pl.col("manufacturer_id")
HTS6 = pl.col("_h_hts6")
ORIGIN = pl.col("country_of_origin")


def unit_key(expr: pl.Expr) -> pl.Expr:
    """A quantity unit as the history keys it (SQL: ``rtrim(lower(trim(u)), '.')``)."""
    return expr.str.strip_chars(" ").str.to_lowercase().str.strip_chars_end(".")


def party_key(expr: pl.Expr) -> pl.Expr:
    """A supplier name as hopping compares it: upper case, punctuation and spaces collapsed."""
    return expr.str.to_uppercase().str.replace_all(r"[^\p{L}\p{N}]+", " ").str.strip_chars()


def event_index(events: tuple[date, ...]) -> pl.Expr:
    """How many duty events fall on or before the entry date (0: none)."""
    index = pl.lit(0, dtype=pl.Int32)
    for event in events:
        index = index + (pl.col("entry_date") >= event).cast(pl.Int32)
    return index


def latest_event(events: tuple[date, ...]) -> pl.Expr:
    """The latest duty event on or before the entry date."""
    expr = pl.lit(None, dtype=pl.Date)
    for j, event in enumerate(events, start=1):
        expr = pl.when(pl.col("_h_k") == j).then(pl.lit(event)).otherwise(expr)
    return expr


def ok_where(condition: pl.Expr) -> pl.Expr:
    """An ``_h_ok_<rule>`` column: True where ``condition`` holds, else null (skipped)."""
    return pl.when(condition).then(pl.lit(True))


def join_left(
    lf: pl.LazyFrame, other: pl.LazyFrame, left: list[str], right: list[str]
) -> pl.LazyFrame:
    """Left join on keys ``other`` holds once each: one row per line, in any order (the step
    sorts each part back on ``_i`` once; keeping the order in every join costs more)."""
    return lf.join(other, left_on=left, right_on=right, how="left", maintain_order="none")
