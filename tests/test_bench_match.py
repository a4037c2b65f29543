"""The matching benchmark runs end to end at a tiny size so it cannot rot (numbers not asserted)."""

from __future__ import annotations

from cli_helpers import run_benchmark


def test_bench_match_runs_tiny_and_reports_json() -> None:
    report, printed = run_benchmark(
        "bench_match.py",
        *("--queries", "500", "--list-size", "300", "--big-list", "1500"),
        *("--recall-sample", "100"),
    )
    assert report["queries"] > 450
    assert report["exhaustive"]["seconds"] >= 0
    assert {"warm_up_s", "blocking_s", "scoring_s", "candidates", "hits", "build_s"} <= set(
        report["blocked"]
    )
    assert 0 <= report["recall"]["recall"] <= 1
    assert report["recall"]["sample"] == 100
    assert {"build_s", "load_s", "blocking_s", "peak_rss_mb"} <= set(report["big"])
    assert "recall vs exhaustive align_keys" in printed
