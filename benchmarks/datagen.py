"""Seeded, vectorized generators of benchmark inputs: entry lines and a custom entity list.

Scenario: a nightly batch of ``n_lines`` entry lines (DESIGN §3) with realistic supplier-name
repetition (log-uniform, i.e. Zipf-like with exponent ~1, over ``n_suppliers`` distinct invented
names, plus the spelling variants real paperwork carries), screened against a custom list CSV of
``n_names`` invented entities, a small share of which are suppliers in the batch so that hits
exist.

Everything is built with polars expressions (no Python loop per line): random numbers come from
hashing the row index with a fixed seed, so a given ``(n_lines, n_suppliers, seed)`` always gives
the same frame. One million lines take a couple of seconds.

    from benchmarks.datagen import make_entries, make_list
    lines = make_entries(1_000_000)        # ENTRY columns, all strings as a CSV reader gives them
    entities = make_list(20_000)           # custom list CSV columns

Every name is invented; any likeness to a real firm is accidental.
"""

# ruff: noqa: E501  (the country and product tables read best one row per line)
from __future__ import annotations

import polars as pl

from screener.schema import ENTRY

__all__ = ["ENTRY_COLUMNS", "LIST_COLUMNS", "cbp_check_digit", "make_entries", "make_list"]

# fmt: off
ENTRY_COLUMNS = tuple(ENTRY)  # the ENTRY columns of screener/schema.py, in order
LIST_COLUMNS = ("entity_id", "name", "aliases", "entity_type", "country", "programs", "address",
                "parent_entity_id", "source_url")
COUNTRIES: dict[str, tuple[int, list[str], list[str], list[str]]] = {
    "CN": (6, ["Ningbo", "Baotou", "Ganzhou", "Shenzhen", "Suzhou", "Xiamen", "Qingdao"],
           ["Co., Ltd.", "Co Ltd", "Company Limited"], ["CNSHA", "CNNGB", "CNSZX", "CNTAO"]),
    "VN": (3, ["Haiphong", "Bacninh", "Danang", "Haiduong", "Bienhoa", "Vungtau", "Thainguyen"], ["Co., Ltd", "Company Limited"],
           ["VNHPH", "VNSGN"]),
    "JP": (2, ["Osaka", "Nagoya", "Himeji", "Kobe", "Akita", "Omuta", "Yokkaichi"], ["Co., Ltd.", "K.K."], ["JPYOK", "JPUKB"]),
    "KR": (2, ["Busan", "Pohang", "Ulsan", "Changwon", "Gumi", "Dangjin", "Cheongju"], ["Co., Ltd.", "Corporation"],
           ["KRPUS", "KRINC"]),
    "MY": (1, ["Penang", "Kuantan", "Klang", "Kulim", "Johor", "Ipoh", "Melaka"], ["Sdn Bhd", "Sdn. Bhd."], ["MYPKG", "MYTPP"]),
    "TH": (1, ["Rayong", "Chonburi", "Ayutthaya", "Lamphun", "Samutprakan", "Sriracha", "Korat"], ["Co., Ltd.", "Company Limited"], ["THLCH"]),
    "DE": (1, ["Hanau", "Goslar", "Bielefeld", "Freiberg", "Duisburg", "Ulm", "Kassel"], ["GmbH", "G.m.b.H."], ["DEHAM", "DEBRV"]),
    "AU": (1, ["Kwinana", "Kalgoorlie", "Perth", "Townsville", "Gladstone", "Geelong", "Whyalla"], ["Pty Ltd", "Pty. Ltd."], ["AUFRE", "AUMEL"]),
    "CA": (1, ["Trail", "Sudbury", "Kingston", "Kamloops", "Nanaimo", "Kelowna", "Prince"], ["Inc.", "Incorporated"], ["CAVAN", "CAMTR"]),
    "MX": (1, ["Queretaro", "Monterrey", "Saltillo", "Puebla", "Leon", "Toluca", "Celaya"], ["S.A. de C.V.", "SA de CV"], ["MXZLO"]),
    "IN": (1, ["Chennai", "Pune", "Tiruppur", "Vadodara", "Nashik", "Coimbatore", "Rajkot"], ["Pvt Ltd", "Private Limited"], ["INNSA", "INMAA"]),
    "RU": (1, ["Chelyabinsk", "Murmansk", "Tomsk", "Perm", "Omsk", "Kazan", "Samara"], ["LLC", "OOO"], ["RULED", "RUVVO"]),
}
CANADA_PROVINCE = "XC"  # MID prefix of the Canadian suppliers (X + province letter)
assert all(len(v[1]) == 7 for v in COUNTRIES.values()), "7 single-word cities per country"
# Invented distinctive words: 30 x 20 = 600 compounds ("Ambergate", "Cedarfield", ...).
_PRE = ["Amber", "Brisk", "Cedar", "Dusk", "Ember", "Fern", "Glen", "Hollow", "Iris", "Juniper",
        "Kestrel", "Lumen", "Marsh", "Nettle", "Otter", "Pebble", "Quill", "Rowan", "Sorrel",
        "Thistle", "Umber", "Vesper", "Willow", "Yarrow", "Zephyr", "Bramble", "Cobble", "Drift",
        "Heron", "Linden"]
_SUF = ["gate", "field", "crest", "wood", "brook", "vale", "stone", "ridge", "haven", "mere",
        "ford", "holt", "wick", "moor", "shaw", "combe", "dale", "fell", "lea", "wyn"]
WORDS = [p + s for p in _PRE for s in _SUF]
# product word in the name -> (HTS lines, unit, unit value USD range, quantity range)
PRODUCTS: list[tuple[str, list[str], str, float, float, int, int]] = [
    ("Magnet", ["8505.11.00.70", "8505.11.00.50"], "kg", 35, 120, 100, 6000),
    ("Energy", ["8507.60.00.10", "8507.60.00.90", "8507.90.80.00"], "No.", 40, 9000, 10, 3000),
    ("Graphite", ["2504.10.10.00", "2504.10.50.00"], "kg", 0.6, 6, 5000, 200000),
    ("Rare Earth", ["2846.90.20.05", "2846.10.00.10", "2805.30.00.20"], "kg", 2, 120, 200, 30000),
    ("Gallium", ["8112.92.10.00", "8112.92.60.00"], "kg", 280, 3000, 10, 1000),
    ("Lithium", ["2836.91.00.50", "2825.20.00.00"], "kg", 9, 26, 5000, 80000),
    ("Cobalt", ["8105.20.60.00"], "kg", 24, 48, 1000, 25000),
    ("Cable", ["8544.49.30.80"], "kg", 6, 16, 500, 20000),
    ("Fasteners", ["7318.15.20.95"], "kg", 1.6, 4.2, 1000, 25000),
    ("Apparel", ["6109.10.00.12"], "doz.", 18, 60, 200, 8000),
    ("Electronics", ["8471.30.01.00", "8504.40.95.70"], "No.", 150, 1100, 10, 3000),
    ("Furniture", ["9403.60.80.93"], "No.", 40, 350, 20, 1500),
]
US_PORTS = ["2704", "2709", "1001", "4601", "5301", "1703", "3001", "2811"]
FILERS = ["B7K", "M42", "QRT", "9XA", "HZ3", "K5P", "TNL", "W2F"]
HUBS = ["SGSIN", "KRPUS", "JPYOK", "CNSHA"]
_SLOTS = [c for c, (w, *_) in COUNTRIES.items() for _ in range(w)]  # 20 country slots
_RADIX = 7 * len(WORDS) * len(PRODUCTS)  # city x word x product combinations per country slot
# fmt: on
_ALPHA_DIGIT = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "12345678912345678923456789", strict=True))


def cbp_check_digit(filer_code: str, transaction: str) -> int:
    """CBP entry number check digit (same algorithm as sample_entries/generate.py): filer-code
    letters to digits (A-I=1-9, J-R=1-9, S-Z=2-9), then Luhn mod 10 over the 10 characters."""
    base = [int(_ALPHA_DIGIT.get(ch, ch)) for ch in filer_code.upper() + transaction]
    total = 0
    for i, d in enumerate(reversed(base)):
        if i % 2 == 0:
            d = 2 * d - 9 if d > 4 else 2 * d
        total += d
    return (10 - total % 10) % 10


def _u(col: str, seed: int, salt: int) -> pl.Expr:
    """Uniform [0, 1) from hashing an integer column with a seed (deterministic)."""
    return (pl.col(col).hash(seed=seed * 1_000_003 + salt) // 2048).cast(pl.Float64) / 2.0**53


def _pick(values: list[str], u: pl.Expr) -> pl.Expr:
    """The element of ``values`` at ``floor(u * len)``."""
    idx = (u * len(values)).floor().cast(pl.Int64)
    return idx.replace_strict(dict(enumerate(values)), return_dtype=pl.String)


def _suppliers(n_suppliers: int, seed: int) -> pl.DataFrame:
    """One row per distinct supplier: sup_id, name parts, country, MID, address, product."""
    if n_suppliers > len(_SLOTS) * _RADIX // max(w for w, *_ in COUNTRIES.values()):
        raise ValueError(f"n_suppliers must be at most {len(_SLOTS) * _RADIX // 6:,}")
    step = 7919 if _RADIX % 7919 else 7907  # coprime with _RADIX: a bijective scramble
    # slot -> (country, rank of the slot among that country's slots): a per-country serial
    rank = {i: _SLOTS[:i].count(c) for i, c in enumerate(_SLOTS)}
    weight = {i: COUNTRIES[c][0] for i, c in enumerate(_SLOTS)}
    slot = pl.col("sup_id") % len(_SLOTS)
    serial = pl.col("sup_id") // len(_SLOTS) * slot.replace_strict(weight) + slot.replace_strict(
        rank
    )
    df = pl.select(sup_id=pl.int_range(n_suppliers, dtype=pl.Int64)).with_columns(
        country=slot.replace_strict(dict(enumerate(_SLOTS))),
        _x=(serial * step + seed) % _RADIX,  # unique within a country while serial < _RADIX
    )
    df = df.with_columns(
        _city=pl.col("_x") % 7,
        word=(pl.col("_x") // 7 % len(WORDS)).replace_strict(dict(enumerate(WORDS))),
        product=(pl.col("_x") // (7 * len(WORDS))).cast(pl.Int64),
    )
    city = pl.lit(None, pl.String)
    legal = pl.lit(None, pl.String)
    legal_alt = pl.lit(None, pl.String)
    for c, (_, cs, forms, _) in COUNTRIES.items():
        is_c = pl.col("country") == c
        pick = pl.col("_city").replace_strict(dict(enumerate(cs)), return_dtype=pl.String)
        city = pl.when(is_c).then(pick).otherwise(city)
        legal = pl.when(is_c).then(pl.lit(forms[0])).otherwise(legal)
        legal_alt = pl.when(is_c).then(pl.lit(forms[-1])).otherwise(legal_alt)
    pword = pl.col("product").replace_strict({i: p[0] for i, p in enumerate(PRODUCTS)})
    street_no = (pl.col("sup_id").hash(seed=seed) % 2000 + 1).cast(pl.String)
    df = df.with_columns(
        city=city, legal=legal, legal_alt=legal_alt, pword=pword, street_no=street_no
    )
    base = pl.concat_str(["city", "word", "pword"], separator=" ")
    prefix = pl.when(pl.col("country") == "CA").then(pl.lit(CANADA_PROVINCE)).otherwise("country")
    return df.with_columns(
        base=base,
        name=pl.concat_str([base, pl.col("legal")], separator=" "),
        name_alt=pl.concat_str([base, pl.col("legal_alt")], separator=" "),
        manufacturer_id=pl.concat_str(
            [
                prefix,
                pl.col("city").str.slice(0, 3).str.to_uppercase(),
                pl.col("word").str.slice(0, 3).str.to_uppercase(),
                pl.col("street_no").str.slice(0, 4),
                pl.col("city").str.slice(0, 3).str.to_uppercase(),
            ]
        ),
        supplier_address=pl.concat_str(
            [pl.col("street_no") + " " + pl.col("word") + " Road", "city", "country"],
            separator=", ",
        ),
    ).drop("_x", "_city")


def make_entries(n_lines: int, *, n_suppliers: int = 50_000, seed: int = 7) -> pl.DataFrame:
    """``n_lines`` entry lines, every ENTRY column a string (as a CSV reader gives them; empty
    optional fields are null), HTS dotted, dates ISO, transit ports ``;``-separated."""
    sup = _suppliers(n_suppliers, seed)
    step = 7919 if n_suppliers % 7919 else 7907
    df = pl.select(i=pl.int_range(n_lines, dtype=pl.Int64))
    # entries: a new entry starts with probability 0.4 (2.5 lines per entry on average)
    df = df.with_columns(_new=(_u("i", seed, 1) < 0.4) | (pl.col("i") == 0))
    df = df.with_columns(e=pl.col("_new").cum_sum().cast(pl.Int64) - 1)
    df = df.with_columns(
        line_number=pl.col("i") - pl.when("_new").then("i").otherwise(None).forward_fill() + 1,
        # Zipf-like supplier choice: log-uniform rank, scrambled to an id
        sup_id=(((n_suppliers + 1.0) ** _u("e", seed, 2)).floor().cast(pl.Int64) - 1).clip(
            0, n_suppliers - 1
        )
        * step
        % n_suppliers,
    )
    df = df.join(sup, on="sup_id", how="left").sort("i")
    tx = (pl.col("e") * 37 + 1_000_000 + seed) % 10_000_000
    filer = _pick(FILERS, _u("e", seed, 3))
    partial = {f: sum(int(d) for d in _luhn_terms(f)) for f in FILERS}
    tx_sum = pl.sum_horizontal(
        [_luhn_digit((tx // 10**k) % 10, doubled=(k % 2 == 0)) for k in range(7)]
    )
    check = (10 - (filer.replace_strict(partial, return_dtype=pl.Int64) + tx_sum) % 10) % 10
    check = pl.when(_u("e", seed, 4) < 0.01).then((check + 3) % 10).otherwise(check)  # ~1% wrong
    hts_n = pl.col("product").replace_strict({i: len(p[1]) for i, p in enumerate(PRODUCTS)})
    hts_k = (_u("i", seed, 5) * hts_n).floor().cast(pl.Int64)
    hts = pl.concat_str([pl.col("product").cast(pl.String), hts_k.cast(pl.String)], separator=":")
    hts_map = {f"{i}:{k}": h for i, p in enumerate(PRODUCTS) for k, h in enumerate(p[1])}

    def by_product(idx: int) -> pl.Expr:
        if idx == 2:
            return pl.col("product").replace_strict({i: p[2] for i, p in enumerate(PRODUCTS)})
        values = {i: float(p[idx]) for i, p in enumerate(PRODUCTS)}  # type: ignore[arg-type]
        return pl.col("product").replace_strict(values, return_dtype=pl.Float64)

    qty = (by_product(5) + _u("i", seed, 6) * (by_product(6) - by_product(5))).floor()
    unit_value = by_product(3) + _u("i", seed, 7) * (by_product(4) - by_product(3))
    # ~3% of lines declare an origin other than the supplier's country (a trader or a route)
    other = _pick(["VN", "MY", "TH", "KR"], _u("e", seed, 8))
    origin = pl.when(_u("e", seed, 9) < 0.03).then(other).otherwise("country")
    ports = pl.lit(None, pl.String)
    for c, (_, _, _, ps) in COUNTRIES.items():
        ports = pl.when(pl.col("country") == c).then(_pick(ps, _u("e", seed, 10))).otherwise(ports)
    # spelling variants of the supplier name: legal-form variant, upper case
    r = _u("e", seed, 11)
    supplier = (
        pl.when(r < 0.10)
        .then("name_alt")
        .when(r < 0.16)
        .then(pl.col("name").str.to_uppercase())
        .otherwise("name")
    )
    day = pl.date(2026, 1, 5) + pl.duration(days=(_u("e", seed, 12) * 86).floor().cast(pl.Int64))
    null = pl.lit(None, pl.String)
    out = df.with_columns(
        entry_number=pl.concat_str(
            [
                filer,
                pl.lit("-"),
                tx.cast(pl.String).str.zfill(7),
                pl.lit("-"),
                check.cast(pl.String),
            ]
        ),
        line_number=pl.col("line_number").cast(pl.String),
        entry_date=day.cast(pl.String),
        hts_code=hts.replace_strict(hts_map, return_dtype=pl.String),
        country_of_origin=origin,
        entered_value_usd=(qty * unit_value).round(2).cast(pl.String),
        supplier_name=supplier,
        country_of_export=origin,
        manufacturer_name=pl.col("name"),
        supplier_country=pl.col("country"),
        importer_id=pl.concat_str(
            [
                pl.lit("27-"),
                (pl.col("e").hash(seed=seed) % 900 + 1000000).cast(pl.String),
                pl.lit("00"),
            ]
        ),
        quantity=qty.cast(pl.Int64).cast(pl.String),
        quantity_unit=by_product(2),
        port_of_lading=ports,
        transit_ports=pl.when(_u("e", seed, 13) < 0.08)
        .then(_pick(HUBS, _u("e", seed, 14)))
        .otherwise(null),
        port_of_entry=_pick(US_PORTS, _u("e", seed, 15)),
        mine_country=null,
        refine_country=null,
        cell_origin=pl.when(pl.col("product") == 1).then(origin).otherwise(null),
        cn_ree_content_pct=null,
        adcvd_case=null,
        related_party=pl.when(_u("e", seed, 16) < 0.15).then(pl.lit("Y")).otherwise(pl.lit("N")),
        spi=null,
    )
    return out.select(ENTRY_COLUMNS)


def _luhn_terms(filer: str) -> list[int]:
    """Luhn contributions of the 3 filer-code characters (positions 10, 9, 8 from the right)."""
    d = [int(_ALPHA_DIGIT.get(ch, ch)) for ch in filer]
    doubled = 2 * d[1] - 9 if d[1] > 4 else 2 * d[1]  # position 9 from the right is doubled
    return [d[0], doubled, d[2]]


def _luhn_digit(d: pl.Expr, *, doubled: bool) -> pl.Expr:
    """Luhn contribution of a transaction digit (k = 0 is the units position: doubled)."""
    if not doubled:
        return d
    return pl.when(d > 4).then(2 * d - 9).otherwise(2 * d)


def make_list(
    n_names: int = 20_000, seed: int = 7, *, n_suppliers: int = 50_000, hit_share: float = 0.01
) -> pl.DataFrame:
    """A custom list CSV frame (``lists/`` custom format) of ``n_names`` invented entities.

    ``hit_share`` of them are suppliers of ``make_entries(..., n_suppliers=n_suppliers,
    seed=seed)``, written with a legal-form variant or in upper case, so a screen finds hits
    (a few tenths of a percent of lines at the defaults); the rest use a vocabulary the
    suppliers never use.
    """
    n_hits = int(n_names * hit_share)
    sup = _suppliers(n_suppliers, seed)
    df = pl.select(k=pl.int_range(n_names, dtype=pl.Int64))
    df = (
        df.with_columns(
            sup_id=(pl.col("k").hash(seed=seed + 99) % n_suppliers).cast(pl.Int64),
            is_hit=pl.col("k") < n_hits,
        )
        .join(sup, on="sup_id", how="left")
        .sort("k")
    )
    # non-hit names: distinct invented vocabulary (no word shared with the supplier pool)
    a = [
        "Azure",
        "Boreal",
        "Crimson",
        "Obsidian",
        "Scarlet",
        "Cobalt Sky",
        "Granite",
        "Ivory",
        "Saffron",
        "Onyx",
        "Indigo",
        "Vermilion",
        "Sable",
        "Cerulean",
        "Topaz",
        "Garnet",
    ]
    b = [
        "Meridian",
        "Pinnacle",
        "Summit",
        "Horizon",
        "Vanguard",
        "Citadel",
        "Bastion",
        "Keystone",
        "Zenith",
        "Apex",
        "Beacon",
        "Frontier",
        "Harbinger",
        "Monarch",
        "Sentinel",
        "Paragon",
    ]
    c = [
        "Minerals",
        "Metallurgy",
        "Smelting",
        "Resources",
        "Alloys",
        "Refining",
        "Materials",
        "Industrial",
        "Holdings",
        "Chemicals",
        "Mining",
        "Technologies",
    ]
    forms = ["Co Ltd", "LLC", "JSC", "Group Co Ltd", "Company Limited", "Trading Co"]
    k = pl.col("k")
    serial = (k // 3072 + 1).cast(pl.String)  # 16*16*12 = 3072 names per serial: all distinct
    fresh = pl.concat_str(
        [
            (k % 16).replace_strict(dict(enumerate(a))),
            (k // 16 % 16).replace_strict(dict(enumerate(b))),
            (k // 256 % 12).replace_strict(dict(enumerate(c))),
            pl.lit("No."),
            serial,
            _pick(forms, _u("k", seed, 24)),
        ],
        separator=" ",
    )
    hit_name = (
        pl.when(_u("k", seed, 25) < 0.5)
        .then("name_alt")
        .otherwise(pl.col("name").str.to_uppercase())
    )
    countries = ["CN", "CN", "CN", "RU", "IR", "KP", "VE", "CN"]
    country = pl.when("is_hit").then("country").otherwise(_pick(countries, _u("k", seed, 26)))
    name = pl.when("is_hit").then(hit_name).otherwise(fresh)
    return df.with_columns(
        entity_id=pl.concat_str([pl.lit("BX-"), pl.col("k").cast(pl.String).str.zfill(6)]),
        name=name,
        aliases=pl.when(_u("k", seed, 27) < 0.3)
        .then(name.str.to_uppercase())
        .otherwise(pl.lit("")),
        entity_type=pl.lit("entity"),
        country=country,
        programs=pl.lit("FICTITIOUS-BENCH"),
        address=pl.when("is_hit").then("supplier_address").otherwise(pl.lit("")),
        parent_entity_id=pl.when(_u("k", seed, 28) < 0.05)
        .then(
            pl.concat_str(
                [pl.lit("BX-"), ((pl.col("k") * 31) % n_names).cast(pl.String).str.zfill(6)]
            )
        )
        .otherwise(pl.lit("")),
        source_url=pl.lit(""),
    ).select(LIST_COLUMNS)


if __name__ == "__main__":
    import time

    for n in (1_000, 1_000_000):
        t = time.perf_counter()
        frame = make_entries(n)
        print(
            f"make_entries({n:,}): {time.perf_counter() - t:.2f}s, "
            f"{frame['supplier_name'].n_unique():,} distinct supplier names"
        )
    t = time.perf_counter()
    names = make_list()
    print(f"make_list(20,000): {time.perf_counter() - t:.2f}s")
