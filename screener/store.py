"""The DuckDB database (DESIGN §9): schema, analyst views, run provenance, atomic writes.

One file holds every run. A run is written in one transaction: a failure (or a crash) anywhere in
`write_run` leaves the database as it was. Frames go in through Arrow, never row by row. The
allowlist and list-version commands (screener.allowlist, screener.rescreen) write through
`transaction()` and `append()`. Opening a file writable creates what is missing and adds the
newer columns of the ADDITIVE tables; it never drops anything. A writable open holds the file's
write lock until closed (screener.store_lock): one writer at a time, the others wait or stop.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

import duckdb
import polars as pl

from screener import store_comments, store_explain, store_files, store_lock
from screener import store_sql as sql
from screener.errors import InputError, StoreError
from screener.store_sql import RUN_COLUMNS, RunRecord
from screener.store_writer import RunWriter, staging_dir

WRITER_MEMORY = "2GB"  # DuckDB memory_limit of a writable store


def existing_db(db: Path) -> Path:
    """``db``, which must exist: a command that only adds to a screened database must not
    create an empty one (a writable ``Store`` would)."""
    if not db.exists():
        raise InputError(f"database {db} does not exist; screen into it first (screener screen)")
    return db


class Store:
    """A screening database file. `read_only=True` never creates or changes anything."""

    def __init__(self, path: str | Path, *, read_only: bool = False, wait: float = 0.0) -> None:
        """Open (a writable open creates) the file. Another process holding it: wait up to `wait`
        seconds for it (a writable open first takes `<db>.lock`, see screener.store_lock), then
        StoreError naming the holder."""
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(
                f"no screening database at {self.path}; create it with `screener screen ... "
                f"--db {self.path}` or check the path"
            )
        started = time.monotonic()
        deadline = started + max(wait, 0.0)
        self._lock: Path | None = None
        self._lock = None if read_only else store_lock.acquire(self.path, deadline)
        try:
            self._con = store_lock.retry_busy(
                lambda: self._connect(read_only), self.path, deadline, started=started
            )
            if not read_only:
                try:
                    self._create_schema()
                except BaseException:
                    self._con.close()
                    raise
        except BaseException:
            self._unlock()
            raise

    def _connect(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        try:
            if read_only:
                return duckdb.connect(str(self.path), read_only=True)
            # a writer's buffer pool is capped (DuckDB's default is 80% of RAM): a 10M-line run's
            # pages spill to disk instead of growing the process; SCREENER_DB_MEMORY overrides
            limit = os.environ.get("SCREENER_DB_MEMORY", "") or WRITER_MEMORY
            return duckdb.connect(str(self.path), config={"memory_limit": limit})
        except duckdb.Error as exc:
            if store_lock.is_lock_conflict(exc):
                raise  # retry_busy waits, then says who holds the file
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc

    def _unlock(self) -> None:
        if self._lock is not None:
            store_lock.release(self._lock)
            self._lock = None

    # --- lifecycle -----------------------------------------------------------------------------
    def close(self) -> None:
        """Close the file (a writable one checkpoints), then let the next writer in."""
        try:
            self._con.close()
        finally:
            self._unlock()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- reads ---------------------------------------------------------------------------------
    def query(self, sql_text: str) -> tuple[list[str], list[tuple[object, ...]]]:
        """Run any SQL (the last statement's rows come back). For `screener sql`."""
        try:
            return self._fetch(sql_text)
        except duckdb.Error as exc:
            raise StoreError(f"query failed: {exc}") from exc

    def frame(self, sql_text: str, params: Sequence[object] | None = None) -> pl.DataFrame:
        """The result of one query as a polars frame (through Arrow)."""
        result = self._con.sql(sql_text, params=list(params) if params else None)
        return pl.DataFrame(result.to_arrow_table())

    def has_table(self, name: str) -> bool:
        """Whether the file has this table (an older, read-only file may lack the newer ones)."""
        found = self._fetch(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = 'main'"
            " AND table_name = ?",
            [name],
        )[1]
        return bool(found)

    def latest_run_id(self) -> str | None:
        _, rows = self._fetch(
            "SELECT run_id FROM runs"
            " ORDER BY started_at DESC, finished_at DESC, run_id DESC LIMIT 1"
        )
        return str(rows[0][0]) if rows else None

    def find_run_by_input(self, input_hash: str) -> str | None:
        _, rows = self._fetch(
            "SELECT run_id FROM runs WHERE input_hash = ? ORDER BY started_at DESC LIMIT 1",
            [input_hash],
        )
        return str(rows[0][0]) if rows else None

    def explain(self, entry_number: str, line_number: int | None = None) -> list[dict[str, object]]:
        """Each matching line of the latest run holding the entry: its entries row, hits, flags
        and the run's provenance (ruleset, list versions, input). [] when not found."""
        return store_explain.explain(self, entry_number, line_number)

    def summary(self, run_id: str, *, top: int = 10) -> dict[str, object]:
        """The headline numbers of one run, for the demo and the CLI."""
        runs = self.dicts(
            "SELECT run_id, started_at, finished_at, lines_in, accepted, rejected, ruleset_name,"
            " ruleset_version FROM runs WHERE run_id = ?",
            [run_id],
        )
        if not runs:
            raise StoreError(f"no run {run_id!r} in {self.path}; `screener sql` lists the runs")
        out: dict[str, object] = dict(runs[0])
        out["duty_by_class"] = self.dicts(
            "SELECT duty_class, lines, entered_value_usd, duty_usd, trust_fund_usd,"
            " lines_not_computable FROM duty_by_class WHERE run_id = ?"
            " ORDER BY duty_usd DESC NULLS LAST, duty_class",
            [run_id],
        )
        out["top_flags"] = self.dicts(
            "SELECT rule, count(*) AS count FROM flags WHERE run_id = ?"
            " GROUP BY rule ORDER BY count DESC, rule LIMIT ?",
            [run_id, top],
        )
        out["top_hits"] = self.dicts(
            "SELECT list_id, entity_id, arg_max(matched_name, score) AS matched_name,"
            " count(DISTINCT (entry_number, line_number)) AS lines, max(score) AS max_score"
            " FROM hits WHERE run_id = ? GROUP BY list_id, entity_id"
            " ORDER BY lines DESC, max_score DESC, list_id, entity_id LIMIT ?",
            [run_id, top],
        )
        fund = self.dicts("SELECT * EXCLUDE (run_id) FROM trust_fund WHERE run_id = ?", [run_id])
        out["trust_fund"] = fund[0]
        return out

    # --- writes --------------------------------------------------------------------------------
    def write_run(
        self,
        run: RunRecord,
        entries: pl.DataFrame,
        rejects: pl.DataFrame,
        entity_names: pl.DataFrame,
        *,
        force: bool = False,
        extra: Mapping[str, pl.DataFrame] | None = None,
    ) -> None:
        """Store one run in one transaction; with `force`, replace a run of the same input.

        `run_id` of entries and rejects is set from `run`; other columns must have the schema's
        dtypes (all-null columns are cast). `extra` appends rows to other tables in the same
        transaction (suppressed_hits, allowlist_audit; their run_id is set too). Any failure
        rolls back to the previous state.
        """
        sql.conform(entries, "entries", run.run_id)  # a wrong frame fails before the transaction
        with self.writing_run(run.run_id, run.input_hash, force=force) as writer:
            writer.append(entries)
            writer.finish(run, rejects, entity_names, extra)

    @contextlib.contextmanager
    def writing_run(
        self, run_id: str, input_hash: str, *, force: bool = False
    ) -> Iterator[RunWriter]:
        """One run written in batches, in one transaction: `append` each batch of result lines,
        then `finish` with the run record. Nothing is visible, and a failure or crash leaves
        nothing, until the block ends after `finish`."""
        self._require_writable()
        with staging_dir() as stage, self.transaction():
            writer = RunWriter(self, run_id, stage)
            self._replace_previous(run_id, input_hash, force=force)
            yield writer
            if not writer.finished:
                raise StoreError(f"run {run_id} was not finished; nothing was written")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        self._require_writable()
        self._con.begin()
        try:
            yield
            self._con.commit()
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                self._con.rollback()
            raise

    def append(self, table: str, frame: pl.DataFrame, *, run_id: str | None = None) -> None:
        """Insert a frame holding `table`'s columns (see `write_run`); NUMBERED tables number
        the rows. Call inside `transaction()` to group it with other writes."""
        self._require_writable()
        name = f"_new_{table}"
        self._con.register(name, sql.conform(frame, table, run_id))
        try:
            self._fetch(sql.insert_rows(table, name))
        finally:
            with contextlib.suppress(duckdb.Error):
                self._con.unregister(name)

    def export_parquet(self, run_id: str, out_dir: str | Path) -> list[Path]:
        """entries, hits, flags and rejects of one run as <out_dir>/<table>.parquet, written in a
        staging folder and renamed into place (screener.store_files): a reader or a crash never
        finds half a file under a final name."""
        _, found = self._fetch("SELECT 1 FROM runs WHERE run_id = ?", [run_id])
        if not found:
            raise StoreError(f"no run {run_id!r} in {self.path}; nothing to export")
        out = Path(out_dir)
        names = [f"{table}.parquet" for table in sql.RUN_TABLES]
        with store_files.staged(out, names, run_id) as tmp:
            for table, name in zip(sql.RUN_TABLES, names, strict=True):
                self._fetch(
                    f"COPY (SELECT * FROM {sql.quote(table)} WHERE run_id = ?) "
                    f"TO {sql.literal(str(tmp[name]))} (FORMAT parquet)",
                    [run_id],
                )
        return [out / name for name in names]

    # --- internals -----------------------------------------------------------------------------
    def _fetch(
        self, sql_text: str, params: Sequence[object] | None = None
    ) -> tuple[list[str], list[tuple[object, ...]]]:
        """Run a statement and read its result to the end (the connection holds no open result)."""
        self._con.execute(sql_text, list(params) if params is not None else None)
        columns = [d[0] for d in self._con.description or []]
        return columns, self._con.fetchall()

    def dicts(
        self, sql_text: str, params: Sequence[object] | None = None
    ) -> list[dict[str, object]]:
        """The rows of one statement as dicts."""
        columns, rows = self._fetch(sql_text, params)
        return [dict(zip(columns, row, strict=True)) for row in rows]

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"database {self.path} is open read-only; open it without read_only")

    def _create_schema(self) -> None:
        """Create what is missing (tables, and the ADDITIVE tables' new columns); never drop."""
        with self.transaction():
            self._fetch(sql.create_table("runs", RUN_COLUMNS, primary_key=("run_id",)))
            for table in sql.TABLES:
                self._fetch(sql.create_table(table, sql.table_columns(table)))
            have = self._columns()
            for table in sql.ADDITIVE:
                for column in sql.TABLES[table]:
                    if column not in have.get(table, set()):
                        self._fetch(sql.add_column(table, column))
            for table, added in sql.ADDED_COLUMNS.items():  # e.g. entries.regulatory_notes
                for column in added:
                    if column not in have.get(table, set()):
                        self._fetch(sql.add_column(table, column))
            self._check_columns()
            self._fetch(sql.views_sql())
            store_comments.apply_comments(self._con)  # after the views: replacing drops them

    def _columns(self) -> dict[str, set[str]]:
        _, rows = self._fetch(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = 'main'"
        )
        have: dict[str, set[str]] = {}
        for table, column in rows:
            have.setdefault(str(table), set()).add(str(column))
        return have

    def _check_columns(self) -> None:
        """Refuse a database whose tables lack columns this version writes."""
        expected = {"runs": RUN_COLUMNS} | {t: sql.table_columns(t) for t in sql.TABLES}
        have = self._columns()
        problems = [
            f"{table} lacks {', '.join(sorted(set(cols) - have.get(table, set())))}"
            for table, cols in expected.items()
            if set(cols) - have.get(table, set())
        ]
        if problems:
            raise StoreError(
                f"database {self.path} was made by another screener version"
                f" ({'; '.join(problems)}); screen into a new database file"
            )

    def _replace_previous(self, run_id: str, input_hash: str, *, force: bool) -> None:
        _, same_id = self._fetch("SELECT 1 FROM runs WHERE run_id = ?", [run_id])
        previous = self.dicts(
            "SELECT run_id, started_at FROM runs WHERE input_hash = ? ORDER BY started_at",
            [input_hash],
        )
        if previous and not force:
            last = previous[-1]
            when = last["started_at"]
            when_text = when.strftime("%Y-%m-%d %H:%M UTC") if isinstance(when, datetime) else when
            raise StoreError(
                f"input already screened in run {last['run_id']} on {when_text};"
                " use --force to replace it"
            )
        old_ids = [str(p["run_id"]) for p in previous]
        if same_id and run_id not in old_ids:
            raise StoreError(f"run id {run_id} already exists in {self.path}; use a new run id")
        for table in (*sql.RUN_TABLES, *sql.RUN_EXTRA, "runs"):
            for old in old_ids:
                self._fetch(f"DELETE FROM {sql.quote(table)} WHERE run_id = ?", [old])

    def _insert_run(self, run: RunRecord) -> None:
        values: list[object] = []
        for field in dataclasses.fields(run):
            value = getattr(run, field.name)
            if field.name in sql.JSON_COLUMNS:
                value = json.dumps(value, default=str, sort_keys=True)
            elif isinstance(value, datetime):
                value = _naive_utc(value)
            values.append(value)
        marks = ", ".join("?" for _ in values)
        self._fetch(f"INSERT INTO runs ({sql.column_list(RUN_COLUMNS)}) VALUES ({marks})", values)

    def _insert_entries(self, source: str) -> None:
        self._fetch(sql.insert_from("entries", source))

    def _insert_hits(self, source: str) -> None:
        self._fetch(sql.insert_exploded("hits", "match_hits", source))

    def _insert_flags(self, source: str) -> None:
        self._fetch(sql.insert_exploded("flags", "origin_flags", source))

    def _insert_rejects(self, source: str) -> None:
        self._fetch(sql.insert_from("rejects", source))

    def _insert_entity_names(self, source: str) -> None:
        self._fetch(sql.insert_new_entity_names(source))


def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


__all__ = ["RUN_COLUMNS", "RunRecord", "RunWriter", "Store"]
