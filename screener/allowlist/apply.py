"""The allowlist at run time: which decisions are active, and the hits they suppress."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

import polars as pl

from screener import store_sql as sql
from screener.allowlist.common import (
    SYSTEM,
    audit_event,
    audit_rows,
    day,
    hash_names,
    suppression_sentence,
)
from screener.errors import InputError
from screener.match.names import normalize_name

if TYPE_CHECKING:
    from screener.store import Store

# What Screener.screen_accepted(allowlist=...) takes: one row per active decision.
ACTIVE: dict[str, pl.DataType] = {
    "allowlist_id": pl.Int64(),
    "supplier_key": pl.String(),
    "list_id": pl.String(),
    "entity_id": pl.String(),
    "suppression": pl.String(),  # the sentence explain shows
}
_PAIR = ["supplier_key", "list_id", "entity_id"]


def _entity_hashes(
    names: pl.DataFrame, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    wanted = pl.DataFrame(
        list(pairs), schema={"list_id": pl.String, "entity_id": pl.String}, orient="row"
    )
    grouped = (
        names.join(wanted, on=["list_id", "entity_id"], how="semi")
        .group_by("list_id", "entity_id")
        .agg(pl.col("name"))
    )
    return {(lid, eid): hash_names(found) for lid, eid, found in grouped.iter_rows()}


@dataclass(frozen=True)
class Review:
    """The decisions as one run (or list update) finds them."""

    active: pl.DataFrame  # ACTIVE columns
    events: pl.DataFrame  # allowlist_audit rows to append: expiries and lapses noticed now
    notes: list[str] = field(default_factory=list)  # one sentence per event


def review_decisions(
    store: Store, names: pl.DataFrame, *, today: date, now: datetime, run_id: str | None = None
) -> Review:
    """Which decisions suppress hits against ``names`` (the lists in use) on ``today``."""
    active: list[dict[str, object]] = []
    events: list[dict[str, object]] = []
    notes: list[str] = []
    decisions = store.dicts(
        "SELECT * FROM allowlist WHERE revoked_at IS NULL"
        " AND allowlist_id IS NOT NULL ORDER BY allowlist_id"  # rows of an older file lack ids
    )
    noticed = {
        (r["allowlist_id"], r["action"])
        for r in store.dicts("SELECT allowlist_id, action FROM allowlist_audit")
    }
    loaded = dict(names.select("list_id", "list_version").unique("list_id").iter_rows())
    hashes = _entity_hashes(names, {(str(d["list_id"]), str(d["entity_id"])) for d in decisions})
    for d in decisions:
        n, list_id = d["allowlist_id"], str(d["list_id"])
        what = (
            f"allowlist decision #{n} ('{d['supplier_name']}' is not {list_id} entity"
            f" {d['entity_id']})"
        )
        expires = d["expires_at"]
        if isinstance(expires, date) and expires < today:
            if (n, "expire") not in noticed:
                reason = f"expired on {day(expires)}"
                events.append(audit_event(n, "expire", SYSTEM, now, reason, run_id=run_id))
                notes.append(f"{what} {reason}; the pair is screened again")
            continue
        if (n, "lapse") in noticed or list_id not in loaded:
            continue
        current = hashes.get((list_id, str(d["entity_id"])))
        if current != d["names_hash"]:
            change = "is no longer on the list" if current is None else "has different names"
            reason = (
                f"{list_id} entity {d['entity_id']} {change} in list version {loaded[list_id]}"
                f" (decided on version {d['list_version']})"
            )
            events.append(
                audit_event(
                    n,
                    "lapse",
                    SYSTEM,
                    now,
                    reason,
                    run_id=run_id,
                    list_version=loaded[list_id],
                    names_hash=current,
                )
            )
            notes.append(f"{what} lifted: {reason}")
            continue
        active.append(
            {k: d[k] for k in _PAIR} | {"allowlist_id": n, "suppression": suppression_sentence(d)}
        )
    return Review(pl.DataFrame(active, schema=ACTIVE), audit_rows(events), notes)


def split_hits(hits: pl.DataFrame, active: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``match_names`` hits -> (kept, suppressed): a hit whose query key, list and entity an
    active decision names is suppressed and carries its ``allowlist_id`` and ``suppression``."""
    missing = [c for c in ACTIVE if c not in active.columns]
    if missing:
        raise InputError(f"allowlist frame lacks column(s) {', '.join(missing)}; see ACTIVE")
    queries = hits.get_column("query").unique().to_list()
    keys = pl.DataFrame(
        {"query": queries, "supplier_key": [normalize_name(q) for q in queries]},
        schema={"query": pl.String, "supplier_key": pl.String},
    )
    decisions = (
        active.select(list(ACTIVE))
        .cast(ACTIVE)  # type: ignore[arg-type]
        .sort("allowlist_id", descending=True)
        .unique(_PAIR, keep="first")
    )
    tagged = hits.join(keys, on="query", how="left").join(decisions, on=_PAIR, how="left")
    kept = tagged.filter(pl.col("allowlist_id").is_null()).select(hits.columns)
    suppressed = tagged.filter(pl.col("allowlist_id").is_not_null()).drop("supplier_key")
    return kept, suppressed


def suppressed_rows(result: pl.DataFrame) -> pl.DataFrame:
    """The ``match_suppressed`` column of screened lines as ``suppressed_hits`` rows."""
    if "match_suppressed" not in result.columns:
        return pl.DataFrame(schema=sql.SUPPRESSED_HITS)
    return (
        result.select("entry_number", "line_number", "match_suppressed")
        .explode("match_suppressed")
        .drop_nulls("match_suppressed")
        .unnest("match_suppressed")
        .with_columns(pl.lit(None, dtype=pl.String).alias("run_id"))
        .select(list(sql.SUPPRESSED_HITS))
    )


def explain_notes(store: Store, line: Mapping[str, object]) -> list[str]:
    """Why a decision on a hit of this explained line did not suppress it in the line's run."""
    hits = line.get("hits")
    if not isinstance(hits, list) or not hits or not store.has_table("allowlist_audit"):
        return []
    run = line["run"]
    started = run["started_at"] if isinstance(run, Mapping) else None
    if not isinstance(started, datetime):
        return []
    notes: list[str] = []
    for hit in hits:
        name = line.get(f"{hit['party']}_name")
        decisions = store.dicts(
            "SELECT * FROM allowlist WHERE supplier_key = ? AND list_id = ? AND entity_id = ?"
            " ORDER BY allowlist_id",
            [normalize_name(str(name or "")), hit["list_id"], hit["entity_id"]],
        )
        for d in decisions:
            why = _why_not(store, d, line, started)
            if why:
                notes.append(
                    f"hit on {d['list_id']} entity {d['entity_id']} not suppressed: allowlist "
                    f"decision #{d['allowlist_id']} by {d['decided_by']} on "
                    f"{day(d['decided_at'])} ({d['reason']}) {why}"
                )
    return notes


def _why_not(
    store: Store, d: Mapping[str, object], line: Mapping[str, object], started: datetime
) -> str | None:
    revoked, decided, expires = d["revoked_at"], d["decided_at"], d["expires_at"]
    if isinstance(decided, datetime) and decided > started:
        return "was made after this run; it applies from the next run"
    if isinstance(revoked, datetime) and revoked <= started:
        return f"was revoked by {d['revoked_by']} on {day(revoked)}: {d['revoke_reason']}"
    if isinstance(expires, date) and expires < started.date():
        return f"expired on {day(expires)}"
    lapses = store.dicts(
        "SELECT reason FROM allowlist_audit WHERE allowlist_id = ? AND action = 'lapse'"
        " AND (run_id = ? OR acted_at <= ?) ORDER BY audit_id LIMIT 1",
        [d["allowlist_id"], line["run_id"], started],
    )
    if lapses:
        return f"was lifted: {lapses[0]['reason']}"
    return None
