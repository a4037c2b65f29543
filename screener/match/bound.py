"""Blocking step 3, the score bound (DESIGN §5): which (entry, listed name) pairs may reach the
review threshold, from the units each entry holds (``Blocker._links``).

A listed unit is *rare* when few names hold it (``Blocker.build`` marks ``_rare``, at most
``FREQUENT`` of the names). Names are met three ways, disjoint:

1. through a rare unit the entry holds: straight from the rare postings, which are short. Their
   frequent units (``trading``, ``khan``: a few per name, each in many names) are looked up in
   a dense (entry, frequent unit) table, so the listed weight found and the entry words behind
   it bound the score before any other join (``_frequent_found``);
2. through frequent units only: the signature postings of the frequent units the entry holds
   (a name reaching the threshold holds a signature unit, or two for ``sig2``), bounded the
   same way;
3. entries with an initial: every name of a unit they hold, an initial standing for any word
   of its letter (as ``align_keys`` meets ``v putin``).

The pairs left are bounded as ``align_keys`` would count their held units: each held word at
the most ``word_score`` gives its ``fuzz.ratio`` (``_credit``: a typo loses part of what it
misses), a listed word at its best of its own and a joined pair's credit (a joined pair only
where it nearly beats its own words), the entry words at their best credit; then the
penalties, counted from the words no held unit explains: ``SUBSTITUTION`` per missing listed
word met by an extra entry word, ``EXTRA_WORD`` per extra entry word up to ``EXTRA_CAP``.
Those counts leave out stop words and numbers, so they never exceed ``align_keys``' own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from screener.match.align import (
    EXTRA_CAP,
    EXTRA_WORD,
    INITIAL,
    SUBSTITUTION,
    TYPO_DISCOUNT,
    TYPO_MIN,
)

if TYPE_CHECKING:
    from screener.match.blocking import Blocker

_L = pl.Int64
_ROWS = ("_q", "_k", "_u", "_w", "_ta", "_tb", "_r", "_x")


def bound(
    blk: Blocker, held: pl.DataFrame, qwords: pl.DataFrame, min_score: float, join_slack: float
) -> pl.DataFrame:
    """(_q, _k) of the names whose score bound reaches ``min_score``; ``held``: (_q, _x, _u, _r),
    ``qwords``: the entries' words (_x, _q, tok, _w)."""
    least = min_score / 100 - 1e-5  # Float32 sums in any order
    n_vocab = int(blk.size.item(0, "n_vocab"))
    shift = blk.targets.height
    n_units = n_vocab + shift

    def code(unit: str) -> pl.Expr:
        return pl.col("_q").cast(_L) * n_units + pl.col(unit).cast(_L) + shift

    def passes(listed: pl.Expr, entry: pl.Expr) -> pl.Expr:
        """The score from the listed and entry weights found reaches ``min_score``."""
        c = (listed / pl.col("_tot").clip(1e-9)).clip(0, 1)
        e = (entry / pl.col("_qtot").clip(1e-9)).clip(0, 1)
        return pl.col("_lw") * c + (1 - pl.col("_lw")) * e >= least

    # _e: the weight of the entry words that hold the unit
    qw = qwords.select("_x", _qw="_w")
    hu = (
        held.group_by("_q", "_u", "_x")
        .agg(pl.col("_r").max())
        .join(qw, on="_x")
        .group_by("_q", "_u")
        .agg(pl.col("_r").max(), _e=pl.col("_qw").sum())
    )
    qtot = qwords.group_by("_q").agg(_qtot=pl.col("_w").sum(), _qnp=pl.col("_np").sum())
    ratio = hu.select(_c=code("_u"), _r="_r")
    initials = qwords.filter(pl.col("tok").str.len_chars() == 1).select("_q", "_x", _first="tok")
    spelt = initials.select("_q").unique()
    plain, spell = hu.join(spelt, on="_q", how="anti"), hu.join(spelt, on="_q", how="semi")
    frequent = blk.units.filter(~pl.col("_rare"))
    x = pl.lit(None, pl.Int32).alias("_x")

    # names met through rare units: every held rare unit is in ``found``; frequent ones looked up
    met = plain.join(blk.units.filter("_rare"), on="_u")
    found = met.group_by("_q", "_k").agg(_c=pl.col("_w").sum(), _e=pl.col("_e").sum())
    # the frequent units of each name found, looked up in a dense table (few: ``_frequent_found``)
    near = _frequent_found(found, frequent, hu).join(blk.totals, on="_k").join(qtot, on="_q")
    near = near.filter(passes(pl.col("_c"), pl.col("_e")))
    near = near.select("_q", "_k")
    often = near.join(frequent, on="_k").with_columns(_c=code("_u")).join(ratio, on="_c")
    rows_a = pl.concat(
        [
            met.join(near, on=["_q", "_k"], how="semi").select(*_ROWS[:-1], x),
            often.select(*_ROWS[:-1], x),
        ]
    )

    # names met through frequent units only: signature postings, names that can pass on them
    freq = plain.join(frequent.select("_u").unique(), on="_u", how="semi")
    plain_pairs = [
        freq.join(blk.sig, on="_u").select("_q", "_k"),
        # both words of a signature pair frequent: else a rare unit is held, a name of part 1
        freq.select("_q", _a="_u")
        .join(freq.select("_q", _b="_u"), on="_q")
        .join(blk.sig2, on=["_a", "_b"])
        .select("_q", "_k"),
    ]
    pairs = pl.concat(
        [
            _frequent_found(
                pl.concat(plain_pairs)
                .unique()
                .join(found, on=["_q", "_k"], how="anti")
                .with_columns(_c=pl.lit(0.0, pl.Float32), _e=pl.lit(0.0, pl.Float32)),
                frequent,
                hu,
            )
            .join(blk.totals, on="_k")
            .join(qtot, on="_q")
            .filter(passes(pl.col("_c"), pl.col("_e")))
            .select("_q", "_k"),
            # an initial may stand for any signature word: such entries meet every name of a unit
            spell.join(blk.units, on="_u").select("_q", "_k").unique(),
        ]
    )
    rows_b = (
        pairs.join(blk.units, on="_k")
        .with_columns(_c=code("_u"))
        .join(ratio, on="_c", how="left")
        .join(initials, on=["_q", "_first"], how="left")
        .filter(pl.col("_r").is_not_null() | pl.col("_x").is_not_null())
        .select(_ROWS)
    )
    rows = pl.concat([rows_a, rows_b])

    # a joined unit counts only where it beats both its words (align_keys keeps the best)
    words, joined = (
        rows.filter(pl.col("_ta").is_null()),
        rows.filter(pl.col("_ta").is_not_null()),
    )
    for side in ("_ta", "_tb"):
        joined = joined.with_columns(_c=code(side)).join(
            ratio.rename({"_r": f"_r{side}"}), on="_c", how="left"
        )
    beats = pl.col("_r").cast(pl.Int32) + join_slack > pl.max_horizontal(
        pl.col("_r_ta").fill_null(0), pl.col("_r_tb").fill_null(0)
    )
    joined = joined.filter(beats).select(_ROWS)
    rows = pl.concat([words, joined])
    # each listed word at its best credit: its own, or a joined pair's it is part of
    credit = _credit(pl.col("_r"))
    per_word = pl.concat(
        [
            words.select("_q", "_k", "_u", _cr=credit),
            joined.select("_q", "_k", _u="_ta", _cr=credit),
            joined.select("_q", "_k", _u="_tb", _cr=credit),
        ]
    )
    listed = (
        per_word.group_by("_q", "_k", "_u")
        .agg(pl.col("_cr").max())
        .join(
            blk.units.filter(pl.col("_ta").is_null()).select("_k", "_u", "_w", "_np"),
            on=["_k", "_u"],
        )
        .group_by("_q", "_k")
        .agg(_c=(pl.col("_w") * pl.col("_cr")).sum(), _held=pl.col("_np").sum())
        .join(blk.totals, on="_k")
        .with_columns(_c=(pl.col("_c") / pl.col("_tot").clip(1e-9)).clip(0, 1))
        .filter(pl.col("_lw") * pl.col("_c") + 1 - pl.col("_lw") >= least)
    )
    rows = rows.join(listed.select("_q", "_k"), on=["_q", "_k"])
    entry = pl.concat(
        [
            rows.drop("_x", "_r").join(held, on=["_q", "_u"]).select("_q", "_k", "_x", _cr=credit),
            rows.filter(pl.col("_x").is_not_null()).select(
                "_q", "_k", "_x", _cr=pl.lit(INITIAL / 100, pl.Float32)
            ),
        ]
    )
    score = 100 * (pl.col("_lw") * pl.col("_c") + (1 - pl.col("_lw")) * pl.col("_e"))
    extra = (pl.col("_qnp").cast(pl.Int64) - pl.col("_eh")).clip(0)
    missing = (pl.col("_nm").cast(pl.Int64) - pl.col("_held")).clip(0)
    penalty = SUBSTITUTION * pl.min_horizontal(missing, extra) + (EXTRA_WORD * extra).clip(
        0, EXTRA_CAP
    )
    result = (
        entry.group_by("_q", "_k", "_x")
        .agg(pl.col("_cr").max())
        .join(qwords.select("_x", "_w", "_np"), on="_x")
        .group_by("_q", "_k")
        .agg(_e=(pl.col("_w") * pl.col("_cr")).sum(), _eh=pl.col("_np").sum().cast(pl.Int64))
        .join(qtot, on="_q")
        .join(listed, on=["_q", "_k"])
        .with_columns(_e=(pl.col("_e") / pl.col("_qtot").clip(1e-9)).clip(0, 1))
        .filter(score - penalty >= min_score - 1e-3)
    )
    return result.select("_q", "_k")


def _credit(ratio: pl.Expr) -> pl.Expr:
    """The most ``word_score`` gives two words at ``fuzz.ratio`` ``ratio``, as a share: equal 1, a
    typo at ``TYPO_MIN`` or more loses ``TYPO_DISCOUNT`` of what it misses, below it the ratio;
    a null ratio is an initial (``INITIAL``). Generic plurals are linked at ``PLURAL``."""
    r = ratio.cast(pl.Float32)
    return (
        pl.when(ratio.is_null())
        .then(INITIAL / 100)
        .when(r >= TYPO_MIN)
        .then(1 - TYPO_DISCOUNT * (100 - r) / 100)
        .otherwise(r / 100)
        .cast(pl.Float32)
    )


def _frequent_found(found: pl.DataFrame, frequent: pl.DataFrame, hu: pl.DataFrame) -> pl.DataFrame:
    """``found`` (_q, _k, _c, _e) plus the frequent units of each name that the entry holds:
    their listed weight to ``_c``, the weight of the entry words holding them to ``_e``. The
    frequent units are few: a dense (entry, unit) table, and each name's frequent units by
    offset (``frequent`` is sorted by ``_k``)."""
    ids = frequent.select("_u").unique().with_row_index("_f")
    if found.is_empty() or ids.is_empty():
        return found
    n_f = ids.height
    f_k = frequent.get_column("_k").to_numpy()
    f_id = (
        frequent.join(ids, on="_u", how="left", maintain_order="left")
        .get_column("_f")
        .to_numpy()
        .astype(np.int64)
    )
    f_w = frequent.get_column("_w").to_numpy()
    q = found.get_column("_q").to_numpy().astype(np.int64)
    q0 = int(q.min())
    n_q = int(q.max()) - q0 + 1
    hf = hu.join(ids, on="_u").filter(pl.col("_q").is_between(q0, q0 + n_q - 1))
    cell = (hf.get_column("_q").to_numpy().astype(np.int64) - q0) * n_f + hf.get_column(
        "_f"
    ).to_numpy().astype(np.int64)
    has, weight = np.zeros(n_q * n_f, np.bool_), np.zeros(n_q * n_f, np.float32)
    has[cell], weight[cell] = True, hf.get_column("_e").to_numpy()
    k = found.get_column("_k").to_numpy()
    per_name = np.bincount(f_k, minlength=int(max(f_k.max(), k.max())) + 1)
    start, count = (np.cumsum(per_name) - per_name)[k], per_name[k]
    # only the entries that hold a frequent unit, the names that have one
    holds: np.ndarray = np.asarray(has.reshape(n_q, n_f).any(axis=1))
    some = np.flatnonzero(holds[q - q0] & (count > 0))
    start, count = start[some], count[some]
    pair = np.repeat(some, count)
    idx = np.repeat(start - np.cumsum(count) + count, count) + np.arange(pair.size)
    cell = (q[pair] - q0) * n_f + f_id[idx]
    held = has[cell]
    add_c = np.bincount(pair[held], f_w[idx][held], k.size)
    add_e = np.bincount(pair[held], weight[cell][held], k.size)
    return found.with_columns(
        pl.col("_c") + pl.Series(add_c, dtype=pl.Float32),
        pl.col("_e") + pl.Series(add_e, dtype=pl.Float32),
    )
