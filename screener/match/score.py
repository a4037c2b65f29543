"""Matching party names against listed names, with an explanation per hit (DESIGN §5).

The score of one pair is ``screener.match.align.align_keys``. Candidates come from two cheap
vectorized passes, never a Python loop over all pairs: ``rapidfuzz.process.cdist``
(token_sort_ratio, cutoff the review threshold less ``CANDIDATE_MARGIN``) in chunks of
``CHUNK`` queries with every core, and an exact-word join in polars (pairs sharing words that
make up at least ``SHARED_MIN`` of the listed name). Only those candidates are scored in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from rapidfuzz import fuzz, process

from screener.match.align import Alignment, align_keys
from screener.match.names import analyze_name, name_keys, normalize_name
from screener.match.ownership import owner_chains
from screener.match.pair import pair_notes, score_pair
from screener.schema import HITS as HITS_SCHEMA

CANDIDATE_MARGIN = 15.0
SHARED_MIN = 0.75
CHUNK = 2_000

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
    """Listed names normalized once. ``names`` holds every usable name with its ``key``."""

    names: pl.DataFrame  # _row, list_id, list_version, entity_id, name_kind, name, key
    keys: list[str]  # distinct keys of the non-weak names, words sorted, in fuzzy_rows order
    fuzzy_rows: np.ndarray  # _row of each entry in keys
    words: pl.DataFrame  # _row, word, _len, _letters, _signature (non-weak names only)
    chains: dict[tuple[str, str], str] = field(default_factory=dict)  # owner_chains(names)


def _sorted_words(key: str) -> str:
    return " ".join(sorted(key.split()))


def build_index(names: pl.DataFrame) -> NameIndex:
    """Normalize every listed name once (names with an empty key are dropped); a name with
    other readings (``name_keys``) is indexed under each."""
    distinct = names.get_column("name").unique().to_list()
    keys = pl.DataFrame(
        {"name": distinct, "key": [list(name_keys(n)) or [""] for n in distinct]},
        schema={"name": pl.String, "key": pl.List(pl.String)},
    ).explode("key")
    table = (
        names.select("list_id", "list_version", "entity_id", "name_kind", "name")
        .join(keys, on="name", how="left")
        .filter(pl.col("key") != "")
        .with_row_index("_row")
    )
    distinct_keys = table.filter(pl.col("name_kind") != "weak").unique(
        "key", keep="first", maintain_order=True
    )
    words = (
        distinct_keys.select("_row", word=pl.col("key").str.split(" "))
        .explode("word")
        .unique(["_row", "word"])
        .with_columns(_len=pl.col("word").str.len_chars())
        .with_columns(
            _letters=pl.col("_len").sum().over("_row"),
            _df=pl.len().over("word"),
        )
        # prefix filter: a name sharing >= SHARED_MIN of its letters with an entry shares at
        # least one of its rarest words that hold more than (1 - SHARED_MIN) of its letters
        .sort("_row", "_df", pl.col("_len"), descending=[False, False, True])
        .with_columns(_before=pl.col("_len").cum_sum().over("_row") - pl.col("_len"))
        .with_columns(_signature=pl.col("_before") <= (1 - SHARED_MIN) * pl.col("_letters"))
        .select("_row", "word", "_len", "_letters", "_signature")
    )
    return NameIndex(
        names=table,
        keys=[_sorted_words(k) for k in distinct_keys.get_column("key")],
        fuzzy_rows=distinct_keys.get_column("_row").to_numpy(),
        words=words,
        chains=owner_chains(names),
    )


def _candidates(query_keys: list[str], index: NameIndex, cutoff: float) -> pl.DataFrame:
    """(query index, key of a listed name) pairs worth scoring."""
    parts: list[pl.DataFrame] = []
    row_keys = index.names.select("_row", "key")
    # token_sort_ratio == ratio of the word-sorted keys; plain ratio runs the SIMD kernels,
    # which want choices of at most 64 characters: long listed keys get their own pass.
    sorted_queries = [_sorted_words(k) for k in query_keys]
    short = np.array([len(k) <= 64 for k in index.keys], dtype=bool)
    groups = [g for g in (np.flatnonzero(short), np.flatnonzero(~short)) if len(g)]
    choices = [[index.keys[i] for i in g] for g in groups]
    cut = max(0.0, cutoff - CANDIDATE_MARGIN)
    for start in range(0, len(query_keys), CHUNK):
        chunk = sorted_queries[start : start + CHUNK]
        for group, keys in zip(groups, choices, strict=True):
            matrix = process.cdist(
                chunk,
                keys,
                scorer=fuzz.ratio,
                score_cutoff=cut,
                workers=-1,
                dtype=np.uint8,
            )
            qi, ni = np.nonzero(matrix)
            parts.append(pl.DataFrame({"_q": qi + start, "_row": index.fuzzy_rows[group[ni]]}))
    queries = pl.DataFrame({"_q": range(len(query_keys)), "key": query_keys})
    q_words = queries.select("_q", word=pl.col("key").str.split(" ")).explode("word").unique()
    signature = index.words.filter("_signature").select("word", "_row")
    pairs = q_words.join(signature, on="word").select("_q", "_row").unique()
    shared = (
        pairs.join(q_words, on="_q")
        .join(index.words, on=["_row", "word"])
        .group_by("_q", "_row")
        .agg(_shared=pl.col("_len").sum(), _letters=pl.col("_letters").first())
        .filter(pl.col("_shared") >= SHARED_MIN * pl.col("_letters"))
        .select("_q", "_row")
    )
    parts.append(shared.cast({"_q": pl.Int64, "_row": pl.Int64}))
    fuzzy = pl.concat([p.cast({"_q": pl.Int64, "_row": pl.Int64}) for p in parts]).unique()
    fuzzy = fuzzy.join(row_keys.cast({"_row": pl.Int64}), on="_row").select("_q", "key")
    exact = queries.join(index.names.select("key"), on="key").select("_q", "key")
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
    cutoff = min(review for review, _ in limits.values())
    raw = pl.DataFrame({"query": list(queries)}, schema={"query": pl.String})
    raw = raw.with_columns(key=pl.Series([normalize_name(q) for q in queries], dtype=pl.String))
    query_keys = raw.filter(pl.col("key") != "").get_column("key").unique().sort().to_list()
    pairs = _candidates(query_keys, index, cutoff)
    aligned = [align_keys(query_keys[q], key) for q, key in pairs.iter_rows()]
    scored = pairs.with_columns(
        query_key=pl.Series([query_keys[q] for q in pairs.get_column("_q")], dtype=pl.String),
        score=pl.Series([a.score for a in aligned], dtype=pl.Float64),
        _align=pl.Series(range(len(aligned)), dtype=pl.Int64),
    )
    limit_frame = pl.DataFrame(
        {
            "list_id": list(limits),
            "_review": [r for r, _ in limits.values()],
            "_confirm": [c for _, c in limits.values()],
        }
    )
    hits = (
        scored.join(index.names, on="key")
        .join(limit_frame, on="list_id")
        .filter(
            (pl.col("score") >= pl.col("_review"))
            & ((pl.col("name_kind") != "weak") | (pl.col("query_key") == pl.col("key")))
        )
        .sort(["score", pl.col("name_kind") == "primary", "_row"], descending=[True, True, False])
        .unique(["query_key", "list_id", "entity_id"], keep="first", maintain_order=True)
    )
    hits = raw.join(hits, left_on="key", right_on="query_key")
    explanations = [
        _with_chain(explain_hit(row, aligned[row["_align"]]), index, row)
        for row in hits.iter_rows(named=True)
    ]
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
    query, listed = analyze_name(str(row["query"])), analyze_name(str(row["name"]))
    notes = pair_notes(query, listed, alignment)
    kind = row["name_kind"]
    detail = "; ".join([f"list version {row['list_version']}, score {row['score']:.1f}", *notes])
    return (
        f"key '{query.key}' ~ {row['list_id']} entity {row['entity_id']} {kind} "
        f"'{row['name']}' ({detail})"
    )
