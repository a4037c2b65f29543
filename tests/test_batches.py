"""A run screened in batches gives the same results as one batch (``run_screen(batch_lines=)``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from polars.testing import assert_frame_equal
from test_reproducible import RESULTS, result

from screener.pipeline import Screener
from screener.runner import run_screen

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_entries"


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.load()


def test_tiny_batches_give_the_same_results(tmp_path: Path, screener: Screener) -> None:
    whole = run_screen([SAMPLE], db=tmp_path / "whole.duckdb", screener=screener)
    seen: list[tuple[str, int, int | None]] = []
    parts = run_screen(
        [SAMPLE],
        db=tmp_path / "parts.duckdb",
        screener=screener,
        batch_lines=150,  # 14 batches of the 1,988 lines
        meter=lambda phase, done, total: seen.append((phase, done, total)),
    )
    assert (parts.lines_in, parts.accepted, parts.rejected) == (
        whole.lines_in,
        whole.accepted,
        whole.rejected,
    )
    assert [s for s in seen if s[0] == "screening"][-1] == (
        "screening",
        whole.accepted,
        whole.accepted,
    )
    for table in RESULTS:
        assert_frame_equal(
            result(tmp_path / "parts.duckdb", table), result(tmp_path / "whole.duckdb", table)
        )
