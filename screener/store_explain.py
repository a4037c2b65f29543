"""`screener explain`'s read: one entry's lines in the latest run holding it, with their hits,
flags, suppressed hits and the run's provenance."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from screener.store import Store

__all__ = ["explain"]


def explain(
    store: Store, entry_number: str, line_number: int | None = None, run_id: str | None = None
) -> list[dict[str, object]]:
    """See `Store.explain`; with ``run_id``, that run's lines instead of the latest run's."""
    where = "entry_number = ?" + (" AND line_number = ?" if line_number is not None else "")
    params: list[object] = [entry_number] + ([line_number] if line_number is not None else [])
    if run_id is not None:
        where += " AND run_id = ?"
        params.append(run_id)
    _, found = store._fetch(
        f"SELECT e.run_id FROM (SELECT DISTINCT run_id FROM entries WHERE {where}) AS e "
        "JOIN runs AS r USING (run_id) ORDER BY r.started_at DESC, r.run_id DESC LIMIT 1",
        params,
    )
    if not found:
        return []
    run_id = str(found[0][0])
    run = store.dicts("SELECT * FROM runs WHERE run_id = ?", [run_id])[0]
    provenance = {
        k: run[k]
        for k in ("run_id", "started_at", "ruleset_name", "ruleset_version", "ruleset_hash")
    }
    provenance |= {k: json.loads(str(run[k])) for k in ("list_versions", "inputs")}
    provenance["input_hash"] = run["input_hash"]
    lines = store.dicts(
        f"SELECT * FROM entries WHERE run_id = ? AND {where} ORDER BY line_number",
        [run_id, *params],
    )
    key = "run_id = ? AND entry_number = ? AND line_number = ?"
    order = {
        "hits": "score DESC NULLS LAST",
        "flags": "weight DESC NULLS LAST, rule",
        "suppressed_hits": "score DESC NULLS LAST",  # absent from an older read-only file
    }
    tables = [t for t in order if store.has_table(t)]
    for line in lines:
        ids = [run_id, line["entry_number"], line["line_number"]]
        for table in order:
            line[table] = (
                store.dicts(
                    f"SELECT * EXCLUDE (run_id, entry_number, line_number) FROM {table}"
                    f" WHERE {key} ORDER BY {order[table]}",
                    ids,
                )
                if table in tables
                else []
            )
        line["run"] = provenance
    return lines
