"""Typo-tolerant word links by deletion neighbourhoods (SymSpell's idea), as polars joins.

Two words whose spellings differ by a typo share a *deletion variant*: a spelling with up to
``d`` letters deleted (``alpha``/``alpja`` share ``alpa``; ``metal``/``metla`` share ``meta``).
Each side is expanded once into hashed variants, ``d`` = 1 below ``LONG`` letters and 2 from it,
plus the word itself and its singular; the two sides are joined on the hash and the pairs that
meet are kept at ``fuzz.ratio`` >= the floor, scored by one ``process.cpdist`` batch call.
The cost grows with the number of words and their lengths, never with words x words, so a
1,000,000-name list costs about what its vocabulary does.

What it misses, by construction: pairs that need more deletions on one side than ``d`` (three
substitutions in a long word; words of very different lengths); ``fuzz.ratio`` of those is near
its floor of 75, where ``align_keys`` gives the word little credit anyway. ``bench_match.py``
measures recall against an exhaustive ``align_keys`` run.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from screener.match.align import ABJAD, same_skeleton, skeleton

LONG = 7  # from this length a word's variants delete up to two letters
LONGER = 9  # an entry word from this length deletes up to three (extra letters typed)
AFFIX_MIN = 4  # shortest listed word looked up as the head or tail of a longer entry word
_V = pl.col("_v")


def singular(word: pl.Expr) -> pl.Expr:
    """A plural's singular (``companies`` -> ``company``, ``boxes`` -> ``box``, ``metals``)."""
    return (
        pl.when(word.str.ends_with("ies"))
        .then(word.str.head(-3) + "y")
        .when(word.str.contains("[sxzh]es$"))
        .then(word.str.head(-2))
        .otherwise(word.str.strip_suffix("s"))
    )


def _drop_one(frame: pl.DataFrame) -> pl.DataFrame:
    """Every spelling of ``_v`` with one letter deleted."""
    n = _V.str.len_chars()
    return (
        frame.with_columns(_i=pl.int_ranges(0, n, dtype=pl.Int32))
        .explode("_i")
        .with_columns(_v=_V.str.slice(0, pl.col("_i")) + _V.str.slice(pl.col("_i") + 1))
        .drop("_i")
    )


def deletion_variants(tokens: pl.DataFrame, idx: str, max_deletes: int = 2) -> pl.DataFrame:
    """(``idx``, _h): hashed deletion variants of each ``tok`` (one per ``idx``).

    ``max_deletes`` caps ``d`` (joined word pairs are long; one deletion keeps them cheap)."""
    base = tokens.select(idx, _v=pl.col("tok"), _n=pl.col("tok").str.len_chars())
    parts = [base, base.with_columns(_v=singular(_V))]
    if max_deletes >= 1:
        parts.append(one := _drop_one(base))
    if max_deletes >= 2:
        parts.append(two := _drop_one(one.filter(pl.col("_n") >= LONG)))
        if max_deletes >= 3:  # deleting i then j is deleting j then i: once each
            two = two.filter(pl.col("_n") >= LONGER).unique([idx, "_v"])
            parts.append(_drop_one(two))
    return pl.concat(parts).select(idx, _h=_V.hash())


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
    ``variants``: _g, _h) that share a deletion variant and reach ``floor`` at ``fuzz.ratio``
    (``_r``, UInt8); equal tokens are left to an exact join."""
    q = query.select("tok").unique().with_row_index("_qi")
    qv = deletion_variants(q, "_qi", max_deletes)
    pairs = qv.join(variants, on="_h").select("_qi", "_g").unique()
    pairs = pairs.join(q, on="_qi").join(listed.select("_g", _lt="tok"), on="_g")
    return _verified(pairs.select("tok", "_g", "_lt"), floor)
