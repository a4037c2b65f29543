"""Entry files and DuckDB tables read as frames of their own columns, in pieces.

A directory means its entry files, sorted. Parquet files and DuckDB tables come in slices of at
most ``rows`` rows (row ranges of a lazy scan), so a file of 10,000,000 lines is never held
whole; a CSV file up to 128 MiB comes whole, a larger one in pieces of whole records
(``screener.ingest_text``); an NDJSON file comes whole (its broken lines are numbered and judged
on the whole text, see ``ingest_json``). Each piece is ``(frame, encoding read or "", note or "")``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from screener.encoding import decode_to_utf8
from screener.errors import InputError
from screener.ingest_csv import read_csv_bytes
from screener.ingest_json import read_ndjson_bytes
from screener.ingest_text import read_text_pieces

__all__ = ["SUFFIXES", "Piece", "expand", "read_duckdb", "read_file", "sha256", "split_duckdb_spec"]

SUFFIXES = (".csv", ".parquet", ".ndjson", ".jsonl")
Piece = tuple[pl.DataFrame, str, str]


def expand(inputs: Sequence[str | Path]) -> list[Path]:
    files: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
            if not found:
                raise InputError(f"{path}: directory holds no {'/'.join(SUFFIXES)} files")
            files.extend(found)
        elif not path.exists():
            raise InputError(f"{path}: no such file or directory")
        elif path.suffix.lower() not in SUFFIXES:
            raise InputError(
                f"{path}: unknown file type {path.suffix!r}; entry files end in "
                f"{', '.join(SUFFIXES)} (a DuckDB table is read with --from-duckdb FILE:TABLE)"
            )
        else:
            files.append(path)
    return files


def read_file(path: Path, encoding: str, rows: int) -> Iterator[Piece]:
    """The file's pieces: Parquet in slices of ``rows``, text files by ``read_text_pieces``."""
    suffix = path.suffix.lower()
    kind = suffix.lstrip(".").upper()
    try:
        if suffix == ".parquet":
            scan = pl.scan_parquet(path)
            total = int(scan.select(pl.len()).collect().item())
            pieces: list[tuple[int, int]] = [(o, rows) for o in range(0, max(total, 1), rows)]
        else:
            if suffix == ".csv":
                yield from read_text_pieces(path, encoding, read_csv_bytes, header=True)
                return
            text = decode_to_utf8(path.read_bytes(), encoding, str(path))
            frame = read_ndjson_bytes(text.data, str(path))
            chosen, note = text.encoding, text.note
            del text  # the bytes go before the frame is validated
            yield frame, chosen, note
            return
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(f"{path}: cannot be read as {kind}: {exc}") from exc
    for offset, length in pieces:
        try:
            piece = scan.slice(offset, length).collect()
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise InputError(f"{path}: cannot be read as {kind}: {exc}") from exc
        yield piece, "", ""


def split_duckdb_spec(spec: str) -> tuple[Path, str]:
    db, sep, table = spec.rpartition(":")
    if not sep or not db or not table:
        raise InputError(f"{spec!r}: a DuckDB source is FILE:TABLE, e.g. history.duckdb:entries")
    path = Path(db)
    if not path.is_file():
        raise InputError(f"{spec!r}: DuckDB file {db!r} does not exist")
    return path, table


def read_duckdb(path: Path, table: str, rows: int) -> Iterator[Piece]:
    """The table's rows in slices of ``rows`` (its stored order), read through Arrow."""
    ident = ".".join('"' + part.replace('"', '""') + '"' for part in table.split("."))
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            reader = con.sql(f"SELECT * FROM {ident}").to_arrow_reader(rows)
            first = True
            for batch in reader:
                first = False
                yield _frame(pa.Table.from_batches([batch])), "", ""
            if first:  # no row: still one piece, so its columns are checked
                yield _frame(reader.schema.empty_table()), "", ""
    except duckdb.Error as exc:
        raise InputError(f"{path}:{table}: cannot read the table: {exc}") from exc


def sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _frame(table: pa.Table) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame
