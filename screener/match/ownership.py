"""Ownership chains of listed entities (DESIGN §4): an entity owned or controlled by an entity
of concern (``parent_entity_id``: FollowTheMoney ``Ownership`` at 25% or more, or the custom
CSV's column) is itself one, and its hits say through whom.

``owner_chains`` walks ``parent_entity_id`` upwards within a list (several owners are
``;``-separated; cycles and depth past ``MAX_DEPTH`` stop the walk) and writes, per owned
entity, ``owned or controlled by LIST entity P 'Name of P' <- owned by Q 'Name of Q'``.
"""

from __future__ import annotations

import polars as pl

MAX_DEPTH = 6


def _parents(value: str | None) -> list[str]:
    return [p.strip() for p in (value or "").split(";") if p.strip()]


def owner_chains(names: pl.DataFrame) -> dict[tuple[str, str], str]:
    """``(list_id, entity_id) -> chain text`` for every entity with a parent in its list."""
    if "parent_entity_id" not in names.columns:
        return {}
    owned = names.filter(pl.col("parent_entity_id").fill_null("") != "")
    if owned.is_empty():
        return {}
    primary = (
        names.sort(pl.col("name_kind") != "primary")
        .unique(["list_id", "entity_id"], keep="first")
        .select("list_id", "entity_id", "name")
    )
    label = {(lid, eid): name for lid, eid, name in primary.iter_rows()}
    parents = {
        (lid, eid): _parents(parent)
        for lid, eid, parent in owned.select("list_id", "entity_id", "parent_entity_id")
        .unique()
        .iter_rows()
    }
    chains: dict[tuple[str, str], str] = {}
    for (list_id, entity_id), direct in parents.items():
        links: list[str] = []
        for parent in direct:
            path: list[str] = []
            seen, at = {entity_id}, parent
            while at and at not in seen and len(path) < MAX_DEPTH:
                seen.add(at)
                path.append(f"{at} {label.get((list_id, at), '(not on the list)')!r}")
                up = parents.get((list_id, at), [])
                at = up[0] if up else ""
            links.append(" <- owned by ".join(path))
        chains[(list_id, entity_id)] = (
            f"owned or controlled by {list_id} entity " + " and by ".join(links)
        )
    return chains
