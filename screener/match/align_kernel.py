"""``align.align_keys``' score, compiled by numba for pairs by the thousand (``align_batch``).

The same steps in the same order as ``align_keys``, on words given as ids of a vocabulary
(``align_batch.KeyTable``) with their facts in arrays: best word scores both ways
(``word_score`` on code points, ``fuzz.ratio`` by bit-parallel LCS), the joined-pair pass
(``align._splits``: the pieces of a glued word spelt out with their facts, stems and
skeletons here), coverage, penalties, numbers, then the space-free comparison. One step is
left to Python: an acronym met (it reweighs both keys); there ``pair_scores`` gives NaN and
``align_batch`` asks ``align_keys``. The float operations run in ``align_keys``' order, so the
scores are equal to the last bit (``tests/test_align_batch.py`` compares them pair by pair).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from screener.match import align
from screener.match.skeleton_kernel import skeleton_into
from screener.match.typo_kernel import longest_common

TOKEN_FLOOR, SHORT, LISTED_WEIGHT = align.TOKEN_FLOOR, align.SHORT, align.LISTED_WEIGHT
FLAT_WEIGHT, TYPO_DISCOUNT, TYPO_MIN = align.FLAT_WEIGHT, align.TYPO_DISCOUNT, align.TYPO_MIN
VOCABULARY_MIN, PLURAL, INITIAL = align.VOCABULARY_MIN, align.PLURAL, align.INITIAL
ABJAD, COMPACT_MIN, SUBSTITUTION = align.ABJAD, align.COMPACT_MIN, align.SUBSTITUTION
EXTRA_WORD, EXTRA_CAP = align.EXTRA_WORD, align.EXTRA_CAP
NUMBER_SWAP, NUMBER_EXTRA = align.NUMBER_SWAP, align.NUMBER_EXTRA


@njit(cache=True, nogil=True, inline="always")
def _ratio(lcs, total):  # type: ignore[no-untyped-def]
    """``fuzz.ratio`` as rapidfuzz computes it from the LCS and the summed lengths."""
    return (1.0 - (total - 2 * lcs) / total) * 100.0


_VOWELS = np.array([ord(c) for c in "aeiouyw"], np.uint32)
_A, _Z, _ZERO, _NINE = ord("a"), ord("z"), ord("0"), ord("9")
_I, _V, _X, _E, _S, _N, _G, _Y = (ord(c) for c in "ivxesngy")
_PLURAL_ES = np.array([ord(c) for c in "sxzh"], np.uint32)
_IES, _ES, _ING = (np.array([ord(c) for c in end], np.uint32) for end in ("ies", "es", "ing"))


@njit(cache=True, nogil=True)
def _is_roman(w):  # type: ignore[no-untyped-def]
    """``align._NUMBER``'s numeral, two letters or more: x{0,3} then ix, iv or v?i{0,3}."""
    n, at = w.size, 0
    while at < n and w[at] == _X:
        at += 1
    if n < 2 or at > 3:
        return False
    rest = w[at:]
    if rest.size == 2 and rest[0] == _I and (rest[1] == _X or rest[1] == _V):
        return True
    start = 1 if rest.size and rest[0] == _V else 0
    for t in range(start, rest.size):
        if rest[t] != _I:
            return False
    return rest.size - start <= 3


@njit(cache=True, nogil=True)
def _facts_of(w, generic):  # type: ignore[no-untyped-def]
    """(alphabetic, number, generic, vowel-poor) of a spelling outside the vocabulary (a piece
    of a glued word), as ``align._facts`` tells them; ``generic``: ``align_batch.Glued``, the
    business words."""
    alpha, digit, vowels = True, False, 0
    for c in w:
        alpha = alpha and _A <= c <= _Z
        digit = digit or _ZERO <= c <= _NINE
        vowels += 1 if np.any(c == _VOWELS) else 0
    g_ptr, g_buf, by_length = generic.generic_ptr, generic.generic_buf, generic.by_length
    listed = False
    if w.size + 1 < by_length.size:
        for g in range(by_length[w.size], by_length[w.size + 1]):
            if np.all(g_buf[g_ptr[g] : g_ptr[g + 1]] == w):
                listed = True
                break
    return alpha, digit or (alpha and _is_roman(w)), listed, 4 * vowels <= w.size


@njit(cache=True, nogil=True)
def _ends(w, text):  # type: ignore[no-untyped-def]
    if w.size < text.size:
        return False
    return np.all(w[w.size - text.size :] == text)


@njit(cache=True, nogil=True)
def _stem_of(w):  # type: ignore[no-untyped-def]
    """``align.stem`` on code points: the singular less ``-ing`` (and a doubled letter before
    it), less a final ``e``."""
    if _ends(w, _IES):
        out = np.empty(w.size - 2, np.uint32)
        out[:-1] = w[: w.size - 3]
        out[-1] = _Y
        w = out
    elif _ends(w, _ES) and w.size >= 3 and np.any(w[w.size - 3] == _PLURAL_ES):
        w = w[: w.size - 2]
    elif w.size and w[w.size - 1] == _S:
        w = w[: w.size - 1]
    if w.size > 5 and _ends(w, _ING):
        w = w[: w.size - 3]
        if w[w.size - 1] == w[w.size - 2]:
            w = w[: w.size - 1]
    if w.size > 3 and w[w.size - 1] == _E:
        w = w[: w.size - 1]
    return w


@njit(cache=True, nogil=True)
def _skeleton_of(w, sounds):  # type: ignore[no-untyped-def]
    """``align.skeleton`` on code points (``skeleton_kernel.skeleton_into``)."""
    out = w.copy()
    return out[: skeleton_into(out, out.size, sounds)]


@njit(cache=True, nogil=True)
def _spelt_score(wa, fa, wb, fb, sounds, masks):  # type: ignore[no-untyped-def]
    """``align.word_score`` of spellings ``wa`` and ``wb`` and their facts (alphabetic, number,
    generic, vowel-poor). Stems and skeletons are spelt out here, only for the pairs that ask
    (a business word; a vowel-poor shorter word): cheaper than an id for every word."""
    la, lb = wa.size, wb.size
    short, long = (la, lb) if la < lb else (lb, la)
    if la == lb and np.all(wa == wb):
        return 100.0
    alpha_a, num_a, gen_a, poor_a = fa
    alpha_b, num_b, gen_b, poor_b = fb
    if short == 1 and wa[0] == wb[0] and alpha_a and alpha_b:
        return INITIAL
    if short < SHORT or num_a or num_b:
        return 0.0
    generic = gen_a or gen_b
    if generic:
        stem_a, stem_b = _stem_of(wa), _stem_of(wb)
        if stem_a.size == stem_b.size and np.all(stem_a == stem_b):
            return PLURAL
    # align.same_skeleton: the shorter vowel-poor and shorter, both alphabetic
    poor_short = poor_a if la <= lb else poor_b
    abjad = short >= 4 and la != lb and alpha_a and alpha_b and poor_short
    if abjad:
        skel_a, skel_b = _skeleton_of(wa, sounds), _skeleton_of(wb, sounds)
        skel_short = skel_a if la <= lb else skel_b
        same = skel_a.size == skel_b.size and np.all(skel_a == skel_b)
        abjad = skel_short.size >= 3 and same
    if 5 * short < 3 * long:
        return ABJAD if not generic and abjad else 0.0
    r = _ratio(longest_common(wa, wb, masks), la + lb)
    if generic:
        return r if r >= VOCABULARY_MIN else 0.0
    if r < TOKEN_FLOOR:
        return ABJAD if abjad else 0.0
    return 100 - TYPO_DISCOUNT * (100 - r) if r >= TYPO_MIN else r


@njit(cache=True, nogil=True, inline="always")
def _spelling(v, vocab):  # type: ignore[no-untyped-def]
    return vocab.buf[vocab.ptr[v] : vocab.ptr[v + 1]]


@njit(cache=True, nogil=True, inline="always")
def _facts(v, vocab):  # type: ignore[no-untyped-def]
    return vocab.alpha[v], vocab.number[v], vocab.generic[v], vocab.poor[v]


@njit(cache=True, nogil=True)
def _word_score(a, b, vocab, extras, masks):  # type: ignore[no-untyped-def]
    """``align.word_score`` of vocabulary words ``a`` and ``b``."""
    if a == b:
        return 100.0
    wa, wb = _spelling(a, vocab), _spelling(b, vocab)
    fa, fb = _facts(a, vocab), _facts(b, vocab)
    return _spelt_score(wa, fa, wb, fb, extras.sounds, masks)


@njit(cache=True, nogil=True)
def _meets(word, part, vocab, extras, masks):  # type: ignore[no-untyped-def]
    """``align._splits``' ``meets``: a vocabulary word and a piece of a glued word."""
    w = _spelling(word, vocab)
    if w.size == part.size and np.all(w == part):
        return True
    if part.size <= 1:
        return False
    fw, fp = _facts(word, vocab), _facts_of(part, extras)
    s = _spelt_score(w, fw, part, fp, extras.sounds, masks)
    return s >= TOKEN_FLOOR


@njit(cache=True, nogil=True)
def _splits(first, second, glued, vocab, extras, masks):  # type: ignore[no-untyped-def]
    """``align._splits``: ``glued`` cut in two pieces that meet ``first`` and ``second``."""
    w = _spelling(glued, vocab)
    for p in range(1, w.size):
        if _meets(first, w[:p], vocab, extras, masks) and _meets(
            second, w[p:], vocab, extras, masks
        ):
            return True
    return False


@njit(cache=True, nogil=True)
def _joins(side, side_j, best, other, other_best, vocab, extras, masks):  # type: ignore[no-untyped-def]
    """``align._best``'s second pass: two neighbour words of ``side`` (``side_j``: their joined
    spelling) meeting one word of ``other`` above both their scores, when the word splits into
    pieces that meet them one by one; the scores raised in place."""
    v_len, v_poor = vocab.length, vocab.poor
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
            s = _word_score(joined, b, vocab, extras, masks)
            if s <= top or s < TOKEN_FLOOR:
                continue
            if _splits(side[i], side[i + 1], b, vocab, extras, masks):
                best[i] = best[i + 1] = top = s
                other_best[j] = max(other_best[j], s)


@njit(cache=True, nogil=True)
def _has_acronym(side, side_best, other, other_best, vocab):  # type: ignore[no-untyped-def]
    """Whether an unmatched word of ``side`` spells the initials of unmatched words opposite
    (``align._acronyms``), which Python then weighs."""
    v_ptr, v_buf, v_len, v_alpha = vocab.ptr, vocab.buf, vocab.length, vocab.alpha
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
def _unwritten(nums, other, other_numbers):  # type: ignore[no-untyped-def]
    """``align._unwritten``: ``nums`` less those ``other`` holds as a word, not a number."""
    keep = np.ones(nums.size, np.bool_)
    for n in range(nums.size):
        for j in range(other.size):
            if other[j] == nums[n] and not other_numbers[j]:
                keep[n] = False
    return nums[keep]


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
def _space_free(words, vocab):  # type: ignore[no-untyped-def]
    """A key's words end to end: its spelling without spaces."""
    out = np.empty(vocab.length[words].sum(), np.uint32)
    at = 0
    for v in words:
        spelt = _spelling(v, vocab)
        out[at : at + spelt.size] = spelt
        at += spelt.size
    return out


@njit(cache=True, nogil=True)
def _pair(q, c, keys, vocab, extras, masks):  # type: ignore[no-untyped-def]
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
            s = 100.0 if qw[i] == cw[j] else _word_score(qw[i], cw[j], vocab, extras, masks)
            if s > top:
                top = s
            if s > cb[j]:
                cb[j] = s
        qb[i] = top
    _joins(qw, k_join[qa:qz], qb, cw, cb, vocab, extras, masks)
    _joins(cw, k_join[ca:cz], cb, qw, qb, vocab, extras, masks)
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
            said += not vocab.stop[qw[i]]
    if extra:
        score -= SUBSTITUTION * min(missing, extra)
        score -= min(EXTRA_CAP, EXTRA_WORD * said)
    q_nums, c_nums = _numbers(qw, qn), _numbers(cw, cn)
    if q_nums.size != c_nums.size or np.any(q_nums != c_nums):
        q_nums, c_nums = _unwritten(q_nums, cw, cn), _unwritten(c_nums, qw, qn)
    differ = False
    if q_nums.size != c_nums.size or np.any(q_nums != c_nums):
        for v in q_nums:
            differ = differ or not _holds(c_nums, v)
        for v in c_nums:
            differ = differ or not _holds(q_nums, v)
        score -= NUMBER_SWAP if q_nums.size and c_nums.size else NUMBER_EXTRA
    q_flat, c_flat = vocab.length[qw].sum(), vocab.length[cw].sum()
    m, n = min(q_flat, c_flat), max(q_flat, c_flat)
    if qw.size != cw.size and not differ and 21 * m >= 19 * n:
        a, b = _space_free(qw, vocab), _space_free(cw, vocab)
        compact = _ratio(longest_common(a, b, masks), q_flat + c_flat)
        if compact >= COMPACT_MIN and compact > score:
            return compact
    return score


@njit(cache=True, nogil=True)
def pair_scores(qs, cs, keys, vocab, extras):  # type: ignore[no-untyped-def]
    """``_pair`` of each (``qs[n]``, ``cs[n]``): rows of the key table (``keys``, ``vocab``);
    ``extras``: ``align_batch.Glued``, what pieces of glued words are spelt with."""
    out = np.empty(qs.size)
    masks = np.zeros(128, np.uint64)
    for n in range(qs.size):
        out[n] = _pair(qs[n], cs[n], keys, vocab, extras, masks)
    return out
