"""The history step of the origin stage: History's aggregates joined onto the batch as ``_h_``
columns, which the history rules (``screener.origin_history``) read.

Each rule gets one ``_h_ok_<rule>`` column: True where the rule can decide the line, null where
the history it needs is missing (too few prior lines, no months before the window or event), so
``origin_rules_skipped`` lists the rule there. With no history at all every ``_h_`` column is
null. Where a rule counts tonight's batch too (hopping, surge, new manufacturers), the batch's own
aggregates are computed here, with the history's, in the same lazy plan: one group-by per
aggregate, then left joins of small frames; no rule loops over rows.
"""

from __future__ import annotations

import polars as pl

from screener.history import History, Windows, add_months, month_start
from screener.history_evasion import add_evasion_columns
from screener.history_exprs import (
    MID,
    join_left,
    latest_event,
    ok_where,
    unit_key,
)
from screener.history_parties import hopping_columns, shift_columns
from screener.history_run import RunLines, history_base
from screener.ruleset import Ruleset
from screener.ruleset_rule_params import (
    NewManufacturerParams,
    OriginSurgeParams,
    UnitValueParams,
)

DAYS_PER_MONTH = 30.4375
_S, _F, _I, _B, _D = pl.String(), pl.Float64(), pl.Int64(), pl.Boolean(), pl.Date()
H_COLUMNS: dict[str, pl.DataType] = {
    "_h_hts6": _S,
    # UNIT_VALUE_LOW: unit value, the HTS10 x unit history, the fence, a reference price
    "_h_uv": _F,
    "_h_uv_unit": _S,
    "_h_uv_lines": _I,
    "_h_uv_median": _F,
    "_h_uv_mad": _F,
    "_h_uv_fence": _F,
    "_h_uv_ref_min": _F,
    "_h_uv_ref_prefix": _S,
    "_h_uv_ref_source": _S,
    "_h_ok_uv": _B,
    # NEW_MANUFACTURER_SURGE: first seen, rank among the HTS6's shippers in the recent window
    "_h_mid_first": _D,
    "_h_mid_rank": _I,
    "_h_mid_shippers": _I,
    "_h_mid_value": _F,
    "_h_mid_share": _F,
    "_h_mid_since": _D,
    "_h_ok_mid": _B,
    # ORIGIN_SURGE: USD per month since the latest duty event and before it
    "_h_surge_event": _D,
    "_h_surge_after": _F,
    "_h_surge_before": _F,
    "_h_surge_before_months": _F,
    "_h_surge_lines": _I,
    "_h_ok_surge": _B,
    # ORIGIN_HOPPING: origins declared for the HTS6 by the supplier / MID (null: one origin)
    "_h_hop_sup": _S,
    "_h_hop_mid": _S,
    "_h_hop_origins": pl.List(pl.String()),  # every origin of a hopping supplier / MID
    "_h_ok_hop": _B,
    # CLASSIFICATION_SHIFT: covered and sibling lines the importer / MID declared before the event
    "_h_cs_covered": _S,
    "_h_cs_sibling": _S,
    "_h_cs_event": _D,
    "_h_cs_imp_covered": _I,
    "_h_cs_imp_sibling": _I,
    "_h_cs_mid_covered": _I,
    "_h_cs_mid_sibling": _I,
    "_h_ok_cs": _B,
}


# --- UNIT_VALUE_LOW ---------------------------------------------------------------------------


def _unit_value(base: pl.LazyFrame, history: History, p: UnitValueParams) -> pl.LazyFrame:
    qty, value = pl.col("quantity"), pl.col("entered_value_usd")
    lf = base.with_columns(
        pl.when((qty > 0) & (value > 0)).then(value / qty).alias("_h_uv"),
        unit_key(pl.col("quantity_unit")).alias("_h_uv_unit"),
    )
    stats = history.unit_values.lazy().select(
        "hts_code",
        "unit",
        pl.col("lines").alias("_h_uv_lines"),
        pl.col("median").alias("_h_uv_median"),
        pl.col("mad").alias("_h_uv_mad"),
    )
    lf = join_left(lf, stats, ["hts_code", "_h_uv_unit"], ["hts_code", "unit"])
    median = pl.col("_h_uv_median")
    # unit values are log-normal: the fence lies k robust sigmas below the median of ln(uv),
    # so it stays positive however widely an HTS10's prices spread
    spread = pl.max_horizontal(pl.col("_h_uv_mad"), pl.lit(1 + p.min_mad_pct / 100).log())
    enough = pl.col("_h_uv").is_not_null() & (pl.col("_h_uv_lines") >= p.min_prior_lines)
    lf = lf.with_columns(
        pl.when(enough).then(median * (-p.mad_k * 1.4826 * spread).exp()).alias("_h_uv_fence")
    )
    prices = pl.DataFrame(
        [r.model_dump() for r in p.reference_prices],
        schema={"hts_prefix": _S, "unit": _S, "min_usd_per_unit": _F, "source": _S},
    ).with_columns(unit_key(pl.col("unit")), pl.col("hts_prefix").str.len_chars().alias("_len"))
    ref: list[str] = []
    for length in sorted(set(prices["_len"].to_list()), reverse=True):  # longest prefix first
        band = prices.filter(pl.col("_len") == length).unique(["hts_prefix", "unit"], keep="first")
        names = {c: f"{c}_{length}" for c in ("hts_prefix", "min_usd_per_unit", "source")}
        right = band.lazy().select(
            pl.col("hts_prefix").alias("_key"),
            "unit",
            *(pl.col(c).alias(n) for c, n in names.items()),
        )
        lf = join_left(
            lf.with_columns(pl.col("hts_code").str.slice(0, length).alias("_h_pfx")),
            right,
            ["_h_pfx", "_h_uv_unit"],
            ["_key", "unit"],
        ).drop("_h_pfx")
        ref.append(str(length))
    usable = pl.col("_h_uv").is_not_null()
    return lf.with_columns(
        *(
            pl.when(usable).then(pl.coalesce([pl.col(f"{c}_{n}") for n in ref])).alias(alias)
            if ref
            else pl.lit(None, dtype=H_COLUMNS[alias]).alias(alias)
            for c, alias in (
                ("min_usd_per_unit", "_h_uv_ref_min"),
                ("hts_prefix", "_h_uv_ref_prefix"),
                ("source", "_h_uv_ref_source"),
            )
        )
    ).with_columns(
        ok_where(pl.col("_h_uv_fence").is_not_null() | pl.col("_h_uv_ref_min").is_not_null()).alias(
            "_h_ok_uv"
        )
    )


# --- NEW_MANUFACTURER_SURGE -------------------------------------------------------------------


def _new_mid(
    base: pl.LazyFrame, history: History, w: Windows, p: NewManufacturerParams, run: RunLines
) -> pl.LazyFrame:
    first = (
        pl.concat([history.mids.lazy().select("manufacturer_id", "first_date"), run.mid_first])
        .group_by("manufacturer_id")
        .agg(pl.col("first_date").min().alias("_h_mid_first"))
    )
    value = pl.col("value")
    shippers = (
        pl.concat(
            [
                history.mids.lazy()
                .filter(pl.col("recent_lines") > 0)
                .select("manufacturer_id", "hts6", pl.col("recent_value_usd").alias("value")),
                run.mid_recent,
            ]
        )
        .group_by("manufacturer_id", "hts6")
        .agg(value.sum())
        .select(
            "manufacturer_id",
            "hts6",
            value.rank("min", descending=True).over("hts6").cast(pl.Int64).alias("_h_mid_rank"),
            pl.len().over("hts6").cast(pl.Int64).alias("_h_mid_shippers"),
            value.alias("_h_mid_value"),
            (100 * value / value.sum().over("hts6")).alias("_h_mid_share"),
        )
    )
    before_recent = history.months.filter(pl.col("month") < w.recent).height
    lf = join_left(base, first, ["manufacturer_id"], ["manufacturer_id"])
    lf = join_left(lf, shippers, ["manufacturer_id", "_h_hts6"], ["manufacturer_id", "hts6"])
    return lf.with_columns(
        pl.lit(w.recent).alias("_h_mid_since"),
        ok_where(MID.is_not_null() & (before_recent >= p.min_lookback_months)).alias("_h_ok_mid"),
    )


# --- ORIGIN_SURGE ---------------------------------------------------------------------------


def _surge(
    base: pl.LazyFrame, history: History, w: Windows, p: OriginSurgeParams, run: RunLines
) -> pl.LazyFrame:
    hist = history.hts6_origin.lazy()
    first = max(history.first_date or w.before, w.surge)
    frames: list[pl.LazyFrame] = []
    decided = [0]  # event indexes a line can be decided on (0: no event before it, nothing to do)
    for j, event in enumerate(history.events, start=1):
        baseline_start = max(add_months(event, -p.baseline_months), first)
        baseline_days = (event - baseline_start).days
        if baseline_days < p.min_baseline_days:
            continue  # lines after this event lack a baseline: skipped
        decided.append(j)
        after_start = max(event, w.surge)
        keys = ["hts6", "origin"]
        after = (
            pl.concat(
                [
                    hist.filter(pl.col("bucket") >= j).select(*keys, "value_usd", "lines"),
                    run.surge.filter(pl.col("k") >= j).select(*keys, "value_usd", "lines"),
                ]
            )
            .group_by(keys)
            .agg(pl.col("value_usd").sum(), pl.col("lines").sum())
        )
        before = (
            hist.filter((pl.col("bucket") < j) & (pl.col("month") >= month_start(baseline_start)))
            .group_by(keys)
            .agg(pl.col("baseline_usd").sum().alias("before_usd"))  # no confirmed evasion
        )
        frames.append(
            join_left(after, before, keys, keys).select(
                *keys,
                pl.lit(j, dtype=pl.Int32).alias("k"),
                pl.col("value_usd").alias("_after_usd"),
                pl.lit(after_start).alias("_after_start"),
                (pl.col("before_usd").fill_null(0.0) * DAYS_PER_MONTH / baseline_days).alias(
                    "_h_surge_before"
                ),
                pl.lit(baseline_days / DAYS_PER_MONTH).alias("_h_surge_before_months"),
                pl.col("lines").alias("_h_surge_lines"),
            )
        )
    lf = base.with_columns(latest_event(history.events).alias("_h_surge_event"))
    if frames:
        lf = join_left(
            lf, pl.concat(frames), ["_h_hts6", "country_of_origin", "_h_k"], ["hts6", "origin", "k"]
        )
        after_days = (run.last_date - pl.col("_after_start")).dt.total_days() + 1
        lf = lf.with_columns(
            (pl.col("_after_usd") * DAYS_PER_MONTH / after_days).alias("_h_surge_after")
        )
    return lf.with_columns(ok_where(pl.col("_h_k").is_in(decided)).alias("_h_ok_surge"))


# --- the step ---------------------------------------------------------------------------------


def add_history_columns(
    lf: pl.LazyFrame, history: History, ruleset: Ruleset, run: RunLines | None = None
) -> pl.LazyFrame:
    """Add the ``_h_`` columns (H_COLUMNS) the history rules read; all null without history.
    ``run``: aggregates of every line of the run when ``lf`` is one batch of it (default: the
    lines of ``lf`` are the whole run)."""
    w = history.windows
    lf = add_evasion_columns(lf, history.evasion, history.evasion_known, ruleset)
    if history.lines == 0 or w is None:
        return lf.with_columns(pl.lit(None, dtype=t).alias(c) for c, t in H_COLUMNS.items())
    params = ruleset.config.history_params()
    base = history_base(lf, history).with_row_index("_i")
    run = run or RunLines.of(lf, history)
    parts = [
        _unit_value(base, history, params.unit_value),
        _new_mid(base, history, w, params.new_mid, run),
        _surge(base, history, w, params.surge, run),
        hopping_columns(base, history, w, params.hopping, run.combos),
        shift_columns(base, history, w, params.shift),
    ]
    columns = [
        part.sort("_i").select(
            c for c in H_COLUMNS if c in part.collect_schema().names() and c != "_h_hts6"
        )
        for part in parts
    ]
    out = pl.concat([lf, base.select("_h_hts6"), *columns], how="horizontal")
    return out.with_columns(
        pl.col(c).cast(t) if c in out.collect_schema().names() else pl.lit(None, dtype=t).alias(c)
        for c, t in H_COLUMNS.items()
    )
