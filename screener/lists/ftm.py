"""FollowTheMoney (FtM) entities, one JSON object per line, as OpenSanctions exports them
(``entities.ftm.json``): ``{"id", "schema", "properties": {prop: [values]}, "datasets", ...}``.

Parties are the schemata ``Person``, ``Company``, ``Organization``, ``LegalEntity``, ``PublicBody``
(-> individual / entity), ``Vessel`` and ``Airplane`` (-> vessel / aircraft). Other schemata are
not parties and give no rows; three of them feed the parties:

- ``Ownership`` (``owner`` owns ``asset``, ``percentage``): an asset owned at 25% or more, or with
  no readable percentage, gets ``parent_entity_id`` = the owner's id (several: sorted, ``;``-joined;
  owners not in the file are left out). DESIGN §4: the DOE FEOC test is 25% of equity; an
  ownership of unknown size is linked so that a hit on it goes to review. The percentage is the
  first number of each value (``"51"``, ``"51.0%"``, ``"25-50%"`` -> 25), the largest value wins.
- ``Sanction`` (``entity``, ``programId``/``program``, ``sourceUrl``): programs and source link.
- ``Address`` (``full``): the text of an ``addressEntity`` link.

Names: ``name`` (every value primary), ``alias`` (aka), ``previousName`` (fka), ``weakAlias``
(weak). ``country``: the first of ``country``, ``jurisdiction``, ``mainCountry``, ``nationality``,
``citizenship``, ``flag`` (FtM writes ISO codes in lower case; ``zz``, "global", is dropped).
``programs``: the party's ``program`` and its sanctions' ``programId`` (else ``program``); else
its ``datasets``. ``list_id``: the file name up to its first dot, a date in it dropped, ``_`` as
``-`` (``opensanctions_2026-02-27.ftm.json`` -> ``opensanctions``). Date of ``list_version``: the
latest ``last_seen``/``last_change``, else a date in the file name.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import polars as pl

from screener.errors import ListError
from screener.lists import _read

PARTIES = {
    "Person": "individual",
    "Company": "entity",
    "Organization": "entity",
    "LegalEntity": "entity",
    "PublicBody": "entity",
    "Vessel": "vessel",
    "Airplane": "aircraft",
}
NAME_PROPS = (("name", "primary"), ("alias", "aka"), ("previousName", "fka"), ("weakAlias", "weak"))
COUNTRY_PROPS = ("country", "jurisdiction", "mainCountry", "nationality", "citizenship", "flag")
OWNERSHIP_THRESHOLD = 25.0
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")

Record = tuple[int, str, str, dict[str, list[str]], dict[str, Any]]  # line, id, schema, props, raw


def ownership_share(values: list[str]) -> float | None:
    """The percentage an Ownership states: first number of each value, the largest; else None."""
    shares = [float(m.group().replace(",", ".")) for v in values if (m := _NUMBER.search(v))]
    return max(shares, default=None)


def list_id_for(path: Path) -> str:
    """``opensanctions-sanctions`` from ``opensanctions_sanctions_2026-02-27.ftm.json``."""
    stem = re.sub(r"[-_.]?\d{4}-\d{2}(?:-\d{2})?", "", path.name.split(".")[0])
    return re.sub(r"[^a-z0-9.-]+", "-", stem.lower()).strip("-.") or "ftm"


def _records(path: Path, text: str, problems: list[str]) -> list[Record]:
    records: list[Record] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}, column {exc.colno}: not valid JSON ({exc.msg})")
            continue
        ident = raw.get("id") if isinstance(raw, dict) else None
        schema = raw.get("schema") if isinstance(raw, dict) else None
        props = raw.get("properties", {}) if isinstance(raw, dict) else None
        if not isinstance(ident, str) or not ident or not isinstance(schema, str):
            problems.append(f"line {number}: not an FtM entity (an object with 'id' and 'schema')")
            continue
        if not isinstance(props, dict) or not all(isinstance(v, list) for v in props.values()):
            problems.append(f"line {number} (id {ident}), field properties: not {{name: [values]}}")
            continue
        values = {k: [_read.clean(x) for x in v if isinstance(x, str)] for k, v in props.items()}
        records.append((number, ident, schema, values, raw))
    return records


def load_ftm(path: Path) -> pl.DataFrame:
    """The FollowTheMoney JSON-lines file at ``path`` as the unified entity-name frame."""
    data = _read.read_bytes(path)
    problems: list[str] = []
    records = _records(path, _read.decode(data), problems)
    addresses: dict[str, str] = {}
    programs: dict[str, list[str]] = defaultdict(list)
    urls: dict[str, list[str]] = defaultdict(list)
    owners: dict[str, set[str]] = defaultdict(set)
    for _line, ident, schema, props, _raw in records:
        if schema == "Address" and props.get("full"):
            addresses[ident] = props["full"][0]
        elif schema == "Sanction":
            for target in props.get("entity", []):
                programs[target] += props.get("programId") or props.get("program") or []
                urls[target] += props.get("sourceUrl", [])
        elif schema == "Ownership":
            share = ownership_share(props.get("percentage", []))
            if share is None or share >= OWNERSHIP_THRESHOLD:
                for asset in props.get("asset", []):
                    owners[asset].update(o for o in props.get("owner", []) if o != asset)

    parties = {ident: line for line, ident, schema, _p, _r in records if schema in PARTIES}
    entities: list[_read.Entity] = []
    seen: dict[str, int] = {}
    for line, ident, schema, props, raw in records:
        if schema not in PARTIES:
            continue
        if ident in seen:
            problems.append(f"line {line} (id {ident}): id already on line {seen[ident]}")
            continue
        seen[ident] = line
        names = [(v, kind) for prop, kind in NAME_PROPS for v in props.get(prop, [])]
        if not any(kind == "primary" and v for v, kind in names):
            problems.append(f"line {line} (id {ident}, {schema}), field properties.name: empty")
            continue
        country = next((v for p in COUNTRY_PROPS for v in props.get(p, []) if v), None)
        linked = [addresses.get(a) for a in props.get("addressEntity", [])]
        listed = raw.get("datasets")
        datasets = [d for d in listed if isinstance(d, str)] if isinstance(listed, list) else []
        entities.append(
            _read.Entity(
                entity_id=ident,
                entity_type=PARTIES[schema],
                names=names,
                country=None if (country or "").lower() == "zz" else _read.country_code(country),
                programs=_read.join(props.get("program", []) + programs[ident])
                or _read.join(datasets),
                address=_read.join(props.get("address", []) + linked, " | "),
                source_url=next(iter(props.get("sourceUrl", []) + urls[ident]), None),
                parent_entity_id=_read.join(sorted(o for o in owners[ident] if o in parties)),
            )
        )
    _read.raise_problems(path, problems)
    if not entities:
        raise ListError(f"{path}: no parties (Person, Company, Organization, ...) in the file")
    stamps = [str(r[4].get(k) or "") for r in records for k in ("last_seen", "last_change")]
    published = max(filter(None, map(_read.date_part, stamps)), default=None)
    version = _read.list_version(published or _read.date_in_name(path.name), [data])
    return _read.entities_frame(list_id_for(path), version, entities)
