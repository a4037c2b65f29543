"""The compiled loops (numba) against plain references: ``typo_kernel`` against rapidfuzz and a
brute-force join, ``bound_kernel`` run with numba's bounds checks on."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from rapidfuzz import fuzz, process

from screener.match import normalize_name
from screener.match.blocking import Blocker
from screener.match.typo_kernel import distinct_pairs, join_pairs, ratios
from screener.match.typos import variant_table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from namegen import NameGen, make_queries


def _code_points(words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros(len(words) + 1, np.int64)
    np.cumsum([len(w) for w in words], out=offsets[1:])
    return np.frombuffer("".join(words).encode("utf-32-le"), np.uint32), offsets


def _check_ratios(left: list[str], right: list[str], floor: float) -> None:
    index = np.arange(len(left), dtype=np.int64)
    mine = ratios(*_code_points(left), *_code_points(right), index, index, floor)
    theirs = process.cpdist(left, right, scorer=fuzz.ratio, score_cutoff=floor, dtype=np.uint8)
    theirs[[a == b for a, b in zip(left, right, strict=True)]] = 0  # equal: left to a join
    wrong = np.flatnonzero(mine != theirs)
    assert wrong.size == 0, [(left[i], right[i], mine[i], theirs[i]) for i in wrong[:5]]


def test_ratios_round_as_rapidfuzz_does() -> None:
    """Every (length, length, letters in common) up to 69 letters, past the 64-letter word the
    bit-parallel path takes: the same uint8 as ``process.cpdist``, 0 under the floor."""
    left, right = [], []
    for n1 in range(1, 70, 2):
        for n2 in range(1, 70, 3):
            for common in range(min(n1, n2) + 1):
                left.append("x" * n1)
                right.append("x" * common + "y" * (n2 - common))
    for floor in (0.0, 75.0, 80.0):
        _check_ratios(left, right, floor)


def test_ratios_of_random_and_near_words() -> None:
    rng = random.Random(3)
    alphabet = "abcdeé1ж"  # non-ASCII letters take the dynamic-programming path
    left = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))) for _ in range(3000)]
    right = [
        w[: len(w) // 2] + rng.choice(alphabet) + w[len(w) // 2 + 1 :] if i % 2 else w[::-1]
        for i, w in enumerate(left)
    ]
    for floor in (0.0, 75.0):
        _check_ratios(left, right, floor)


@pytest.mark.parametrize("listed", [2_000, 70_000])
def test_join_pairs_equals_a_brute_force_join(listed: int) -> None:
    """Every (query, listed) pair whose hashes agree outside the mask, once per meeting; with
    70,000 listed variants the query side is grouped by its top bits first."""
    rng = np.random.default_rng(5)
    pool = rng.integers(0, 2**63, 400, dtype=np.int64).astype(np.uint64) << np.uint64(1)
    mask = np.uint64((1 << 10) - 1)
    q_hash = rng.choice(pool, 3000) & ~mask
    l_hash = np.sort(rng.choice(pool, listed) | rng.integers(0, 1024, listed).astype(np.uint64))
    q_id = rng.integers(0, 1000, 3000).astype(np.uint64)
    l_id = rng.integers(0, 500, listed).astype(np.int64)
    table = variant_table(pl.DataFrame({"_g": l_id, "_h": l_hash}))
    qi, g = join_pairs(q_hash | q_id, mask, *table)
    by_hash: dict[int, list[int]] = {}
    for lh, lid in zip((l_hash & ~mask).tolist(), l_id.tolist(), strict=True):
        by_hash.setdefault(lh, []).append(lid)
    expected = Counter(
        (qid, lid)
        for qh, qid in zip(q_hash.tolist(), q_id.tolist(), strict=True)
        for lid in by_hash.get(qh, [])
    )
    assert Counter(zip(qi.tolist(), g.tolist(), strict=True)) == expected
    assert len(expected) > 1000


def test_distinct_pairs_keeps_each_pair_once_grouped_by_query() -> None:
    rng = np.random.default_rng(8)
    qi = rng.integers(0, 300, 20_000).astype(np.int64)
    pos = rng.integers(-1, 200, 20_000).astype(np.int64)  # -1: not one of the listed words
    got_q, got_p = distinct_pairs(qi, pos, 300, 200)
    got = list(zip(got_q.tolist(), got_p.tolist(), strict=True))
    assert len(got) == len(set(got))
    assert set(got) == {(q, p) for q, p in zip(qi.tolist(), pos.tolist(), strict=True) if p >= 0}
    assert got_q.tolist() == sorted(got_q.tolist())


_BOUNDED = """
import json, sys
from screener.match.blocking import Blocker
keys, queries = json.loads(sys.stdin.read())
pairs = Blocker.build(keys).candidates(queries, 83.0)
print(json.dumps(sorted(pairs.iter_rows())))
"""


def test_bound_stays_in_bounds(tmp_path: Path) -> None:
    """The compiled loops, rebuilt with numba's bounds checks, raise nothing and give the pairs
    the unchecked build gives: entries with initials, joined words and typos included."""
    gen = NameGen(9, pool=120)
    listed = gen.names(250)
    keys = sorted({normalize_name(n) for n in listed} - {""})
    noisy = make_queries(listed, gen.pool, 120, seed=9, matched=0.5)
    queries = sorted({normalize_name(n) for n in noisy} | {"v " + keys[0].split()[-1]} - {""})
    env = os.environ | {"NUMBA_BOUNDSCHECK": "1", "NUMBA_CACHE_DIR": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-c", _BOUNDED],
        input=json.dumps([keys, queries]),
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    checked = [tuple(p) for p in json.loads(run.stdout)]
    unchecked = sorted(Blocker.build(keys).candidates(queries, 83.0).iter_rows())
    assert checked == unchecked
    assert len(unchecked) > 30


def _pools_then_sum(n: int) -> tuple[int, int]:
    from screener.match.threads import _POOLS, split_runs

    before = len(_POOLS)
    return before, sum(split_runs(n, lambda lo, hi: sum(range(lo, hi))))


def test_loop_threads_start_anew_in_a_forked_child() -> None:
    """The loop threads live for the process; a child forked after they started starts its
    own instead of counting on threads it does not have."""
    import multiprocessing

    assert _pools_then_sum(1000)[1] == sum(range(1000))  # the parent's pool is up
    with multiprocessing.get_context("fork").Pool(1) as children:
        child = children.apply_async(_pools_then_sum, (1000,)).get(timeout=60)
    assert child == (0, sum(range(1000)))
