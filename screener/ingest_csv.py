"""Entry CSV text -> one String column per header name, plus ``ROW_PROBLEM`` per row.

Fast path: polars reads the file; when it reads without error (so no record has too many fields)
and the separators add up (so none has too few, and there is no blank line), that is the frame.
Slow path, for a broken file only: Python's ``csv`` reads record by record; a record with too
few or too many fields becomes a row whose ``ROW_PROBLEM`` says so (its fields padded or cut
to the header), blank lines are skipped, and the rest of the file goes on.
"""

from __future__ import annotations

import csv
import io

import polars as pl

from screener.errors import InputError

__all__ = ["ROW_PROBLEM", "read_csv_bytes"]

ROW_PROBLEM = "_row_problem"  # null, or why the row as a whole cannot be read


def _separator(header: str) -> str:
    """',' unless the header has no comma and uses ';', tab or '|'."""
    if "," in header or not any(s in header for s in ";\t|"):
        return ","
    return max(";\t|", key=header.count)


def read_csv_bytes(data: bytes, source: str, line_offset: int = 0) -> pl.DataFrame:
    """UTF-8 CSV bytes (BOM and CRLF tolerated) -> String columns + ``ROW_PROBLEM``.

    ``line_offset``: for a piece of a larger file (``screener.ingest_text``), the file lines
    between the header and the piece's first record, so problems name the file's line numbers."""
    if not data.strip().lstrip(b"\xef\xbb\xbf").strip():
        raise InputError(f"{source}: file is empty; an entry CSV starts with a header row")
    header = data.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    sep = _separator(header)
    try:
        frame = pl.read_csv(
            io.BytesIO(data), separator=sep, infer_schema=False, raise_if_empty=False
        )
    except pl.exceptions.PolarsError:
        frame = None  # e.g. a row with too many fields: the slow path says which
    if frame is not None and _regular(frame, data, sep):
        return frame.with_columns(pl.lit(None, dtype=pl.String).alias(ROW_PROBLEM))
    return _read_slow(data.decode("utf-8"), sep, source, line_offset)


def _regular(frame: pl.DataFrame, data: bytes, sep: str) -> bool:
    """True when every record has the header's field count, given polars read the file (so no
    record has more). Separators in the file minus those inside values must then be exactly
    (records + 1) x (columns - 1): a short record or a blank line makes it fewer."""
    if not frame.width:
        return False
    inside = sum(name.count(sep) for name in frame.columns)
    if frame.height:
        in_values = pl.sum_horizontal(pl.all().str.count_matches(sep, literal=True).sum())
        inside += int(frame.select(in_values).item() or 0)
    return data.count(sep.encode()) - inside == (frame.height + 1) * (frame.width - 1)


def _read_slow(text: str, sep: str, source: str, line_offset: int = 0) -> pl.DataFrame:
    lines = io.StringIO(text.removeprefix("\ufeff"), newline="").readlines()
    reader = csv.reader(lines, delimiter=sep)
    try:
        names = _unique(next(reader))
    except StopIteration:
        raise InputError(
            f"{source}: file is empty; an entry CSV starts with a header row"
        ) from None
    n = len(names)
    columns: list[list[str | None]] = [[] for _ in range(n)]
    problems: list[str | None] = []
    end = reader.line_num
    for record in reader:
        start, end = end + 1, reader.line_num
        if len(record) <= 1 and not "".join(record).strip():
            continue  # a blank line is not an entry line
        first, last = start + line_offset, end + line_offset  # lines of the whole file
        where = f"line {first:,}" if first == last else f"lines {first:,}-{last:,}"
        if end == len(lines) and sum(line.count('"') for line in lines[start - 1 : end]) % 2:
            problems.append(
                f"a quote opened on line {first:,} is never closed, so {where} of the file "
                "were read as this one row; close the quote"
            )
            record = (record + [""] * n)[:n]
        elif len(record) != n:
            problems.append(
                f"row has {len(record)} fields, the header has {n} ({where} of the file; "
                "a separator inside a value must be quoted, a quote must be closed)"
            )
            record = (record + [""] * n)[:n]
        else:
            problems.append(None)
        for column, value in zip(columns, record, strict=True):
            column.append(value if value != "" else None)
    data: dict[str, list[str | None]] = dict(zip(names, columns, strict=True))
    data[ROW_PROBLEM] = problems
    return pl.DataFrame(data, schema=dict.fromkeys(data, pl.String))


def _unique(names: list[str]) -> list[str]:
    """Header names as polars would give them: a repeat gets ``_duplicated_N``."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        if name in seen:
            out.append(f"{name}_duplicated_{seen[name]}")
            seen[name] += 1
        else:
            out.append(name)
            seen[name] = 0
    return out
