"""A large CSV entry file read in pieces of whole records, so it is never held whole.

A file up to ``chunk_bytes`` (``SCREENER_TEXT_CHUNK_BYTES``, default 128 MiB) is read whole, as
before. A larger one is read twice: a first pass decides the encoding exactly as
``screener.encoding.decode_to_utf8`` would on the whole file (streaming UTF-8 check; the
Windows-1252 / Latin-1 choice from every byte); the second cuts the raw bytes into pieces of about
``chunk_bytes`` at record boundaries and parses each with the same reader as a whole file, a CSV
piece with the file's header record in front. A record boundary is a newline outside quotes:
counting ``"`` from a boundary, a newline after an even number of them ends a record (RFC 4180
doubles a quote inside a field, which keeps the count even). NDJSON records never hold a raw
newline. Pieces give the same frame, row for row, as reading the file whole
(``tests/test_ingest_text.py`` checks that on every file of the hostile-input corpus).

A codec in which newline and quote are not single ASCII bytes (UTF-16, UTF-32) is read whole.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl

from screener.encoding import AUTO, check_encoding, decode_to_utf8
from screener.errors import InputError

__all__ = ["CHUNK_BYTES", "chunk_bytes_default", "read_text_pieces"]

CHUNK_BYTES = 128 * 1024 * 1024
_BLOCK = 16 * 1024 * 1024
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
Reader = Callable[..., pl.DataFrame]  # (UTF-8 bytes, source, line_offset=) -> frame
TextPiece = tuple[pl.DataFrame, str, str]


def chunk_bytes_default() -> int:
    """Bytes per piece of a large text file: ``SCREENER_TEXT_CHUNK_BYTES`` or 128 MiB."""
    return int(os.environ.get("SCREENER_TEXT_CHUNK_BYTES", "") or CHUNK_BYTES)


def _ascii_framed(encoding: str) -> bool:
    if encoding.strip().lower() == AUTO:
        return True
    return '\n"'.encode(check_encoding(encoding)) == b'\n"'


def _blocks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            yield block


def _decide(path: Path, encoding: str) -> tuple[str, str, str]:
    """``(codec, encoding name, note)`` for the whole file: for ``auto`` what ``decode_to_utf8``
    would pick and say; ``codec`` "" means the bytes are UTF-8 already."""
    source = str(path)
    if encoding.strip().lower() != AUTO:
        codec = check_encoding(encoding)
        if codec in ("utf-8", "utf-8-sig"):
            return "", "utf-8", ""
        return codec, codec, f"read {source} as {codec} (--encoding {encoding})"
    decoder = codecs.getincrementaldecoder("utf-8")()
    done = lines = 0
    try:
        for block in _blocks(path):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                at = done - len(decoder.getstate()[0]) + exc.start
                raise _Invalid(at) from None
            done += len(block)
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:  # a sequence cut off by the end of the file
            raise _Invalid(done - pending + exc.start) from None
        return "", "utf-8", ""
    except _Invalid as exc:
        bad = exc.offset
    with path.open("rb") as handle:
        lines = handle.read(bad).count(b"\n") + 1
    undefined = any(not _CP1252_UNDEFINED.isdisjoint(block) for block in _blocks(path))
    chosen = "latin-1" if undefined else "windows-1252"
    note = (
        f"read {source} as {chosen} (not valid UTF-8 at byte {bad:,}, line {lines:,}); "
        "pass --encoding to choose another"
    )
    return ("latin-1" if undefined else "cp1252"), chosen, note


class _Invalid(Exception):
    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


def _boundary(data: bytes, quoted: bool) -> int:
    """The end (exclusive) of the last whole record in ``data``, or -1 for none. Linear: the
    quotes before the last newline are counted once, then walked back newline by newline."""
    cut = data.rfind(b"\n")
    if cut < 0 or not quoted:
        return cut + 1 if cut >= 0 else -1
    quotes = data.count(b'"', 0, cut)
    while quotes % 2:
        before = data.rfind(b"\n", 0, cut)
        if before < 0:
            return -1
        quotes -= data.count(b'"', before, cut)
        cut = before
    return cut + 1


def _first_record_end(raw: bytes) -> int:
    """The end of the header record (it may span lines: a quoted newline in a column name)."""
    start = quotes = 0
    while True:
        cut = raw.find(b"\n", start)
        if cut < 0:
            return len(raw)
        quotes += raw.count(b'"', start, cut)
        if quotes % 2 == 0:
            return cut + 1
        start = cut + 1


def _records(path: Path, size: int, quoted: bool) -> Iterator[bytes]:
    """The raw bytes in pieces of whole records of about ``size`` bytes each."""
    carry = b""
    with path.open("rb") as handle:
        while True:
            block = handle.read(size)
            data = carry + block
            if not block:
                if data:
                    yield data
                return
            cut = _boundary(data, quoted)
            if cut <= 0:  # no record ends in it (one record longer than a piece): read on
                carry = data
                continue
            yield data[:cut]
            carry = data[cut:]


def read_text_pieces(
    path: Path, encoding: str, read: Reader, *, header: bool, chunk_bytes: int | None = None
) -> Iterator[TextPiece]:
    """``(frame, encoding read, note)`` per piece of ``path`` (see the module docstring)."""
    size = chunk_bytes or chunk_bytes_default()
    if path.stat().st_size <= size or not _ascii_framed(encoding):
        text = decode_to_utf8(path.read_bytes(), encoding, str(path))
        frame = read(text.data, str(path))
        chosen, note = text.encoding, text.note
        del text
        yield frame, chosen, note
        return
    codec, chosen, note = _decide(path, encoding)
    head = b""
    offset = 0  # of the piece's first byte in the file
    lines = 0  # newlines before the piece in the file
    for number, raw in enumerate(_records(path, size, quoted=header)):
        if header and number == 0:
            head = raw[: _first_record_end(raw)]
        line_offset = lines - head.count(b"\n") if number else 0
        lines += raw.count(b"\n")
        try:
            data = raw.decode(codec).encode("utf-8") if codec else raw
        except UnicodeDecodeError as exc:
            with path.open("rb") as handle:
                line = handle.read(offset + exc.start).count(b"\n") + 1
            raise InputError(
                f"{path}: not valid {codec} at byte {offset + exc.start:,}, line {line:,} "
                f"(--encoding {encoding}); try --encoding auto, windows-1252 or latin-1"
            ) from None
        offset += len(raw)
        del raw
        if header and number > 0:
            data = (head.decode(codec).encode("utf-8") if codec else head) + data
        yield read(data, str(path), line_offset=line_offset), chosen, note
