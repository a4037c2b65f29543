"""Chinese names written in Wade-Giles, read as pinyin: an extra reading (DESIGN §5).

Taiwan, Hong Kong-era documents and older lists write Chinese names in Wade-Giles (``Mao
Tse-tung``, ``Chiang Ching-kuo``, ``Hsin-chu``), which shares few words with the pinyin the lists
and ``screener.match.translit`` write (``Mao Zedong``, ``毛泽东`` -> ``maozedong``). A name that
looks like Wade-Giles gets its words read as pinyin, the syllables of a hyphenated word joined as
pinyin writes a given name (``tse-tung`` -> ``zedong``); ``names.name_readings`` adds the result
as a reading of its own, so it works on both sides of a match.

The syllables are data (``screener/data/translit_wade_giles.csv``, from pypinyin's
``Style.WADEGILES``). A syllable without its aspiration apostrophe is ambiguous (``ching``:
``jing``, or ``ch'ing`` with the apostrophe dropped, ``qing``), as is one without its umlaut
(``chu``: ``zhu``, or ``chü``, ``ju``). So a name gets at most two readings: *as written*
(``ching`` -> ``jing``, ``ch'ing`` -> ``qing``; a dropped umlaut, which ASCII cannot write, read
as the more used syllable) and *apostrophes dropped* (each syllable with an aspirated form read
so: ``chen`` -> ``chen``, as the surname 陳 is written in Taiwan; ``tsai`` -> ``cai``). A
hyphenated word whose reading is a place the tables know is read so in both (``tien-chin`` ->
``tianjin``, not ``dianjin``).

A name is read so only when it looks like Wade-Giles, as few English names do:

- a hyphenated word of 2 to 4 Wade-Giles syllables (``Chin-ping``, ``Kuo-min-tang``); or
- at least two name words (legal forms, business, place and joining words aside), all of them
  Wade-Giles syllables, one *marked*: not pinyin (``hsin``, ``chung``, ``tse``, ``shih``,
  ``jen``), or pinyin far less used than its Wade-Giles reading (``kuo`` 52 uses, ``guo`` 640).

Then the hyphenated words, the marked words and, in a name made only of syllables, every name
word are read; a reading that gives the name's own letters back is none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import product

from screener.match.terms import DATA, load_words, read_rows

TABLE_FILE = DATA / "translit_wade_giles.csv"
MARKED_RATIO = 4  # a pinyin syllable this many times rarer than its Wade-Giles reading is marked
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?(?:-[a-z]+(?:'[a-z]+)?)*")
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2018\u2019\u02bb\u02bc`", "'"))
_PARTS_MAX = 4  # syllables of one hyphenated word


@dataclass(frozen=True, slots=True)
class WadeGiles:
    """A name's text with its Wade-Giles words in pinyin, and (pinyin, word as written) pairs."""

    text: str
    sources: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class _Syllable:
    written: str  # as written (no apostrophe): unaspirated, or the only one; umlaut: more used
    dropped: str  # its apostrophe dropped: the aspirated reading where there is one
    marked: bool  # not pinyin, or pinyin far rarer than ``written``


@cache
def _table() -> tuple[dict[str, _Syllable], dict[str, str]]:
    """Syllables by plain spelling (``ching``), and aspirated pinyin by spelling (``ch'ing``)."""
    weights: dict[str, int] = {}
    best: dict[tuple[str, bool], tuple[int, str]] = {}  # (plain, aspirated) -> (weight, pinyin)
    aspirated: dict[str, tuple[int, str]] = {}
    for row in read_rows(TABLE_FILE):
        weight, pinyin = int(row["weight"]), row["pinyin"]
        weights[pinyin] = weight
        spelt = row["wade_giles"].replace("ü", "u")
        plain, breath = spelt.replace("'", ""), "'" in spelt
        if len(plain) < 2:  # a, e, i, o: initials, not names
            continue
        best[plain, breath] = max(best.get((plain, breath), (-1, "")), (weight, pinyin))
        if breath:
            aspirated[spelt] = max(aspirated.get(spelt, (-1, "")), (weight, pinyin))
    syllables: dict[str, _Syllable] = {}
    for plain, _ in best:
        as_written = best.get((plain, False)) or best[plain, True]
        dropped = best.get((plain, True), as_written)[1]
        rarer = plain not in weights or weights[plain] * MARKED_RATIO <= as_written[0]
        syllables[plain] = _Syllable(as_written[1], dropped, rarer and as_written[1] != plain)
    return syllables, {spelt: pinyin for spelt, (_, pinyin) in aspirated.items()}


def _readings(part: str) -> tuple[str, str] | None:
    """(as written, apostrophes dropped) of one syllable, or None if it is not one."""
    syllables, aspirated = _table()
    if "'" in part:
        pinyin = aspirated.get(part)
        return None if pinyin is None else (pinyin, pinyin)
    syllable = syllables.get(part)
    return None if syllable is None else (syllable.written, syllable.dropped)


def _is_syllable(word: str) -> bool:
    return word in _table()[0]


def _is_marked(word: str) -> bool:
    syllable = _table()[0].get(word)
    return syllable is not None and syllable.marked


def _read_token(token: str) -> tuple[str, str] | None:
    """A word (``tse-tung``) in pinyin as written and apostrophes dropped, syllables joined; a
    place the tables know is taken from either reading, syllable by syllable (``tien-chin``)."""
    parts = token.split("-")
    readings = [_readings(part) for part in parts]
    if len(parts) > _PARTS_MAX or None in readings:
        return None
    pairs = [r for r in readings if r is not None]
    if len(pairs) > 1:
        places = load_words().places
        for choice in product(*pairs):
            if "".join(choice) in places:
                return "".join(choice), "".join(choice)
    return "".join(p[0] for p in pairs), "".join(p[1] for p in pairs)


def looks_wade_giles(text: str, key_words: Iterable[str]) -> bool:
    """Whether a name (cleaned ``text``, its key's words) looks like Wade-Giles (module doc)."""
    names = _name_words(key_words)
    if len(names) >= 2 and all(map(_is_syllable, names)) and any(map(_is_marked, names)):
        return True
    if "-" not in text:
        return False
    for token in _TOKEN.findall(text.lower().translate(_APOSTROPHES)):
        parts = token.replace("'", "").split("-")
        if 2 <= len(parts) <= _PARTS_MAX and all(map(_is_syllable, parts)):
            return True
    return False


def _name_words(key_words: Iterable[str]) -> list[str]:
    words = load_words()
    skip = words.generic | words.stopwords | words.places
    return [w for w in key_words if w not in skip]


def may_be_wade_giles(key: str) -> bool:
    """Whether a word of ``key`` is a Wade-Giles syllable: if none is, ``read_wade_giles`` reads
    nothing (most names; a set lookup a word)."""
    return not _spellings().isdisjoint(key.split())


@cache
def _spellings() -> frozenset[str]:
    return frozenset(_table()[0])


@lru_cache(maxsize=65_536)
def read_wade_giles(text: str, key: str) -> tuple[WadeGiles, ...]:
    """The Wade-Giles readings of a name (cleaned ASCII ``text``, its ``key``), as written first,
    then with apostrophes dropped; none when the name does not look like Wade-Giles.

    >>> [r.text for r in read_wade_giles("Mao Tse-tung", "mao tse tung")]
    ['mao zedong', 'mao cetong']
    """
    key_words = key.split()
    if not looks_wade_giles(text, key_words):
        return ()
    names = set(_name_words(key_words))
    every = all(map(_is_syllable, names))
    out: list[list[str]] = [[], []]
    sources: list[list[tuple[str, str]]] = [[], []]
    at = 0
    lowered = text.lower().translate(_APOSTROPHES)
    for match in _TOKEN.finditer(lowered):
        token = match.group(0)
        parts = token.replace("'", "").split("-")
        read = None
        if set(parts) <= names and (every or len(parts) > 1 or _is_marked(parts[0])):
            read = _read_token(token)
        written = text[match.start() : match.end()]
        for n in (0, 1):
            out[n] += [text[at : match.start()], written if read is None else read[n]]
            if read is not None and read[n] != "".join(parts):
                sources[n].append((read[n], written))
        at = match.end()
    readings: dict[str, WadeGiles] = {}
    for n in (0, 1):
        reading = "".join([*out[n], text[at:]])
        if sources[n]:
            readings.setdefault(reading, WadeGiles(reading, tuple(sources[n])))
    return tuple(readings.values())
