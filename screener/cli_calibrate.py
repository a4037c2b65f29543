"""``screener calibrate``: precision, recall and F1 of the matcher on labelled name pairs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from screener.calibrate import Calibration, calibrate, write_scores
from screener.ruleset import load_ruleset

out = Console()


def _table(result: Calibration) -> Table:
    table = Table(title="precision, recall and F1 by threshold (score >= threshold is a hit)")
    for column in ("threshold", "precision", "recall", "F1", "TP", "FP", "FN"):
        table.add_column(column, justify="right")
    review, best = result.review_threshold, result.best.threshold
    shown = sorted({review, best, *(float(t) for t in range(50, 101, 5))})
    for m in [*(m for m in result.sweep if m.threshold in shown), result.at_review]:
        if m is result.at_review and float(review).is_integer():
            continue  # already in the sweep
        mark = " review" if m.threshold == review else (" best" if m.threshold == best else "")
        table.add_row(
            f"{m.threshold:g}{mark}",
            f"{m.precision:.3f}",
            f"{m.recall:.3f}",
            f"{m.f1:.3f}",
            str(m.tp),
            str(m.fp),
            str(m.fn),
        )
    return table


def calibrate_cmd(
    pairs: Annotated[Path, typer.Argument(help="CSV with name1 (entry side), name2, is_match")],
    ruleset: Annotated[
        str, typer.Option("--ruleset", help="ruleset name under rulesets/ or a path")
    ] = "cmsa-2026",
    list_id: Annotated[
        str | None, typer.Option("--list-id", help="use this list's review threshold")
    ] = None,
    schema: Annotated[
        list[str] | None,
        typer.Option("--schema", help="keep rows whose 'schema' column is this (repeatable)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="end with one JSON line")] = False,
    scores_out: Annotated[
        Path | None, typer.Option("--scores-out", help="write every pair's score and reasons")
    ] = None,
) -> None:
    """Score labelled name pairs; print precision, recall and F1 at the review threshold."""
    rules = load_ruleset(ruleset)
    threshold = rules.thresholds(list_id).review if list_id else rules.thresholds("").review
    result = calibrate(pairs, threshold, schema or ())
    at = result.at_review
    where = f"list {list_id}" if list_id else "default"
    out.print(_table(result))
    out.print(
        f"{len(result.pairs)} pairs; at the review threshold {threshold:g} ({where}, ruleset "
        f"{rules.name} {rules.version}): precision {at.precision:.3f}, recall {at.recall:.3f}, "
        f"F1 {at.f1:.3f}; best F1 {result.best.f1:.3f} at {result.best.threshold:g}"
    )
    if scores_out:
        write_scores(result, scores_out)
        out.print(f"scores written to {scores_out}")
    if as_json:
        print(json.dumps(result.as_json()))
