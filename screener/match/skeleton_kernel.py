"""Consonant skeletons compiled by numba (``align.skeleton``: ``align.SOUNDS`` replaced in
order as ``str.replace`` does, then vowels out and each run of a letter one), spelt in place
(``skeleton_into``, which the scorer's glued pieces use too) and hashed with no string made
(``skeleton_keys``: the index's listed skeletons and ``typos.skeleton_links``' entry side).
The skeleton links of 62,000 entry words took 0.046 s of CPU with polars strings and a Python
check per pair, 0.023 s so."""

from __future__ import annotations

import functools

import numpy as np
from numba import njit

from screener.match.align import SOUNDS

_FNV, _PRIME = np.uint64(0xCBF29CE484222325), np.uint64(0x100000001B3)


@functools.cache
def sounds() -> np.ndarray:
    """``align.SOUNDS`` as rows (first, second or 0, replacement)."""
    rows = [(ord(a[0]), ord(a[1]) if len(a) > 1 else 0, ord(b)) for a, b in SOUNDS]
    return np.array(rows, np.uint32)


@njit(cache=True, nogil=True, inline="always")
def _vowel(c):  # type: ignore[no-untyped-def]
    """One of ``a e i o u y w``, which ``align.skeleton`` drops."""
    return c == 97 or c == 101 or c == 105 or c == 111 or c == 117 or c == 121 or c == 119


@njit(cache=True, nogil=True, inline="always")
def _hash(w, n):  # type: ignore[no-untyped-def]
    """FNV-1a of code points ``w[:n]``."""
    h = _FNV
    for i in range(n):
        h = (h ^ np.uint64(w[i])) * _PRIME
    return h


@njit(cache=True, nogil=True)
def skeleton_into(w, n, rules):  # type: ignore[no-untyped-def]
    """``align.skeleton`` of code points ``w[:n]`` written over them; its length. ``rules``
    (``sounds``) replaced in order, left to right as ``str.replace`` does, then the vowels
    out and each run of a letter one."""
    for s in range(rules.shape[0]):
        first, second, to = rules[s, 0], rules[s, 1], rules[s, 2]
        k, j = 0, 0
        while j < n:
            if w[j] == first and (second == 0 or (j + 1 < n and w[j + 1] == second)):
                w[k] = to
                j += 1 if second == 0 else 2
            else:
                w[k] = w[j]
                j += 1
            k += 1
        n = k
    k = 0
    for j in range(n):
        if not _vowel(w[j]) and (k == 0 or w[k - 1] != w[j]):
            w[k] = w[j]
            k += 1
    return k


@njit(cache=True, nogil=True)
def skeleton_keys(buf, off, rules):  # type: ignore[no-untyped-def]
    """Per word: whether it is four letters or more of ``a``-``z``, vowel-poor as ``align``
    counts it (``a e i o u y w`` a quarter of its letters or fewer), its skeleton's ``_hash``
    and length (``rules``: ``sounds``)."""
    n_words = off.size - 1
    ok = np.zeros(n_words, np.bool_)
    poor = np.zeros(n_words, np.bool_)
    keys = np.zeros(n_words, np.uint64)
    sizes = np.zeros(n_words, np.int64)
    w = np.empty(64, np.uint32)
    for i in range(n_words):
        word = buf[off[i] : off[i + 1]]
        n = word.size
        vowels = 0
        alpha = n >= 4
        for c in word:
            alpha = alpha and 97 <= c <= 122
            vowels += 1 if _vowel(c) else 0
        if not alpha:
            continue
        ok[i], poor[i] = True, 4 * vowels <= n
        if w.size < n:
            w = np.empty(2 * n, np.uint32)
        w[:n] = word
        k = skeleton_into(w, n, rules)
        keys[i], sizes[i] = _hash(w, k), k
    return ok, poor, keys, sizes
