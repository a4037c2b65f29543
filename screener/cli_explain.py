"""``screener explain``: every decision on an entry line as a rich tree, or ``--json`` as data.

The tree and the JSON come from one ``screener.explain_view.explain_data`` dict per line, so they
carry the same information. Piped (not a terminal) the tree is printed without wrapping, one
fact per line, so ``grep`` finds a whole sentence.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from screener.errors import InputError
from screener.explain_view import explain_data, explain_tree
from screener.store import Store


def explain(
    entry_number: str,
    line: Annotated[int | None, typer.Option("--line", help="line number")] = None,
    db: Annotated[Path, typer.Option("--db", help="DuckDB database file")] = Path(
        "screening.duckdb"
    ),
    as_json: Annotated[
        bool, typer.Option("--json", help="print the same as one JSON document (a list of lines)")
    ] = False,
) -> None:
    """Every decision on an entry line, with its evidence: the ruleset rows, list entries,
    flags with their numbers and allowlist decisions."""
    with Store(db, read_only=True) as store:
        found = explain_data(store, entry_number, line)
    if not found:
        raise InputError(
            f"entry {entry_number}{f' line {line}' if line is not None else ''} is not in {db}"
        )
    if as_json:
        sys.stdout.write(json.dumps(found, indent=2, ensure_ascii=False, default=str) + "\n")
        return
    out = Console()
    if not out.is_terminal:
        out = Console(width=100_000)  # no wrapping: a sentence stays on its line
    for item in found:
        out.print(explain_tree(item))
