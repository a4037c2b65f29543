"""A whole batch run: read inputs, screen, write one run to the store (and Parquet).

The CLI's ``screen`` and ``demo`` commands call ``run_screen``; it holds no parsing or printing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import polars as pl

from screener.allowlist import review_decisions, suppressed_rows
from screener.errors import StoreError
from screener.history import History, load_history
from screener.ingest import SourceInfo, read_entries
from screener.origin_history import summarize_history
from screener.pipeline import Screener, new_run_id
from screener.store import RunRecord, Store

Step = Callable[[str], None]


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


def _input_hash(hashes: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()


def _summary(
    result: pl.DataFrame, screener: Screener, history: History
) -> tuple[dict[str, object], list[str]]:
    """The run's summary (stored in runs.summary) and the history sentences to print."""
    skipped = result.select(pl.col("origin_rules_skipped").explode().drop_nulls().value_counts())
    counts = {row[0]["origin_rules_skipped"]: row[0]["count"] for row in skipped.iter_rows()}
    lacking, notes = summarize_history(history, screener.ruleset, counts, result.height)
    summary = {
        "rules_skipped_lines": counts,
        "history": lacking,
        "hold_threshold": screener.ruleset.config.hold_threshold,
        "trust_fund_shares": screener.ruleset.config.trust_fund.shares,
    }
    return summary, notes


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
) -> RunOutcome:
    """Screen ``inputs`` into ``db`` as one run; refuse an input already screened unless force.

    The database stays locked from the duplicate check to the Parquet export and summary, so
    runs never interleave; another writer holding it is waited for up to ``wait`` seconds."""
    say = step or (lambda _msg: None)
    clock: dict[str, float] = {}
    started = datetime.now(UTC)

    def lap(name: str, since: datetime) -> datetime:
        now = datetime.now(UTC)
        clock[name] = round((now - since).total_seconds(), 3)
        return now

    say("reading inputs")
    ingest = read_entries(inputs, from_duckdb=from_duckdb, valid_hts=screener.valid_hts)
    input_hash = _input_hash([s.sha256 for s in ingest.sources])
    mark = lap("read", started)
    if wait > 0:
        say("opening the database (waits for another run writing it)")
    with Store(db, wait=wait) as store:
        previous = store.find_run_by_input(input_hash)
        if previous and not force:
            raise StoreError(
                f"these inputs were already screened in run {previous} of {db}; "
                "use --force to replace that run"
            )
        run_id = new_run_id()
        # the allowlist as of this run: expiries and lapses it notices are written with the run
        review = review_decisions(
            store, screener.names, today=started.date(), now=started, run_id=run_id
        )
        say("reading history")
        # history: every line already in the store dated before this batch's first entry date
        first = ingest.accepted.select(pl.col("entry_date").min()).item()
        history = load_history(store, before=first or started.date(), ruleset=screener.ruleset)
        mark = lap("history", mark)
        say(f"screening {ingest.accepted.height:,} lines")
        result = screener.screen_accepted(
            ingest.accepted, run_id, allowlist=review.active, history=history
        )
        suppressed = suppressed_rows(result)
        rejects = ingest.rejects.with_columns(pl.lit(run_id).alias("run_id"))
        mark = lap("screen", mark)
        summary, history_notes = _summary(result, screener, history)
        say("writing results")
        record = RunRecord(
            run_id=run_id,
            started_at=started,
            finished_at=datetime.now(UTC),
            inputs=[_input(s) for s in ingest.sources],
            input_hash=input_hash,
            ruleset_name=screener.ruleset.name,
            ruleset_version=screener.ruleset.version,
            ruleset_hash=screener.ruleset.content_hash,
            list_versions=screener.list_versions(),
            lines_in=ingest.accepted.height + ingest.rejects.height,
            accepted=ingest.accepted.height,
            rejected=ingest.rejects.height,
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
        extra = {"suppressed_hits": suppressed, "allowlist_audit": review.events}
        store.write_run(record, result, rejects, screener.names, force=force, extra=extra)
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
