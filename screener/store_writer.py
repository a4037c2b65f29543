"""Writing one run in batches inside the store's transaction (`Store.writing_run`).

Each batch of result lines is staged as a Parquet file and inserted with DuckDB's own reader.
Inserting straight from a registered Arrow table keeps that table alive until the transaction
commits (measured: +400 MB per 250,000 lines, whatever `memory_limit` says), so a 10M-line run
would hold every batch in memory; from Parquet the transaction holds only DuckDB's own pages,
which its buffer manager can spill. The staged files live in a temporary folder removed when
the run ends, committed or not.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from screener import store_sql as sql
from screener.store_sql import RunRecord

if TYPE_CHECKING:
    from screener.store import Store

_BATCH_VIEW = "_batch_entries"


class RunWriter:
    """A run being written by `Store.writing_run` (inside its transaction)."""

    def __init__(self, store: Store, run_id: str, stage_dir: Path) -> None:
        self.store = store
        self.run_id = run_id
        self.finished = False
        self._stage_dir = stage_dir
        self._batches = 0

    def append(self, entries: pl.DataFrame) -> None:
        """Insert one batch of result lines: entries, hits and flags."""
        path = self._stage_dir / f"batch-{self._batches:06d}.parquet"
        self._batches += 1
        pq.write_table(sql.conform(entries, "entries", self.run_id), path)
        literal = str(path).replace("'", "''")
        con = self.store._con
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {_BATCH_VIEW} AS SELECT * FROM read_parquet('{literal}')"
        )
        try:
            self.store._insert_entries(_BATCH_VIEW)
            self.store._insert_hits(_BATCH_VIEW)
            self.store._insert_flags(_BATCH_VIEW)
        finally:
            with contextlib.suppress(duckdb.Error):
                con.execute(f"DROP VIEW IF EXISTS {_BATCH_VIEW}")
        path.unlink()  # DuckDB has copied it into the table's pages

    def finish(
        self,
        run: RunRecord,
        rejects: pl.DataFrame,
        entity_names: pl.DataFrame,
        extra: Mapping[str, pl.DataFrame] | None = None,
    ) -> None:
        """Insert the run record, its rejects, the entity names and `extra` tables' rows."""
        frames = {
            "rejects": sql.conform(rejects, "rejects", run.run_id),
            "entity_names": sql.conform(entity_names, "entity_names", None),
        }
        more = {t: sql.conform(f, t, run.run_id) for t, f in (extra or {}).items()}
        with registered(self.store._con, frames | more) as names:
            self.store._insert_run(run)
            self.store._insert_rejects(names["rejects"])
            self.store._insert_entity_names(names["entity_names"])
            for table in more:
                self.store._fetch(sql.insert_rows(table, names[table]))
        self.finished = True


@contextlib.contextmanager
def staging_dir() -> Iterator[Path]:
    """A temporary folder for one run's staged batches, removed however the run ends."""
    with tempfile.TemporaryDirectory(prefix="screener-stage-") as tmp:
        yield Path(tmp)


@contextlib.contextmanager
def registered(
    con: duckdb.DuckDBPyConnection, frames: Mapping[str, pa.Table]
) -> Iterator[dict[str, str]]:
    """Arrow tables registered as `_new_<table>` views for the block."""
    names = {table: f"_new_{table}" for table in frames}
    try:
        for table, arrow in frames.items():
            con.register(names[table], arrow)
        yield names
    finally:
        for name in names.values():
            with contextlib.suppress(duckdb.Error):
                con.unregister(name)
