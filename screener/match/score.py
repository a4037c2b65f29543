"""Matching party names against listed names, with an explanation per hit (DESIGN §5).

The score of one pair is ``screener.match.align.align_keys``. Candidates come from the blocking
index (``screener.match.blocking``: polars joins and rapidfuzz batch calls on the normalized keys,
never every pair), plus every exact key; only those are scored, all at once by the compiled
``align_batch.score_keys`` (the same scores), and each hit is aligned again for the words behind
it. The name keys and the blocking index are cached per list content
(``screener.match.index_cache``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from screener.match.align import Alignment, align_keys
from screener.match.align_batch import score_keys
from screener.match.blocking import MARGIN, Blocker
from screener.match.index_cache import cached_blocker
from screener.match.key_cache import cached_name_keys, name_key_table
from screener.match.names import analyze_reading, name_keys
from screener.match.ownership import owner_chains
from screener.match.pair import pair_notes, score_pair
from screener.schema import HITS as HITS_SCHEMA

_LINE_KEYS = frozenset({"run_id", "entry_number", "line_number", "party"})
HITS: dict[str, pl.DataType] = {  # schema.HIT_STRUCT keyed by query; the caller adds party
    "query": pl.String(),
    **{
        k: v
        for k, v in HITS_SCHEMA.items()
        if k not in {"run_id", "entry_number", "line_number", "party"}
    },
}


def score_names(query: str, listed: str) -> float:
    """Score 0-100 of two raw names (normalized here; the listed name's other readings too)."""
    return score_pair(query, listed).score


@dataclass(frozen=True)
class NameIndex:
    """Listed names normalized once. ``names`` holds every usable name with its ``key``;
    ``keys`` the distinct keys of the non-weak names, which ``blocker`` indexes (``_k``)."""

    names: pl.DataFrame  # _row, list_id, list_version, entity_id, name_kind, name, key
    keys: list[str]
    blocker: Blocker
    chains: dict[tuple[str, str], str] = field(default_factory=dict)  # owner_chains(names)
    lower: dict[float, Blocker] = field(default_factory=dict)  # indexes under blocker's floor


def build_index(
    names: pl.DataFrame, cache_dir: Path | None = None, cache: bool = True
) -> NameIndex:
    """Normalize every listed name once (names with an empty key are dropped; a name with
    other readings, ``name_keys``, is indexed under each) and index the keys for blocking.

    With ``cache`` (the default) the name keys and the blocking index are kept on disk per list
    content (``screener.match.index_cache``), so a night against unchanged lists loads them.
    """
    keyed = cached_name_keys(names, cache_dir) if cache else name_key_table(names)
    table = (
        names.select("list_id", "list_version", "entity_id", "name_kind", "name")
        .join(keyed, on="name", how="left")
        .filter(pl.col("key").fill_null("") != "")
        .with_row_index("_row")
    )
    keys = (
        table.filter(pl.col("name_kind") != "weak")
        .get_column("key")
        .unique(maintain_order=True)
        .to_list()
    )
    blocker = cached_blocker(keys, cache_dir) if cache else Blocker.build(keys)
    return NameIndex(names=table, keys=keys, blocker=blocker, chains=owner_chains(names))


def _candidates(query_keys: list[str], index: NameIndex, review: float) -> pl.DataFrame:
    """(query index, key of a listed name) pairs worth scoring: the blocker's candidates that
    may reach ``review`` (less ``MARGIN``), and every exact key (weak aliases match only so).
    A review threshold under the cached index's floor gets an index of its own, built here once
    per ``index``."""
    listed = pl.DataFrame({"_k": range(len(index.keys)), "key": index.keys})
    min_score = review - MARGIN
    blocker = index.blocker
    if min_score < blocker.floor:
        if min_score not in index.lower:
            index.lower[min_score] = Blocker.build(index.keys, floor=min_score)
        blocker = index.lower[min_score]
    fuzzy = (
        blocker.candidates(query_keys, min_score)
        .cast({"_q": pl.Int64, "_k": pl.Int64})
        .join(listed.cast({"_k": pl.Int64}), on="_k")
        .select("_q", "key")
    )
    queries = pl.DataFrame({"_q": range(len(query_keys)), "key": query_keys})
    exact = queries.join(index.names.select("key").unique(), on="key").select("_q", "key")
    return pl.concat([fuzzy, exact.cast({"_q": pl.Int64})]).unique()


def match_names(
    queries: Sequence[str],
    index: NameIndex,
    thresholds: Callable[[str], tuple[float, float]],
) -> pl.DataFrame:
    """Hits of distinct raw party names: one row per (query, list_id, entity_id), best name."""
    list_ids = index.names.get_column("list_id").unique().to_list()
    limits = {lid: thresholds(lid) for lid in list_ids}
    if not queries or not limits:
        return pl.DataFrame(schema=HITS)
    readings = [list(name_keys(q)) for q in queries]  # ASCII: one key; other scripts: each reading
    raw = pl.DataFrame(
        {"query": list(queries), "key": readings},
        schema={"query": pl.String, "key": pl.List(pl.String)},
    ).explode("key")
    query_keys = raw.drop_nulls("key").get_column("key").unique().sort().to_list()
    pairs = _candidates(query_keys, index, min(r for r, _ in limits.values()))
    listed = pairs.get_column("key").unique().sort()
    at = pairs.get_column("key").rank("dense").cast(pl.Int64).to_numpy() - 1  # into ``listed``
    q = pairs.get_column("_q").to_numpy()
    scored = pairs.with_columns(
        query_key=pl.Series(query_keys, dtype=pl.String).gather(q),
        score=pl.Series(score_keys(query_keys, listed.to_list(), q, at), dtype=pl.Float64),
    )
    limit_frame = pl.DataFrame(
        {
            "list_id": list(limits),
            "_review": [r for r, _ in limits.values()],
            "_confirm": [c for _, c in limits.values()],
        }
    )
    order = ["score", pl.col("name_kind") == "primary", "_row"]
    hits = (
        scored.join(index.names, on="key")
        .join(limit_frame, on="list_id")
        .filter(
            (pl.col("score") >= pl.col("_review"))
            & ((pl.col("name_kind") != "weak") | (pl.col("query_key") == pl.col("key")))
        )
        .sort(order, descending=[True, True, False])
        .unique(["query_key", "list_id", "entity_id"], keep="first", maintain_order=True)
    )
    hits = (
        raw.rename({"key": "query_key"})
        .join(hits, on="query_key")
        .sort(order, descending=[True, True, False])
        .unique(["query", "list_id", "entity_id"], keep="first", maintain_order=True)
    )  # the best reading of each query
    explanations = [
        _with_chain(explain_hit(row, align_keys(row["query_key"], row["key"])), index, row)
        for row in hits.iter_rows(named=True)
    ]  # the words behind each hit: its alignment, whose score is the kernel's
    return (
        hits.with_columns(
            matched_name=pl.col("name"),
            confirmed=pl.col("score") >= pl.col("_confirm"),
            explanation=pl.Series(explanations, dtype=pl.String),
        )
        .select(list(HITS))
        .sort(["query", "score", "list_id", "entity_id"], descending=[False, True, False, False])
    )


def _with_chain(text: str, index: NameIndex, row: dict[str, object]) -> str:
    chain = index.chains.get((str(row["list_id"]), str(row["entity_id"])))
    return f"{text}; {chain}" if chain else text


def explain_hit(row: dict[str, object], alignment: Alignment) -> str:
    """``key 'q' ~ LIST entity ID KIND 'NAME' (list version V, score S; what decided it)``.

    The caller prefixes the party and its raw name (``supplier 'RAW NAME' key '...' ~ ...``).
    """
    query = analyze_reading(str(row["query"]), str(row["query_key"]))  # the reading that met
    listed = analyze_reading(str(row["name"]), str(row["key"]))
    notes = pair_notes(query, listed, alignment)
    kind = row["name_kind"]
    detail = "; ".join([f"list version {row['list_version']}, score {row['score']:.1f}", *notes])
    return (
        f"key '{query.key}' ~ {row['list_id']} entity {row['entity_id']} {kind} "
        f"'{row['name']}' ({detail})"
    )
