"""``align_keys`` scores of many pairs at once: the keys' words and facts laid out in arrays by
polars, the scores computed by the compiled ``align_kernel`` on two threads.

``align_keys`` costs some 20 us a pair in Python even with every cache warm, and 10 us more per
key it has not seen; blocking hands it tens of thousands of candidates a night, most of which
are no hit. ``score_keys`` gives the same score (equal to the last bit, and rounded the same
way) for a few us a pair; a pair the kernel leaves to Python (an acronym, a key outside
``[a-z0-9 ]``) is scored by ``align_keys``. Hits still take ``align_keys`` for their
explanation.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import polars as pl

from screener.match import align
from screener.match.terms import load_words
from screener.match.threads import split_runs
from screener.match.typos import code_points

_TOK = pl.col("tok")
ROMAN = r"^x{0,3}(?:ix|iv|v?i{0,3})$"  # align._NUMBER's numeral without its look-ahead


class KeyTable(NamedTuple):
    """Keys as ``align_kernel`` reads them: key ``r``'s words are ``ptr[r]:ptr[r + 1]``."""

    ptr: np.ndarray  # int64
    word: np.ndarray  # int64 vocabulary id of each word
    joined: np.ndarray  # int64 id of the word and the next one joined (-1: the last word)
    number: np.ndarray  # bool: a number (``align._key``'s numbers)
    weigh: np.ndarray  # bool: weighed in the coverage (``align._key``'s idx)
    weight: np.ndarray  # float64: letters times class factor
    distinctive: np.ndarray  # bool per key: a distinctive word among its non-numbers
    odd: np.ndarray  # bool per key: left to ``align_keys`` (a character outside [a-z0-9 ])


class Vocabulary(NamedTuple):
    """The words and joined word pairs of a ``KeyTable``, with ``align._facts``."""

    ptr: np.ndarray  # int64: word v's code points are buf[ptr[v]:ptr[v + 1]]
    buf: np.ndarray  # uint32
    length: np.ndarray  # int64
    alpha: np.ndarray  # bool
    number: np.ndarray  # bool
    generic: np.ndarray  # bool
    poor: np.ndarray  # bool: vowels a quarter of the letters or fewer
    stop: np.ndarray  # bool: a joining word
    factor: np.ndarray  # float64: class factor (``class_factor``)


def _among(words: frozenset[str], tok: pl.Expr = _TOK) -> pl.Expr:
    return tok.is_in(pl.Series(sorted(words), dtype=pl.String).implode())


def _vocabulary(tokens: pl.Series) -> Vocabulary:
    """Facts of each distinct token, in the order given (``align._facts``, vectorized)."""
    classes = load_words()
    n = _TOK.str.len_chars()
    alpha = _TOK.str.contains("^[a-z]+$")
    facts = tokens.to_frame("tok").with_columns(
        _n=n.cast(pl.Int64),
        _alpha=alpha,
        _num=_TOK.str.contains(r"\d") | ((n >= 2) & _TOK.str.contains(ROMAN)),
        _gen=_among(classes.generic),
        _poor=_TOK.str.count_matches("[aeiouyw]") * 4 <= n,
        _f=class_factor(_TOK),
    )
    buf, ptr = code_points(tokens)
    return Vocabulary(
        ptr=ptr,
        buf=buf,
        length=facts.get_column("_n").to_numpy(),
        alpha=facts.get_column("_alpha").to_numpy(),
        number=facts.get_column("_num").to_numpy(),
        generic=facts.get_column("_gen").to_numpy(),
        poor=facts.get_column("_poor").to_numpy(),
        stop=facts.get_column("_f").to_numpy() == align.STOP,  # a joining word's factor
        factor=facts.get_column("_f").to_numpy(),
    )


def key_table(keys: Sequence[str]) -> tuple[KeyTable, Vocabulary]:
    """The ``KeyTable`` of ``keys`` (``normalize_name`` output) and its vocabulary."""
    frame = pl.DataFrame({"key": list(keys)}, schema={"key": pl.String}).with_row_index("_k")
    odd = ~pl.col("key").str.contains("^[a-z0-9]+(?: [a-z0-9]+)*$")
    frame = frame.with_columns(_odd=odd)
    words = (
        frame.select("_k", tok=pl.when(~pl.col("_odd")).then(pl.col("key")).str.split(" "))
        .explode("tok")
        .drop_nulls("tok")
    )
    same = pl.col("_k") == pl.col("_k").shift(-1)
    words = words.with_columns(_j=pl.when(same).then(_TOK + _TOK.shift(-1)))
    distinct = pl.concat([words.get_column("tok"), words.get_column("_j").drop_nulls()])
    distinct = distinct.unique(maintain_order=True)
    vocab = _vocabulary(distinct)
    ids = distinct.to_frame("tok").with_row_index("_v").with_columns(pl.col("_v").cast(pl.Int64))
    words = words.join(ids, on="tok", how="left", maintain_order="left").join(
        ids.select(_j="tok", _vj="_v"), on="_j", how="left", maintain_order="left"
    )
    word = words.get_column("_v").to_numpy()
    k = words.get_column("_k").to_numpy().astype(np.int64)
    counts = np.bincount(k, minlength=frame.height)
    ptr = np.zeros(frame.height + 1, np.int64)
    np.cumsum(counts, out=ptr[1:])
    last = np.zeros(word.size, bool)
    last[ptr[1:][counts > 0] - 1] = True
    lone = np.isin(word, _ids_of(distinct, ("i", "v", "x")))
    first = np.zeros(word.size, bool)
    first[ptr[:-1][counts > 0]] = True
    opens = first & vocab.alpha[word] & (counts[k] > 1)  # a numeral of letters opening a name
    number = (vocab.number[word] & ~opens) | (last & lone & (counts[k] > 1))  # align._key
    plain_keys = np.bincount(k, weights=~number, minlength=frame.height) > 0
    weigh = ~number | ~plain_keys[k]  # the non-numbers, or every word of a key of numbers
    factor = vocab.factor[word]
    weight = np.where(weigh, vocab.length[word] * factor, 0.0)
    distinctive = np.bincount(k, weights=~number & (factor == 1.0), minlength=frame.height) > 0
    table = KeyTable(
        ptr=ptr,
        word=word,
        joined=words.get_column("_vj").fill_null(-1).to_numpy(),
        number=number,
        weigh=weigh,
        weight=weight,
        distinctive=distinctive,
        odd=frame.get_column("_odd").to_numpy(),
    )
    return table, vocab


def _ids_of(distinct: pl.Series, words: tuple[str, ...]) -> np.ndarray:
    return np.flatnonzero(distinct.is_in(list(words)).to_numpy())


def class_factor(tok: pl.Expr) -> pl.Expr:
    """``align._facts``' class factor of each word: joining word, place, business word,
    patronymic, else 1 (Float64)."""
    classes = load_words()
    return (
        pl.when(_among(classes.stopwords, tok))
        .then(align.STOP)
        .when(_among(classes.places, tok))
        .then(align.PLACE)
        .when(_among(classes.generic, tok))
        .then(align.GENERIC)
        .when(tok.str.contains(align.PATRONYMIC_PATTERN))
        .then(align.PATRONYMIC)
        .otherwise(1.0)
        .cast(pl.Float64)
    )


class Glued(NamedTuple):
    """What ``align_kernel`` spells the pieces of glued words with: the business words (code
    points, shortest first; the first of each length) and ``align.SOUNDS`` as rows (first,
    second or 0, replacement)."""

    generic_ptr: np.ndarray
    generic_buf: np.ndarray
    sounds: np.ndarray
    by_length: np.ndarray


@functools.cache
def _extras() -> Glued:
    from screener.match.skeleton_kernel import sounds  # numba: on use

    words = sorted(load_words().generic, key=lambda w: (len(w), w))
    buf, ptr = code_points(pl.Series(words, dtype=pl.String))
    lengths = np.diff(ptr)
    by_length = np.searchsorted(lengths, np.arange(int(lengths.max(initial=0)) + 2))
    return Glued(ptr, buf, sounds(), by_length.astype(np.int64))


def round_tenths(values: np.ndarray) -> np.ndarray:
    """``round(v, 1)`` of each value, as Python rounds (the decimal nearest the exact binary
    value, ties to even): numpy's ``round`` where ten times the value is clear of a tie, which
    is where the two agree, Python's at the few near one."""
    out: np.ndarray = np.round(values, 1)
    tens = values * 10.0
    near = np.flatnonzero(np.abs(tens - np.floor(tens) - 0.5) < 1e-6)
    out[near] = [round(v, 1) for v in values[near].tolist()]
    return out


def score_keys(
    query_keys: Sequence[str], listed_keys: Sequence[str], q: np.ndarray, k: np.ndarray
) -> np.ndarray:
    """``align_keys(query_keys[q[n]], listed_keys[k[n]]).score`` of each pair n (float64)."""
    from screener.match.align_kernel import pair_scores  # numba compiles on first use

    q, k = np.asarray(q, np.int64), np.asarray(k, np.int64)
    if q.size == 0:
        return np.zeros(0)
    uq, qi = np.unique(q, return_inverse=True)
    uk, ki = np.unique(k, return_inverse=True)
    keys = [query_keys[i] for i in uq.tolist()] + [listed_keys[i] for i in uk.tolist()]
    table, vocab = key_table(keys)
    extras = _extras()
    ci = ki + uq.size
    raw = np.concatenate(
        split_runs(q.size, lambda lo, hi: pair_scores(qi[lo:hi], ci[lo:hi], table, vocab, extras))
    )
    out = round_tenths(np.clip(raw, 0.0, 100.0))  # as align_keys rounds
    for n in np.flatnonzero(np.isnan(raw)).tolist():  # left to Python
        out[n] = align.align_keys(keys[qi[n]], keys[ci[n]]).score
    return out
