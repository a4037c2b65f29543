"""A name's match key: the same normalization for entry names and listed names (DESIGN §5).

Steps, in order:

1. Unicode NFKC; CJK legal forms (``有限公司``, ``株式会社``, ...) removed, each run of Han
   characters set apart as its own word;
2. every script transliterated to ASCII with anyascii; a run of Han characters becomes ONE word
   of joined pinyin syllables (``赤灯稀土集团`` -> ``chidengxitujituan``; there is no word
   segmentation yet), which is also how anyascii writes Hangul and kana words;
3. casefold; dotted initials joined (``S.A.`` -> ``sa``), apostrophes dropped (``Int'l`` ->
   ``intl``), ``&`` -> ``and``, any other punctuation -> space;
4. legal forms removed at the end (and, for ``OOO``/``PT``-like ones, the start) of the name,
   repeatedly, but never the last word: ``Co Ltd`` alone stays a name;
5. abbreviations expanded word by word (``intl`` -> ``international``, ``co`` -> ``company``
   when not a legal form), spaces collapsed.

The result is ASCII ``[a-z0-9 ]``, and normalizing a key again returns it (idempotent).
The terms are data: ``screener/data/name_terms.csv``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import polars as pl
from anyascii import anyascii

TERMS_FILE = Path(__file__).resolve().parent.parent / "data" / "name_terms.csv"
_HAN = "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{_HAN}]+")
_INITIALS = re.compile(r"\b(?:[a-z0-9]\.)+[a-z0-9]\b\.?")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_SCRIPTS = {
    "CJK": "Han",
    "CYRILLIC": "Cyrillic",
    "GREEK": "Greek",
    "ARABIC": "Arabic",
    "HEBREW": "Hebrew",
    "HANGUL": "Hangul",
    "HIRAGANA": "Kana",
    "KATAKANA": "Kana",
    "THAI": "Thai",
    "DEVANAGARI": "Devanagari",
}


@dataclass(frozen=True)
class Terms:
    """The name terms table, parsed."""

    cjk_forms: tuple[str, ...]  # longest first
    suffixes: frozenset[tuple[str, ...]]
    prefixes: frozenset[tuple[str, ...]]
    longest: int
    abbreviations: dict[str, str]
    silent: frozenset[str]  # removed without a word in the explanation (articles)


@cache
def load_terms(path: Path = TERMS_FILE) -> Terms:
    """Read ``name_terms.csv`` (``#`` comment lines first)."""
    lines = [ln for ln in path.read_text("utf-8").splitlines() if not ln.startswith("#")]
    cjk: list[str] = []
    suffixes: set[tuple[str, ...]] = set()
    prefixes: set[tuple[str, ...]] = set()
    abbreviations: dict[str, str] = {}
    silent: set[str] = set()
    for row in csv.DictReader(lines):
        term, value = row["term"].strip(), row["value"].strip()
        if row["kind"] == "abbreviation":
            abbreviations[term] = value
        elif _HAN_RUN.search(term) or not term.isascii():
            cjk.append(term)
        else:
            words = tuple(term.split())
            if row["kind"] == "article":
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
    )


@dataclass(frozen=True)
class NameKey:
    """A name's key and what normalization did to get it (for explanations)."""

    key: str
    legal_forms: tuple[str, ...] = ()  # as removed, e.g. ("co ltd",) or ("有限公司",)
    expansions: tuple[tuple[str, str], ...] = ()  # (abbreviation, expansion)
    scripts: tuple[str, ...] = ()  # scripts transliterated, e.g. ("Han",)


def _scripts(text: str) -> tuple[str, ...]:
    found: list[str] = []
    for char in text:
        if char.isascii() or not char.isalpha():
            continue
        first = unicodedata.name(char, "").split(" ")[0]
        script = _SCRIPTS.get(first, "Latin" if first == "LATIN" else "other")
        if script != "Latin" and script not in found:
            found.append(script)
    return tuple(found)


def _strip_forms(words: list[str], terms: Terms) -> tuple[list[str], list[str]]:
    """Remove legal forms at the ends, repeatedly, never the last remaining word."""
    removed: list[str] = []
    changed = True
    while changed:
        changed = False
        for size in range(min(terms.longest, len(words) - 1), 0, -1):
            if tuple(words[-size:]) in terms.suffixes:
                removed.insert(0, " ".join(words[-size:]))
                words = words[:-size]
                changed = True
                break
            if tuple(words[:size]) in terms.prefixes:
                removed.insert(0, " ".join(words[:size]))
                words = words[size:]
                changed = True
                break
    return words, removed


@lru_cache(maxsize=262_144)
def analyze_name(name: str) -> NameKey:
    """The key of ``name`` with the legal forms, expansions and scripts met on the way."""
    terms = load_terms()
    text = unicodedata.normalize("NFKC", name)
    removed: list[str] = []
    scripts: tuple[str, ...] = ()
    if not text.isascii():
        scripts = _scripts(text)
        for form in terms.cjk_forms:
            if form in text:
                removed.append(form)
                text = text.replace(form, " ")
        text = _HAN_RUN.sub(lambda m: f" {m.group(0)} ", text)
        text = anyascii(text)
    text = text.casefold()
    text = _INITIALS.sub(lambda m: m.group(0).replace(".", ""), text)
    text = text.replace("'", "").replace("\u2019", "").replace("&", " and ")
    words = _NOT_WORD.sub(" ", text).split()
    words, forms = _strip_forms(words, terms)
    removed += [form for form in forms if form not in terms.silent]
    expansions: list[tuple[str, str]] = []
    out: list[str] = []
    for word in words:
        full = terms.abbreviations.get(word)
        if full:
            expansions.append((word, full))
            out.append(full)
        else:
            out.append(word)
    return NameKey(" ".join(out), tuple(removed), tuple(expansions), scripts)


def normalize_name(name: str) -> str:
    """The match key: ``"Jade Harbor Intl Co., Ltd."`` -> ``"jade harbor international"``."""
    return analyze_name(name).key


def name_key_expr(expr: pl.Expr) -> pl.Expr:
    """A polars expression: ``normalize_name`` of a String column (nulls stay null)."""
    return expr.map_batches(
        lambda s: pl.Series(
            s.name, [None if v is None else normalize_name(v) for v in s], dtype=pl.String
        ),
        return_dtype=pl.String,
    )
