"""Deletion variants: the numpy hashing spells exactly the variants a brute force does."""

from __future__ import annotations

import re
import subprocess
import sys
from itertools import combinations

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from screener.match.align import skeleton, stem
from screener.match.typos import (
    ENTRY_LONG,
    LONG,
    LONGER,
    LONGEST,
    deletion_variants,
    hash_strings,
    skeletons,
)
from screener.match.typos import stem as stem_expr

WORDS = [
    "alpha",
    "müller",
    "straße",
    "çağlayan",
    "北京市",
    "a",
    "ab",
    "abc",
    "x7",
    "2024",
    "r2d2c3po",
    "aabbcc",
    "aaaaaaaaa",
    "abababab",
    "mississippi",
    "companies",
    "boxes",
    "metals",
    "churches",
    "ss",
    "s",
    "internationals",
    "konstantinopel",
    "electronicsabc",
    "x" * 20 + "abcdefghijklmnopqrstu",  # LONGEST + 1 letters: one deletion
    "abcdefghij" * 4,  # LONGEST letters: three
]


def _singular(word: str) -> str:
    """``typos.singular`` in Python."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if re.search("[sxzh]es$", word):
        return word[:-2]
    return word.removesuffix("s")


def _brute(word: str, max_deletes: int) -> set[str]:
    """Every spelling of ``word`` with up to its depth of letters deleted, itself, its singular."""
    n, long = len(word), ENTRY_LONG if max_deletes >= 3 else LONG
    depth = min(max_deletes, 1 + (long <= n <= LONGEST) + (LONGER <= n <= LONGEST))
    out = {word, _singular(word)}
    for d in range(1, depth + 1):
        for gone in combinations(range(len(word)), d):
            out.add("".join(c for i, c in enumerate(word) if i not in gone))
    return out


def _variant_hashes(words: list[str], max_deletes: int) -> dict[str, set[int]]:
    """The hashes ``deletion_variants`` gives each word."""
    tokens = pl.DataFrame({"tok": words}).with_row_index("_i")
    rows = deletion_variants(tokens, "_i", max_deletes).group_by("_i").agg("_h")
    return {words[i]: set(h) for i, h in rows.iter_rows()}


def _brute_hashes(word: str, max_deletes: int) -> set[int]:
    return {int(h) for h in hash_strings(sorted(_brute(word, max_deletes)))}


def test_variants_match_brute_force() -> None:
    for max_deletes in range(4):
        got = _variant_hashes(WORDS, max_deletes)
        for word in WORDS:
            assert got[word] == _brute_hashes(word, max_deletes), (word, max_deletes)


def test_no_duplicates_for_runs_of_a_letter() -> None:
    frame = deletion_variants(pl.DataFrame({"tok": ["aaaaaaaaa", "aabbcc"], "_i": [0, 1]}), "_i", 3)
    assert frame.height == frame.unique().height
    assert frame.filter(pl.col("_i") == 0).height == 4  # 9, 8, 7, 6 letters


def test_output_columns_keep_the_index_type() -> None:
    tokens = pl.DataFrame({"tok": ["alpha"], "_g": [7]}, schema={"tok": pl.String, "_g": pl.Int32})
    frame = deletion_variants(tokens, "_g")
    assert frame.schema == pl.Schema({"_g": pl.Int32, "_h": pl.UInt64})
    empty = deletion_variants(tokens.clear(), "_g")
    assert empty.height == 0 and empty.columns == ["_g", "_h"]


def test_distinct_spellings_hash_apart() -> None:
    spellings = sorted(set().union(*(_brute(w, 3) for w in WORDS)) | {"", "a\x00", "\x00"})
    hashes = hash_strings(spellings)
    assert hashes.dtype == np.uint64 and len(set(hashes.tolist())) == len(spellings)


def test_one_typo_apart_share_a_variant() -> None:
    got = _variant_hashes(["alpha", "alpja", "metal", "metla", "kestrel", "walnut"], 2)
    assert got["alpha"] & got["alpja"]
    assert got["metal"] & got["metla"]
    assert not got["alpha"] & got["metal"]
    assert not got["kestrel"] & got["walnut"]


def test_hash_is_stable_across_processes() -> None:
    words = ["alpha", "müller", "北京市", "internationals"]
    code = (
        "from screener.match.typos import hash_strings;"
        f"print(' '.join(str(h) for h in hash_strings({words!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert [int(h) for h in out] == hash_strings(words).tolist()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.text(alphabet="abcsèß1 ", min_size=0, max_size=11), min_size=1, max_size=6),
    st.integers(0, 3),
)
def test_variants_match_brute_force_on_random_words(words: list[str], max_deletes: int) -> None:
    words = list(dict.fromkeys(words))
    got = _variant_hashes(words, max_deletes)
    for word in words:
        assert got[word] == _brute_hashes(word, max_deletes), (word, max_deletes)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="aeiouywkchstpgqvbnrrrr", min_size=4, max_size=14), min_size=1))
def test_skeletons_are_align_skeleton(words: list[str]) -> None:
    """The vectorized skeleton is ``align.skeleton``, sound pairs and runs of any length."""
    frame = skeletons(pl.DataFrame({"tok": words}).with_row_index("_i"), "_i")
    assert frame.get_column("_s").to_list() == [skeleton(w) for w in words]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="eginpst", min_size=0, max_size=12), min_size=1))
def test_stem_expression_is_align_stem(words: list[str]) -> None:
    """The polars stem the blocking links by is the scorer's, on -ing, -es, -ies and doubles."""
    got = pl.DataFrame({"tok": words}).select(stem_expr(pl.col("tok"))).to_series().to_list()
    assert got == [stem(w) for w in words]


def test_stem_joins_the_forms_of_a_business_word() -> None:
    pairs = [("trading", "trade"), ("shipping", "ships"), ("mines", "mining"), ("bank", "banking")]
    assert all(stem(a) == stem(b) for a, b in pairs)
    assert stem("construction") != stem("constructors")
