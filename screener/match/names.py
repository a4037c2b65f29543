"""A name's match key: the same normalization for entry names and listed names (DESIGN §5).

Steps, in order:

1. Unicode NFKC; document residue removed (party labels, care-of parties, appended addresses:
   ``screener.match.clean``); CJK and Thai legal forms (``有限公司``, ``株式会社``, ``บริษัท`` ...
   ``จำกัด (มหาชน)``) removed anywhere;
2. every other script transliterated word by word (``screener.match.translit``): Han to pinyin
   joined per word (``杭州海康威视`` -> ``hangzhou haikang weishi``, traditional as simplified),
   kana to Hepburn, Hangul, Cyrillic, Greek, Arabic, Hebrew, Georgian, Armenian, Thai and
   Burmese to Latin; ``name_keys`` adds other readings (pure Han read as Japanese, Han and
   Hangul business words in English: ``锂业`` -> ``lithium``, Latin that looks like Wade-Giles
   in pinyin: ``Mao Tse-tung`` -> ``mao zedong``, ``screener.match.wade_giles``); a listed name
   is indexed and an entry name matched under each;
3. casefold; dotted initials joined (``S.A.`` -> ``sa``), apostrophes dropped (``Int'l`` ->
   ``intl``, Wade-Giles ``Chʻing`` -> ``ching``), ``&`` -> ``and``, ``%`` -> ``percent``, any
   other punctuation -> space; digits typed for letters read as letters (``ig0r sech1n`` ->
   ``igor sechin``, ``r0sneft``), only in a word of letters with a lone digit between two
   letters, never in numbers and codes (``14th``, ``3m``, ``a1``, ``mp3``, ``4x4``, ``ahl1``):
   the key itself changes, so the entry name meets the listed name;
4. legal forms removed at the end (and, for ``OOO``/``PT``-like ones, the start) of the name,
   repeatedly, a legal-form word with one typo included, never the last word; titles removed before
   a person's name (``Mr``, ``Monsieur``, ``President``, ``Shaikh``, Burmese ``U``; ``Haji`` and
   ``Mullah`` between two words too), never the last word and never in a name with a business word
   (``General Trading`` keeps ``general``); branch and place residue after a legal form (``Co Ltd
   Hong Kong Branch``) removed with it;
5. abbreviations expanded word by word (``intl`` -> ``international``), number words written as
   digits (``forty-four`` -> ``44``, ``first`` -> ``1st``), spaces collapsed.

The result is ASCII ``[a-z0-9 ]``, and normalizing a key again returns it (idempotent).
The terms are data: ``screener/data/name_terms.csv``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache, lru_cache

import polars as pl
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from screener.match.clean import clean_name
from screener.match.terms import Terms, load_terms, load_words
from screener.match.translit import latin_readings, to_latin
from screener.match.wade_giles import may_be_wade_giles, read_wade_giles

_INITIALS = re.compile(r"\b(?:[a-z0-9]\.)+[a-z0-9]\b\.?")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_DIGITS = re.compile(r"^[1-9]$")
_INNER_DIGIT = re.compile(r"[a-z][0-9][a-z]")  # a digit between two letters: sech1n
_DIGIT_RUN = re.compile(r"[0-9]{2}")  # two digits in a row: a number (t72b3, 2007ahl)
_READINGS_MAX = 16  # readings of a word tried against the vocabulary (1: i or l)
BRANCH_WORDS = frozenset({"branch", "office", "representative", "rep"})
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
class NameKey:
    """A name's key and what normalization did to get it (for explanations)."""

    key: str
    legal_forms: tuple[str, ...] = ()  # as removed, e.g. ("co ltd",) or ("有限公司",)
    expansions: tuple[tuple[str, str], ...] = ()  # (abbreviation, expansion)
    scripts: tuple[str, ...] = ()  # scripts transliterated, e.g. ("Han",)
    removed: tuple[str, ...] = ()  # document residue: ("label 'SHIPPER:'", "address '...'")
    sources: tuple[tuple[str, str], ...] = ()  # transliterated words: ("hangzhou", "杭州")
    translated: tuple[tuple[str, str], ...] = ()  # glossary words: ("rare earth", "稀土")


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


@cache
def _form_words() -> list[str]:
    terms = load_terms()
    return sorted({w for form in terms.suffixes | terms.prefixes for w in form if len(w) >= 5})


@lru_cache(maxsize=65_536)
def _form_word(word: str) -> str:
    """A misspelt legal-form word (``joynt``, ``compan``, ``aktiengeselschaft``) as spelt."""
    if len(word) < 5 or word.isdigit():
        return word
    found = process.extractOne(word, _form_words(), scorer=Levenshtein.distance, score_cutoff=1)
    return str(found[0]) if found else word


def _strip_forms(words: list[str], terms: Terms) -> tuple[list[str], list[str]]:
    """Remove legal forms at the ends, repeatedly, never the last remaining word.

    A legal form's words of five letters or more match with one typo (``joynt stock company``).
    """
    removed: list[str] = []
    changed = True
    while changed:
        changed = False
        for size in range(min(terms.longest, len(words) - 1), 0, -1):
            tail = tuple(_form_word(w) for w in words[-size:])
            if tail in terms.suffixes:
                removed.insert(0, " ".join(words[-size:]))
                words = words[:-size]
                changed = True
                break
            head = tuple(_form_word(w) for w in words[:size])
            if head in terms.prefixes:
                removed.insert(0, " ".join(words[:size]))
                words = words[size:]
                changed = True
                break
    return words, removed


def _is_residue(word: str, terms: Terms) -> bool:
    words = load_words()
    return (
        word in BRANCH_WORDS
        or word in words.places
        or word in words.generic
        or (word,) in terms.suffixes
        or word in terms.abbreviations
    )


def _strip_branch(words: list[str], terms: Terms) -> tuple[list[str], str]:
    """Branch and place residue at the end: ``... co ltd hong kong branch`` -> ``... co ltd``.

    Cut after the first legal form that only place, generic, branch words and legal forms follow,
    or else drop a trailing ``[place words] branch``; the legal forms go later. Never all words.
    """
    n = len(words)
    for k in range(1, n):
        for size in range(min(terms.longest, n - k), 0, -1):
            form = tuple(_form_word(w) for w in words[k : k + size])
            tail = words[k + size :]
            if (
                form in terms.suffixes
                and any((w,) not in terms.suffixes for w in tail)
                and all(_is_residue(w, terms) for w in tail)
            ):
                return words[: k + size], " ".join(tail)
    if n > 1 and words[-1] in BRANCH_WORDS:
        k = n - 1
        while k > 1 and (words[k - 1] in load_words().places or words[k - 1] in BRANCH_WORDS):
            k -= 1
        return words[:k], " ".join(words[k:])
    return words, ""


@cache
def _vocabulary() -> frozenset[str]:
    """Words the tables know: a digit reading that gives one of them is taken (``g1obal``)."""
    terms, words = load_terms(), load_words()
    known = words.stopwords | words.generic | words.places | set(terms.numbers)
    known |= {w for form in terms.suffixes | terms.prefixes for w in form}
    known |= {w for t in terms.titles for w in t} | set(terms.abbreviations)
    return frozenset(known | {w for v in terms.abbreviations.values() for w in v.split()})


@lru_cache(maxsize=65_536)
def read_digits(word: str) -> str:
    """A word of letters with digits typed for letters, read: ``sech1n`` -> ``sechin``,
    ``r0sneft`` -> ``rosneft``, ``c0sc0`` -> ``cosco``; any other word as it is.

    Read only when a lone digit stands between two letters, the word has four characters or
    more, fewer digits than letters, no two digits in a row, and every digit has a look-alike
    (``name_terms.csv``, kind ``lookalike``): numbers and codes stay (``14th``, ``3m``, ``a1``,
    ``mp3``, ``4x4``, ``ahl1``, ``b2b``, ``t72b3``), as numbers are distinctive in a key. A digit
    with two look-alikes (``1``: ``i`` or ``l``) reads as the first unless the other makes a
    word the tables know (``g1obal`` -> ``global``).
    """
    if len(word) < 4 or not _INNER_DIGIT.search(word) or _DIGIT_RUN.search(word):
        return word
    lookalikes = load_terms().lookalikes
    digits = [c for c in word if c.isdigit()]
    if 2 * len(digits) >= len(word) or any(d not in lookalikes for d in digits):
        return word
    readings = [""]
    for char in word:
        letters = lookalikes.get(char, (char,))
        readings = [r + x for r in readings for x in letters][:_READINGS_MAX]
    known = _vocabulary()
    return next((r for r in readings if r in known), readings[0])


def _is_business(word: str, terms: Terms) -> bool:
    generic = load_words().generic
    return word in generic or terms.abbreviations.get(word, "") in generic


def _strip_titles(words: list[str], terms: Terms) -> tuple[list[str], list[str]]:
    """Titles before a person's name: ``mr``, ``monsieur ilie bolojan`` -> ``ilie bolojan``.

    Kind ``prefix`` goes at the start with one word or more after it; ``name`` (``president``,
    ``general``, ``sir``: also names, brands and business words) only with two or more after it;
    ``inside`` (``haji``, ``mullah``, ``shaikh``) as ``name`` at the start and also between two
    words. Never the last word, and nothing in a name holding a business word other than a
    title (``General Trading``, ``President Enterprises``, ``Mr Price Group`` are companies).
    """
    titles = terms.titles
    if len(words) < 2 or any((w,) not in titles and _is_business(w, terms) for w in words):
        return words, []
    removed: list[str] = []
    changed = True
    while changed:
        changed = False
        for size in range(min(terms.title_longest, len(words) - 1), 0, -1):
            kind = titles.get(tuple(words[:size]))
            if kind is None or (kind != "prefix" and len(words) - size < 2):
                continue
            removed.append(" ".join(words[:size]))
            words = words[size:]
            changed = True
            break
    last = len(words) - 1
    inside = [i for i in range(1, last) if titles.get((words[i],)) == "inside"]
    removed += [words[i] for i in inside]
    return [w for i, w in enumerate(words) if i not in inside], removed


def _strip_ends(words: list[str], terms: Terms) -> tuple[list[str], list[str], list[str]]:
    """Legal forms and titles, until neither removes a word (``Mr X Company``: the form goes
    first, then the title): the words, the legal forms and the titles removed."""
    forms: list[str] = []
    titles: list[str] = []
    while True:
        words, more_titles = _strip_titles(words, terms)
        words, more_forms = _strip_forms(words, terms)
        forms += more_forms
        titles += more_titles
        if not (more_titles or more_forms):
            return words, forms, titles


def _numbers(words: list[str], terms: Terms) -> list[str]:
    """Number words as digits: ``forty four`` and ``forty 4`` -> ``44``, ``first`` -> ``1st``."""
    out: list[str] = []
    for word in words:
        value = terms.numbers.get(word, word)
        if (
            out
            and _DIGITS.match(value)
            and out[-1].endswith("0")
            and out[-1] in terms.numbers.values()
            and len(out[-1]) == 2
        ):
            out[-1] = out[-1][0] + value
        else:
            out.append(value)
    return out


@lru_cache(maxsize=262_144)
def analyze_name(name: str) -> NameKey:
    """The key of ``name`` with the legal forms, expansions and scripts met on the way."""
    return _analyze(name, variant=0)


def name_keys(name: str) -> tuple[str, ...]:
    """Every key of ``name``: its key first, then the keys of its other readings (a pure-Han
    name read as Japanese, Cyrillic read as Ukrainian, Han and Hangul business words in
    English, a Latin name that looks like Wade-Giles in pinyin); a listed name is indexed under
    all, an entry name matched under all."""
    return tuple(dict.fromkeys(k.key for k in name_readings(name) if k.key))


def name_readings(name: str) -> list[NameKey]:
    """``analyze_name`` of each reading of ``name`` (``name_keys``), its first reading first."""
    first = analyze_name(name)
    if name.isascii():
        return [first, *_wade_giles(name, first)]
    cleaned = clean_name(unicodedata.normalize("NFKC", name)).text
    if cleaned.isascii() or not first.scripts:  # Latin, maybe with marks: Tsê-tung, Chʻing
        return [first, *_wade_giles(name, first)]
    count = len(latin_readings(_drop_cjk_forms(cleaned)[0]))
    return [first, *(_analyze(name, variant=n) for n in range(1, count))]


def _wade_giles(name: str, first: NameKey) -> list[NameKey]:
    """The readings of a Latin name that looks like Wade-Giles, its words in pinyin
    (``screener.match.wade_giles``), each with the words read as its sources."""
    if not may_be_wade_giles(first.key):
        return []
    keys: list[NameKey] = []
    text = name if name.isascii() else to_latin(name).text
    for reading in read_wade_giles(text, first.key):
        key = analyze_name(reading.text)
        if key.key.replace(" ", "") != first.key.replace(" ", ""):
            read = tuple((py, f"Wade-Giles {word!r}") for py, word in reading.sources)
            keys.append(replace(key, sources=key.sources + read))
    return keys


def analyze_reading(name: str, key: str) -> NameKey:
    """``analyze_name`` of the reading of ``name`` whose key is ``key`` (the first if none is):
    what an entry name matched under, for its explanation."""
    first = analyze_name(name)
    if first.key == key:
        return first
    return next((k for k in name_readings(name) if k.key == key), first)


@cache
def _script_forms() -> tuple[str, ...]:
    """Legal forms written in CJK or Thai script, NFKC as the text they are looked for in (Thai
    sara am in ``จำกัด`` is nikhahit and sara aa there), longest first."""
    forms = {unicodedata.normalize("NFKC", form) for form in load_terms().cjk_forms}
    return tuple(sorted(forms, key=len, reverse=True))


def _drop_cjk_forms(text: str) -> tuple[str, list[str]]:
    """Legal forms in CJK or Thai script removed anywhere: these scripts write no word breaks
    (Thai writes ``บริษัท`` company first and ``จำกัด`` limited last)."""
    removed = []
    for form in _script_forms():
        if form in text:
            removed.append(form)
            text = text.replace(form, " ")
    return text, removed


def _analyze(name: str, variant: int) -> NameKey:
    terms = load_terms()
    cleaned = clean_name(unicodedata.normalize("NFKC", name))
    text = cleaned.text
    removed: list[str] = []
    scripts: tuple[str, ...] = ()
    sources: tuple[tuple[str, str], ...] = ()
    translated: tuple[tuple[str, str], ...] = ()
    if not text.isascii():
        text, removed = _drop_cjk_forms(text)
        latin = latin_readings(text)[variant] if variant else to_latin(text)
        text, sources, translated = latin.text, latin.sources, latin.translated
        scripts = _scripts(cleaned.text) if variant else latin.scripts
        again = clean_name(text)  # residue written in the script: "... 4 街" -> "... 4 jie"
        text, residue_notes = again.text, again.removed
    else:
        residue_notes = ()
    text = text.casefold()
    text = _INITIALS.sub(lambda m: m.group(0).replace(".", ""), text)
    text = text.replace("'", "").replace("\u2019", "").replace("`", "").replace("&", " and ")
    text = text.replace("%", " percent ")
    expansions: list[tuple[str, str]] = []
    words = []
    for word in _NOT_WORD.sub(" ", text).split():
        read = read_digits(word)
        if read != word:
            expansions.append((word, read))
        words.append(read)
    words, forms, titles = _strip_ends(words, terms)
    words, residue = _strip_branch(words, terms)
    cut = residue
    while cut:  # what the cut leaves may end in residue again (``mr branch co general``)
        words, more, more_titles = _strip_ends(words, terms)
        forms += more
        titles += more_titles
        words, cut = _strip_branch(words, terms)
        residue = f"{cut} {residue}" if cut else residue
    removed += [form for form in forms if form not in terms.silent]
    out: list[str] = []
    for word in words:
        full = terms.abbreviations.get(word)
        if full:
            expansions.append((word, full))
            out.append(full)
        else:
            out.append(word)
    out = _numbers(" ".join(out).split(), terms)
    notes = cleaned.removed + residue_notes + tuple(f"title {t!r}" for t in titles)
    notes += (f"branch or place {residue!r}",) if residue else ()
    return NameKey(
        " ".join(out), tuple(removed), tuple(expansions), scripts, notes, sources, translated
    )


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
