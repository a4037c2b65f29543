"""Shared pytest options."""

from __future__ import annotations

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
