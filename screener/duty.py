"""Duty stage (DESIGN §7): coverage, concern sourcing, duty class, rate, amount, trust-fund share.

``assign_duty`` takes the batch after the match and origin stages (it reads ``match_hits``,
``match_confirmed`` and ``origin_risk``) and adds the ``duty_*`` columns and ``adcvd``. It is the
bill's scenario duty (base rate + the section 301 rate of the reference date), not a landed cost.
"""

from __future__ import annotations

import polars as pl

from screener.duty_tables import DutyTables
from screener.periods import in_force
from screener.rates import KG_PER_UNIT
from screener.ruleset import Ruleset

_CHAIN = (("mine_country", "mine country"), ("refine_country", "refine country"))


def _fmt(expr: pl.Expr, digits: int = 2) -> pl.Expr:
    """A number as short text: 27.1, 0, 1234.5."""
    return expr.round(digits).cast(pl.String).str.replace(r"\.0$", "")


def _join_coverage(lf: pl.LazyFrame, tables: DutyTables) -> pl.LazyFrame:
    """Longest-prefix match of hts_code against the coverage prefixes."""
    prefix = pl.lit(None, dtype=pl.String)
    for length in reversed(tables.prefix_lengths):  # shortest first, longest overrides
        known = tables.coverage.filter(pl.col("_cov_prefix").str.len_chars() == length)
        hit = pl.col("hts_code").str.slice(0, length)
        prefix = pl.when(hit.is_in(known["_cov_prefix"].to_list())).then(hit).otherwise(prefix)
    lf = lf.with_columns(prefix.alias("_cov_prefix"))
    return lf.join(tables.coverage.lazy(), on="_cov_prefix", how="left")


def _concern_basis(ruleset: Ruleset) -> pl.Expr:
    """Why a line is concern-sourced ('origin CN; cell origin CN; ...'), null when it is not."""
    periods = ruleset.country_periods("concern")
    date = pl.col("entry_date")
    parts = [
        pl.when(in_force(periods, pl.col("country_of_origin"), date)).then(
            pl.format("origin {}", pl.col("country_of_origin"))
        )
    ]
    for column, label in _CHAIN:
        parts.append(
            pl.when(in_force(periods, pl.col(column), date)).then(
                pl.format(f"declared {label} {{}}", pl.col(column))
            )
        )
    parts.append(
        pl.when(
            in_force(periods, pl.col("cell_origin"), date) & (pl.col("_cov_group") == "derivative")
        ).then(pl.format("battery cell origin {}", pl.col("cell_origin")))
    )
    confirmed = (
        pl.col("match_hits")
        .list.eval(pl.element().filter(pl.element().struct.field("confirmed")))
        .list.first()
    )
    parts.append(
        pl.when(pl.col("match_confirmed").fill_null(False)).then(
            pl.format(
                "confirmed {} hit on {} entity {} (score {})",
                confirmed.struct.field("party"),
                confirmed.struct.field("list_id"),
                confirmed.struct.field("entity_id"),
                _fmt(confirmed.struct.field("score"), 1),
            )
        )
    )
    joined = pl.concat_str(parts, separator="; ", ignore_nulls=True)
    return pl.when(joined != "").then(joined).alias("duty_concern_basis")


def _classify(ruleset: Ruleset) -> pl.Expr:
    covered = pl.col("_cov_prefix").is_not_null()
    hold = pl.col("origin_risk").fill_null(0.0) >= ruleset.config.hold_threshold
    alliance = in_force(
        ruleset.country_periods("alliance"), pl.col("country_of_origin"), pl.col("entry_date")
    )
    return (
        pl.when(~covered)
        .then(pl.lit("NOT_COVERED"))
        .when(pl.col("duty_concern_basis").is_not_null())
        .then(pl.lit("CONCERN_301"))
        .when(hold)
        .then(pl.lit("HOLD_VERIFY"))
        .when(alliance)
        .then(pl.lit("ALLIANCE_FREE"))
        .otherwise(pl.lit("MFN"))
        .alias("duty_class")
    )


def _join_rates(lf: pl.LazyFrame, ruleset: Ruleset, tables: DutyTables) -> pl.LazyFrame:
    """Pick the base column (column 2, a claimed special program, or general) and its rate."""
    lf = lf.join(tables.hts.lazy(), on="hts_code", how="left")
    lf = lf.join(tables.special.lazy(), on=["hts_code", "spi"], how="left")
    column2 = in_force(
        ruleset.country_periods("column2"), pl.col("country_of_origin"), pl.col("entry_date")
    )
    base = (
        pl.when(column2)
        .then(pl.lit("column2"))
        .when(pl.col("special_text").is_not_null())
        .then(pl.lit("special"))
        .otherwise(pl.lit("general"))
    )
    lf = lf.with_columns(base.alias("duty_base_column"))

    def pick(field: str) -> pl.Expr:
        return (
            pl.when(pl.col("duty_base_column") == "column2")
            .then(pl.col(f"column2_{field}"))
            .when(pl.col("duty_base_column") == "special")
            .then(pl.col(f"special_{field}"))
            .otherwise(pl.col(f"general_{field}"))
        )

    return lf.with_columns(
        *(pick(f).alias(f"_base_{f}") for f in ("text", "av", "spec", "unit", "ok", "problem"))
    )


def _quantity_in_rate_unit() -> pl.Expr:
    unit = pl.col("quantity_unit").str.to_lowercase().str.strip_chars().str.strip_chars_end(".")
    to_kg = unit.replace_strict(KG_PER_UNIT, default=None, return_dtype=pl.Float64)
    same_unit = unit == pl.col("_base_unit").str.strip_chars_end(".")
    return (
        pl.when(pl.col("_base_unit") == "kg")
        .then(pl.col("quantity") * to_kg)
        .when(same_unit)
        .then(pl.col("quantity"))
    )


def _amounts(ruleset: Ruleset) -> list[pl.Expr]:
    free = pl.col("duty_class") == "ALLIANCE_FREE"
    concern = pl.col("duty_class").is_in(["CONCERN_301", "HOLD_VERIFY"])
    s301 = pl.coalesce(pl.col("_cov_override"), pl.col("_cov_s301")).fill_null(0.0)
    av = (
        pl.when(free)
        .then(0.0)
        .otherwise(pl.col("_base_av") + pl.when(concern).then(s301).otherwise(0.0))
    )
    spec = pl.when(free).then(0.0).otherwise(pl.col("_base_spec"))
    qty = _quantity_in_rate_unit()
    computable = free | (pl.col("_base_ok").fill_null(False) & ((spec == 0) | qty.is_not_null()))
    value = pl.col("entered_value_usd")
    duty = pl.when(computable).then(
        value * av / 100 + pl.when(spec > 0).then(spec * qty).otherwise(0.0)
    )
    rate = pl.when(computable).then(
        pl.when(spec > 0).then(pl.when(value > 0).then(duty / value * 100)).otherwise(av)
    )
    trust = ruleset.config.trust_fund
    feeds = pl.col("_cov_group").is_in(list(trust.groups)) & pl.col("duty_class").is_in(
        list(trust.classes)
    )
    return [
        pl.when(concern).then(s301).otherwise(0.0).alias("duty_s301_pct"),
        rate.round(4).alias("duty_rate_pct"),
        duty.round(2).alias("duty_usd"),
        computable.alias("duty_computable"),
        pl.when(feeds).then(duty.round(2)).otherwise(0.0).alias("duty_trust_fund_usd"),
        (pl.col("adcvd_case").str.strip_chars().str.len_chars() > 0)
        .fill_null(False)
        .alias("adcvd"),
    ]


_COLUMN_LABEL = {"general": "Column 1 General", "special": "special rate", "column2": "Column 2"}


def _reason(ruleset: Ruleset) -> pl.Expr:
    cls = pl.col("duty_class")
    coverage = pl.format(
        "HTS {} in coverage {} ({}, {}, {})",
        pl.col("hts_code"),
        pl.col("duty_coverage_hts"),
        pl.col("duty_mineral"),
        pl.col("duty_stage"),
        pl.col("duty_group"),
    )
    column = pl.col("duty_base_column").replace_strict(_COLUMN_LABEL, default="base")
    base = pl.format(
        "base {} {} (hts_schedule {}{})",
        column,
        pl.col("duty_base_rate"),
        pl.col("hts_code"),
        pl.when(pl.col("duty_base_column") == "special")
        .then(pl.format(", program {}", pl.col("spi")))
        .when(pl.col("duty_base_column") == "column2")
        .then(pl.format(", origin {} without normal trade relations", pl.col("country_of_origin")))
        .otherwise(pl.lit("")),
    )
    s301 = (
        pl.when(pl.col("duty_class").is_in(["CONCERN_301", "HOLD_VERIFY"]))
        .then(
            pl.when(pl.col("_cov_override").is_not_null())
            .then(pl.format(" + policy override {}%", _fmt(pl.col("duty_s301_pct"))))
            .when(pl.col("duty_s301_pct") > 0)
            .then(
                pl.format(
                    " + section 301 {}% ({}, {})",
                    _fmt(pl.col("duty_s301_pct")),
                    pl.col("duty_ch99"),
                    pl.col("_cov_basis"),
                )
            )
            .otherwise(pl.lit(" + no section 301 rate on the reference date"))
        )
        .otherwise(pl.lit(""))
    )
    amount = (
        pl.when(pl.col("duty_computable"))
        .then(
            pl.format(
                " = {}% of ${} = ${}",
                _fmt(pl.col("duty_rate_pct")),
                _fmt(pl.col("entered_value_usd")),
                _fmt(pl.col("duty_usd")),
            )
        )
        .otherwise(
            pl.format(
                "; duty not computable: {}",
                pl.when(pl.col("_base_ok").fill_null(False))
                .then(pl.format("rate needs quantity in {}", pl.col("_base_unit")))
                .otherwise(pl.coalesce(pl.col("_base_problem"), pl.lit("HTS line has no rate"))),
            )
        )
    )
    why = (
        pl.when(cls == "NOT_COVERED")
        .then(pl.format("HTS {} is not in coverage, base rate informational", pl.col("hts_code")))
        .when(cls == "CONCERN_301")
        .then(pl.format("{}; concern-sourced: {}", coverage, pl.col("duty_concern_basis")))
        .when(cls == "HOLD_VERIFY")
        .then(
            pl.format(
                "{}; origin risk {} >= hold threshold {} (see flags), provisional as CONCERN_301",
                coverage,
                _fmt(pl.col("origin_risk"), 3),
                pl.lit(str(ruleset.config.hold_threshold)),
            )
        )
        .when(cls == "ALLIANCE_FREE")
        .then(
            pl.format(
                "{}; origin {} is an Alliance member in force on {} (countries.csv)",
                coverage,
                pl.col("country_of_origin"),
                pl.col("entry_date").cast(pl.String),
            )
        )
        .otherwise(pl.format("{}; not concern-sourced, no hold, no Alliance member", coverage))
    )
    tail = pl.lit(f"; ruleset {ruleset.name} {ruleset.version}.")
    rate_text = (
        pl.when(cls == "ALLIANCE_FREE")
        .then(pl.lit("; Alliance rate 0% = $0"))
        .otherwise(pl.concat_str([pl.lit("; "), base, s301, amount]))
    )
    adcvd = (
        pl.when(pl.col("adcvd"))
        .then(pl.format("; AD/CVD case {} still applies", pl.col("adcvd_case")))
        .otherwise(pl.lit(""))
    )
    return pl.concat_str([cls, pl.lit(": "), why, rate_text, adcvd, tail]).alias("duty_reason")


def assign_duty(
    lf: pl.LazyFrame, ruleset: Ruleset, tables: DutyTables | None = None
) -> pl.LazyFrame:
    """Add coverage, duty class, rate, amount, AD/CVD and trust-fund columns to every line."""
    tables = tables or DutyTables.build(ruleset)
    names = lf.collect_schema().names()
    lf = _join_coverage(lf, tables)
    lf = lf.with_columns(_concern_basis(ruleset))
    lf = lf.with_columns(_classify(ruleset))
    lf = _join_rates(lf, ruleset, tables)
    lf = lf.with_columns(
        pl.col("_cov_prefix").alias("duty_coverage_hts"),
        pl.col("_cov_mineral").alias("duty_mineral"),
        pl.col("_cov_stage").alias("duty_stage"),
        pl.col("_cov_group").alias("duty_group"),
        pl.col("_cov_ch99").replace("", None).alias("duty_ch99"),
        pl.col("_base_text").alias("duty_base_rate"),
    )
    lf = lf.with_columns(_amounts(ruleset))
    lf = lf.with_columns(_reason(ruleset))
    added = [
        "duty_coverage_hts",
        "duty_mineral",
        "duty_stage",
        "duty_group",
        "duty_concern_basis",
        "duty_class",
        "duty_base_column",
        "duty_base_rate",
        "duty_s301_pct",
        "duty_ch99",
        "duty_rate_pct",
        "duty_usd",
        "duty_computable",
        "adcvd",
        "duty_trust_fund_usd",
        "duty_reason",
    ]
    return lf.select(*names, *added)
