"""A simple custom list CSV: the UFLPA Entity List, in-house lists (format: lists/README.md).

``#`` comment lines may open the file; ``# published: YYYY-MM-DD`` sets the date part of
``list_version`` and ``# list_id: NAME`` the list id (default: the file stem, ``_`` -> ``-``).
Then a header with ``entity_id,name`` and any of the optional columns; ``aliases`` and
``weak_aliases`` hold ``;``-separated names. Every problem is reported at once with its line.
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

REQUIRED = ("entity_id", "name")
OPTIONAL = (
    "aliases",
    "weak_aliases",
    "entity_type",
    "country",
    "programs",
    "address",
    "parent_entity_id",
    "source_url",
)
ENTITY_TYPES = ("entity", "individual", "vessel", "aircraft", "unknown")
DEFAULT_ENTITY_TYPE = "entity"
_LIST_ID = re.compile(r"^\s*#\s*list_id:\s*(\S+)", re.IGNORECASE)
_VALID_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")


def _split(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


def load_custom_csv(path: Path) -> pl.DataFrame:
    """The custom list at ``path`` as the unified entity-name frame."""
    data = _read.read_bytes(path)
    lines = re.split(r"\r?\n", _read.decode(data))
    comments = 0
    while comments < len(lines) and lines[comments].lstrip().startswith("#"):
        comments += 1
    head = "\n".join(lines[:comments])
    list_id = path.stem.replace("_", "-").lower()
    for line in lines[:comments]:
        found = _LIST_ID.match(line)
        if found:
            list_id = found.group(1).lower()
    if not _VALID_ID.fullmatch(list_id):
        raise ListError(f"{path}: list_id '{list_id}' must be lower-case letters, digits, . _ -")
    version = _read.list_version(_read.published_hint(head), [data])

    reader = csv.DictReader(io.StringIO("\n".join(lines[comments:])))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        raise ListError(
            f"{path}: line {comments + 1} (header): {'; '.join(parts)}; "
            f"expected {', '.join(REQUIRED)} and any of {', '.join(OPTIONAL)}"
        )

    problems: list[str] = []
    columns: dict[str, list[str | None]] = {k: [] for k in schema.ENTITY_NAMES}
    first_line: dict[str, int] = {}
    for row in reader:
        line = comments + reader.line_num  # 1-based file line of the row's last physical line
        if None in row:
            problems.append(f"line {line}: more fields than the header has columns")
        cell = {k: (v or "").strip() or None for k, v in row.items() if k is not None}
        if not any(cell.values()):
            continue
        entity_id, name = cell.get("entity_id"), cell.get("name")
        if entity_id is None:
            problems.append(f"line {line}, field entity_id: empty")
        if name is None:
            problems.append(f"line {line}, field name: empty")
        if entity_id in first_line:
            problems.append(
                f"line {line}, field entity_id: '{entity_id}' already on line "
                f"{first_line[entity_id]}; put its other names in aliases"
            )
        entity_type = (cell.get("entity_type") or DEFAULT_ENTITY_TYPE).lower()
        if entity_type not in ENTITY_TYPES:
            problems.append(
                f"line {line}, field entity_type: '{entity_type}' is not one of "
                f"{', '.join(ENTITY_TYPES)}"
            )
        if entity_id is None or name is None:
            continue
        first_line[entity_id] = line
        kinds = [(name, "primary")]
        kinds += [(a, "aka") for a in _split(cell.get("aliases"))]
        kinds += [(a, "weak") for a in _split(cell.get("weak_aliases"))]
        for value, kind in kinds:
            columns["list_id"].append(list_id)
            columns["list_version"].append(version)
            columns["entity_id"].append(entity_id)
            columns["entity_type"].append(entity_type)
            columns["name"].append(value)
            columns["name_kind"].append(kind)
            columns["country"].append(_read.country_code(cell.get("country")))
            for key in ("programs", "address", "source_url", "parent_entity_id"):
                columns[key].append(cell.get(key))
    if problems:
        shown = "\n".join(f"  - {p}" for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise ListError(f"{path}: {len(problems)} problem(s):\n{shown}{more}")
    if not columns["name"]:
        raise ListError(f"{path}: no entities below the header")
    return _read.to_frame(columns)
