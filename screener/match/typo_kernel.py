"""``typos.typo_links``' inner loops, compiled by numba: a merge join of sorted deletion-variant
hashes, and ``fuzz.ratio`` of the pairs it finds.

- ``merge_pairs``: the query's variants come packed, ``hash & ~mask | query id``, and sorted, so
  one sort of plain integers orders them; the listed variants are sorted by hash when the index
  is built. Either side skips ahead by galloping, so a few queries cost their logarithm in the
  listed side, not its length. Hashes are compared on their high bits (``~mask``): a pair that
  only shares those is one more pair to verify, never a lost one.
- ``ratios``: ``fuzz.ratio`` = ``200 * LCS / (len1 + len2)``, rounded as rapidfuzz rounds it
  into ``uint8``, 0 below ``floor``; the longest common subsequence by the bit-parallel method
  (Allison-Dix, Hyyrö) for a first word of up to 64 letters, by dynamic programming past that.
  ``tests/test_kernels.py`` checks it against ``process.cpdist`` pair by pair.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, inline="always")
def _gallop(values, start, least):  # type: ignore[no-untyped-def]
    """The first index from ``start`` whose value is ``>= least`` (``values`` sorted), found by
    doubling steps then halving: a short skip costs little, a long one its logarithm."""
    step, low = 1, start
    while low + step < values.size and values[low + step] < least:
        low += step
        step *= 2
    high = min(low + step, values.size)
    while low < high:
        middle = (low + high) // 2
        if values[middle] < least:
            low = middle + 1
        else:
            high = middle
    return low


@njit(cache=True, nogil=True)
def _merge(packed, high, listed_h, out_q, out_g, listed_g, mask):  # type: ignore[no-untyped-def]
    """The pairs of runs of equal ``high`` bits: their number, and written out when ``out_q``
    has room for them (a first pass counts, a second writes)."""
    n, i, j = 0, 0, 0
    write = out_q.size > 0
    while i < packed.size and j < listed_h.size:
        a = packed[i] & high
        b = listed_h[j] & high
        if a < b:
            i = _gallop(packed, i, b)
        elif b < a:
            j = _gallop(listed_h, j, a)
        else:
            i_end, j_end = i + 1, j + 1
            while i_end < packed.size and packed[i_end] & high == a:
                i_end += 1
            while j_end < listed_h.size and listed_h[j_end] & high == a:
                j_end += 1
            if write:
                for x in range(i, i_end):
                    for y in range(j, j_end):
                        out_q[n] = packed[x] & mask
                        out_g[n] = listed_g[y]
                        n += 1
            else:
                n += (i_end - i) * (j_end - j)
            i, j = i_end, j_end
    return n


def merge_pairs(
    packed: np.ndarray, mask: np.uint64, listed_h: np.ndarray, listed_g: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(query id, listed id) of every query variant (``packed``, sorted) and listed variant
    (``listed_h`` sorted, ``listed_g``) whose hashes agree outside ``mask``."""
    high = ~mask
    none = np.empty(0, np.uint64)
    n = _merge(packed, high, listed_h, none, none.astype(np.int64), listed_g, mask)
    out_q, out_g = np.empty(n, np.uint64), np.empty(n, np.int64)
    if n:
        _merge(packed, high, listed_h, out_q, out_g, listed_g, mask)
    return out_q.astype(np.int64), out_g


@njit(cache=True, nogil=True, inline="always")
def _popcount(v):  # type: ignore[no-untyped-def]
    v = v - ((v >> np.uint64(1)) & np.uint64(0x5555555555555555))
    v = (v & np.uint64(0x3333333333333333)) + ((v >> np.uint64(2)) & np.uint64(0x3333333333333333))
    v = (v + (v >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return (v * np.uint64(0x0101010101010101)) >> np.uint64(56)


@njit(cache=True, nogil=True)
def _lcs_dp(a, b):  # type: ignore[no-untyped-def]
    row = np.zeros(b.size + 1, np.int32)
    for x in range(a.size):
        diag = 0
        for y in range(b.size):
            up = row[y + 1]
            row[y + 1] = diag + 1 if a[x] == b[y] else max(up, row[y])
            diag = up
    return row[b.size]


@njit(cache=True, nogil=True)
def ratios(q_buf, q_off, l_buf, l_off, qi, g, floor):  # type: ignore[no-untyped-def]
    """``fuzz.ratio`` of query word ``qi[n]`` (``q_buf[q_off[i]:q_off[i + 1]]``, code points)
    and listed word ``g[n]`` (``l_buf``, ``l_off``) as ``uint8``; 0 under ``floor`` and for
    equal words."""
    out = np.zeros(qi.size, np.uint8)
    masks = np.zeros(256, np.uint64)
    one = np.uint64(1)
    for n in range(qi.size):
        a = q_buf[q_off[qi[n]] : q_off[qi[n] + 1]]
        b = l_buf[l_off[g[n]] : l_off[g[n] + 1]]
        total = a.size + b.size
        if total == 0 or 200 * min(a.size, b.size) < floor * total:
            continue  # even every letter of the shorter word in common falls short
        if a.size == 0:
            lcs = np.int64(0)
        elif a.size <= 64 and a.max() < 256:
            for x in range(a.size):
                masks[a[x]] |= one << np.uint64(x)
            v = ~np.uint64(0)
            for y in range(b.size):
                u = v & masks[b[y]] if b[y] < 256 else np.uint64(0)
                v = (v + u) | (v - u)
            for x in range(a.size):
                masks[a[x]] = 0
            keep = ~np.uint64(0) if a.size == 64 else (one << np.uint64(a.size)) - one
            lcs = np.int64(_popcount(~v & keep))
        else:
            lcs = _lcs_dp(a, b)
        if a.size == b.size == lcs:
            continue  # equal words are left to an exact join
        if 200 * lcs >= floor * total:
            score = 100.0 * (1.0 - (total - 2 * lcs) / total)  # as rapidfuzz computes it
            out[n] = np.uint8(np.floor(score + 0.5))
    return out
