"""Read entry lines from CSV, Parquet, NDJSON or a DuckDB table into the entry schema (DESIGN §3).

Every column is read as text first, so one bad value never fails a batch; ``entry_checks`` then
types each field and sends unreadable rows to rejects with a reason. Lines in = accepted +
rejected, always. A file that lacks a required column cannot be screened at all: that raises
``InputError`` naming the file, the column and the fix.

Column names match case-insensitively with surrounding spaces ignored; unknown columns are
ignored (listed in ``SourceInfo.ignored_columns``). ``entry_number`` is kept as given except for
surrounding whitespace; the check digit is computed on a cleaned copy (``entry_number.py``).

Hostile input: text files are decoded per ``encoding.py`` (what was chosen is a note on the
source); a CSV row with too few or too many fields is rejected on its own (``ingest_csv.py``);
an entry line read twice (same entry number and line number, across all inputs of one call) is
rejected as a duplicate naming the first row; a file that cannot be read at all raises.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import polars as pl

from screener import schema
from screener.encoding import AUTO, check_encoding
from screener.entry_checks import check_rows
from screener.errors import InputError
from screener.ingest_csv import ROW_PROBLEM
from screener.ingest_files import (
    SUFFIXES,
    Piece,
    expand,
    read_duckdb,
    read_file,
    sha256,
    split_duckdb_spec,
)
from screener.ingest_rows import NO_KEYS, mark_duplicates, with_row_problems

__all__ = [
    "SUFFIXES",
    "IngestBatch",
    "IngestResult",
    "SourceInfo",
    "iter_entries",
    "read_entries",
    "reading_options",
    "validate_frame",
]

SLICE_ROWS = 1_000_000  # Parquet / DuckDB rows read and validated at a time by iter_entries
CHUNK_ROWS = 250_000  # rows validated at a time: bounds scratch memory, paces the progress bar
MAX_VALUE_CHARS = 1_000  # a rejects.value longer than this is cut (raw keeps the whole row)
_ENCODING: ContextVar[str] = ContextVar("screener_ingest_encoding", default=AUTO)
_NOTES: ContextVar[list[str] | None] = ContextVar("screener_ingest_notes", default=None)


@dataclass(frozen=True)
class SourceInfo:
    """One input read: ``rows`` = data rows read (lines in, header not counted)."""

    path: str
    sha256: str
    rows: int
    ignored_columns: tuple[str, ...] = ()
    encoding: str = ""  # text files: the encoding read (utf-8, windows-1252, ...)
    notes: tuple[str, ...] = ()  # e.g. "read e.csv as windows-1252 (not valid UTF-8 at ...)"


@dataclass(frozen=True)
class IngestResult:
    accepted: pl.DataFrame  # schema.ENTRY + schema.PROVENANCE, in that order
    rejects: pl.DataFrame  # schema.REJECTS (run_id null: the caller fills it)
    sources: list[SourceInfo]


@dataclass(frozen=True)
class IngestBatch:
    """One piece of ``iter_entries``: lines validated together; ``source`` is set (with empty
    frames) once an input has been read to its end."""

    accepted: pl.DataFrame
    rejects: pl.DataFrame
    source: SourceInfo | None = None


def iter_entries(
    inputs: Sequence[str | Path],
    *,
    from_duckdb: Sequence[str] = (),
    valid_hts: Collection[str] | None = None,
    progress: Callable[[int], None] | None = None,
    encoding: str | None = None,
    slice_rows: int = SLICE_ROWS,
) -> Iterator[IngestBatch]:
    """``read_entries`` in pieces (Parquet and DuckDB inputs in slices of ``slice_rows``), so a
    caller can spill or screen each before the next is read. Duplicates are found across all."""
    enc = encoding or _ENCODING.get()
    hts = _hts_series(valid_hts)
    jobs: list[tuple[str, Callable[[], Iterator[Piece]], Path]] = [
        (str(p), partial(read_file, p, enc, slice_rows), p) for p in expand(inputs)
    ]
    for spec in from_duckdb:
        db, table = split_duckdb_spec(spec)
        jobs.append((spec, partial(read_duckdb, db, table, slice_rows), db))
    seen = NO_KEYS
    for source, read, path in jobs:
        rows, ignored, chosen, note = 0, tuple[str, ...](), "", ""
        for raw, enc_read, note_read in read():
            chosen, note = enc_read, note_read
            ok, bad, ignored, seen = _validate(
                raw, source=source, valid_hts=hts, progress=progress, seen=seen, first_row=rows + 1
            )
            rows += raw.height
            del raw
            yield IngestBatch(ok, bad)
        notes = (note,) if note else ()
        info = SourceInfo(source, sha256(path), rows, ignored, chosen, notes)
        if note and (collect := _NOTES.get()) is not None:
            collect.append(note)
        yield IngestBatch(
            schema.empty(schema.ENTRY | schema.PROVENANCE), schema.empty(schema.REJECTS), info
        )


def read_entries(
    inputs: Sequence[str | Path],
    *,
    from_duckdb: Sequence[str] = (),
    valid_hts: Collection[str] | None = None,
    progress: Callable[[int], None] | None = None,
    encoding: str | None = None,
) -> IngestResult:
    """Read entry files (a directory means its .csv/.parquet/.ndjson/.jsonl files, sorted) and
    ``"FILE:TABLE"`` DuckDB tables (opened read-only). ``progress`` is called with the number of
    lines just validated (an increment, as ``rich.progress.Progress.advance`` takes).
    ``encoding`` of text files: ``auto`` (default, see ``screener.encoding``) or a codec name;
    None takes the one set by ``reading_options``."""
    accepted, rejects, sources = [], [], []
    for batch in iter_entries(
        inputs, from_duckdb=from_duckdb, valid_hts=valid_hts, progress=progress, encoding=encoding
    ):
        accepted.append(batch.accepted)
        rejects.append(batch.rejects)
        if batch.source is not None:
            sources.append(batch.source)
    return IngestResult(
        accepted=_concat(accepted, schema.ENTRY | schema.PROVENANCE),
        rejects=_concat(rejects, schema.REJECTS),
        sources=sources,
    )


def validate_frame(
    frame: pl.DataFrame | pl.LazyFrame,
    *,
    source: str,
    valid_hts: Collection[str] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(accepted, rejects) for a frame a library user built; same normalization and reject rules
    as files (a repeated entry line is a duplicate reject). Columns may have any dtype; row
    numbers count the frame's rows from 1."""
    df = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
    hts = _hts_series(valid_hts)
    ok, bad, _, _ = _validate(df, source=source, valid_hts=hts, progress=None, seen=NO_KEYS)
    return ok, bad


@contextmanager
def reading_options(encoding: str = AUTO) -> Iterator[list[str]]:
    """Within the block, ``read_entries`` called without ``encoding`` (as ``run_screen`` calls
    it) uses this one; the notes it makes (encoding chosen) are appended to the list yielded."""
    check_encoding(encoding)
    notes: list[str] = []
    enc_token, notes_token = _ENCODING.set(encoding), _NOTES.set(notes)
    try:
        yield notes
    finally:
        _ENCODING.reset(enc_token)
        _NOTES.reset(notes_token)


# --- validation -------------------------------------------------------------------------------


def _validate(
    raw: pl.DataFrame,
    *,
    source: str,
    valid_hts: pl.Series | None,
    progress: Callable[[int], None] | None,
    seen: pl.DataFrame,
    first_row: int = 1,
) -> tuple[pl.DataFrame, pl.DataFrame, tuple[str, ...], pl.DataFrame]:
    """(accepted, rejects, ignored columns, ``seen`` plus this source's first entry lines)."""
    problem = raw.get_column(ROW_PROBLEM) if ROW_PROBLEM in raw.columns else None
    raw = raw.drop(ROW_PROBLEM, strict=False)
    mapping, ignored = _map_columns(raw.columns, source)
    text = _as_text(raw, source)
    entry_cols = [
        (pl.col(mapping[c]) if c in mapping else pl.lit(None, dtype=pl.String)).alias(c)
        for c in schema.ENTRY
    ]
    framed = text.select(
        pl.int_range(first_row, first_row + pl.len(), dtype=pl.Int64).alias("_row"),
        pl.struct(pl.all()).alias("_raw"),
        *entry_cols,
    ).with_columns(pl.lit(None, dtype=pl.String).alias(ROW_PROBLEM) if problem is None else problem)
    framed, seen = mark_duplicates(framed, source, seen)
    accepted, rejects = [], []
    for offset in range(0, max(framed.height, 1), CHUNK_ROWS):
        checked = check_rows(framed.slice(offset, CHUNK_ROWS), valid_hts=valid_hts)
        checked = with_row_problems(checked)
        accepted.append(_accepted(checked, source))
        rejects.append(_rejects(checked, source))
        if progress is not None and framed.height:
            progress(min(CHUNK_ROWS, framed.height - offset))
    return (
        _concat(accepted, schema.ENTRY | schema.PROVENANCE),
        _concat(rejects, schema.REJECTS),
        ignored,
        seen,
    )


def _accepted(checked: pl.DataFrame, source: str) -> pl.DataFrame:
    cols = [pl.col(f"_t_{c}").cast(t).alias(c) for c, t in schema.ENTRY.items()]
    return checked.filter(pl.col("_reason").is_null()).select(
        *cols,
        pl.lit(source, dtype=pl.String).alias("source"),
        pl.col("_row").alias("row_number"),
        pl.col("entry_check_digit_ok"),
    )


def _rejects(checked: pl.DataFrame, source: str) -> pl.DataFrame:
    bad = checked.filter(pl.col("_reason").is_not_null())
    return bad.select(
        pl.lit(None, dtype=pl.String).alias("run_id"),
        pl.lit(source, dtype=pl.String).alias("source"),
        pl.col("_row").alias("row_number"),
        pl.col("_t_entry_number").alias("entry_number"),
        pl.col("_field").alias("field"),
        _shown(pl.col("_value")).alias("value"),
        pl.col("_reason").alias("reason"),
        pl.col("_raw").struct.json_encode().alias("raw"),
    )


def _shown(value: pl.Expr) -> pl.Expr:
    """A value as rejects show it: at most ``MAX_VALUE_CHARS``, NUL bytes written as \\0."""
    cut = pl.concat_str(value.str.slice(0, MAX_VALUE_CHARS), pl.lit("..."))
    long = value.str.len_chars() > MAX_VALUE_CHARS
    return pl.when(long).then(cut).otherwise(value).str.replace_all("\x00", "\\0", literal=True)


def _map_columns(columns: Sequence[str], source: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """Entry column -> the source's column name; plus the source columns ignored."""
    mapping: dict[str, str] = {}
    ignored: list[str] = []
    for col in columns:
        key = col.replace("\ufeff", "").strip().lower()
        if key in schema.ENTRY:
            if key in mapping:
                raise InputError(
                    f"{source}: columns {mapping[key]!r} and {col!r} both mean {key!r}; "
                    "keep one of them (names match case-insensitively, spaces trimmed)"
                )
            mapping[key] = col
        else:
            ignored.append(col)
    missing = [c for c in schema.REQUIRED if c not in mapping]
    if missing:
        found = ", ".join(repr(c) for c in columns) or "none"
        names = ", ".join(repr(c) for c in missing)
        raise InputError(
            f"{source}: required column(s) {names} missing (columns found: {found}). "
            "Add the column, or rename the column holding it to that name "
            "(names match case-insensitively, surrounding spaces ignored). "
            f"Required: {', '.join(schema.REQUIRED)}."
        )
    return mapping, tuple(ignored)


def _as_text(df: pl.DataFrame, source: str) -> pl.DataFrame:
    """Every column as String: dates ISO, datetimes their date, lists joined with ';'."""
    try:
        return df.select(_text_exprs(df))
    except pl.exceptions.PolarsError as exc:
        for name, dtype in df.schema.items():  # name the column that cannot be text
            try:
                df.select(_text_exprs(df.select(name)))
            except pl.exceptions.PolarsError:
                raise InputError(
                    f"{source}: column {name!r} of type {dtype} cannot be read as text ({exc}); "
                    "write it as a string column"
                ) from exc
        raise InputError(f"{source}: cannot be read as text: {exc}") from exc


def _text_exprs(df: pl.DataFrame) -> list[pl.Expr]:
    cols = []
    for name, dtype in df.schema.items():
        col = pl.col(name)
        if dtype == pl.String:
            cols.append(col)
        elif isinstance(dtype, pl.Datetime):
            cols.append(col.dt.date().cast(pl.String))
        elif isinstance(dtype, pl.List | pl.Array):
            items = col.cast(pl.List(dtype.inner)) if isinstance(dtype, pl.Array) else col
            cols.append(items.list.eval(pl.element().cast(pl.String)).list.join(";"))
        elif isinstance(dtype, pl.Struct):
            cols.append(col.struct.json_encode())
        else:
            cols.append(col.cast(pl.String))
    return cols


def _hts_series(valid_hts: Collection[str] | None) -> pl.Series | None:
    return None if valid_hts is None else pl.Series("hts", sorted(valid_hts), dtype=pl.String)


def _concat(frames: list[pl.DataFrame], schema_: dict[str, pl.DataType]) -> pl.DataFrame:
    frames = [f for f in frames if f.height]
    if not frames:
        return schema.empty(schema_)
    return pl.concat(frames, how="vertical")
