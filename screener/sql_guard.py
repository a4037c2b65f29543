"""What ``screener sql`` may run: queries on a read-only database, and no file access by default.

DuckDB's own settings do the guarding: the database is opened ``read_only``, with
``enable_external_access = false`` (no file or network reads and writes: ``read_csv*``,
``read_parquet``, ``read_json*``, ``read_text``, ``read_blob``, ``glob``, ``FROM 'file.csv'``,
``COPY``, ``ATTACH``, ``EXPORT DATABASE``, ``INSTALL``), no extension auto-install or auto-load, and
``lock_configuration = true`` so no statement can switch any of it back. A check of the statement
types (``duckdb.extract_statements``) complements them: it refuses writes (temporary objects
included), settings changes and extension loading up front, with a message that says why and what
to pass. ``--allow-files`` (``allow_files=True``) lets a query read and write files; writes to
the database are refused always.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from screener.errors import InputError
from screener.store_lock import busy_message, is_lock_conflict

Rows = tuple[list[str], list[tuple[object, ...]]]

QUERIES = "SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN, CALL, PRAGMA table_info"
ALLOW = "pass --allow-files to allow reading and writing files"
_T = duckdb.StatementType
_READS = {_T.SELECT, _T.CALL}
_WRITES = {
    _T.INSERT: "INSERT",
    _T.UPDATE: "UPDATE",
    _T.DELETE: "DELETE",
    _T.CREATE: "CREATE",
    _T.DROP: "DROP",
    _T.ALTER: "ALTER",
    _T.MERGE_INTO: "MERGE",
    _T.VACUUM: "VACUUM/ANALYZE",
    _T.COPY_DATABASE: "COPY FROM DATABASE",
    _T.CREATE_FUNC: "CREATE MACRO",
}
_FILES = {
    _T.EXPORT: "EXPORT DATABASE writes files",
    _T.ATTACH: "ATTACH opens another database file",
    _T.DETACH: "DETACH closes an attached database",
}
# PRAGMAs that only read (the others change settings or, as IMPORT DATABASE, the database)
READ_PRAGMAS = frozenset(
    {
        "collations",
        "database_list",
        "database_size",
        "functions",
        "metadata_info",
        "platform",
        "show",
        "show_databases",
        "show_tables",
        "show_tables_expanded",
        "storage_info",
        "table_info",
        "user_agent",
        "version",
    }
)
_PRAGMA = re.compile(r"\s*pragma\s+(\w+)", re.IGNORECASE)
_EXPLAIN = re.compile(r"\s*explain\s+(?:analy[sz]e\s+)?(?:\([^)]*\)\s*)?", re.IGNORECASE)
_COPY_FROM = re.compile(r"\s*copy\s+[^\s(]+(?:\s*\([^)]*\))?\s+from\b", re.IGNORECASE)


class SqlRefused(InputError):
    """A statement `screener sql` does not run: the message says which, why and what to pass."""


def _refuse(why: str) -> SqlRefused:
    return SqlRefused(f"screener sql is read-only: {why}")


def check_sql(query: str, *, allow_files: bool = False) -> None:
    """Raise ``SqlRefused`` for the first statement of ``query`` that `screener sql` refuses."""
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise InputError(f"query failed: {_first_line(exc)}") from None
    if not statements:
        raise InputError("no SQL statement given")
    for statement in statements:
        _check_statement(statement, allow_files=allow_files)


def _check_statement(statement: duckdb.Statement, *, allow_files: bool) -> None:
    try:
        kind, text = statement.type, statement.query
    except ValueError:  # a statement type the Python binding does not know (UPDATE EXTENSIONS)
        raise _refuse(f"a statement of a kind it does not know; it runs {QUERIES}") from None
    if kind in _READS:
        return
    if kind == _T.EXPLAIN:  # EXPLAIN ANALYZE runs its statement: check that one
        check_sql(_EXPLAIN.sub("", text, count=1), allow_files=allow_files)
        return
    if kind == _T.PRAGMA:
        found = _PRAGMA.match(text)
        name = found.group(1).lower() if found else ""
        if name in READ_PRAGMAS:
            return
        if re.match(r"\s*import\b", text, re.IGNORECASE):
            raise _refuse("IMPORT DATABASE writes the database; writes are always refused")
        raise _refuse(
            f"PRAGMA {name or text.strip()} changes settings; the read-only PRAGMAs are "
            f"{', '.join(sorted(READ_PRAGMAS))}"
        )
    if kind in _WRITES:
        raise _refuse(
            f"{_WRITES[kind]} changes the database; writes are always refused"
            " (the screen, allow and lists commands write it)"
        )
    if kind == _T.COPY:
        if _COPY_FROM.match(text):
            raise _refuse("COPY ... FROM writes the database; writes are always refused")
        if not allow_files:
            raise _refuse(f"COPY ... TO writes a file; {ALLOW}")
        return
    if kind in _FILES:
        if not allow_files:
            raise _refuse(f"{_FILES[kind]}; {ALLOW}")
        return
    if kind == _T.LOAD:
        raise _refuse("INSTALL and LOAD of extensions are always refused (they run code)")
    if kind == _T.SET:
        raise _refuse("SET, RESET and USE change settings; the settings are fixed")
    raise _refuse(f"{kind.name} statements are refused; it runs {QUERIES}")


def connect_guarded(db: str | Path, *, allow_files: bool = False) -> duckdb.DuckDBPyConnection:
    """``db`` opened read-only, external access off (unless ``allow_files``), no extension
    auto-install or auto-load, settings locked. `screener sql`'s functions (screener.sql_udfs)
    are registered on it afterwards: registering a function is not a setting."""
    config: dict[str, str | bool | int | float | list[str]] = {
        "enable_external_access": allow_files,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "lock_configuration": True,
    }
    try:
        return duckdb.connect(str(db), read_only=True, config=config)
    except duckdb.Error as exc:
        if is_lock_conflict(exc):  # a screen run is writing it: say who, as every command does
            raise InputError(busy_message(Path(db), exc)) from None
        raise InputError(f"cannot open database {db} read-only: {_first_line(exc)}") from None


def split_sql(query: str) -> list[str]:
    """The statements of ``query``, each as its own text (DuckDB's parser splits them, so a
    ``;`` inside a string or a comment does not); InputError when it does not parse."""
    try:
        return [statement.query for statement in duckdb.extract_statements(query)]
    except duckdb.Error as exc:
        raise InputError(f"query failed: {_first_line(exc)}") from None


def execute_checked(con: duckdb.DuckDBPyConnection, query: str) -> Rows:
    """Run already-checked SQL on a guarded connection: the last statement's columns and rows.
    Every refusal or failure is one line in an ``InputError``."""
    try:
        con.execute(query)
        columns = [d[0] for d in con.description or []]
        return columns, con.fetchall()
    except duckdb.PermissionException as exc:
        found = re.search(r'Cannot access \w+ "[^"]*"', str(exc))
        what = found.group(0) if found else _first_line(exc)
        raise _refuse(f"the query reads or writes files ({what}); {ALLOW}") from None
    except duckdb.Error as exc:
        message = _first_line(exc)
        if "read-only mode" in message:
            raise _refuse(f"{message}; writes are always refused") from None
        if "configuration has been locked" in message:
            raise _refuse(f"the settings are fixed ({message})") from None
        raise InputError(f"query failed: {message}") from None


def run_sql(db: str | Path, query: str, *, allow_files: bool = False) -> Rows:
    """Check ``query``, then run it on ``db`` opened read-only and locked; the last statement's
    columns and rows. Every refusal or failure is one line in an ``InputError``."""
    check_sql(query, allow_files=allow_files)
    con = connect_guarded(db, allow_files=allow_files)
    try:
        return execute_checked(con, query)
    finally:
        con.close()


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


__all__ = [
    "READ_PRAGMAS",
    "SqlRefused",
    "check_sql",
    "connect_guarded",
    "execute_checked",
    "run_sql",
    "split_sql",
]
