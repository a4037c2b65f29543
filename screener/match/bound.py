"""Blocking step 3, the score bound (DESIGN §5): which (entry, listed name) pairs may reach the
review threshold, from the units each entry holds (``Blocker._links``).

Each entry meets the names whose signature it holds (``blocking._signature``: a name that can
reach the index's floor holds one of its signature units, its rarest words and the joined pairs
they are in; or, where that would need a word in more than ``FREQUENT`` of the names, two of its
``sig2`` words). An entry with an initial meets every name of a unit it holds, an initial
standing for any word of its letter (as ``align_keys`` meets ``v putin``).

Each name met is bounded as ``align_keys`` would count the units the entry holds: each held word
at the most ``word_score`` gives its ``fuzz.ratio`` (``bound_kernel._credit``: a typo loses part
of what it misses), a listed word at its best of its own and a joined pair's credit (a joined
pair only where it nearly beats its own words), the entry words at their best credit; then the
penalties, counted from the words no held unit explains: ``SUBSTITUTION`` per missing listed
word met by an extra entry word, ``EXTRA_WORD`` per extra entry word up to ``EXTRA_CAP``.
Those counts leave out stop words and numbers, so they never exceed ``align_keys``' own.

The name side is laid out once per index as flat arrays (``name_arrays``); the loop over the
names met runs compiled (``bound_kernel.bound_pairs``), on two threads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import polars as pl

from screener.match.threads import split_runs

if TYPE_CHECKING:
    from screener.match.blocking import Blocker
    from screener.match.entry_words import EntryTokens

NAME = np.dtype([("ptr", np.int32), ("nm", np.int32), ("tot", np.float32), ("lw", np.float32)])
UNIT = np.dtype(
    [
        ("code", np.int32),
        ("ta", np.int32),
        ("tb", np.int32),
        ("first", np.int32),
        ("np", np.int32),
        ("w", np.float32),
    ]
)  # one record per unit, so a name's units share cache lines


class NameArrays(NamedTuple):
    """The listed side of an index as ``bound_kernel`` takes it (its module docstring)."""

    names: np.ndarray  # NAME records, one per name and one past the last (its ``ptr``)
    units: np.ndarray  # UNIT records by name
    p_ptr: np.ndarray
    p_k: np.ndarray
    s_ptr: np.ndarray
    s_k: np.ndarray
    s2_ptr: np.ndarray
    s2_b: np.ndarray
    s2_k: np.ndarray


def _i32(frame: pl.DataFrame, column: str) -> np.ndarray:
    return frame.get_column(column).to_numpy().astype(np.int32, copy=False)


def _ptr(groups: np.ndarray, size: int) -> np.ndarray:
    """CSR offsets of ``groups`` (sorted ids below ``size``)."""
    ptr = np.zeros(size + 1, np.int32)
    np.cumsum(np.bincount(groups, minlength=size), out=ptr[1:])
    return ptr


def _first_letter(column: str) -> pl.Expr:
    """The code point of an ASCII word's first letter, -1 for none."""
    head = pl.col(column).str.head(1).str.encode("hex")
    return head.str.to_integer(base=16, strict=False).fill_null(-1).cast(pl.Int32)


def _n_units(blk: Blocker) -> int:
    return int(blk.size.item(0, "n_vocab")) + blk.targets.height


def name_arrays(blk: Blocker) -> NameArrays:
    """Lay out ``blk``'s names, postings and signatures by unit code (``_u`` + targets)."""
    n_keys, shift, n_units = int(blk.size.item(0, "n_keys")), blk.targets.height, _n_units(blk)
    code = pl.col("_u") + shift
    units = blk.units.select(  # sorted by _k
        "_k",
        _c=code,
        _w="_w",
        _np="_np",
        _ta=(pl.col("_ta") + shift).fill_null(-1),
        _tb=(pl.col("_tb") + shift).fill_null(-1),
        _f=_first_letter("_first"),
    )
    k, c = _i32(units, "_k"), _i32(units, "_c")
    totals = blk.totals
    tk = _i32(totals, "_k")
    names = np.zeros(n_keys + 1, NAME)
    names["ptr"] = _ptr(k, n_keys)
    names["lw"][:] = 1.0
    names["tot"][tk] = totals.get_column("_tot").to_numpy()
    names["nm"][tk] = totals.get_column("_nm").to_numpy()
    names["lw"][tk] = totals.get_column("_lw").to_numpy()
    records = np.zeros(len(k), UNIT)
    records["code"] = c
    for field, column in [("ta", "_ta"), ("tb", "_tb"), ("first", "_f"), ("np", "_np")]:
        records[field] = _i32(units, column)
    records["w"] = units.get_column("_w").to_numpy()
    order = np.argsort(c, kind="stable")
    sig = blk.sig.select(_c=code, _k="_k").sort("_c", "_k")
    sig2 = blk.sig2.select(_a=pl.col("_a") + shift, _b=pl.col("_b") + shift, _k="_k").sort("_a")
    return NameArrays(
        names=names,
        units=records,
        p_ptr=_ptr(c, n_units),
        p_k=k[order],
        s_ptr=_ptr(_i32(sig, "_c"), n_units),
        s_k=_i32(sig, "_k"),
        s2_ptr=_ptr(_i32(sig2, "_a"), n_units),
        s2_b=_i32(sig2, "_b"),
        s2_k=_i32(sig2, "_k"),
    )


def bound(
    blk: Blocker,
    entries: EntryTokens,
    links: pl.DataFrame,
    min_score: float,
    join_slack: float,
) -> pl.DataFrame:
    """(_q, _k) of the names whose score bound reaches ``min_score``. ``entries``: the entries'
    words and tokens (``entry_words``); ``links``: the units each distinct token holds (_v,
    _u, _r)."""
    from screener.match.bound_kernel import bound_pairs  # numba compiles on first use

    if entries.xw.size == 0 or links.is_empty():
        return pl.DataFrame(schema={"_q": pl.Int32, "_k": pl.Int32})
    qx_ptr = entries.qx_ptr
    n_q, n_x = qx_ptr.size - 1, entries.xw.size
    x = np.arange(n_x, dtype=np.int32)
    xloc = x - np.repeat(qx_ptr[:-1], np.diff(qx_ptr))
    links = links.select("_v", _c=pl.col("_u") + blk.targets.height, _r="_r").sort("_v")
    args = (
        qx_ptr, x, entries.xw, entries.xnp, entries.xlet, xloc, entries.qt_ptr, entries.qt_v,
        entries.qt_x, entries.qt_x2, _ptr(_i32(links, "_v"), entries.vocab.height),
        _i32(links, "_c"), links.get_column("_r").to_numpy().astype(np.uint8), *blk.arrays,
        _n_units(blk), float(min_score), float(join_slack),
    )  # fmt: skip
    runs = split_runs(n_q, lambda lo, hi: bound_pairs(lo, hi, *args))
    return pl.DataFrame(
        {"_q": np.concatenate([r[0] for r in runs]), "_k": np.concatenate([r[1] for r in runs])},
        schema={"_q": pl.Int32, "_k": pl.Int32},
    )
