"""The party parts of the history step: ORIGIN_HOPPING and CLASSIFICATION_SHIFT columns.

Both follow a party (supplier name key, manufacturer ID, importer) across HTS lines and origins;
``screener.history_columns.add_history_columns`` calls them with the batch and the History.
"""

from __future__ import annotations

import polars as pl

from screener.history import History, Windows
from screener.history_exprs import MID, ORIGIN, join_left, latest_event, ok_where, party_key
from screener.ruleset_rule_params import ClassificationShiftParams, OriginHoppingParams

_S = pl.String()


# --- ORIGIN_HOPPING ---------------------------------------------------------------------------


def hopping_columns(
    base: pl.LazyFrame, history: History, w: Windows, p: OriginHoppingParams, run: pl.LazyFrame
) -> pl.LazyFrame:
    """Worked out on the run's distinct (supplier, MID, HTS6, origin) combinations (``run``:
    ``RunLines.combos``), then joined back to the lines once."""
    keys = ["supplier_name", "manufacturer_id", "_h_hts6", "country_of_origin"]
    combos = run.with_columns(party_key(pl.col("supplier_name")).alias("_h_sup_key"))
    cols = ["kind", "party", "hts6", "origin"]
    sums = [pl.col("lines").sum(), pl.col("first_date").min(), pl.col("last_date").max()]

    def rows(kind: str, party: pl.Expr) -> pl.LazyFrame:
        return (
            combos.select(
                pl.lit(kind).alias("kind"),
                party.alias("party"),
                pl.col("_h_hts6").alias("hts6"),
                ORIGIN.alias("origin"),
                "lines",
                "first_date",
                "last_date",
            )
            .filter(pl.col("party").is_not_null())
            .group_by(cols)
            .agg(sums)
        )

    hist = history.parties.lazy().with_columns(
        pl.when(pl.col("kind") == "supplier")
        .then(party_key(pl.col("party")))
        .otherwise(pl.col("party"))
        .alias("party")
    )
    group = ["kind", "party", "hts6"]
    origins = (
        pl.concat(
            [
                hist.select(*cols, "lines", "first_date", "last_date"),
                rows("supplier", pl.col("_h_sup_key")),
                rows("manufacturer", MID),
            ]
        )
        .group_by(cols)
        .agg(sums)
        .filter(pl.len().over(group) >= p.min_origins)
        .with_columns((pl.col("first_date") > pl.col("first_date").min().over(group)).alias("new"))
        .group_by(group)
        .agg(
            pl.len().alias("n"),
            pl.format("{} {} line(s) {}..{}", "origin", "lines", "first_date", "last_date")
            .sort_by(["first_date", "origin"])
            .str.join(", ")
            .alias("text"),
            pl.col("origin").sort().alias("origins"),
            pl.col("origin").filter("new").alias("new"),
        )
        .select(
            *group,
            pl.format(
                "{} origins for HTS6 {} since {}: {}", "n", "hts6", pl.lit(w.hopping), "text"
            ).alias("text"),
            "origins",
            "new",
        )
    )
    for kind, key, column in (
        ("supplier", "_h_sup_key", "_h_hop_sup"),
        ("manufacturer", "manufacturer_id", "_h_hop_mid"),
    ):
        right = origins.filter(pl.col("kind") == kind).select(
            "party",
            "hts6",
            pl.col("text").alias(column),
            pl.col("origins").alias(f"{column}_o"),
            pl.col("new").alias(f"{column}_n"),
        )
        combos = join_left(combos, right, [key, "_h_hts6"], ["party", "hts6"])
        if p.new_origins_only:  # the party's first origin does not fire, a later one does
            is_new = pl.col(f"{column}_n").list.contains(ORIGIN)
            combos = combos.with_columns(pl.when(is_new).then(pl.col(column)).alias(column))
    combos = combos.select(
        *keys,
        "_h_hop_sup",
        "_h_hop_mid",
        pl.coalesce(
            pl.when(pl.col("_h_hop_sup").is_not_null()).then("_h_hop_sup_o"),
            pl.when(pl.col("_h_hop_mid").is_not_null()).then("_h_hop_mid_o"),
        ).alias("_h_hop_origins"),
    )
    lf = base.join(combos, on=keys, how="left", nulls_equal=True, maintain_order="none")
    return lf.with_columns(
        ok_where(pl.col("supplier_name").is_not_null() | MID.is_not_null()).alias("_h_ok_hop")
    )


# --- CLASSIFICATION_SHIFT ---------------------------------------------------------------------


def shift_columns(
    base: pl.LazyFrame, history: History, w: Windows, p: ClassificationShiftParams
) -> pl.LazyFrame:
    pair = pl.lit(None, dtype=pl.Int32)
    for index, sibling in reversed(list(enumerate(p.pairs))):
        pair = (
            pl.when(pl.col("hts_code").str.starts_with(sibling.sibling)).then(index).otherwise(pair)
        )
    covered = {i: s.covered for i, s in enumerate(p.pairs)}
    siblings = {i: s.sibling for i, s in enumerate(p.pairs)}
    lf = base.with_columns(pair.cast(pl.Int32).alias("_h_pair")).with_columns(
        pl.col("_h_pair")
        .replace_strict(covered, default=None, return_dtype=_S)
        .alias("_h_cs_covered"),
        pl.col("_h_pair")
        .replace_strict(siblings, default=None, return_dtype=_S)
        .alias("_h_cs_sibling"),
        latest_event(history.events).alias("_h_cs_event"),
    )
    first = max(history.first_date or w.before, w.shift)
    known = [0] + [j for j, e in enumerate(history.events, start=1) if first < e]
    hist = history.shifts.lazy()
    counts = [
        hist.filter(pl.col("bucket") < j)
        .group_by("kind", "party", "pair")
        .agg(
            pl.col("lines").filter(pl.col("side") == 0).sum().alias("covered"),
            pl.col("lines").filter(pl.col("side") == 1).sum().alias("sibling"),
        )
        .with_columns(pl.lit(j, dtype=pl.Int32).alias("k"))
        for j in known[1:]
    ]
    if counts:
        every = pl.concat(counts)
        for kind, key, tag in (
            ("importer", "importer_id", "imp"),
            ("manufacturer", "manufacturer_id", "mid"),
        ):
            right = every.filter(pl.col("kind") == kind).select(
                "party",
                "pair",
                "k",
                pl.col("covered").alias(f"_h_cs_{tag}_covered"),
                pl.col("sibling").alias(f"_h_cs_{tag}_sibling"),
            )
            lf = join_left(lf, right, [key, "_h_pair", "_h_k"], ["party", "pair", "k"])
    parties = pl.col("importer_id").is_not_null() | MID.is_not_null()
    decided = (
        pl.col("_h_pair").is_null()
        | (pl.col("_h_k") == 0)
        | (pl.col("_h_k").is_in(known) & parties)
    )
    return lf.with_columns(ok_where(decided).alias("_h_ok_cs"))
