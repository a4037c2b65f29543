"""Blocking: the pairs align_keys must see are candidates; the index cache round-trips."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from screener.match import align_keys, blocking, normalize_name
from screener.match.blocking import FLOOR, FREQUENT_MIN, MARGIN, Blocker
from screener.match.index_cache import cached_blocker, keys_hash

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from namegen import NameGen, make_queries  # noqa: E402

LISTED = [
    "Ningbo Amberfield Magnet Co., Ltd.",
    "Chideng Xitu Group",
    "Baotou Cedarfield Rare Earth Technology",
    "Vladimir Putin",
    "Fontrourgoun Industrial Technologies",
    "Kestrelmoor Exports",
    "Hangzhou Sunstone Trading",
    "Golden Star Electronics International",
]
PAIRS = [  # (entry name, listed name it must meet, why)
    ("NINGBO AMBERFEILD MAGNET CO LTD", LISTED[0], "typo (transposition)"),
    ("Amberfield Magnet Ningbo Shenzhen Branch", LISTED[0], "word order, extra branch words"),
    ("Ningbo Amber Field Magnet", LISTED[0], "a listed word split"),
    ("ChidengXitu Group Co", LISTED[1], "listed words joined"),
    ("chi deng xitu group", LISTED[1], "a listed word split in syllables"),
    ("Baotou Cedarfeld Rare Earth Tech No. 12 Jiangnan Road", LISTED[2], "typo, address"),
    ("V. Putin", LISTED[3], "an initial"),
    ("Fontrourgoun Industrial Technology Ltd", LISTED[4], "singular of a generic word"),
    ("Kestrelmoore Exports Limited", LISTED[5], "typo, legal form"),
    ("Golden Star Electronics Intl", LISTED[7], "abbreviation"),
    ("GOLDENSTAR ELECTRONICS INTERNATIONAL", LISTED[7], "entry words joined"),
    ("Hangzhou Sunstone Trade Co", LISTED[6], "another form of a business word (stem_links)"),
]
DISTRACTORS = [f"{w} Trading" for w in ("Amber", "Field", "Magnet", "Golden", "Star", "Xitu")]


@pytest.fixture(scope="module")
def listed_keys() -> list[str]:
    return [normalize_name(n) for n in LISTED + DISTRACTORS]


@pytest.fixture(scope="module")
def blocker(listed_keys: list[str]) -> Blocker:
    return Blocker.build(listed_keys)


@pytest.mark.parametrize(("entry", "listed", "why"), PAIRS, ids=[f"{e}~{n}" for e, n, _ in PAIRS])
def test_known_pairs_are_candidates(
    blocker: Blocker, listed_keys: list[str], entry: str, listed: str, why: str
) -> None:
    query = normalize_name(entry)
    k = listed_keys.index(normalize_name(listed))
    assert align_keys(query, listed_keys[k]).score >= 85, f"not a hit any more: {why}"
    found = blocker.candidates([query]).get_column("_k").to_list()
    assert k in found, why


def test_unrelated_names_are_not_candidates(blocker: Blocker) -> None:
    queries = [
        normalize_name(n) for n in ("Qingdao Ocean Shipping", "Maria Garcia", "Kestrelmoor Imports")
    ]
    pairs = blocker.candidates(queries)
    assert pairs.columns == ["_q", "_k"]
    assert pairs.dtypes == [pl.Int64, pl.Int64]
    assert pairs.filter(pl.col("_q") < 2).height == 0


def test_save_load_round_trip(blocker: Blocker, tmp_path: Path) -> None:
    queries = [normalize_name(e) for e, _, _ in PAIRS]
    blocker.save(tmp_path / "index")
    loaded = Blocker.load(tmp_path / "index")
    assert_frame_equal(loaded.candidates(queries), blocker.candidates(queries))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp dir left


def test_cache_reuses_and_rebuilds(
    listed_keys: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries = [normalize_name(e) for e, _, _ in PAIRS]
    expected = Blocker.build(listed_keys).candidates(queries)
    first = cached_blocker(listed_keys, tmp_path)
    directory = tmp_path / keys_hash(listed_keys)
    assert directory.is_dir()
    with monkeypatch.context() as m:  # a second night loads the index, it does not build it
        m.setattr(Blocker, "build", classmethod(lambda cls, keys: pytest.fail("rebuilt")))
        assert_frame_equal(cached_blocker(listed_keys, tmp_path).candidates(queries), expected)
    (directory / "units.parquet").write_bytes(b"not parquet")  # corrupt
    assert_frame_equal(cached_blocker(listed_keys, tmp_path).candidates(queries), expected)
    (directory / "sig.parquet").unlink()  # partial
    assert_frame_equal(cached_blocker(listed_keys, tmp_path).candidates(queries), expected)
    assert_frame_equal(first.candidates(queries), expected)
    assert keys_hash(listed_keys[:-1]) != keys_hash(listed_keys)  # a new list version, a new index


def test_cache_dir_from_environment(
    listed_keys: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCREENER_CACHE", str(tmp_path))
    cached_blocker(listed_keys[:3])
    assert (tmp_path / "index" / keys_hash(listed_keys[:3])).is_dir()


def test_recall_against_exhaustive_align_keys() -> None:
    """Every listed key scored by align_keys for each query: blocking finds >= 99% of hits."""
    gen = NameGen(5, pool=150)
    listed = gen.names(300)
    keys = sorted({normalize_name(n) for n in listed} - {""})
    queries = sorted(
        {normalize_name(n) for n in make_queries(listed, gen.pool, 150, seed=5, matched=0.4)} - {""}
    )
    hits = {
        (q, k)
        for q, qk in enumerate(queries)
        for k, kk in enumerate(keys)
        if align_keys(qk, kk).score >= 85
    }
    found = set(Blocker.build(keys).candidates(queries, 85 - MARGIN).iter_rows())
    assert len(hits) >= 40
    assert len(hits & found) / len(hits) >= 0.99, sorted(hits - found)


def test_names_of_frequent_words_are_met() -> None:
    """Words held by many names (past the rare-unit cap) still meet: a name of frequent words
    only, and a rare word's name whose other words are frequent (a typo on the rare one)."""
    fillers = [f"{a}{b}ton" for a in "bcdfgklmnp" for b in "aeiou"][:40]
    listed = [f"{w} trading international" for w in fillers] + [
        "trading international",
        "kestrelmoor trading international",
    ]
    keys = [normalize_name(n) for n in listed]
    blocker = Blocker.build(keys)
    most = blocker.units.group_by("_u").len().get_column("len").max()
    assert isinstance(most, int) and most > FREQUENT_MIN  # a frequent word: met by signature
    queries = [normalize_name(q) for q in ("International Trading", "Kestrelmor Trading Intl")]
    found = set(blocker.candidates(queries).iter_rows())
    for q, k in ((0, len(keys) - 2), (1, len(keys) - 1)):
        assert align_keys(queries[q], keys[k]).score >= 85
        assert (q, k) in found


def test_min_score_below_the_floor_needs_its_own_index(listed_keys: list[str]) -> None:
    """An index answers for ``min_score`` >= its floor; a lower review threshold builds one."""
    query = [normalize_name("Kestrelmoor Imports")]
    k = listed_keys.index(normalize_name("Kestrelmoor Exports"))
    score = align_keys(query[0], listed_keys[k]).score
    assert 60 <= score < FLOOR  # a different word costs the pair its hit at the default floor
    with pytest.raises(ValueError, match="below this index's floor"):
        Blocker.build(listed_keys).candidates(query, score - MARGIN)
    low = Blocker.build(listed_keys, floor=score - MARGIN)
    assert k in low.candidates(query, score - MARGIN).get_column("_k").to_list()
    assert k not in Blocker.build(listed_keys).candidates(query).get_column("_k").to_list()


def test_the_bound_tightens_with_the_review_threshold(listed_keys: list[str]) -> None:
    """A typo costs a pair part of its score: it stays a candidate at a low threshold and is
    cut at a high one, where align_keys cannot reach it either."""
    query = [normalize_name("Kestrelmoxx Exports Trading")]
    k = listed_keys.index(normalize_name("Kestrelmoor Exports"))
    score = align_keys(query[0], listed_keys[k]).score
    blocker = Blocker.build(listed_keys)
    assert k in blocker.candidates(query, score - MARGIN).get_column("_k").to_list()
    assert k not in blocker.candidates(query, score + MARGIN + 5).get_column("_k").to_list()


def test_space_free_keys_a_typo_apart_are_candidates(
    blocker: Blocker, listed_keys: list[str]
) -> None:
    """Words split anywhere plus a typo: no word meets, the space-free keys do (compact)."""
    query = [normalize_name("Gol denst Ar Electronlcs International")]
    k = listed_keys.index(normalize_name(LISTED[7]))
    alignment = align_keys(query[0], listed_keys[k])
    assert alignment.compact and alignment.score >= 95
    assert k in blocker.candidates(query, 85 - MARGIN).get_column("_k").to_list()
    without = dataclasses.replace(blocker, compact=blocker.compact.clear())
    assert k not in without.candidates(query, 85 - MARGIN).get_column("_k").to_list()


def test_word_links_held_or_found_give_the_same_candidates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A list past ``WORD_LINKS_MAX`` words keeps no links between its words; the entry words
    spelt as listed ones find theirs at query time, and meet the same names."""
    gen = NameGen(9, pool=400)
    listed = gen.names(800)
    keys = sorted({normalize_name(n) for n in listed} - {""})
    queries = sorted(
        {normalize_name(n) for n in make_queries(listed, gen.pool, 600, seed=9, matched=0.5)} - {""}
    )
    held = Blocker.build(keys)
    monkeypatch.setattr(blocking, "WORD_LINKS_MAX", 10)
    found = Blocker.build(keys)
    assert held.has_word_links and held.word_links.height > 0
    assert not found.has_word_links and found.word_links.is_empty()
    expected = held.candidates(queries, 83)
    assert expected.height > 100
    assert_frame_equal(found.candidates(queries, 83), expected)
