"""``align.align_keys``' score, compiled by numba for pairs by the thousand (``align_batch``).

The same steps in the same order as ``align_keys``, on words given as ids of a vocabulary
(``align_batch.KeyTable``) with their facts in arrays: best word scores both ways
(``word_score`` on code points, ``fuzz.ratio`` by bit-parallel LCS), the joined-pair pass,
coverage, penalties, numbers, then the space-free comparison. Two steps are left to Python: a
joined pair that would win (``align._splits`` cuts the pair's spelling at every point) and an
acronym met (it reweighs both keys). There ``pair_scores`` gives NaN and ``align_batch`` asks
``align_keys``. The float operations run in ``align_keys``' order, so the scores are equal
to the last bit (``tests/test_align_batch.py`` compares them pair by pair).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from screener.match import align

TOKEN_FLOOR, SHORT, LISTED_WEIGHT = align.TOKEN_FLOOR, align.SHORT, align.LISTED_WEIGHT
FLAT_WEIGHT, TYPO_DISCOUNT, TYPO_MIN = align.FLAT_WEIGHT, align.TYPO_DISCOUNT, align.TYPO_MIN
VOCABULARY_MIN, PLURAL, INITIAL = align.VOCABULARY_MIN, align.PLURAL, align.INITIAL
ABJAD, COMPACT_MIN, SUBSTITUTION = align.ABJAD, align.COMPACT_MIN, align.SUBSTITUTION
EXTRA_WORD, EXTRA_CAP = align.EXTRA_WORD, align.EXTRA_CAP
NUMBER_SWAP, NUMBER_EXTRA = align.NUMBER_SWAP, align.NUMBER_EXTRA


@njit(cache=True, nogil=True)
def _lcs(a, b, masks):  # type: ignore[no-untyped-def]
    """Longest common subsequence of two code point arrays (ASCII): bit-parallel when ``a`` has
    up to 64 letters (``masks``: 128 zeros, left zeroed), else dynamic programming."""
    if a.size == 0 or b.size == 0:
        return 0
    if a.size > 64:
        row = np.zeros(b.size + 1, np.int64)
        for x in range(a.size):
            diag = 0
            for y in range(b.size):
                up = row[y + 1]
                row[y + 1] = diag + 1 if a[x] == b[y] else max(up, row[y])
                diag = up
        return row[b.size]
    one = np.uint64(1)
    for x in range(a.size):
        masks[a[x]] |= one << np.uint64(x)
    v = ~np.uint64(0)
    for y in range(b.size):
        u = v & masks[b[y]]
        v = (v + u) | (v - u)
    for x in range(a.size):
        masks[a[x]] = 0
    keep = ~np.uint64(0) if a.size == 64 else (one << np.uint64(a.size)) - one
    lost, n = ~v & keep, 0
    while lost:
        lost &= lost - one
        n += 1
    return n


@njit(cache=True, nogil=True, inline="always")
def _ratio(lcs, total):  # type: ignore[no-untyped-def]
    """``fuzz.ratio`` as rapidfuzz computes it from the LCS and the summed lengths."""
    return (1.0 - (total - 2 * lcs) / total) * 100.0


@njit(cache=True, nogil=True)
def _same_skeleton(a, b, v_len, v_alpha, v_poor, v_skel, v_skel_len):  # type: ignore[no-untyped-def]
    """``align.same_skeleton`` of vocabulary words ``a`` and ``b``."""
    short, long = (a, b) if v_len[a] <= v_len[b] else (b, a)
    if v_len[short] < 4 or v_len[long] == v_len[short] or not (v_alpha[a] and v_alpha[b]):
        return False
    if not v_poor[short]:
        return False
    return v_skel_len[short] >= 3 and v_skel[short] == v_skel[long]


@njit(cache=True, nogil=True)
def _word_score(a, b, vocab, masks):  # type: ignore[no-untyped-def]
    """``align.word_score`` of vocabulary words ``a`` and ``b`` (``_Row.__missing__``)."""
    v_ptr, v_buf, v_len, v_alpha, v_num, v_gen, v_poor, v_stem, v_skel, v_skel_len, _ = vocab
    la, lb = v_len[a], v_len[b]
    short, long = (la, lb) if la < lb else (lb, la)
    if a == b:
        return 100.0
    wa, wb = v_buf[v_ptr[a] : v_ptr[a + 1]], v_buf[v_ptr[b] : v_ptr[b + 1]]
    if short == 1 and wa[0] == wb[0] and v_alpha[a] and v_alpha[b]:
        return INITIAL
    if short < SHORT or v_num[a] or v_num[b]:
        return 0.0
    generic = v_gen[a] or v_gen[b]
    if generic and v_stem[a] == v_stem[b]:
        return PLURAL
    if 5 * short < 3 * long:
        if not generic and _same_skeleton(a, b, v_len, v_alpha, v_poor, v_skel, v_skel_len):
            return ABJAD
        return 0.0
    r = _ratio(_lcs(wa, wb, masks), la + lb)
    if generic:
        return r if r >= VOCABULARY_MIN else 0.0
    if r < TOKEN_FLOOR:
        return ABJAD if _same_skeleton(a, b, v_len, v_alpha, v_poor, v_skel, v_skel_len) else 0.0
    return 100 - TYPO_DISCOUNT * (100 - r) if r >= TYPO_MIN else r


@njit(cache=True, nogil=True)
def _joins_win(side, side_j, best, other, vocab, masks):  # type: ignore[no-untyped-def]
    """Whether two neighbour words of ``side`` (``side_j``: their joined spelling) would meet
    one word of ``other`` above both their scores: ``align._best``'s second pass, whose
    ``_splits`` check is left to Python."""
    v_len, v_poor = vocab[2], vocab[6]
    for i in range(side.size - 1):
        top = max(best[i], best[i + 1])
        if top >= 100:
            continue
        joined = side_j[i]
        n = v_len[joined]
        for j in range(other.size):
            b = other[j]
            m = v_len[b]
            if m < 2 or (5 * m < 3 * n and not v_poor[b]):
                continue
            if 5 * n < 3 * m and not v_poor[joined]:
                continue
            s = _word_score(joined, b, vocab, masks)
            if s > top and s >= TOKEN_FLOOR:
                return True
    return False


@njit(cache=True, nogil=True)
def _has_acronym(side, side_best, other, other_best, vocab):  # type: ignore[no-untyped-def]
    """Whether an unmatched word of ``side`` spells the initials of unmatched words opposite
    (``align._acronyms``), which Python then weighs."""
    v_ptr, v_buf, v_len, v_alpha = vocab[0], vocab[1], vocab[2], vocab[3]
    for i in range(side.size):
        word, n = side[i], v_len[side[i]]
        if side_best[i] or not 3 <= n <= 6 or not v_alpha[word]:
            continue
        for j in range(other.size - n + 1):
            hit = True
            for t in range(n):
                b = other[j + t]
                if v_buf[v_ptr[b]] != v_buf[v_ptr[word] + t] or other_best[j + t]:
                    hit = False
                    break
            if hit:
                return True
    return False


@njit(cache=True, nogil=True)
def _numbers(words, is_num):  # type: ignore[no-untyped-def]
    """The ids of a key's number words, sorted."""
    out = np.empty(int(is_num.sum()), np.int64)
    n = 0
    for i in range(words.size):
        if is_num[i]:
            out[n] = words[i]
            n += 1
    return np.sort(out)


@njit(cache=True, nogil=True)
def _holds(values, v):  # type: ignore[no-untyped-def]
    return np.any(values == v)


@njit(cache=True, nogil=True)
def _coverage(best, weigh, weights):  # type: ignore[no-untyped-def]
    """The weighted share of a key met: ``sum(w * best)`` over the weighed words, in order,
    over 100 times their weights' sum (``align._key``), each summed from 0 left to right."""
    total, met = 0.0, 0.0
    for i in range(best.size):
        if weigh[i]:
            total += weights[i]
    for i in range(best.size):
        if weigh[i]:
            met += weights[i] * best[i]
    return met / (100 * total)


@njit(cache=True, nogil=True)
def _pair(q, c, keys, vocab, masks):  # type: ignore[no-untyped-def]
    """``align_keys(q, c).score`` before rounding and clamping, NaN where Python decides."""
    k_ptr, k_word, k_join, k_num, k_weigh, k_w, k_dist, k_odd = keys
    qa, qz, ca, cz = k_ptr[q], k_ptr[q + 1], k_ptr[c], k_ptr[c + 1]
    if k_odd[q] or k_odd[c]:
        return np.nan
    qw, cw = k_word[qa:qz], k_word[ca:cz]
    if qw.size == cw.size and np.all(qw == cw):
        return 100.0
    qb, cb = np.zeros(qw.size), np.zeros(cw.size)
    for i in range(qw.size):
        top = 0.0
        for j in range(cw.size):
            s = 100.0 if qw[i] == cw[j] else _word_score(qw[i], cw[j], vocab, masks)
            if s > top:
                top = s
            if s > cb[j]:
                cb[j] = s
        qb[i] = top
    if _joins_win(qw, k_join[qa:qz], qb, cw, vocab, masks):
        return np.nan
    if _joins_win(cw, k_join[ca:cz], cb, qw, vocab, masks):
        return np.nan
    unmet = (qb == 0).any() and (cb == 0).any()
    if unmet and (_has_acronym(qw, qb, cw, cb, vocab) or _has_acronym(cw, cb, qw, qb, vocab)):
        return np.nan
    qn, cn = k_num[qa:qz], k_num[ca:cz]
    cover_c = _coverage(cb, k_weigh[ca:cz], k_w[ca:cz])
    cover_q = _coverage(qb, k_weigh[qa:qz], k_w[qa:qz])
    weight = LISTED_WEIGHT if k_dist[c] else FLAT_WEIGHT
    score = 100 * (weight * cover_c + (1 - weight) * cover_q)
    missing = 0
    for j in range(cw.size):
        if cb[j] == 0 and not cn[j]:
            missing += 1
    extra, said = 0, 0
    for i in range(qw.size):
        if qb[i] == 0 and not qn[i]:
            extra += 1
            said += not vocab[10][qw[i]]
    if extra:
        score -= SUBSTITUTION * min(missing, extra)
        score -= min(EXTRA_CAP, EXTRA_WORD * said)
    q_nums, c_nums = _numbers(qw, qn), _numbers(cw, cn)
    differ = False
    if q_nums.size != c_nums.size or np.any(q_nums != c_nums):
        for v in q_nums:
            differ = differ or not _holds(c_nums, v)
        for v in c_nums:
            differ = differ or not _holds(q_nums, v)
        score -= NUMBER_SWAP if q_nums.size and c_nums.size else NUMBER_EXTRA
    v_ptr, v_buf, v_len = vocab[0], vocab[1], vocab[2]
    q_flat, c_flat = 0, 0
    for i in range(qw.size):
        q_flat += v_len[qw[i]]
    for j in range(cw.size):
        c_flat += v_len[cw[j]]
    m, n = min(q_flat, c_flat), max(q_flat, c_flat)
    if qw.size != cw.size and not differ and 21 * m >= 19 * n:
        a, b = np.empty(q_flat, np.uint32), np.empty(c_flat, np.uint32)
        at = 0
        for i in range(qw.size):
            word = v_buf[v_ptr[qw[i]] : v_ptr[qw[i] + 1]]
            a[at : at + word.size] = word
            at += word.size
        at = 0
        for j in range(cw.size):
            word = v_buf[v_ptr[cw[j]] : v_ptr[cw[j] + 1]]
            b[at : at + word.size] = word
            at += word.size
        compact = _ratio(_lcs(a, b, masks), q_flat + c_flat)
        if compact >= COMPACT_MIN and compact > score:
            return compact
    return score


@njit(cache=True, nogil=True)
def pair_scores(qs, cs, keys, vocab):  # type: ignore[no-untyped-def]
    """``_pair`` of each (``qs[n]``, ``cs[n]``): rows of the key table."""
    out = np.empty(qs.size)
    masks = np.zeros(128, np.uint64)
    for n in range(qs.size):
        out[n] = _pair(qs[n], cs[n], keys, vocab, masks)
    return out
