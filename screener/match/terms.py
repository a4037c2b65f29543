"""The data tables behind name keys and scores, parsed once (DESIGN §5).

- ``screener/data/name_terms.csv``: legal forms, abbreviations, number words, party labels,
  address words, titles and digit look-alikes (how a name becomes its key);
- ``screener/data/name_words.csv``: stopwords, generic business words and place words (how much
  a word of a key counts when two keys are scored).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from anyascii import anyascii

DATA = Path(__file__).resolve().parent.parent / "data"
TERMS_FILE = DATA / "name_terms.csv"
WORDS_FILE = DATA / "name_words.csv"
HAN = "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RUN = re.compile(f"[{HAN}]+")


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a data CSV, ``#`` comment lines skipped, values stripped."""
    lines = [ln for ln in path.read_text("utf-8").splitlines() if not ln.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines)]


@dataclass(frozen=True)
class Terms:
    """The name terms table, parsed."""

    cjk_forms: tuple[str, ...]  # longest first
    suffixes: frozenset[tuple[str, ...]]
    prefixes: frozenset[tuple[str, ...]]
    longest: int
    abbreviations: dict[str, str]
    silent: frozenset[str]  # removed without a word in the explanation (articles)
    numbers: dict[str, str]  # number and ordinal words -> digits ("forty" -> "40")
    labels: tuple[str, ...]  # party labels removed at the start ("shipper", "m/s")
    cuts: tuple[str, ...]  # words that end a name ("c/o", "address")
    address_words: frozenset[str]  # words that make a comma segment an address
    titles: dict[tuple[str, ...], str]  # ("mr",) -> "prefix"; "name" or "inside" (see names.py)
    title_longest: int  # words of the longest title
    lookalikes: dict[str, tuple[str, ...]]  # digit -> the letters it is typed for ("1" -> i, l)


@cache
def load_terms(path: Path = TERMS_FILE) -> Terms:
    """Read ``name_terms.csv`` (``#`` comment lines first)."""
    cjk: list[str] = []
    suffixes: set[tuple[str, ...]] = set()
    prefixes: set[tuple[str, ...]] = set()
    abbreviations: dict[str, str] = {}
    numbers: dict[str, str] = {}
    silent: set[str] = set()
    labels: list[str] = []
    cuts: list[str] = []
    address: set[str] = set()
    titles: dict[tuple[str, ...], str] = {}
    lookalikes: dict[str, tuple[str, ...]] = {}
    for row in read_rows(path):
        kind, term, value = row["kind"], row["term"], row["value"]
        if kind == "abbreviation":
            abbreviations[term] = value
        elif kind == "number":
            numbers[term] = value
        elif kind == "label":
            labels.append(term)
        elif kind == "address":
            (cuts.append(term) if value == "cut" else address.add(term))
        elif kind == "title":
            titles[tuple(term.split())] = value
        elif kind == "lookalike":
            lookalikes[term] = tuple(value.split())
        elif HAN_RUN.search(term) or not term.isascii():
            cjk.append(term)
        else:
            words = tuple(term.split())
            if kind == "article":
                silent.add(term)
            if value in ("suffix", "both"):
                suffixes.add(words)
            if value in ("prefix", "both"):
                prefixes.add(words)
    return Terms(
        cjk_forms=tuple(sorted(cjk, key=len, reverse=True)),
        suffixes=frozenset(suffixes),
        prefixes=frozenset(prefixes),
        longest=max(len(w) for w in suffixes | prefixes),
        abbreviations=abbreviations,
        silent=frozenset(silent),
        numbers=numbers,
        labels=tuple(labels),
        cuts=tuple(cuts),
        address_words=frozenset(address),
        titles=titles,
        title_longest=max((len(t) for t in titles), default=0),
        lookalikes=lookalikes,
    )


@dataclass(frozen=True)
class Words:
    """Word classes of ``name_words.csv``."""

    stopwords: frozenset[str]
    generic: frozenset[str]
    places: frozenset[str]


@cache
def load_words(path: Path = WORDS_FILE) -> Words:
    """Read ``name_words.csv`` (stopword, generic and place words) and the ISO country names.

    Words of country names longer than three letters are places (``republic``, ``islands``,
    ``united`` too: they name no one company).
    """
    kinds: dict[str, set[str]] = {"stopword": set(), "generic": set(), "place": set()}
    for row in read_rows(path):
        kinds[row["kind"]].add(row["word"])
    for row in read_rows(DATA / "countries.csv"):  # every word of every country name is a place
        for column in ("name", "cldr_name", "unterm_short"):
            words = re.sub(r"[^a-z0-9]+", " ", anyascii(row[column]).casefold()).split()
            kinds["place"].update(w for w in words if len(w) > 3 and w not in kinds["stopword"])
    return Words(
        frozenset(kinds["stopword"]), frozenset(kinds["generic"]), frozenset(kinds["place"])
    )
