"""Shared pytest options."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ from the current results (review the diff)",
    )


@pytest.fixture(scope="session", autouse=True)
def _index_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Name keys and blocking indexes are cached under ``$SCREENER_CACHE``: one fresh folder
    per test session (CLI subprocesses inherit it), never the user's ``~/.cache``."""
    import os

    os.environ["SCREENER_CACHE"] = str(tmp_path_factory.mktemp("screener-cache"))


@pytest.fixture(scope="session")
def shared_demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``screener demo`` run once per test session in a fresh folder: its database, for tests
    that only read it. A test that writes (decide, allow, ...) copies it first."""
    import subprocess
    import sys

    cwd = tmp_path_factory.mktemp("shared-demo")
    screener = Path(sys.executable).parent / "screener"
    proc = subprocess.run(
        [str(screener), "demo"], cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return cwd / "screening.duckdb"
