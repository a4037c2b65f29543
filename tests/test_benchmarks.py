"""The benchmark runs end to end at a tiny size so it cannot rot (numbers are not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_pipeline_runs_tiny_and_reports_json() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_pipeline.py"),
            "--lines",
            "3000",
            "--suppliers",
            "400",
            "--list-names",
            "300",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["lines"] == 3000
    assert report["screen"]["accepted"] + report["screen"]["rejected"] == 3000
    assert report["ratio_screen_to_floor"] > 0
    assert {"read", "screen", "store", "parquet", "total", "peak_rss_mb"} <= set(report["screen"])
    assert "screen / floor" in proc.stdout
