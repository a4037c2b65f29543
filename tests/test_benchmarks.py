"""The benchmark runs end to end at a tiny size so it cannot rot (numbers are not asserted)."""

from __future__ import annotations

from cli_helpers import run_benchmark


def test_bench_pipeline_runs_tiny_and_reports_json() -> None:
    report, printed = run_benchmark(
        "bench_pipeline.py", "--lines", "3000", "--suppliers", "400", "--list-names", "300"
    )
    assert report["lines"] == 3000
    assert report["screen"]["accepted"] + report["screen"]["rejected"] == 3000
    assert report["ratio_screen_to_floor"] > 0
    assert {"read", "screen", "store", "parquet", "total", "peak_rss_mb"} <= set(report["screen"])
    assert "screen / floor" in printed
