"""``explain_line``'s text: what decided one stored entry line, read through the guarded
connection of a `screener sql` session (screener.sql_udfs).

The text is ``screener.explain_view.explain_text`` of ``explain_data``: the same words as
`screener explain` and the report, so the three never disagree.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from screener.explain_view import explain_data, explain_text
from screener.store import Store


def _store_on(cursor: duckdb.DuckDBPyConnection, db: Path) -> Store:
    """A read-only Store over an open cursor of the guarded connection: the explain readers
    take a Store, and opening the file a second time would bypass (and conflict with) the guard.
    The session closes the cursor; this Store is never closed itself."""
    store = Store.__new__(Store)
    store.path, store.read_only = db, True
    store._lock = None
    store._con = cursor
    return store


def explain_line_text(
    cursor: duckdb.DuckDBPyConnection, db: Path, entry_number: str, line_number: int
) -> str | None:
    """The explanation of one entry line in the latest run holding it; null when not stored."""
    items = explain_data(_store_on(cursor, db), entry_number, line_number)
    return explain_text(items[0]) if items else None


__all__ = ["explain_line_text"]
