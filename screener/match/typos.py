"""Typo-tolerant word links by deletion neighbourhoods (SymSpell's idea).

Two words whose spellings differ by a typo share a *deletion variant*: a spelling with up to
``d`` letters deleted (``alpha``/``alpja`` share ``alpa``; ``metal``/``metla`` share ``meta``).
Each side is expanded once into hashed variants, ``d`` = 1 below ``LONG`` letters and 2 from it
(on the entry side 2 from ``ENTRY_LONG`` and 3 from ``LONGER``; 1 past ``LONGEST``, run-together
text rather than a word), plus the word itself and its singular; the two sides are merge-joined
on the hash and the pairs that meet are kept at ``fuzz.ratio`` >= the floor, both compiled
(``typo_kernel``: the listed side sorted once, when the index is built). The cost grows with the
number of words and their lengths, never with words x words, so a 1,000,000-name list costs
about what its vocabulary does.

Variants are hashed in numpy, never spelt out: a spelling's hash is the sum of its code points
(+ 1) times fixed odd 64-bit multipliers, one per position, mixed with its length (wrapping
uint64, the same in every process). Deletions move the runs between them left, so a run's share
is a difference of two suffix sums at that shift: a variant costs two look-ups per deleted
letter. Words go by length, a few thousand at a time, through the ways to delete letters.

What it misses, by construction: pairs that need more deletions on one side than ``d`` (three
substitutions in a long word; words of very different lengths); ``fuzz.ratio`` of those is near
its floor of 75, where ``align_keys`` gives the word little credit anyway. ``bench_match.py``
measures recall against an exhaustive ``align_keys`` run.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterator, Sequence

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from screener.match.align import ABJAD, same_skeleton, skeleton
from screener.match.threads import split_runs

LONG = 7  # from this length a word's variants delete up to two letters
ENTRY_LONG = 5  # an entry word from this length deletes up to two (``juande`` ~ ``jade``)
LONGER = 9  # an entry word from this length deletes up to three (extra letters typed)
LONGEST = 40  # a word past this (run-together text, not a name word) deletes one letter at most
AFFIX_MIN = 4  # shortest listed word looked up as the head or tail of a longer entry word
_V = pl.col("_v")
_SEED, _MASK = 0x5EED_7095, (1 << 64) - 1
_LENGTH = 0xD6E8FEB86659FD93  # weighs a spelling's length
_CHUNK = 1 << 17  # variants hashed at a time (1 MB of hashes: cache-sized)
_Pairs = Iterator[tuple[np.ndarray, np.ndarray]]


def singular(word: pl.Expr) -> pl.Expr:
    """A plural's singular (``companies`` -> ``company``, ``boxes`` -> ``box``, ``metals``)."""
    return (
        pl.when(word.str.ends_with("ies"))
        .then(word.str.head(-3) + "y")
        .when(word.str.contains("[sxzh]es$"))
        .then(word.str.head(-2))
        .otherwise(word.str.strip_suffix("s"))
    )


@functools.cache
def _weights(n: int) -> np.ndarray:
    """Odd 64-bit multipliers of positions 0..n-1: splitmix64 from a fixed seed, so stable."""
    state, out = _SEED, []
    for _ in range(n):
        state = (state + 0x9E3779B97F4A7C15) & _MASK
        z = ((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        out.append((z ^ (z >> 31)) | 1)
    return np.array(out, dtype=np.uint64)


def _finish(sums: np.ndarray, length: int) -> np.ndarray:
    """Mix letter sums with the spellings' ``length`` (murmur3's finalizer), in place."""
    sums += np.uint64(length * _LENGTH & _MASK)
    for mul in (0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53):
        sums ^= sums >> np.uint64(33)
        sums *= np.uint64(mul)
    sums ^= sums >> np.uint64(33)
    return sums


def _ways(n: int, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per way to delete ``d`` of ``n`` letters, per deleted position p (the t-th): the columns
    of ``_suffix_sums`` to subtract (from p, shift t) and add (from p + 1, shift t + 1), and p
    if letter p - 1 is kept, else ``n``: if both are one letter, deleting p - 1 spells it."""
    count = math.comb(n, d)
    flat = itertools.chain.from_iterable(itertools.combinations(range(n), d))
    ways = np.fromiter(flat, dtype=np.int64, count=count * d).reshape(count, d)
    column = np.arange(d) * (n + 1) + n - ways  # the sum from p at shift t
    kept_before = np.ones_like(ways, dtype=bool)
    kept_before[:, 1:] = ways[:, 1:] - 1 != ways[:, :-1]
    return column, column + n, np.where(kept_before & (ways > 0), ways, n)


_cached_ways = functools.lru_cache(maxsize=256)(_ways)  # not a hostile 300-letter word's


def _suffix_sums(backwards: np.ndarray, d: int) -> np.ndarray:
    """((d + 1) * (n + 1), T) from n letters (+ 1) of T words written ``backwards``: at row
    t * (n + 1) + n - x, the sum over letters k >= x of ``_weights[k - t] * letter k`` (x >= t),
    so a run of letters moved t places left by deletions is a difference of two."""
    n = len(backwards)
    out = np.zeros((d + 1, n + 1, backwards.shape[1]), dtype=np.uint64)
    for t in range(d + 1):
        weighed = backwards[: n - t] * _weights(n - t)[::-1, None]
        np.cumsum(weighed, axis=0, out=out[t, 1 : n - t + 1])
    return out.reshape(-1, backwards.shape[1])


def _depth(n: int, max_deletes: int) -> int:
    """Letters deleted at most from a word of ``n`` letters (1; 2 from LONG, from ENTRY_LONG
    on the entry side, ``max_deletes`` 3; 3 from LONGER; 1 past LONGEST, where three would make
    some n**3/6 variants)."""
    long = ENTRY_LONG if max_deletes >= 3 else LONG
    return min(max_deletes, n, 1 + (long <= n <= LONGEST) + (LONGER <= n <= LONGEST))


def _hash_rows(backwards: np.ndarray, max_deletes: int) -> _Pairs:
    """Per deletion depth, the (ways, T) hashes of the variants of T words of n letters (+ 1,
    ``backwards``: n, T) and which to keep (the first way to delete letters of a run)."""
    n, d_max = len(backwards), _depth(len(backwards), max_deletes)
    sums = _suffix_sums(backwards, d_max)
    repeat = np.zeros((n + 1, backwards.shape[1]), dtype=bool)  # [p]: letter p - 1 == letter p
    forwards = backwards[::-1]
    repeat[1:n] = forwards[1:] == forwards[:-1]
    for d in range(d_max + 1):
        drop, add, checks = (_cached_ways if math.comb(n, d) <= _CHUNK else _ways)(n, d)
        acc = np.repeat(sums[n : n + 1], len(drop), axis=0)  # the word itself
        keep = np.ones(acc.shape, dtype=bool)
        for t in range(d):
            acc -= sums[drop[:, t]]
            acc += sums[add[:, t]]
            keep &= ~repeat[checks[:, t]]
        yield _finish(acc, n - d), keep


def _by_length(words: pl.Series, ids: np.ndarray, max_deletes: int) -> _Pairs:
    """(ids, hashes) of the variants of ``words``, a length group of ``_CHUNK`` variants at most
    at a time: ``ids`` (one per word) is repeated once per variant of its word."""
    flat, offsets = _code_points(words)
    starts, lengths = offsets[:-1], np.diff(offsets)
    order = np.argsort(lengths, kind="stable")
    bounds = np.searchsorted(lengths[order], np.arange(lengths.max(initial=0) + 2))
    for n in range(len(bounds) - 1):
        group = order[bounds[n] : bounds[n + 1]]
        ways = sum(math.comb(n, d) for d in range(_depth(n, max_deletes) + 1))
        step = max(1, _CHUNK // ways)
        for lo in range(0, len(group), step):
            rows = group[lo : lo + step]
            backwards = flat[starts[rows] + np.arange(n - 1, -1, -1)[:, None]] + np.uint64(1)
            for hashes, keep in _hash_rows(backwards, max_deletes):
                yield np.broadcast_to(ids[rows], keep.shape)[keep], hashes[keep]


def hash_strings(words: Sequence[str] | pl.Series) -> np.ndarray:
    """The variant hash of each of ``words`` as it is (UInt64, stable across processes)."""
    series = pl.Series(words, dtype=pl.String)
    out = np.zeros(len(series), dtype=np.uint64)
    for rows, hashes in _by_length(series, np.arange(len(series)), 0):
        out[rows] = hashes
    return out


def deletion_variants(tokens: pl.DataFrame, idx: str, max_deletes: int = 2) -> pl.DataFrame:
    """(``idx``, _h): hashed deletion variants of each ``tok`` (one per ``idx``), the word itself
    and its singular included; each once, but for spellings reached by deleting unlike letters
    (``abab`` less two: ``ab`` thrice). ``max_deletes`` caps ``d`` (joined word pairs: 1)."""
    tok, ids = pl.col("tok"), tokens.get_column(idx)
    plural = tokens.filter(tok.str.ends_with("s")).select(idx, "tok", _v=singular(tok))
    if max_deletes > 0:  # ``metals`` less one letter is already ``metal``; ``boxes`` is not
        plural = plural.filter(tok.str.head(-1) != _V)
    parts = [
        pl.DataFrame({idx: pl.Series(i, dtype=ids.dtype), "_h": h})
        for i, h in _by_length(tokens.get_column("tok"), ids.to_numpy(), max_deletes)
    ]
    parts.append(plural.select(idx, _h=pl.Series(hash_strings(plural.get_column("_v")))))
    return pl.concat(parts, rechunk=False)


def _verified(pairs: pl.DataFrame, floor: float) -> pl.DataFrame:
    """(tok, _g, _r) of ``pairs`` (tok, _g, _lt) at ``fuzz.ratio`` >= ``floor`` (one batch)."""
    pairs = pairs.filter(pl.col("tok") != pl.col("_lt"))
    if pairs.is_empty():
        return pl.DataFrame(schema={"tok": pl.String, "_g": pl.Int32, "_r": pl.UInt8})
    ratio = process.cpdist(
        pairs.get_column("tok").to_list(),
        pairs.get_column("_lt").to_list(),
        scorer=fuzz.ratio,
        score_cutoff=floor,
        dtype=np.uint8,
        workers=-1,
    )
    return (
        pairs.with_columns(_r=pl.Series(ratio, dtype=pl.UInt8))
        .filter(pl.col("_r") > 0)
        .select("tok", pl.col("_g").cast(pl.Int32), "_r")
    )


def affix_links(query: pl.DataFrame, listed: pl.DataFrame, floor: float) -> pl.DataFrame:
    """(tok, _g, _r): a listed token that a query word begins or ends with (``junschneider`` /
    ``schneider``, ``fontrourgounsun`` / ``fontrourgoun``), at ``fuzz.ratio`` >= ``floor``:
    extra letters glued to a word are more deletions than ``typo_links`` tries."""
    n = pl.col("tok").str.len_chars()
    q = query.select("tok").unique().filter(n > AFFIX_MIN)
    cut = q.with_columns(_i=pl.int_ranges(AFFIX_MIN, n, dtype=pl.Int32)).explode("_i")
    affixes = pl.concat(
        [
            cut.select("tok", _lt=pl.col("tok").str.head(pl.col("_i"))),
            cut.select("tok", _lt=pl.col("tok").str.tail(pl.col("_i"))),
        ]
    )
    pairs = affixes.join(listed.select("_g", _lt="tok"), on="_lt").unique()
    return _verified(pairs, floor)


def skeletons(tokens: pl.DataFrame, idx: str) -> pl.DataFrame:
    """(``idx``, _s, _n, _poor): the consonant skeleton of each alphabetic ``tok`` of 4+
    letters, its length and whether it is vowel-poor (a quarter vowels or fewer)."""
    tok = pl.col("tok")
    alpha = tokens.filter(tok.str.contains(r"^[a-z]{4,}$"))
    words = alpha.get_column("tok").to_list()
    return alpha.select(
        idx,
        _s=pl.Series([skeleton(w) for w in words], dtype=pl.String),
        _n=tok.str.len_chars(),
        _poor=tok.str.count_matches("[aeiou]") <= tok.str.len_chars() / 4,
    )


def skeleton_links(
    query: pl.DataFrame, listed: pl.DataFrame, listed_skeletons: pl.DataFrame
) -> pl.DataFrame:
    """(tok, _g, _r): vowel-poor words (from Arabic or Hebrew) and the longer words with their
    consonants (``sdam`` ~ ``saddam``), as ``align_keys`` meets them (``ABJAD``)."""
    q = skeletons(query.select("tok").unique(), "tok")
    pairs = (
        q.join(listed_skeletons, on="_s", suffix="_l")
        .filter(
            (pl.col("_poor") & (pl.col("_n") < pl.col("_n_l")))
            | (pl.col("_poor_l") & (pl.col("_n_l") < pl.col("_n")))
        )
        .join(listed.select("_g", _lt="tok"), on="_g")
    )
    keep = [same_skeleton(a, b) for a, b in pairs.select("tok", "_lt").iter_rows()]
    return pairs.filter(pl.Series(keep, dtype=pl.Boolean)).select(
        "tok", pl.col("_g").cast(pl.Int32), _r=pl.lit(int(ABJAD), pl.UInt8)
    )


def typo_links(
    query: pl.DataFrame,
    listed: pl.DataFrame,
    variants: pl.DataFrame,
    floor: float,
    max_deletes: int = 3,
) -> pl.DataFrame:
    """(tok, _g, _r): query tokens (``tok``) and listed tokens (``listed``: _g, tok; its
    ``variants``: _g, _h, sorted by ``_h``) that share a deletion variant and reach ``floor``
    at ``fuzz.ratio`` (``_r``, UInt8); equal tokens are left to an exact join. The join and the
    ratios run compiled (``typo_kernel``)."""
    from screener.match.typo_kernel import merge_pairs, ratios  # numba compiles on first use

    q = query.select("tok").unique()
    qv = deletion_variants(q.with_row_index("_qi"), "_qi", max_deletes)
    if qv.is_empty() or variants.is_empty() or listed.is_empty():
        return pl.DataFrame(schema={"tok": pl.String, "_g": pl.Int32, "_r": pl.UInt8})
    mask = np.uint64((1 << max(1, q.height.bit_length())) - 1)
    packed = (qv.get_column("_h").to_numpy() & ~mask) | qv.get_column("_qi").to_numpy().astype(
        np.uint64
    )
    packed.sort()
    hashes = variants.get_column("_h").to_numpy()  # sorted (``Blocker.build``)
    listed_ids = variants.get_column("_g").to_numpy().astype(np.int32, copy=False)
    qi, g = merge_pairs(packed, mask, hashes, listed_ids)
    ids = listed.get_column("_g").to_numpy().astype(np.int64)
    at = np.full(int(max(ids.max(), g.max(initial=0))) + 1, -1, np.int64)
    at[ids] = np.arange(ids.size)  # listed position of each id; -1: a variant of another token
    pos = at[g]
    qi, pos = qi[pos >= 0], pos[pos >= 0]
    q_tok, l_tok, score = q.get_column("tok"), listed.get_column("tok"), float(floor)
    words = (*_code_points(q_tok), *_code_points(l_tok))
    r = np.concatenate(
        split_runs(qi.size, lambda lo, hi: ratios(*words, qi[lo:hi], pos[lo:hi], score))
    )
    kept = r > 0  # the same pair meets once per variant it shares: unique
    return pl.DataFrame(
        {
            "tok": q_tok.gather(qi[kept]),
            "_g": pl.Series(ids[pos[kept]], dtype=pl.Int32),
            "_r": pl.Series(r[kept], dtype=pl.UInt8),
        }
    ).unique()


def _code_points(words: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """(code points of all ``words`` end to end, offsets: word i is ``[off[i], off[i + 1])``)."""
    offsets = np.zeros(len(words) + 1, np.int64)
    np.cumsum(words.str.len_chars().to_numpy(), out=offsets[1:])
    text = "".join(words.to_list()).encode("utf-32-le")
    return np.frombuffer(text, np.uint32), offsets
