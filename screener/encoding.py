"""Which text encoding an entry file is in, and its bytes as UTF-8 for the readers.

``auto`` (the default): valid UTF-8, with or without a byte-order mark, is read as UTF-8;
anything else as Windows-1252 (what Excel on Windows writes), or as Latin-1 when the file holds
one of the five bytes Windows-1252 leaves undefined. The choice is reported in a note:
``read e.csv as windows-1252 (not valid UTF-8 at byte 1,234, line 12)`` (byte counted from 0).
An explicit encoding (``--encoding latin-1``) is honoured; bytes it cannot decode refuse the file.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from screener.errors import InputError

__all__ = ["AUTO", "Decoded", "check_encoding", "decode_to_utf8"]

AUTO = "auto"
_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")


@dataclass(frozen=True)
class Decoded:
    data: bytes  # the file's text as UTF-8 (the input itself when it already was)
    encoding: str  # utf-8, windows-1252, latin-1 or the codec asked for
    note: str = ""  # what was chosen and why; "" for plain UTF-8


def _where(raw: bytes, offset: int) -> str:
    line = raw.count(b"\n", 0, offset) + 1
    return f"byte {offset:,}, line {line:,}"


def check_encoding(encoding: str) -> str:
    """The codec's canonical name (``auto`` stays); ``InputError`` for an unknown one."""
    name = encoding.strip().lower()
    if name == AUTO:
        return AUTO
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise InputError(
            f"unknown encoding {encoding!r}; use auto, utf-8, windows-1252, latin-1 "
            "or another Python codec name"
        ) from None


def decode_to_utf8(raw: bytes, encoding: str, source: str) -> Decoded:
    """``raw`` as UTF-8 bytes; raises ``InputError`` for an unknown or failing encoding."""
    name = encoding.strip().lower()
    if name == AUTO:
        try:
            raw.decode("utf-8")
            return Decoded(raw, "utf-8")
        except UnicodeDecodeError as exc:
            bad = exc.start
        chosen = "latin-1" if any(b in raw for b in _CP1252_UNDEFINED) else "windows-1252"
        text = raw.decode("latin-1" if chosen == "latin-1" else "cp1252")
        note = (
            f"read {source} as {chosen} (not valid UTF-8 at {_where(raw, bad)}); "
            "pass --encoding to choose another"
        )
        return Decoded(text.encode("utf-8"), chosen, note)
    codec = check_encoding(name)
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: not valid {codec} at {_where(raw, exc.start)} "
            f"(--encoding {encoding}); try --encoding auto, windows-1252 or latin-1"
        ) from None
    if codec in ("utf-8", "utf-8-sig"):
        return Decoded(raw, "utf-8")
    return Decoded(text.encode("utf-8"), codec, f"read {source} as {codec} (--encoding {encoding})")
