"""The DuckDB database (DESIGN §9): schema, analyst views, run provenance, atomic writes.

One file holds every run. A run is written in one transaction: a failure (or a crash) anywhere in
`write_run` leaves the database as it was. Frames go in through Arrow, never row by row.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

import duckdb
import polars as pl
import pyarrow as pa
from polars.datatypes import DataTypeClass

from screener import store_sql as sql
from screener.errors import StoreError


@dataclass(frozen=True)
class RunRecord:
    """One screening run: what went in, under which rules and lists, and how many lines came out.

    Times are stored as naive UTC (aware times are converted, naive ones taken as UTC).
    """

    run_id: str
    started_at: datetime
    finished_at: datetime
    inputs: list[dict[str, object]]  # [{"path": ..., "sha256": ..., "rows": ...}]
    input_hash: str  # sha256 over the sorted input file hashes: what "same input" means
    ruleset_name: str
    ruleset_version: str
    ruleset_hash: str
    list_versions: dict[str, str]  # list_id -> list_version
    lines_in: int
    accepted: int
    rejected: int
    options: dict[str, object]  # CLI options worth recording
    summary: dict[str, object]  # free-form; "trust_fund_shares" feeds the trust_fund view


RUN_COLUMNS: dict[str, str] = {
    name: sql.python_sql_type(hint) for name, hint in typing.get_type_hints(RunRecord).items()
}
_JSON_COLUMNS = frozenset(c for c, t in RUN_COLUMNS.items() if t == "JSON")


class Store:
    """A screening database file. `read_only=True` never creates or changes anything."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(
                f"no screening database at {self.path}; create it with `screener screen ... "
                f"--db {self.path}` or check the path"
            )
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        if not read_only:
            try:
                self._create_schema()
            except BaseException:
                self._con.close()
                raise

    # --- lifecycle -----------------------------------------------------------------------------
    def close(self) -> None:
        self._con.close()

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
        where = "entry_number = ?" + (" AND line_number = ?" if line_number is not None else "")
        params: list[object] = [entry_number] + ([line_number] if line_number is not None else [])
        _, found = self._fetch(
            f"SELECT e.run_id FROM (SELECT DISTINCT run_id FROM entries WHERE {where}) AS e "
            "JOIN runs AS r USING (run_id) ORDER BY r.started_at DESC, r.run_id DESC LIMIT 1",
            params,
        )
        if not found:
            return []
        run_id = found[0][0]
        run = self._dicts("SELECT * FROM runs WHERE run_id = ?", [run_id])[0]
        provenance = {
            k: run[k]
            for k in ("run_id", "started_at", "ruleset_name", "ruleset_version", "ruleset_hash")
        }
        provenance |= {k: json.loads(str(run[k])) for k in ("list_versions", "inputs")}
        provenance["input_hash"] = run["input_hash"]
        lines = self._dicts(
            f"SELECT * FROM entries WHERE run_id = ? AND {where} ORDER BY line_number",
            [run_id, *params],
        )
        key = "run_id = ? AND entry_number = ? AND line_number = ?"
        for line in lines:
            ids = [run_id, line["entry_number"], line["line_number"]]
            line["hits"] = self._dicts(
                f"SELECT * EXCLUDE (run_id, entry_number, line_number) FROM hits WHERE {key} "
                "ORDER BY score DESC NULLS LAST",
                ids,
            )
            line["flags"] = self._dicts(
                f"SELECT * EXCLUDE (run_id, entry_number, line_number) FROM flags WHERE {key} "
                "ORDER BY weight DESC NULLS LAST, rule",
                ids,
            )
            line["run"] = provenance
        return lines

    def summary(self, run_id: str, *, top: int = 10) -> dict[str, object]:
        """The headline numbers of one run, for the demo and the CLI."""
        runs = self._dicts(
            "SELECT run_id, started_at, finished_at, lines_in, accepted, rejected, ruleset_name,"
            " ruleset_version FROM runs WHERE run_id = ?",
            [run_id],
        )
        if not runs:
            raise StoreError(f"no run {run_id!r} in {self.path}; `screener sql` lists the runs")
        out: dict[str, object] = dict(runs[0])
        out["duty_by_class"] = self._dicts(
            "SELECT duty_class, lines, entered_value_usd, duty_usd, trust_fund_usd,"
            " lines_not_computable FROM duty_by_class WHERE run_id = ?"
            " ORDER BY duty_usd DESC NULLS LAST, duty_class",
            [run_id],
        )
        out["top_flags"] = self._dicts(
            "SELECT rule, count(*) AS count FROM flags WHERE run_id = ?"
            " GROUP BY rule ORDER BY count DESC, rule LIMIT ?",
            [run_id, top],
        )
        out["top_hits"] = self._dicts(
            "SELECT list_id, entity_id, arg_max(matched_name, score) AS matched_name,"
            " count(DISTINCT (entry_number, line_number)) AS lines, max(score) AS max_score"
            " FROM hits WHERE run_id = ? GROUP BY list_id, entity_id"
            " ORDER BY lines DESC, max_score DESC, list_id, entity_id LIMIT ?",
            [run_id, top],
        )
        fund = self._dicts("SELECT * EXCLUDE (run_id) FROM trust_fund WHERE run_id = ?", [run_id])
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
    ) -> None:
        """Store one run in one transaction; with `force`, replace a run of the same input.

        `run_id` of entries and rejects is set from `run`; other columns must have the schema's
        dtypes (all-null columns are cast). Any failure rolls back to the previous state.
        """
        self._require_writable()
        frames = {
            "entries": _conform(entries, "entries", run.run_id),
            "rejects": _conform(rejects, "rejects", run.run_id),
            "entity_names": _conform(entity_names, "entity_names", None),
        }
        con = self._con
        names = {table: f"_new_{table}" for table in frames}
        con.begin()
        try:
            self._replace_previous(run, force=force)
            self._insert_run(run)
            for table, arrow in frames.items():
                con.register(names[table], arrow)
            self._insert_entries(names["entries"])
            self._insert_hits(names["entries"])
            self._insert_flags(names["entries"])
            self._insert_rejects(names["rejects"])
            self._insert_entity_names(names["entity_names"])
            con.commit()
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.rollback()
            raise
        finally:
            for name in names.values():
                with contextlib.suppress(duckdb.Error):
                    con.unregister(name)

    def export_parquet(self, run_id: str, out_dir: str | Path) -> list[Path]:
        """entries, hits, flags and rejects of one run as <out_dir>/<table>.parquet, each written
        to a temporary name and renamed into place (a reader never sees half a file)."""
        _, found = self._fetch("SELECT 1 FROM runs WHERE run_id = ?", [run_id])
        if not found:
            raise StoreError(f"no run {run_id!r} in {self.path}; nothing to export")
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        for table in sql.RUN_TABLES:
            final = out / f"{table}.parquet"
            tmp = out / f".{table}.parquet.tmp-{os.getpid()}"
            try:
                self._fetch(
                    f"COPY (SELECT * FROM {sql.quote(table)} WHERE run_id = ?) "
                    f"TO {sql.literal(str(tmp))} (FORMAT parquet)",
                    [run_id],
                )
                os.replace(tmp, final)
            finally:
                tmp.unlink(missing_ok=True)
            written.append(final)
        return written

    # --- internals -----------------------------------------------------------------------------
    def _fetch(
        self, sql_text: str, params: Sequence[object] | None = None
    ) -> tuple[list[str], list[tuple[object, ...]]]:
        """Run a statement and read its result to the end (the connection holds no open result)."""
        self._con.execute(sql_text, list(params) if params is not None else None)
        columns = [d[0] for d in self._con.description or []]
        return columns, self._con.fetchall()

    def _dicts(
        self, sql_text: str, params: Sequence[object] | None = None
    ) -> list[dict[str, object]]:
        columns, rows = self._fetch(sql_text, params)
        return [dict(zip(columns, row, strict=True)) for row in rows]

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"database {self.path} is open read-only; open it without read_only")

    def _create_schema(self) -> None:
        self._con.begin()
        try:
            self._fetch(sql.create_table("runs", RUN_COLUMNS, primary_key=("run_id",)))
            for table in sql.TABLES:
                self._fetch(sql.create_table(table, sql.table_columns(table)))
            self._check_columns()
            self._fetch(sql.views_sql())
            self._con.commit()
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                self._con.rollback()
            raise

    def _check_columns(self) -> None:
        """Refuse a database whose tables lack columns this version writes."""
        expected = {"runs": RUN_COLUMNS} | {t: sql.table_columns(t) for t in sql.TABLES}
        _, rows = self._fetch(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = 'main'"
        )
        have: dict[str, set[str]] = {}
        for table, column in rows:
            have.setdefault(str(table), set()).add(str(column))
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

    def _replace_previous(self, run: RunRecord, *, force: bool) -> None:
        _, same_id = self._fetch("SELECT 1 FROM runs WHERE run_id = ?", [run.run_id])
        previous = self._dicts(
            "SELECT run_id, started_at FROM runs WHERE input_hash = ? ORDER BY started_at",
            [run.input_hash],
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
        if same_id and run.run_id not in old_ids:
            raise StoreError(f"run id {run.run_id} already exists in {self.path}; use a new run id")
        for table in (*sql.RUN_TABLES, "runs"):
            for old in old_ids:
                self._fetch(f"DELETE FROM {sql.quote(table)} WHERE run_id = ?", [old])

    def _insert_run(self, run: RunRecord) -> None:
        values: list[object] = []
        for field in dataclasses.fields(run):
            value = getattr(run, field.name)
            if field.name in _JSON_COLUMNS:
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


def _null_like(dtype: pl.DataType | DataTypeClass) -> bool:
    """An all-null column polars could not type (pl.lit(None), empty lists)."""
    if isinstance(dtype, pl.List):
        return _null_like(dtype.inner)
    return dtype == pl.Null()


def _conform(frame: pl.DataFrame, table: str, run_id: str | None) -> pa.Table:
    """The frame's columns of `table` in schema order and dtypes, as Arrow; StoreError otherwise."""
    columns = sql.TABLES[table]
    if run_id is not None and "run_id" in columns:
        frame = frame.with_columns(pl.lit(run_id, dtype=pl.String()).alias("run_id"))
    missing = [c for c in columns if c not in frame.columns]
    wrong = [
        f"{c} is {frame.schema[c]}, expected {dtype}"
        for c, dtype in columns.items()
        if c in frame.columns and frame.schema[c] != dtype and not _null_like(frame.schema[c])
    ]
    if missing or wrong:
        problems = ([f"missing columns {', '.join(missing)}"] if missing else []) + wrong
        raise StoreError(
            f"{table} frame does not match screener.schema ({'; '.join(problems)});"
            " nothing was written"
        )
    return frame.select(pl.col(c).cast(dtype) for c, dtype in columns.items()).to_arrow()


__all__ = ["RUN_COLUMNS", "RunRecord", "Store"]
