"""Shared by the list loaders: decoding publisher files, list versions, the unified frame."""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import polars as pl

from screener import schema
from screener.errors import ListError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
_DATE = re.compile(r"(\d{4}-\d{2}(?:-\d{2})?)")
_PUBLISHED = re.compile(r"^\s*#?\s*published:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a ListError naming it."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ListError(f"{path}: cannot read entity list file: {exc.strerror or exc}") from exc


def decode(data: bytes) -> str:
    """Publisher text: UTF-8 (BOM allowed), else cp1252, else latin-1; trailing Ctrl-Z dropped.

    Never fails: latin-1 maps every byte. OFAC's legacy files are mostly ASCII with the odd
    cp1252 byte and end with an MS-DOS end-of-file mark (0x1A).
    """
    data = data.rstrip(b"\x1a")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def list_version(published: str | None, parts: Iterable[bytes]) -> str:
    """``<published date or 'undated'>+<sha256[:12] of the files' bytes, in order>``."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return f"{published or 'undated'}+{digest.hexdigest()[:12]}"


def published_hint(text: str) -> str | None:
    """The date of a ``published: YYYY-MM[-DD]`` line (``#`` optional), if any."""
    found = _PUBLISHED.search(text)
    if not found:
        return None
    date = _DATE.fullmatch(found.group(1))
    return date.group(1) if date else None


def date_in_name(name: str) -> str | None:
    """``2019-01`` from a directory name like ``ofac-sdn-2019-01``."""
    found = _DATE.search(name)
    return found.group(1) if found else None


@cache
def _country_codes() -> dict[str, str]:
    text = (DATA_DIR / "country_names.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {row["name"].casefold(): row["code"] for row in rows}


def country_code(name: str | None) -> str | None:
    """ISO alpha-2 for a country as a list writes it; unknown names are kept as written."""
    if not name:
        return None
    text = name.strip()
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return text.upper()
    if text.casefold() in {"undetermined", "unknown"}:
        return None
    return _country_codes().get(text.casefold(), text)


def to_frame(rows: Mapping[str, list[str | None]]) -> pl.DataFrame:
    """The unified entity-name frame: exactly ``schema.ENTITY_NAMES``, in order."""
    frame = pl.DataFrame(dict(rows), schema=schema.ENTITY_NAMES)
    return frame.select(list(schema.ENTITY_NAMES))
