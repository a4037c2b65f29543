"""The shape of an origin rule (DESIGN §6), shared by ``origin`` and the modules that add rules.

A rule is polars expressions over the screened lines (joined with whatever columns an earlier
step added, such as history aggregates): ``build(ruleset, is_concern)`` returns ``(fires,
stronger_variant, evidence)``. ``needs`` names optional columns: on a line where all of them are
null the rule cannot decide, and the line lists the rule in ``origin_rules_skipped``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from screener.periods import in_force
from screener.ruleset import Ruleset

Concern = Callable[[pl.Expr], pl.Expr]
ORIGIN = pl.col("country_of_origin")


@dataclass(frozen=True)
class Rule:
    code: str
    needs: tuple[str, ...]  # optional columns; the rule is skipped on a line where all are null
    build: Callable[[Ruleset, Concern], tuple[pl.Expr, ...]]
    # build(ruleset, is_concern) -> (fires, stronger_variant, evidence)


def concern_of(ruleset: Ruleset) -> Concern:
    """``is_concern(code_expr)``: the code is a country of concern on the line's entry date."""
    periods = ruleset.country_periods("concern")
    return lambda code: in_force(periods, code, pl.col("entry_date"))
