"""screener: customs origin-verification and transshipment screening for critical minerals."""

from screener.errors import InputError, ListError, RulesetError, ScreenerError, StoreError
from screener.match.pair import PairScore, score_pair
from screener.models import EntryLine, Flag, Hit, LineResult
from screener.pipeline import Screener
from screener.ruleset import Ruleset, check_ruleset, load_ruleset

__all__ = [
    "EntryLine",
    "Flag",
    "Hit",
    "InputError",
    "LineResult",
    "ListError",
    "PairScore",
    "Ruleset",
    "RulesetError",
    "Screener",
    "ScreenerError",
    "StoreError",
    "check_ruleset",
    "load_ruleset",
    "score_pair",
]
