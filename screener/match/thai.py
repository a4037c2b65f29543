"""Thai to Latin, syllable by syllable, after the Royal Thai General System (RTGS), the way the
lists and registries write Thai names (``ทักษิณ`` -> ``thaksin``). The letters, vowel patterns
and finals are data: ``screener/data/translit_thai.csv``, whose header says how a syllable is
read and what is left out. Letters before a full stop are an abbreviation (``ปตท.`` -> ``ptt``).
"""

from __future__ import annotations

import re
from functools import cache

from anyascii import anyascii

from screener.match.terms import DATA, read_rows

_NOT_WORD = re.compile("[^a-z0-9]+")
_SILENT = re.compile("[ก-ฮ][ิุ]?์")  # a consonant (and i/u) under thanthakhat
_DROP = dict.fromkeys(map(ord, "\u0e47\u0e48\u0e49\u0e4a\u0e4b"))  # mai taikhu, tones
_SIGNS = frozenset("ะัาำิีึืุู")  # vowel signs written after (above, below) the initial
_PREPOSED = "เแโใไ"  # vowels written before their initial
_CLUSTERS = frozenset(  # an initial with ro, lo or wo after it, read together (krung, pra)
    ["กร", "กล", "กว", "ขร", "ขล", "ขว", "คร", "คล", "คว", "ตร", "ปร", "ปล", "พร", "พล", "ผล"]
)


@cache
def _table() -> tuple[dict[str, tuple[str, str]], dict[str, list[tuple[str, str, bool]]]]:
    """(initial, final) of each consonant; (after the initial, latin, open) by preposed vowel,
    the longest first."""
    consonants: dict[str, tuple[str, str]] = {}
    vowels: dict[str, list[tuple[str, str, bool]]] = {}
    for row in read_rows(DATA / "translit_thai.csv"):
        if row["kind"] == "consonant":
            consonants[row["thai"]] = (row["latin"], row["final"])
        else:
            pre, post = row["thai"].split("-")
            vowels.setdefault(pre, []).append((post, row["latin"], row["final"] == "open"))
    for patterns in vowels.values():
        patterns.sort(key=lambda pattern: -len(pattern[0]))
    return consonants, vowels


def _starts(word: str, at: int) -> bool:
    """Whether a syllable starts at ``at``: a preposed vowel, or a consonant (or a cluster, or
    ho/o before a sonorant) with a vowel sign or o ang after it."""
    head = word[at : at + 1]
    if head in _PREPOSED or not head:
        return bool(head)
    nxt = word[at + 1 : at + 2]
    if nxt and (head + nxt in _CLUSTERS or (head in "หอ" and nxt in "งญนมยรลว")):
        nxt = word[at + 2 : at + 3] if word[at + 2 : at + 3] in _SIGNS else nxt
    return nxt in _SIGNS or (nxt == "อ" and word[at + 2 : at + 3] not in _SIGNS)


def thai_word(word: str, abbreviation: bool) -> str:
    """One Thai word in RTGS (``translit_thai.csv``): ``ทักษิณ`` -> ``thaksin``."""
    consonants, vowels = _table()
    word = _SILENT.sub("", word.replace("\u0e4d\u0e32", "ำ").translate(_DROP))
    if abbreviation:  # ปตท. -> ptt
        return "".join(consonants[c][0][:1] for c in word if c in consonants)
    out, i = "", 0
    while i < len(word):
        pre = word[i] if word[i] in _PREPOSED else ""
        j = i + len(pre)
        if word[j : j + 1] not in consonants:
            out, i = out + _clean(word[i]), i + 1
            continue
        initial, j = consonants[word[j]][0], j + 1
        pair = word[j - 1 : j + 1]
        sonorant = pair[0] in "หอ" and pair[1:] in tuple("งญนมยรลว")
        if (pair in _CLUSTERS or sonorant) and (pre or word[j + 1 : j + 2] in _SIGNS):
            initial, j = (initial if not sonorant else "") + consonants[word[j]][0], j + 1
        latin, closed = "", True
        for post, value, is_open in vowels[pre]:
            ends = j + len(post)
            if post and not word.startswith(post, j):
                continue
            after = word[ends : ends + 1]
            if post in ("อ", "ว") and (after in _SIGNS or _starts(word, j)):
                continue  # o ang or wo wan starting the next syllable
            if post == "ว" and (after not in consonants or _starts(word, ends)):
                continue  # medial wo wan is ua only before a final
            latin, closed, j = value, not is_open, ends
            break
        final = ""
        free = [word[k : k + 1] in consonants and not _starts(word, k) for k in range(j, j + 3)]
        if closed and free[0] and not (latin and free[1] and free[2]):  # ra-long, not ral-ng..
            if not latin and not pre:  # no vowel written: o before a final, a before a syllable
                later = j + 1 < len(word) and not _starts(word, j + 1)
                latin = "a" if later and j + 2 == len(word) else "o"
                if latin == "a":
                    out, i = out + initial + latin, j
                    continue
            final, j = consonants[word[j]][1], j + 1
            if word[j : j + 1] == "ร" and j + 1 == len(word):  # ชินวัตร Shinawatra
                final, j = final + "ra", j + 1
            elif word[j : j + 1] in consonants and (word[j + 1 :] or "เ")[0] in _PREPOSED:
                j += 1  # a consonant after a final, before a new word or syllable: silent
        elif not latin and not pre:
            latin = "a" if j < len(word) else ""
        if final == "i" and latin.endswith("i"):
            final = ""
        out, i = out + initial + latin + final, j
    return out


def _clean(text: str) -> str:
    return _NOT_WORD.sub("", anyascii(text).lower())
