"""``typos.typo_links``' inner loops, compiled by numba: the deletion-variant hashes, their
look-up among the listed variants, and ``fuzz.ratio`` of the pairs it finds.

- ``variant_hashes``: each word's variants (``typos`` module docstring), up to three letters
  deleted, each hashed in constant time from the word's suffix sums: the letters after the
  t-th deletion sit t places left, so their share is a difference of two sums at shift t.
- ``packed_variants``: the query's variants packed, ``hash & ~mask | query id``, and grouped
  by their top bits (a counting sort on a few bits). Each thread hashes its own words twice,
  a chunk at a time into a buffer that stays in cache: counting by group, then placing each
  in its own places of every group. 8.3 million: 0.19 s (written to a fresh array, gathered
  and partitioned on one thread) -> 0.045 s; a fresh array of every hash cost the kernel more
  in page faults than hashing again. The singulars the variants include are spelt here too
  (``with_singulars``).
- ``join_pairs``: each packed variant is looked up in the listed variants (sorted by hash when
  the index is built) through a ``directory`` on their top bits, one listed variant a bucket
  or none. Grouped, each group's look-ups fall in a slice of the listed side that stays in
  cache, and each thread takes half the groups: 0.75 s -> 0.15 s for 8.3 million query
  variants against 4.4 million listed, where a full sort of the query side and a merge join
  cost 0.5 s and 0.2 s. Hashes are compared on their high bits (``~mask``): a pair that only
  shares those is one more pair to verify, never a lost one. (Each thread hashing and looking
  up its own words a chunk at a time was slower, 0.23 s against 0.2 s: each thread then
  streams the whole listed side.)
- ``ratios``: ``fuzz.ratio`` = ``200 * LCS / (len1 + len2)``, rounded as rapidfuzz rounds it
  into ``uint8``, 0 below ``floor``; the longest common subsequence by the bit-parallel method
  (Allison-Dix, Hyyrö) for a first word of up to 64 letters, by dynamic programming past that.
  ``tests/test_kernels.py`` checks it against ``process.cpdist`` pair by pair.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from screener.match.threads import THREADS, piece_runs, split_runs

_M1, _M2 = np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)  # murmur3's finalizer


@njit(cache=True, nogil=True, inline="always")
def _finish(total, length, length_mul):  # type: ignore[no-untyped-def]
    """Mix a variant's letter sum with its length (murmur3's finalizer)."""
    h = total + np.uint64(length) * length_mul
    h ^= h >> np.uint64(33)
    h *= _M1
    h ^= h >> np.uint64(33)
    h *= _M2
    return h ^ (h >> np.uint64(33))


@njit(cache=True, nogil=True, inline="always")
def _dropped(word, p, before):  # type: ignore[no-untyped-def]
    """Deleting letter ``p`` spells what deleting ``p - 1`` does: the same letter, kept (not
    ``before``, the deletion before it)."""
    return p > 0 and p - 1 != before and word[p - 1] == word[p]


_S, _E, _I, _Y = ord("s"), ord("e"), ord("i"), ord("y")


@njit(cache=True, nogil=True, inline="always")
def _sxzh(c):  # type: ignore[no-untyped-def]
    return c == _S or c == ord("x") or c == ord("z") or c == ord("h")


@njit(cache=True, nogil=True)
def with_singulars(buf, off, plain):  # type: ignore[no-untyped-def]
    """(code points, offsets, word) of the words and after them each plural's singular
    (``typos.singular``: ``-ies`` -> ``-y``, ``-[sxzh]es`` less ``es``, else less ``s``); with
    ``plain`` False, only the singulars that are not the word less its last letter (a
    deletion variant already). ``word``: the word each spelling is of."""
    n_words = off.size - 1
    out = np.empty(2 * buf.size, np.uint32)
    out_off = np.zeros(2 * n_words + 1, np.int64)
    word = np.empty(2 * n_words, np.int64)
    out[: buf.size] = buf
    out_off[: n_words + 1] = off
    word[:n_words] = np.arange(n_words)
    n, at = n_words, buf.size
    for i in range(n_words):
        w = buf[off[i] : off[i + 1]]
        k = w.size
        if k == 0 or w[k - 1] != _S:
            continue
        if k >= 3 and w[k - 3] == _I and w[k - 2] == _E:
            keep, extra = k - 3, _Y
        elif k >= 3 and w[k - 2] == _E and _sxzh(w[k - 3]):
            keep, extra = k - 2, 0
        elif plain:
            keep, extra = k - 1, 0
        else:
            continue
        out[at : at + keep] = w[:keep]
        at += keep
        if extra:
            out[at] = extra
            at += 1
        word[n] = i
        n += 1
        out_off[n] = at
    return out[:at], out_off[: n + 1], word[:n]


@njit(cache=True, nogil=True)
def _variants(buf, off, depth, weights, length_mul, start, lo, hi, out, base):  # type: ignore[no-untyped-def]
    """Write the variant hashes of words ``lo``..``hi`` from ``out[start[i] - base]`` on; the
    number each wrote (a deletion in a run of one letter counts once)."""
    wrote = np.zeros(hi - lo, np.int64)
    one = np.uint64(1)
    sums = np.zeros((4, 1), np.uint64)
    for i in range(lo, hi):
        word = buf[off[i] : off[i + 1]]
        n, d = word.size, depth[i]
        if sums.shape[1] < n + 1:
            sums = np.zeros((4, 2 * n + 1), np.uint64)
        for t in range(d + 1):  # sums[t, x]: letters k >= x at weight k - t
            acc = np.uint64(0)
            sums[t, n] = acc
            for k in range(n - 1, t - 1, -1):
                acc += weights[k - t] * (np.uint64(word[k]) + one)
                sums[t, k] = acc
        at = start[i] - base
        whole = sums[0, 0]
        out[at] = _finish(whole, n, length_mul)
        at += 1
        for a in range(n if d >= 1 else 0):
            if _dropped(word, a, -1):
                continue
            head = whole - sums[0, a]
            out[at] = _finish(head + sums[1, a + 1], n - 1, length_mul)
            at += 1
            for b in range(a + 1, n if d >= 2 else 0):
                if _dropped(word, b, a):
                    continue
                middle = head + sums[1, a + 1] - sums[1, b]
                out[at] = _finish(middle + sums[2, b + 1], n - 2, length_mul)
                at += 1
                for c in range(b + 1, n if d >= 3 else 0):
                    if _dropped(word, c, b):
                        continue
                    tail = middle + sums[2, b + 1] - sums[2, c] + sums[3, c + 1]
                    out[at] = _finish(tail, n - 3, length_mul)
                    at += 1
        wrote[i - lo] = at - (start[i] - base)
    return wrote


@njit(cache=True, nogil=True)
def _gather(out, start, wrote, words):  # type: ignore[no-untyped-def]
    """The written hashes of ``_variants`` end to end and the id (``words``) of each one's
    word."""
    total = 0
    for i in range(wrote.size):
        total += wrote[i]
    hashes, ids = np.empty(total, np.uint64), np.empty(total, np.int64)
    at = 0
    for i in range(wrote.size):
        for v in range(wrote[i]):
            hashes[at] = out[start[i] + v]
            ids[at] = words[i]
            at += 1
    return ids, hashes


@njit(cache=True, nogil=True, inline="always")
def _group(h, shift):  # type: ignore[no-untyped-def]
    """The group of hash ``h``: its bits from ``shift`` up (one group from 64)."""
    return np.int64(0) if shift >= 64 else np.int64(h >> np.uint64(shift))


@njit(cache=True, nogil=True)
def _pack_run(  # type: ignore[no-untyped-def]
    buf, off, depth, weights, length_mul, start, words, mask, shift, lo, hi, chunk, place, packed
):
    """Words ``lo``..``hi``'s variant hashes, some ``chunk`` of them at a time in a buffer that
    stays in cache: counted by group into ``place[g + 1]`` when ``packed`` is empty, else each
    written to ``packed`` at its group's next ``place`` with its word's id in the ``mask``
    bits."""
    high = ~mask
    out = np.empty(chunk, np.uint64)
    i = lo
    while i < hi:
        j = i + 1
        while j < hi and start[j + 1] - start[i] <= out.size:
            j += 1
        if start[j] - start[i] > out.size:  # a word with more variants than the chunk
            out = np.empty(start[j] - start[i], np.uint64)
        wrote = _variants(buf, off, depth, weights, length_mul, start, i, j, out, start[i])
        for k in range(i, j):
            at = start[k] - start[i]
            word = np.uint64(words[k])
            for v in range(at, at + wrote[k - i]):
                g = _group(out[v], shift)
                if packed.size == 0:
                    place[g + 1] += 1
                else:
                    packed[place[g]] = (out[v] & high) | word
                    place[g] += 1
        i = j


@njit(cache=True, nogil=True)
def _scratch(n):  # type: ignore[no-untyped-def]
    """An uninitialised uint64 array of ``n``, made by numba's allocator: numpy advises the
    kernel to back an array this size with huge pages, and a fresh process then pays for the
    kernel compacting memory to find them (0.1-0.3 s of system time on the first call)."""
    return np.empty(n, np.uint64)


def _starts(off: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """Where each word's variants may start when written end to end, and one past the last:
    room for every deletion, a run of one letter counted each time."""
    n = np.diff(off)
    bound = 1 + n * (depth >= 1) + n * (n - 1) // 2 * (depth >= 2)
    bound += n * (n - 1) * (n - 2) // 6 * (depth >= 3)
    start = np.zeros(n.size + 1, np.int64)
    np.cumsum(bound, out=start[1:])
    return start


def _written(
    buf: np.ndarray,
    off: np.ndarray,
    depth: np.ndarray,
    weights: np.ndarray,
    length_mul: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(out, start, wrote): each word's variant hashes at ``out[start[i]:start[i] + wrote[i]]``,
    written on two threads."""
    start = _starts(off, depth)
    out = np.empty(int(start[-1]), np.uint64)
    args = (buf, off, depth, weights, np.uint64(length_mul), start)
    wrote = np.concatenate(
        split_runs(off.size - 1, lambda lo, hi: _variants(*args, lo, hi, out, 0))
    )
    return out, start, wrote


def variant_hashes(
    buf: np.ndarray,
    off: np.ndarray,
    depth: np.ndarray,
    words: np.ndarray,
    weights: np.ndarray,
    length_mul: int,
) -> tuple[np.ndarray, np.ndarray]:
    """(id, hash) of every deletion variant of each word (``buf[off[i]:off[i + 1]]``, code
    points; its id ``words[i]``) with up to ``depth[i]`` letters deleted (at most 3), the word
    itself included; ``weights`` multiply the letters (+ 1) by position, ``length_mul`` the
    variant's length."""
    out, start, wrote = _written(buf, off, depth, weights, length_mul)
    ids, hashes = _gather(out, start, wrote, words)
    return ids, hashes


def packed_variants(
    buf: np.ndarray,
    off: np.ndarray,
    depth: np.ndarray,
    words: np.ndarray,
    weights: np.ndarray,
    length_mul: int,
    mask: int,
    groups: int,
    chunk: int = 1 << 16,
) -> np.ndarray:
    """``variant_hashes`` in one array, each hash's bits under ``mask`` replaced by its word's
    id, grouped by the top ``groups`` bits (``partition_bits``; a counting sort on them, no
    more) as ``join_pairs`` looks them up best. Each of two threads hashes its own words twice,
    ``chunk`` variants at a time: counting them by group, then writing them into its own places
    of every group. Hashing again costs less than a fresh array of every hash (tens of MB,
    whose first touch costs the kernel more than the hashing)."""
    start = _starts(off, depth)
    shift, n_groups = 64 - groups, 1 << groups
    args = (buf, off, depth, weights, np.uint64(length_mul), start, words, np.uint64(mask), shift)
    counts = [np.zeros(n_groups + 1, np.int64) for _ in range(THREADS)]
    empty = np.zeros(0, np.uint64)
    piece_runs(words.size, lambda t, lo, hi: _pack_run(*args, lo, hi, chunk, counts[t], empty))
    sizes = np.sum(counts, axis=0)[1:]
    places, first = [], np.zeros(n_groups, np.int64)
    np.cumsum(sizes[:-1], out=first[1:])
    for piece in counts:  # piece t writes after the pieces before it, in every group
        places.append(first.copy())
        first += piece[1:]
    packed: np.ndarray = _scratch(int(sizes.sum()))
    piece_runs(words.size, lambda t, lo, hi: _pack_run(*args, lo, hi, chunk, places[t], packed))
    return packed


PARTITION_SIZE = 14  # log2 of the listed variants per partition: their slice stays in cache
PARTITIONS_MAX = 10  # log2: more streams than this and scattering stops being cheap
_BLOCK = 4096  # query variants whose output room is made at once


@njit(cache=True, nogil=True)
def directory(listed_h, bits):  # type: ignore[no-untyped-def]
    """``d[b]``: the first index of ``listed_h`` (sorted) whose top ``bits`` bits are >= ``b``;
    ``d[2 ** bits]`` its length (under 2 ** 31). Hashes are uniform: a bucket holds a few."""
    shift = np.uint64(64 - bits)
    buckets = 1 << bits
    d = np.empty(buckets + 1, np.int32)
    j = 0
    for b in range(buckets):
        while j < listed_h.size and (listed_h[j] >> shift) < b:
            j += 1
        d[b] = j
    d[buckets] = listed_h.size
    return d


@njit(cache=True, nogil=True)
def _probe(packed, high, mask, listed_h, listed_g, d, bits, lo, hi):  # type: ignore[no-untyped-def]
    """(query id, listed id) of each of ``packed[lo:hi]`` and each listed variant in its
    directory bucket whose hash agrees on the ``high`` bits. A block of query variants first
    sums its buckets' sizes, so the output never grows inside the look-up loop (twice as
    fast as checking for room at each pair)."""
    shift = np.uint64(64 - bits)
    out_q, out_g = np.empty(1024, np.int64), np.empty(1024, np.int64)
    n = 0
    for start in range(lo, hi, _BLOCK):
        end = min(start + _BLOCK, hi)
        room = n
        for i in range(start, end):
            b = np.int64((packed[i] & high) >> shift)
            room += d[b + 1] - d[b]
        if room > out_q.size:
            grown_q, grown_g = np.empty(2 * room, np.int64), np.empty(2 * room, np.int64)
            grown_q[:n], grown_g[:n] = out_q[:n], out_g[:n]
            out_q, out_g = grown_q, grown_g
        for i in range(start, end):
            a = packed[i] & high
            b = np.int64(a >> shift)
            for j in range(d[b], d[b + 1]):
                if listed_h[j] & high == a:
                    out_q[n] = np.int64(packed[i] & mask)
                    out_g[n] = listed_g[j]
                    n += 1
    return out_q[:n], out_g[:n]


def directory_bits(n: int) -> int:
    """Top bits a directory of ``n`` listed variants is keyed on: one or none per bucket."""
    return max(1, int(n).bit_length())


def partition_bits(n: int) -> int:
    """Top bits the query variants are grouped by (``packed_variants``) against ``n`` listed
    variants: each group's slice of the listed side stays in cache."""
    return max(0, min(PARTITIONS_MAX, directory_bits(n) - PARTITION_SIZE))


def join_pairs(
    packed: np.ndarray,
    mask: np.uint64,
    listed_h: np.ndarray,
    listed_g: np.ndarray,
    listed_dir: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(query id, listed id) of every query variant (``packed``) and listed variant
    (``listed_h`` sorted, ``listed_g``; ``listed_dir``: its ``directory``) whose hashes agree
    outside ``mask``. Any order of ``packed`` gives the same pairs; grouped by its top
    ``partition_bits`` bits (``packed_variants``), each group probes a slice of the listed side
    that stays in cache, and each thread half the groups."""
    bits = directory_bits(listed_h.size)
    high = ~mask
    parts = split_runs(
        packed.size,
        lambda lo, hi: _probe(packed, high, mask, listed_h, listed_g, listed_dir, bits, lo, hi),
    )
    return np.concatenate([q for q, _ in parts]), np.concatenate([g for _, g in parts])


@njit(cache=True, nogil=True)
def distinct_pairs(qi, pos, n_q, n_listed):  # type: ignore[no-untyped-def]
    """Each (``qi``, ``pos``) pair once, ``pos`` < 0 left out, grouped by ``qi`` (< ``n_q``)
    in ascending order: a counting sort on ``qi``, then a mark per listed position (``pos`` <
    ``n_listed``) says whether this ``qi`` met it already. No comparison sort."""
    start = np.zeros(n_q + 1, np.int64)
    for k in range(qi.size):
        if pos[k] >= 0:
            start[qi[k] + 1] += 1
    for q in range(n_q):
        start[q + 1] += start[q]
    grouped = np.empty(start[n_q], np.int64)
    at = start[:n_q].copy()
    for k in range(qi.size):
        if pos[k] >= 0:
            grouped[at[qi[k]]] = pos[k]
            at[qi[k]] += 1
    seen = np.full(n_listed, -1, np.int64)
    out_q, out_p = np.empty(grouped.size, np.int64), np.empty(grouped.size, np.int64)
    n = 0
    for q in range(n_q):
        for k in range(start[q], start[q + 1]):
            p = grouped[k]
            if seen[p] != q:
                seen[p] = q
                out_q[n], out_p[n] = q, p
                n += 1
    return out_q[:n], out_p[:n]


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
def longest_common(a, b, masks):  # type: ignore[no-untyped-def]
    """Length of the longest common subsequence of code point arrays ``a`` and ``b``:
    bit-parallel when ``a`` has up to 64 letters, each under ``masks.size`` (zeros, left
    zeroed), else dynamic programming."""
    if a.size == 0 or b.size == 0:
        return np.int64(0)
    if a.size > 64 or a.max() >= masks.size:
        return np.int64(_lcs_dp(a, b))
    one = np.uint64(1)
    for x in range(a.size):
        masks[a[x]] |= one << np.uint64(x)
    v = ~np.uint64(0)
    for y in range(b.size):
        u = v & masks[b[y]] if b[y] < masks.size else np.uint64(0)
        v = (v + u) | (v - u)
    for x in range(a.size):
        masks[a[x]] = 0
    keep = ~np.uint64(0) if a.size == 64 else (one << np.uint64(a.size)) - one
    return np.int64(_popcount(~v & keep))


@njit(cache=True, nogil=True)
def ratios(q_buf, q_off, l_buf, l_off, qi, g, floor):  # type: ignore[no-untyped-def]
    """``fuzz.ratio`` of query word ``qi[n]`` (``q_buf[q_off[i]:q_off[i + 1]]``, code points)
    and listed word ``g[n]`` (``l_buf``, ``l_off``) as ``uint8``; 0 under ``floor`` and for
    equal words."""
    out = np.zeros(qi.size, np.uint8)
    masks = np.zeros(256, np.uint64)
    for n in range(qi.size):
        a = q_buf[q_off[qi[n]] : q_off[qi[n] + 1]]
        b = l_buf[l_off[g[n]] : l_off[g[n] + 1]]
        total = a.size + b.size
        if total == 0 or 200 * min(a.size, b.size) < floor * total:
            continue  # even every letter of the shorter word in common falls short
        lcs = longest_common(a, b, masks)
        if a.size == b.size == lcs:
            continue  # equal words are left to an exact join
        if 200 * lcs >= floor * total:
            score = 100.0 * (1.0 - (total - 2 * lcs) / total)  # as rapidfuzz computes it
            out[n] = np.uint8(np.floor(score + 0.5))
    return out
