"""The rewrites behind ``generate_schemes``: how one scheme changes the entries it was given.

Each function takes entry indexes of a ``Month`` and rewrites parties, origin and route (or the
value, or the HTS line) in place, then ``mark``s the entries with their scheme (and the bits of
any extra rule the rewrite adds). Randomness comes from the month's generator only.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from screener.generate_catalog import (
    CN_TRANSIT,
    IMPLAUSIBLE,
    PRODUCT_INDEX,
    RELABEL_COUNTRIES,
    RELABEL_WEIGHTS,
    SIBLINGS,
    SURGE_PAIRS,
)
from screener.generate_month import Month, round_qty
from screener.generate_universe import CODE_INDEX, CODES, FAMILIES, PORT_INDEX, Universe, zipf_pick

Mark = Callable[..., None]  # mark(entry ids, scheme, extra bits=0)
Dest = dict[int, tuple[np.ndarray, np.ndarray]]  # family -> (destination countries, weights)
_CN = CODE_INDEX["CN"]


def relabel(month: Month, ids: np.ndarray, country: np.ndarray, firm: np.ndarray) -> None:
    """Entries ``ids`` now come from ``firm`` (supplier and manufacturer) in ``country``."""
    month.origin[ids] = country
    month.export[ids] = country
    month.supplier[ids] = firm
    month.maker_id[ids] = firm
    month.transit[ids] = -1
    month.claim_spi[ids] = False
    month.chain[ids] = False


def _ports(uni: Universe, month: Month, firms: np.ndarray) -> np.ndarray:
    base = firms < month.n_base
    out = np.empty(firms.shape[0], dtype=np.int64)
    out[base] = uni.firm_port[firms[base]]
    out[~base] = [month.new_firm_port(int(f)) for f in firms[~base]]
    return out


def destinations(uni: Universe) -> Dest:
    """Family -> (relabel countries that make it, weights); surge pairs left out."""
    surge = {(f, c) for f, c, _ in SURGE_PAIRS}
    out: Dest = {}
    for f, family in enumerate(FAMILIES):
        keep = [
            (CODE_INDEX[c], w)
            for c, w in zip(RELABEL_COUNTRIES, RELABEL_WEIGHTS, strict=True)
            if uni.pair_of(family, c) >= 0 and (family, c) not in surge
        ]
        if keep:
            codes, weights = zip(*keep, strict=True)
            out[f] = (np.array(codes), np.array(weights) / sum(weights))
    return out


def _pick_destination(month: Month, uni: Universe, ids: np.ndarray, dest: Dest) -> np.ndarray:
    family = uni.pair_family[month.pair[ids]]
    out = np.empty(ids.shape[0], dtype=np.int64)
    for f in np.unique(family):
        at = family == f
        codes, weights = dest[int(f)]
        out[at] = month.rng.choice(codes, size=int(at.sum()), p=weights)
    return out


def _pair_makers(month: Month, uni: Universe, ids: np.ndarray, country: np.ndarray) -> np.ndarray:
    """A manufacturer of the entries' family in ``country`` (Zipf-chosen)."""
    families = uni.pair_family[month.pair[ids]]
    pairs = np.array(
        [uni.pair_of(FAMILIES[f], CODES[c]) for f, c in zip(families, country, strict=True)],
        dtype=np.int64,
    )
    return zipf_pick(month.rng, uni.pair_start[pairs], uni.pair_count[pairs])


def _traders(month: Month, uni: Universe, country: np.ndarray) -> np.ndarray:
    out = np.empty(country.shape[0], dtype=np.int64)
    for c in np.unique(country):
        at = country == c
        pool = uni.traders[CODES[c]]
        out[at] = pool[month.rng.integers(0, pool.shape[0], int(at.sum()))]
    return out


def transship_mid(month: Month, uni: Universe, ids: np.ndarray, dest: Dest, mark: Mark) -> None:
    country = _pick_destination(month, uni, ids, dest)
    traders = _traders(month, uni, country)
    keep_cn = month.rng.random(ids.size) < 0.4  # the Chinese manufacturer invoices itself
    maker = month.maker_id[ids].copy()
    relabel(month, ids, country, np.where(keep_cn, maker, traders))
    month.maker_id[ids] = maker  # the MID stays the Chinese one
    month.lading[ids] = uni.firm_port[traders]
    mark(ids, "transship_mid", np.where(keep_cn, 1, 0))


def transship_lading(month: Month, uni: Universe, ids: np.ndarray, dest: Dest, mark: Mark) -> None:
    country = _pick_destination(month, uni, ids, dest)
    cn_port = month.lading[ids].copy()
    traders = _traders(month, uni, country)
    makers = _pair_makers(month, uni, ids, country)
    relabel(month, ids, country, traders)
    month.maker_id[ids] = makers
    laden_cn = month.rng.random(ids.size) < 0.6
    from_cn = laden_cn & (month.rng.random(ids.size) < 0.5)
    transit = np.array([PORT_INDEX[p] for p in CN_TRANSIT])
    month.lading[ids] = np.where(laden_cn, cn_port, uni.firm_port[traders])
    month.transit[ids] = np.where(
        laden_cn, -1, transit[month.rng.integers(0, transit.size, ids.size)]
    )
    month.export[ids] = np.where(from_cn, _CN, country)
    mark(ids, "transship_lading", np.where(from_cn, 2, 0))


def hop(month: Month, uni: Universe, ids: np.ndarray, dest: Dest, mark: Mark) -> None:
    _, first, inverse = np.unique(month.maker_id[ids], return_index=True, return_inverse=True)
    country = _pick_destination(month, uni, ids[first], dest)[inverse]  # one per firm
    twins = np.array(
        [
            _twin(month, uni, int(m), int(c))
            for m, c in zip(month.maker_id[ids], country, strict=True)
        ]
    )
    relabel(month, ids, country, twins)
    month.lading[ids] = _ports(uni, month, twins)
    mark(ids, "origin_hopping")


def _twin(month: Month, uni: Universe, firm: int, country: int) -> int:
    """The same supplier name with an address and MID in ``country`` (stable per firm)."""
    key = (firm, country)
    if key not in month.twins:
        row = uni.firms.row(firm, named=True)
        saved = month.maker.rng
        month.maker.rng = np.random.default_rng([month.seed, firm, country, 7])
        month.twins[key] = month.n_base + month.maker.make(
            CODES[country],
            str(row["family"]),
            "twin",
            base=str(row["name"]),
            names=(str(row["name"]), str(row["name_alt"])),
        )
        month.maker.rng = saved
    return month.twins[key]


def undervalue(month: Month, ids: np.ndarray, mark: Mark) -> None:
    lines = np.isin(month.entry, ids)
    factor = month.rng.uniform(0.05, 0.20, int(lines.sum()))
    month.value[lines] = np.maximum(0.01, np.round(month.value[lines] * factor, 2))
    mark(ids, "unit_value_low")


def shift_class(month: Month, ids: np.ndarray, mark: Mark) -> None:
    lines = np.flatnonzero(np.isin(month.entry, ids))
    for key, (sibling, (lo, hi)) in SIBLINGS.items():
        at = lines[month.product[lines] == PRODUCT_INDEX[key]]
        month.product[at] = PRODUCT_INDEX[sibling]
        month.qty[at] = round_qty(
            month.qty[at] * month.rng.uniform(lo, hi, at.size), month.product[at]
        )
    mark(ids, "classification_shift")


def implausible(month: Month, uni: Universe, ids: np.ndarray, mark: Mark) -> None:
    family = uni.pair_family[month.pair[ids]]
    country = np.empty(ids.size, dtype=np.int64)
    for f in np.unique(family):
        at = family == f
        codes = np.array([CODE_INDEX[c] for c in IMPLAUSIBLE[FAMILIES[int(f)]]])
        country[at] = codes[month.rng.integers(0, codes.size, int(at.sum()))]
    traders = _traders(month, uni, country)
    relabel(month, ids, country, traders)
    month.lading[ids] = uni.firm_port[traders]
    mark(ids, "implausible_origin")


def xinjiang(month: Month, uni: Universe, ids: np.ndarray, mark: Mark) -> None:
    family = uni.pair_family[month.pair[ids]]
    firms = np.empty(ids.size, dtype=np.int64)
    for f in np.unique(family):
        at = family == f
        pool = uni.xinjiang[FAMILIES[int(f)]]
        firms[at] = pool[month.rng.integers(0, pool.size, int(at.sum()))]
    relabel(month, ids, np.full(ids.size, _CN), firms)
    month.lading[ids] = uni.firm_port[firms]
    mark(ids, "xinjiang")
