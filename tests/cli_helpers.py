"""What the CLI tests share: the installed command in a subprocess, and read-only SQL."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
SCREENER = Path(sys.executable).parent / "screener"


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """``screener ARGS`` as a user runs it: exit code, stdout and stderr captured."""
    return subprocess.run(
        [str(SCREENER), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def flat(text: str) -> str:
    """Rich wraps long lines: compare text with every run of whitespace as one space."""
    return re.sub(r"\s+", " ", text)


def sql(db: Path, query: str) -> list[tuple[object, ...]]:
    """The rows of ``query`` on a database opened read-only (and closed again)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(query).fetchall()
    finally:
        con.close()
