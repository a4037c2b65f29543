"""Entity list versions and delta re-screening (DESIGN §5).

``record_list`` (``screener lists update``) loads a list, stores its names in ``entity_names``
under their version and one ``list_versions`` row per list id counting the names added, changed
and removed against the previous version: the database's current one (view
``current_list_versions``: last recorded or screened with). A *name* is an (entity_id, name)
pair; it *changed* when another column of its rows did (kind, entity type, country, programs,
address, source, parent). Allowlist decisions on entities whose names changed lapse then.

``rescreen`` (``screener rescreen``) matches the distinct supplier and manufacturer names stored
in ``entries`` against the names added or changed in each list's latest recorded version only,
and records in ``rescreen_hits`` the hits no earlier re-screen of that version reported.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime

import polars as pl

from screener import schema
from screener import store_sql as sql
from screener.allowlist import review_decisions
from screener.allowlist.common import utc_naive
from screener.errors import InputError
from screener.lists import load_list
from screener.match import NameIndex, build_index, match_names
from screener.ruleset import Ruleset
from screener.store import Store

_NAME = ["entity_id", "name"]
_ATTRS = [c for c in schema.ENTITY_NAMES if c not in ("list_id", "list_version", *_NAME)]
_NOT_PARTIES = ("vessel", "aircraft")  # as Screener: not matched against party names
_REPORTED = ["list_id", "list_version", "entity_id", "party", "party_name"]


@dataclass(frozen=True)
class ListUpdate:
    """One list id of a ``lists update``: its version and the change against the previous."""

    list_id: str
    list_version: str
    previous_version: str | None
    entities: int
    names: int
    added: int
    changed: int
    removed: int
    recorded: bool  # False: this version already is the database's current one
    notes: list[str] = field(default_factory=list)  # allowlist decisions that lapsed


def diff_names(old: pl.DataFrame, new: pl.DataFrame) -> pl.DataFrame:
    """entity_id, name, change (added | changed | removed) of two versions' entity_names rows."""

    def prints(frame: pl.DataFrame) -> pl.DataFrame:
        row = pl.concat_str([pl.col(c).fill_null("") for c in _ATTRS], separator="\x1f")
        return frame.group_by(_NAME).agg(row.sort().str.join("\x1e").alias("_print"))

    before, after = prints(old), prints(new)
    return pl.concat(
        [
            after.join(before, on=_NAME, how="anti").select(_NAME, change=pl.lit("added")),
            after.join(before, on=_NAME, suffix="_old")
            .filter(pl.col("_print") != pl.col("_print_old"))
            .select(_NAME, change=pl.lit("changed")),
            before.join(after, on=_NAME, how="anti").select(_NAME, change=pl.lit("removed")),
        ]
    ).sort(_NAME)


def _names(store: Store, list_id: str, version: str | None) -> pl.DataFrame:
    if version is None:
        return schema.empty(schema.ENTITY_NAMES)
    found = store.frame(
        f"SELECT {sql.column_list(schema.ENTITY_NAMES)} FROM entity_names"
        " WHERE list_id = ? AND list_version = ?",
        [list_id, version],
    )
    return found.cast(schema.ENTITY_NAMES)  # type: ignore[arg-type]


def record_list(store: Store, spec: str, *, now: datetime) -> list[ListUpdate]:
    """Load the list ``spec`` and record each of its list ids' version, in one transaction."""
    loaded = load_list(spec)
    current = {
        str(r["list_id"]): str(r["list_version"])
        for r in store.dicts("SELECT list_id, list_version FROM current_list_versions")
    }
    updates: list[ListUpdate] = []
    with store.transaction():
        for (list_id,), names in loaded.partition_by("list_id", as_dict=True).items():
            list_id = str(list_id)
            version = str(names.get_column("list_version")[0])
            previous = current.get(list_id)
            diff = diff_names(_names(store, list_id, previous), names).get_column("change")
            update = ListUpdate(
                list_id=list_id,
                list_version=version,
                previous_version=previous,
                entities=names.get_column("entity_id").n_unique(),
                names=names.height,
                added=int((diff == "added").sum()),
                changed=int((diff == "changed").sum()),
                removed=int((diff == "removed").sum()),
                recorded=previous != version,
            )
            if update.recorded:
                row = {k: v for k, v in asdict(update).items() if k in sql.LIST_VERSIONS}
                row |= {"loaded_at": utc_naive(now), "spec": spec}
                store.append("entity_names", names)
                store.append("list_versions", pl.DataFrame([row], schema=sql.LIST_VERSIONS))
                review = review_decisions(store, names, today=now.date(), now=now)
                store.append("allowlist_audit", review.events)
                update = replace(update, notes=review.notes)
            updates.append(update)
    return sorted(updates, key=lambda u: u.list_id)


@dataclass(frozen=True)
class RescreenOutcome:
    rescreen_id: str
    lists: list[dict[str, object]]  # the rescreens rows written, one per list id
    hits: pl.DataFrame  # the new rescreen_hits rows
    parties: int


def _latest(store: Store, list_id: str | None) -> list[dict[str, object]]:
    latest = store.dicts(
        "SELECT list_id, arg_max(list_version, loaded_at) AS list_version,"
        " arg_max(previous_version, loaded_at) AS previous_version"
        " FROM list_versions GROUP BY list_id ORDER BY list_id"
    )
    recorded = ", ".join(str(r["list_id"]) for r in latest) or "none"
    hint = f"record one with `screener lists update --db {store.path} --list FORMAT:PATH`"
    chosen = [r for r in latest if list_id is None or r["list_id"] == list_id]
    if not chosen:
        which = f"of list '{list_id}' " if list_id else ""
        raise InputError(
            f"no version {which}recorded in {store.path} (recorded: {recorded}); {hint}"
        )
    return chosen


def _versions(store: Store, latest: dict[str, object]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(the latest version's names, its added and changed names with their ``change``)."""
    list_id = str(latest["list_id"])
    previous = latest["previous_version"]
    new = _names(store, list_id, str(latest["list_version"]))
    old = _names(store, list_id, None if previous is None else str(previous))
    changed = diff_names(old, new).filter(pl.col("change") != "removed")
    return new, new.join(changed, on=_NAME).unique([*_NAME, "name_kind"], maintain_order=True)


def _delta_index(delta: pl.DataFrame, whole: pl.DataFrame) -> NameIndex:
    """An index of the delta names only; where the matcher names an entity's owners, it takes
    them from the whole version (an owner is rarely part of the delta)."""
    index = build_index(delta)
    if hasattr(index, "chains"):
        index = dataclasses.replace(index, chains=build_index(whole).chains)
    return index


def _entry_lines(store: Store, names: Sequence[str]) -> pl.DataFrame:
    """party, party_name, line_count, entry_lines of the stored lines naming these parties."""
    parts = [
        f"SELECT '{party}' AS party, {party}_name AS party_name, run_id, entry_number,"
        f" line_number FROM entries WHERE list_contains(?::VARCHAR[], {party}_name)"
        for party in ("supplier", "manufacturer")
    ]
    lines = store.frame(" UNION ALL ".join(parts), [list(names), list(names)])
    return lines.group_by("party", "party_name").agg(
        line_count=pl.len().cast(pl.Int64),
        entry_lines=pl.struct(list(sql.ENTRY_LINE.to_schema())).sort_by(
            "run_id", "entry_number", "line_number"
        ),
    )


def rescreen(
    store: Store, ruleset: Ruleset, *, now: datetime, list_id: str | None = None
) -> RescreenOutcome:
    """Match the stored party names against the latest versions' added and changed names."""
    rescreen_id = uuid.uuid4().hex[:12]
    latest = _latest(store, list_id)
    versions = [_versions(store, row) for row in latest]
    whole = pl.concat([w for w, _ in versions]).filter(~pl.col("entity_type").is_in(_NOT_PARTIES))
    delta = pl.concat([d for _, d in versions])
    parties = store.frame(
        "SELECT DISTINCT name FROM (SELECT supplier_name AS name FROM entries UNION ALL"
        " SELECT manufacturer_name FROM entries) WHERE name IS NOT NULL ORDER BY name"
    )["name"].to_list()

    def thresholds(list_id: str) -> tuple[float, float]:
        t = ruleset.thresholds(list_id)
        return t.review, t.confirm

    usable = delta.filter(~pl.col("entity_type").is_in(_NOT_PARTIES))
    hits = match_names(parties, _delta_index(usable, whole), thresholds)
    change = usable.select("list_id", "entity_id", matched_name="name", name_change="change")
    on = ["list_id", "entity_id", "matched_name"]
    lines = _entry_lines(store, hits.get_column("query").unique().to_list())
    found = (
        hits.join(change.unique(on), on=on, how="left")
        .join(lines, left_on="query", right_on="party_name")
        .with_columns(
            party_name=pl.col("query"),
            explanation=pl.format(
                "{} '{}' ~ {}", pl.col("party"), pl.col("query"), pl.col("explanation")
            ),
            rescreen_id=pl.lit(rescreen_id),
        )
        .select(list(sql.RESCREEN_HITS))
    )
    reported = store.frame(f"SELECT DISTINCT {sql.column_list(_REPORTED)} FROM rescreen_hits")
    new = found.join(reported.cast(dict.fromkeys(_REPORTED, pl.String)), on=_REPORTED, how="anti")
    rows = [
        {
            "rescreen_id": rescreen_id,
            "list_id": row["list_id"],
            "list_version": row["list_version"],
            "previous_version": row["previous_version"],
            "started_at": utc_naive(now),
            "ruleset_name": ruleset.name,
            "ruleset_version": ruleset.version,
            "ruleset_hash": ruleset.content_hash,
            "delta_names": delta.filter(pl.col("list_id") == row["list_id"]).height,
            "parties": len(parties),
            "hits": new.filter(pl.col("list_id") == row["list_id"]).height,
            "already_reported": found.filter(pl.col("list_id") == row["list_id"]).height
            - new.filter(pl.col("list_id") == row["list_id"]).height,
        }
        for row in latest
    ]
    with store.transaction():
        store.append("rescreens", pl.DataFrame(rows, schema=sql.RESCREENS))
        store.append("rescreen_hits", new)
    new = new.sort("party_name", "party", "list_id", "entity_id")
    return RescreenOutcome(rescreen_id, rows, new, len(parties))
