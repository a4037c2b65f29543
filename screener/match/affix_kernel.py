"""``typos.affix_links``' look-up, compiled by numba: each head and tail of an entry word
(``AFFIX_MIN`` letters up to one less than the word) hashed as ``typo_kernel`` hashes a
spelling, looked up among the listed tokens' own hashes (sorted, with a ``directory``), and
kept where the spellings agree letter for letter. No string is made for an affix: for 62,000
entry words, 0.04 s of CPU and some 6,500 page faults of polars strings -> 0.025 s and none."""

from __future__ import annotations

import numpy as np
from numba import njit

from screener.match.threads import split_runs
from screener.match.typo_kernel import _finish, directory_bits


@njit(cache=True, nogil=True, inline="always")
def _spelt(q_buf, a, l_buf, l_off, g, n):  # type: ignore[no-untyped-def]
    """Listed token ``g`` is spelt as ``q_buf[a:a + n]``."""
    lo = l_off[g]
    if l_off[g + 1] - lo != n:
        return False
    for i in range(n):  # noqa: SIM110 (numba: a loop, no generator)
        if l_buf[lo + i] != q_buf[a + i]:
            return False
    return True


@njit(cache=True, nogil=True)
def _affixes(  # type: ignore[no-untyped-def]
    q_buf, q_off, l_buf, l_off, weights, length_mul, hashes, ids, d, bits, least, lo, hi
):
    """(query word, listed position) of words ``lo``..``hi`` and the listed tokens one of
    their heads or tails spells."""
    shift = np.uint64(64 - bits)
    one = np.uint64(1)
    out_q, out_p = np.empty(256, np.int64), np.empty(256, np.int64)
    n_out = 0
    for i in range(lo, hi):
        a, n = q_off[i], q_off[i + 1] - q_off[i]
        if n <= least:
            continue
        head = np.uint64(0)
        for k in range(least - 1):
            head += weights[k] * (np.uint64(q_buf[a + k]) + one)
        for size in range(least, n):
            head += weights[size - 1] * (np.uint64(q_buf[a + size - 1]) + one)
            tail = np.uint64(0)
            for k in range(size):
                tail += weights[k] * (np.uint64(q_buf[a + n - size + k]) + one)
            for start, h in ((a, head), (a + n - size, tail)):
                h = _finish(h, size, length_mul)
                b = np.int64(h >> shift)
                for j in range(d[b], d[b + 1]):
                    if hashes[j] == h and _spelt(q_buf, start, l_buf, l_off, ids[j], size):
                        if n_out == out_q.size:
                            out_q = np.concatenate((out_q, np.empty_like(out_q)))
                            out_p = np.concatenate((out_p, np.empty_like(out_p)))
                        out_q[n_out], out_p[n_out] = i, ids[j]
                        n_out += 1
    return out_q[:n_out], out_p[:n_out]


def affix_pairs(
    q_words: tuple[np.ndarray, np.ndarray],
    l_words: tuple[np.ndarray, np.ndarray],
    spelt: tuple[np.ndarray, np.ndarray, np.ndarray],
    weights: np.ndarray,
    length_mul: int,
    least: int,
) -> tuple[np.ndarray, np.ndarray]:
    """(query word, listed token) of each head or tail of ``least`` letters or more, short of
    the whole word, that spells a listed token. Words are (code points, offsets); ``spelt``
    the listed tokens' own hashes (``typos.hash_strings``) sorted, each one's token and their
    ``directory`` (``typos.Tokens``); ``weights`` cover the longest query word. Each pair as
    often as it is met, on two threads."""
    hashes, order, d = spelt
    bits = directory_bits(hashes.size)
    args = (*q_words, *l_words, weights, np.uint64(length_mul), hashes, order, d, bits, least)
    parts = split_runs(q_words[1].size - 1, lambda lo, hi: _affixes(*args, lo, hi))
    return np.concatenate([q for q, _ in parts]), np.concatenate([p for _, p in parts])
