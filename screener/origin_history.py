"""History rules of the origin stage (DESIGN §6): unit value, new manufacturers, origin surges,
origin hopping, classification shifts.

Each rule reads the ``_h_`` columns ``screener.history_columns`` joins onto the lines (History's
aggregates plus the batch's own) and needs its ``_h_ok_<rule>`` column: where that is null the
history the rule needs is missing, the line lists the rule in ``origin_rules_skipped``, and
``summarize_history`` turns the counts into the run summary's statement. Thresholds and windows
are each rule's ``params`` in the ruleset (``screener.ruleset_models.RULE_PARAMS``).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from screener.history import History
from screener.history_columns import add_history_columns
from screener.origin_rule import ORIGIN, Concern, Rule
from screener.periods import any_in_force
from screener.ruleset import Ruleset
from screener.ruleset_rule_params import (
    ClassificationShiftParams,
    NewManufacturerParams,
    OriginSurgeParams,
    PriorEvasionParams,
)


def _num(expr: pl.Expr) -> pl.Expr:
    """Three significant digits: 14.2, 31.0, 1230.0."""
    return expr.round_sig_figs(3).cast(pl.String)


def _usd(expr: pl.Expr) -> pl.Expr:
    """3.1 M USD, 0.4 M USD, 12.5 k USD, 950 USD."""
    return (
        pl.when(expr >= 1e5)
        .then(pl.format("{} M USD", (expr / 1e6).round(1)))
        .when(expr >= 1e3)
        .then(pl.format("{} k USD", (expr / 1e3).round(1)))
        .otherwise(pl.format("{} USD", expr.round(0).cast(pl.Int64)))
    )


def _unit_value(rs: Ruleset, concern: Concern) -> tuple[pl.Expr, ...]:
    uv, fence, ref = pl.col("_h_uv"), pl.col("_h_uv_fence"), pl.col("_h_uv_ref_min")
    unit = pl.col("quantity_unit").str.strip_chars()
    below_fence, below_ref = uv < fence, uv < ref
    evidence = pl.concat_str(
        [
            pl.when(below_fence).then(
                pl.format(
                    "unit value {} USD/{} is below the fence {} USD/{} (median {}, MAD of ln {},"
                    " {} prior lines of {})",
                    _num(uv),
                    unit,
                    _num(fence),
                    unit,
                    _num(pl.col("_h_uv_median")),
                    _num(pl.col("_h_uv_mad")),
                    pl.col("_h_uv_lines"),
                    pl.col("hts_code"),
                )
            ),
            pl.when(below_ref).then(
                pl.format(
                    "unit value {} USD/{} is below the reference minimum {} USD/{} for HTS {} ({})",
                    _num(uv),
                    unit,
                    _num(ref),
                    unit,
                    pl.col("_h_uv_ref_prefix"),
                    pl.col("_h_uv_ref_source"),
                )
            ),
        ],
        separator="; ",
        ignore_nulls=True,
    )
    return (below_fence | below_ref).fill_null(False), pl.lit(False), evidence


def _new_mid(rs: Ruleset, concern: Concern) -> tuple[pl.Expr, ...]:
    p = rs.config.rule_params("NEW_MANUFACTURER_SURGE", NewManufacturerParams)
    rank, share = pl.col("_h_mid_rank"), pl.col("_h_mid_share")
    fires = (
        pl.col("_h_ok_mid")
        & (pl.col("_h_mid_first") >= pl.col("_h_mid_since"))
        & (pl.col("_h_mid_shippers") >= p.min_shippers)
        & ((rank <= p.top_n) | (share >= p.min_share_pct))
    )
    evidence = pl.format(
        "manufacturer ID {} first seen {}, already #{} of {} shippers of HTS6 {} by value since {}"
        " ({}, {}% share)",
        pl.col("manufacturer_id"),
        pl.col("_h_mid_first"),
        rank,
        pl.col("_h_mid_shippers"),
        pl.col("_h_hts6"),
        pl.col("_h_mid_since"),
        _usd(pl.col("_h_mid_value")),
        share.round(1),
    )
    return fires, pl.lit(False), evidence


def _surge(rs: Ruleset, concern: Concern) -> tuple[pl.Expr, ...]:
    p = rs.config.rule_params("ORIGIN_SURGE", OriginSurgeParams)
    after, before = pl.col("_h_surge_after"), pl.col("_h_surge_before")
    ratio = after / before
    fires = (
        pl.col("_h_ok_surge")
        & ~concern(ORIGIN)
        & (after >= p.min_value_usd_per_month)
        & (pl.col("_h_surge_lines") >= p.min_lines)
        & ((before <= 0) | (ratio >= p.min_ratio))
    )
    months = pl.col("_h_surge_before_months").round(1).cast(pl.String).str.replace(r"\.0$", "")
    months = pl.format(
        "{} month{}", months, pl.when(months == "1").then(pl.lit("")).otherwise(pl.lit("s"))
    )
    evidence = pl.format(
        "imports of HTS6 {} from {}: {}/month since {} vs {}/month in the {} before ({})",
        pl.col("_h_hts6"),
        ORIGIN,
        _usd(after),
        pl.col("_h_surge_event"),
        _usd(before),
        months,
        pl.when(before > 0).then(pl.format("x{}", ratio.round(1))).otherwise(pl.lit("new flow")),
    )
    return fires, pl.lit(False), evidence


def _hopping(rs: Ruleset, concern: Concern) -> tuple[pl.Expr, ...]:
    sup, mid = pl.col("_h_hop_sup"), pl.col("_h_hop_mid")
    # another declared origin is of concern on this line's date, and this one is not
    periods = rs.country_periods("concern")
    others = pl.col("_h_hop_origins")
    strong = any_in_force(periods, others, pl.col("entry_date")) & ~concern(ORIGIN)
    codes = periods["code"].unique().sort().to_list()
    of_concern = others.list.eval(pl.element().filter(pl.element().is_in(codes))).list.join(", ")
    evidence = pl.concat_str(
        [
            pl.when(sup.is_not_null()).then(
                pl.format("supplier '{}' declared {}", pl.col("supplier_name"), sup)
            ),
            pl.when(mid.is_not_null()).then(
                pl.format("manufacturer ID {} declared {}", pl.col("manufacturer_id"), mid)
            ),
            pl.when(strong).then(pl.format("of concern: {}", of_concern)),
        ],
        separator="; ",
        ignore_nulls=True,
    )
    return sup.is_not_null() | mid.is_not_null(), strong, evidence


def _shift(rs: Ruleset, concern: Concern) -> tuple[pl.Expr, ...]:
    p = rs.config.rule_params("CLASSIFICATION_SHIFT", ClassificationShiftParams)
    parts: list[pl.Expr] = []
    fired: list[pl.Expr] = []
    for tag, label, column in (
        ("imp", "importer", "importer_id"),
        ("mid", "manufacturer ID", "manufacturer_id"),
    ):
        covered = pl.col(f"_h_cs_{tag}_covered").fill_null(0)
        sibling = pl.col(f"_h_cs_{tag}_sibling").fill_null(0)
        fires = (covered >= p.min_covered_lines) & (
            sibling <= covered * p.max_sibling_share_pct / 100
        )
        fired.append(fires)
        parts.append(
            pl.when(fires).then(
                pl.format(
                    "{} {} declared {} (covered) on {} line(s) before {} and the sibling {} on {};"
                    " this line declares {}",
                    pl.lit(label),
                    pl.col(column),
                    pl.col("_h_cs_covered"),
                    covered,
                    pl.col("_h_cs_event"),
                    pl.col("_h_cs_sibling"),
                    sibling,
                    pl.col("hts_code"),
                )
            )
        )
    applies = pl.col("_h_ok_cs") & pl.col("_h_cs_sibling").is_not_null()
    fires = applies & pl.col("_h_cs_event").is_not_null() & (fired[0] | fired[1])
    return fires, pl.lit(False), pl.concat_str(parts, separator="; ", ignore_nulls=True)


def _evasion(rs: Ruleset, concern: Concern) -> tuple[pl.Expr, ...]:
    """PRIOR_CONFIRMED_EVASION: a party of the line was on a line confirmed as evasion
    (``screener.history_evasion`` built the evidence)."""
    evidence = pl.col("_h_ev")
    return evidence.is_not_null(), pl.lit(False), evidence


RULES: tuple[Rule, ...] = (
    Rule("PRIOR_CONFIRMED_EVASION", ("_h_ok_ev",), _evasion),
    Rule("UNIT_VALUE_LOW", ("_h_ok_uv",), _unit_value),
    Rule("NEW_MANUFACTURER_SURGE", ("_h_ok_mid",), _new_mid),
    Rule("ORIGIN_SURGE", ("_h_ok_surge",), _surge),
    Rule("ORIGIN_HOPPING", ("_h_ok_hop",), _hopping),
    Rule("CLASSIFICATION_SHIFT", ("_h_ok_cs",), _shift),
)
HISTORY_RULE_CODES: frozenset[str] = frozenset(r.code for r in RULES)


def with_history(
    lf: pl.LazyFrame, ruleset: Ruleset, history: History | None = None
) -> pl.LazyFrame:
    """The lines with the history columns: from ``history``, else those an earlier step added,
    else none (every history rule is then skipped)."""
    present = [c for c in lf.collect_schema().names() if c.startswith("_h_")]
    if history is None and present:
        return lf
    return add_history_columns(lf.drop(present), history or History.empty(), ruleset)


def _needs(ruleset: Ruleset) -> dict[str, str]:
    """What each history rule needs of the history, for the run summary."""
    cfg = ruleset.config
    uv, nm, su, ho, cs = cfg.history_params()
    ev = cfg.rule_params("PRIOR_CONFIRMED_EVASION", PriorEvasionParams)
    return {
        "PRIOR_CONFIRMED_EVASION": f"a screening database (outcomes of lines entered within"
        f" {ev.window_months} months)",
        "UNIT_VALUE_LOW": f"a quantity and {uv.min_prior_lines} earlier lines of the same HTS10"
        f" and unit in {uv.window_months} months, or a reference price",
        "NEW_MANUFACTURER_SURGE": f"a manufacturer ID and {nm.min_lookback_months} month(s) of"
        f" history before the {nm.recent_months}-month recent window",
        "ORIGIN_SURGE": f"{su.min_baseline_days} days of history (within {su.window_months}"
        " months) before the latest duty event",
        "ORIGIN_HOPPING": f"earlier lines (within {ho.window_months} months), and a supplier or"
        " manufacturer ID",
        "CLASSIFICATION_SHIFT": f"history (within {cs.window_months} months) before the latest"
        " duty event, and an importer or manufacturer ID",
    }


def summarize_history(
    history: History, ruleset: Ruleset, skipped: Mapping[str, int], lines: int
) -> tuple[dict[str, object], list[str]]:
    """The run summary's ``history`` entry and the sentences the CLI prints: how much history
    there was, and per history rule on how many lines it lacked what it needs."""
    needs = _needs(ruleset)
    info: dict[str, object] = dict(history.describe())
    info["rules"] = {
        rule.code: {"lines_skipped": int(skipped.get(rule.code, 0)), "needs": needs[rule.code]}
        for rule in RULES
    }
    before = f" before {history.windows.before}" if history.windows else ""
    if history.lines == 0:
        lacking = [r.code for r in RULES if skipped.get(r.code)]  # a rule may need no history
        notes = [f"History: no earlier lines{before} in the store"]
        if lacking:
            notes[0] += (
                f"; not enough history for {', '.join(lacking)} on all {lines:,} lines"
                " (skipped, not fired)"
            )
    else:
        notes = [
            f"History: {history.month_count} month(s), {history.lines:,} lines from"
            f" {history.first_date} to {history.last_date}{before}"
        ]
        notes += [
            f"History: not enough for {rule.code} on {skipped[rule.code]:,} of {lines:,} lines"
            f" (needs {needs[rule.code]})"
            for rule in RULES
            if skipped.get(rule.code)
        ]
    info["notes"] = notes
    return info, notes
