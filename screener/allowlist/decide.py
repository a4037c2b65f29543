"""The analyst's side of the allowlist: add, revoke and list decisions (one transaction each)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import polars as pl

from screener import store_sql as sql
from screener.allowlist.common import (
    audit_event,
    audit_rows,
    day,
    hash_names,
    parse_entity,
    utc_naive,
)
from screener.errors import InputError
from screener.match.names import normalize_name

if TYPE_CHECKING:
    from screener.store import Store


def _text(option: str, value: str) -> str:
    if not value or not value.strip():
        raise InputError(f"{option} is empty; an allowlist decision records who decided and why")
    return value.strip()


def add_decision(
    store: Store,
    *,
    supplier: str,
    entity: str,
    reason: str,
    by: str,
    expires: date | None,
    now: datetime,
) -> dict[str, object]:
    """Record "``supplier`` is not ``entity``" on the database's current version of the list."""
    list_id, entity_id = parse_entity(entity)
    key = normalize_name(supplier)
    if not key:
        raise InputError(f"--supplier '{supplier}' has no letters or digits to match on")
    by, reason = _text("--by", by), _text("--reason", reason)
    versions = {
        str(r["list_id"]): str(r["list_version"])
        for r in store.dicts("SELECT list_id, list_version FROM current_list_versions")
    }
    if list_id not in versions:
        known = ", ".join(sorted(versions)) or "none"
        raise InputError(
            f"list '{list_id}' is not in {store.path} (lists there: {known}); screen with it, "
            f"or record it with `screener lists update --db {store.path} --list FORMAT:PATH`"
        )
    version = versions[list_id]
    names = store.frame(
        "SELECT name FROM entity_names WHERE list_id = ? AND list_version = ? AND entity_id = ?",
        [list_id, version, entity_id],
    )
    if names.is_empty():
        raise InputError(
            f"entity '{entity_id}' is not on list {list_id} (version {version}) in {store.path};"
            f' check the id: screener sql --db {store.path} "select distinct entity_id, name'
            f" from entity_names where list_id = '{list_id}'\""
        )
    row = dict.fromkeys(sql.ALLOWLIST) | {
        "supplier_key": key,
        "supplier_name": supplier.strip(),
        "list_id": list_id,
        "entity_id": entity_id,
        "list_version": version,
        "names_hash": hash_names(names.get_column("name").to_list()),
        "decided_by": by,
        "decided_at": utc_naive(now),
        "reason": reason,
        "expires_at": expires,
    }
    same = store.dicts(
        "SELECT allowlist_id FROM allowlist_decisions WHERE state = 'active'"
        " AND supplier_key = ? AND list_id = ? AND entity_id = ? AND names_hash = ?",
        [key, list_id, entity_id, row["names_hash"]],
    )
    if same:
        n = same[0]["allowlist_id"]
        raise InputError(
            f"allowlist decision #{n} already says '{supplier}' is not {list_id} entity "
            f"{entity_id}; to change it, revoke it first (screener allow --revoke {n} ...)"
        )
    with store.transaction():
        store.append("allowlist", pl.DataFrame([row], schema=sql.ALLOWLIST))
        row["allowlist_id"] = store.dicts("SELECT max(allowlist_id) AS n FROM allowlist")[0]["n"]
        added = audit_event(
            row["allowlist_id"],
            "add",
            by,
            now,
            reason,
            list_version=version,
            names_hash=row["names_hash"],
        )
        store.append("allowlist_audit", audit_rows([added]))
    return row


def revoke_decision(
    store: Store, allowlist_id: int, *, by: str, reason: str, now: datetime
) -> dict[str, object]:
    """Revoke decision #``allowlist_id``; the pair is screened again from the next run."""
    by, reason = _text("--by", by), _text("--reason", reason)
    found = store.dicts("SELECT * FROM allowlist WHERE allowlist_id = ?", [allowlist_id])
    if not found:
        raise InputError(
            f"no allowlist decision #{allowlist_id} in {store.path};"
            f" `screener allow --db {store.path} --list` shows them"
        )
    d = found[0]
    if d["revoked_at"] is not None:
        raise InputError(
            f"allowlist decision #{allowlist_id} was already revoked by {d['revoked_by']}"
            f" on {day(d['revoked_at'])}"
        )
    with store.transaction():
        store.dicts(
            "UPDATE allowlist SET revoked_by = ?, revoked_at = ?, revoke_reason = ?"
            " WHERE allowlist_id = ?",
            [by, utc_naive(now), reason, allowlist_id],
        )
        store.append(
            "allowlist_audit", audit_rows([audit_event(allowlist_id, "revoke", by, now, reason)])
        )
    return d | {"revoked_by": by, "revoked_at": now, "revoke_reason": reason}


def list_decisions(store: Store) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """(decisions with their state, the audit trail), oldest first; empty for an older file."""
    if not store.has_table("allowlist_decisions"):
        return [], []
    return (
        store.dicts("SELECT * FROM allowlist_decisions ORDER BY allowlist_id"),
        store.dicts("SELECT * FROM allowlist_audit ORDER BY audit_id"),
    )
