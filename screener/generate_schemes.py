"""Evasion schemes ``screener generate`` plants after the duty change, and the rules meant to
catch them (DESIGN §6).

Each scheme rewrites whole entries (every line of a shipment shares its route and parties), picked
among the clean entries dated on or after the event; ``SCHEMES`` names the rules meant to catch
each (a bit in ``extra`` adds one for some entries):

- transship_mid: goods of a Chinese manufacturer declared from VN / MY / TH / MX; the MID stays
  Chinese (in 40% the Chinese firm is also the supplier: + SUPPLIER_IN_CONCERN).
- transship_lading: declared from VN / MY / TH / MX with a local MID, but laden in a Chinese port
  or moved via one (half of the former exported from China: + EXPORT_NE_ORIGIN).
- origin_hopping: a supplier that declared China now declares VN / MY / TH / MX for the same goods,
  under the same name with a local address and MID.
- new_mid_surge: a manufacturer never seen before ships a quarter of the month's HTS6 value
  (+ ORIGIN_SURGE where its country is a surge pair).
- origin_surge: imports of an HTS6 from one relabel country reach ~4x the months before; every
  line of the HTS6 from that country after the event is listed.
- unit_value_low: 5-20% of the usual unit value of the HTS10.
- classification_shift: an importer of Chinese magnets, Li-ion batteries or lithium carbonate
  now declares the uncovered sibling line (8505.19, 8507.80, 2836.99).
- implausible_origin: gallium, germanium or cobalt declared from a country that makes none.
- xinjiang: aluminium, polysilicon or lithium from a supplier with a Xinjiang address.

The surge schemes are sized by what they surge over; the others share what is left of the
planted-line budget (at least a third of it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np

from screener import generate_rewrites as rw
from screener.generate_catalog import (
    IMPLAUSIBLE,
    NEW_MID_CAMPAIGNS,
    PRODUCT_INDEX,
    PRODUCTS,
    SIBLINGS,
    SURGE_PAIRS,
    XINJIANG_FAMILIES,
)
from screener.generate_month import Month
from screener.generate_rewrites import Mark, relabel
from screener.generate_universe import CODE_INDEX, FAMILIES, Universe, zipf_pick

SCHEMES: dict[str, tuple[str, ...]] = {  # scheme -> rules meant to catch every line of it
    "clean": (),
    "transship_mid": ("MID_NE_ORIGIN",),
    "transship_lading": ("LADED_IN_CONCERN",),
    "origin_hopping": ("ORIGIN_HOPPING",),
    "new_mid_surge": ("NEW_MANUFACTURER_SURGE",),
    "origin_surge": ("ORIGIN_SURGE",),
    "unit_value_low": ("UNIT_VALUE_LOW",),
    "classification_shift": ("CLASSIFICATION_SHIFT",),
    "implausible_origin": ("IMPLAUSIBLE_ORIGIN",),
    "xinjiang": ("XINJIANG_NEXUS",),
}
SCHEME_CODE = {name: i for i, name in enumerate(SCHEMES)}
EXTRA_RULES = {1: "SUPPLIER_IN_CONCERN", 2: "EXPORT_NE_ORIGIN", 4: "ORIGIN_SURGE"}  # bit -> rule
# share of the rest of the budget per line-picking scheme
SHARES = {
    "transship_mid": 0.20,
    "transship_lading": 0.20,
    "origin_hopping": 0.15,
    "unit_value_low": 0.15,
    "classification_shift": 0.12,
    "implausible_origin": 0.09,
    "xinjiang": 0.09,
}
_HS6 = np.array([p.hs6 for p in PRODUCTS])
_CN = CODE_INDEX["CN"]
_COVERED_FAMILIES = [
    FAMILIES.index(f) for f in FAMILIES if all(p.covered for p in PRODUCTS if p.family == f)
]


def expected_rules(scheme: int, extra: int) -> str:
    rules = list(SCHEMES[list(SCHEMES)[scheme]])
    rules += [rule for bit, rule in EXTRA_RULES.items() if extra & bit and rule not in rules]
    return "; ".join(rules)


def _all_lines(month: Month, pred: np.ndarray) -> np.ndarray:
    """Per entry: ``pred`` holds on every line of it."""
    return np.logical_and.reduceat(pred, month.starts)


def _take(month: Month, candidates: np.ndarray, lines: int) -> np.ndarray:
    """Random candidate entries until they hold at least ``lines`` lines."""
    ids = np.flatnonzero(candidates)
    if lines <= 0 or ids.size == 0:
        return ids[:0]
    ids = month.rng.permutation(ids)
    k = int(np.searchsorted(np.cumsum(month.sizes[ids]), lines)) + 1
    return np.sort(ids[:k])


def plant(month: Month, uni: Universe, *, event: date, share: float) -> None:
    """Rewrite entries dated on or after ``event`` into the schemes; mark them."""
    first = np.datetime64(month.first_day)
    post = (first + month.day.astype("timedelta64[D]")) >= np.datetime64(event)
    if not post.any():
        return
    budget = round(share * int(month.sizes[post].sum()))
    free = post.copy()
    family = uni.pair_family[month.pair]

    def mark(ids: np.ndarray, scheme: str, extra: np.ndarray | int = 0) -> None:
        month.scheme[ids] = SCHEME_CODE[scheme]
        month.extra[ids] |= np.asarray(extra, dtype=np.uint8)
        free[ids] = False

    used = _surges(month, uni, free, mark)
    used += _new_manufacturer(month, uni, free, post, event, mark)
    rest = max(budget - used, budget // 3)
    dest = rw.destinations(uni)
    relabelable = np.isin(family, list(dest)) & np.isin(family, _COVERED_FAMILIES)
    relabelable &= month.origin == _CN
    shiftable = np.isin(month.product, [PRODUCT_INDEX[k] for k in SIBLINGS])
    no_capacity = [FAMILIES.index(f) for f in IMPLAUSIBLE]
    steps: list[tuple[str, np.ndarray, Callable[[np.ndarray], None]]] = [
        (
            "origin_hopping",
            relabelable & (month.supplier == month.maker_id) & _middle(month, uni),
            lambda ids: rw.hop(month, uni, ids, dest, mark),
        ),
        ("transship_mid", relabelable, lambda ids: rw.transship_mid(month, uni, ids, dest, mark)),
        (
            "transship_lading",
            relabelable,
            lambda ids: rw.transship_lading(month, uni, ids, dest, mark),
        ),
        ("unit_value_low", np.ones_like(free), lambda ids: rw.undervalue(month, ids, mark)),
        (
            "classification_shift",
            (month.origin == _CN) & _all_lines(month, shiftable),
            lambda ids: rw.shift_class(month, ids, mark),
        ),
        (
            "implausible_origin",
            np.isin(family, no_capacity),
            lambda ids: rw.implausible(month, uni, ids, mark),
        ),
        (
            "xinjiang",
            np.isin(family, [FAMILIES.index(f) for f in XINJIANG_FAMILIES]),
            lambda ids: rw.xinjiang(month, uni, ids, mark),
        ),
    ]
    for name, eligible, apply in steps:
        target = round(rest * SHARES[name])
        take = _take_firms if name == "origin_hopping" else _take
        ids = take(month, free & eligible, target)
        if ids.size:
            apply(ids)


def _surges(month: Month, uni: Universe, free: np.ndarray, mark: Mark) -> int:
    """Origin surge: every line of each surge pair's HTS6 after the event, plus Chinese entries
    of that HTS6 diverted to the pair's manufacturers (3x the pair's own lines)."""
    family, hs6_line = uni.pair_family[month.pair], _HS6[month.product]
    used = 0
    for fam, country, hs6 in SURGE_PAIRS:
        f, c = FAMILIES.index(fam), CODE_INDEX[country]
        in_hs6 = _all_lines(month, hs6_line == hs6)
        any_hs6 = np.logical_or.reduceat(hs6_line == hs6, month.starts)
        base = free & any_hs6 & (family == f) & (month.origin == c)
        mark(np.flatnonzero(base), "origin_surge")
        month.unplanted |= base[month.entry] & (hs6_line != hs6)  # its other goods stay clean
        base_lines = int(np.count_nonzero(base[month.entry] & (hs6_line == hs6)))
        target = max(3 * base_lines, 6)
        ids = _take(month, free & in_hs6 & (family == f) & (month.origin == _CN), target)
        j = uni.pair_of(fam, country)
        start, count = np.full(ids.size, uni.pair_start[j]), np.full(ids.size, uni.pair_count[j])
        firms = zipf_pick(month.rng, start, count)
        relabel(month, ids, np.full(ids.size, c), firms)
        month.lading[ids] = uni.firm_port[firms]
        mark(ids, "origin_surge")
        used += base_lines + int(month.sizes[ids].sum())
    return used


def _new_manufacturer(
    month: Month, uni: Universe, free: np.ndarray, post: np.ndarray, event: date, mark: Mark
) -> int:
    """A manufacturer never seen before ships a quarter of the month's HTS6 value, taken from
    Chinese entries of that HTS6 (one campaign a month, in turn)."""
    fam, country, hs6 = NEW_MID_CAMPAIGNS[_campaign(month, event) % len(NEW_MID_CAMPAIGNS)]
    family, hs6_line = uni.pair_family[month.pair], _HS6[month.product]
    in_hs6 = _all_lines(month, hs6_line == hs6)
    target = 0.25 * float(month.value[post[month.entry] & (hs6_line == hs6)].sum())
    cand = np.flatnonzero(free & in_hs6 & (family == FAMILIES.index(fam)) & (month.origin == _CN))
    cand = month.rng.permutation(cand)
    entry_value = np.add.reduceat(month.value, month.starts)
    ids = np.sort(cand[: int(np.searchsorted(np.cumsum(entry_value[cand]), target)) + 1])
    if not ids.size:
        return 0
    firm = month.n_base + month.maker.make(country, fam, "new_mid")
    relabel(month, ids, np.full(ids.size, CODE_INDEX[country]), np.full(ids.size, firm))
    month.lading[ids] = month.new_firm_port(firm)
    surge = any((fam, country) == (sf, sc) for sf, sc, _ in SURGE_PAIRS)
    mark(ids, "new_mid_surge", 4 if surge else 0)
    return int(month.sizes[ids].sum())


def _campaign(month: Month, event: date) -> int:
    """How many months after the event's month this month is (0 in the event's month)."""
    return (month.first_day.year - event.year) * 12 + month.first_day.month - event.month


def _middle(month: Month, uni: Universe) -> np.ndarray:
    """The manufacturer is in the bigger half of its pair but not its biggest (it has shipped
    before, and moving all of it does not move most of the pair)."""
    rank = month.maker_id - uni.pair_start[month.pair]
    middle: np.ndarray = (rank >= 1) & (rank < np.maximum(2, uni.pair_count[month.pair] // 2))
    return middle


def _take_firms(month: Month, candidates: np.ndarray, lines: int) -> np.ndarray:
    """Every candidate entry of random manufacturers until they hold at least ``lines`` lines:
    a firm that moves, moves all its shipments."""
    ids = np.flatnonzero(candidates)
    if lines <= 0 or ids.size == 0:
        return ids[:0]
    firms, inverse = np.unique(month.maker_id[ids], return_inverse=True)
    volume = np.bincount(inverse, weights=month.sizes[ids])
    order = month.rng.permutation(firms.size)
    k = int(np.searchsorted(np.cumsum(volume[order]), lines)) + 1
    chosen = np.zeros(firms.size, dtype=bool)
    chosen[order[:k]] = True
    return ids[chosen[inverse]]
