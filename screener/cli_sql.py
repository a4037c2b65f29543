"""`screener sql`: the read-only SQL workbench on a screening database (DESIGN §9).

A query given as an argument answers with its last statement's rows; without one, the statements
read from standard input run in turn and each prints its rows. Every statement is checked before
any runs (screener.sql_guard: read-only file, no file access unless --allow-files, settings
locked), and the session adds ``fuzzy_score``, ``screen_name`` and ``explain_line``
(screener.sql_udfs).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from screener.errors import InputError
from screener.sql_guard import Rows, check_sql, connect_guarded, execute_checked, split_sql
from screener.sql_udfs import register_udfs

FORMATS = ("table", "csv", "json")
out = Console()


def run_session(
    db: Path,
    statements: Sequence[str],
    each: Callable[[Rows], None],
    *,
    allow_files: bool,
    ruleset: str | None = None,
) -> None:
    """Check every statement, then run them in turn on one guarded connection with the
    session's functions registered, handing each one's rows to ``each`` as it finishes (a
    failing statement stops the session after the earlier ones were shown)."""
    for statement in statements:
        check_sql(statement, allow_files=allow_files)
    con = connect_guarded(db, allow_files=allow_files)
    cursor = None
    try:
        cursor = register_udfs(con, db, ruleset=ruleset)
        for statement in statements:
            each(execute_checked(con, statement))
    finally:
        if cursor is not None:
            cursor.close()
        con.close()


def print_rows(rows: Rows, fmt: str) -> None:
    """One result as a table (values as text: a '[' in the data is not rich markup), CSV or a
    JSON array of objects."""
    columns, values = rows
    if fmt == "json":
        records = [dict(zip(columns, r, strict=True)) for r in values]
        out.print_json(json.dumps(records, default=str))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(values)
    else:
        table = Table()
        for col in columns:
            table.add_column(Text(col))
        for r in values:
            table.add_row(*(Text("" if v is None else str(v)) for v in r))
        out.print(table)


def sql(
    query: Annotated[
        str | None,
        typer.Argument(help="the SQL; without it, statements are read from standard input"),
    ] = None,
    db: Annotated[Path, typer.Option("--db", help="DuckDB database file")] = Path(
        "screening.duckdb"
    ),
    fmt: Annotated[str, typer.Option("--format", help="table | csv | json")] = "table",
    allow_files: Annotated[
        bool, typer.Option("--allow-files", help="let the query read and write files")
    ] = False,
    ruleset: Annotated[
        str | None,
        typer.Option(
            "--ruleset", help="thresholds for screen_name (default: the latest run's ruleset)"
        ),
    ] = None,
) -> None:
    """Run read-only SQL on the database (writes are always refused). Adds fuzzy_score(a, b),
    screen_name('NAME') and explain_line(entry_number, line_number)."""
    if fmt not in FORMATS:
        raise InputError(f"--format {fmt!r}: use table, csv or json")
    if not db.exists():
        raise InputError(f"database {db} does not exist")
    if query is not None:
        statements = [query]  # one text: DuckDB runs it whole, the last statement answers
    else:
        statements = split_sql(sys.stdin.read())
        if not statements:
            raise InputError("no SQL statement on standard input")
    shown = 0

    def show(rows: Rows) -> None:
        nonlocal shown
        if shown and fmt == "csv":
            sys.stdout.write("\n")  # a blank line between two CSV results
        print_rows(rows, fmt)
        sys.stdout.flush()
        shown += 1

    run_session(db, statements, show, allow_files=allow_files, ruleset=ruleset)


__all__ = ["print_rows", "run_session", "sql"]
