"""trade.gov Consolidated Screening List (CSL): the CSV download or the JSON of the download/API.

The CSL merges 13 US lists; each record's ``source`` names its sub-list, e.g. ``Entity List
(EL) - Bureau of Industry and Security``. All records load under one list id, ``csl``; the
sub-list's short code (``EL``, the text in parentheses) opens ``programs``, followed by the
record's own programs: ``SDN;SDNTK``, ``EL``, ``SSI;UKRAINE-EO13662``.

- ``entity_id``: ``_id`` (newer CSVs) or ``id`` (JSON), else ``entity_number`` (OFAC's ent_num),
  else ``<code>-<sha256(source|name)[:12]>``; records sharing an id are one entity.
- names: ``name`` (primary) and every ``alt_names`` entry (aka; ``;``-separated in the CSV;
  the Entity List's ``A; B; and C`` loses the ``and``).
- ``country``: the first address whose last part is an ISO code or a known country name, else
  the first nationality/citizenship; ``address`` is the CSV text (JSON: the same parts joined
  the same way); ``source_url``: ``source_list_url``, else ``source_information_url``.
- date of ``list_version``: JSON ``sources_used`` import dates (latest), else a date in the
  file name (``trade_csl_2025-06.csv``), else ``undated``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import polars as pl

from screener.errors import ListError
from screener.lists import _read

LIST_ID = "csl"
REQUIRED = ("source", "name")
TYPES = {"entity": "entity", "individual": "individual", "vessel": "vessel", "aircraft": "aircraft"}
ADDRESS_PARTS = ("address", "city", "state", "postal_code", "country")
_CODE = re.compile(r"\(([^()]+)\)")


def sub_list_code(source: str) -> str:
    """``EL`` from ``Entity List (EL) - Bureau of Industry and Security``; ``NS-MBS`` from
    ``... (NS-MBS List) - ...``; without parentheses, the text before `` - ``."""
    found = _CODE.search(source)
    if found:
        return re.sub(r"\s+list$", "", found.group(1).strip(), flags=re.IGNORECASE)
    return source.split(" - ")[0].strip()


def _text(value: Any) -> str:
    """A CSV cell or JSON value (string, number, null) as clean text."""
    return "" if value is None else _read.clean(str(value))


def _items(value: Any) -> list[str]:
    """A JSON list or a ``;``-separated CSV cell as clean strings."""
    parts = value if isinstance(value, list) else _text(value).split(";")
    return [text for text in map(_text, parts) if text]


def _alt_names(value: Any) -> list[str]:
    """``alt_names``; the Entity List writes its last alias as ``...; and NAME``: ``and`` goes."""
    return [re.sub(r"^and\s+", "", alt) for alt in _items(value)]


def _addresses(value: Any) -> tuple[str | None, list[str]]:
    """The address text and the candidate countries, in order: JSON's ``country`` fields or
    the last part of each ``;``-separated CSV address."""
    if isinstance(value, list):  # JSON: [{address, city, state, postal_code, country}]
        parts = [a if isinstance(a, Mapping) else {"address": a} for a in value]
        texts = [_read.join((_text(a.get(k)) for k in ADDRESS_PARTS), ", ", False) for a in parts]
        return _read.join(texts, "; "), [_text(a.get("country")) for a in parts]
    text = _text(value)
    return text or None, [address.rsplit(",", 1)[-1] for address in _items(text)]


def _country(candidates: list[str], nationals: list[str]) -> str | None:
    for candidate in candidates:
        code = _read.country_code(candidate, keep_unknown=False)
        if code:
            return code
    return next((c for c in map(_read.country_code, nationals) if c), None)


def _entity(record: Mapping[str, Any], where: str, problems: list[str]) -> _read.Entity | None:
    """One record (a CSV row or a JSON result) as an Entity; problems noted with ``where``."""
    source, name = _text(record.get("source")), _text(record.get("name"))
    ident = _text(record.get("_id") or record.get("id") or record.get("entity_number"))
    label = f"{where} (id {ident})" if ident else where
    for field, value in (("source", source), ("name", name)):
        if not value:
            problems.append(f"{label}, field {field}: empty")
    if not source or not name:
        return None
    code = sub_list_code(source)
    if not ident:
        ident = f"{code}-{hashlib.sha256(f'{source}|{name}'.encode()).hexdigest()[:12]}"
    address, candidates = _addresses(record.get("addresses"))
    nationals = _items(record.get("nationalities")) + _items(record.get("citizenships"))
    return _read.Entity(
        entity_id=ident,
        entity_type=TYPES.get(_text(record.get("type")).lower(), "unknown"),
        names=[(name, "primary")] + [(alt, "aka") for alt in _alt_names(record.get("alt_names"))],
        country=_country(candidates, nationals),
        programs=_read.join([code, *_items(record.get("programs"))]),
        address=address,
        source_url=_text(record.get("source_list_url") or record.get("source_information_url"))
        or None,
    )


def _csv_records(
    path: Path, text: str, problems: list[str]
) -> Iterable[tuple[str, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ListError(
            f"{path}: line 1 (header): missing column(s) {', '.join(missing)}; is this the "
            "trade.gov Consolidated Screening List CSV (source,...,name,...,alt_names,...)?"
        )
    for row in reader:
        if None in row:
            problems.append(f"line {reader.line_num}: more fields than the header has columns")
        if any((v or "").strip() for k, v in row.items() if k is not None):
            yield f"line {reader.line_num}", {k: v for k, v in row.items() if k is not None}


def _json_records(path: Path, text: str) -> tuple[list[tuple[str, Any]], str | None]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ListError(
            f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"
        ) from None
    results = data.get("results") if isinstance(data, dict) else data
    if not isinstance(results, list):
        raise ListError(f"{path}: expected a JSON object with a 'results' list (or a list)")
    dates = []
    if isinstance(data, dict) and isinstance(data.get("sources_used"), list):
        for used in data["sources_used"]:
            if isinstance(used, dict):
                dates.append(_read.date_part(_text(used.get("last_imported"))))
    published = max((d for d in dates if d), default=None)
    return [(f"results[{i}]", r) for i, r in enumerate(results)], published


def load_csl(path: Path) -> pl.DataFrame:
    """The Consolidated Screening List file at ``path`` (CSV or JSON, told by its content)."""
    data = _read.read_bytes(path)
    text = _read.decode(data)
    problems: list[str] = []
    published = None
    records: Iterable[tuple[str, Any]]
    if text.lstrip()[:1] in ("{", "["):
        records, published = _json_records(path, text)
    else:
        records = _csv_records(path, text, problems)
    entities: dict[str, _read.Entity] = {}
    for where, record in records:
        if not isinstance(record, Mapping):
            problems.append(f"{where}: not an object")
            continue
        entity = _entity(record, where, problems)
        if entity is None:
            continue
        if entity.entity_id in entities:
            entities[entity.entity_id].merge(entity, "; ")
        else:
            entities[entity.entity_id] = entity
    _read.raise_problems(path, problems)
    if not entities:
        raise ListError(f"{path}: no records; is this the Consolidated Screening List?")
    version = _read.list_version(published or _read.date_in_name(path.name), [data])
    return _read.entities_frame(LIST_ID, version, entities.values())
