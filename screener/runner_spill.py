"""The first pass of a run: read and validate every input, spill the accepted lines to Parquet.

``run_screen`` then screens the spilled lines in batches (a lazy scan sliced by row ranges), so
no more than one batch of lines is held at a time. Rejects stay in memory (one row per rejected
line, usually few); the duplicate check spans all inputs (``screener.ingest.iter_entries``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from screener import schema
from screener.ingest import SourceInfo, iter_entries

__all__ = ["Meter", "Spill", "spill_inputs"]

Meter = Callable[[str, int, int | None], None]  # (phase, lines done, lines in all or None)


@dataclass(frozen=True)
class Spill:
    folder: Path
    accepted: int
    rejects: pl.DataFrame
    sources: list[SourceInfo]
    input_hash: str
    first_date: date | None

    def scan(self) -> pl.LazyFrame:
        """The accepted lines in input order (schema.ENTRY + schema.PROVENANCE)."""
        files = sorted(self.folder.glob("part-*.parquet"))
        if not files:
            return schema.empty(schema.ENTRY | schema.PROVENANCE).lazy()
        return pl.scan_parquet(files)


def input_hash(hashes: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()


def spill_inputs(
    inputs: Sequence[str | Path],
    folder: Path,
    from_duckdb: Sequence[str],
    valid_hts: Collection[str],
    slice_rows: int,
    meter: Meter | None = None,
) -> Spill:
    """Validate ``inputs`` (``iter_entries``) and write the accepted lines under ``folder``."""
    rejects: list[pl.DataFrame] = []
    sources: list[SourceInfo] = []
    accepted = 0
    first: date | None = None
    read = 0

    def progress(lines: int) -> None:
        nonlocal read
        read += lines
        if meter is not None:
            meter("reading", read, None)

    for part, batch in enumerate(
        iter_entries(
            inputs,
            from_duckdb=from_duckdb,
            valid_hts=valid_hts,
            progress=progress,
            slice_rows=slice_rows,
        )
    ):
        if batch.source is not None:
            sources.append(batch.source)
        if batch.rejects.height:
            rejects.append(batch.rejects)
        if batch.accepted.height:
            batch.accepted.write_parquet(folder / f"part-{part:06d}.parquet")
            accepted += batch.accepted.height
            low = batch.accepted.select(pl.col("entry_date").min()).item()
            first = low if first is None or (low is not None and low < first) else first
    return Spill(
        folder=folder,
        accepted=accepted,
        rejects=pl.concat(rejects) if rejects else schema.empty(schema.REJECTS),
        sources=sources,
        input_hash=input_hash([s.sha256 for s in sources]),
        first_date=first,
    )
