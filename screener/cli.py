"""The ``screener`` command: parse options, call the library, print. No screening logic here.

Any ``ScreenerError`` becomes one clean message on stderr and exit code 2; hits and holds are
results, so a completed run exits 0.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from screener import (
    cli_allow,
    cli_calibrate,
    cli_compare,
    cli_explain,
    cli_export,
    cli_rescreen,
    cli_sql,
)
from screener.cli_decide import decide
from screener.cli_generate import generate_cmd
from screener.cli_report import report_cmd
from screener.errors import InputError, ScreenerError
from screener.ingest import reading_options
from screener.lists import describe_lists, load_lists
from screener.paths import data_dir
from screener.pipeline import Screener
from screener.ruleset import check_ruleset, rulesets_root
from screener.runner import RunOutcome, run_screen

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__.split("\n")[0])
rules_app = typer.Typer(no_args_is_help=True, help="Ruleset commands.")
lists_app = typer.Typer(no_args_is_help=True, help="Entity list commands.")
app.add_typer(rules_app, name="rules")
app.add_typer(lists_app, name="lists")
app.command("allow")(cli_allow.allow)
app.command("calibrate")(cli_calibrate.calibrate_cmd)
app.command("decide")(decide)
app.command("explain")(cli_explain.explain)
app.command("compare")(cli_compare.compare_cmd)
app.command("export")(cli_export.export_cmd)
app.command("generate")(generate_cmd)
app.command("rescreen")(cli_rescreen.rescreen_cmd)
app.command("report")(report_cmd)
app.command("sql")(cli_sql.sql)
lists_app.command("update")(cli_rescreen.lists_update)

out = Console()
err = Console(stderr=True)

RulesetOpt = Annotated[
    str, typer.Option("--ruleset", help="ruleset name under rulesets/ or a path")
]
ListOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--list",
        help="FORMAT:PATH (ofac-sdn:DIR, csv, csl, dpl, un or ftm:FILE); repeatable",
    ),
]
DbOpt = Annotated[Path, typer.Option("--db", help="DuckDB database file")]


def _sample_dir() -> Path:
    return data_dir("sample_entries")


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


class _RateColumn(ProgressColumn):
    """Lines per second of a task (rich's own speed columns show bytes)."""

    def render(self, task: Task) -> Text:
        done = f"{int(task.completed):,} lines" if task.completed else ""
        rate = f" {task.speed:,.0f} lines/s" if task.speed else ""
        return Text(done + rate, style="progress.data.speed")


def _run(
    inputs: list[Path],
    db: Path,
    ruleset: str,
    lists: list[str] | None,
    from_duckdb: list[str],
    out_dir: Path | None,
    force: bool,
    wait: float = 60.0,
) -> RunOutcome:
    with _progress() as progress:
        task = progress.add_task("loading ruleset and lists", total=None)
        screener = Screener.load(ruleset=ruleset, lists=lists or None)

        def step(message: str) -> None:
            progress.update(task, description=message)

        phases: dict[str, TaskID] = {}

        def meter(phase: str, done: int, total: int | None) -> None:
            if phase not in phases:
                for other in phases.values():
                    progress.update(other, visible=False)
                phases[phase] = progress.add_task(f"{phase} lines", total=total)
            progress.update(phases[phase], completed=done, total=total)

        return run_screen(
            [str(p) for p in inputs],
            db=db,
            screener=screener,
            from_duckdb=from_duckdb,
            out=out_dir,
            force=force,
            step=step,
            options={"ruleset": ruleset, "lists": lists or "bundled", "force": force},
            wait=wait,
            meter=meter,
        )


def _rows(value: object) -> list[dict[str, Any]]:
    return value if isinstance(value, list) else []


def _money(value: object) -> str:
    return f"${float(value or 0):,.2f}"  # type: ignore[arg-type]


def _print_summary(outcome: RunOutcome, db: Path) -> None:
    summary = outcome.summary  # read by the run itself: the next run may hold the file by now
    out.print(
        f"run [bold]{outcome.run_id}[/]: {outcome.lines_in:,} lines in, "
        f"{outcome.accepted:,} accepted, {outcome.rejected:,} rejected -> {db}"
    )
    table = Table(title="Duty by class (scenario duty: base + section 301 on 2026-01-01)")
    for col in ("duty class", "lines", "entered value", "duty", "not computable"):
        table.add_column(col, justify="left" if col == "duty class" else "right")
    for row in _rows(summary.get("duty_by_class")):
        table.add_row(
            str(row["duty_class"]),
            f"{row['lines']:,}",
            _money(row["entered_value_usd"]),
            _money(row["duty_usd"]),
            f"{int(row.get('lines_not_computable') or 0):,}",
        )
    out.print(table)
    flags = Table(title="Top flags")
    flags.add_column("rule")
    flags.add_column("lines", justify="right")
    for row in _rows(summary.get("top_flags")):
        flags.add_row(str(row["rule"]), f"{row['count']:,}")
    out.print(flags)
    hits = Table(title="Top entity hits")
    for col in ("list", "entity", "matched name", "lines", "max score"):
        hits.add_column(col)
    for row in _rows(summary.get("top_hits")):
        hits.add_row(
            str(row["list_id"]),
            str(row["entity_id"]),
            str(row["matched_name"]),
            str(row["lines"]),
            f"{float(row['max_score']):.1f}",
        )
    out.print(hits)
    fund = summary.get("trust_fund", {})
    if isinstance(fund, dict) and fund:
        split = ", ".join(
            f"{label} {_money(fund.get(f'{key}_usd'))} ({float(fund.get(f'{key}_share') or 0):.0%})"
            for key, label in (("doe_lpo", "DOE LPO"), ("dod", "DoD"), ("dfc", "DFC"))
        )
        out.print(
            f"Trust fund: {_money(fund.get('trust_fund_usd'))} of duty on "
            f"{int(fund.get('lines') or 0):,} critical-mineral lines -> {split}"
        )
    if outcome.suppressed_hits or outcome.active_decisions:
        out.print(
            f"Allowlist: {outcome.suppressed_hits:,} hit(s) suppressed by"
            f" {outcome.active_decisions:,} active decision(s) (table suppressed_hits)"
        )
    for note in outcome.allowlist_notes:
        out.print(f"Allowlist: {note}", markup=False)
    for note in outcome.history_notes:  # also in runs.summary -> history
        out.print(note, markup=False)
    if outcome.parquet:
        out.print("Parquet: " + ", ".join(str(p) for p in outcome.parquet))


@app.command()
def screen(
    inputs: Annotated[list[Path] | None, typer.Argument(help="entry files or folders")] = None,
    db: DbOpt = Path("screening.duckdb"),
    ruleset: RulesetOpt = "cmsa-2026",
    lists: ListOpt = None,
    from_duckdb: Annotated[
        list[str] | None, typer.Option("--from-duckdb", help="FILE:TABLE to read entries from")
    ] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="also write Parquet here")] = None,
    force: Annotated[bool, typer.Option(help="replace an earlier run of the same input")] = False,
    wait: Annotated[
        float, typer.Option("--wait", help="seconds to wait for another run writing the database")
    ] = 60.0,
    encoding: Annotated[
        str,
        typer.Option(
            "--encoding",
            help="text encoding of CSV/NDJSON files: auto (UTF-8, else windows-1252) or a codec",
        ),
    ] = "auto",
) -> None:
    """Screen entry lines (CSV, Parquet, NDJSON, DuckDB table) into the database."""
    if not inputs and not from_duckdb:
        raise InputError("give at least one entry file or folder, or --from-duckdb FILE:TABLE")
    with reading_options(encoding=encoding) as notes:
        outcome = _run(inputs or [], db, ruleset, lists, from_duckdb or [], out_dir, force, wait)
    for note in notes:  # which encoding a file was read in, when it was not UTF-8
        out.print(note, markup=False)
    _print_summary(outcome, db)


@app.command()
def demo(
    db: DbOpt = Path("screening.duckdb"),
    out_dir: Annotated[Path | None, typer.Option("--out", help="also write Parquet here")] = None,
) -> None:
    """Screen the bundled sample entries with the default ruleset and bundled lists."""
    sample = _sample_dir()
    if not sample.is_dir():
        raise InputError(f"no sample_entries/ folder found (looked in {sample})")
    outcome = _run([sample], db, "cmsa-2026", None, [], out_dir, force=True)
    _print_summary(outcome, db)


@rules_app.command("check")
def rules_check(path: str) -> None:
    """Validate a ruleset and report every problem at once."""
    problems = check_ruleset(path)
    if problems:
        err.print(f"ruleset {path}: {len(problems)} problem(s)")
        for p in problems:
            err.print(f"  - {p}", markup=False)
        raise typer.Exit(2)
    from screener.ruleset import load_ruleset

    rs = load_ruleset(path)
    out.print(
        f"ruleset {rs.name} {rs.version} #{rs.content_hash}: OK "
        f"({rs.coverage.height} coverage rows, {rs.hts.height:,} HTS lines, "
        f"{rs.countries.height} country rows) from {rs.path}"
    )


@rules_app.command("list")
def rules_list() -> None:
    """The rulesets under rulesets/."""
    for path in sorted(rulesets_root().glob("*/ruleset.yaml")):
        out.print(path.parent.name)


@lists_app.command("show")
def lists_show(lists: ListOpt = None) -> None:
    """The entity lists in use: id, version, entities, names."""
    frame = describe_lists(load_lists(lists or None))
    table = Table()
    for col in frame.columns:
        table.add_column(col)
    for row in frame.iter_rows():
        table.add_row(*(str(v) for v in row))
    out.print(table)


def main() -> None:
    try:
        app()
    except ScreenerError as exc:
        err.print(f"error: {exc}", markup=False, soft_wrap=True)
        raise SystemExit(2) from None
