"""A whole batch run: read inputs, screen, write one run to the store (and Parquet).

The CLI's ``screen`` and ``demo`` commands call ``run_screen``; it holds no parsing or printing.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import polars as pl

from screener.allowlist import review_decisions, suppressed_rows
from screener.errors import StoreError
from screener.history import History, load_history
from screener.history_run import collect_run_lines
from screener.ingest import SourceInfo
from screener.origin_history import summarize_history
from screener.pipeline import Screener, new_run_id
from screener.runner_spill import Meter, spill_inputs
from screener.store import RunRecord, Store

Step = Callable[[str], None]
BATCH_LINES = 500_000


@dataclass
class RunOutcome:
    run_id: str
    lines_in: int
    accepted: int
    rejected: int
    db: Path
    parquet: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    suppressed_hits: int = 0  # hits active allowlist decisions suppressed (table suppressed_hits)
    active_decisions: int = 0
    allowlist_notes: list[str] = field(default_factory=list)  # expiries and lapses seen now
    history_notes: list[str] = field(default_factory=list)  # how much history the rules had
    summary: dict[str, object] = field(default_factory=dict)  # Store.summary, read under the lock


def _input(source: SourceInfo) -> dict[str, object]:
    """What ``runs.inputs`` records of one input: path, hash, rows, and for text files the
    encoding read and any note on it."""
    record: dict[str, object] = {"path": source.path, "sha256": source.sha256, "rows": source.rows}
    if source.encoding:
        record["encoding"] = source.encoding
    if source.notes:
        record["notes"] = list(source.notes)
    return record


def _version() -> str:
    try:
        return version("screener")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def _summary(
    counts: dict[str, int], lines: int, screener: Screener, history: History
) -> tuple[dict[str, object], list[str]]:
    """The run's summary (stored in runs.summary) and the history sentences to print."""
    lacking, notes = summarize_history(history, screener.ruleset, counts, lines)
    summary = {
        "rules_skipped_lines": counts,
        "history": lacking,
        "hold_threshold": screener.ruleset.config.hold_threshold,
        "trust_fund_shares": screener.ruleset.config.trust_fund.shares,
    }
    return summary, notes


def _count_skipped(result: pl.DataFrame, counts: dict[str, int]) -> None:
    skipped = result.select(pl.col("origin_rules_skipped").explode().drop_nulls().value_counts())
    for row in skipped.iter_rows():
        rule, n = row[0]["origin_rules_skipped"], row[0]["count"]
        counts[rule] = counts.get(rule, 0) + n


def batch_lines_default() -> int:
    """Lines screened at a time: ``SCREENER_BATCH_LINES`` or 500,000."""
    return int(os.environ.get("SCREENER_BATCH_LINES", "") or BATCH_LINES)


def run_screen(
    inputs: Sequence[str | Path],
    *,
    db: str | Path,
    screener: Screener,
    from_duckdb: Sequence[str] = (),
    out: str | Path | None = None,
    force: bool = False,
    step: Step | None = None,
    options: dict[str, object] | None = None,
    wait: float = 60.0,
    meter: Meter | None = None,
    batch_lines: int | None = None,
) -> RunOutcome:
    """Screen ``inputs`` into ``db`` as one run; refuse an input already screened unless force.

    The database stays locked from the duplicate check to the Parquet export and summary, so
    runs never interleave; another writer holding it is waited for up to ``wait`` seconds.

    Lines are validated and spilled to Parquet in a temporary folder, then screened and stored
    ``batch_lines`` at a time (default ``SCREENER_BATCH_LINES`` or 500,000) in one transaction,
    so memory stays flat however many lines come in; the result is the same as in one batch
    (the history rules read the whole run's aggregates, ``screener.history_run``). ``meter`` is
    called with (phase, lines done, lines in all) as lines are read and screened."""
    say = step or (lambda _msg: None)
    clock: dict[str, float] = {}
    started = datetime.now(UTC)

    def lap(name: str, since: datetime) -> datetime:
        now = datetime.now(UTC)
        clock[name] = round((now - since).total_seconds(), 3)
        return now

    say("reading inputs")
    batch = batch_lines or batch_lines_default()
    with tempfile.TemporaryDirectory(prefix="screener-run-") as tmp:
        spill = spill_inputs(inputs, Path(tmp), from_duckdb, screener.valid_hts, batch, meter)
        mark = lap("read", started)
        if wait > 0:
            say("opening the database (waits for another run writing it)")
        with Store(db, wait=wait) as store:
            previous = store.find_run_by_input(spill.input_hash)
            if previous and not force:
                raise StoreError(
                    f"these inputs were already screened in run {previous} of {db}; "
                    "use --force to replace that run"
                )
            run_id = new_run_id()
            # the allowlist as of this run: expiries and lapses it notices are written with it
            review = review_decisions(
                store, screener.names, today=started.date(), now=started, run_id=run_id
            )
            say("reading history")
            # history: every line already in the store dated before the run's first entry date
            before = spill.first_date or started.date()
            history = load_history(store, before=before, ruleset=screener.ruleset)
            scan = spill.scan()
            run_lines = collect_run_lines(scan, history) if spill.accepted > batch else None
            mark = lap("history", mark)
            say(f"screening {spill.accepted:,} lines")
            counts: dict[str, int] = {}
            suppressed_parts: list[pl.DataFrame] = []
            with store.writing_run(run_id, spill.input_hash, force=force) as writer:
                done = 0
                for offset in range(0, max(spill.accepted, 1), batch):
                    lines = scan.slice(offset, batch).collect()
                    result = screener.screen_accepted(
                        lines, run_id, allowlist=review.active, history=history, run=run_lines
                    )
                    del lines
                    suppressed_parts.append(suppressed_rows(result))
                    _count_skipped(result, counts)
                    writer.append(result)
                    done += result.height
                    del result
                    if meter is not None:
                        meter("screening", done, spill.accepted)
                suppressed = pl.concat(suppressed_parts)
                mark = lap("screen", mark)
                summary, history_notes = _summary(counts, spill.accepted, screener, history)
                say("writing results")
                record = RunRecord(
                    run_id=run_id,
                    started_at=started,
                    finished_at=datetime.now(UTC),
                    inputs=[_input(s) for s in spill.sources],
                    input_hash=spill.input_hash,
                    ruleset_name=screener.ruleset.name,
                    ruleset_version=screener.ruleset.version,
                    ruleset_hash=screener.ruleset.content_hash,
                    list_versions=screener.list_versions(),
                    lines_in=spill.accepted + spill.rejects.height,
                    accepted=spill.accepted,
                    rejected=spill.rejects.height,
                    options=options or {},
                    summary=summary
                    | {
                        "screener_version": _version(),
                        "allowlist": {
                            "active_decisions": review.active.height,
                            "suppressed_hits": suppressed.height,
                            "notes": review.notes,
                        },
                    },
                )
                rejects = spill.rejects.with_columns(pl.lit(run_id).alias("run_id"))
                extra = {"suppressed_hits": suppressed, "allowlist_audit": review.events}
                writer.finish(record, rejects, screener.names, extra)
            mark = lap("store", mark)
            parquet = store.export_parquet(run_id, out) if out else []
            if out:
                lap("parquet", mark)
            # read now: once the lock is released the next run may hold the file for a long time
            headline = store.summary(run_id)
    return RunOutcome(
        run_id=run_id,
        lines_in=record.lines_in,
        accepted=record.accepted,
        rejected=record.rejected,
        db=Path(db),
        parquet=parquet,
        timings=clock,
        suppressed_hits=suppressed.height,
        active_decisions=review.active.height,
        allowlist_notes=review.notes,
        history_notes=history_notes,
        summary=headline,
    )
