"""Blocking: the (entry key, listed key) pairs worth scoring, never every pair (DESIGN §5).

``align_keys`` gives a hit only when most of the listed name is found in the entry: each listed
word meets its best entry counterpart (equal; a typo, ``fuzz.ratio`` >= 75 with 4+ letters,
generic words nearly equal or plural; two adjacent words joined on either side; an initial);
words weigh their letters times their class factor (``align.GENERIC``, ``PLACE``, ``STOP``);
the score is ``w * cover(listed) + (1 - w) * cover(entry)`` less penalties for missing and
extra words, ``w`` = ``WEIGHT`` (``WEIGHT_FLAT`` when the listed name has no distinctive word).
Blocking bounds that score from above, in polars joins and compiled loops (numba), never a
Python loop over pairs:

1. *links*: distinct entry words and joined neighbour pairs meet distinct listed words and
   listed joined pairs: equal (a join); sharing a hashed deletion variant (``typos.typo_links``:
   up to two letters deleted on a listed word, three on a long entry word, two on listed joined
   pairs up to ``JOINED_DEEP`` of them, else one, and one on entry joined pairs; a compiled
   hash look-up, then ``fuzz.ratio`` >= ``WORD_FLOOR``, in ``typo_kernel``); a listed word or pair
   an entry word begins or ends with (``typos.affix_links``); a vowel-poor word and a word with
   its consonants (``typos.skeleton_links``); generic words only at ``GENERIC_FLOOR`` or as
   another form of one stem (``typos.stem_links``: ``trading`` ~ ``trade``). Linked once for
   all entries, at a cost that grows with the vocabularies, not with their product;
2. *signature*: a name can only reach the index's ``floor`` if the entry holds one of its
   rarest words or joined pairs (prefix filter on document frequency). A name whose signature
   needs a word found in more than ``FREQUENT`` of the names posts pairs of words instead: the
   entry holds two. An entry with an initial (``v putin``) meets every name of the words it
   holds;
3. *bound* (``bound.py``): each held word credited as ``word_score`` would at best credit it
   from its ``fuzz.ratio`` (a joined pair only where it nearly beats its own words), the
   words held by neither side counted as missing and extra, the score must reach
   ``min_score`` (the review threshold less ``MARGIN``); names are met through the signature
   postings of the units an entry holds, and bounded one entry at a time by a compiled loop
   (``bound_kernel``), no pair table built;
4. *compact*: equal space-free keys (``chi deng xitu`` ~ ``chidengxitu``) always; space-free
   keys at ``fuzz.ratio`` >= ``COMPACT_MIN`` by deletion variants (one letter), on lists of
   up to ``JOINED_DEEP`` keys.

The entries' words and joined pairs are laid out once, as ids into one vocabulary of distinct
tokens (``entry_words``); the kinds of link run two at a time on threads, and the compact step
runs on a thread of its own meanwhile: none needs another's result.

Known gaps: acronyms (``pla`` ~ ``peoples liberation army``); typos past the deletion depth
(``santoszetound`` ~ ``santos tounjand`` needs three deletions on the listed joined pair;
``tane`` ~ ``tandbe`` two on a short listed word; past ``JOINED_DEEP``, ``olgamartin`` ~
``olga martinez`` needs two); entry words that are themselves listed words are not tried
against listed joined pairs. ``bench_match.py`` measures
recall against an exhaustive ``align_keys`` run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import polars as pl

from screener.match import align
from screener.match.align_batch import ROMAN, class_factor
from screener.match.bound import NameArrays, bound, name_arrays
from screener.match.entry_words import entry_tokens
from screener.match.terms import load_words
from screener.match.threads import pool
from screener.match.typos import (
    Tokens,
    VariantTable,
    affix_links,
    deletion_variants,
    skeleton_links,
    skeletons,
    stem,
    stem_links,
    tokens,
    typo_links,
    variant_table,
    word_stems,
)

# The bound follows the scorer's own constants, so a change there moves the blocking with it.
FLOOR = 80.0  # the lowest ``min_score`` an index supports unless built with a lower floor
MARGIN = 2.0  # min_score = review threshold - MARGIN: rounding, and what the bound leaves out
WEIGHT, WEIGHT_FLAT = align.LISTED_WEIGHT, align.FLAT_WEIGHT
WORD_FLOOR, GENERIC_FLOOR = int(align.TOKEN_FLOOR), int(align.VOCABULARY_MIN) - 3
FUZZY_MIN = align.SHORT
JOIN_SLACK = 10
WORD_LINKS_MAX = 100_000  # listed words whose links to one another the index holds (see
# Blocker.with_word_links); past it they are found for the entry words spelt as listed ones
JOINED_DEEP = 250_000  # listed joined pairs up to this many delete two letters, past it one;
# space-free keys of lists up to this many keys are typo-linked, past it only when equal
FREQUENT, FREQUENT_MIN = 0.0001, 20
_SPAN = 0.6  # fuzz.ratio >= 75 needs the shorter token at least 0.6 of the longer
_I, _L = pl.Int32, pl.Int64
_TOK = pl.col("tok")


def _fuzzable(tokens: pl.DataFrame) -> pl.DataFrame:
    """Tokens a typo can reach: ``FUZZY_MIN`` letters or more, no digit."""
    return tokens.filter((_TOK.str.len_chars() >= FUZZY_MIN) & ~_TOK.str.contains(r"\d"))


def _frame(keys: Sequence[str], idx: str) -> pl.DataFrame:
    frame = pl.DataFrame({"key": list(keys)}, schema={"key": pl.String}).with_row_index(idx)
    return frame.with_columns(pl.col(idx).cast(_I))


def _split(frame: pl.DataFrame, idx: str) -> pl.DataFrame:
    """(idx, tok): the words of each key, in order."""
    return frame.select(idx, tok=pl.col("key").str.split(" ")).explode("tok")


def _words(words: pl.DataFrame, idx: str) -> pl.DataFrame:
    """Words of each key (``_split``): (idx, tok, _w weight, _dist distinctive, _np words counted
    as extra when unmatched), numbers and class factors as ``align_keys`` weighs them."""
    key = pl.col(idx)  # rows in key order (``_split``): neighbours tell a key's ends, no window
    last = (key != key.shift(-1)).fill_null(True) & (key == key.shift(1)).fill_null(False)
    opens = (key != key.shift(1)).fill_null(True) & (key == key.shift(-1)).fill_null(False)
    number = (
        _TOK.str.contains(r"\d")
        | (_TOK.str.contains(ROMAN) & _TOK.str.contains(r"^[ivxlc]{2,}$") & ~opens)
        | (last & _TOK.is_in(["i", "v", "x"]))
    )  # a numeral of letters opening a name of more words is a name (align._key)
    words = words.with_columns(_num=number, _f=class_factor(_TOK))
    numbers = words.filter("_num").select(idx).unique()
    only = numbers.join(words.filter(~pl.col("_num")), on=idx, how="anti")  # keys of numbers
    words = (
        words.with_columns(_num=pl.col("_num") & ~key.is_in(only.get_column(idx).implode()))
        .group_by(idx, "tok")
        .agg(_n=pl.len(), _num=pl.col("_num").all(), _f=pl.col("_f").first())
    )
    return words.select(
        idx,
        "tok",
        _w=(
            _TOK.str.len_chars() * pl.col("_n") * pl.when("_num").then(0.0).otherwise(pl.col("_f"))
        ).cast(pl.Float32),
        _dist=~pl.col("_num") & (pl.col("_f") == 1.0),
        _np=pl.when(pl.col("_num") | (pl.col("_f") == align.STOP))
        .then(0)
        .otherwise("_n")
        .cast(pl.UInt32),
    )


def _joined(words: pl.DataFrame, idx: str) -> pl.DataFrame:
    """Joined neighbour words of each key (``_split``): (idx, tok, _a, _b)."""
    same = pl.col(idx) == pl.col(idx).shift(-1)  # rows in key order: the next word of the key
    joined = words.with_columns(_b=_TOK.shift(-1)).filter(same)
    return joined.select(idx, tok=_TOK + pl.col("_b"), _a="tok", _b="_b")


@dataclass(frozen=True)
class Blocker:
    """Candidate generation over distinct listed keys; ``_k`` indexes the keys it was built on.

    A *unit* ``_u`` is a listed word (``_t`` >= 0) or a listed joined pair (``-1 - _g`` < 0).
    """

    units: pl.DataFrame  # _k, _u, _w, _np, _first, _ta, _tb: words, joined pairs
    totals: pl.DataFrame  # _k, _tot, _nm, _lw: word weight, words, listed-side weight
    targets: pl.DataFrame  # _g (its row), tok, _u, _joined, _generic: listed words, joined pairs
    sig: pl.DataFrame  # _u, _k: signature units
    sig2: pl.DataFrame  # _a, _b, _k: signature word pairs, _a the rarer
    flat: pl.DataFrame  # flat, _k
    variants: pl.DataFrame  # _g, _h: hashed deletion variants of the listed words, by _h
    skeletons: pl.DataFrame  # _g, _h, _n, _k, _poor: the listed words' skeletons (typos.py)
    word_links: pl.DataFrame  # _t, _g, _r: listed words' links to the others (with_word_links)
    compact: pl.DataFrame  # _g (a _k), _h: deletion variants of the space-free keys, by _h
    size: pl.DataFrame  # n_keys, n_vocab, floor

    @classmethod
    def build(cls, keys: Sequence[str], floor: float = FLOOR) -> Blocker:
        """Index distinct listed keys (``normalize_name`` output, non-empty) for candidates of
        ``min_score`` >= ``floor``."""
        frame = _frame(keys, "_k")
        split = _split(frame, "_k")
        words, joined = _words(split, "_k"), _joined(split, "_k")
        vocab = words.select("tok").unique(maintain_order=True).with_row_index("_t")
        vocab = vocab.with_columns(pl.col("_t").cast(_I))
        generic = pl.Series(sorted(load_words().generic)).implode()
        jvocab = joined.select("tok").unique(maintain_order=True).with_row_index("_g", vocab.height)
        targets = pl.concat(
            [
                vocab.select(_g="_t", tok="tok", _u="_t", _joined=pl.lit(False)),
                jvocab.select(
                    pl.col("_g").cast(_I),
                    "tok",
                    _u=-1 - pl.col("_g").cast(_I),
                    _joined=pl.lit(True),
                ),
            ]
        ).with_columns(_generic=_TOK.is_in(generic))
        words = words.join(vocab, on="tok").with_columns(_u="_t", _first=_TOK.str.head(1))
        totals = words.group_by("_k").agg(
            _tot=pl.col("_w").sum(),
            _nm=pl.col("_np").sum(),
            _lw=pl.when(pl.col("_dist").any()).then(WEIGHT).otherwise(WEIGHT_FLAT),
        )
        pair_w = (
            joined.join(words.select("_k", _a="tok", _wa="_w"), on=["_k", "_a"])
            .join(words.select("_k", _b="tok", _wb="_w"), on=["_k", "_b"])
            .join(targets.filter("_joined").select("tok", "_u"), on="tok")
            .join(vocab.select(_a="tok", _ta="_t"), on="_a")
            .join(vocab.select(_b="tok", _tb="_t"), on="_b")
            .select("_k", "_u", "_a", "_b", "_ta", "_tb", _w=pl.col("_wa") + pl.col("_wb"))
        )
        units = pl.concat(
            [
                words.select(
                    "_k", "_u", "_w", "_np", "_first", _ta=pl.lit(None, _I), _tb=pl.lit(None, _I)
                ),
                pair_w.select(
                    "_k",
                    "_u",
                    "_w",
                    _np=pl.lit(0, pl.UInt32),
                    _first=pl.lit(None, pl.String),
                    _ta="_ta",
                    _tb="_tb",
                ),
            ]
        )
        cap = max(FREQUENT_MIN, int(FREQUENT * len(keys)))
        pairs = _fuzzable(targets.filter("_joined"))
        flat = frame.select(flat=pl.col("key").str.replace_all(" ", ""), _k="_k")
        blocker = cls(  # the compiled look-up's tables too: part of the index, not of a query
            units=units.sort("_k"),
            totals=totals,
            targets=targets,
            **_signature(words, pair_w, totals, cap, floor),
            flat=flat,
            variants=pl.concat(
                [
                    deletion_variants(_fuzzable(targets.filter(~pl.col("_joined"))), "_g"),
                    deletion_variants(pairs, "_g", 1 if pairs.height > JOINED_DEEP else 2),
                ]
            )
            .unique()
            .sort("_h"),
            skeletons=skeletons(targets.filter(~pl.col("_joined")), "_g"),
            compact=deletion_variants(flat.select(_g="_k", tok="flat"), "_g", 1).sort("_h")
            if len(keys) <= JOINED_DEEP
            else pl.DataFrame(schema={"_g": _I, "_h": pl.UInt64}),
            size=pl.DataFrame({"n_keys": [len(keys)], "n_vocab": [vocab.height], "floor": [floor]}),
            word_links=pl.DataFrame(schema={"_t": _I, "_g": _I, "_r": pl.UInt8}),
        ).prepared()
        return blocker.with_word_links()

    def with_word_links(self) -> Blocker:
        """This index with ``word_links``: the links an entry word spelt as a listed word holds
        to the other listed words (typos, affixes, skeletons, stems), the same for any entry,
        so found once when the index is built, for lists of up to ``WORD_LINKS_MAX`` words
        (past that they cost more to load each night than to find for the entry words that
        need them: 447,000 words, 33 million links, 22 s to build, 2 s to load). The derived
        tables stay laid out."""
        words = _fuzzable(self.targets.filter(~pl.col("_joined"))).select(_v="_g", tok="tok")
        if words.height > WORD_LINKS_MAX:
            return self
        links = pl.concat([job() for job in self._word_link_jobs(words)])
        blocker = replace(self, word_links=links.select(_t="_v", _g="_g", _r="_r").sort("_t"))
        blocker.__dict__.update({k: v for k, v in self.__dict__.items() if k in _DERIVED})
        return blocker

    @property
    def has_word_links(self) -> bool:
        """Whether the index holds ``word_links`` (``with_word_links``); where it holds none,
        finding them for the entry words that need them gives the same links."""
        return not self.word_links.is_empty()

    def _word_link_jobs(self, words: pl.DataFrame) -> list[Callable[[], pl.DataFrame]]:
        """The links of entry words spelt as listed words (``words``: _v, tok) to the other
        listed words, one job a kind: (_v, _g, _r)."""
        listed = self.listed_words
        return [
            lambda: typo_links(words, listed, self.variant_table, WORD_FLOOR),
            lambda: affix_links(words, listed, WORD_FLOOR),
            lambda: skeleton_links(words, self.skeletons),
            lambda: stem_links(words, self.stems, load_words().generic),
        ]

    def _links(self, qvocab: pl.DataFrame) -> pl.DataFrame:
        """(_v, _u, _r): distinct entry tokens (``qvocab``: tok, _qj a joined pair, _v its row
        number) that hold unit ``_u`` at ``fuzz.ratio`` ``_r``. The kinds of link are
        independent: they run two at a time."""
        qw, qj = _fuzzable(qvocab.filter(~pl.col("_qj"))), _fuzzable(qvocab.filter("_qj"))
        tw = self.targets.filter(~pl.col("_joined"))
        table, generic = self.variant_table, load_words().generic
        qnew = qw.join(tw, on="tok", how="anti")  # a listed word as it is: its joins never win
        qold = qw.join(tw.select("tok", _t="_g"), on="tok")  # but it may hold other listed words
        jobs: list[Callable[[], pl.DataFrame]] = [
            lambda: typo_links(qnew, self.listed_tokens, table, WORD_FLOOR),
            lambda: typo_links(qj, self.listed_words, table, WORD_FLOOR, 1),
            lambda: skeleton_links(qnew, self.skeletons),
            lambda: affix_links(qnew, self.listed_tokens, WORD_FLOOR),
            lambda: stem_links(qnew, self.stems, generic),
        ]  # the longest first
        if self.has_word_links:
            jobs.append(
                lambda: qold.join(self.word_links, on="_t").select(
                    pl.col("_v").cast(_I), "_g", "_r"
                )
            )
        else:
            jobs += self._word_link_jobs(qold.select("_v", "tok"))
        parts = list(pool("links").map(lambda job: job(), jobs))
        fuzzy = pl.concat(parts)
        v, g = fuzzy.get_column("_v").to_numpy(), fuzzy.get_column("_g").to_numpy()
        is_generic = ~pl.col("_qj") & _TOK.is_in(pl.Series(sorted(generic)).implode())
        entry = qvocab.select("_qj", _qgen=is_generic)  # by row: _v is the row
        listed = self.targets  # by row: _g is the row
        fuzzy = fuzzy.with_columns(
            _qj=pl.Series(entry.get_column("_qj").to_numpy()[v]),
            _u=pl.Series(listed.get_column("_u").to_numpy()[g]),
            _joined=pl.Series(listed.get_column("_joined").to_numpy()[g]),
            _vague=pl.Series(
                listed.get_column("_generic").to_numpy()[g]
                | entry.get_column("_qgen").to_numpy()[v]
            ),
        )
        vague = fuzzy.filter("_vague")
        vague = vague.with_columns(
            tok=qvocab.get_column("tok").gather(vague.get_column("_v")),
            _tok=listed.get_column("tok").gather(vague.get_column("_g")),
        )
        same = stem(_TOK) == stem(pl.col("_tok"))  # on the generic links only: strings are slow
        generic_links = vague.lazy().with_columns(_same=same).collect()
        near = (pl.col("_r") >= GENERIC_FLOOR) | pl.col("_same")
        generic_links = generic_links.filter(near).with_columns(
            _r=pl.when("_same")
            .then(pl.max_horizontal("_r", pl.lit(int(align.PLURAL), pl.UInt8)))
            .otherwise("_r")
        )  # word_score: a generic word meets its other forms at PLURAL
        kept = ["_v", "_qj", "_u", "_joined", "_r"]
        exact = qvocab.join(self.targets, on="tok").select(
            pl.col("_v").cast(_I), "_qj", "_u", "_joined", _r=pl.lit(100, pl.UInt8)
        )
        links: pl.DataFrame = pl.concat(
            [exact, fuzzy.filter(~pl.col("_vague")).select(kept), generic_links.select(kept)]
        ).filter(~(pl.col("_qj") & pl.col("_joined")))  # align_keys joins one side at a time
        return links.select("_v", "_u", "_r")

    @cached_property
    def stems(self) -> pl.DataFrame:
        """The listed words' stems (``typos.word_stems``), for ``stem_links``."""
        words = self.targets.filter(~pl.col("_joined")).select("_g", "tok")
        return word_stems(words, load_words().generic)

    @cached_property
    def listed_tokens(self) -> Tokens:
        """``targets`` (words and joined pairs) as the look-ups read them."""
        return tokens(self.targets)

    @cached_property
    def listed_words(self) -> Tokens:
        """The listed words (``targets`` less joined pairs) as the look-ups read them."""
        return tokens(self.targets.filter(~pl.col("_joined")))

    @cached_property
    def listed_flat(self) -> Tokens:
        """The space-free keys (``flat``: _g its ``_k``) as the look-ups read them."""
        return tokens(self.flat.select(_g="_k", tok="flat"))

    @cached_property
    def variant_table(self) -> VariantTable:
        """``variants`` with their directory, as ``typo_links`` looks them up."""
        return variant_table(self.variants)

    @cached_property
    def compact_table(self) -> VariantTable:
        """``compact`` with its directory, as ``typo_links`` looks them up."""
        return variant_table(self.compact)

    @cached_property
    def arrays(self) -> NameArrays:
        """The names, postings and signatures as the compiled bound takes them."""
        return name_arrays(self)

    @property
    def floor(self) -> float:
        """The lowest ``min_score`` this index answers for (its signature's)."""
        return float(self.size.item(0, "floor"))

    def candidates(self, query_keys: Sequence[str], min_score: float | None = None) -> pl.DataFrame:
        """(_q, _k) Int64 pairs worth scoring: indexes into ``query_keys`` and the listed keys,
        every pair whose score bound reaches ``min_score`` (default: the index's floor; lower
        is an error, an index built for it is needed).

        Tokens are linked once for all entries (``_links``); each entry's names are bounded from
        its tokens' links (``bound``)."""
        least = self.floor if min_score is None else min_score
        if least < self.floor:
            raise ValueError(f"min_score {least} is below this index's floor {self.floor}")
        if not query_keys:
            return pl.DataFrame(schema={"_q": _L, "_k": _L})
        compact = pool("compact", 1).submit(self._compact, query_keys)  # needs no links
        entries = entry_tokens(query_keys)
        links = self._links(entries.vocab)
        parts = [bound(self, entries, links, least, JOIN_SLACK)]
        parts.append(compact.result())
        return (
            pl.concat(parts)
            .unique()
            .select(pl.col("_q").cast(_L), pl.col("_k").cast(_L))
            .sort("_q", "_k")
        )

    def _compact(self, query_keys: Sequence[str]) -> pl.DataFrame:
        """(_q, _k): entries and names of equal space-free keys, or a typo apart at
        ``align.COMPACT_MIN`` (lists of up to ``JOINED_DEEP`` keys)."""
        flat = _frame(query_keys, "_q").select("_q", flat=pl.col("key").str.replace_all(" ", ""))
        parts = [flat.join(self.flat, on="flat").select("_q", "_k")]
        if not self.compact.is_empty():
            distinct = flat.select(tok="flat").unique().with_row_index("_v")
            near = typo_links(
                distinct,
                self.listed_flat,
                self.compact_table,
                align.COMPACT_MIN,
                1,
            ).join(distinct.select(pl.col("_v").cast(_I), flat="tok"), on="_v")
            parts.append(flat.join(near, on="flat").select("_q", _k="_g"))
        return pl.concat(parts)

    def save(self, directory: Path) -> None:
        """Write the index as Parquet files, atomically: a temp dir beside it, then a rename."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
        try:
            for f in fields(self):
                getattr(self, f.name).write_parquet(tmp / f"{f.name}.parquet")
            if directory.exists():
                shutil.rmtree(directory)
            os.replace(tmp, directory)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> Blocker:
        """Read an index written by ``save``."""
        frames = (pl.read_parquet(directory / f"{f.name}.parquet") for f in fields(cls))
        return cls(*frames).prepared()

    def prepared(self) -> Blocker:
        """This index with the tables it derives from its frames laid out (variant directories,
        stems, name arrays): index work, done when it is built or loaded."""
        rows = self.targets.get_column("_g").to_numpy()
        if not np.array_equal(rows, np.arange(rows.size)):
            raise ValueError("index targets out of order: _g must be the row number")
        for table in _DERIVED:
            getattr(self, table)
        return self


_DERIVED = (  # cached_property tables
    "variant_table",
    "compact_table",
    "stems",
    "arrays",
    "listed_tokens",
    "listed_words",
    "listed_flat",
)


def _signature(
    words: pl.DataFrame, pairs: pl.DataFrame, totals: pl.DataFrame, cap: int, floor: float
) -> dict[str, pl.DataFrame]:
    """``sig``: the rarest words a hit must hold one of (and the joined pairs they are in);
    ``sig2``: for names whose signature needs a frequent word, pairs it must hold two of."""
    rest = (1 - (floor / 100 - (1 - pl.col("_lw"))) / pl.col("_lw")) * pl.col("_tot")
    ranked = (
        words.with_columns(_df=pl.len().over("_t"))
        .join(totals, on="_k")
        .sort("_k", pl.col("_w") == 0, "_df", "_w", descending=[False, False, False, True])
        .with_columns(
            _cum=pl.col("_w").cum_sum().over("_k"),
            _max=pl.col("_w").cum_max().over("_k"),
            _rank=pl.int_range(pl.len()).over("_k"),
        )
        .with_columns(_one=pl.col("_cum") > rest, _two=pl.col("_cum") - pl.col("_max") > rest)
        .with_columns(
            _sig=~pl.col("_one").shift(1).over("_k").fill_null(False) & (pl.col("_w") > 0),
            _in2=~pl.col("_two").shift(1).over("_k").fill_null(False) & (pl.col("_w") > 0),
        )
        .with_columns(
            _pairs=(pl.col("_sig") & (pl.col("_df") > cap)).any().over("_k")
            & pl.col("_two").any().over("_k")
        )
        .with_columns(_post=pl.when("_pairs").then("_in2").otherwise("_sig"))
    )
    singles = ranked.filter(pl.col("_sig") & ~pl.col("_pairs")).select("_u", "_k")
    part = ranked.filter(pl.col("_pairs") & pl.col("_in2")).select("_k", "_t", "_rank")
    doubles = (
        part.join(part, on="_k", suffix="_b")
        .filter(pl.col("_rank") < pl.col("_rank_b"))
        .select(_a="_t", _b="_t_b", _k="_k")
    )
    posted = ranked.filter("_post").select("_k", "tok")
    joined = pl.concat(
        [pairs.join(posted, left_on=["_k", side], right_on=["_k", "tok"]) for side in ("_a", "_b")]
    ).select("_u", "_k")
    return {"sig": pl.concat([singles, joined]).unique(), "sig2": doubles}
