"""OFAC SDN list in the legacy CSV format (``sdn.csv`` + optional ``alt.csv`` and ``add.csv``).

The files as OFAC publishes them: no header, CRLF line ends, ``-0-`` (often with a trailing
space) for empty, a trailing Ctrl-Z byte, and the odd non-UTF-8 byte. One output row per name:

- ``primary``: ``SDN_Name``;
- ``aka`` / ``fka``: every ``alt.csv`` row (``nka``, "now known as", is a current name: ``aka``);
- ``weak``: the quoted a.k.a.s OFAC keeps in the Remarks (``a.k.a. 'BNC'.``), which OFAC calls
  weak aliases; the matcher compares them exact-key only.

``country`` is the first address's country as ISO alpha-2 (kept as written if unknown);
``address`` joins every address of the entity with `` | ``.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import polars as pl

from screener import schema
from screener.errors import ListError
from screener.lists import _read

LIST_ID = "ofac-sdn"
SOURCE_URL = "https://sanctionslist.ofac.treas.gov/"
FILES = ("sdn.csv", "alt.csv", "add.csv")
WIDTHS = {"sdn.csv": 12, "alt.csv": 5, "add.csv": 6}
ALT_KINDS = {"aka": "aka", "fka": "fka", "nka": "aka"}
_WEAK = re.compile(r"\b[afn]\.k\.a\.,?\s+'(.+?)'(?=\s*(?:[;,]|\.?\s*$|\.\s))")


def _rows(path: Path, data: bytes) -> list[list[str | None]]:
    """Rows of one file, fields stripped, ``-0-`` as None; ListError on a short row."""
    width = WIDTHS[path.name]
    rows: list[list[str | None]] = []
    reader = csv.reader(io.StringIO(_read.decode(data), newline=""))
    for number, raw in enumerate(reader, start=1):
        if not raw or all(not field.strip() for field in raw):
            continue
        if len(raw) < width:
            raise ListError(
                f"{path}: row {number}: expected {width} fields, found {len(raw)}: {raw!r}; "
                "is this OFAC's legacy CSV?"
            )
        fields = [field.strip() for field in raw[:width]]
        rows.append([None if field in ("-0-", "") else field for field in fields])
    return rows


def _programs(program: str | None) -> str | None:
    """OFAC writes several programs as ``SDGT] [IRGC``: joined with ``;``."""
    if not program:
        return None
    return ";".join(p.strip(" []") for p in program.split("] [") if p.strip(" []"))


def load_ofac_sdn(directory: Path) -> pl.DataFrame:
    """The SDN list in ``directory`` as the unified entity-name frame."""
    if not (directory / "sdn.csv").is_file():
        raise ListError(f"{directory}: no sdn.csv; an ofac-sdn list is a directory holding sdn.csv")
    blobs = {n: _read.read_bytes(directory / n) for n in FILES if (directory / n).is_file()}
    parsed = {name: _rows(directory / name, data) for name, data in blobs.items()}

    addresses: dict[str, list[str]] = {}
    countries: dict[str, str | None] = {}
    for ent, _num, street, city, country, _remarks in parsed.get("add.csv", []):
        if ent is None:
            continue
        text = ", ".join(part for part in (street, city, country) if part)
        if text:
            addresses.setdefault(ent, []).append(text)
        if ent not in countries or countries[ent] is None:
            countries[ent] = _read.country_code(country)

    names: list[tuple[str, str, str]] = []  # entity_id, name, name_kind
    for ent, name, *_rest in parsed["sdn.csv"]:
        if ent is None or name is None:
            raise ListError(f"{directory / 'sdn.csv'}: a row without ent_num or SDN_Name")
        names.append((ent, name, "primary"))
    for ent, _num, kind, alt_name, _remarks in parsed.get("alt.csv", []):
        if ent is not None and alt_name is not None:
            names.append((ent, alt_name, ALT_KINDS.get((kind or "aka").lower(), "aka")))
    seen = {(ent, name.casefold()) for ent, name, _ in names}
    for row in parsed["sdn.csv"]:
        ent, remarks = row[0], row[11]
        for weak in _WEAK.findall(remarks or ""):
            if ent is not None and (ent, weak.casefold()) not in seen:
                seen.add((ent, weak.casefold()))
                names.append((ent, weak, "weak"))

    entities = {row[0]: row for row in parsed["sdn.csv"]}
    published = _published(directory)
    version = _read.list_version(published, blobs.values())
    columns: dict[str, list[str | None]] = {k: [] for k in schema.ENTITY_NAMES}
    for ent, name, kind in names:
        if ent not in entities:
            continue  # an alias of an entity not in sdn.csv: OFAC never does this; skip it
        sdn = entities[ent]
        columns["list_id"].append(LIST_ID)
        columns["list_version"].append(version)
        columns["entity_id"].append(ent)
        columns["entity_type"].append((sdn[2] or "entity").lower())
        columns["name"].append(name)
        columns["name_kind"].append(kind)
        columns["country"].append(countries.get(ent))
        columns["programs"].append(_programs(sdn[3]))
        columns["address"].append(" | ".join(addresses.get(ent, [])) or None)
        columns["source_url"].append(SOURCE_URL)
        columns["parent_entity_id"].append(None)
    return _read.to_frame(columns)


def _published(directory: Path) -> str | None:
    """Publication date: a ``published:`` line in SOURCE.md, else a date in the dir name."""
    source = directory / "SOURCE.md"
    if source.is_file():
        hint = _read.published_hint(_read.decode(_read.read_bytes(source)))
        if hint:
            return hint
    return _read.date_in_name(directory.name)
