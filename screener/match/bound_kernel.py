"""The score bound's inner loop (``bound.py``), compiled by numba: one pass per entry over the
listed names its held units meet, each name bounded from its units in place. No pair table is
built, so the cost is the names met times their units, not a join over tens of millions of rows.

Arrays (int32 unless said; a unit's *code* is ``_u`` + the number of targets, so every code is
``>= 0``):

- names: ``names`` (``bound.NAME`` records: where its units start, its words counted as
  missing, total weight, listed-side weight) and ``units`` (``bound.UNIT`` records: code,
  the codes of a joined pair's words or -1, the first letter's code point or -1, words counted,
  weight);
- postings, CSR by code: every name of a unit (``p_ptr``, ``p_k``); the signature names
  (``s_ptr``, ``s_k``); signature word pairs (``s2_ptr``, ``s2_b``, ``s2_k``), by the rarer
  word;
- entries, CSR by entry: their words' global ids (``qx_ptr``, ``qx_x``) and their tokens
  (``qt_ptr``; ``qt_v`` a distinct token, ``qt_x``/``qt_x2`` its words); per word ``xw``
  (float32 weight), ``xnp``, ``xlet`` (a one-letter word's code point, else -1), ``xloc``
  (its place in its entry); per distinct token, CSR, the units it holds (``l_ptr``,
  ``l_code``, ``l_r`` uint8 ratio).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from screener.match.align import (
    EXTRA_CAP,
    EXTRA_WORD,
    INITIAL,
    SUBSTITUTION,
    TYPO_DISCOUNT,
    TYPO_MIN,
)

_INITIAL = INITIAL / 100.0
_HELD, _BY_INITIAL = 1, 2  # how a unit of a name met counts (bits)


@njit(cache=True, nogil=True, inline="always")
def _credit(r: int) -> float:
    """The most ``word_score`` gives two words at ``fuzz.ratio`` ``r``, as a share."""
    if r >= TYPO_MIN:
        return 1.0 - TYPO_DISCOUNT * (100.0 - r) / 100.0
    return r / 100.0


@njit(cache=True, nogil=True, inline="always")
def _listed_short(units, a, b, r_of, name, least, slack):  # type: ignore[no-untyped-def]
    """The listed side's share of name units ``a``..``b`` falls short of ``least`` and no
    joined pair of it is held (an entry with no initial): the words held at their credit,
    summed as the full bound sums them, so the answer is the same."""
    listed = 0.0
    for j in range(a, b):
        r = r_of[units[j].code]
        if r == 0:
            continue
        if units[j].ta < 0:
            listed += units[j].w * _credit(r)
        elif r + slack > max(r_of[units[j].ta], r_of[units[j].tb]):
            return False  # a joined pair held: the full bound
    c_share = min(max(listed / max(name.tot, 1e-9), 0.0), 1.0)
    return name.lw * c_share + 1.0 - name.lw < least


@njit(cache=True, nogil=True)
def bound_pairs(  # type: ignore[no-untyped-def]
    q_lo, q_hi, qx_ptr, qx_x, xw, xnp, xlet, xloc, qt_ptr, qt_v, qt_x, qt_x2, l_ptr, l_code, l_r,
    names, units,
    p_ptr, p_k, s_ptr, s_k, s2_ptr, s2_b, s2_k, n_units, min_score, slack,
):  # fmt: skip
    """(entry, name) pairs of entries ``q_lo`` to ``q_hi`` (exclusive) whose bound reaches
    ``min_score``, as two int32 arrays."""
    least = min_score / 100.0 - 1e-5
    r_of = np.zeros(n_units, np.uint8)
    head = np.zeros(n_units, np.int32)
    seen = np.full(names.size - 1, -1, np.int32)
    cand = np.empty(names.size - 1, np.int32)
    width, rows = 1, 1
    for q in range(q_lo, q_hi):
        width = max(width, qx_ptr[q + 1] - qx_ptr[q])
        n = 0
        for i in range(qt_ptr[q], qt_ptr[q + 1]):
            n += 2 * (l_ptr[qt_v[i] + 1] - l_ptr[qt_v[i]])
        rows = max(rows, n)
    touched = np.empty(rows, np.int32)
    hx = np.empty(rows, np.int32)  # held rows: entry word, ratio, the next row of its unit
    hr = np.empty(rows, np.uint8)
    nxt = np.empty(rows, np.int32)
    best = np.zeros(width, np.float64)
    wc = np.zeros(64, np.float64)  # per unit of the name met: its credit, how it counts
    how = np.zeros(64, np.int8)
    ini = np.full(128, -1, np.int32)
    out_q = np.empty(1024, np.int32)
    out_k = np.empty(1024, np.int32)
    n_out = 0
    for q in range(q_lo, q_hi):
        # the units the entry holds through its tokens' links: best ratio, and the held rows
        n_t, n_h = 0, 0
        for i in range(qt_ptr[q], qt_ptr[q + 1]):
            v = qt_v[i]
            for link in range(l_ptr[v], l_ptr[v + 1]):
                c, r = l_code[link], l_r[link]
                if r_of[c] == 0:
                    touched[n_t] = c
                    n_t += 1
                    head[c] = -1
                if r > r_of[c]:
                    r_of[c] = r
                hx[n_h], hr[n_h], nxt[n_h] = qt_x[i], r, head[c]
                head[c] = n_h
                n_h += 1
                if qt_x2[i] != qt_x[i]:  # a joined token: its second word holds the unit too
                    hx[n_h], hr[n_h], nxt[n_h] = qt_x2[i], r, head[c]
                    head[c] = n_h
                    n_h += 1
        qtot = 0.0
        qnp = 0
        spell = False
        for i in range(qx_ptr[q], qx_ptr[q + 1]):
            x = qx_x[i]
            qtot += xw[x]
            qnp += xnp[x]
            if xlet[x] >= 0:
                ini[xlet[x]] = x
                spell = True
        # the names met: those whose signature the entry holds (one unit, or two words);
        # every name of a held unit when the entry has an initial
        n_c = 0
        for t in range(n_t):
            c = touched[t]
            if spell:
                lo, hi, src = p_ptr[c], p_ptr[c + 1], p_k
            else:
                lo, hi, src = s_ptr[c], s_ptr[c + 1], s_k
                for j in range(s2_ptr[c], s2_ptr[c + 1]):
                    k = s2_k[j]
                    if r_of[s2_b[j]] > 0 and seen[k] != q:
                        seen[k] = q
                        cand[n_c] = k
                        n_c += 1
            for j in range(lo, hi):
                k = src[j]
                if seen[k] != q:
                    seen[k] = q
                    cand[n_c] = k
                    n_c += 1
        for i in range(n_c):
            k = cand[i]
            a, b = names[k].ptr, names[k + 1].ptr
            if not spell and _listed_short(units, a, b, r_of, names[k], least, slack):
                continue  # most names met: the listed side alone falls short, no joined pair held
            if b - a > wc.size:
                wc = np.zeros(2 * (b - a), np.float64)
                how = np.zeros(2 * (b - a), np.int8)
            # how each unit counts: held (a joined pair only where it nearly beats its words),
            # met by an initial (a word); then each word at its best credit, its own or a pair's
            for j in range(a, b):
                wc[j - a] = 0.0
                r, first = r_of[units[j].code], units[j].first
                if units[j].ta < 0:
                    held_now = r > 0
                else:
                    held_now = r > 0 and r + slack > max(r_of[units[j].ta], r_of[units[j].tb])
                initial = spell and units[j].ta < 0 and first >= 0 and ini[first] >= 0
                how[j - a] = (_HELD if held_now else 0) | (_BY_INITIAL if initial else 0)
            for j in range(a, b):
                r = r_of[units[j].code]
                if units[j].ta < 0:
                    if how[j - a] & _HELD:
                        wc[j - a] = max(wc[j - a], _credit(r))
                    elif how[j - a] & _BY_INITIAL:
                        wc[j - a] = max(wc[j - a], _INITIAL)
                elif how[j - a] & _HELD:
                    cr, ta, tb = _credit(r), units[j].ta, units[j].tb
                    for m in range(a, b):
                        other = units[m]
                        if other.ta < 0 and (other.code == ta or other.code == tb):
                            wc[m - a] = max(wc[m - a], cr)
            listed = 0.0
            held = 0
            for j in range(a, b):
                if units[j].ta < 0 and wc[j - a] > 0.0:
                    listed += units[j].w * wc[j - a]
                    held += units[j].np
            c_share = min(max(listed / max(names[k].tot, 1e-9), 0.0), 1.0)
            if names[k].lw * c_share + 1.0 - names[k].lw < least:
                continue
            # entry side: each entry word at its best credit over the units counted
            for j in range(qx_ptr[q + 1] - qx_ptr[q]):
                best[j] = 0.0
            for j in range(a, b):
                if how[j - a] & _HELD:
                    h = head[units[j].code]
                    while h >= 0:
                        y = xloc[hx[h]]
                        best[y] = max(best[y], _credit(hr[h]))
                        h = nxt[h]
                if how[j - a] & _BY_INITIAL:
                    y = xloc[ini[units[j].first]]
                    best[y] = max(best[y], _INITIAL)
            entry = 0.0
            entry_np = 0
            for i2 in range(qx_ptr[q], qx_ptr[q + 1]):
                y = i2 - qx_ptr[q]
                if best[y] > 0.0:
                    x = qx_x[i2]
                    entry += xw[x] * best[y]
                    entry_np += xnp[x]
            e_share = min(max(entry / max(qtot, 1e-9), 0.0), 1.0)
            score = 100.0 * (names[k].lw * c_share + (1.0 - names[k].lw) * e_share)
            extra = max(qnp - entry_np, 0)
            missing = max(names[k].nm - held, 0)
            penalty = SUBSTITUTION * min(missing, extra) + min(EXTRA_WORD * extra, EXTRA_CAP)
            if score - penalty >= min_score - 1e-3:
                if n_out == out_q.size:
                    out_q = np.concatenate((out_q, np.empty_like(out_q)))
                    out_k = np.concatenate((out_k, np.empty_like(out_k)))
                out_q[n_out] = q
                out_k[n_out] = k
                n_out += 1
        for t in range(n_t):
            r_of[touched[t]] = 0
        for i in range(qx_ptr[q], qx_ptr[q + 1]):
            if xlet[qx_x[i]] >= 0:
                ini[xlet[qx_x[i]]] = -1
    return out_q[:n_out].copy(), out_k[:n_out].copy()
