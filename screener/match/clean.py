"""Residue around a party name on a customs document, removed before the name is keyed (DESIGN §5).

Declared names carry more than the name: a party label (``SHIPPER: ``, ``MESSRS. ``, ``M/S``),
a care-of party (``c/o ...``), an appended address (``..., No. 12 Xinghuo Road, Baotou``). The
words are data (``screener/data/name_terms.csv``, kinds ``label`` and ``address``):

- a label is removed at the start of the name, with a following ``:`` or ``-`` (``MESSRS`` and
  ``M/S`` also without one), repeatedly;
- ``c/o``, ``ADDRESS`` and ``ADD:`` end the name;
- after the first comma, the first comma segment holding an address word (``road``, ``room``,
  ``district``, ...) or made only of place words ends the name, with any ``No. 12``-like
  segments just before it;
- without commas, a run of at least two words of the form ``<number|no> ... <address word>``
  (``NO 12 XINGHUO ROAD``) ends the name after its second word.

``clean_name`` returns the kept text and what it removed, for the explanation. It never returns
an empty name: if the rule would remove everything, the name is kept as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from screener.match.terms import load_terms, load_words

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_NUMBER = re.compile(r"^\d+[a-z]*$")
_DIGIT = re.compile(r"\d")
_WEAK_ADDRESS = frozenset({"no", "unit", "block", "tower", "estate", "park", "zone", "qu", "hao"})


@dataclass(frozen=True)
class Cleaned:
    """A name with its document residue removed."""

    text: str
    removed: tuple[str, ...] = ()  # e.g. ("label 'SHIPPER:'", "address 'No. 12 Xinghuo Rd'")


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    terms = load_terms()
    labels = sorted(terms.labels, key=len, reverse=True)
    words = "|".join(re.escape(lb).replace(r"\ ", r"[\s.]+") for lb in labels)
    label = re.compile(
        rf"^\s*(?:(?:{words})\s*[.]?\s*[:：\-]|(?:messrs|m\s*/\s*s)\b[.]?)\s*", re.IGNORECASE
    )
    cuts = "|".join(re.escape(c) for c in sorted(terms.cuts, key=len, reverse=True))
    cut = re.compile(rf"(?:^|[\s,;(])(?:{cuts}|add\s*:)(?=[\s:.,]|$)", re.IGNORECASE)
    return label, cut


@cache
def _strong_address() -> frozenset[str]:
    """Address words that make a segment an address on their own (``no 3`` may be a name)."""
    return load_terms().address_words - _WEAK_ADDRESS


def _words(segment: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(segment)]


def _is_address(words: list[str]) -> bool:
    strong, places = _strong_address(), load_words().places
    joined = " ".join(words)
    if any(w in strong for w in words) or "po box" in joined:
        return True
    return bool(words) and all(w in places for w in words)


def _is_number_only(words: list[str]) -> bool:
    return bool(words) and all(w == "no" or _NUMBER.match(w) for w in words)


def _cut_tail(text: str) -> tuple[str, str]:
    """``NAME NO 12 XINGHUO ROAD`` -> (``NAME``, ``NO 12 XINGHUO ROAD``); no commas needed."""
    if not _DIGIT.search(text):
        return text, ""
    strong = _strong_address()
    spans = [(m.start(), m.group(0).casefold()) for m in _WORD.finditer(text)]
    words = [w for _, w in spans]
    for i in range(2, len(words)):
        if not (_NUMBER.match(words[i]) or words[i] == "no"):
            continue
        window = words[i : i + 5]
        if any(_NUMBER.match(w) for w in window) and any(w in strong for w in window[1:]):
            at = spans[i][0]
            return text[:at].rstrip(" ,;-"), text[at:].strip()
    return text, ""


def clean_name(name: str) -> Cleaned:
    """``"SHIPPER: Jade Harbor Co Ltd, No. 12 Xinghuo Rd, Baotou"`` -> ``"Jade Harbor Co Ltd"``."""
    label, cut = _patterns()
    removed: list[str] = []
    text = name.strip()
    while True:
        m = label.match(text)
        if not m or m.end() >= len(text):
            break
        removed.append(f"label {m.group(0).strip()!r}")
        text = text[m.end() :]
    m = cut.search(text)
    if m and m.start() > 0 and text[: m.start()].strip(" ,;("):
        removed.append(f"address {text[m.start() :].strip(' ,;(')!r}")
        text = text[: m.start()].rstrip(" ,;(")
    segments = text.split(",")
    for k in range(1, len(segments)):  # no comma: one segment, no loop
        if _is_address(_words(segments[k])):
            start = k
            while start > 1 and _is_number_only(_words(segments[start - 1])):
                start -= 1
            head, tail = ",".join(segments[:start]), ",".join(segments[start:])
            if _words(head):
                removed.append(f"address {tail.strip()!r}")
                text = head
            break
    text, tail = _cut_tail(text)
    if tail:
        removed.append(f"address {tail!r}")
    return Cleaned(text.strip(), tuple(removed))
