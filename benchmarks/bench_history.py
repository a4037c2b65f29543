"""Benchmark: the origin stage with history (DESIGN §6): load_history + history columns + rules.

Scenario: a store holding M months x N lines of earlier entry lines (``datagen.make_entries``:
the same ~50,000 suppliers every month, values varied per month, dates spread over the month,
inserted straight into ``entries`` with the columns history reads; the other columns are null),
then one night of K lines dated the day after. Measured in one run:
  * load_history: the SQL aggregates over ``entries`` (12 months window by default)
  * history columns: joining the aggregates and the batch's own onto the K lines (collected)
  * rules: ``flag_origin`` over the K lines with the history columns (collected)
  * baseline: ``flag_origin`` over the same lines with no history (the stage before history)
Prints a table (seconds, lines/s, peak RSS); ``--json`` makes the last line one JSON object.

    python benchmarks/bench_history.py --months 12 --lines-per-month 1000000 --night 1000000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from datagen import make_entries  # noqa: E402
from memory import peak_rss_mb  # noqa: E402

from screener import schema  # noqa: E402
from screener.history import History, add_months, load_history  # noqa: E402
from screener.history_columns import add_history_columns  # noqa: E402
from screener.ingest import validate_frame  # noqa: E402
from screener.origin import flag_origin  # noqa: E402
from screener.ruleset import load_ruleset  # noqa: E402
from screener.store import Store  # noqa: E402

TONIGHT = date(2026, 3, 2)
_COLUMNS = (
    "run_id",
    "entry_number",
    "line_number",
    "entry_date",
    "hts_code",
    "country_of_origin",
    "entered_value_usd",
    "supplier_name",
    "manufacturer_id",
    "importer_id",
    "quantity",
    "quantity_unit",
)


def _month(lines: pl.DataFrame, month: date, index: int) -> pl.DataFrame:
    """One month of history from the generated lines: typed, dated in ``month``, values varied."""
    days = (add_months(month, 1) - month).days
    u = (pl.int_range(pl.len()).hash(seed=index) % 10_000) / 10_000
    return lines.select(
        pl.lit(f"bench-{month:%Y%m}").alias("run_id"),
        pl.concat_str(pl.lit(f"{month:%y%m}"), pl.col("entry_number")).alias("entry_number"),
        pl.col("line_number").cast(pl.Int64),
        (pl.lit(month) + pl.duration(days=(u * days).floor().cast(pl.Int64))).alias("entry_date"),
        pl.col("hts_code").str.replace_all(".", "", literal=True),
        "country_of_origin",
        (pl.col("entered_value_usd").cast(pl.Float64) * (0.8 + 0.4 * u)).alias("entered_value_usd"),
        "supplier_name",
        "manufacturer_id",
        "importer_id",
        pl.col("quantity").cast(pl.Float64),
        "quantity_unit",
    )


def build_store(path: Path, months: int, per_month: int) -> float:
    """A DuckDB file whose ``entries`` hold ``months`` x ``per_month`` lines before TONIGHT."""
    t0 = time.perf_counter()
    Store(path).close()  # the schema
    lines = make_entries(per_month)
    con = duckdb.connect(str(path))
    try:
        for index in range(months):
            month = add_months(TONIGHT, index - months)
            frame = _month(lines, month, index).to_arrow()  # noqa: F841  (read by the SQL below)
            cols = ", ".join(_COLUMNS)
            con.execute(f"INSERT INTO entries ({cols}) SELECT {cols} FROM frame")
    finally:
        con.close()
    return time.perf_counter() - t0


def night(lines: int) -> pl.DataFrame:
    """Tonight's validated lines, with the match columns the origin stage reads (no hits)."""
    raw = make_entries(lines, seed=7).with_columns(pl.lit(TONIGHT.isoformat()).alias("entry_date"))
    ruleset = load_ruleset()
    accepted, _ = validate_frame(raw, source="bench", valid_hts=set(ruleset.hts["hts10"]))
    empty = pl.lit([], dtype=pl.List(schema.HIT_STRUCT))
    return accepted.with_row_index("_row").with_columns(
        empty.alias("match_hits"),
        pl.lit(None, dtype=pl.Float64).alias("match_best_score"),
        pl.lit(None, dtype=pl.Boolean).alias("match_confirmed"),
    )


def run(months: int, per_month: int, night_lines: int) -> dict[str, object]:
    ruleset = load_ruleset()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "history.duckdb"
        build_s = build_store(db, months, per_month)
        batch = night(night_lines)
        t0 = time.perf_counter()
        with Store(db, read_only=True) as store:
            history = load_history(store, before=TONIGHT, ruleset=ruleset)
        load_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    lf = add_history_columns(batch.lazy(), history, ruleset).collect().rechunk().lazy()
    columns_s = time.perf_counter() - t1
    t2 = time.perf_counter()
    flagged = flag_origin(lf, ruleset).collect()
    rules_s = time.perf_counter() - t2
    t3 = time.perf_counter()
    flag_origin(batch.lazy(), ruleset, History.empty()).collect()
    baseline_s = time.perf_counter() - t3
    fired = flagged["origin_flags"].explode().struct.field("rule").drop_nulls().value_counts()
    stage = load_s + columns_s + rules_s
    return {
        "history_lines": months * per_month,
        "history_months": history.month_count,
        "night_lines": batch.height,
        "build_store_s": round(build_s, 1),
        "load_history_s": round(load_s, 2),
        "history_columns_s": round(columns_s, 2),
        "rules_s": round(rules_s, 2),
        "origin_stage_s": round(stage, 2),
        "baseline_no_history_s": round(baseline_s, 2),
        "lines_per_s": round(batch.height / stage),
        "peak_rss_mb": peak_rss_mb(),
        "aggregate_rows": {
            "hts6_origin": history.hts6_origin.height,
            "unit_values": history.unit_values.height,
            "mids": history.mids.height,
            "parties": history.parties.height,
            "shifts": history.shifts.height,
        },
        "fired": dict(sorted((str(r), int(n)) for r, n in fired.iter_rows())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--lines-per-month", type=int, default=1_000_000)
    parser.add_argument("--night", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = run(args.months, args.lines_per_month, args.night)
    rows = [
        ("history", f"{report['history_months']} months, {report['history_lines']:,} lines"),
        ("night", f"{report['night_lines']:,} lines"),
        ("build store (not timed)", f"{report['build_store_s']} s"),
        ("load_history", f"{report['load_history_s']} s"),
        ("history columns", f"{report['history_columns_s']} s"),
        ("rules (flag_origin)", f"{report['rules_s']} s"),
        ("origin stage with history", f"{report['origin_stage_s']} s"),
        ("origin stage, no history", f"{report['baseline_no_history_s']} s"),
        ("lines/s", f"{report['lines_per_s']:,}"),
        ("peak RSS", f"{report['peak_rss_mb']:,} MB"),
        ("aggregate rows", json.dumps(report["aggregate_rows"])),
        ("fired", json.dumps(report["fired"])),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    if args.json:
        print(json.dumps(report))


if __name__ == "__main__":
    main()
