"""``screener compare``: a stored run re-priced under two rulesets (duty by class, origin, HTS6)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.console import Console
from rich.table import Table

from screener.compare import KEPT, Comparison, compare_run
from screener.errors import InputError
from screener.ruleset import load_ruleset
from screener.store import Store

_TITLES = {"class": "Duty by class", "origin": "Duty by country of origin", "hts6": "Duty by HTS6"}


def _money(value: object) -> str:
    return f"{float(value):,.2f}" if isinstance(value, int | float) else ""


def _signed(value: object) -> str:
    return f"{float(value):+,.2f}" if isinstance(value, int | float) else ""


def _table(result: Comparison, group: str, top: int) -> Table:
    frame = result.tables[group]
    shown = frame if group == "class" else frame.head(top)
    more = f" (top {top} of {frame.height} by |B-A|)" if shown.height < frame.height else ""
    table = Table(title=f"{_TITLES[group]}{more}")
    table.add_column(group)
    for column in ("lines A", "A (USD)", "lines B", "B (USD)", "B-A (USD)"):
        table.add_column(column, justify="right")
    for row in shown.iter_rows(named=True):
        table.add_row(
            str(row[group]),
            str(row["lines_a"]),
            _money(row["duty_a_usd"]),
            str(row["lines_b"]),
            _money(row["duty_b_usd"]),
            _signed(row["diff_usd"]),
        )
    total = frame.select(pl.col("lines_a", "duty_a_usd", "lines_b", "duty_b_usd", "diff_usd").sum())
    t = total.row(0, named=True)
    table.add_row(
        "total",
        str(t["lines_a"]),
        _money(t["duty_a_usd"]),
        str(t["lines_b"]),
        _money(t["duty_b_usd"]),
        _signed(round(t["diff_usd"], 2)),
        style="bold",
    )
    return table


def _print(result: Comparison, top: int) -> None:
    out = Console() if sys.stdout.isatty() else Console(width=120)
    data = result.to_json()
    a, b, stored = data["a"], data["b"], data["stored"]
    out.print(f"run {result.run_id}: {a['lines']} stored lines re-priced; {KEPT}.", markup=False)
    if result.as_of:
        out.print(f"every line priced as if entered on {result.as_of}", markup=False)
    for label, side in (("A", a), ("B", b)):
        out.print(
            f"{label}: {side['ruleset_name']} {side['ruleset_version']} #{side['ruleset_hash']}",
            markup=False,
        )
    equal = data["a_equals_stored"]
    check = f"stored run used {stored['ruleset_name']} #{stored['ruleset_hash']}" + (
        "" if equal is None else "; A's duty by class equals the stored run's: " + str(equal)
    )
    out.print(check, markup=False)
    for group in result.tables:
        out.print(_table(result, group, top))
    moves = data["moves"]
    if moves:
        out.print("lines whose duty class changes (A -> B):")
        for m in moves:
            out.print(
                f"  {m['class_a']} -> {m['class_b']}: {m['lines']} lines, "
                f"{_signed(m['diff_usd'])} USD",
                markup=False,
            )
    else:
        out.print("no line changes duty class between A and B")


def compare_cmd(
    rulesets: Annotated[
        list[str], typer.Option("--ruleset", help="ruleset name or path; give it twice: A and B")
    ],
    db: Annotated[Path, typer.Option("--db", help="DuckDB database file")] = Path(
        "screening.duckdb"
    ),
    run_id: Annotated[
        str | None, typer.Option("--run", help="run id (default: the latest run)")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="price every line as if entered on YYYY-MM-DD"),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="rows shown per origin/HTS6 table")] = 15,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON document")] = False,
) -> None:
    """Re-price a stored run under ruleset A and B: duty by class, origin and HTS6, and B-A."""
    if len(rulesets) != 2:
        raise InputError(f"--ruleset: give exactly two (A and B), got {len(rulesets)}")
    try:
        on = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise InputError(f"--as-of {as_of!r} is not a date; use YYYY-MM-DD") from None
    a, b = load_ruleset(rulesets[0]), load_ruleset(rulesets[1])
    with Store(db, read_only=True) as store:
        run = run_id or store.latest_run_id()
        if run is None:
            raise InputError(f"{db} holds no run yet; `screener screen` makes one")
        result = compare_run(store, run, a, b, on)
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(), indent=2, default=str) + "\n")
    else:
        _print(result, top)
