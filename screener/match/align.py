"""The score of an entry key against a listed key, with the words behind it (DESIGN §5).

Both keys come from ``normalize_name``. The entry is the noisy side. In order:

1. every word is compared with every word on the other side: equal 100; ``fuzz.ratio`` when both
   have at least ``SHORT`` letters and it reaches ``TOKEN_FLOOR`` (a typo); else 0 (a *different*
   word: ``exports`` vs ``imports``). Numbers (digits, ordinals, roman numerals) only equal.
   Two adjacent words on one side may stand for one word on the other (``chi deng`` ~
   ``chideng``), and an entry word may be the initials of listed words (``pla`` ~ ``peoples
   liberation army``, counted at ``ACRONYM`` per cent).
2. each word weighs its letters times its class factor (``screener/data/name_words.csv``):
   distinctive 1, ``GENERIC`` for business words (trading, group, rare, earth), ``PLACE`` for
   places (china, ningbo, europe). ``coverage(c)`` is the weighted share of the listed name found
   in the entry, ``coverage(q)`` the share of the entry found in the listed name. The score is
   ``LISTED_WEIGHT * coverage(c) + (1 - LISTED_WEIGHT) * coverage(q)``: extra entry words (a
   branch, a city) cost little, a missing listed word much. Joining words (``and``, ``of``,
   ``van``) weigh ``STOP``. A listed name made only of generic
   and place words weighs both sides equally (``International Trading`` must not match every
   ``X International Trading``).
3. penalties: ``SUBSTITUTION`` per listed word replaced by another entry word (``Red`` vs
   ``Blue`` lantern); ``NUMBER_SWAP`` when both sides carry numbers and they differ (``No 3`` vs
   ``No 8``, ``Fund III`` vs ``Fund IV``: a sibling, at most reviewed, never confirmed);
   ``NUMBER_EXTRA`` when only one side carries a number (``Solutions`` vs ``Solutions II``);
   ``EXTRA_WORD`` per extra entry word, at most ``EXTRA_CAP`` (a ``Trading`` arm is
   reviewed, not confirmed).
4. the space-free keys are also compared when the word counts differ (``chideng xitu`` vs
   ``chidengxitu``); at ``COMPACT_MIN`` or more, that ratio is the score if higher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from screener.match.terms import load_words

TOKEN_FLOOR = 75.0
SHORT = 4
LISTED_WEIGHT = 0.7
FLAT_WEIGHT = 0.5
GENERIC = 0.35
PLACE = 0.35
STOP = 0.1
TYPO_DISCOUNT = 0.5
TYPO_MIN = 80.0
VOCABULARY_MIN = 88.0
PLURAL = 95.0
INITIAL = 75.0
ABJAD = 85.0
ACRONYM = 90.0
COMPACT_MIN = 95.0
SUBSTITUTION = 8.0
EXTRA_WORD = 2.0
EXTRA_CAP = 5.0
NUMBER_SWAP = 12.0
NUMBER_EXTRA = 20.0
_NUMBER = re.compile(r"\d|^(?=[ivxlc]{2,})x{0,3}(?:ix|iv|v?i{0,3})$")


@dataclass(frozen=True)
class Alignment:
    """How an entry key met a listed key: the score and the words behind it."""

    score: float
    pairs: tuple[tuple[str, str], ...] = ()  # (entry words, listed words) matched, not equal
    missing: tuple[str, ...] = ()  # listed words with no counterpart
    extra: tuple[str, ...] = ()  # entry words with no counterpart
    compact: bool = False  # decided by the space-free comparison
    numbers: tuple[str, ...] = ()  # number words that differ, e.g. ("3", "8")
    acronyms: tuple[tuple[str, str], ...] = ()  # ("pla", "peoples liberation army")


def is_number(word: str, last: bool = False) -> bool:
    """Digits, ordinals and roman numerals (a lone ``i``/``v``/``x`` only as the last word)."""
    return bool(_NUMBER.search(word)) or (last and word in ("i", "v", "x"))


@lru_cache(maxsize=1_048_576)
def word_score(a: str, b: str) -> float:
    """0-100 of two words.

    Equal words 100. An initial meets a word it begins (``INITIAL``). A vowel-poor word (from
    Arabic or Hebrew) meets a word with the same consonants (``ABJAD``). Numbers and words under
    ``SHORT`` letters only equal. Otherwise
    ``r = fuzz.ratio``: below ``TOKEN_FLOOR`` a different word (0). A typo in a distinctive word
    (``r >= TYPO_MIN``) costs ``TYPO_DISCOUNT`` of what it misses. A business word is
    vocabulary, not a typo target: it meets only its own plural or a near-identical spelling
    (``r >= VOCABULARY_MIN``), so ``construction`` vs ``constructors`` is a different word.
    """
    if a == b:
        return 100.0
    if min(len(a), len(b)) == 1 and a[0] == b[0] and a.isalpha() and b.isalpha():
        return INITIAL  # ``v`` ~ ``vladimir``
    if min(len(a), len(b)) < SHORT or _NUMBER.search(a) or _NUMBER.search(b):
        return 0.0
    generic = load_words().generic
    if a in generic or b in generic:
        if _singular(a) == _singular(b):
            return PLURAL
        score = fuzz.ratio(a, b)
        return score if score >= VOCABULARY_MIN else 0.0
    score = fuzz.ratio(a, b)
    if score < TOKEN_FLOOR:
        return ABJAD if same_skeleton(a, b) else 0.0
    return 100 - TYPO_DISCOUNT * (100 - score) if score >= TYPO_MIN else score


_VOWELS = re.compile(r"[aeiouyw]+")
_SOUNDS = (
    ("kh", "k"),
    ("ch", "k"),
    ("sh", "s"),
    ("th", "t"),
    ("ph", "f"),
    ("gh", "g"),
    ("q", "k"),
    ("v", "b"),
)


def skeleton(word: str) -> str:
    """The consonants of ``word`` as ``ABJAD`` compares them."""
    for a, b in _SOUNDS:
        word = word.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", _VOWELS.sub("", word))


def same_skeleton(a: str, b: str) -> bool:
    """Arabic and Hebrew write few vowels: ``sdam`` ~ ``saddam``, ``hsin`` ~ ``hussein``. Only
    when the shorter word is vowel-poor (a quarter of its letters or fewer), the other is
    longer, and their consonants agree."""
    short, long = sorted((a, b), key=len)
    if len(short) < 4 or len(long) == len(short) or not (a.isalpha() and b.isalpha()):
        return False
    if len(short) - len(_VOWELS.sub("", short)) > len(short) / 4:
        return False
    consonants = skeleton(short)
    return len(consonants) >= 3 and consonants == skeleton(long)


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("es") and word[-3:-2] in ("s", "x", "z", "h"):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


@lru_cache(maxsize=65_536)
def _factor(word: str) -> float:
    words = load_words()
    if word in words.stopwords:
        return STOP
    if word in words.places:
        return PLACE
    return GENERIC if word in words.generic else 1.0


def _numbers(words: list[str]) -> list[int]:
    return [i for i, w in enumerate(words) if is_number(w, i == len(words) - 1 and i > 0)]


def _best(
    q: list[str], c: list[str]
) -> tuple[list[float], list[float], dict[int, int], list[tuple[str, str]]]:
    """Best score of each word against the other side, each entry word's listed partner, and
    the acronyms met (acronym, the words it stands for)."""
    qb, cb = [0.0] * len(q), [0.0] * len(c)
    partner: dict[int, int] = {}
    for i, a in enumerate(q):
        for j, b in enumerate(c):
            s = word_score(a, b)
            if s > qb[i]:
                qb[i], partner[i] = s, j
            cb[j] = max(cb[j], s)
    # two words on one side, one on the other
    for side, other, best, other_best in ((q, c, qb, cb), (c, q, cb, qb)):
        for i in range(len(side) - 1):
            joined = side[i] + side[i + 1]
            for j, b in enumerate(other):
                s = word_score(joined, b)
                if s > max(best[i], best[i + 1]) and s >= TOKEN_FLOOR and _splits(side, i, b):
                    best[i] = best[i + 1] = s
                    other_best[j] = max(other_best[j], s)
    return qb, cb, partner, _acronyms(q, c, qb, cb) + _acronyms(c, q, cb, qb)


def _splits(words: list[str], i: int, joined: str) -> bool:
    """``joined`` splits into two parts that meet ``words[i]`` and ``words[i + 1]`` one by one
    (``word_score``, so a generic word meets only its plural or a near-equal spelling, as it
    would written apart): a long shared tail must not carry a different first word (``crown
    industries`` is not ``dragonindustries``)."""

    def meets(word: str, part: str) -> bool:  # an initial is no part of a glued word
        return word == part or (len(part) > 1 and word_score(word, part) >= TOKEN_FLOOR)

    a, b = words[i], words[i + 1]
    return any(meets(a, joined[:p]) and meets(b, joined[p:]) for p in range(1, len(joined)))


def _acronyms(
    side: list[str], other: list[str], sb: list[float], ob: list[float]
) -> list[tuple[str, str]]:
    """An unmatched word of 3-6 letters equal to the initials of unmatched words opposite."""
    found: list[tuple[str, str]] = []
    for i, word in enumerate(side):
        n = len(word)
        if sb[i] or not 3 <= n <= 6 or not word.isalpha():
            continue
        for j in range(len(other) - n + 1):
            run = other[j : j + n]
            if "".join(w[0] for w in run) == word and not any(ob[j : j + n]):
                sb[i] = ACRONYM
                ob[j : j + n] = [ACRONYM] * n
                found.append((word, " ".join(run)))
                break
    return found


def _cover(words: list[str], best: list[float], skip: set[int], acr: dict[str, int]) -> float:
    """Class-weighted mean of the words' best scores (0-1), numbers left out; an acronym
    weighs the letters of the words it stands for."""
    idx = [i for i in range(len(words)) if i not in skip] or list(range(len(words)))
    weights = [acr.get(words[i], len(words[i])) * _factor(words[i]) for i in idx]
    return sum(w * best[i] for w, i in zip(weights, idx, strict=True)) / (100 * sum(weights))


def align_keys(query_key: str, listed_key: str) -> Alignment:
    """Score 0-100 of an entry key against a listed key, with the aligned words."""
    if not query_key or not listed_key:
        return Alignment(0.0)
    if query_key == listed_key:
        return Alignment(100.0)
    q, c = query_key.split(), listed_key.split()
    qb, cb, partner, acronyms = _best(q, c)
    acr = {word: len(run.replace(" ", "")) for word, run in acronyms}
    qn, cn = _numbers(q), _numbers(c)
    q_nums, c_nums = sorted(q[i] for i in qn), sorted(c[j] for j in cn)
    distinctive = any(_factor(c[j]) == 1.0 for j in range(len(c)) if j not in cn)
    weight = LISTED_WEIGHT if distinctive else FLAT_WEIGHT
    cover_c, cover_q = _cover(c, cb, set(cn), acr), _cover(q, qb, set(qn), acr)
    score = 100 * (weight * cover_c + (1 - weight) * cover_q)
    missing = tuple(c[j] for j in range(len(c)) if not cb[j] and j not in cn)
    extra = tuple(q[i] for i in range(len(q)) if not qb[i] and i not in qn)
    score -= SUBSTITUTION * min(len(missing), len(extra))
    stop = load_words().stopwords
    score -= min(EXTRA_CAP, EXTRA_WORD * sum(w not in stop for w in extra))
    differ: tuple[str, ...] = ()
    if q_nums != c_nums:
        differ = tuple(dict.fromkeys(w for w in q_nums + c_nums if (w in q_nums) != (w in c_nums)))
        score -= NUMBER_SWAP if q_nums and c_nums else NUMBER_EXTRA
    if len(q) != len(c) and not differ:
        compact = fuzz.ratio(query_key.replace(" ", ""), listed_key.replace(" ", ""))
        if compact >= COMPACT_MIN and compact > score:
            return Alignment(round(compact, 1), compact=True)
    pairs = tuple((q[i], c[j]) for i, j in partner.items() if 0 < qb[i] < 100 and q[i] != c[j])
    return Alignment(
        round(max(0.0, min(100.0, score)), 1), pairs, missing, extra, False, differ, tuple(acronyms)
    )
