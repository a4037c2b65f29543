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
   ``van``) weigh ``STOP``, patronymics (``viktorovich``, ``oleksandrovych``, ``ivanovna``)
   ``PATRONYMIC``: a father's name says less of who a person is. A listed name made only of
   generic and place words weighs both sides equally (``International Trading`` must not match every
   ``X International Trading``).
3. penalties: ``SUBSTITUTION`` per listed word replaced by another entry word (``Red`` vs
   ``Blue`` lantern); ``NUMBER_SWAP`` when both sides carry numbers and they differ (``No 3`` vs
   ``No 8``, ``Fund III`` vs ``Fund IV``: a sibling, at most reviewed, never confirmed);
   ``NUMBER_EXTRA`` when only one side carries a number (``Solutions`` vs ``Solutions II``). A
   numeral of letters opening a name of more words is a word (``Xi Jinping``: 习, not 11), and
   one the other side writes as a word is not compared (``Jinping Xi`` ~ ``Xi Jinping``);
   ``EXTRA_WORD`` per extra entry word, at most ``EXTRA_CAP`` (a ``Trading`` arm is
   reviewed, not confirmed).
4. the space-free keys are also compared when the word counts differ (``chideng xitu`` vs
   ``chidengxitu``); at ``COMPACT_MIN`` or more, that ratio is the score if higher.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

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
PATRONYMIC = 0.35
PATRONYMIC_PATTERN = r"[a-z]{2}(?:ovich|evich|ovych|evych|ovna|evna|ivna|ichna)$"  # East Slavic
_PATRONYMIC = re.compile(PATRONYMIC_PATTERN)
_NUMBER = re.compile(r"\d|^(?=[ivxlc]{2,})x{0,3}(?:ix|iv|v?i{0,3})$")
_V = TypeVar("_V")
_CACHE_MAX = 1_048_576  # entries of each cache below; a full cache starts again empty


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


def word_score(a: str, b: str) -> float:
    """0-100 of two words (cached).

    Equal words 100. An initial meets a word it begins (``INITIAL``). A vowel-poor word (from
    Arabic or Hebrew) meets a word with the same consonants (``ABJAD``). Numbers and words under
    ``SHORT`` letters only equal. Otherwise
    ``r = fuzz.ratio``: below ``TOKEN_FLOOR`` a different word (0). A typo in a distinctive word
    (``r >= TYPO_MIN``) costs ``TYPO_DISCOUNT`` of what it misses. A business word is
    vocabulary, not a typo target: it meets only another form of itself (``stem``: plural,
    ``-ing``; ``PLURAL``) or a near-identical spelling (``r >= VOCABULARY_MIN``), so
    ``construction`` vs ``constructors`` is a different word, ``trading`` vs ``trade`` not.
    """
    return _SCORES[a][b]


class _Row(dict[str, float]):
    """``word_score(word, b)`` by ``b``, computed on first use."""

    __slots__ = ("word",)

    def __init__(self, word: str) -> None:
        super().__init__()
        self.word = word

    def __missing__(self, b: str) -> float:
        _FILLED[0] += 1
        if _FILLED[0] > _CACHE_MAX:
            _SCORES.clear()
            _FILLED[0] = 0
        a, score = self.word, 0.0
        la, alpha_a, number_a, generic_a, _, _, stem_a = _WORDS[a]
        lb, alpha_b, number_b, generic_b, _, _, stem_b = _WORDS[b]
        short, long = (la, lb) if la < lb else (lb, la)
        if a == b:
            score = 100.0
        elif short == 1 and a[0] == b[0] and alpha_a and alpha_b:
            score = INITIAL  # ``v`` ~ ``vladimir``
        elif short < SHORT or number_a or number_b:
            pass
        elif (generic_a or generic_b) and stem_a == stem_b:
            score = (
                PLURAL  # ``metals`` ~ ``metal``, ``trading`` ~ ``trade``, ``bank`` ~ ``banking``
            )
        elif 5 * short < 3 * long:  # fuzz.ratio <= 200 * short / (short + long) < 75
            score = ABJAD if not (generic_a or generic_b) and same_skeleton(a, b) else 0.0
        elif generic_a or generic_b:
            if (r := fuzz.ratio(a, b, score_cutoff=VOCABULARY_MIN - 1)) >= VOCABULARY_MIN:
                score = r
        elif (r := fuzz.ratio(a, b, score_cutoff=TOKEN_FLOOR - 1)) < TOKEN_FLOOR:
            score = ABJAD if same_skeleton(a, b) else 0.0
        else:
            score = 100 - TYPO_DISCOUNT * (100 - r) if r >= TYPO_MIN else r
        self[b] = score
        return score


class _Cache(dict[str, _V]):
    """``make(key)`` by ``key``, made on first use; a full cache starts again empty (a dict:
    no lru_cache links for the garbage collector to walk)."""

    def __init__(self, make: Callable[[str], _V], limit: int = _CACHE_MAX) -> None:
        super().__init__()
        self.make, self.limit = make, limit

    def __missing__(self, key: str) -> _V:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.make(key)
        return value


_Facts = tuple[int, bool, bool, bool, bool, float, str]


def _facts(word: str) -> _Facts:
    """Length, alphabetic, a number (without the last-word rule), generic, vowel-poor (a
    quarter of its letters or fewer), class factor, stem (``stem``)."""
    n, alpha, words = len(word), word.isalpha(), load_words()
    number = not (alpha and word.strip("ivxlc")) and bool(_NUMBER.search(word))  # \d: no letter
    poor = n - len(word.translate(_NO_VOWELS)) <= n / 4
    generic = word in words.generic
    factor = GENERIC if generic else PATRONYMIC if _PATRONYMIC.search(word) else 1.0
    factor = STOP if word in words.stopwords else PLACE if word in words.places else factor
    return n, alpha, number, generic, poor, factor, stem(word)


_VOWELS = re.compile(r"[aeiouyw]+")
_NO_VOWELS = str.maketrans("", "", "aeiouyw")
_REPEATS = re.compile(r"(.)\1+")
SOUNDS = (
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
    for a, b in SOUNDS:
        word = word.replace(a, b)
    return _REPEATS.sub(r"\1", _VOWELS.sub("", word))


def same_skeleton(a: str, b: str) -> bool:
    """Arabic and Hebrew write few vowels: ``sdam`` ~ ``saddam``, ``hsin`` ~ ``hussein``. Only
    when the shorter word is vowel-poor (a quarter of its letters or fewer), the other is
    longer, and their consonants agree."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 4 or len(long) == len(short) or not (_WORDS[a][1] and _WORDS[b][1]):
        return False
    if not _WORDS[short][4]:
        return False
    consonants = _SKELETONS[short]
    return len(consonants) >= 3 and consonants == _SKELETONS[long]


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("es") and word[-3:-2] in ("s", "x", "z", "h"):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def stem(word: str) -> str:
    """What a business word's forms share: its singular less ``-ing`` (a doubled letter before it
    once) and a final ``e`` (``trading``, ``trade`` -> ``trad``; ``shipping``, ``ships`` ->
    ``ship``; ``mines``, ``mining`` -> ``min``). Two generic words of one stem are one word."""
    word = _singular(word)
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
        word = word[:-1] if word[-1] == word[-2] else word
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def _sum(values: Sequence[float]) -> float:
    """Left to right from 0, as ``align_kernel`` adds (``sum`` compensates from Python 3.12)."""
    total = 0.0
    for v in values:
        total += v
    return total


_Words = tuple[str, ...]
_Floats = tuple[float, ...]
_Key = tuple[_Words, tuple[int, ...], _Words, tuple[int, ...], _Floats, float, bool, str]


def _key(key: str) -> _Key:
    """A key's words, its number positions, its numbers sorted, the positions weighed in its
    coverage (all but numbers), their weights (letters times class factor) and 100 times their
    sum, a distinctive word there, the key without spaces."""
    words = tuple(key.split())
    facts = [_WORDS[w] for w in words]
    last = len(words) - 1  # a lone i, v or x is a number as the last word, not the only one
    # a numeral of letters opening a name of more words is a name (``xi jinping``: 习)
    numbers = tuple([i for i, f in enumerate(facts) if f[2] and (i or not last or not f[1])])
    if last > 0 and words[last] in ("i", "v", "x") and last not in numbers:
        numbers += (last,)
    everything = tuple(range(len(words)))
    plain = tuple([i for i in everything if i not in numbers]) if numbers else everything
    idx = plain or everything
    weights = tuple([facts[i][0] * facts[i][5] for i in idx])
    distinctive = any([facts[i][5] == 1.0 for i in plain])
    nums = tuple(sorted([words[i] for i in numbers]))
    flat = key.replace(" ", "")
    return words, numbers, nums, idx, weights, 100 * _sum(weights), distinctive, flat


_FILLED = [0]  # word scores cached; past _CACHE_MAX the cache starts again empty
_SCORES = _Cache(_Row)  # a -> b -> word_score(a, b)
_WORDS = _Cache(_facts)  # word -> _facts(word)
_SKELETONS = _Cache(skeleton)  # word -> skeleton(word)
_KEYS = _Cache(_key, 262_144)  # key -> _key(key); a key's facts take about 1 KB


def _best(
    q: _Words, c: _Words
) -> tuple[list[float], list[float], dict[int, int], list[tuple[str, str]]]:
    """Best score of each word against the other side, each entry word's listed partner, and
    the acronyms met (acronym, the words it stands for)."""
    scores, facts = _SCORES, _WORDS
    qb, cb = [0.0] * len(q), [0.0] * len(c)
    partner: dict[int, int] = {}
    for i, a in enumerate(q):
        row, top = scores[a], 0.0
        for j, b in enumerate(c):
            s = 100.0 if a == b else row[b]
            if s > top:
                top, partner[i] = s, j
            if s > cb[j]:
                cb[j] = s
        qb[i] = top
    # two words on one side, one on the other. Skipped as they score 0 or never split: a
    # one-letter word, a word far longer or shorter unless the shorter is vowel-poor (see
    # _Row); all when one of the two words is already equal (no score tops 100)
    for side, other, best, other_best in ((q, c, qb, cb), (c, q, cb, qb)):
        for i in range(len(side) - 1):
            top = max(best[i], best[i + 1])
            if top >= 100:
                continue
            joined = side[i] + side[i + 1]
            n = len(joined)
            for j, b in enumerate(other):
                m = len(b)
                if m < 2 or (5 * m < 3 * n and not facts[b][4]):
                    continue
                if 5 * n < 3 * m and not facts[joined][4]:
                    continue
                s = scores[joined][b]
                if s > top and s >= TOKEN_FLOOR and _splits(side, i, b):
                    best[i] = best[i + 1] = top = s
                    other_best[j] = max(other_best[j], s)
    acronyms = _acronyms(q, c, qb, cb) if 0.0 in qb and 0.0 in cb else []
    return qb, cb, partner, acronyms + (_acronyms(c, q, cb, qb) if 0.0 in cb and 0.0 in qb else [])


def _splits(words: _Words, i: int, joined: str) -> bool:
    """``joined`` splits into two parts that meet ``words[i]`` and ``words[i + 1]`` one by one
    (``word_score``, so a generic word meets only its plural or a near-equal spelling, as it
    would written apart): a long shared tail must not carry a different first word (``crown
    industries`` is not ``dragonindustries``)."""

    def meets(word: str, part: str) -> bool:  # an initial is no part of a glued word
        return word == part or (len(part) > 1 and _SCORES[word][part] >= TOKEN_FLOOR)

    a, b = words[i], words[i + 1]
    return any(meets(a, joined[:p]) and meets(b, joined[p:]) for p in range(1, len(joined)))


def _acronyms(
    side: _Words, other: _Words, sb: list[float], ob: list[float]
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


def _weights(words: _Words, idx: tuple[int, ...], acr: dict[str, int]) -> tuple[_Floats, float]:
    """The weights of ``_key`` when acronyms were met: an acronym weighs the letters of the
    words it stands for."""
    weights = tuple(acr.get(words[i], len(words[i])) * _WORDS[words[i]][5] for i in idx)
    return weights, 100 * _sum(weights)


def _unwritten(nums: _Words, other: _Words, other_numbers: tuple[int, ...]) -> _Words:
    """``nums`` less those ``other`` holds as a word, not a number (``jinping xi`` ~ ``xi
    jinping``: ``xi`` ends one name and opens the other)."""
    words = {w for i, w in enumerate(other) if i not in other_numbers}
    return tuple(w for w in nums if w not in words)


def align_keys(query_key: str, listed_key: str) -> Alignment:
    """Score 0-100 of an entry key against a listed key, with the aligned words."""
    if not query_key or not listed_key:
        return Alignment(0.0)
    if query_key == listed_key:
        return Alignment(100.0)
    q, qn, q_nums, q_idx, q_weights, q_total, _, q_flat = _KEYS[query_key]
    c, cn, c_nums, c_idx, c_weights, c_total, distinctive, c_flat = _KEYS[listed_key]
    qb, cb, partner, acronyms = _best(q, c)
    if acronyms:
        acr = {word: len(run.replace(" ", "")) for word, run in acronyms}
        c_weights, c_total = _weights(c, c_idx, acr)
        q_weights, q_total = _weights(q, q_idx, acr)
    # coverage: the class-weighted mean of the words' best scores (0-1), numbers left out
    cover_c = _sum([w * cb[i] for w, i in zip(c_weights, c_idx, strict=True)]) / c_total
    cover_q = _sum([w * qb[i] for w, i in zip(q_weights, q_idx, strict=True)]) / q_total
    weight = LISTED_WEIGHT if distinctive else FLAT_WEIGHT
    score = 100 * (weight * cover_c + (1 - weight) * cover_q)
    missing = tuple(c[j] for j in range(len(c)) if not cb[j] and j not in cn) if 0.0 in cb else ()
    extra = tuple(q[i] for i in range(len(q)) if not qb[i] and i not in qn) if 0.0 in qb else ()
    if extra:  # else both penalties are 0
        stop = load_words().stopwords
        score -= SUBSTITUTION * min(len(missing), len(extra))
        score -= min(EXTRA_CAP, EXTRA_WORD * sum(w not in stop for w in extra))
    differ: tuple[str, ...] = ()
    if q_nums != c_nums:  # a numeral of letters the other side has as a word is that word
        q_nums, c_nums = _unwritten(q_nums, c, cn), _unwritten(c_nums, q, qn)
    if q_nums != c_nums:
        differ = tuple(dict.fromkeys(w for w in q_nums + c_nums if (w in q_nums) != (w in c_nums)))
        score -= NUMBER_SWAP if q_nums and c_nums else NUMBER_EXTRA
    m, n = sorted((len(q_flat), len(c_flat)))  # fuzz.ratio < COMPACT_MIN when 21 * m < 19 * n
    if len(q) != len(c) and not differ and 21 * m >= 19 * n:
        compact = fuzz.ratio(q_flat, c_flat, score_cutoff=COMPACT_MIN - 1)
        if compact >= COMPACT_MIN and compact > score:
            return Alignment(round(compact, 1), compact=True)
    pairs = tuple((q[i], c[j]) for i, j in partner.items() if 0 < qb[i] < 100 and q[i] != c[j])
    return Alignment(
        round(max(0.0, min(100.0, score)), 1), pairs, missing, extra, False, differ, tuple(acronyms)
    )
