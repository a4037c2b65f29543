"""``screener report``: write the morning report, one self-contained HTML page (parse, call,
write). The page is built by screener.report_* from a read-only open of the database."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from screener.errors import InputError
from screener.report_tables import DEFAULT_CAP, held_lines, new_hits
from screener.store import Store, existing_db

out = Console()


def build_report(
    db: Path, run: str | None = None, since: date | None = None, cap: int = DEFAULT_CAP
) -> str:
    """The report page for the chosen runs of database ``db``, as HTML text."""
    # matplotlib is imported here, not when the CLI starts (0.5 s on every other command)
    from screener.report_charts import render_charts
    from screener.report_data import chart_data
    from screener.report_html import render_page
    from screener.report_select import headline, select_runs

    with Store(db, read_only=True) as store:
        sel = select_runs(store, run, since)
        data = chart_data(store, sel.run_ids)
        held = held_lines(store, sel.run_ids, cap)
        hits = new_hits(store, sel.run_ids, sel.previous_ids, cap)
        outcomes = store.has_table("outcomes")
        rows = headline(sel)
    return render_page(db.name, sel, rows, render_charts(data), data, held, hits, outcomes)


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--since {text!r}: give a date as YYYY-MM-DD") from None


def report_cmd(
    db: Annotated[Path, typer.Option("--db", help="DuckDB database file")] = Path(
        "screening.duckdb"
    ),
    run: Annotated[str | None, typer.Option("--run", help="report on this run id")] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="YYYY-MM-DD: every run whose entry lines are on or after it"),
    ] = None,
    out_path: Annotated[Path, typer.Option("--out", help="HTML file to write")] = Path(
        "report.html"
    ),
    cap: Annotated[int, typer.Option("--max-rows", help="rows per table, at most")] = DEFAULT_CAP,
) -> None:
    """Write a self-contained HTML report (charts as inline SVG, opens offline) on the latest
    run, one run (--run) or the runs since a date (--since)."""
    existing_db(db)
    if cap < 1:
        raise InputError(f"--max-rows {cap}: give 1 or more")
    page = build_report(db, run, _date(since), cap)
    try:
        out_path.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"--out {out_path}: cannot write the report ({exc.strerror})") from exc
    out.print(f"report written to {out_path} ({len(page) / 1024:,.0f} KiB)", markup=False)
