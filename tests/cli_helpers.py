"""What the CLI tests share: the installed command in a subprocess, and read-only SQL."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

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


def run_benchmark(script: str, *args: str) -> tuple[dict[str, Any], str]:
    """``python benchmarks/SCRIPT ARGS --json`` at a tiny size: its JSON report (the last line)
    and everything it printed."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args, "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1]), proc.stdout


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


def listed_names(names: list[str], list_id: str = "test", version: str = "1") -> pl.DataFrame:
    """A list's name rows as ``build_index`` takes them: each name a primary name of its own
    entity (E0, E1, ...)."""
    return pl.DataFrame(
        {
            "list_id": [list_id] * len(names),
            "list_version": [version] * len(names),
            "entity_id": [f"E{i}" for i in range(len(names))],
            "name_kind": ["primary"] * len(names),
            "name": names,
        }
    )
