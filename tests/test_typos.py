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
from rapidfuzz import fuzz

from screener.match.align import same_skeleton, skeleton, stem
from screener.match.skeleton_kernel import skeleton_into, sounds
from screener.match.terms import load_words
from screener.match.typos import (
    AFFIX_MIN,
    ENTRY_LONG,
    LONG,
    LONGER,
    LONGEST,
    affix_links,
    deletion_variants,
    hash_strings,
    skeleton_links,
    skeletons,
    stem_links,
    tokens,
    typo_links,
    variant_table,
    word_stems,
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


_SOUNDING = st.text(alphabet="aeiouywkchstpgqvbnrrrré", min_size=1, max_size=14)


@settings(max_examples=200, deadline=None)
@given(st.lists(_SOUNDING, min_size=1))
def test_skeletons_are_align_skeleton(words: list[str]) -> None:
    """The compiled skeleton is ``align.skeleton``, sound pairs and runs of any length; only
    words of four letters or more of a-z have one, and their hashes agree where the skeletons
    do."""
    for word in words:
        w = np.array([ord(c) for c in word], np.uint32)
        spelt = "".join(map(chr, w[: skeleton_into(w, w.size, sounds())]))
        assert spelt == skeleton(word), word
    frame = skeletons(pl.DataFrame({"tok": words}).with_row_index("_i"), "_i")
    kept = [w for w in words if re.fullmatch("[a-z]{4,}", w)]
    spelt_all = [skeleton(w) for w in kept]
    assert frame.get_column("_k").to_list() == [len(k) for k in spelt_all]
    hashes = frame.get_column("_h").to_list()
    for (a, ha), (b, hb) in combinations(zip(spelt_all, hashes, strict=True), 2):
        assert (a == b) == (ha == hb), (a, b)


@settings(max_examples=150, deadline=None)
@given(st.lists(_SOUNDING, min_size=1, max_size=15), st.lists(_SOUNDING, min_size=1, max_size=15))
def test_skeleton_links_are_same_skeleton(query: list[str], listed: list[str]) -> None:
    """Entry words include the listed ones less their vowels and with vowels doubled, so
    skeletons meet, poor or not."""
    stripped = [re.sub("[aeiouyw]", "", w) for w in listed]
    doubled = [re.sub("([aeiouyw])", r"\1\1", w) + "e" for w in listed]
    q, lst = _frames(query + stripped + doubled, listed)
    got = skeleton_links(q, skeletons(lst, "_g"))
    expected = {
        (a, b, 85)
        for a in q.get_column("tok").to_list()
        for b in lst.get_column("tok").to_list()
        if re.fullmatch("[a-z]+", a + b) and same_skeleton(a, b)
    }
    assert _links(got, q, lst) == expected


def test_a_vowel_poor_spelling_meets_its_word() -> None:
    q, lst = _frames(["sdam", "hsin", "mhmd"], ["saddam", "hussein", "muhammad", "sadam"])
    found = {(a, b) for a, b, _ in _links(skeleton_links(q, skeletons(lst, "_g")), q, lst)}
    assert found == {
        ("sdam", "saddam"),
        ("sdam", "sadam"),
        ("hsin", "hussein"),
        ("mhmd", "muhammad"),
    }


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


def _frames(query: list[str], listed: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    q = pl.DataFrame({"tok": list(dict.fromkeys(query))}).with_row_index("_v")
    lst = pl.DataFrame({"tok": list(dict.fromkeys(listed))}).with_row_index("_g")
    return q.with_columns(pl.col("_v").cast(pl.Int32)), lst.with_columns(
        pl.col("_g").cast(pl.Int32)
    )


def _links(frame: pl.DataFrame, q: pl.DataFrame, lst: pl.DataFrame) -> set[tuple[str, str, int]]:
    qt, lt = q.get_column("tok").to_list(), lst.get_column("tok").to_list()
    return {(qt[v], lt[g], r) for v, g, r in frame.iter_rows()}


def _rounded(a: str, b: str) -> int:
    """``fuzz.ratio`` as ``cpdist`` rounds it into uint8: half up."""
    return int(fuzz.ratio(a, b) + 0.5)


_AFFIX_WORDS = st.text(alphabet="abcdeè", min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(_AFFIX_WORDS, min_size=1, max_size=12), st.lists(_AFFIX_WORDS, min_size=1, max_size=12)
)
def test_affix_links_match_brute_force(query: list[str], listed: list[str]) -> None:
    """Every listed token an entry word begins or ends with (``AFFIX_MIN`` letters or more,
    short of the whole word) at ``fuzz.ratio`` >= 75, each once."""
    q, lst = _frames(query, listed)
    got = affix_links(q, tokens(lst), 75.0)
    assert got.height == got.unique().height
    expected = {
        (a, b, _rounded(a, b))
        for a in q.get_column("tok").to_list()
        for b in lst.get_column("tok").to_list()
        if AFFIX_MIN <= len(b) < len(a)
        and (a.startswith(b) or a.endswith(b))
        and fuzz.ratio(a, b, score_cutoff=75)
    }
    assert _links(got, q, lst) == expected


def test_affix_links_find_glued_words() -> None:
    q, lst = _frames(["junschneider", "schneiderxy", "abc"], ["schneider", "jun", "xyz"])
    assert {(a, b) for a, b, _ in _links(affix_links(q, tokens(lst), 75.0), q, lst)} == {
        ("junschneider", "schneider"),
        ("schneiderxy", "schneider"),
    }


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.text(alphabet="abcs", min_size=1, max_size=14), min_size=1, max_size=10),
    st.lists(st.text(alphabet="abcs", min_size=1, max_size=14), min_size=1, max_size=10),
    st.integers(1, 3),
)
def test_typo_links_are_the_pairs_sharing_a_variant(
    query: list[str], listed: list[str], max_deletes: int
) -> None:
    """Every (entry, listed) pair whose variant sets meet (``_brute``: a listed token deletes
    up to its own depth), at ``fuzz.ratio`` >= 60, equal tokens left out: the query tokens of
    a length no listed token can meet are skipped without losing one."""
    q, lst = _frames(query, listed)
    table = variant_table(deletion_variants(lst, "_g").sort("_h"))
    got = typo_links(q, tokens(lst), table, 60.0, max_deletes)
    expected = {
        (a, b, _rounded(a, b))
        for a in q.get_column("tok").to_list()
        for b in lst.get_column("tok").to_list()
        if a != b and _brute(a, max_deletes) & _brute(b, 2) and fuzz.ratio(a, b, score_cutoff=60)
    }
    assert _links(got, q, lst) == expected


def test_a_singular_two_letters_shorter_is_reachable() -> None:
    """``boxes`` as it is meets ``box`` by its singular: two letters shorter than the entry
    token, past its one deletion."""
    q, lst = _frames(["boxes", "zzzzzzz"], ["box"])
    table = variant_table(deletion_variants(lst, "_g").sort("_h"))
    assert _links(typo_links(q, tokens(lst), table, 60.0, 1), q, lst) == {("boxes", "box", 75)}


_FORMS = st.sampled_from(
    [
        *("trading", "trade", "trades", "traders", "companies", "company", "banking", "bank"),
        *("banks", "shipping", "ships", "ship", "mines", "mining", "metal", "metals", "boxes"),
        *("box", "tradex"),
    ]
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_FORMS, min_size=1, max_size=10), st.lists(_FORMS, min_size=1, max_size=10))
def test_stem_links_are_the_forms_of_one_stem(query: list[str], listed: list[str]) -> None:
    """Every (entry, listed) pair of one ``align.stem``, spelt apart, either a business word:
    the entry words left unstemmed are none of them."""
    generic = load_words().generic
    q, lst = _frames(query, listed)
    got = stem_links(q, word_stems(lst, generic), generic)
    expected = {
        (a, b, 95)
        for a in q.get_column("tok").to_list()
        for b in lst.get_column("tok").to_list()
        if a != b and stem(a) == stem(b) and (a in generic or b in generic)
    }
    assert _links(got, q, lst) == expected
