"""Origin stage (DESIGN §6): rules that need no history, each a polars expression.

Every rule yields, per line, either null or a flag struct ``(rule, severity, weight, evidence)``
whose evidence names the values that made it fire. ``origin_risk = 1 - prod(1 - weight)`` over
the fired rules. Codes, weights and severities come from the ruleset.
"""

from __future__ import annotations

import polars as pl

from screener.history import History
from screener.normalize import locode_country, mid_country
from screener.origin_capacity import RULES as CAPACITY_RULES
from screener.origin_capacity import SCRATCH as CAPACITY_SCRATCH
from screener.origin_capacity import add_capacity_columns
from screener.origin_history import RULES as HISTORY_RULES
from screener.origin_history import with_history
from screener.origin_rule import ORIGIN, Concern, Rule, concern_of
from screener.periods import any_in_force
from screener.ruleset import Ruleset
from screener.schema import FLAG_STRUCT

_concern = concern_of


def _export(rs: Ruleset, concern: Concern) -> tuple[pl.Expr, ...]:
    export = pl.col("country_of_export")
    fires = export.is_not_null() & (export != ORIGIN)
    strong = concern(export)
    evidence = pl.format(
        "country of export {}{} differs from declared origin {}",
        export,
        pl.when(strong).then(pl.lit(" (of concern)")).otherwise(pl.lit("")),
        ORIGIN,
    )
    return fires, strong, evidence


def _laded(rs: Ruleset, concern: Concern) -> tuple[pl.Expr, ...]:
    lading = pl.col("port_of_lading")
    periods = rs.country_periods("concern")
    countries = pl.col("transit_ports").list.eval(locode_country(pl.element()))
    transit_hit = any_in_force(periods, countries, pl.col("entry_date"))
    codes = periods["code"].unique().to_list()
    via = pl.col("transit_ports").list.eval(
        pl.element().filter(locode_country(pl.element()).is_in(codes))
    )
    lading_hit = concern(locode_country(lading))
    fires = (lading_hit | transit_hit) & ~concern(ORIGIN)
    evidence = pl.concat_str(
        [
            pl.when(lading_hit).then(
                pl.format("port of lading {} is in {}", lading, locode_country(lading))
            ),
            pl.when(transit_hit).then(pl.format("transit via {}", via.list.join(", "))),
        ],
        separator="; ",
        ignore_nulls=True,
    )
    evidence = pl.format("{} (of concern); declared origin {}", evidence, ORIGIN)
    return fires, pl.lit(False), evidence


def _mid(rs: Ruleset, concern: Concern) -> tuple[pl.Expr, ...]:
    mid = pl.col("manufacturer_id")
    country = mid_country(mid)
    fires = country.is_not_null() & (country != ORIGIN)
    strong = concern(country)
    evidence = pl.format(
        "manufacturer ID {} is in {}{}, declared origin {}",
        mid,
        country,
        pl.when(strong).then(pl.lit(" (of concern)")).otherwise(pl.lit("")),
        ORIGIN,
    )
    return fires, strong, evidence


def _supplier(rs: Ruleset, concern: Concern) -> tuple[pl.Expr, ...]:
    country = pl.col("supplier_country")
    fires = concern(country) & ~concern(ORIGIN)
    evidence = pl.format("supplier country {} is of concern, declared origin {}", country, ORIGIN)
    return fires, pl.lit(False), evidence


def _entity(rs: Ruleset, concern: Concern) -> tuple[pl.Expr, ...]:
    best = pl.col("match_hits").list.first()
    fires = pl.col("match_hits").list.len().fill_null(0) > 0
    evidence = pl.format(
        "{} hit(s); best: {}",
        pl.col("match_hits").list.len(),
        best.struct.field("explanation"),
    )
    return fires, pl.lit(False), evidence


def _chain(rs: Ruleset, concern: Concern) -> tuple[pl.Expr, ...]:
    parts = [
        pl.when(concern(pl.col(col))).then(pl.format(f"{label} {{}}", pl.col(col)))
        for col, label in (
            ("mine_country", "declared mine country"),
            ("refine_country", "declared refine country"),
            ("cell_origin", "battery cell origin"),
        )
    ]
    evidence = pl.concat_str(parts, separator="; ", ignore_nulls=True)
    # a declared origin of concern already makes the line concern-sourced: nothing hidden
    fires = (evidence.str.len_chars().fill_null(0) > 0) & ~concern(ORIGIN)
    return fires, pl.lit(False), pl.format("{} (of concern); declared origin {}", evidence, ORIGIN)


def _check_digit(rs: Ruleset, concern: Concern) -> tuple[pl.Expr, ...]:
    fires = pl.col("entry_check_digit_ok") == False  # noqa: E712  (null means not checkable)
    evidence = pl.format(
        "entry number {} fails the CBP check digit (kept as given)", pl.col("entry_number")
    )
    return fires, pl.lit(False), evidence


def _adcvd(rs: Ruleset, concern: Concern) -> tuple[pl.Expr, ...]:
    case = pl.col("adcvd_case").str.strip_chars()
    fires = case.str.len_chars().fill_null(0) > 0
    return fires, pl.lit(False), pl.format("AD/CVD case {} declared; AD/CVD still applies", case)


RULES: tuple[Rule, ...] = (
    Rule("EXPORT_NE_ORIGIN", ("country_of_export",), _export),
    Rule("LADED_IN_CONCERN", ("port_of_lading", "transit_ports"), _laded),
    Rule("MID_NE_ORIGIN", ("manufacturer_id",), _mid),
    Rule("SUPPLIER_IN_CONCERN", ("supplier_country",), _supplier),
    Rule("ENTITY_OF_CONCERN", (), _entity),
    Rule("CHAIN_IN_CONCERN", ("mine_country", "refine_country", "cell_origin"), _chain),
    Rule("ENTRY_CHECK_DIGIT", (), _check_digit),
    Rule("ADCVD_DECLARED", (), _adcvd),
    *HISTORY_RULES,
    *CAPACITY_RULES,
)


def _flag(rule: Rule, ruleset: Ruleset) -> tuple[pl.Expr, pl.Expr]:
    """(fires, flag struct) for one rule."""
    config = ruleset.rule(rule.code)
    fires, strong, evidence = rule.build(ruleset, _concern(ruleset))
    strong = strong.fill_null(False) if config.concern_weight is not None else pl.lit(False)
    weight = pl.when(strong).then(config.concern_weight or 0.0).otherwise(config.weight)
    severity = (
        pl.when(strong).then(pl.lit(config.concern_severity)).otherwise(pl.lit(config.severity))
    )
    flag = pl.struct(
        rule=pl.lit(rule.code),
        severity=severity,
        weight=weight.cast(pl.Float64),
        evidence=evidence,
    )
    return fires.fill_null(False), flag


def _skipped(rule: Rule) -> pl.Expr:
    if not rule.needs:
        return pl.lit(None, dtype=pl.String)
    present = pl.any_horizontal(
        pl.col(c).list.len() > 0 if c == "transit_ports" else pl.col(c).is_not_null()
        for c in rule.needs
    ).fill_null(False)
    return pl.when(~present).then(pl.lit(rule.code))


def flag_origin(lf: pl.LazyFrame, ruleset: Ruleset, history: History | None = None) -> pl.LazyFrame:
    """Add origin_flags, origin_risk and origin_rules_skipped to every line.

    The history rules read ``_h_`` columns: from ``history`` when given, else those an earlier
    step added (``screener.history_columns.add_history_columns``), else none, and are skipped.

    Flags fire on few lines, so each rule is evaluated as a filter and its evidence is built
    only for the lines it fires on; the fired flags are grouped per line and joined back.
    """
    lf = with_history(lf, ruleset, history)
    lf = add_capacity_columns(lf, ruleset)  # _cap_ scratch columns, dropped below
    names = lf.collect_schema().names()
    key = "_row" if "_row" in names else "_origin_row"
    if key not in names:
        lf = lf.with_row_index(key)
    fired = [
        lf.filter(fires).select(pl.col(key), pl.lit(order).alias("_order"), flag.alias("_flag"))
        for order, (fires, flag) in enumerate(_flag(rule, ruleset) for rule in RULES)
    ]
    per_line = (
        pl.concat(fired)
        .group_by(key)
        .agg(
            pl.col("_flag").sort_by("_order").alias("origin_flags"),
            (1.0 - (1.0 - pl.col("_flag").struct.field("weight")).product())
            .round(6)
            .alias("origin_risk"),
        )
    )
    empty = pl.lit([], dtype=pl.List(FLAG_STRUCT))
    out = lf.join(per_line, on=key, how="left", maintain_order="left").with_columns(
        pl.col("origin_flags").fill_null(empty),
        pl.col("origin_risk").fill_null(0.0),
        pl.concat_list([_skipped(r) for r in RULES])
        .list.drop_nulls()
        .alias("origin_rules_skipped"),
    )
    out = out.drop(c for c in names if c.startswith("_h_"))
    out = out.drop(CAPACITY_SCRATCH)
    return out if key in names else out.drop(key)
