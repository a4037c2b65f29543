"""`screener report`: the held-lines table and the new-entity-hits table, each row with the text
`screener explain` prints for its line (screener.explain_view).

A hit is new when no run before the selection hit the same entity with the same party name, or
when a re-screen after a list update (`screener lists update`) found it since the last run
before the selection. Tables are capped (highest origin risk / score first); the page says how
many rows it left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from screener.decide import LATEST_SQL
from screener.explain_view import explain_data, explain_text
from screener.store import Store

DEFAULT_CAP = 200

_HELD_SQL = """
SELECT
    h.run_id, h.entry_number, h.line_number, h.entry_date, h.supplier_name,
    h.country_of_origin, e.port_of_lading, h.hts_code, h.entered_value_usd, h.origin_risk,
    h.duty_usd, h.flag_evidence
FROM holds AS h
JOIN entries AS e USING (run_id, entry_number, line_number)
WHERE list_contains(?, h.run_id)
ORDER BY h.origin_risk DESC NULLS LAST, h.entered_value_usd DESC NULLS LAST,
    h.entry_number, h.line_number
"""

# the decision that counts per entry line (screener.decide), for the selected runs' lines
_OUTCOMES_SQL = f"SELECT * FROM ({LATEST_SQL}) WHERE list_contains(?, run_id)"

# Hits of the selection with the party's declared name; `before` holds the earlier runs'.
_RUN_HITS_SQL = """
WITH named AS (
    SELECT h.run_id, h.entry_number, h.line_number, h.party, h.list_id, h.list_version,
        h.entity_id, h.matched_name, h.score, h.confirmed,
        CASE h.party WHEN 'manufacturer' THEN e.manufacturer_name ELSE e.supplier_name END
            AS party_name
    FROM hits AS h JOIN entries AS e USING (run_id, entry_number, line_number)
),
before AS (
    SELECT DISTINCT list_id, entity_id, party_name FROM named WHERE list_contains(?, run_id)
)
SELECT n.* FROM named AS n
WHERE list_contains(?, n.run_id)
    AND NOT EXISTS (
        SELECT 1 FROM before AS b
        WHERE b.list_id = n.list_id AND b.entity_id = n.entity_id
            AND b.party_name IS NOT DISTINCT FROM n.party_name
    )
ORDER BY n.score DESC, n.entry_number, n.line_number, n.list_id, n.entity_id
"""

_RESCREEN_HITS_SQL = """
SELECT h.list_id, h.list_version, h.entity_id, h.party, h.party_name, h.matched_name,
    h.score, h.confirmed, h.line_count,
    h.entry_lines[1].entry_number AS entry_number, h.entry_lines[1].line_number AS line_number
FROM rescreen_hits AS h JOIN rescreens AS r USING (rescreen_id, list_id)
WHERE r.started_at > ?
ORDER BY h.score DESC, h.party_name, h.list_id, h.entity_id
"""


@dataclass(frozen=True)
class Table:
    """Rows to show (each with its explain text), and how many matched in all."""

    rows: list[dict[str, Any]]
    total: int


def explain_line(store: Store, entry_number: str, line_number: int) -> str:
    """What `screener explain ENTRY --line N` prints, as plain text (empty if not stored)."""
    items = explain_data(store, entry_number, line_number)
    return "\n\n".join(explain_text(item) for item in items)


def held_lines(store: Store, runs: list[str], cap: int = DEFAULT_CAP) -> Table:
    """Held lines of the selection, highest origin risk first, with their latest outcome when
    the database has an `outcomes` table."""
    held = store.dicts(_HELD_SQL, [runs])
    outcomes: dict[tuple[object, ...], dict[str, Any]] = {}
    if store.has_table("outcomes"):
        for o in store.dicts(_OUTCOMES_SQL, [runs]):
            outcomes[(o["run_id"], o["entry_number"], o["line_number"])] = o
    rows = []
    for line in held[:cap]:
        key = (line["run_id"], line["entry_number"], line["line_number"])
        row: dict[str, Any] = dict(line)
        row["outcome"] = outcomes.get(key)
        row["explain"] = explain_line(
            store, str(line["entry_number"]), int(str(line["line_number"]))
        )
        rows.append(row)
    return Table(rows=rows, total=len(held))


def _last_previous_start(store: Store, previous: list[str]) -> datetime:
    if not previous:
        return datetime(1970, 1, 1)
    found = store.frame(
        "SELECT max(started_at) FROM runs WHERE list_contains(?, run_id)", [previous]
    )
    value = found.row(0)[0]
    return value if isinstance(value, datetime) else datetime(1970, 1, 1)


def _score(hit: dict[str, Any]) -> float:
    value = hit["score"]
    return float(value) if isinstance(value, int | float) else 0.0


def new_hits(store: Store, runs: list[str], previous: list[str], cap: int = DEFAULT_CAP) -> Table:
    """Hits of the selection no earlier run had (entity and party name), then the hits
    re-screens found since the last run before the selection; best score first."""
    found = [{**h, "source": "run"} for h in store.dicts(_RUN_HITS_SQL, [previous, runs])]
    if store.has_table("rescreen_hits") and store.has_table("rescreens"):
        since = _last_previous_start(store, previous)
        found += [
            {**h, "source": f"re-screen, list version {h['list_version']}"}
            for h in store.dicts(_RESCREEN_HITS_SQL, [since])
        ]
    found.sort(key=lambda h: -_score(h))
    rows = []
    texts: dict[tuple[str, int], str] = {}
    for hit in found[:cap]:
        key = (str(hit["entry_number"]), int(str(hit["line_number"])))
        if key not in texts:
            texts[key] = explain_line(store, *key)
        rows.append({**hit, "explain": texts[key]})
    return Table(rows=rows, total=len(found))
