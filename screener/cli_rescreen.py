"""``screener lists update`` and ``screener rescreen``: list versions and delta re-screening."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from screener.rescreen import record_list, rescreen
from screener.ruleset import load_ruleset
from screener.store import Store, existing_db

out = Console()

DbOpt = Annotated[Path, typer.Option("--db", help="DuckDB database file")]


def lists_update(
    lists: Annotated[
        list[str],
        typer.Option("--list", help="FORMAT:PATH (ofac-sdn:DIR, csv:FILE, ...); repeatable"),
    ],
    db: DbOpt = Path("screening.duckdb"),
) -> None:
    """Record a new version of entity lists in the database, with what changed."""
    now = datetime.now(UTC)
    with Store(db) as store:
        updates = [u for spec in lists for u in record_list(store, spec, now=now)]
    for u in updates:
        changes = f"{u.added:,} added, {u.changed:,} changed, {u.removed:,} removed names"
        if not u.recorded:
            out.print(
                f"{u.list_id}: version {u.list_version} is already the current one in {db};"
                " nothing recorded",
                markup=False,
            )
            continue
        since = f"since {u.previous_version}" if u.previous_version else "(first version)"
        out.print(
            f"{u.list_id}: version {u.list_version} recorded: {u.entities:,} entities,"
            f" {u.names:,} names; {changes} {since}",
            markup=False,
        )
        for note in u.notes:
            out.print(f"  {note}", markup=False)
    if any(u.recorded for u in updates):
        out.print(f"next: screener rescreen --db {db}", markup=False)


def rescreen_cmd(
    db: DbOpt = Path("screening.duckdb"),
    list_id: Annotated[
        str | None, typer.Option("--list-id", help="only this list (default: every list)")
    ] = None,
    ruleset: Annotated[
        str, typer.Option("--ruleset", help="ruleset for the thresholds (name or path)")
    ] = "cmsa-2026",
) -> None:
    """Match the stored supplier and manufacturer names against the names added or changed in
    the latest recorded list versions only, and report the new hits."""
    existing_db(db)
    rules = load_ruleset(ruleset)
    with Store(db) as store:
        outcome = rescreen(store, rules, now=datetime.now(UTC), list_id=list_id)
    for row in outcome.lists:
        since = row["previous_version"] or "nothing (first version)"
        out.print(
            f"rescreen {outcome.rescreen_id}: {outcome.parties:,} stored party names against"
            f" {row['delta_names']:,} names added or changed in {row['list_id']} version"
            f" {row['list_version']} since {since}: {row['hits']} new hit(s),"
            f" {row['already_reported']} already reported",
            markup=False,
        )
    if outcome.hits.is_empty():
        out.print("no new hits", markup=False)
        return
    table = Table(title="New hits (table rescreen_hits)")
    for col in ("party", "name", "list", "entity", "matched name", "change", "score", "lines"):
        table.add_column(col)
    for h in outcome.hits.iter_rows(named=True):
        cells = (
            h["party"],
            h["party_name"],
            h["list_id"],
            h["entity_id"],
            f"{h['matched_name']} ({h['name_kind']})",
            h["name_change"],
            f"{h['score']:.1f}",
            f"{h['line_count']:,}",
        )
        table.add_row(*(Text(str(c)) for c in cells))
    out.print(table)
    for h in outcome.hits.iter_rows(named=True):
        out.print(f"  {h['explanation']}", markup=False)
