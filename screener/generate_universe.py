"""The fixed cast of a generated scenario: who makes what where, who trades, who imports.

Built once per scenario from the seed and the monthly volume. A *pair* is a product family made
in one country (``("magnet", "CN")``); its weight is the share of lines it ships, its firms are a
contiguous range of the firm table, and its products are drawn from a per-pair distribution.
Importers are per family, so an importer of magnets does not also buy the uncovered sibling.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from screener.generate_catalog import (
    CN_TRANSIT,
    COUNTRIES,
    HUB_COUNTRIES,
    HUB_PORTS,
    PRODUCTS,
    TRADER_COUNTRIES,
    XINJIANG_CITIES,
    XINJIANG_FAMILIES,
)
from screener.generate_firms import FIRM_COLUMNS, FirmMaker

CODES: tuple[str, ...] = tuple(sorted(set(COUNTRIES) | {"CD"}))  # country index -> alpha-2
CODE_INDEX = {c: i for i, c in enumerate(CODES)}
FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(p.family for p in PRODUCTS))
PORTS: tuple[str, ...] = tuple(
    sorted(
        {port for c in COUNTRIES.values() for _, _, port in c.cities}
        | {port for _, port in XINJIANG_CITIES}
        | set(HUB_PORTS)
        | set(CN_TRANSIT)
    )
)
PORT_INDEX = {p: i for i, p in enumerate(PORTS)}


@dataclass(frozen=True)
class Universe:
    firms: pl.DataFrame  # FIRM_COLUMNS, one row per firm (index = firm id)
    firm_country: np.ndarray  # firm id -> country index (CODES)
    firm_port: np.ndarray  # firm id -> port index (PORTS)
    maker: FirmMaker  # the maker of the base firms (its used names / MIDs seed month extras)
    pair_family: np.ndarray  # pair -> family index
    pair_country: np.ndarray  # pair -> country index (CODES)
    pair_cum: np.ndarray  # cumulative pair weights, normalized to 1
    pair_start: np.ndarray  # pair -> first firm id
    pair_count: np.ndarray  # pair -> number of firms
    pair_trader: np.ndarray  # pair -> the hub trader (SG / NL) that resells it
    pp_key: np.ndarray  # pair + cumulative product share within the pair (sorted)
    pp_product: np.ndarray  # product index for each pp_key
    traders: dict[str, np.ndarray]  # relabel country -> firm ids of its traders
    xinjiang: dict[str, np.ndarray]  # family -> firm ids of the Xinjiang suppliers
    family_importers: tuple[np.ndarray, np.ndarray]  # family -> (first importer, count)
    importers: pl.Series  # importer index -> importer of record number

    def pair_of(self, family: str, country: str) -> int:
        """The pair index, or -1 when the family is not made in the country."""
        f, c = FAMILIES.index(family), CODE_INDEX[country]
        hit = np.flatnonzero((self.pair_family == f) & (self.pair_country == c))
        return int(hit[0]) if hit.size else -1


def zipf_pick(rng: np.random.Generator, start: np.ndarray, count: np.ndarray) -> np.ndarray:
    """One of ``count`` items from ``start``, log-uniform in rank (a few big, many small)."""
    rank = np.floor((count + 1.0) ** rng.random(start.shape[0])).astype(np.int64) - 1
    return start + np.clip(rank, 0, count - 1)


def _pairs() -> tuple[list[tuple[str, str]], dict[tuple[str, str], list[tuple[int, float]]]]:
    products: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for i, p in enumerate(PRODUCTS):
        for country, share in p.origins.items():
            products.setdefault((p.family, country), []).append((i, p.weight * share))
    return list(products), products


def build_universe(seed: int, lines_per_month: int) -> Universe:
    rng = np.random.default_rng([seed, 1])
    maker = FirmMaker(rng)
    pairs, products = _pairs()
    weight = np.array([sum(w for _, w in products[p]) for p in pairs])
    n_makers = int(np.clip(8 * np.sqrt(lines_per_month), 80, 8000))
    share = weight**0.7 / (weight**0.7).sum()
    counts = np.maximum(2, np.round(n_makers * share)).astype(np.int64)
    starts = np.zeros(len(pairs), dtype=np.int64)
    for j, (family, country) in enumerate(pairs):
        starts[j] = len(maker.rows)
        for _ in range(counts[j]):
            maker.make(country, family, "maker")
    hub = [
        maker.make(HUB_COUNTRIES[j % len(HUB_COUNTRIES)], "trading", "hub_trader")
        for j in range(len(pairs))
    ]
    n_traders = int(np.clip(lines_per_month / 2000, 6, 60))
    traders = {
        c: np.array([maker.make(c, "trading", "relabel_trader") for _ in range(n_traders)])
        for c in TRADER_COUNTRIES
        if c not in HUB_COUNTRIES
    }
    xinjiang = {f: np.array([maker.make_xinjiang(f) for _ in range(6)]) for f in XINJIANG_FAMILIES}
    keys: list[float] = []
    prods: list[int] = []
    for j, pair in enumerate(pairs):
        w = np.array([x for _, x in products[pair]])
        keys.extend(j + np.cumsum(w) / w.sum())
        prods.extend(i for i, _ in products[pair])
    family_weight = np.array(
        [sum(p.weight for p in PRODUCTS if p.family == f) for f in FAMILIES], dtype=float
    )
    n_importers = int(np.clip(lines_per_month / 40, 40, 25000))
    per_family = np.maximum(
        3, np.round(n_importers * family_weight**0.8 / (family_weight**0.8).sum())
    )
    per_family = per_family.astype(np.int64)
    imp_start = np.concatenate([[0], np.cumsum(per_family)[:-1]])
    ids = rng.choice(90_000_000, size=int(per_family.sum()), replace=False)
    importers = pl.Series(
        "importer_id",
        [f"{10 + i // 10_000_000:02d}-{i % 10_000_000:07d}00" for i in ids.tolist()],
    )
    firms = pl.DataFrame(maker.rows, schema=list(FIRM_COLUMNS), orient="row")
    return Universe(
        firms=firms,
        firm_country=np.array([CODE_INDEX[r[2]] for r in maker.rows]),
        firm_port=np.array([PORT_INDEX[r[6]] for r in maker.rows]),
        maker=maker,
        pair_family=np.array([FAMILIES.index(f) for f, _ in pairs]),
        pair_country=np.array([CODE_INDEX[c] for _, c in pairs]),
        pair_cum=np.cumsum(weight) / weight.sum(),
        pair_start=starts,
        pair_count=counts,
        pair_trader=np.array(hub),
        pp_key=np.array(keys),
        pp_product=np.array(prods),
        traders=traders,
        xinjiang=xinjiang,
        family_importers=(imp_start, per_family),
        importers=importers,
    )
