"""Entry NDJSON bytes -> one column per key, plus ``ROW_PROBLEM`` per line.

Fast path: polars reads the whole file. Slow path, when polars refuses it: each line is parsed on
its own; a line that is not a JSON object becomes a row whose ``ROW_PROBLEM`` says why, and the
rest of the file goes on. Values become text (lists joined with ';'), as ``ingest`` expects.
"""

from __future__ import annotations

import io
import json

import polars as pl

from screener.errors import InputError
from screener.ingest_csv import ROW_PROBLEM

__all__ = ["read_ndjson_bytes"]


def read_ndjson_bytes(data: bytes, source: str) -> pl.DataFrame:
    try:
        return pl.read_ndjson(io.BytesIO(data), infer_schema_length=None)
    except pl.exceptions.PolarsError:
        pass  # the slow path reads line by line and says which line is broken
    rows: list[dict[str, str | None]] = []
    problems: list[str | None] = []
    for number, line in enumerate(data.decode("utf-8").split("\n"), start=1):
        if not line.strip():
            continue
        problem: str | None
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            value, problem = (
                {},
                f"line {number:,} is not valid JSON ({exc.msg}, column {exc.colno})",
            )
        else:
            problem = None if isinstance(value, dict) else f"line {number:,} is not a JSON object"
        rows.append({k: _text(v) for k, v in value.items()} if isinstance(value, dict) else {})
        problems.append(problem)
    if all(p is not None for p in problems):
        first = problems[0] if problems else "the file holds no line"
        raise InputError(f"{source}: cannot be read as NDJSON: {first}")
    names = list(dict.fromkeys(k for row in rows for k in row))
    columns: dict[str, list[str | None]] = {k: [row.get(k) for row in rows] for k in names}
    columns[ROW_PROBLEM] = problems
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(v) for v in value if v is not None)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
