"""``screener generate``: a seeded multi-month scenario of entry files with planted evasion."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from screener.errors import InputError
from screener.generate import Scenario, generate_scenario
from screener.generate_schemes import SCHEMES

out = Console()
err = Console(stderr=True)


def _event(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--event must be a date YYYY-MM-DD (got {text!r})") from None


def generate_cmd(
    out_dir: Annotated[Path, typer.Option("--out", help="directory for the monthly entry files")],
    months: Annotated[int, typer.Option("--months", help="months to generate")] = 9,
    lines_per_month: Annotated[
        int, typer.Option("--lines-per-month", help="entry lines in each month's file")
    ] = 20_000,
    seed: Annotated[int, typer.Option("--seed", help="same seed, same files")] = 7,
    start: Annotated[str, typer.Option("--start", help="first month, YYYY-MM")] = "2025-07",
    fmt: Annotated[str, typer.Option("--format", help="csv | parquet")] = "csv",
    planted_share: Annotated[
        float,
        typer.Option("--planted-share", help="share of lines after the event given to schemes"),
    ] = 0.04,
    event: Annotated[
        str, typer.Option("--event", help="duty change date; schemes start on it")
    ] = "2026-01-01",
    force: Annotated[
        bool, typer.Option("--force", help="replace the entry files already in --out")
    ] = False,
) -> None:
    """Write monthly entry files of critical minerals with planted evasion schemes + truth.csv."""
    scenario = Scenario(
        months=months,
        lines_per_month=lines_per_month,
        seed=seed,
        start=start,
        fmt=fmt,
        planted_share=planted_share,
        event=_event(event),
    )
    scenario.check()
    with err.status("generating") as status:
        result = generate_scenario(
            scenario, out_dir, force=force, progress=lambda m: status.update(f"generating {m}")
        )
    planted = sum(result.planted.values())
    table = Table(title=f"planted lines (on or after {scenario.event})")
    for column in ("scheme", "lines", "expected rules"):
        table.add_column(column, justify="right" if column == "lines" else "left")
    for scheme, rules in SCHEMES.items():
        if scheme in result.planted:
            table.add_row(scheme, f"{result.planted[scheme]:,}", ", ".join(rules))
    out.print(
        f"{len(result.files)} file(s), {result.lines:,} lines "
        f"({result.files[0].name} .. {result.files[-1].name}) -> {out_dir}",
        soft_wrap=True,
    )
    out.print(table)
    out.print(
        f"{planted:,} planted lines listed in {result.truth}; scenario.json has the rest",
        soft_wrap=True,
    )
