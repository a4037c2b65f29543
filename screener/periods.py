"""Dated country roles as polars expressions: is this country of concern on this entry date?"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl


def _dated(periods: pl.DataFrame, holds: Callable[[str], pl.Expr], on: pl.Expr) -> pl.Expr:
    """OR over the rows of ``periods`` (code, since, until): ``holds(code)`` on date ``on``.

    ``periods`` has a handful of rows, so one OR-ed condition per row stays vectorized.
    """
    condition = pl.lit(False)
    for row in periods.iter_rows(named=True):
        active = holds(row["code"]) & (on >= pl.lit(row["since"]))
        if row["until"] is not None:
            active = active & (on < pl.lit(row["until"]))
        condition = condition | active
    return condition.fill_null(False)


def in_force(periods: pl.DataFrame, code: pl.Expr, on: pl.Expr) -> pl.Expr:
    """True where ``code`` holds a role on date ``on``."""
    return _dated(periods, lambda c: code == c, on)


def any_in_force(periods: pl.DataFrame, codes: pl.Expr, on: pl.Expr) -> pl.Expr:
    """True where the list of country ``codes`` holds one with a role on date ``on``."""
    return _dated(periods, lambda c: codes.list.contains(c), on)
