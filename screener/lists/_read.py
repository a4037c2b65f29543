"""Shared by the list loaders: decoding publisher files, list versions, the unified frame."""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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


def country_code(name: str | None, keep_unknown: bool = True) -> str | None:
    """ISO alpha-2 for a country as a list writes it; unknown names are kept as written
    (``keep_unknown=False``: None, for a guess such as the last part of an address)."""
    if not name:
        return None
    text = name.strip()
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return text.upper()
    if text.casefold() in {"undetermined", "unknown"}:
        return None
    return _country_codes().get(text.casefold(), text if keep_unknown else None)


def date_part(text: str | None) -> str | None:
    """``2026-02-27`` from ``2026-02-27T00:00:09.554Z`` (or any text starting with a date)."""
    found = _DATE.match((text or "").strip())
    return found.group(1) if found else None


def clean(text: str | None) -> str:
    """Text with runs of white space as one space, trimmed."""
    return " ".join((text or "").split())


def join(values: Iterable[str | None], sep: str = ";", distinct: bool = True) -> str | None:
    """The non-empty values in order (each once if ``distinct``), joined; None if none."""
    kept = [v for v in (clean(x) for x in values) if v]
    return sep.join(dict.fromkeys(kept) if distinct else kept) or None


@dataclass
class Entity:
    """One listed party before it becomes rows: names are ``(name, name_kind)``, primary first."""

    entity_id: str
    entity_type: str
    names: list[tuple[str, str]] = field(default_factory=list)
    country: str | None = None
    programs: str | None = None
    address: str | None = None
    source_url: str | None = None
    parent_entity_id: str | None = None

    def merge(self, other: Entity, address_sep: str = " | ") -> None:
        """Fold a second record of the same entity in: its names, programs and address."""
        self.names += other.names
        self.programs = join([self.programs, other.programs])
        self.address = join([self.address, other.address], address_sep)
        self.country = self.country or other.country
        self.source_url = self.source_url or other.source_url


def raise_problems(path: Path, problems: list[str]) -> None:
    """A ListError listing every problem (the first 20), if there are any."""
    if not problems:
        return
    shown = "\n".join(f"  - {p}" for p in problems[:20])
    more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
    raise ListError(f"{path}: {len(problems)} problem(s):\n{shown}{more}")


def entities_frame(list_id: str, version: str, entities: Iterable[Entity]) -> pl.DataFrame:
    """The unified frame of ``entities``: one row per name, white space tidied, and a name an
    entity already has (compared case-insensitively) dropped, so its first kind wins."""
    columns: dict[str, list[str | None]] = {k: [] for k in schema.ENTITY_NAMES}
    seen: set[tuple[str, str]] = set()
    for ent in entities:
        for raw, kind in ent.names:
            name = clean(raw)
            if not name or (ent.entity_id, name.casefold()) in seen:
                continue
            seen.add((ent.entity_id, name.casefold()))
            row = {
                "list_id": list_id,
                "list_version": version,
                "entity_id": ent.entity_id,
                "entity_type": ent.entity_type,
                "name": name,
                "name_kind": kind,
                "country": ent.country,
                "programs": ent.programs,
                "address": ent.address,
                "source_url": ent.source_url,
                "parent_entity_id": ent.parent_entity_id,
            }
            for key, value in row.items():
                columns[key].append(value)
    return to_frame(columns)


def to_frame(rows: Mapping[str, list[str | None]]) -> pl.DataFrame:
    """The unified entity-name frame: exactly ``schema.ENTITY_NAMES``, in order."""
    frame = pl.DataFrame(dict(rows), schema=schema.ENTITY_NAMES)
    return frame.select(list(schema.ENTITY_NAMES))
