"""The functions `screener sql` adds to its session: ``fuzzy_score``, ``screen_name``,
``explain_line`` (DESIGN §9). They exist only in that session: the database file holds none of
them, so a plain DuckDB client sees the same tables and views without them.

They keep the guard of screener.sql_guard: each takes values and returns values, reads the
database only through a cursor of the guarded connection itself (read-only, no file access,
settings locked), and writes nothing anywhere (the name index is built in memory, never through
the on-disk index cache).

- ``fuzzy_score(a, b) -> DOUBLE``: the product's pair scorer, ``screener.score_pair`` (the score a
  hit carries, 0-100), through an Arrow UDF: each batch scores its distinct pairs once and the
  session remembers them. Null in, null out.
- ``screen_name(name)``: a table macro over ``_screen_name(name)`` (a LIST of STRUCT):
  ``list_id, entity_id, name, score, explanation`` of the stored entity names (each list's current
  version, ``current_list_versions``) that the real matcher (``screener.match.match_names``) scores
  at or above the ruleset's review threshold for that list, best first.
- ``explain_line(entry_number, line_number) -> VARCHAR``: what decided that entry line in the
  latest run holding it, as text (screener.sql_explain).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa
from duckdb.func import FunctionNullHandling, PythonUDFType

from screener import schema
from screener import store_sql as sql
from screener.errors import InputError
from screener.match import NameIndex, build_index, match_names
from screener.match.pair import score_pair
from screener.ruleset import DEFAULT_RULESET, Ruleset, load_ruleset
from screener.sql_explain import explain_line_text

SCREEN_COLUMNS = (
    "list_id VARCHAR, entity_id VARCHAR, name VARCHAR, score DOUBLE, explanation VARCHAR"
)
_NOT_PARTIES = ("vessel", "aircraft")  # as the pipeline: never matched against party names
# The table macro: one row per hit, columns as SCREEN_COLUMNS (struct fields unnested).
SCREEN_MACRO = (
    "CREATE OR REPLACE TEMP MACRO screen_name(n) AS TABLE "
    "SELECT UNNEST(_screen_name(n), recursive := true)"
)


@lru_cache(maxsize=1 << 16)
def _pair_score(a: str, b: str) -> float:
    return score_pair(a, b).score


def fuzzy_score(a: pa.Array, b: pa.Array) -> pa.Array:
    """``screener.score_pair(a, b).score`` of each row (0-100; the same scorer and the same
    normalization as the hits' ``score``), null where either side is null. Vectorized per Arrow
    batch: distinct pairs are scored once (about 4,000 distinct pairs a second on one core) and
    remembered for the session, so a column of repeated supplier names costs its distinct ones."""
    left, right = a.to_pylist(), b.to_pylist()
    scores = [
        None if x is None or y is None else _pair_score(str(x), str(y))
        for x, y in zip(left, right, strict=True)
    ]
    return pa.array(scores, type=pa.float64())


class NameScreen:
    """``screen_name``'s state for one session: the index of the stored entity names and the
    ruleset's thresholds, built on the first call (about 2 s on the bundled lists) and kept."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, ruleset: str | None) -> None:
        self._cursor = cursor
        self._ruleset_spec = ruleset
        self._index: NameIndex | None = None
        self._ruleset: Ruleset | None = None
        self._cache: dict[str, list[dict[str, Any]]] = {}

    def ruleset(self) -> Ruleset:
        """``--ruleset`` when given, else the ruleset of the latest run, else the default."""
        if self._ruleset is None:
            spec = self._ruleset_spec
            if spec is None:
                rows = self._cursor.execute(
                    "SELECT ruleset_name FROM runs ORDER BY started_at DESC, run_id DESC LIMIT 1"
                ).fetchall()
                spec = str(rows[0][0]) if rows else DEFAULT_RULESET
            self._ruleset = load_ruleset(spec)
        return self._ruleset

    def index(self) -> NameIndex:
        """The stored names of each list's current version (parties only: no vessel, aircraft)."""
        if self._index is None:
            cols = sql.column_list(schema.ENTITY_NAMES, prefix="n.")
            table = self._cursor.sql(
                f"SELECT {cols} FROM entity_names AS n JOIN current_list_versions AS c"
                " USING (list_id, list_version)"
                f" WHERE n.entity_type IS NULL OR n.entity_type NOT IN {_NOT_PARTIES}"
            ).to_arrow_table()
            names = pl.DataFrame(table).cast(schema.ENTITY_NAMES)  # type: ignore[arg-type]
            self._index = build_index(names, cache=False)  # in memory: the session writes nothing
        return self._index

    def screen(self, name: str | None) -> list[dict[str, Any]] | None:
        """The hits of one name, best first (as SCREEN_COLUMNS dicts); null for a null name."""
        if name is None:
            return None
        if name not in self._cache:
            ruleset = self.ruleset()

            def limits(list_id: str) -> tuple[float, float]:
                found = ruleset.thresholds(list_id)
                return found.review, found.confirm

            hits = match_names([name], self.index(), limits)
            self._cache[name] = [
                {
                    "list_id": row["list_id"],
                    "entity_id": row["entity_id"],
                    "name": row["matched_name"],
                    "score": row["score"],
                    "explanation": f"'{name}' ~ {row['explanation']}",
                }
                for row in hits.sort(
                    ["score", "list_id", "entity_id"], descending=[True, False, False]
                ).iter_rows(named=True)
            ]
        return self._cache[name]


def register_udfs(
    con: duckdb.DuckDBPyConnection, db: Path, *, ruleset: str | None = None
) -> duckdb.DuckDBPyConnection:
    """Add fuzzy_score, screen_name and explain_line to a guarded connection; returns the
    cursor they read through (close it before the connection)."""
    cursor = con.cursor()
    screen = NameScreen(cursor, ruleset)
    con.create_function(
        "fuzzy_score",
        fuzzy_score,
        ["VARCHAR", "VARCHAR"],
        "DOUBLE",
        type=PythonUDFType.ARROW,
        null_handling=FunctionNullHandling.SPECIAL,
    )
    con.create_function(
        "_screen_name",
        screen.screen,
        ["VARCHAR"],
        f"STRUCT({SCREEN_COLUMNS})[]",
        null_handling=FunctionNullHandling.SPECIAL,
    )

    def explain_line(entry_number: str | None, line_number: int | None) -> str | None:
        if entry_number is None or line_number is None:
            return None
        return explain_line_text(cursor, db, entry_number, line_number)

    con.create_function(
        "explain_line",
        explain_line,
        ["VARCHAR", "BIGINT"],
        "VARCHAR",
        null_handling=FunctionNullHandling.SPECIAL,
    )
    try:
        con.execute(SCREEN_MACRO)
    except duckdb.Error as exc:  # pragma: no cover - a temp macro on a read-only file works
        raise InputError(f"cannot add screen_name to the session: {exc}") from None
    return cursor


__all__ = ["SCREEN_COLUMNS", "NameScreen", "fuzzy_score", "register_udfs"]
