"""The entry side of blocking laid out once per call (``Blocker.candidates``): each entry's
words and joined neighbour pairs as ids into one vocabulary of distinct tokens, its words'
weights as ``align_keys`` counts them, in arrays the compiled bound reads (``bound_kernel``).

A compiled loop splits the keys' bytes on spaces and numbers each distinct spelling through a
hash table; polars gives each distinct word its facts (letters, digits, numeral, class
factor); a second loop walks each entry's words once, in key order: which are numbers
(``align._key``: a numeral of letters opening a name of more words is a word, ``i``, ``v``
and ``x`` last in a name are numbers, a key of numbers only weighs them all), each repeated
word counted once with its count, and the joined pairs of neighbours, numbered through a
hash table too. No join on strings per entry row. The index lays out the listed side the same
way in polars (``blocking._words``); ``tests/test_entry_words.py`` holds the two equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import polars as pl
from numba import njit

from screener.match import align
from screener.match.align_batch import ROMAN, class_factor

_TOK = pl.col("tok")
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


class EntryTokens(NamedTuple):
    """Entries' words and tokens (``bound_kernel``'s entry arrays). Words are numbered in
    entry order: entry q's are ``qx_ptr[q]:qx_ptr[q + 1]``."""

    vocab: pl.DataFrame  # tok, _qj (a joined pair), _v (Int32): the distinct tokens
    qx_ptr: np.ndarray  # int32 CSR by entry of its distinct words
    xw: np.ndarray  # float32: letters x count x class factor, 0 for a number
    xnp: np.ndarray  # int32: count, 0 for a number or a joining word
    xlet: np.ndarray  # int32: a one-letter word's code point, else -1
    qt_ptr: np.ndarray  # int32 CSR by entry of its tokens
    qt_v: np.ndarray  # int32 token (``vocab._v``)
    qt_x: np.ndarray  # int32 its word, the first of a joined pair
    qt_x2: np.ndarray  # int32 its second word (``qt_x`` for a word)


@njit(cache=True, nogil=True)
def _same(text, a, b, n):  # type: ignore[no-untyped-def]
    """Bytes ``a``.. and ``b``.. of ``text`` agree for ``n`` bytes."""
    for i in range(n):  # noqa: SIM110 (numba: a loop, no generator)
        if text[a + i] != text[b + i]:
            return False
    return True


@njit(cache=True, nogil=True)
def _split(text, n_keys):  # type: ignore[no-untyped-def]
    """The keys in ``text`` (UTF-8, one a line) split on each space as ``str.split(" ")``
    splits them: per row its token id (distinct spellings numbered as first met, through a
    hash table), per key its rows (CSR), per token where its spelling starts and its bytes."""
    n_rows = n_keys
    for c in text:
        n_rows += c == 32
    size = 1
    while size < 2 * n_rows:
        size *= 2
    table = np.full(size, -1, np.int32)
    row_tok = np.empty(n_rows, np.int64)
    row_ptr = np.zeros(n_keys + 1, np.int64)
    tok_at, tok_len = np.empty(n_rows, np.int64), np.empty(n_rows, np.int64)
    n_tok, row, key, begin = 0, 0, 0, 0
    for end in range(text.size + 1):
        if end < text.size and text[end] != 32 and text[end] != 10:
            continue
        h = np.uint64(0xCBF29CE484222325)  # FNV-1a
        for i in range(begin, end):
            h = (h ^ np.uint64(text[i])) * np.uint64(0x100000001B3)
        slot = np.int64(h & np.uint64(size - 1))
        while True:
            t = table[slot]
            if t < 0:
                table[slot] = np.int32(n_tok)
                tok_at[n_tok], tok_len[n_tok] = begin, end - begin
                t = n_tok
                n_tok += 1
                break
            if tok_len[t] == end - begin and _same(text, tok_at[t], begin, end - begin):
                break
            slot = (slot + 1) & (size - 1)
        row_tok[row] = t
        row += 1
        begin = end + 1
        if end == text.size or text[end] == 10:
            key += 1
            row_ptr[key] = row
    return row_tok, row_ptr, tok_at[:n_tok], tok_len[:n_tok]


@njit(cache=True, nogil=True)
def _distinct(codes):  # type: ignore[no-untyped-def]
    """(each distinct code as first met, the id of each code among them), through a hash
    table: no sort."""
    size, bits = 2, 1
    while size < 2 * codes.size:
        size, bits = 2 * size, bits + 1
    table = np.full(size, -1, np.int64)
    distinct = np.empty(codes.size, np.int64)
    ids = np.empty(codes.size, np.int64)
    n = 0
    for i in range(codes.size):
        c = codes[i]
        slot = np.int64((np.uint64(c) * _GOLDEN) >> np.uint64(64 - bits))  # Fibonacci hashing
        while table[slot] >= 0 and distinct[table[slot]] != c:
            slot = (slot + 1) & (size - 1)
        if table[slot] < 0:
            table[slot] = n
            distinct[n] = c
            n += 1
        ids[i] = table[slot]
    return distinct[:n], ids


@njit(cache=True, nogil=True)
def _walk(row_ptr, tok, digit, roman, ivx):  # type: ignore[no-untyped-def]
    """Per entry (rows ``row_ptr[q]:row_ptr[q + 1]``, token ids ``tok``): its distinct words
    in first-seen order (token, count, a number at every place), each row's word, and the
    CSR offsets of the words."""
    n_q, n_rows = row_ptr.size - 1, tok.size
    slot = np.full(digit.size, -1, np.int64)
    x_tok = np.empty(n_rows, np.int64)
    x_n = np.zeros(n_rows, np.int64)
    x_num = np.zeros(n_rows, np.bool_)
    row_x = np.empty(n_rows, np.int64)
    num = np.zeros(n_rows, np.bool_)
    qx_ptr = np.zeros(n_q + 1, np.int64)
    nx = 0
    for q in range(n_q):
        lo, hi = row_ptr[q], row_ptr[q + 1]
        many = hi - lo > 1
        plain = False
        for i in range(lo, hi):
            t = tok[i]
            opens, last = many and i == lo, many and i == hi - 1
            num[i] = digit[t] or (roman[t] and not opens) or (last and ivx[t])
            plain = plain or not num[i]
        first = nx
        for i in range(lo, hi):
            t = tok[i]
            number = num[i] and plain  # a key of numbers only: each weighs
            if slot[t] < first:
                slot[t] = nx
                x_tok[nx], x_n[nx], x_num[nx] = t, 1, number
                nx += 1
            else:
                x = slot[t]
                x_n[x] += 1
                x_num[x] = x_num[x] and number
            row_x[i] = slot[t]
        qx_ptr[q + 1] = nx
    return x_tok[:nx], x_n[:nx], x_num[:nx], row_x, qx_ptr


@njit(cache=True, nogil=True)
def _tokens(row_ptr, row_x, x_ptr, pair_v, n_words):  # type: ignore[no-untyped-def]
    """Each entry's tokens: its words (token = the word's token id), then its joined pairs in
    order (``pair_v``: the pair's token id, one per neighbour pair, ``n_words`` up)."""
    n_q = row_ptr.size - 1
    size = x_ptr[n_q] + pair_v.size
    qt_ptr = np.zeros(n_q + 1, np.int32)
    qt_x, qt_x2 = np.empty(size, np.int32), np.empty(size, np.int32)
    qt_v = np.empty(size, np.int32)
    at, p = 0, 0
    for q in range(n_q):
        for x in range(x_ptr[q], x_ptr[q + 1]):
            qt_x[at] = qt_x2[at] = x
            qt_v[at] = -1  # the word's token, filled in by the caller
            at += 1
        for i in range(row_ptr[q], row_ptr[q + 1] - 1):
            qt_v[at] = n_words + pair_v[p]
            qt_x[at], qt_x2[at] = row_x[i], row_x[i + 1]
            at += 1
            p += 1
        qt_ptr[q + 1] = at
    return qt_ptr, qt_v, qt_x, qt_x2


def _spelt(text: np.ndarray, at: np.ndarray, length: np.ndarray) -> pl.Series:
    """The tokens ``text[at[i]:at[i] + length[i]]`` (UTF-8) as strings."""
    ends = np.cumsum(length + 1)
    picked = np.repeat(at - (ends - length - 1), length + 1) + np.arange(int(ends[-1]))
    spelt = text[np.minimum(picked, text.size - 1)]  # the byte after each token: a separator
    spelt[ends - 1] = 10
    return pl.Series(spelt[:-1].tobytes().decode().split("\n"), dtype=pl.String)


def entry_tokens(keys: Sequence[str]) -> EntryTokens:
    """The ``EntryTokens`` of ``keys`` (``normalize_name`` output, no line breaks)."""
    text = "\n".join(keys).encode()
    if not keys or text.count(b"\n") != len(keys) - 1:
        raise ValueError("entry keys: at least one, and no line breaks")
    buf = np.frombuffer(text, np.uint8)
    row_tok, row_ptr, tok_at, tok_len = _split(buf, len(keys))
    words = _spelt(buf, tok_at, tok_len)
    facts = words.to_frame("tok").select(
        _digit=_TOK.str.contains(r"\d"),
        _roman=_TOK.str.contains(ROMAN) & _TOK.str.contains(r"^[ivxlc]{2,}$"),
        _ivx=_TOK.is_in(["i", "v", "x"]),
        _len=_TOK.str.len_chars(),
        _f=class_factor(_TOK),
        _let=pl.when(_TOK.str.len_chars() == 1).then(_TOK.str.head(1)),
    )
    x_tok, x_n, x_num, row_x, qx_ptr = _walk(
        row_ptr,
        row_tok,
        facts.get_column("_digit").to_numpy(),
        facts.get_column("_roman").to_numpy(),
        facts.get_column("_ivx").to_numpy(),
    )
    factor = facts.get_column("_f").to_numpy()[x_tok]
    letters = facts.get_column("_len").to_numpy().astype(np.int64)[x_tok] * x_n
    xw = (letters * np.where(x_num, 0.0, factor)).astype(np.float32)
    xnp = np.where(x_num | (factor == align.STOP), 0, x_n).astype(np.int32)
    let = facts.get_column("_let").str.encode("hex").str.to_integer(base=16, strict=False)
    xlet = let.fill_null(-1).cast(pl.Int32).to_numpy()[x_tok]

    row_q = np.repeat(np.arange(len(keys)), np.diff(row_ptr))
    nxt = np.flatnonzero(np.diff(row_q) == 0)  # rows followed by a word of the same key
    pair = row_tok[nxt] * words.len() + row_tok[nxt + 1]
    distinct, pair_v = _distinct(pair)
    a, b = np.divmod(distinct, words.len())
    joined = words.gather(a) + words.gather(b)
    qt_ptr, qt_v, qt_x, qt_x2 = _tokens(row_ptr, row_x, qx_ptr, pair_v, words.len())
    is_word = qt_v < 0
    qt_v[is_word] = x_tok[qt_x[is_word]]
    vocab = pl.concat(
        [
            words.to_frame("tok").with_columns(_qj=pl.lit(False)),
            joined.to_frame("tok").with_columns(_qj=pl.lit(True)),
        ]
    ).with_row_index("_v")
    return EntryTokens(
        vocab=vocab.select("tok", "_qj", pl.col("_v").cast(pl.Int32)),
        qx_ptr=qx_ptr.astype(np.int32),
        xw=xw,
        xnp=xnp,
        xlet=xlet.astype(np.int32),
        qt_ptr=qt_ptr,
        qt_v=qt_v,
        qt_x=qt_x,
        qt_x2=qt_x2,
    )
