"""BIS Denied Persons List: the tab-separated file BIS publishes (``dpl.txt``).

A header row (``Name``, ``Street_Address``, ``City``, ``State``, ``Country``, ``Postal_Code``,
``Effective_Date``, ..., ``FR_Citation``), fields in double quotes, one row per *address*: a
party with three addresses has three rows. The file carries no entity id and no alias column:

- rows with the same ``Name`` (white space and case aside) are one entity; its ``entity_id``
  is ``sha256(NAME)[:12]``, so it stays put from one edition to the next;
- names: ``Name`` as written (primary); ``X A/K/A Y`` and ``X D/B/A Y`` also give ``X`` and ``Y``
  (aka; ``F/K/A Y``: fka), and ``PEARL (A.K.A. NEI-CHIEN CHU) LI`` gives ``NEI-CHIEN CHU`` and
  ``PEARL LI`` (aka);
- ``entity_type`` is ``unknown`` (the list mixes people and firms); ``programs`` is ``DPL``;
  ``country`` is the first row's ``Country`` that is set; ``address`` joins each row's parts
  with ``, `` and the rows with `` | ``;
- the date of ``list_version`` is a date in the file name (``bis_dpl_2022-09.txt``), else
  ``undated`` (``Last_Update`` is per row and not reliable: one reads ``3017-08-22``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

import polars as pl

from screener.errors import ListError
from screener.lists import _read

LIST_ID = "bis-dpl"
SOURCE_URL = "https://www.bis.doc.gov/index.php/the-denied-persons-list"
ADDRESS = ("Street_Address", "City", "State", "Postal_Code", "Country")
_SPLIT = re.compile(r"\s+(A/K/A|D/B/A|F/K/A|[ADF]\.[KB]\.A\.?)\s+", re.IGNORECASE)
_PAREN = re.compile(r"\s*\((?:A/K/A|A\.K\.A\.?|AKA)\s+([^)]+)\)\s*", re.IGNORECASE)


def dpl_names(name: str) -> list[tuple[str, str]]:
    """The name as written (primary) and the aliases written inside it."""
    names = [(name, "primary")]
    parts = _SPLIT.split(name)
    if len(parts) > 1:
        names.append((parts[0], "aka"))
        for marker, alias in zip(parts[1::2], parts[2::2], strict=True):
            names.append((alias, "fka" if marker.upper().startswith("F") else "aka"))
    inside = _PAREN.findall(name)
    if inside:
        names += [(alias, "aka") for alias in inside]
        names.append((_PAREN.sub(" ", name), "aka"))
    return names


def load_dpl(path: Path) -> pl.DataFrame:
    """The Denied Persons List file at ``path`` as the unified entity-name frame."""
    data = _read.read_bytes(path)
    reader = csv.DictReader(io.StringIO(_read.decode(data), newline=""), delimiter="\t")
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    if "Name" not in header:
        raise ListError(
            f"{path}: line 1 (header): no Name column (found {', '.join(header[:6]) or 'none'}); "
            "is this BIS's tab-separated Denied Persons List (Name<TAB>Street_Address<TAB>...)?"
        )
    problems: list[str] = []
    entities: dict[str, _read.Entity] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append(f"line {line}: more fields than the header has columns")
        cell = {k: _read.clean(v) for k, v in row.items() if k is not None and isinstance(v, str)}
        if not any(cell.values()):
            continue
        name = cell.get("Name", "")
        if not name:
            problems.append(f"line {line}, field Name: empty")
            continue
        key = name.upper()
        entity = _read.Entity(
            entity_id=hashlib.sha256(key.encode()).hexdigest()[:12],
            entity_type="unknown",
            names=dpl_names(name),
            country=_read.country_code(cell.get("Country")),
            programs="DPL",
            address=_read.join((cell.get(k) for k in ADDRESS), ", ", distinct=False),
            source_url=SOURCE_URL,
        )
        if key in entities:
            entities[key].merge(entity)
        else:
            entities[key] = entity
    _read.raise_problems(path, problems)
    if not entities:
        raise ListError(f"{path}: no rows below the header")
    version = _read.list_version(_read.date_in_name(path.name), [data])
    return _read.entities_frame(LIST_ID, version, entities.values())
