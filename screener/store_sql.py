"""The SQL of the DuckDB store, derived from `screener.schema` so that no column is spelled twice.

`duckdb_type` maps a polars dtype to its DuckDB type; every table's DDL and every insert's column
list is built from the dicts in `schema`. The analyst views are plain SQL in
`screener/data/store_views.sql`.
"""

from __future__ import annotations

import types
import typing
from datetime import date, datetime
from importlib import resources

import polars as pl
from polars.datatypes import DataTypeClass

from screener import schema

# Analyst decisions "supplier X is not entity Y" (DESIGN §5), filled by a later issue.
ALLOWLIST: dict[str, pl.DataType] = {
    "supplier_key": pl.String(),  # normalized supplier name key
    "list_id": pl.String(),
    "entity_id": pl.String(),
    "list_version": pl.String(),  # the decision lapses when the listed entity changes
    "decided_by": pl.String(),
    "decided_at": pl.Datetime("us"),  # UTC
    "reason": pl.String(),
    "expires_at": pl.Date(),  # null: until the list entry changes
}

# Tables holding polars-typed rows: name -> columns. `runs` is derived from RunRecord instead.
TABLES: dict[str, dict[str, pl.DataType]] = {
    "entries": schema.RESULT,
    "hits": schema.HITS,
    "flags": schema.FLAGS,
    "rejects": schema.REJECTS,
    "entity_names": schema.ENTITY_NAMES,
    "allowlist": ALLOWLIST,
}
# Tables holding one run's rows: what --force deletes and export_parquet writes.
RUN_TABLES: tuple[str, ...] = ("entries", "hits", "flags", "rejects")
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


def views_sql() -> str:
    """The analyst views (CREATE OR REPLACE VIEW ...), run on every writable open."""
    return resources.files("screener").joinpath("data/store_views.sql").read_text("utf-8")
