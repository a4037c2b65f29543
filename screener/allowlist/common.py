"""What every allowlist step shares: ids and dates parsed, names hashed, sentences, events."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime

import polars as pl

from screener import store_sql as sql
from screener.errors import InputError

SYSTEM = "screener"  # acted_by of the expire and lapse events a run or a list update records


def hash_names(names: Iterable[str]) -> str:
    """The hash of an entity's names: sha256 over the sorted distinct names, 16 hex digits."""
    text = "\n".join(sorted(set(names)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def parse_entity(text: str) -> tuple[str, str]:
    """``LIST:ID`` -> (list_id, entity_id)."""
    list_id, sep, entity_id = text.partition(":")
    if not sep or not list_id.strip() or not entity_id.strip():
        raise InputError(
            f"--entity '{text}' is not LIST:ID; give the list id and the list's own entity id, "
            "e.g. --entity fictitious-concern:FX-0002 or --entity ofac-sdn:11610"
        )
    return list_id.strip(), entity_id.strip()


def parse_expiry(text: str | None) -> date | None:
    """``--expires YYYY-MM-DD`` -> date (None when not given)."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"--expires '{text}' is not a date; use YYYY-MM-DD, e.g. --expires 2026-12-31"
        ) from None


def utc_naive(value: datetime) -> datetime:
    """How the store keeps times: naive UTC (aware times converted)."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def day(value: object) -> str:
    return value.strftime("%Y-%m-%d") if isinstance(value, date | datetime) else str(value)


def suppression_sentence(d: Mapping[str, object]) -> str:
    expiry = (
        f"expires {day(d['expires_at'])}"
        if d["expires_at"] is not None
        else "no expiry; lapses when the entity's names change"
    )
    return (
        f"hit on {d['list_id']} entity {d['entity_id']} suppressed by allowlist decision "
        f"#{d['allowlist_id']} by {d['decided_by']} on {day(d['decided_at'])}: {d['reason']} "
        f"({expiry})"
    )


def audit_rows(rows: list[dict[str, object]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=sql.ALLOWLIST_AUDIT)


def audit_event(
    allowlist_id: object, action: str, by: str, at: datetime, reason: str, **kw: object
) -> dict[str, object]:
    return dict.fromkeys(sql.ALLOWLIST_AUDIT) | {
        "allowlist_id": allowlist_id,
        "action": action,
        "acted_by": by,
        "acted_at": utc_naive(at),
        "reason": reason,
        **kw,
    }
