"""Name matching (DESIGN §5): normalize names to a key, score party names against listed names.

``normalize_name`` gives the match key; ``build_index`` normalizes the listed names once;
``match_names`` returns the hits of distinct party names, one row per (query, list, entity),
each with its score and an explanation.
"""

from screener.match.align import align_keys
from screener.match.names import analyze_name, name_key_expr, normalize_name
from screener.match.pair import PairScore, score_pair
from screener.match.score import NameIndex, build_index, match_names, score_names

__all__ = [
    "NameIndex",
    "PairScore",
    "align_keys",
    "analyze_name",
    "build_index",
    "match_names",
    "name_key_expr",
    "normalize_name",
    "score_names",
    "score_pair",
]
