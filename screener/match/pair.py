"""One entry name against one listed name: the public ``score_pair`` and the words of a hit's
explanation (DESIGN §5). The pipeline explains its hits with the same ``pair_notes``."""

from __future__ import annotations

from dataclasses import dataclass

from screener.match.align import Alignment, align_keys
from screener.match.names import NameKey, name_readings


@dataclass(frozen=True)
class PairScore:
    """A score 0-100 and why: the keys compared and what decided the score."""

    score: float
    explanation: str
    entry_key: str
    listed_key: str


def _quoted(items: tuple[str, ...]) -> str:
    return ", ".join(f"'{item}'" for item in items)


def pair_notes(query: NameKey, listed: NameKey, alignment: Alignment) -> list[str]:
    """What normalization and alignment did, one short note each, entry side first."""
    notes: list[str] = []
    for side, key in (("entry", query), ("listed name", listed)):
        notes += [f"{side} {removed} removed" for removed in key.removed]
    if query.legal_forms or listed.legal_forms:
        both = tuple(dict.fromkeys(query.legal_forms + listed.legal_forms))
        notes.append(f"legal form {_quoted(both)} ignored")
    notes += [f"'{short}'~'{full}'" for short, full in dict.fromkeys(query.expansions)]
    notes += [f"'{short}'~'{full}'" for short, full in dict.fromkeys(listed.expansions)]
    for side, key in (("entry", query), ("listed name", listed)):
        words = set(key.key.split())
        kept = [(latin, original) for latin, original in key.sources if latin in words]
        english = [(en, term) for en, term in key.translated if set(en.split()) & words]
        if kept:
            notes += [f"'{latin}' from {original}" for latin, original in kept]
        elif key.scripts and not english:
            notes.append(f"{side} transliterated from {'/'.join(key.scripts)}")
        notes += [f"'{en}' translated from {term}" for en, term in dict.fromkeys(english)]
    if alignment.compact:
        notes.append("same letters, different spacing")
    notes += [f"'{a}'~'{b}'" for a, b in alignment.pairs]
    notes += [f"'{a}' = initials of '{words}'" for a, words in alignment.acronyms]
    if alignment.numbers:
        notes.append(
            f"numbers differ ({_quoted(alignment.numbers)}): a sibling, not the same entity"
        )
    if alignment.extra:
        notes.append(f"extra entry words {' '.join(alignment.extra)!r}")
    if alignment.missing:
        notes.append(f"listed words not found {' '.join(alignment.missing)!r}")
    return notes


def score_pair(entry_name: str, listed_name: str) -> PairScore:
    """Score an entry-side name against a listed name, as the pipeline does, with the reasons.

    >>> score_pair("Jade Harbor Magnetics Grp Co., Ltd.", "JADE HARBOR MAGNETICS GROUP").score
    100.0
    """
    entries, listings = name_readings(entry_name), name_readings(listed_name)
    query, listed = entries[0], listings[0]
    alignment = align_keys(query.key, listed.key)
    for reading in entries:  # every reading of each side, as the pipeline matches them
        for candidate in listings:
            other = align_keys(reading.key, candidate.key)
            if other.score > alignment.score:
                query, listed, alignment = reading, candidate, other
    notes = pair_notes(query, listed, alignment)
    head = f"key '{query.key}' ~ '{listed.key}': score {alignment.score:.1f}"
    return PairScore(alignment.score, "; ".join([head, *notes]), query.key, listed.key)
