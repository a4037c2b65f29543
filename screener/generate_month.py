"""One month of clean entry lines for ``screener generate``, as numpy arrays (no per-line Python).

An entry is one shipment: one importer, one supplier and manufacturer, one origin, one route and
date; it has 1-5 lines of products of the supplier's family. Per-entry arrays have length E and
per-line arrays length L (``entry`` maps a line to its entry). Schemes (``generate_schemes``)
rewrite some entries after the duty change; ``generate`` turns the arrays into a frame.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from screener.generate_catalog import (
    EAST_PORTS,
    EUROPE_AFRICA,
    HUB_PORTS,
    LAND_PORTS,
    PRODUCTS,
    WEST_PORTS,
)
from screener.generate_firms import FirmMaker
from screener.generate_universe import CODE_INDEX, CODES, PORT_INDEX, PORTS, Universe, zipf_pick

POE: tuple[str, ...] = tuple(
    dict.fromkeys([*WEST_PORTS, *EAST_PORTS, *(p for v in LAND_PORTS.values() for p in v)])
)
_SIZES = np.arange(1, 6)
_SIZE_P = np.array([0.45, 0.25, 0.15, 0.10, 0.05])
UNIT = np.array([p.unit for p in PRODUCTS])
_LOG_LO = np.log([p.qty[0] for p in PRODUCTS])
_LOG_HI = np.log([p.qty[1] for p in PRODUCTS])
_UV = np.array([p.unit_value for p in PRODUCTS])
_SIGMA = np.array([p.sigma for p in PRODUCTS])


@dataclass
class Month:
    seed: int
    index: int  # 0-based month of the scenario
    first_day: date
    days: int
    rng: np.random.Generator
    maker: FirmMaker  # firms this month adds (twins, new manufacturers): ids from n_base on
    n_base: int
    # per entry
    day: np.ndarray
    pair: np.ndarray
    origin: np.ndarray
    export: np.ndarray
    supplier: np.ndarray
    maker_id: np.ndarray
    lading: np.ndarray
    transit: np.ndarray  # port index, -1 none
    importer: np.ndarray
    poe: np.ndarray
    related: np.ndarray
    variant: np.ndarray  # supplier name as written: 0 canonical, 1 legal-form variant, 2 upper
    claim_spi: np.ndarray
    chain: np.ndarray  # declares mine / refine countries
    starts: np.ndarray
    sizes: np.ndarray
    # per line
    entry: np.ndarray
    product: np.ndarray
    qty: np.ndarray
    value: np.ndarray
    u_line: np.ndarray
    # filled by the schemes
    scheme: np.ndarray = field(init=False)
    extra: np.ndarray = field(init=False)
    unplanted: np.ndarray = field(init=False)  # per line: clean although its entry is planted
    twins: dict[tuple[int, int], int] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.scheme = np.zeros(self.day.shape[0], dtype=np.int8)
        self.extra = np.zeros(self.day.shape[0], dtype=np.uint8)
        self.unplanted = np.zeros(self.entry.shape[0], dtype=bool)

    def new_firm_port(self, firm: int) -> int:
        return PORT_INDEX[self.maker.rows[firm - self.n_base][6]]

    def new_firm_country(self, firm: int) -> int:
        return CODE_INDEX[self.maker.rows[firm - self.n_base][2]]


def round_qty(qty: np.ndarray, product: np.ndarray) -> np.ndarray:
    """Whole units for 'No.' and large weights; one decimal for small weights."""
    whole = (UNIT[product] == "No.") | (qty >= 100)
    return np.where(whole, np.maximum(1.0, np.round(qty)), np.round(qty, 1))


def _days(rng: np.random.Generator, first: date, n_days: int, size: int) -> np.ndarray:
    weekday = np.array([(first.weekday() + d) % 7 < 5 for d in range(n_days)], dtype=float)
    p = np.where(weekday > 0, 1.0, 0.15)
    return rng.choice(n_days, size=size, p=p / p.sum())


def draw_month(uni: Universe, seed: int, index: int, first: date, n_lines: int) -> Month:
    rng = np.random.default_rng([seed, 1000 + index])
    sizes = rng.choice(_SIZES, size=int(n_lines / 2.05 * 1.2) + 8, p=_SIZE_P)
    cum = np.cumsum(sizes)
    n_entries = int(np.searchsorted(cum, n_lines)) + 1
    sizes = sizes[:n_entries].copy()
    sizes[-1] -= int(cum[n_entries - 1]) - n_lines
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    n_days = calendar.monthrange(first.year, first.month)[1]

    pair = np.searchsorted(uni.pair_cum, rng.random(n_entries) * uni.pair_cum[-1], side="right")
    pair = np.minimum(pair, uni.pair_cum.shape[0] - 1)
    maker = zipf_pick(rng, uni.pair_start[pair], uni.pair_count[pair])
    supplier = np.where(rng.random(n_entries) < 0.03, uni.pair_trader[pair], maker)
    origin = uni.pair_country[pair]
    lading = uni.firm_port[maker]
    bonded = rng.random(n_entries) < 0.005  # warehoused in Singapore / Rotterdam, exported there
    hub = rng.integers(0, 2, n_entries)
    export = np.where(bonded, np.where(hub == 0, CODE_INDEX["SG"], CODE_INDEX["NL"]), origin)
    lading = np.where(bonded, np.where(hub == 0, PORT_INDEX["SGSIN"], PORT_INDEX["NLRTM"]), lading)
    land = np.isin(origin, [CODE_INDEX["MX"], CODE_INDEX["CA"]])
    hubs = np.array([PORT_INDEX[p] for p in HUB_PORTS])
    hub_country = np.array([CODE_INDEX.get(p[:2], -1) for p in HUB_PORTS])
    pick = rng.integers(0, hubs.shape[0], n_entries)
    via = (rng.random(n_entries) < 0.10) & ~land & ~bonded & (hub_country[pick] != origin)
    transit = np.where(via, hubs[pick], -1)

    family = uni.pair_family[pair]
    imp_start, imp_count = uni.family_importers
    importer = zipf_pick(rng, imp_start[family], imp_count[family])
    east = np.isin(origin, [CODE_INDEX[c] for c in EUROPE_AFRICA])
    west_i = rng.integers(0, len(WEST_PORTS), n_entries)
    east_i = len(WEST_PORTS) + rng.integers(0, len(EAST_PORTS), n_entries)
    poe = np.where(east, east_i, west_i)
    for country, ports in LAND_PORTS.items():
        by_land = (origin == CODE_INDEX[country]) & (rng.random(n_entries) < 0.7)
        land_i = np.array([POE.index(p) for p in ports])[rng.integers(0, len(ports), n_entries)]
        poe = np.where(by_land, land_i, poe)

    entry = np.repeat(np.arange(n_entries), sizes)
    key = pair[entry] + rng.random(n_lines)
    product = uni.pp_product[
        np.minimum(np.searchsorted(uni.pp_key, key, side="right"), len(uni.pp_key) - 1)
    ]
    qty = np.exp(_LOG_LO[product] + rng.random(n_lines) * (_LOG_HI[product] - _LOG_LO[product]))
    qty = round_qty(qty, product)
    unit_value = _UV[product] * np.exp(_SIGMA[product] * rng.standard_normal(n_lines))
    value = np.round(qty * unit_value, 2)
    variant = rng.choice(3, size=n_entries, p=[0.85, 0.10, 0.05]).astype(np.int8)
    return Month(
        seed=seed,
        index=index,
        first_day=first,
        days=n_days,
        rng=rng,
        maker=FirmMaker(
            np.random.default_rng([seed, 2000 + index]),
            used_names=set(uni.maker.used_names),
            used_mids=set(uni.maker.used_mids),
        ),
        n_base=uni.firms.height,
        day=_days(rng, first, n_days, n_entries),
        pair=pair,
        origin=origin,
        export=export,
        supplier=supplier,
        maker_id=maker,
        lading=lading,
        transit=transit,
        importer=importer,
        poe=poe,
        related=rng.random(n_entries) < 0.15,
        variant=variant,
        claim_spi=rng.random(n_entries) < 0.7,
        chain=rng.random(n_entries) < 0.35,
        starts=starts,
        sizes=sizes,
        entry=entry,
        product=product,
        qty=qty,
        value=value,
        u_line=rng.random(n_lines),
    )


__all__ = ["CODES", "POE", "PORTS", "UNIT", "Month", "draw_month", "round_qty"]
