"""The origin evaluation runs end to end at a tiny size so it cannot rot (goals not asserted)."""

from __future__ import annotations

from cli_helpers import run_benchmark


def test_eval_origin_runs_tiny_and_reports_json() -> None:
    report, printed = run_benchmark("eval_origin.py", "--months", "4", "--lines-per-month", "2000")
    assert report["lines"] == 8000 and report["rejected"] == 0
    assert len(report["nights"]) == 4
    metrics = report["metrics"]
    assert metrics["planted_lines"] > 0
    assert metrics["planted_lines"] + metrics["clean_lines"] == metrics["lines_after_event"]
    overall = metrics["overall"]
    for key in ("recall", "clean_flag_rate", "clean_hold_rate", "clean_flag_rate_non_concern"):
        assert 0.0 <= overall[key] <= 1.0, key
    assert overall["hold_precision"] is None or 0.0 <= overall["hold_precision"] <= 1.0
    assert set(report["goals"]) == {"recall", "clean_flag_rate", "clean_hold_rate"}
    for rule, row in metrics["rules"].items():
        assert row["recall"] is None or 0.0 <= row["recall"] <= 1.0, rule
        assert 0 <= row["caught"] <= row["planted_lines"], rule
    assert "MID_NE_ORIGIN" in metrics["rules"]  # a rule every scenario plants for
    assert sum(s["lines"] for s in metrics["schemes"].values()) == metrics["planted_lines"]
    assert "overall recall on planted lines" in printed
