"""A name in any script as Latin ASCII words, for matching (DESIGN §5).

Each run of one script has its reader:

- Han without kana in the text: Chinese. Traditional is converted to simplified (opencc), cut into
  words (rjieba, jieba's dictionary), each word in toneless pinyin with its syllables joined
  (pypinyin, whose phrases read polyphonic characters right; ``ü`` is ``u``): ``杭州海康威视`` ->
  ``hangzhou haikang weishi``. Long dictionary words are cut into their 2-3 character words
  (``中国北方工业公司`` -> ``zhongguo beifang gongye gongsi``); person and place names stay whole
  bar a generic ending (``深圳市`` -> ``shenzhen shi``: ``translit_han_suffixes.csv``).
- Kana, and Han beside kana: Japanese. sudachipy (``sudachidict_small``) cuts words and reads
  them, jaconv writes Hepburn, long vowels are written short (``三菱商事`` -> ``mitsubishi shoji``).
  Han alone is ambiguous: read as Chinese; ``latin_variants`` adds the Japanese reading.
- Arabic-script and Hebrew: ``translit_abjad.csv`` (waw/ya/vav/yod as vowels after a consonant).
  Hebrew bet, kaf and pe are v, kh, f inside a word (``תל אביב`` -> ``tl aviv``); without niqqud
  they may be b, k, p (``אלביט`` Elbit, ``הפועלים`` Hapoalim): ``latin_variants`` adds that reading.
- Hangul: McCune-Reischauer without diacritics, as the lists write North Korean names
  (``조선련봉`` -> ``chosonryonbong``): each syllable letter by letter from ``translit_hangul.csv``,
  whose header says which sound changes are made and why the others are not. A name that is one
  word of 2-4 syllables is written a word a syllable, as the lists write names (``김정은`` ->
  ``kim jong un``), and one of 3 syllables, a person's, with North Korea's own j (``장성택``
  -> ``jang song taek``); ``latin_variants`` adds Revised Romanization (anyascii:
  ``joseonlyeonbong``), South Korea's. Maintained PyPI packages (korean-romanizer, hangul-romanize)
  write RR only; ko-pron (Wiktionary's module, last released 2018) writes MR with diacritics and
  sound changes across what may be word breaks (``chosŏllyŏnbong``).
- Cyrillic with a letter only Ukrainian has: the national standard (``translit_letters.csv``);
  other Cyrillic is read as Russian by anyascii, with the Ukrainian reading as a variant.
- Armenian: anyascii with BGN/PCGN's initial ye/vo and ``u`` (``translit_letters.csv``).
- Thai: syllable by syllable in RTGS (``screener.match.thai``: ``ทักษิณ`` -> ``thaksin``; finals
  as RTGS writes them); letters before a full stop are an abbreviation (``ปตท.`` -> ``ptt``).
- Burmese: a word a syllable, as the lists write names (``မင်းအောင်လှိုင်`` -> ``min aung hlaing``):
  inherent vowels, then rhymes and letters by ``translit_burmese.csv`` (BGN/PCGN 1970).
- The rest (Russian, Greek, Georgian, ...): anyascii.

Han and Hangul names get one more reading, their last (``latin_readings``): the business words of
``name_glossary.csv`` in the English the lists write (``江西赣锋锂业`` -> ``jiangxi ganfeng
lithium``, ``단천상업은행`` -> ``tanchon commercial bank``), the rest transliterated as above.

Transliterated words are ``[a-z0-9]``. ASCII text comes back as it is, at no cost. Other text is
NFKC-normalized; its ASCII (case, punctuation) passes through, and so do other punctuation and
symbols as anyascii writes them (``—`` -> ``-``), so the caller's casefold and punctuation-to-space
give ``[a-z0-9 ]``. Dictionaries load once, on first use; nothing goes to the network or to disk.
"""

from __future__ import annotations

import csv
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

from anyascii import anyascii

from screener.match.thai import thai_word

DATA = Path(__file__).resolve().parent.parent / "data"
_HAN = re.compile(
    "[\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0003134f]"
)
_KANA = re.compile("[\u3041-\u309f\u30a0-\u30fa\u30fc-\u30ff\u31f0-\u31ff]")  # not '・'
_NOT_WORD = re.compile("[^a-z0-9]+")
_UKRAINIAN, _NOT_UKRAINIAN = set("іїєґІЇЄҐ"), set("ёъыэўЁЪЫЭЎ")
_NAME_TAGS = frozenset({"nr", "nrfg", "nrt", "ns"})  # jieba's tags for person and place names
_MY_INHERENT = re.compile(  # a consonant (+ medials) without vowel sign or final: inherent 'a'
    "([\u1000-\u1021][\u103b-\u103e]*)(?![\u102b-\u103e]|[\u1000-\u1021]\u1037?\u103a)"
)
_MY_MARKS = {0x1039: 0x103A, 0x1038: None}  # stacked: a final; high tone: none
_MY_SYLLABLE = re.compile(  # before a consonant or vowel letter that is not a final or stacked
    "(?<!\u1039)(?=[\u1000-\u102a\u103f](?!\u1037?\u103a|\u1039))"
)
_JP_LONG = re.compile("ou|oo")
_SCRIPT_NAMES = {"CJK": "Han", "IDEOGRAPHIC": "Han", "HANGUL": "Hangul"}  # else the name's 1st word
_HANGUL_FIRST = 0xAC00  # precomposed syllables: (initial * 21 + vowel) * 28 + final, 11172
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"  # in Unicode's order of syllables
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"  # final 0 is none
_VOICED_AFTER = ("", "n", "l", "m", "ng")  # a final after which k, t, p, ch are voiced
_PERSON_SYLLABLES = 3  # a Hangul word of 3 syllables alone is likely a person's name (Kim Jong Un)
_SECOND = frozenset({"Hangul", "Hebrew"})  # scripts with a second reading (``latin_variants``)
_LOCAL = threading.local()
_Table = dict[str, dict[str, str]]  # rows of a translit_*.csv by their first column


@dataclass(frozen=True, slots=True)
class Latin:
    """A name in Latin ASCII, the scripts it was in, and each transliterated word's original."""

    text: str
    scripts: tuple[str, ...] = ()  # e.g. ("Han",), ("Cyrillic",), ("Han", "Kana")
    sources: tuple[tuple[str, str], ...] = ()  # (latin word, original), e.g. ("hangzhou", "杭州")
    translated: tuple[tuple[str, str], ...] = ()  # (english, term): ("rare earth", "稀土")


def _read(name: str) -> list[dict[str, str]]:
    lines = (DATA / name).read_text("utf-8").splitlines()
    return list(csv.DictReader(line for line in lines if not line.startswith("#")))


@cache
def _tables() -> tuple[_Table, _Table, tuple[str, ...], _Table]:
    abjad = {row["letter"]: row for row in _read("translit_abjad.csv")}
    letters = {row["language"] + row["letter"]: row for row in _read("translit_letters.csv")}
    suffixes = tuple(sorted((r["suffix"] for r in _read("translit_han_suffixes.csv")), key=len))
    burmese = {row["burmese"]: row for row in _read("translit_burmese.csv")}  # in file order
    return abjad, letters, suffixes, burmese


@cache
def _hangul(name: bool) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """(latin, voiced) of each initial, latin of each vowel and of each final (none first);
    ``name``: an initial's value in a person's name where the table gives one (ㅈ j)."""
    table = {(row["position"], row["jamo"]): row for row in _read("translit_hangul.csv")}
    initials = []
    for jamo in _INITIALS:
        row = table["initial", jamo]
        value = name and row["name"]
        initials.append((value or row["latin"], value or row["voiced"]))
    vowels = [table["vowel", j]["latin"] for j in _VOWELS]
    return initials, vowels, [""] + [table["final", j]["latin"] for j in _FINALS]


@cache
def _chinese_tools() -> tuple[Any, Any, Any]:
    import opencc
    import rjieba
    from pypinyin import lazy_pinyin

    return opencc.OpenCC("t2s"), rjieba, lazy_pinyin


def _japanese_tokenizer() -> Any:
    tokenizer = getattr(_LOCAL, "tokenizer", None)  # a sudachipy tokenizer is per thread
    if tokenizer is None:
        from sudachipy import Dictionary

        tokenizer = _LOCAL.tokenizer = Dictionary(dict="small").tokenizer(mode="B")
    return tokenizer


def _clean(text: str) -> str:
    return _NOT_WORD.sub("", anyascii(text).lower())


class _Scripts(dict[str, str]):
    """``_SCRIPTS[char]``: its script, '' for punctuation and digits, '+' for marks (cached)."""

    def __missing__(self, char: str) -> str:
        category = unicodedata.category(char)
        if _HAN.match(char) or _KANA.match(char):
            script = "Han" if _HAN.match(char) else "Kana"
        elif char.isascii() or category[0] not in "LM":
            script = ""
        elif category[0] == "M" or category == "Lm":
            script = "+"
        else:
            first = unicodedata.name(char, "").split(" ")[0]
            script = _SCRIPT_NAMES.get(first, first.title())
        self[char] = script
        return script


_SCRIPTS = _Scripts()


def _split_han(word: str, tag: str, jieba: Any) -> list[str]:
    """A dictionary word cut into the words a pinyin writer would write apart."""
    if tag in _NAME_TAGS:
        for suffix in reversed(_tables()[2]):  # longest first
            if word.endswith(suffix) and len(word) - len(suffix) >= 2:
                return [word[: -len(suffix)], suffix]
        return [word]
    if len(word) < 4:
        return [word]
    spans = {(s, e) for _, s, e in jieba.tokenize(word, mode="search") if 2 <= e - s <= 3}
    cost, back = [0] + [len(word) * 2] * len(word), [0] * (len(word) + 1)
    for end in range(1, len(word) + 1):  # fewest pieces; a single character costs two
        for start in range(max(0, end - 3), end):
            step = 1 if (start, end) in spans else 2 if end - start == 1 else 0
            if step and cost[start] + step < cost[end]:
                cost[end], back[end] = cost[start] + step, start
    pieces, end = [], len(word)
    while end:
        pieces.append(word[back[end] : end])
        end = back[end]
    return pieces[::-1]


@lru_cache(maxsize=131_072)
def _pinyin(word: str) -> str:
    return _clean("".join(_chinese_tools()[2](word, v_to_u=True)))  # pypinyin is slow: cache


def _chinese(run: str) -> list[tuple[str, str]]:
    to_simple, jieba, _ = _chinese_tools()
    simple = to_simple.convert(run)
    original = run if len(simple) == len(run) else simple
    words: list[tuple[str, str]] = []
    at = 0
    for word, tag in jieba.tag(simple):
        for piece in _split_han(word, tag, jieba):
            words.append((_pinyin(piece), original[at : at + len(piece)]))
            at += len(piece)
    return words


@lru_cache(maxsize=131_072)
def _romaji(kana: str) -> str:
    import jaconv

    latin = _clean(str(jaconv.kata2alphabet(jaconv.hira2kata(kana))).replace("xtsu", ""))
    return _JP_LONG.sub("o", latin).replace("uu", "u").replace("cch", "tch")


def _japanese(run: str) -> list[tuple[str, str]]:
    words: list[tuple[str, str]] = []
    for start in range(0, len(run), 1000):  # sudachi refuses very long input
        for morpheme in _japanese_tokenizer().tokenize(run[start : start + 1000]):
            surface = str(morpheme.surface())
            words.append((_romaji(str(morpheme.reading_form()) or surface), surface))
    return words


def _abjad(word: str, hard: bool = False) -> str:
    if word.startswith("ال") and len(word) > 3:  # the Arabic article: the rest is a word
        return "al" + _abjad(word[2:])
    table, out = _tables()[0], ""
    for i, char in enumerate(word):
        row = table.get(char)
        if row is None:
            out += _clean(char)
            continue
        after, before = word[i + 1 : i + 2], table.get(word[i - 1 : i], {}).get("latin", "")
        glide = i == 0 or before[-1:] in tuple("aeiou") or table.get(after, {}).get("latin") == "a"
        if hard and row["hard"]:  # Hebrew b/k/p (dagesh) where the first reading has v/kh/f
            out += row["hard"]
        elif i == 0 and row["initial"]:
            out += row["initial"]
        elif i == len(word) - 1 and row["final"]:
            out += row["final"]
        elif row["vowel"] and not glide and after != char:
            out += row["vowel"]
        elif not (row["vowel"] and i and word[i - 1] == char):  # a doubled vav/yod: one glide
            out += row["latin"]
    return out


def _mccune_reischauer(word: str, alone: bool = False) -> str:
    """``조선련봉총회사`` -> ``chosonryonbongchonghoesa``; other characters as anyascii writes.

    A name of one word (``alone``) of 2 to 4 syllables is written as the lists write names, a
    word a syllable (voiced as in the whole word: ``김정은`` -> ``kim jong un``, ``전명국`` ->
    ``chon myong guk``), and one of 3, a person's, takes the table's name values (ㅈ j:
    ``장성택`` -> ``jang song taek``; 2 would make Choson "jo son"). Words of a longer name stay
    whole (``조선 대성 은행``).
    """
    syllables = sum(0 <= ord(char) - _HANGUL_FIRST < 11172 for char in word)
    split = alone and 2 <= syllables == len(word) <= 4
    initials, vowels, finals = _hangul(split and syllables == _PERSON_SYLLABLES)
    out: list[str] = []
    final: str | None = None  # the last syllable's final; None at the start, after a non-syllable
    for char in word:
        code = ord(char) - _HANGUL_FIRST
        if not 0 <= code < 11172:
            out.append(_clean(char))
            final = None
            continue
        latin, voiced = initials[code // 588]
        if voiced and final in _VOICED_AFTER:
            latin = voiced
        elif latin == "r" and final == "l":
            latin = "l"
        final = finals[code % 28]
        out.append(latin + vowels[code // 28 % 21] + final)
    return (" " if split else "").join(out)


def _letters(word: str, language: str) -> str:
    table, word, out, i = _tables()[1], word.lower(), "", 0
    while i < len(word):
        key = word[i : i + 2] if language + word[i : i + 2] in table else word[i]
        row = table.get(language + key)
        out += _clean(key) if row is None else row["initial" if i == 0 else "other"]
        i += len(key)
    return out


@lru_cache(maxsize=131_072)
def _word(run: str, script: str, ukrainian: bool, second: bool, alone: bool) -> str:
    """One run of ``script``; ``second``: Hangul in RR, Hebrew with b/k/p (``_SECOND``);
    ``alone``: Thai followed by a full stop (``ปตท.``), Hangul the only word of the name."""
    if script in ("Arabic", "Hebrew"):
        return _abjad(run, hard=second and script == "Hebrew")
    if script == "Hangul" and not second:
        return _mccune_reischauer(run, alone)
    if script == "Armenian" or (script == "Cyrillic" and ukrainian):
        return _letters(run, "Ukrainian" if script == "Cyrillic" else script)
    if script == "Thai":
        return thai_word(run, alone)
    if script == "Myanmar":
        return " ".join(_burmese(syllable) for syllable in _MY_SYLLABLE.split(run) if syllable)
    return _clean(run)


def _burmese(syllable: str) -> str:
    """One Burmese syllable (``translit_burmese.csv``): ``လှိုင်`` -> ``hlaing``."""
    syllable = _MY_INHERENT.sub(r"\1a", syllable.translate(_MY_MARKS))
    for burmese, row in _tables()[3].items():
        syllable = syllable.replace(burmese, row["latin"])
    return _clean(syllable)


def _runs(text: str, japanese: bool) -> list[tuple[str, str]]:
    """(script, text) runs; Han and kana are one 'Japanese' run when ``japanese``."""
    scripts = list(map(_SCRIPTS.__getitem__, text))
    for i, script in enumerate(scripts):
        if script == "+":  # a mark or modifier belongs to the letter before it
            scripts[i] = scripts[i - 1] if i else ""
        elif japanese and script in ("Han", "Kana"):
            scripts[i] = "Japanese"
    pairs = groupby(zip(scripts, text, strict=True), key=itemgetter(0))
    return [(script, "".join(char for _, char in run)) for script, run in pairs]


def _convert(text: str, japanese: bool, ukrainian: bool, second: bool = False) -> Latin:
    pieces: list[str] = []
    sources: list[tuple[str, str]] = []
    scripts: dict[str, None] = {}
    runs = _runs(text, japanese)
    for at, (script, run) in enumerate(runs):
        if script in ("", "Latin"):
            pieces.append(run if run.isascii() else anyascii(run))
            continue
        met = map(_SCRIPTS.__getitem__, run) if script == "Japanese" else (script,)
        scripts.update(dict.fromkeys(met))
        if script in ("Han", "Japanese"):
            words = _japanese(run) if japanese else _chinese(run)
            pieces.extend(f" {latin} " for latin, _ in words if latin)
        else:
            alone = at + 1 < len(runs) and runs[at + 1][1].startswith(".")
            if script == "Hangul":
                alone = text.strip() == run  # a name of one word, nothing beside it
            words = [(_word(run, script, ukrainian, second, alone), run)]
            pieces.append(words[0][0])
        sources.extend(word for word in words if word[0])
    scripts.pop("+", None)
    return Latin(" ".join("".join(pieces).split()), tuple(scripts), tuple(sources))


def to_latin(text: str) -> Latin:
    """``text`` in Latin ASCII: ``"杭州海康威视"`` -> ``Latin("hangzhou haikang weishi", ("Han",),
    (("hangzhou", "杭州"), ("haikang", "海康"), ("weishi", "威视")))``; originals are NFKC."""
    if text.isascii():
        return Latin(text)
    text = unicodedata.normalize("NFKC", text)
    japanese = _KANA.search(text) is not None
    ukrainian = not _UKRAINIAN.isdisjoint(text) and _NOT_UKRAINIAN.isdisjoint(text)
    return _convert(text, japanese, ukrainian)


def latin_variants(text: str) -> tuple[str, ...]:
    """Every reading of ``text``, ``to_latin``'s first: Han without kana also in Japanese
    (``"三菱商事"`` -> ``("sanling shangshi", "mitsubishi shoji")``), Cyrillic that may be
    Ukrainian also in the Ukrainian table, Hangul also in Revised Romanization (``"조선"`` ->
    ``("choson", "joseon")``), Hebrew also with b/k/p inside words (``"אברהם"`` -> ``("avrhm",
    "abrhm")``), Han and Hangul with their business words in English last (``"中国稀土"`` ->
    ``("zhongguo xitu", "zhongguo xi tu", "china rare earth")``)."""
    return tuple(latin.text for latin in latin_readings(text))


def latin_readings(text: str) -> tuple[Latin, ...]:
    """``latin_variants`` as ``Latin``, each reading once, with the words behind it."""
    readings = [to_latin(text)]
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        scripts = set(map(_SCRIPTS.__getitem__, text))
        ukrainian = not _UKRAINIAN.isdisjoint(text) and _NOT_UKRAINIAN.isdisjoint(text)
        if "Han" in scripts and "Kana" not in scripts:
            readings.append(_convert(text, True, ukrainian))
        if "Cyrillic" in scripts and _NOT_UKRAINIAN.isdisjoint(text):
            readings.append(_convert(text, "Kana" in scripts, True))
        if not _SECOND.isdisjoint(scripts):
            readings.append(_convert(text, "Kana" in scripts, ukrainian, second=True))
        if ("Han" in scripts and "Kana" not in scripts) or "Hangul" in scripts:
            english, translated = _translate(text)
            if translated:
                latin = _convert(english, False, ukrainian)
                readings.append(Latin(latin.text, latin.scripts, latin.sources, translated))
    first: dict[str, Latin] = {}
    for latin in readings:
        first.setdefault(latin.text, latin)
    return tuple(first.values())


@cache
def _glossary() -> tuple[dict[str, str], int]:
    """English of each term of ``name_glossary.csv`` (Han simplified), the longest's length."""
    terms = {row["term"]: row["english"] for row in _read("name_glossary.csv")}
    return terms, max(map(len, terms))


def _translate(text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """``text`` with each glossary term written in English, the longest that starts at each
    character (traditional Han read as simplified), and the (english, term) pairs met."""
    terms, longest = _glossary()
    simple = _chinese_tools()[0].convert(text) if _HAN.search(text) else text
    simple = simple if len(simple) == len(text) else text
    pieces: list[str] = []
    found: list[tuple[str, str]] = []
    at = 0
    while at < len(text):
        for size in range(min(longest, len(text) - at), 1, -1):
            english = terms.get(simple[at : at + size])
            if english:
                pieces.append(f" {english} ")
                found.append((english, text[at : at + size]))
                at += size
                break
        else:
            pieces.append(text[at])
            at += 1
    return "".join(pieces), tuple(found)
