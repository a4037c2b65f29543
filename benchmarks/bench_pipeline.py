"""Benchmark: the whole nightly screen of N seeded lines into a fresh DuckDB file.

Scenario: N entry lines (default 1,000,000) with realistic supplier-name repetition (about
50,000 distinct names) screened against a 20,000-name custom list plus nothing else, with the
default ruleset. Measured in one run, each in its own child process so peak memory is its own:
  * screen: `run_screen` (read Parquet, validate, match, origin, duty, DuckDB write, Parquet out)
  * I/O floor: read the same input Parquet and write the result-sized Parquet, nothing else
Prints per-stage times, peak RSS, lines/s and the screen / floor ratio; ``--json`` makes the last
line one JSON object.

    python benchmarks/bench_pipeline.py --lines 1000000 [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from memory import peak_rss_mb  # noqa: E402


def _child_screen(work: Path) -> dict[str, object]:
    from screener.pipeline import Screener
    from screener.runner import run_screen

    t0 = time.perf_counter()
    screener = Screener.load(lists=[f"csv:{work / 'bench_list.csv'}"])
    load_s = time.perf_counter() - t0
    outcome = run_screen(
        [str(work / "entries.parquet")],
        db=work / "bench.duckdb",
        screener=screener,
        out=work / "out",
    )
    total = time.perf_counter() - t0
    return {
        "load": round(load_s, 3),
        **outcome.timings,
        "total": round(total, 3),
        "accepted": outcome.accepted,
        "rejected": outcome.rejected,
    }


def _child_floor(work: Path) -> dict[str, object]:
    import polars as pl

    t0 = time.perf_counter()
    frame = pl.read_parquet(work / "entries.parquet")
    result = pl.read_parquet(work / "out" / "entries.parquet")  # result-sized payload
    read_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    result.write_parquet(work / "floor.parquet")
    write_s = time.perf_counter() - t1
    return {
        "read": round(read_s, 3),
        "write": round(write_s, 3),
        "total": round(time.perf_counter() - t0, 3),
        "rows": frame.height,
    }


def _run_child(kind: str, work: Path) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--work", str(work)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{kind} child failed:\n{proc.stderr}")
    data: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--suppliers", type=int, default=50_000)
    parser.add_argument("--list-names", type=int, default=20_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--child", choices=["screen", "floor"], default=None)
    args = parser.parse_args()

    if args.child:
        result = (_child_screen if args.child == "screen" else _child_floor)(args.work)
        result["peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(result))
        return

    from datagen import make_entries, make_list

    with tempfile.TemporaryDirectory(prefix="screener-bench-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        make_entries(args.lines, n_suppliers=args.suppliers).write_parquet(work / "entries.parquet")
        make_list(args.list_names, n_suppliers=args.suppliers).write_csv(work / "bench_list.csv")
        gen_s = time.perf_counter() - t0
        screen = _run_child("screen", work)
        floor = _run_child("floor", work)

    ratio = float(screen["total"]) / max(float(floor["total"]), 1e-9)  # type: ignore[arg-type]
    rate = args.lines / max(float(screen["total"]), 1e-9)  # type: ignore[arg-type]
    report = {
        "lines": args.lines,
        "suppliers": args.suppliers,
        "list_names": args.list_names,
        "generate_s": round(gen_s, 2),
        "screen": screen,
        "io_floor": floor,
        "ratio_screen_to_floor": round(ratio, 2),
        "lines_per_s": round(rate),
    }
    print(f"lines {args.lines:,}  suppliers {args.suppliers:,}  list names {args.list_names:,}")
    print(f"{'stage':<10}{'seconds':>10}")
    for key in ("load", "read", "screen", "store", "parquet", "total"):
        print(f"{key:<10}{screen.get(key, 0):>10}")
    print(f"peak RSS (screen)   {screen['peak_rss_mb']} MB")
    print(
        f"I/O floor           {floor['total']} s (read {floor['read']}, write {floor['write']}),"
        f" peak RSS {floor['peak_rss_mb']} MB"
    )
    print(f"screen / floor      {ratio:.1f}x   ({rate:,.0f} lines/s)")
    if args.json:
        print(json.dumps(report))


if __name__ == "__main__":
    main()
