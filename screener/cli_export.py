"""``screener export``: one run as xlsx, or as a folder of CSV or Parquet files (one per sheet)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from screener.errors import InputError
from screener.export import export_run
from screener.store import Store


def export_cmd(
    out: Annotated[
        Path, typer.Option("--out", help="the .xlsx file, or the folder for csv and parquet")
    ],
    db: Annotated[Path, typer.Option("--db", help="DuckDB database file")] = Path(
        "screening.duckdb"
    ),
    run_id: Annotated[
        str | None, typer.Option("--run", help="run id (default: the latest run)")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="xlsx | csv | parquet")] = "xlsx",
    force: Annotated[bool, typer.Option("--force", help="replace an existing --out")] = False,
) -> None:
    """Held lines (with their explanation), hits, flags and rejects of a run, for spreadsheets."""
    with Store(db, read_only=True) as store:
        run = run_id or store.latest_run_id()
        if run is None:
            raise InputError(f"{db} holds no run yet; `screener screen` makes one")
        written = export_run(store, run, fmt, out, force=force)
    console = Console()
    console.print(f"run {run} -> {out} ({fmt}):", markup=False)
    for path in written:
        console.print(f"  {path.name}", markup=False)
