"""``screener decide``: record what verification of a held line found (parse, call, print)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from screener.decide import record_outcome
from screener.errors import InputError
from screener.store import Store, existing_db

out = Console()


def decide(
    entry_number: Annotated[str, typer.Argument(help="the entry number, e.g. QRT-6197261-8")],
    db: Annotated[Path, typer.Option("--db", help="DuckDB database file")] = Path(
        "screening.duckdb"
    ),
    line: Annotated[int | None, typer.Option("--line", help="the entry line number")] = None,
    outcome: Annotated[
        str | None,
        typer.Option("--outcome", help="released (nothing found) | confirmed (evasion confirmed)"),
    ] = None,
    by: Annotated[str | None, typer.Option("--by", help="who decided")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="what verification found")] = None,
) -> None:
    """Record the outcome of verifying an entry line. Confirmed evasion feeds the history: later
    lines of the same manufacturer ID, supplier or importer get PRIOR_CONFIRMED_EVASION."""
    missing = [
        option
        for option, value in (
            ("--line", line),
            ("--outcome", outcome),
            ("--by", by),
            ("--reason", reason),
        )
        if value is None
    ]
    if missing:
        raise InputError(
            f"decide needs {', '.join(missing)}; e.g. screener decide --db screening.duckdb"
            " QRT-6197261-8 --line 2 --outcome confirmed --by me --reason 'mill certificate"
            " shows Chinese origin'"
        )
    existing_db(db)
    with Store(db) as store:
        row = record_outcome(
            store, entry_number, line or 0, outcome=outcome or "", by=by, reason=reason
        )
    out.print(
        f"outcome #{row['outcome_id']}: entry {row['entry_number']} line {row['line_number']}"
        f" (run {row['run_id']}, {row['duty_class']}, risk {row['origin_risk']})"
        f" {row['outcome']} by {row['decided_by']} on {str(row['decided_at'])[:10]}:"
        f" {row['reason']}",
        markup=False,
    )
