"""UN Security Council Consolidated List, XML (``consolidated.xml``).

``CONSOLIDATED_LIST`` (attribute ``dateGenerated``) holds ``INDIVIDUALS/INDIVIDUAL`` and
``ENTITIES/ENTITY``. One entity per element:

- ``entity_id``: ``REFERENCE_NUMBER`` (``QDi.001``, the UN's permanent reference), else
  ``DATAID``; ``entity_type``: ``individual`` or ``entity``; ``programs``: ``UN_LIST_TYPE``
  (the sanctions regime: ``Al-Qaida``, ``DPRK``, ...);
- names: ``FIRST_NAME`` .. ``FOURTH_NAME`` joined with spaces (primary); each ``*_ALIAS`` with an
  ``ALIAS_NAME``: QUALITY ``Good`` or ``a.k.a.`` -> aka, ``f.k.a.`` -> fka, ``Low`` -> weak
  (the UN's "low quality" alias), none -> aka; ``NAME_ORIGINAL_SCRIPT`` -> aka;
- ``country``: the first address ``COUNTRY``, else the first ``NATIONALITY`` (``na``, "not
  available", is skipped); ``address`` joins each address's parts with ``, `` and the addresses
  with `` | ``;
- the date of ``list_version`` is ``dateGenerated`` (``2026-02-27``), else a date in the file
  name, else ``undated``.

Parsed with the standard library's ElementTree; a file with a DTD (``<!DOCTYPE``) is refused,
so no entity is ever expanded or fetched.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import polars as pl

from screener.errors import ListError
from screener.lists import _read

LIST_ID = "un-sc"
SOURCE_URL = "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list"
KINDS = {"INDIVIDUAL": "individual", "ENTITY": "entity"}
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
QUALITY = {"good": "aka", "a.k.a.": "aka", "f.k.a.": "fka", "low": "weak", "": "aka"}
ADDRESS_PARTS = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
NOT_AVAILABLE = {"na", "n/a"}


def _text(element: ET.Element, tag: str) -> str:
    return _read.clean(element.findtext(tag))


def _entity(element: ET.Element, position: str, problems: list[str]) -> _read.Entity | None:
    kind = element.tag
    ident = _text(element, "REFERENCE_NUMBER") or _text(element, "DATAID")
    name = _read.join((_text(element, tag) for tag in NAME_PARTS), " ", distinct=False)
    label = f"{position} (REFERENCE_NUMBER {ident})" if ident else position
    if not ident:
        problems.append(f"{position}, field REFERENCE_NUMBER/DATAID: empty")
    if not name:
        problems.append(f"{label}, field FIRST_NAME: empty")
    if not ident or not name:
        return None
    names = [(name, "primary")]
    for alias in element.iter(f"{kind}_ALIAS"):
        quality = _text(alias, "QUALITY").lower()
        names.append((_text(alias, "ALIAS_NAME"), QUALITY.get(quality, "aka")))
    names.append((_text(element, "NAME_ORIGINAL_SCRIPT"), "aka"))
    addresses = list(element.iter(f"{kind}_ADDRESS"))
    countries = [_text(a, "COUNTRY") for a in addresses]
    countries += [_read.clean(v.text) for v in element.iterfind("NATIONALITY/VALUE")]
    country = next((c for c in countries if c and c.casefold() not in NOT_AVAILABLE), None)
    address = [_read.join((_text(a, t) for t in ADDRESS_PARTS), ", ", False) for a in addresses]
    return _read.Entity(
        entity_id=ident,
        entity_type=KINDS[kind],
        names=names,
        country=_read.country_code(country),
        programs=_text(element, "UN_LIST_TYPE") or None,
        address=_read.join(address, " | "),
        source_url=SOURCE_URL,
    )


def load_un_xml(path: Path) -> pl.DataFrame:
    """The UN Security Council consolidated list at ``path`` as the unified entity-name frame."""
    data = _read.read_bytes(path)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ListError(f"{path}: has a DTD (<!DOCTYPE ...>); the UN list has none, refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        reason = re.sub(r":\s*line \d+, column \d+$", "", str(exc))
        raise ListError(
            f"{path}: line {line}, column {column + 1}: not well-formed XML ({reason}); "
            "is this the UN Security Council consolidated list XML?"
        ) from None
    if root.tag != "CONSOLIDATED_LIST":
        raise ListError(
            f"{path}: root element is <{root.tag}>, expected <CONSOLIDATED_LIST>; "
            "is this the UN Security Council consolidated list XML?"
        )
    problems: list[str] = []
    entities: list[_read.Entity] = []
    for group, kind in (("INDIVIDUALS", "INDIVIDUAL"), ("ENTITIES", "ENTITY")):
        for number, element in enumerate(root.iterfind(f"{group}/{kind}"), start=1):
            entity = _entity(element, f"{kind} #{number}", problems)
            if entity is not None:
                entities.append(entity)
    seen: dict[str, int] = {}
    for entity in entities:
        seen[entity.entity_id] = seen.get(entity.entity_id, 0) + 1
    problems += [f"REFERENCE_NUMBER {i}: on {n} elements" for i, n in seen.items() if n > 1]
    _read.raise_problems(path, problems)
    if not entities:
        raise ListError(f"{path}: no INDIVIDUAL or ENTITY elements")
    published = _read.date_part(root.get("dateGenerated")) or _read.date_in_name(path.name)
    return _read.entities_frame(LIST_ID, _read.list_version(published, [data]), entities)
