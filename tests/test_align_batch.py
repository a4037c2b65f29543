"""The compiled scorer (``align_batch.score_keys``) against ``align_keys``, pair by pair: the
same score to the last bit, on seeded noisy names, the labelled benchmark pairs and generated
keys made of the words that take every branch of the scorer."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from screener.match import align_keys, normalize_name
from screener.match.align_batch import _extras, key_table, round_tenths, score_keys
from screener.match.align_kernel import pair_scores
from screener.match.blocking import Blocker

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from namegen import NameGen, make_queries  # noqa: E402

# generic, place, joining words, stems, numbers and numerals, vowel-poor spellings, initials,
# acronyms, pieces of glued words, patronymics, typos
_SPELT = """
trading trade trades group bank banking metals metal mining mines shipping ship china beijing
and of the 3 8 14th ii iii iv v x i c xx 2024 sdam saddam hsin hussein mhmd muhammad pla peoples
liberation army chi deng chideng xitu chidengxitu a ab co v vladimir putin viktorovich sergey
lavrov alpha alpja alpa nordic nordik exports imports red blue lantern rare earth rareearth
tungsten tungstem international intl
"""
WORDS = _SPELT.split()


def _check(queries: list[str], listed: list[str]) -> int:
    """Every (query, listed) pair scored both ways; the number of pairs."""
    q = np.repeat(np.arange(len(queries)), len(listed))
    k = np.tile(np.arange(len(listed)), len(queries))
    return _check_pairs(queries, listed, q, k)


def _check_pairs(queries: list[str], listed: list[str], q: np.ndarray, k: np.ndarray) -> int:
    got = score_keys(queries, listed, q, k).tolist()
    want = [
        align_keys(queries[a], listed[b]).score for a, b in zip(q.tolist(), k.tolist(), strict=True)
    ]
    wrong = [
        (queries[a], listed[b], g, w)
        for a, b, g, w in zip(q.tolist(), k.tolist(), got, want, strict=True)
        if g != w
    ]
    assert not wrong, wrong[:10]
    return len(got)


def test_seeded_noisy_names_score_as_align_keys() -> None:
    """Blocking's candidates of noisy listed names (typos, split and glued words, legal forms,
    abbreviations) and random pairs: the benchmark's names."""
    gen = NameGen(3, pool=300)
    names = gen.names(600)
    listed = sorted({normalize_name(n) for n in names} - {""})
    noisy = make_queries(names, gen.pool, 900, seed=3, matched=0.5)
    queries = sorted({normalize_name(n) for n in noisy} - {""})
    pairs = Blocker.build(listed, floor=70).candidates(queries, 70)
    assert _check_pairs(queries, listed, pairs["_q"].to_numpy(), pairs["_k"].to_numpy()) > 500
    rng = np.random.default_rng(3)
    q, k = rng.integers(0, len(queries), 20_000), rng.integers(0, len(listed), 20_000)
    _check_pairs(queries, listed, q, k)


def test_labelled_benchmark_pairs_score_as_align_keys() -> None:
    """Companies, persons and vessels of the labelled benchmark, in every script it holds."""
    cases = pl.read_csv(ROOT / "tests" / "data" / "matching" / "nk_name_bench_cases.csv")
    left = [normalize_name(str(n)) for n in cases.get_column("name1").to_list()]
    right = [normalize_name(str(n)) for n in cases.get_column("name2").to_list()]
    idx = np.arange(len(left))
    assert _check_pairs(left, right, idx, idx) > 800


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5), min_size=1, max_size=6),
    st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5), min_size=1, max_size=6),
)
def test_generated_keys_score_as_align_keys(left: list[list[str]], right: list[list[str]]) -> None:
    _check([" ".join(w) for w in left], [" ".join(w) for w in right])


def test_glued_words_are_scored_compiled_acronyms_and_odd_keys_in_python() -> None:
    queries = ["pla", "chideng xitu", "chi dengxitu", "o brien", "", "müller", "x  y"]
    listed = ["peoples liberation army", "chidengxitu", "chi deng xitu", "obrien", "muller"]
    _check(queries, listed)
    table, vocab = key_table(["chi deng xitu", "chideng xitu", "pla", "peoples liberation army"])
    raw = pair_scores(np.array([0, 1, 2]), np.array([1, 0, 3]), table, vocab, _extras())
    assert raw[0] == align_keys("chi deng xitu", "chideng xitu").score == 100
    assert raw[1] == align_keys("chideng xitu", "chi deng xitu").score == 100
    assert np.isnan(raw[2])  # the acronym: align_keys reweighs it


def test_key_table_lays_out_words_numbers_and_weights() -> None:
    table, vocab = key_table(["sdam trading 3", "x", "alpha ii iii"])
    assert table.ptr.tolist() == [0, 3, 4, 7]
    cut = [vocab.buf[vocab.ptr[v] : vocab.ptr[v + 1]] for v in table.word]
    spelt = [c.tobytes().decode("utf-32-le") for c in cut]
    assert spelt == ["sdam", "trading", "3", "x", "alpha", "ii", "iii"]
    assert table.number.tolist() == [False, False, True, False, False, True, True]
    assert table.weigh.tolist() == [True, True, False, True, True, False, False]
    assert table.weight[:2].tolist() == [4.0, 7 * 0.35]
    assert table.distinctive.tolist() == [True, True, True]
    again, _ = key_table(["sdam trading 3", "x", "alpha ii iii"])
    assert all(np.array_equal(a, b) for a, b in zip(table, again, strict=True))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(0.0, 100.0) | st.integers(0, 2000).map(lambda k: k / 20), min_size=1))
def test_round_tenths_is_python_round(values: list[float]) -> None:
    """Scores round as ``align_keys`` rounds them, ties (``x.x5``) included."""
    got = round_tenths(np.array(values, np.float64)).tolist()
    assert got == [round(v, 1) for v in values]
