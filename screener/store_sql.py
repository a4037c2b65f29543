"""The SQL of the DuckDB store, derived from `screener.schema` so that no column is spelled twice.

`duckdb_type` maps a polars dtype to its DuckDB type; every table's DDL and every insert's column
list is built from the dicts in `schema`. The analyst views are plain SQL in
`screener/data/store_views.sql`.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources

import polars as pl
import pyarrow as pa
from polars.datatypes import DataTypeClass

from screener import schema
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


def _fields(struct: pl.Struct) -> dict[str, pl.DataType]:
    return {f.name: f.dtype() if isinstance(f.dtype, type) else f.dtype for f in struct.fields}


_LINE_KEY: dict[str, pl.DataType] = {
    "run_id": pl.String(),
    "entry_number": pl.String(),
    "line_number": pl.Int64(),
}

# Analyst decisions "supplier X is not entity Y" (DESIGN §5). Read by: screener.allowlist.
ALLOWLIST: dict[str, pl.DataType] = {
    "allowlist_id": pl.Int64(),  # decision #N
    "supplier_key": pl.String(),  # screener.match.names.normalize_name of the supplier name
    "supplier_name": pl.String(),  # as the analyst typed it
    "list_id": pl.String(),
    "entity_id": pl.String(),
    "list_version": pl.String(),  # the list version the decision was made on
    "names_hash": pl.String(),  # hash of the entity's sorted names then: a change lifts it
    "decided_by": pl.String(),
    "decided_at": pl.Datetime("us"),  # UTC
    "reason": pl.String(),
    "expires_at": pl.Date(),  # in force through this date; null: until the names change
    "revoked_by": pl.String(),
    "revoked_at": pl.Datetime("us"),  # UTC
    "revoke_reason": pl.String(),
}
# Every add / revoke / expire / lapse of a decision, never updated or deleted.
ALLOWLIST_AUDIT: dict[str, pl.DataType] = {
    "audit_id": pl.Int64(),
    "allowlist_id": pl.Int64(),
    "action": pl.String(),  # add | revoke | expire | lapse
    "acted_by": pl.String(),  # the analyst, or "screener" for expire / lapse
    "acted_at": pl.Datetime("us"),  # UTC
    "reason": pl.String(),
    "run_id": pl.String(),  # the run that noticed an expiry or lapse (null otherwise)
    "list_version": pl.String(),  # the list version in use when it happened
    "names_hash": pl.String(),  # the entity's names hash when it happened
}
# A hit an active decision suppressed: kept for the auditor, out of flags, risk and duty.
SUPPRESSED_STRUCT = pl.Struct(
    {**_fields(schema.HIT_STRUCT), "allowlist_id": pl.Int64(), "suppression": pl.String()}
)
SUPPRESSED_HITS: dict[str, pl.DataType] = {**_LINE_KEY, **_fields(SUPPRESSED_STRUCT)}

# Every entity list version recorded by `screener lists update` (DESIGN §5, delta re-screening).
LIST_VERSIONS: dict[str, pl.DataType] = {
    "list_id": pl.String(),
    "list_version": pl.String(),
    "previous_version": pl.String(),  # the version the counts compare with (null: first)
    "loaded_at": pl.Datetime("us"),  # UTC
    "spec": pl.String(),  # FORMAT:PATH as given
    "entities": pl.Int64(),
    "names": pl.Int64(),
    "added": pl.Int64(),  # names (entity_id, name) not in the previous version
    "changed": pl.Int64(),  # names in both whose kind, type, country, ... changed
    "removed": pl.Int64(),  # names of the previous version gone from this one
}
# One row per re-screen and list: which delta was matched against the stored party names.
RESCREENS: dict[str, pl.DataType] = {
    "rescreen_id": pl.String(),
    "list_id": pl.String(),
    "list_version": pl.String(),
    "previous_version": pl.String(),
    "started_at": pl.Datetime("us"),  # UTC
    "ruleset_name": pl.String(),
    "ruleset_version": pl.String(),
    "ruleset_hash": pl.String(),
    "delta_names": pl.Int64(),  # added and changed names matched against
    "parties": pl.Int64(),  # distinct stored supplier and manufacturer names
    "hits": pl.Int64(),  # new hits recorded
    "already_reported": pl.Int64(),  # hits an earlier re-screen of this version recorded
}
ENTRY_LINE = pl.Struct(_LINE_KEY)
RESCREEN_HITS: dict[str, pl.DataType] = {
    "rescreen_id": pl.String(),
    "list_id": pl.String(),
    "list_version": pl.String(),
    "entity_id": pl.String(),
    "name_kind": pl.String(),
    "name_change": pl.String(),  # added | changed
    "party": pl.String(),  # supplier | manufacturer
    "party_name": pl.String(),  # the stored name as declared
    "matched_name": pl.String(),
    "score": pl.Float64(),
    "confirmed": pl.Boolean(),
    "explanation": pl.String(),
    "line_count": pl.Int64(),
    "entry_lines": pl.List(ENTRY_LINE),  # every stored entry line carrying the name as party
}
# What verifying a held line found (`screener decide`, screener.decide); rows are never updated:
# a later decision on the same line is a new row and the latest one counts.
OUTCOMES: dict[str, pl.DataType] = {
    "outcome_id": pl.Int64(),  # outcome #N
    "run_id": pl.String(),  # the run whose line was decided
    "entry_number": pl.String(),
    "line_number": pl.Int64(),
    "outcome": pl.String(),  # released | confirmed (evasion confirmed)
    "decided_by": pl.String(),
    "decided_at": pl.Datetime("us"),  # UTC
    "reason": pl.String(),
}

# Tables holding polars-typed rows: name -> columns. `runs` is derived from RunRecord instead.
TABLES: dict[str, dict[str, pl.DataType]] = {
    "entries": schema.RESULT,
    "hits": schema.HITS,
    "flags": schema.FLAGS,
    "rejects": schema.REJECTS,
    "entity_names": schema.ENTITY_NAMES,
    "allowlist": ALLOWLIST,
    "allowlist_audit": ALLOWLIST_AUDIT,
    "suppressed_hits": SUPPRESSED_HITS,
    "list_versions": LIST_VERSIONS,
    "rescreens": RESCREENS,
    "rescreen_hits": RESCREEN_HITS,
    "outcomes": OUTCOMES,
}
# Tables holding one run's rows: what export_parquet writes; --force also deletes RUN_EXTRA.
RUN_TABLES: tuple[str, ...] = ("entries", "hits", "flags", "rejects")
RUN_EXTRA: tuple[str, ...] = ("suppressed_hits",)
# Tables an older database gets missing columns added to (ALTER TABLE ADD COLUMN IF NOT EXISTS);
# the others refuse a database lacking a column (Store._check_columns).
ADDITIVE: tuple[str, ...] = (
    "allowlist",
    "allowlist_audit",
    "suppressed_hits",
    "list_versions",
    "rescreens",
    "rescreen_hits",
    "outcomes",
)
# Columns of the other tables an older database gets added (null on its old rows), by table.
ADDED_COLUMNS: dict[str, tuple[str, ...]] = {"entries": ("regulatory_notes",)}
# Tables whose first column is a counter: inserts number their rows max + 1, max + 2, ...
NUMBERED: dict[str, str] = {
    "allowlist": "allowlist_id",
    "allowlist_audit": "audit_id",
    "outcomes": "outcome_id",
}
# What makes an entity_names row new.
ENTITY_NAME_KEY: tuple[str, ...] = ("list_id", "list_version", "entity_id", "name", "name_kind")

_SIMPLE_TYPES: dict[type[pl.DataType], str] = {
    pl.String: "VARCHAR",
    pl.Boolean: "BOOLEAN",
    pl.Int8: "TINYINT",
    pl.Int16: "SMALLINT",
    pl.Int32: "INTEGER",
    pl.Int64: "BIGINT",
    pl.UInt8: "UTINYINT",
    pl.UInt16: "USMALLINT",
    pl.UInt32: "UINTEGER",
    pl.UInt64: "UBIGINT",
    pl.Float32: "FLOAT",
    pl.Float64: "DOUBLE",
    pl.Date: "DATE",
    pl.Time: "TIME",
    pl.Binary: "BLOB",
}


def quote(name: str) -> str:
    """A SQL identifier, double-quoted."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A SQL string literal, single-quoted (for the few places DuckDB takes no parameter)."""
    return "'" + text.replace("'", "''") + "'"


def duckdb_type(dtype: pl.DataType | DataTypeClass) -> str:
    """The DuckDB type storing a polars dtype: List -> T[], Struct -> STRUCT(...), Datetime ->
    TIMESTAMP (TIMESTAMPTZ with a time zone)."""
    if isinstance(dtype, type):
        dtype = dtype()
    if isinstance(dtype, pl.List):
        return f"{duckdb_type(dtype.inner)}[]"
    if isinstance(dtype, pl.Struct):
        fields = ", ".join(f"{quote(f.name)} {duckdb_type(f.dtype)}" for f in dtype.fields)
        return f"STRUCT({fields})"
    if isinstance(dtype, pl.Datetime):
        return "TIMESTAMPTZ" if dtype.time_zone else "TIMESTAMP"
    if isinstance(dtype, pl.Decimal):
        return f"DECIMAL({dtype.precision or 38}, {dtype.scale or 0})"
    base = dtype.base_type()
    if base in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[base]
    raise TypeError(f"no DuckDB type for polars dtype {dtype}")


def python_sql_type(annotation: object) -> str:
    """The DuckDB type storing a RunRecord field: str, int, datetime; JSON for lists and dicts."""
    origin = typing.get_origin(annotation) or annotation
    if origin in (list, dict):
        return "JSON"
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return python_sql_type(inner[0])
    simple: dict[object, str] = {
        str: "VARCHAR",
        int: "BIGINT",
        float: "DOUBLE",
        bool: "BOOLEAN",
        datetime: "TIMESTAMP",  # UTC, naive
        date: "DATE",
    }
    if origin in simple:
        return simple[origin]
    raise TypeError(f"no DuckDB type for Python annotation {annotation!r}")


# The runs table's columns, from RunRecord's annotations.
RUN_COLUMNS: dict[str, str] = {
    name: python_sql_type(hint) for name, hint in typing.get_type_hints(RunRecord).items()
}
JSON_COLUMNS = frozenset(c for c, t in RUN_COLUMNS.items() if t == "JSON")


def create_table(name: str, columns: dict[str, str], primary_key: tuple[str, ...] = ()) -> str:
    """CREATE TABLE IF NOT EXISTS from column name -> DuckDB type."""
    lines = [f"    {quote(c)} {t}" for c, t in columns.items()]
    if primary_key:
        lines.append(f"    PRIMARY KEY ({', '.join(quote(c) for c in primary_key)})")
    body = ",\n".join(lines)
    return f"CREATE TABLE IF NOT EXISTS {quote(name)} (\n{body}\n)"


def table_columns(name: str) -> dict[str, str]:
    """Column name -> DuckDB type of one of the polars-typed tables."""
    return {c: duckdb_type(t) for c, t in TABLES[name].items()}


def column_list(columns: typing.Iterable[str], prefix: str = "") -> str:
    return ", ".join(prefix + quote(c) for c in columns)


def insert_from(table: str, source: str) -> str:
    """Insert every column of `table` from a registered frame holding the same columns."""
    cols = column_list(TABLES[table])
    return f"INSERT INTO {quote(table)} ({cols}) SELECT {cols} FROM {quote(source)}"


def insert_rows(table: str, source: str) -> str:
    """Insert a registered frame's rows; a NUMBERED table's counter goes on from its maximum
    (the frame's counter column is ignored); entity names already stored are skipped."""
    if table == "entity_names":
        return insert_new_entity_names(source)
    if table not in NUMBERED:
        return insert_from(table, source)
    counter = quote(NUMBERED[table])
    rest = column_list(c for c in TABLES[table] if c != NUMBERED[table])
    return (
        f"INSERT INTO {quote(table)} ({counter}, {rest})\n"
        f"SELECT (SELECT coalesce(max({counter}), 0) FROM {quote(table)}) + row_number() OVER (),"
        f" {rest} FROM {quote(source)}"
    )


def add_column(table: str, column: str) -> str:
    """The migration adding one column of this version to an older database's table."""
    return (
        f"ALTER TABLE {quote(table)} ADD COLUMN IF NOT EXISTS {quote(column)}"
        f" {table_columns(table)[column]}"
    )


def insert_exploded(table: str, list_column: str, source: str) -> str:
    """Insert one row per element of an entries list-of-struct column (hits, flags).

    UNNEST of an empty or null list yields no row, so the row count is the sum of list lengths.
    """
    keys = ("run_id", "entry_number", "line_number")
    fields = [c for c in TABLES[table] if c not in keys]
    return (
        f"INSERT INTO {quote(table)} ({column_list(TABLES[table])})\n"
        f"SELECT {column_list(keys)}, {column_list(fields, prefix='_item.')}\n"
        f"FROM (SELECT {column_list(keys)}, UNNEST({quote(list_column)}) AS _item"
        f" FROM {quote(source)})"
    )


def insert_new_entity_names(source: str) -> str:
    """Insert the entity names not stored yet (dedupe on ENTITY_NAME_KEY, nulls equal)."""
    cols = column_list(TABLES["entity_names"])
    same = " AND ".join(f"o.{quote(k)} IS NOT DISTINCT FROM n.{quote(k)}" for k in ENTITY_NAME_KEY)
    return (
        f"INSERT INTO entity_names ({cols})\n"
        f"SELECT DISTINCT ON ({column_list(ENTITY_NAME_KEY)}) {cols}\n"
        f"FROM {quote(source)} AS n\n"
        f"WHERE NOT EXISTS (SELECT 1 FROM entity_names AS o WHERE {same})"
    )


def _null_like(dtype: pl.DataType | DataTypeClass) -> bool:
    """An all-null column polars could not type (pl.lit(None), empty lists)."""
    if isinstance(dtype, pl.List):
        return _null_like(dtype.inner)
    return dtype == pl.Null()


def conform(frame: pl.DataFrame, table: str, run_id: str | None) -> pa.Table:
    """The frame's columns of `table` in schema order and dtypes, as Arrow; StoreError otherwise.

    `run_id`, when given and the table has the column, is set on every row."""
    columns = TABLES[table]
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


def views_sql() -> str:
    """The analyst views (CREATE OR REPLACE VIEW ...), run on every writable open."""
    return resources.files("screener").joinpath("data/store_views.sql").read_text("utf-8")
