"""Typo-tolerant word links by deletion neighbourhoods (SymSpell's idea).

Two words whose spellings differ by a typo share a *deletion variant*: a spelling with up to
``d`` letters deleted (``alpha``/``alpja`` share ``alpa``; ``metal``/``metla`` share ``meta``).
Each side is expanded once into hashed variants, ``d`` = 1 below ``LONG`` letters and 2 from it
(on the entry side 2 from ``ENTRY_LONG`` and 3 from ``LONGER``; 1 past ``LONGEST``, run-together
text rather than a word), plus the word itself and its singular; each entry variant looks its
hash up among the listed ones and the pairs that meet are kept at ``fuzz.ratio`` >= the floor,
both compiled (``typo_kernel``: the listed side sorted once, when the index is built, with a
directory on its top bits, ``VariantTable``). The cost grows with the
number of words and their lengths, never with words x words, so a 1,000,000-name list costs
about what its vocabulary does.

Variants are hashed, never spelt out, in a compiled loop (``typo_kernel.variant_hashes``): a
spelling's hash is the sum of its code points (+ 1) times fixed odd 64-bit multipliers, one per
position, mixed with its length (wrapping uint64, the same in every process). Deletions move the
runs between them left, so a run's share is a difference of two suffix sums at that shift: a
variant costs two look-ups per deleted letter.

What it misses, by construction: pairs that need more deletions on one side than ``d`` (three
substitutions in a long word; words of very different lengths); ``fuzz.ratio`` of those is near
its floor of 75, where ``align_keys`` gives the word little credit anyway. ``bench_match.py``
measures recall against an exhaustive ``align_keys`` run.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import polars as pl

from screener.match.align import ABJAD, PLURAL, SHORT
from screener.match.threads import split_runs

LONG = 7  # from this length a word's variants delete up to two letters
ENTRY_LONG = 5  # an entry word from this length deletes up to two (``juande`` ~ ``jade``)
LONGER = 9  # an entry word from this length deletes up to three (extra letters typed)
LONGEST = 40  # a word past this (run-together text, not a name word) deletes one letter at most
AFFIX_MIN = 4  # shortest listed word looked up as the head or tail of a longer entry word
_SEED, _MASK = 0x5EED_7095, (1 << 64) - 1
_LENGTH = 0xD6E8FEB86659FD93  # weighs a spelling's length


def singular(word: pl.Expr) -> pl.Expr:
    """A plural's singular (``companies`` -> ``company``, ``boxes`` -> ``box``, ``metals``)."""
    return (
        pl.when(word.str.ends_with("ies"))
        .then(word.str.head(-3) + "y")
        .when(word.str.contains("[sxzh]es$"))
        .then(word.str.head(-2))
        .otherwise(word.str.strip_suffix("s"))
    )


def stem(word: pl.Expr) -> pl.Expr:
    """``align.stem`` as a polars expression: the singular less ``-ing`` (and a doubled letter
    before it) and a final ``e`` (``trading``, ``trade`` -> ``trad``). It repeats its parts:
    evaluate it in a lazy frame, whose common subexpressions are computed once (7x faster)."""
    one = singular(word)
    cut = one.str.head(-3)
    cut = pl.when(cut.str.slice(-1) == cut.str.slice(-2, 1)).then(cut.str.head(-1)).otherwise(cut)
    ing = pl.when((one.str.len_chars() > 5) & one.str.ends_with("ing")).then(cut).otherwise(one)
    final_e = (ing.str.len_chars() > 3) & ing.str.ends_with("e")
    return pl.when(final_e).then(ing.str.head(-1)).otherwise(ing)


def word_stems(words: pl.DataFrame, generic: frozenset[str]) -> pl.DataFrame:
    """(_g, _lt, _st, _gen): each word (_g, tok) of ``SHORT`` letters or more and no digit, its
    ``stem`` and whether it is a business word (``generic``)."""
    tok = pl.col("tok")
    words = words.filter((tok.str.len_chars() >= SHORT) & ~tok.str.contains(r"\d"))
    generic_words = pl.Series(sorted(generic)).implode()
    stems = words.lazy().select("_g", _lt=tok, _st=stem(tok), _gen=tok.is_in(generic_words))
    return stems.collect()  # lazily: ``stem`` repeats its parts, which only a plan shares


def stem_links(query: pl.DataFrame, listed: pl.DataFrame, generic: frozenset[str]) -> pl.DataFrame:
    """(_v, _g, _r): query words (``query``: _v, tok) and listed words (``word_stems``) of one
    ``stem`` where either is a business word, at ``PLURAL`` as ``align.word_score`` meets them:
    ``trading`` ~ ``trade``, ``banking`` ~ ``bank``, further apart than a typo. Only query
    words that may meet one are stemmed: business words, and words that begin as the stem of a
    listed business word does (a stem begins its word, but for ``-ies`` -> ``-y``)."""
    tok = pl.col("tok")
    heads = {s[:-1] if s.endswith("y") else s for s in listed.filter("_gen").get_column("_st")}
    may = tok.is_in(pl.Series(sorted(generic), dtype=pl.String).implode())
    if heads:
        may = may | tok.str.contains("^(?:" + "|".join(map(re.escape, sorted(heads))) + ")")
    q = word_stems(query.filter(may).select("tok", _g="_v"), generic)
    pairs = q.join(listed, on="_st", suffix="_l").filter(
        (pl.col("_lt") != pl.col("_lt_l")) & (pl.col("_gen") | pl.col("_gen_l"))
    )
    return pairs.select(_v="_g", _g=pl.col("_g_l").cast(pl.Int32), _r=pl.lit(int(PLURAL), pl.UInt8))


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


def _depths(lengths: np.ndarray, max_deletes: int) -> np.ndarray:
    """Letters deleted at most from words of ``lengths``: 1; 2 from LONG, from ENTRY_LONG on
    the entry side (``max_deletes`` 3); 3 from LONGER; 1 past LONGEST, where three would make
    some n**3/6 variants; never more than ``max_deletes`` or the word's length."""
    long = ENTRY_LONG if max_deletes >= 3 else LONG
    inside = lengths <= LONGEST
    depth = 1 + ((lengths >= long) & inside) + ((lengths >= LONGER) & inside)
    out: np.ndarray = np.minimum(np.minimum(depth, max_deletes), lengths)
    return out


def _spellings(
    words: pl.Series, max_deletes: int, singulars: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(code points, offsets, depths, word index, weights) of ``words`` and, with
    ``singulars``, of each plural's singular as it is, as ``typo_kernel`` takes them."""
    from screener.match.typo_kernel import with_singulars  # numba compiles on first use

    buf, off = code_points(words)
    ids = np.arange(len(words), dtype=np.int64)
    if singulars:  # ``metals`` less one letter is already ``metal``; ``boxes`` is not
        buf, off, ids = with_singulars(buf, off, max_deletes == 0)
    lengths = np.diff(off)
    depth = _depths(lengths, max_deletes)
    depth[len(words) :] = 0  # a singular as it is
    return buf, off, depth, ids, _weights(int(lengths.max(initial=0)))


def _variants(
    words: pl.Series, max_deletes: int, singulars: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """(word index, hash) of each variant of ``words`` (``typo_kernel.variant_hashes``), and
    with ``singulars`` of each plural's singular as it is (``deletion_variants``)."""
    from screener.match.typo_kernel import variant_hashes  # numba compiles on first use

    return variant_hashes(*_spellings(words, max_deletes, singulars), _LENGTH)


def hash_strings(words: Sequence[str] | pl.Series) -> np.ndarray:
    """The variant hash of each of ``words`` as it is (UInt64, stable across processes)."""
    return _variants(pl.Series(words, dtype=pl.String), 0, singulars=False)[1]


def deletion_variants(tokens: pl.DataFrame, idx: str, max_deletes: int = 2) -> pl.DataFrame:
    """(``idx``, _h): hashed deletion variants of each ``tok`` (one per ``idx``), the word itself
    and its singular included; each once, but for spellings reached by deleting unlike letters
    (``abab`` less two: ``ab`` thrice). ``max_deletes`` caps ``d`` (joined word pairs: 1)."""
    at, hashes = _variants(tokens.get_column("tok"), max_deletes)
    return pl.DataFrame({idx: tokens.get_column(idx).gather(at), "_h": hashes})


class VariantTable(NamedTuple):
    """Listed variants as ``typo_links`` looks them up: hashes sorted, the id (``_g``) of each
    one's word, and a directory on the hashes' top bits (``typo_kernel.directory``)."""

    hashes: np.ndarray
    ids: np.ndarray
    directory: np.ndarray


def variant_table(variants: pl.DataFrame) -> VariantTable:
    """The ``VariantTable`` of ``variants`` (_g, _h: sorted by ``_h``, as ``Blocker.build``
    keeps them)."""
    from screener.match.typo_kernel import directory, directory_bits  # numba compiles on use

    hashes = variants.get_column("_h").to_numpy()
    if hashes.size >= 2**31:
        raise ValueError(f"{hashes.size:,} listed variants: the directory holds under 2**31")
    ids = variants.get_column("_g").to_numpy().astype(np.int64)
    return VariantTable(hashes, ids, directory(hashes, directory_bits(hashes.size)))


_LINKS = {"_v": pl.Int32, "_g": pl.Int32, "_r": pl.UInt8}  # the links a query token holds


class Tokens(NamedTuple):
    """Listed tokens as the look-ups read them, laid out once per index (``tokens``)."""

    buf: np.ndarray  # code points end to end (``code_points``)
    off: np.ndarray
    ids: np.ndarray  # int64 _g of each token
    position: np.ndarray  # int64 by _g: the token's place, -1 for a _g not among them
    have: np.ndarray  # have[m + 1]: the tokens of m letters or fewer
    spelt: VariantTable  # each token's own hash, sorted; ``ids`` its position; directory


def tokens(frame: pl.DataFrame) -> Tokens:
    """The ``Tokens`` of ``frame`` (_g, tok)."""
    from screener.match.typo_kernel import directory, directory_bits  # numba compiles on use

    frame = frame.select("_g", "tok")
    buf, off = code_points(frame.get_column("tok"))
    lengths = np.diff(off)
    have = np.zeros(int(lengths.max(initial=0)) + 2, np.int64)
    np.cumsum(np.bincount(lengths, minlength=have.size - 1), out=have[1:])
    own = hash_strings(frame.get_column("tok"))
    order = np.argsort(own, kind="stable")
    hashes = own[order]
    spelt = VariantTable(hashes, order, directory(hashes, directory_bits(hashes.size)))
    ids = frame.get_column("_g").to_numpy().astype(np.int64)
    position = np.full(int(ids.max(initial=-1)) + 1, -1, np.int64)
    position[ids] = np.arange(ids.size)
    return Tokens(buf, off, ids, position, have, spelt)


def affix_links(query: pl.DataFrame, listed: Tokens, floor: float) -> pl.DataFrame:
    """(_v, _g, _r): a listed token that a query word (``query``: _v, tok) begins or ends with
    (``junschneider`` / ``schneider``, ``fontrourgounsun`` / ``fontrourgoun``), at
    ``fuzz.ratio`` >= ``floor``: extra letters glued to a word are more deletions than
    ``typo_links`` tries. Heads and tails are hashed and looked up compiled
    (``affix_kernel``)."""
    from screener.match.affix_kernel import affix_pairs  # numba compiles on first use
    from screener.match.typo_kernel import distinct_pairs, ratios

    q = query.select("_v", "tok")
    if q.is_empty() or listed.ids.size == 0:
        return pl.DataFrame(schema=_LINKS)
    q_words, l_words = code_points(q.get_column("tok")), (listed.buf, listed.off)
    weights = _weights(max(1, int(np.diff(q_words[1]).max(initial=0))))
    qi, pos = affix_pairs(q_words, l_words, listed.spelt, weights, _LENGTH, AFFIX_MIN)
    qi, pos = distinct_pairs(qi, pos, q.height, listed.ids.size)
    r = ratios(*q_words, *l_words, qi, pos, float(floor))
    kept = r > 0
    return pl.DataFrame(
        {
            "_v": q.get_column("_v").gather(qi[kept]).cast(pl.Int32),
            "_g": pl.Series(listed.ids[pos[kept]], dtype=pl.Int32),
            "_r": pl.Series(r[kept], dtype=pl.UInt8),
        }
    )


def skeletons(tokens: pl.DataFrame, idx: str) -> pl.DataFrame:
    """(``idx``, _h, _n, _k, _poor): for each ``tok`` of four letters or more of ``a``-``z``,
    the hash of its consonant skeleton (``align.skeleton``), its length, the skeleton's length
    and whether it is vowel-poor as ``align`` counts it (``a e i o u y w`` a quarter of its
    letters or fewer); compiled (``skeleton_kernel``)."""
    from screener.match.skeleton_kernel import skeleton_keys, sounds

    buf, off = code_points(tokens.get_column("tok"))
    ok, poor, keys, sizes = skeleton_keys(buf, off, sounds())
    found = tokens.select(
        idx,
        _h=pl.Series(keys, dtype=pl.UInt64),
        _n=pl.Series(np.diff(off), dtype=pl.Int64),
        _k=pl.Series(sizes, dtype=pl.Int64),
        _poor=pl.Series(poor, dtype=pl.Boolean),
    )
    return found.filter(pl.Series(ok, dtype=pl.Boolean))


def skeleton_links(query: pl.DataFrame, listed_skeletons: pl.DataFrame) -> pl.DataFrame:
    """(_v, _g, _r): vowel-poor words (from Arabic or Hebrew) and the longer words with their
    consonants (``sdam`` ~ ``saddam``) at ``ABJAD``, as ``align.same_skeleton`` meets them:
    the shorter vowel-poor, of another length, three consonants or more, the same skeleton;
    ``query``: _v, tok; ``listed_skeletons``: ``skeletons`` of the listed words (_g)."""
    shorter_poor = (
        pl.when(pl.col("_n") < pl.col("_n_l")).then(pl.col("_poor")).otherwise(pl.col("_poor_l"))
    )
    pairs = (
        skeletons(query, "_v")
        .join(listed_skeletons, on="_h", suffix="_l")
        .filter((pl.col("_n") != pl.col("_n_l")) & (pl.col("_k") >= 3) & shorter_poor)
    )
    return pairs.select(
        pl.col("_v").cast(pl.Int32), pl.col("_g").cast(pl.Int32), _r=pl.lit(int(ABJAD), pl.UInt8)
    )


def _reachable(query: pl.DataFrame, listed: Tokens, max_deletes: int) -> pl.DataFrame:
    """The query tokens of a length a listed token's variants can share a variant with: a
    listed token of ``m`` letters has variants of ``m - 2`` to ``m`` (two deletions at most, a
    singular at most two letters shorter), a query token of ``n``, of ``n - max(max_deletes,
    2)`` to ``n``; so some listed token must be ``n - max(max_deletes, 2)`` to ``n + 2``
    letters long."""
    have, top = listed.have, listed.have.size - 1
    n = query.get_column("tok").str.len_chars().to_numpy().astype(np.int64)
    lo = np.clip(n - max(max_deletes, 2), 0, top)
    hi = np.clip(n + 3, 0, top)
    return query.filter(pl.Series(have[hi] > have[lo]))


def typo_links(
    query: pl.DataFrame,
    listed: Tokens,
    variants: VariantTable,
    floor: float,
    max_deletes: int = 3,
) -> pl.DataFrame:
    """(_v, _g, _r): query tokens (``query``: _v, tok, a row per _v) and listed tokens
    (``listed``; its ``variants``) that share a deletion variant and reach ``floor``
    at ``fuzz.ratio`` (``_r``, UInt8); equal tokens are left to an exact join. The look-up and
    the ratios run compiled (``typo_kernel``)."""
    from screener.match.typo_kernel import (  # numba compiles on first use
        distinct_pairs,
        join_pairs,
        packed_variants,
        partition_bits,
        ratios,
    )

    q = _reachable(query.select("_v", "tok"), listed, max_deletes)
    if q.is_empty() or variants.hashes.size == 0 or listed.ids.size == 0:
        return pl.DataFrame(schema=_LINKS)
    mask = np.uint64((1 << max(1, q.height.bit_length())) - 1)
    groups = partition_bits(variants.hashes.size)
    spellings = _spellings(q.get_column("tok"), max_deletes, True)
    packed = packed_variants(*spellings, _LENGTH, int(mask), groups)
    qi, g = join_pairs(packed, mask, *variants)
    ids, position = listed.ids, listed.position
    at = np.full(g.size, -1, np.int64)  # -1: a variant of a token not among the listed
    inside = g < position.size
    at[inside] = position[g[inside]]
    qi, pos = distinct_pairs(qi, at, q.height, ids.size)  # met once per variant shared
    buf, off = spellings[0], spellings[1][: q.height + 1]  # the words, then their singulars
    words = (buf, off, listed.buf, listed.off)
    score = float(floor)
    r = np.concatenate(
        split_runs(qi.size, lambda lo, hi: ratios(*words, qi[lo:hi], pos[lo:hi], score))
    )
    kept = r > 0
    return pl.DataFrame(
        {
            "_v": q.get_column("_v").gather(qi[kept]).cast(pl.Int32),
            "_g": pl.Series(ids[pos[kept]], dtype=pl.Int32),
            "_r": pl.Series(r[kept], dtype=pl.UInt8),
        }
    )


def code_points(words: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """(code points of all ``words`` end to end, offsets: word i is ``[off[i], off[i + 1])``)."""
    offsets = np.zeros(len(words) + 1, np.int64)
    np.cumsum(words.str.len_chars().to_numpy(), out=offsets[1:])
    text = str(words.str.join("").item()).encode("utf-32-le")
    return np.frombuffer(text, np.uint32), offsets
