"""Row problems found before the field checks: rows that could not be split into fields (from
the readers' ``ROW_PROBLEM``) and duplicate entry lines.

A duplicate is an entry line already read in this call, in this source or an earlier one: the
same entry number as stored (surrounding spaces trimmed; the store keys lines by it) and the same
line number. It is rejected with a reason naming the first row, which stays (even when its own
fields fail).
"""

from __future__ import annotations

import polars as pl

from screener.entry_checks import line_number_value
from screener.ingest_csv import ROW_PROBLEM

__all__ = ["NO_KEYS", "mark_duplicates", "with_row_problems"]

_KEYS = ["_k_entry", "_k_line"]
NO_KEYS = pl.DataFrame(
    schema={"_k_entry": pl.String, "_k_line": pl.Int64, "_first": pl.String, "_first_row": pl.Int64}
)


def mark_duplicates(
    framed: pl.DataFrame, source: str, seen: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Add ``_rf`` / ``_rv`` (field and value of a row problem) and, for a duplicate, its
    ``ROW_PROBLEM``; return also ``seen`` plus this source's first entry lines."""
    has_key = pl.all_horizontal(
        pl.col("_k_entry").is_not_null(),
        pl.col("_k_line").is_not_null(),
        pl.col(ROW_PROBLEM).is_null(),
    )
    keys = framed.select(
        "_row",
        _stripped(pl.col("entry_number")).alias("_k_entry"),
        _line_numbers(framed).alias("_k_line"),
        ROW_PROBLEM,
    ).filter(has_key)
    # a hash finds "no repeat" fast (a collision only costs the exact group_by below)
    unique = not keys.select(pl.struct(_KEYS).hash().is_duplicated().any()).item()
    grouped = keys if unique else keys.group_by(_KEYS).agg(pl.col("_row").min())
    firsts = grouped.select(
        *_KEYS, pl.lit(source, dtype=pl.String).alias("_first"), pl.col("_row").alias("_first_row")
    )
    ragged = pl.col(ROW_PROBLEM).is_not_null()
    if not seen.height and firsts.height == keys.height:  # no duplicate: the usual night
        return framed.with_columns(
            pl.when(ragged).then(pl.lit("(row)")).alias("_rf"), pl.lit(None, pl.String).alias("_rv")
        ), firsts
    known = pl.concat([seen, firsts.join(seen, on=_KEYS, how="anti")])
    dups = (
        keys.join(known, on=_KEYS, how="inner")
        .filter((pl.col("_first") != source) | (pl.col("_first_row") != pl.col("_row")))
        .select(
            "_row",
            pl.concat_str(
                pl.lit("duplicate of row "),
                pl.col("_first_row").cast(pl.String),
                pl.lit(" of "),
                pl.col("_first"),
                pl.lit(" (same entry_number and line_number "),
                pl.col("_k_line").cast(pl.String),
                pl.lit("); remove the repeat or correct its line number"),
            ).alias("_dup"),
        )
    )
    out = framed.join(dups, on="_row", how="left", maintain_order="left")
    dup = pl.col("_dup").is_not_null()
    out = out.with_columns(
        pl.coalesce("_dup", ROW_PROBLEM).alias(ROW_PROBLEM),
        pl.when(dup).then(pl.lit("line_number")).when(ragged).then(pl.lit("(row)")).alias("_rf"),
        pl.when(dup).then(pl.col("line_number")).alias("_rv"),
    ).drop("_dup")
    return out, known


def with_row_problems(checked: pl.DataFrame) -> pl.DataFrame:
    """A row problem leads the reason and names the field. A row that could not be split into
    fields (field ``(row)``) gets that reason alone: its field errors would only be noise."""
    row = pl.col(ROW_PROBLEM).is_not_null()
    both = pl.concat_str(ROW_PROBLEM, "_reason", separator="; ", ignore_nulls=True)
    return checked.with_columns(
        pl.when(row & (pl.col("_rf") == "(row)"))
        .then(pl.col(ROW_PROBLEM))
        .when(row)
        .then(both)
        .otherwise(pl.col("_reason"))
        .alias("_reason"),
        pl.when(row).then(pl.col("_rf")).otherwise(pl.col("_field")).alias("_field"),
        pl.when(row).then(pl.col("_rv")).otherwise(pl.col("_value")).alias("_value"),
    )


def _stripped(expr: pl.Expr) -> pl.Expr:
    text = expr.str.strip_chars()
    return pl.when(text != "").then(text)


def _line_numbers(framed: pl.DataFrame) -> pl.Expr:
    """line_number as Int64, parsed once per distinct text (line numbers repeat a lot)."""
    distinct = framed.select(pl.col("line_number").unique().drop_nulls())
    parsed = distinct.select(line_number_value(pl.col("line_number")))
    return pl.col("line_number").replace_strict(
        distinct["line_number"], parsed["line_number"], default=None, return_dtype=pl.Int64
    )
