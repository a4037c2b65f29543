"""Benchmark: name matching with blocking against exhaustive comparison (DESIGN §5).

Scenario: ``--queries`` (100,000) distinct seeded supplier names (``namegen``: 5% are listed
names with entry-line noise, the rest invented from the same vocabulary) against a
``--list-size`` (20,000) name list, then against a ``--big-list`` (1,000,000) name list that
contains it. Measured in one run:

* baseline: ``process.cdist(token_sort_ratio, score_cutoff=85, workers=-1)`` of every query
  key against every listed key (the cheap exhaustive scorer);
* blocking: ``Blocker.candidates`` then each candidate's ``align_keys`` score, all at once as
  ``match_names`` scores them (``align_batch.score_keys``: compiled, the same scores); the time
  ratio;
* recall of blocking against an exhaustive ``align_keys`` run on ``--recall-sample`` (10,000)
  random queries: hits are pairs scoring at least the review threshold (85), candidates those
  of ``Blocker.candidates`` at 85 - ``MARGIN``, as ``match_names`` asks for them. Pairs that
  cannot reach it are skipped by construction, every other pair is scored: a hit needs
  ``REF_SHARE`` of the listed name held by entry words or joined pairs at ``fuzz.ratio`` >=
  ``REF_FLOOR`` or of one ``stem`` (weighing generic, place words and patronymics anywhere in
  ``REF_MINOR``) or space-free keys at ``REF_COMPACT`` (``align_keys``: 0.7 at the least, 75,
  0.35 and 95); the pairs are scored by ``score_keys`` too;
* the big list, in a child process (its own peak RSS): index build and save
  (``cached_blocker``), then load from the cache and match the same queries.

Prints a table; ``--json`` adds one JSON line at the end.

    python benchmarks/bench_match.py [--json] [--queries N] [--list-size N] [--big-list N]
        [--recall-sample N] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from memory import peak_rss_mb  # noqa: E402
from namegen import NameGen, make_queries  # noqa: E402

from screener.match.align import PATRONYMIC_PATTERN, stem  # noqa: E402
from screener.match.align_batch import score_keys  # noqa: E402
from screener.match.blocking import MARGIN, Blocker  # noqa: E402
from screener.match.index_cache import cached_blocker  # noqa: E402
from screener.match.names import normalize_name  # noqa: E402
from screener.match.terms import load_words  # noqa: E402

REVIEW = 85.0
CHUNK = 2_000
REF_FLOOR, REF_COMPACT, REF_SHARE, REF_MINOR = 70, 90, 0.65, (0.25, 0.5)  # align_keys: 75, 95,


def _normalize(names: list[str]) -> list[str]:
    return [normalize_name(n) for n in names]


def distinct_keys(names: list[str], workers: int = 2) -> list[str]:
    """Sorted distinct non-empty keys of ``names`` (normalized on ``workers`` processes)."""
    if len(names) < 50_000:
        return sorted(set(_normalize(names)) - {""})
    parts = [names[i : i + 50_000] for i in range(0, len(names), 50_000)]
    with Pool(workers) as pool:
        return sorted({k for part in pool.map(_normalize, parts) for k in part} - {""})


def rss_mb() -> int:
    return peak_rss_mb()


def exhaustive(queries: list[str], keys: list[str]) -> tuple[float, int]:
    """Seconds and pairs at ``REVIEW`` of cdist(token_sort_ratio) over every pair."""
    t0, found = time.perf_counter(), 0
    for s in range(0, len(queries), CHUNK):
        m = process.cdist(
            queries[s : s + CHUNK], keys, scorer=fuzz.token_sort_ratio,
            score_cutoff=REVIEW, dtype=np.uint8, workers=-1,
        )  # fmt: skip
        found += int(np.count_nonzero(m))
    return time.perf_counter() - t0, found


def warm_up(blocker: Blocker, queries: list[str], keys: list[str]) -> float:
    """Seconds of a first call on 200 queries: numba loads each compiled loop's cached machine
    code on its first call in a process (compiles it on the first run after an install) and the
    threads the process keeps start, once per nightly run, so it is timed apart from the
    matching."""
    t0 = time.perf_counter()
    pairs = blocker.candidates(queries[:200], REVIEW - MARGIN)
    score_keys(queries, keys, pairs.get_column("_q"), pairs.get_column("_k"))
    return round(time.perf_counter() - t0, 2)


def block_and_score(blocker: Blocker, queries: list[str], keys: list[str]) -> dict[str, float]:
    warm_s = warm_up(blocker, queries, keys)
    t0 = time.perf_counter()
    pairs = blocker.candidates(queries, REVIEW - MARGIN)
    t1 = time.perf_counter()
    scores = score_keys(queries, keys, pairs.get_column("_q"), pairs.get_column("_k")).tolist()
    t2 = time.perf_counter()
    return {
        "warm_up_s": warm_s,
        "blocking_s": round(t1 - t0, 2),
        "scoring_s": round(t2 - t1, 2),
        "total_s": round(t2 - t0, 2),
        "candidates": pairs.height,
        "hits": sum(s >= REVIEW for s in scores),
    }


def _tokens(keys: list[str], idx: str) -> pl.DataFrame:
    """(idx, tok, _a, _b): every word (``_b`` null) and joined neighbour pair of each key."""
    words = (
        pl.DataFrame({"key": keys})
        .with_row_index(idx)
        .select(pl.col(idx).cast(pl.Int64), tok=pl.col("key").str.split(" "))
        .explode("tok")
        .with_columns(_b=pl.col("tok").shift(-1).over(idx), _a=pl.col("tok"))
    )
    joined = words.filter(pl.col("_b").is_not_null()).with_columns(tok=pl.col("tok") + pl.col("_b"))
    return pl.concat([words.with_columns(_b=pl.lit(None, pl.String)), joined]).unique()


def reference_pairs(queries: list[str], keys: list[str]) -> pl.DataFrame:
    """(_q, _k): every pair that can score above 0 under the loose bounds of the docstring."""
    listed = _tokens(keys, "_k")
    classes = load_words()
    minor = pl.Series(sorted(classes.generic | classes.places | classes.stopwords)).implode()
    lw = listed.filter(pl.col("_b").is_null()).group_by("_k", "tok").agg(_n=pl.len())
    is_minor = pl.col("tok").is_in(minor) | pl.col("tok").str.contains(PATRONYMIC_PATTERN)
    n = pl.col("tok").str.len_chars() * pl.col("_n")
    lw = lw.with_columns(
        _lo=n * pl.when(is_minor).then(REF_MINOR[0]).otherwise(1),
        _hi=n * pl.when(is_minor).then(REF_MINOR[1]).otherwise(1),
    )
    tot = lw.group_by("_k").agg(_tlo=pl.col("_lo").sum(), _thi=pl.col("_hi").sum())
    lv = listed.get_column("tok").unique().to_list()
    qt = _tokens(queries, "_q")
    qv = qt.get_column("tok").unique().to_list()
    links = []
    for s in range(0, len(qv), 500):
        m = process.cdist(
            qv[s : s + 500],
            lv,
            scorer=fuzz.ratio,
            score_cutoff=REF_FLOOR,
            dtype=np.uint8,
            workers=-1,
        )
        qi, li = np.nonzero(m)
        links.append(pl.DataFrame({"tok": [qv[s + i] for i in qi], "_l": [lv[i] for i in li]}))
    stems = pl.DataFrame({"_l": lv, "_st": [stem(t) for t in lv]})  # trading ~ trade
    links.append(pl.DataFrame({"tok": qv, "_st": [stem(t) for t in qv]}).join(stems, on="_st"))
    links = [link.select("tok", "_l") for link in links]
    held = qt.select("_q", "tok").join(pl.concat(links), on="tok").select("_q", tok="_l").unique()
    covered = held.join(listed, on="tok").select("_q", "_k", w=pl.concat_list("_a", "_b"))
    covered = covered.explode("w").drop_nulls().unique().rename({"w": "tok"})
    enough = (pl.col("_lo") >= REF_SHARE * pl.col("_tlo")) | (
        pl.col("_hi") >= REF_SHARE * pl.col("_thi")
    )
    share = (
        covered.join(lw, on=["_k", "tok"])
        .group_by("_q", "_k")
        .agg(pl.col("_lo", "_hi").sum())
        .join(tot, on="_k")
        .filter(enough)
    )
    flat_q, flat_k = [q.replace(" ", "") for q in queries], [k.replace(" ", "") for k in keys]
    compact = []
    for s in range(0, len(queries), CHUNK):
        m = process.cdist(
            flat_q[s : s + CHUNK],
            flat_k,
            scorer=fuzz.ratio,
            score_cutoff=REF_COMPACT,
            dtype=np.uint8,
            workers=-1,
        )
        qi, ki = np.nonzero(m)
        compact.append(pl.DataFrame({"_q": qi.astype(np.int64) + s, "_k": ki.astype(np.int64)}))
    return pl.concat([share.select("_q", "_k"), *compact]).unique()


def recall(
    blocker: Blocker, queries: list[str], keys: list[str], n: int, seed: int
) -> dict[str, float]:
    """Share of the exhaustive ``align_keys`` hits of ``n`` random queries that blocking finds."""
    sample = sorted(random.Random(seed).sample(range(len(queries)), min(n, len(queries))))
    sq = [queries[i] for i in sample]
    t0 = time.perf_counter()
    ref = reference_pairs(sq, keys)
    scores = score_keys(sq, keys, ref.get_column("_q"), ref.get_column("_k"))
    hits = ref.filter(pl.Series(scores) >= REVIEW)
    found = hits.join(blocker.candidates(sq, REVIEW - MARGIN), on=["_q", "_k"], how="semi").height
    return {
        "sample": len(sq),
        "scored_pairs": ref.height,
        "hits": hits.height,
        "found": found,
        "recall": round(found / hits.height, 4) if hits.height else 1.0,
        "seconds": round(time.perf_counter() - t0, 1),
    }


def _child_big(work: Path) -> dict[str, object]:
    queries = pl.read_parquet(work / "queries.parquet").get_column("key").to_list()
    keys = pl.read_parquet(work / "big.parquet").get_column("key").to_list()
    cache = work / "cache"
    t0 = time.perf_counter()
    cached_blocker(keys, cache)  # build and save
    build_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    blocker = cached_blocker(keys, cache)  # the cached index, as the next night loads it
    load_s = time.perf_counter() - t1
    result = block_and_score(blocker, queries, keys)
    return {"keys": len(keys), "build_s": round(build_s, 1), "load_s": round(load_s, 2), **result}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--queries", type=int, default=100_000)
    parser.add_argument("--list-size", type=int, default=20_000)
    parser.add_argument("--big-list", type=int, default=1_000_000)
    parser.add_argument("--recall-sample", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", type=Path, default=None)
    args = parser.parse_args()
    if args.child:
        print(json.dumps({**_child_big(args.child), "peak_rss_mb": rss_mb()}))
        return

    t0 = time.perf_counter()
    gen = NameGen(args.seed, pool=max(1_000, args.list_size // 2))
    listed = gen.names(args.list_size)
    keys = distinct_keys(listed)
    queries = distinct_keys(make_queries(listed, gen.pool, args.queries, seed=args.seed))
    gen_s = time.perf_counter() - t0
    base_s, base_n = exhaustive(queries, keys)
    t1 = time.perf_counter()
    blocker = Blocker.build(keys)
    build_s = time.perf_counter() - t1
    small = block_and_score(blocker, queries, keys)
    rec = recall(blocker, queries, keys, args.recall_sample, args.seed)
    report: dict[str, object] = {
        "queries": len(queries),
        "list_keys": len(keys),
        "generate_s": round(gen_s, 1),
        "exhaustive": {"scorer": "token_sort_ratio", "seconds": round(base_s, 3), "found": base_n},
        "blocked": {"build_s": round(build_s, 2), **small},
        "speedup": round(base_s / max(small["total_s"], 1e-9), 1),
        "recall": rec,
        "peak_rss_mb": rss_mb(),
    }
    if args.big_list:
        with tempfile.TemporaryDirectory(prefix="screener-bench-match-") as tmp:
            work = Path(tmp)
            extra = NameGen(args.seed + 100, pool=args.big_list // 2).names(
                args.big_list - len(listed)
            )
            t2 = time.perf_counter()
            big = sorted(set(keys) | set(distinct_keys(extra)))
            report["big_normalize_s"] = round(time.perf_counter() - t2, 1)
            pl.DataFrame({"key": queries}).write_parquet(work / "queries.parquet")
            pl.DataFrame({"key": big}).write_parquet(work / "big.parquet")
            proc = subprocess.run(
                [sys.executable, __file__, "--child", str(work)],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                raise SystemExit(f"big-list child failed:\n{proc.stderr}")
            report["big"] = json.loads(proc.stdout.strip().splitlines()[-1])
    _print(report)
    if args.json:
        print(json.dumps(report))


def _print(r: dict[str, object]) -> None:
    ex, bl, rc = r["exhaustive"], r["blocked"], r["recall"]
    assert isinstance(ex, dict) and isinstance(bl, dict) and isinstance(rc, dict)
    print(f"{r['queries']:,} distinct query keys vs {r['list_keys']:,} listed keys")
    print(f"{'run':<34}{'seconds':>9}{'candidates':>12}{'hits':>8}")
    print(f"{'exhaustive cdist token_sort_ratio':<34}{ex['seconds']:>9}{'':>12}{ex['found']:>8}")
    print(f"{'index build':<34}{bl['build_s']:>9}")
    print(f"{'first call (compiled code loads)':<34}{bl['warm_up_s']:>9}")
    print(f"{'blocking':<34}{bl['blocking_s']:>9}{bl['candidates']:>12}")
    print(f"{'scoring score_keys':<34}{bl['scoring_s']:>9}{'':>12}{bl['hits']:>8}")
    print(f"{'blocking + scoring':<34}{bl['total_s']:>9}   speedup {r['speedup']}x")
    print(
        f"recall vs exhaustive align_keys: {rc['found']}/{rc['hits']} = {rc['recall']} "
        f"({rc['sample']} queries, {rc['scored_pairs']:,} pairs scored, {rc['seconds']} s)"
    )
    print(f"peak RSS {r['peak_rss_mb']} MB")
    big = r.get("big")
    if isinstance(big, dict):
        print(f"big list {big['keys']:,} keys, index build + save {big['build_s']} s")
        print(f"  load cached index          {big['load_s']:>9}")
        print(f"  first call                 {big['warm_up_s']:>9}")
        print(f"  blocking                   {big['blocking_s']:>9}{big['candidates']:>12}")
        print(f"  scoring score_keys         {big['scoring_s']:>9}{'':>12}{big['hits']:>8}")
        print(
            f"  matching (load excluded)   {big['total_s']:>9}   peak RSS {big['peak_rss_mb']} MB"
        )


if __name__ == "__main__":
    main()
