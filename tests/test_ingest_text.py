"""A large CSV file read in pieces of whole records gives what reading it whole gives.

The pieces are forced tiny (``SCREENER_TEXT_CHUNK_BYTES``) so every file of the hostile-input
corpus, and the sample files, is cut at many places: inside quoted newlines, CRLF, a BOM, Latin-1
bytes, ragged rows. Accepted lines, rejects (row numbers, fields, reasons), the encoding chosen
and its note must be identical, and a file refused whole is refused in pieces with the same
message.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screener.errors import InputError
from screener.ingest import read_entries
from screener.ingest_text import _boundary, _first_record_end

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "data" / "hostile"
SAMPLE = ROOT / "sample_entries"
FILES = sorted(
    [p for p in HOSTILE.iterdir() if p.suffix == ".csv"]
    + [p for p in SAMPLE.iterdir() if p.suffix == ".csv"],
    key=lambda p: p.name,
)


def _read(path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int | None) -> object:
    if chunk is None:
        monkeypatch.delenv("SCREENER_TEXT_CHUNK_BYTES", raising=False)
    else:
        monkeypatch.setenv("SCREENER_TEXT_CHUNK_BYTES", str(chunk))
    try:
        result = read_entries([path])
    except InputError as exc:
        return ("refused", str(exc))
    sources = [(s.rows, s.encoding, s.notes, s.ignored_columns) for s in result.sources]
    return (result.accepted.to_dicts(), result.rejects.to_dicts(), sources)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_pieces_read_like_the_whole_file(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _read(path, monkeypatch, None)
    total = path.stat().st_size
    for size in sorted({max(total // 9, 16), max(total // 2, 16), 65_536}):
        if size < total:  # a file no larger than a piece is read whole anyway
            assert _read(path, monkeypatch, size) == whole, f"pieces of {size} bytes"


def test_a_piece_ends_only_at_a_newline_outside_quotes() -> None:
    data = b'a,b\n1,"x\ny"\n2,"p\nq'
    assert _boundary(data, quoted=True) == len(b'a,b\n1,"x\ny"\n')
    assert _boundary(b'1,"open\nstill open', quoted=True) == -1
    assert _boundary(b'{"a": 1}\n{"a"', quoted=False) == len(b'{"a": 1}\n')
    assert _first_record_end(b'"col\none",b\n1,2\n') == len(b'"col\none",b\n')


def test_a_record_longer_than_a_piece_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 5,000-character supplier name in pieces of 512 bytes: the piece grows to hold it."""
    source = SAMPLE / "entries_2026q1_a.csv"
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    frame = pl.read_csv(source, infer_schema=False, n_rows=3)
    long_name = "Fictitious Long Name Metals " * 180
    row = frame.row(1, named=True) | {"supplier_name": long_name}
    path = tmp_path / "long.csv"
    path.write_text(
        lines[0] + lines[1] + pl.DataFrame([row]).write_csv(include_header=False) + lines[3],
        encoding="utf-8",
    )
    whole = _read(path, monkeypatch, None)
    assert _read(path, monkeypatch, 512) == whole
    assert isinstance(whole, tuple) and len(whole[0]) + len(whole[1]) == 3  # type: ignore[arg-type]
