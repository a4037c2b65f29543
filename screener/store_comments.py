"""What every table, view and column of the database means, as DuckDB comments (DESIGN §9).

The text lives in ``screener/data/store_comments.yaml``; ``apply_comments`` turns it into
``COMMENT ON`` statements for the tables, views and columns the file has, run on every writable
open after the views are (re)created (a ``CREATE OR REPLACE VIEW`` drops a view's comments). The
comments are stored in the file: ``DESCRIBE``, ``duckdb_columns()`` and DBeaver show them to any
client, the plain DuckDB CLI included.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import duckdb
import yaml

from screener.errors import StoreError
from screener.store_sql import literal, quote

COMMENTS_FILE = "data/store_comments.yaml"


@dataclass(frozen=True)
class Relation:
    """One table or view of the file: its name, kind (TABLE or VIEW), comment, and its columns
    with theirs (None: no comment yet)."""

    name: str
    kind: str
    comment: str | None
    columns: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class Comments:
    """The meanings of ``store_comments.yaml``: shared column meanings, then per table/view."""

    shared: dict[str, str]
    relations: dict[str, dict[str, Any]]  # name -> {comment, like, columns}

    def relation(self, name: str) -> str | None:
        """The comment of a table or view, None when the file has none."""
        entry = self.relations.get(name)
        text = entry.get("comment") if entry else None
        return str(text) if text else None

    def column(self, table: str, column: str) -> str | None:
        """The comment of a column: the table's own, else its ``like`` table's, else shared."""
        seen: set[str] = set()
        name: str | None = table
        while name and name not in seen:
            seen.add(name)
            entry = self.relations.get(name, {})
            own = (entry.get("columns") or {}).get(column)
            if own:
                return str(own)
            name = entry.get("like")
        found = self.shared.get(column)
        return str(found) if found else None


@lru_cache(maxsize=1)
def load_comments() -> Comments:
    """Read the comments file once per process."""
    text = resources.files("screener").joinpath(COMMENTS_FILE).read_text("utf-8")
    data = yaml.safe_load(text)
    relations = {**data.get("tables", {}), **data.get("views", {})}
    return Comments(shared=dict(data.get("columns", {})), relations=relations)


def relations(con: duckdb.DuckDBPyConnection) -> list[Relation]:
    """The tables and views of the file's main schema (not temporary), with their comments."""
    rows = con.execute(
        "WITH rel AS ("
        " SELECT table_name AS name, 'TABLE' AS kind, comment FROM duckdb_tables()"
        " WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal"
        " UNION ALL SELECT view_name, 'VIEW', comment FROM duckdb_views()"
        " WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal)"
        " SELECT r.name, r.kind, r.comment,"
        " list((c.column_name, c.comment) ORDER BY c.column_index)"
        " FROM rel AS r JOIN duckdb_columns() AS c ON c.table_name = r.name"
        " AND c.database_name = current_database() AND c.schema_name = 'main'"
        " GROUP BY ALL ORDER BY r.name"
    ).fetchall()
    return [
        Relation(str(name), str(kind), comment, tuple((c[0], c[1]) for c in cols))
        for name, kind, comment, cols in rows
    ]


def comments_sql(found: list[Relation], comments: Comments | None = None) -> str:
    """COMMENT ON statements for the tables, views and columns the file explains whose comment
    differs from it (each COMMENT ON alters the catalog: an unchanged file costs none)."""
    comments = comments or load_comments()
    statements: list[str] = []
    for rel in found:
        text = comments.relation(rel.name)
        if text and text != rel.comment:
            statements.append(f"COMMENT ON {rel.kind} {quote(rel.name)} IS {literal(text)}")
        for column, now in rel.columns:
            meaning = comments.column(rel.name, column)
            if meaning and meaning != now:
                statements.append(
                    f"COMMENT ON COLUMN {quote(rel.name)}.{quote(column)} IS {literal(meaning)}"
                )
    return ";\n".join(statements)


def apply_comments(con: duckdb.DuckDBPyConnection) -> None:
    """Comment every table, view and column of a writable connection's file that the comments
    file explains and that does not say so yet."""
    script = comments_sql(relations(con))
    if not script:
        return
    try:
        con.execute(script)
    except duckdb.Error as exc:
        raise StoreError(f"cannot comment the tables and columns: {exc}") from exc


def missing_comments(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table, view and column of the file without a comment, as TABLE or TABLE.COLUMN."""
    rows = con.execute(
        "SELECT table_name, NULL FROM duckdb_tables() WHERE schema_name = 'main'"
        " AND NOT internal AND NOT temporary AND coalesce(comment, '') = ''"
        " UNION ALL SELECT view_name, NULL FROM duckdb_views() WHERE schema_name = 'main'"
        " AND NOT internal AND NOT temporary AND coalesce(comment, '') = ''"
        " UNION ALL SELECT table_name, column_name FROM duckdb_columns()"
        " WHERE schema_name = 'main' AND database_name = current_database() AND NOT internal"
        " AND coalesce(comment, '') = '' ORDER BY 1, 2 NULLS FIRST"
    ).fetchall()
    return [str(t) if c is None else f"{t}.{c}" for t, c in rows]


__all__ = ["Comments", "apply_comments", "comments_sql", "load_comments", "missing_comments"]
