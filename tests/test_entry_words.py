"""The entry side of blocking (``entry_words.entry_tokens``, a compiled walk over the keys)
against the polars layout the index builds its listed side with (``blocking._words`` and
``_joined``): the same words, weights, counted words and joined pairs, key by key."""

from __future__ import annotations

from collections import Counter

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screener.match.blocking import Blocker, _frame, _joined, _split, _words
from screener.match.entry_words import entry_tokens
from screener.match.typo_kernel import packed_variants, variant_hashes
from screener.match.typos import _LENGTH, _spellings

# numbers and numerals (opening, inside and closing a name), joining, place and business
# words, repeats, one-letter words, spellings outside ASCII
_POOL = [
    *("3", "14th", "2024", "ii", "iii", "iv", "xiv", "xi", "i", "v", "x", "c", "l", "x1"),
    *("trading", "group", "and", "of", "the", "de", "china", "beijing", "metals", "metal"),
    *("alpha", "alpja", "a", "b", "co", "müller", "straße", "中国", "ooo"),
]


def _reference(keys: list[str]) -> tuple[dict[tuple[int, str], tuple[float, int]], Counter]:
    """Per (key, word): (weight, counted words); and the joined pairs (key, a + b, a, b)."""
    split = _split(_frame(keys, "_q"), "_q")
    words = _words(split, "_q")
    facts = {
        (q, tok): (float(w), int(n))
        for q, tok, w, n in words.select("_q", "tok", "_w", "_np").iter_rows()
    }
    joined = Counter(_joined(split, "_q").select("_q", "tok", "_a", "_b").iter_rows())
    return facts, joined


def _mine(keys: list[str]) -> tuple[dict[tuple[int, str], tuple[float, int]], Counter]:
    e = entry_tokens(keys)
    spelling = e.vocab.get_column("tok").to_list()
    pair = e.vocab.get_column("_qj").to_list()
    word_tok = {}  # each word's spelling, from the tokens of the words themselves
    for q in range(len(keys)):
        for i in range(e.qt_ptr[q], e.qt_ptr[q + 1]):
            if not pair[e.qt_v[i]]:
                assert e.qt_x[i] == e.qt_x2[i]
                word_tok[int(e.qt_x[i])] = (q, spelling[e.qt_v[i]])
    facts = {word_tok[x]: (float(e.xw[x]), int(e.xnp[x])) for x in range(e.xw.size)}
    assert len(facts) == e.xw.size  # each word of a key once
    joined: Counter = Counter()
    for q in range(len(keys)):
        assert all(word_tok[x][0] == q for x in range(e.qx_ptr[q], e.qx_ptr[q + 1]))
        for i in range(e.qt_ptr[q], e.qt_ptr[q + 1]):
            if pair[e.qt_v[i]]:
                a, b = word_tok[int(e.qt_x[i])][1], word_tok[int(e.qt_x2[i])][1]
                assert spelling[e.qt_v[i]] == a + b
                joined[(q, a + b, a, b)] += 1
    return facts, joined


def _same(keys: list[str]) -> None:
    facts, joined = _mine(keys)
    ref_facts, ref_joined = _reference(keys)
    assert facts == ref_facts
    assert joined == ref_joined


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_POOL), min_size=1, max_size=6), min_size=1, max_size=8))
def test_entry_words_equal_the_polars_layout(names: list[list[str]]) -> None:
    _same([" ".join(words) for words in names])


def test_numbers_repeats_and_one_letter_words() -> None:
    keys = ["xi jinping", "fund xi", "ii iii", "alpha alpha trading", "v putin", "3", "x x"]
    _same(keys)
    e = entry_tokens(keys)
    assert e.xlet[e.qx_ptr[4]] == ord("v")  # 'v' of 'v putin' is an initial
    assert e.xw[e.qx_ptr[2]] > 0  # a key of numerals only weighs them
    assert e.xw[e.qx_ptr[1] + 1] == 0  # 'xi' closing 'fund xi' is a number
    assert e.xw[e.qx_ptr[0]] > 0  # 'xi' opening 'xi jinping' is a word
    assert e.xnp[e.qx_ptr[3]] == 2  # 'alpha' twice: one word counted twice


def test_bad_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="line breaks"):
        entry_tokens(["alpha\nbeta"])
    assert Blocker.build(["alpha trading"]).candidates([]).is_empty()


@pytest.mark.parametrize(("groups", "chunk"), [(0, 1 << 16), (3, 8), (9, 100)])
def test_packed_variants_are_the_hashes_grouped_by_their_top_bits(groups: int, chunk: int) -> None:
    """Each variant hash once, its low bits the word's id, in groups of equal top bits; hashed
    a chunk at a time, a word with more variants than the chunk too."""
    words = pl.Series(["metals", "alpha", "kestrel", "tungsten", "ab", "boxes", "zhongguo"] * 30)
    spelt = _spellings(words, 3, True)
    ids, hashes = variant_hashes(*spelt, _LENGTH)
    mask = (1 << 8) - 1
    packed = packed_variants(*spelt, _LENGTH, mask, groups, chunk)
    expected = (hashes & np.uint64(~mask & (2**64 - 1))) | ids.astype(np.uint64)
    assert Counter(packed.tolist()) == Counter(expected.tolist())
    if groups:
        top = packed >> np.uint64(64 - groups)
        assert np.all(np.diff(top.astype(np.int64)) >= 0)
