"""Seeded generator of the sample entry lines and the planted cases (DESIGN §3, §6, §7).

    .venv/bin/python sample_entries/generate.py

rewrites, deterministically (fixed seed, stdlib ``random`` + polars only):

- ``entries_2026q1_a.csv``      CSV: dotted HTS, ISO and some US m/d/Y dates, some alpha-3 and
                                English country names, ``;``-separated transit ports, ~12 bad rows
- ``entries_2026q1_b.parquet``  Parquet: typed columns, undotted HTS, list-typed transit ports
- ``entries_2026q1_c.ndjson``   NDJSON: one JSON object per line, HTS as ``8505.11.0070``
- ``expected/planted_cases.csv``       every deliberately planted line and what the pipeline must say

Every supplier and manufacturer name is invented, except the few copied exactly from the real
OFAC SDN list (January 2019) and the fictitious entities of ``lists/fictitious_concern.csv``.
Background traffic is drawn from a catalogue of invented firms (``FIRMS``) and real HTS lines
(``PRODUCTS``, every number checked against the USITC HTS 2026 rev. 4).
"""

# ruff: noqa: E501  (catalogue rows and planted-case sentences read best on one line)
from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from screener.schema import ENTRY

SEED = 20260105
OUT = Path(__file__).resolve().parent
FILES = {
    "a": "entries_2026q1_a.csv",
    "b": "entries_2026q1_b.parquet",
    "c": "entries_2026q1_c.ndjson",
}
FILE_SHARE = {"a": 0.61, "b": 0.25, "c": 0.14}
N_LINES = 2000  # background + planted, 2026 Q1 and the 2027 alliance-scenario lines
N_2027_LINES = 60
Q1 = (date(2026, 1, 5), date(2026, 3, 31))
Q1_2027 = (date(2027, 1, 4), date(2027, 3, 31))

# fmt: off
COLUMNS = tuple(ENTRY)  # the ENTRY columns of screener/schema.py, in order
# fmt: on
CONCERN = {"CN", "RU", "IR", "KP", "VE"}


# --- CBP entry number check digit ---------------------------------------------------------------
# CBP ACE CATAIR Appendix E ("Valid Entry Numbers"), as we understand it: the 3-character filer
# code and the 7-digit transaction number form a 10-character base; letters in the filer code are
# first replaced by digits with the classic alphanumeric table A-I=1-9, J-R=1-9, S-Z=2-9; then the
# Luhn mod-10 rule applies: double the units position and every second position to its left, add
# the digits of the products to the other digits, check digit = (10 - sum mod 10) mod 10.
_ALPHA_DIGIT = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "12345678912345678923456789", strict=True))


def cbp_check_digit(filer_code: str, transaction: str) -> int:
    """Check digit of entry number ``filer_code``-``transaction`` (3 alphanumerics, 7 digits)."""
    base = [int(_ALPHA_DIGIT.get(ch, ch)) for ch in filer_code.upper() + transaction]
    total = 0
    for i, d in enumerate(reversed(base)):
        if i % 2 == 0:  # units position and every alternate position
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return (10 - total % 10) % 10


def format_entry_number(filer_code: str, transaction: int) -> str:
    tx = f"{transaction:07d}"
    return f"{filer_code}-{tx}-{cbp_check_digit(filer_code, tx)}"


# --- CBP manufacturer identification code (MID) -------------------------------------------------
_MID_SKIP = {"A", "AN", "AND", "OF", "THE", "DE", "DEL", "LA", "LE"}


def make_mid(prefix: str, name: str, street_number: str, city: str) -> str:
    """CBP MID: country ISO2 (Canada: X + province) + first 3 letters of the first two words of
    the name + up to 4 digits of the street number + first 3 letters of the city."""
    words = [w for w in re.sub(r"[^A-Za-z ]", " ", name).upper().split() if w not in _MID_SKIP]
    digits = re.sub(r"\D", "", street_number)[:4]
    city_part = re.sub(r"[^A-Za-z]", "", city).upper()[:3]
    return prefix + "".join(w[:3] for w in words[:2]) + digits + city_part


# --- the product catalogue: real 10-digit HTS lines ---------------------------------------------
@dataclass(frozen=True)
class Product:
    hts: str  # dotted, 10 digits
    unit: str
    unit_value: tuple[float, float]  # USD per unit
    qty: tuple[float, float]  # per line
    weight: float  # share of background lines
    special: frozenset[str] = frozenset()  # SPI codes the HTS special column lists (subset used)


_FTA = frozenset({"AU", "KR", "S", "CL", "PE", "SG"})
PRODUCTS: dict[str, Product] = {
    "ndfeb": Product("8505.11.00.70", "kg", (35, 95), (100, 6000), 10, _FTA | {"JP"}),
    "smco": Product("8505.11.00.50", "kg", (90, 220), (20, 800), 2, _FTA | {"JP"}),
    "ev_batt": Product("8507.60.00.10", "No.", (4500, 14000), (10, 300), 6, _FTA),
    "liion": Product("8507.60.00.90", "No.", (40, 900), (50, 5000), 8, _FTA),
    "batt_parts": Product("8507.90.80.00", "kg", (8, 45), (200, 20000), 5, _FTA),
    "flake": Product("2504.10.10.00", "kg", (0.55, 1.6), (20000, 250000), 5),
    "anode_graphite": Product("2504.10.50.00", "kg", (2.0, 6.0), (5000, 60000), 2),
    "re_oxide": Product("2846.90.20.05", "kg", (1.5, 7), (1000, 40000), 4),
    "ce_oxide": Product("2846.10.00.10", "kg", (1.2, 5), (1000, 30000), 3, _FTA),
    "gallium": Product("8112.92.10.00", "kg", (280, 750), (20, 1500), 3, _FTA),
    "germanium": Product("8112.92.60.00", "kg", (1300, 3200), (10, 400), 2, _FTA),
    "nd_metal": Product("2805.30.00.20", "kg", (55, 130), (100, 5000), 3, _FTA),
    "ce_metal": Product("2805.30.00.10", "kg", (4, 12), (500, 10000), 1, _FTA),
    "li_carb": Product("2836.91.00.50", "kg", (9, 24), (5000, 100000), 4, _FTA),
    "li_hyd": Product("2825.20.00.00", "kg", (9, 26), (5000, 80000), 4, _FTA),
    "cobalt": Product("8105.20.60.00", "kg", (24, 48), (1000, 25000), 4),
    "zinc_dust": Product("7903.10.00.00", "kg", (2.5, 4.5), (2000, 40000), 2, _FTA),
    "w_conc": Product("2611.00.60.00", "kg", (12, 25), (2000, 20000), 1, _FTA),
    "antimony": Product("8110.10.00.00", "kg", (12, 60), (1000, 20000), 2),
    "ni_metal": Product("7502.10.00.00", "kg", (14, 22), (5000, 60000), 3),
    "mn_ore": Product("2602.00.00.60", "kg", (0.15, 0.4), (200000, 2000000), 1),
    "femn": Product("7202.11.50.00", "kg", (0.9, 1.6), (20000, 300000), 2, _FTA),
    # not critical-mineral lines: NOT_COVERED under any ruleset
    "cable": Product("8544.49.30.80", "kg", (6, 16), (500, 20000), 8, _FTA),
    "bolts": Product("7318.15.20.95", "kg", (1.6, 4.2), (1000, 25000), 7),
    "tshirt": Product("6109.10.00.12", "doz.", (18, 60), (200, 8000), 6, _FTA),
    "laptop": Product("8471.30.01.00", "No.", (280, 1100), (50, 3000), 5),
    "furniture": Product("9403.60.80.93", "No.", (40, 350), (20, 1500), 4),
    "inverter": Product("8504.40.95.70", "No.", (150, 2200), (10, 800), 3),
}
BATTERIES = {"ev_batt", "liion"}
ADCVD_ANODE = ["A-570-176", "C-570-177"]  # active anode material from China (illustrative)
# fmt: off
MINERALS = {"flake", "anode_graphite", "re_oxide", "ce_oxide", "gallium", "germanium", "nd_metal",
            "ce_metal", "li_carb", "li_hyd", "cobalt", "w_conc", "antimony", "ni_metal", "mn_ore"}
# fmt: on


# --- invented firms ------------------------------------------------------------------------------
# fmt: off
LEGAL = {  # canonical legal form first, then the variants suppliers write
    "CN": ["Co., Ltd.", "Co Ltd", "Company Limited", "CO.,LTD"],
    "VN": ["Co., Ltd", "Company Limited", "Co Ltd"], "JSC": ["JSC", "Joint Stock Company", "J.S.C."],
    "MY": ["Sdn Bhd", "Sdn. Bhd.", "Sendirian Berhad"], "TH": ["Co., Ltd.", "Company Limited"],
    "JP": ["Co., Ltd.", "Co Ltd", "K.K."], "KR": ["Co., Ltd.", "Co Ltd", "Corporation"],
    "AU": ["Pty Ltd", "Pty. Ltd.", "Proprietary Limited"], "CA": ["Inc.", "Inc", "Incorporated"],
    "GB": ["Ltd", "Limited", "Ltd."], "DE": ["GmbH", "G.m.b.H."], "BE": ["NV", "N.V."],
    "FI": ["Oy"], "NO": ["AS", "A/S"], "EE": ["AS"], "CL": ["SpA", "S.p.A."], "AR": ["S.A.", "SA"],
    "BR": ["Ltda", "Ltda."], "PE": ["S.A.C.", "SAC"], "MX": ["S.A. de C.V.", "SA de CV"],
    "LDA": ["Lda", "Limitada"], "SARL": ["SARL", "S.A.R.L."], "ZA": ["(Pty) Ltd", "Pty Ltd"],
    "TW": ["Co., Ltd.", "Co Ltd"], "IN": ["Pvt Ltd", "Private Limited", "Pvt. Ltd."],
    "BD": ["Ltd", "Limited"], "PH": ["Inc.", "Inc"], "ID": ["PT", "PT."],
    "SG": ["Pte Ltd", "Pte. Ltd.", "Private Limited"], "NL": ["B.V.", "BV"], "LLP": ["LLP"],
    "RU": ["LLC", "OOO"], "HN": ["S.A.", "SA"],
}
# fmt: on


@dataclass(frozen=True)
class Firm:
    key: str
    base: str  # name without legal form
    legal: str  # key of LEGAL
    country: str
    city: str
    street_no: str
    street: str
    products: tuple[str, ...]
    weight: float = 1.0
    mid_prefix: str = ""  # "" -> the country; Canada: X + province letter
    typo: str = ""  # a misspelling of base that this supplier's paperwork sometimes carries
    ports: tuple[str, ...] = ()  # "" -> the country's ports

    @property
    def name(self) -> str:
        form = LEGAL[self.legal][0]
        return f"{form} {self.base}" if self.legal == "ID" else f"{self.base} {form}"

    @property
    def address(self) -> str:
        return f"{self.street_no} {self.street}, {self.city}, {COUNTRY_NAME[self.country]}"

    @property
    def mid(self) -> str:
        return make_mid(self.mid_prefix or self.country, self.base, self.street_no, self.city)


def _f(
    key: str,
    base: str,
    legal: str,
    cc: str,
    city: str,
    no: str,
    street: str,
    products: str,
    weight: float = 1.0,
    **kw: Any,
) -> Firm:
    return Firm(key, base, legal, cc, city, no, street, tuple(products.split()), weight, **kw)


# fmt: off
FIRMS: list[Firm] = [
    # China (country of concern)
    _f("cn01", "Ningbo Cloudgate Magnet", "CN", "CN", "Ningbo", "128", "Xingning Road", "ndfeb", 3, typo="Ningbo Cloudgat Magnet"),
    _f("cn02", "Baotou Silverpine Rare Earth", "CN", "CN", "Baotou", "45", "Hexi Industrial Park", "re_oxide ce_oxide nd_metal ce_metal", 2),
    _f("cn03", "Ganzhou Emberfield Materials", "CN", "CN", "Ganzhou", "9", "Jinling Avenue", "re_oxide nd_metal"),
    _f("cn04", "Taiyuan Ironbloom Magnetics", "CN", "CN", "Taiyuan", "301", "Changzhi Road", "ndfeb smco", 2),
    _f("cn05", "Hangzhou Quietriver Magnetic Technology", "CN", "CN", "Hangzhou", "66", "Binkang Road", "ndfeb"),
    _f("cn06", "Shenzhen Brightarc Power Cell", "CN", "CN", "Shenzhen", "2388", "Guanlan Avenue", "ev_batt liion", 2),
    _f("cn07", "Ningde Tideline Energy", "CN", "CN", "Ningde", "18", "Zhangwan Road", "ev_batt liion batt_parts", 2, typo="Ningde Tidline Energy"),
    _f("cn08", "Changzhou Bluewren New Energy", "CN", "CN", "Changzhou", "77", "Wujin Road", "liion batt_parts"),
    _f("cn09", "Jixi Northpeak Graphite", "CN", "CN", "Jixi", "12", "Lishu Road", "flake anode_graphite", 2),
    _f("cn10", "Hegang Hollowstone Graphite", "CN", "CN", "Hegang", "5", "Yunshan Road", "flake"),
    _f("cn11", "Qingdao Seawind Carbon", "CN", "CN", "Qingdao", "210", "Laoshan Road", "flake anode_graphite"),
    _f("cn12", "Zhuzhou Greyheron Metals", "CN", "CN", "Zhuzhou", "33", "Hetang Road", "gallium germanium"),
    _f("cn13", "Kunming Cloudridge Germanium", "CN", "CN", "Kunming", "88", "Dianchi Road", "germanium"),
    _f("cn14", "Zibo Oakvale Gallium", "CN", "CN", "Zibo", "150", "Huaguang Road", "gallium"),
    _f("cn15", "Sichuan Snowpass Lithium", "CN", "CN", "Suining", "27", "Shehong Road", "li_carb li_hyd", 2),
    _f("cn16", "Jiangxi Redmaple Lithium", "CN", "CN", "Yichun", "400", "Yuanzhou Road", "li_carb li_hyd"),
    _f("cn17", "Zhejiang Copperleaf Cobalt", "CN", "CN", "Quzhou", "19", "Kecheng Road", "cobalt"),
    _f("cn18", "Guangzhou Pearlgate Cable", "CN", "CN", "Guangzhou", "1200", "Huangpu Avenue", "cable", 2),
    _f("cn19", "Ningbo Ironthorn Fasteners", "CN", "CN", "Ningbo", "56", "Beilun Road", "bolts", 2),
    _f("cn20", "Jiaxing Threepine Fasteners", "CN", "CN", "Jiaxing", "8", "Haiyan Road", "bolts"),
    _f("cn21", "Suzhou Cloverfield Electronics", "CN", "CN", "Suzhou", "500", "Xinghu Street", "laptop inverter", 2),
    _f("cn22", "Dongguan Amberbay Apparel", "CN", "CN", "Dongguan", "16", "Humen Road", "tshirt"),
    _f("cn23", "Hunan Stonelily Antimony", "CN", "CN", "Lengshuijiang", "3", "Xikuang Road", "antimony"),
    _f("cn24", "Xiamen Wildgoose Tungsten", "CN", "CN", "Xiamen", "61", "Haicang Road", "w_conc"),
    _f("cn25", "Tianjin Pinecrest Zinc", "CN", "CN", "Tianjin", "72", "Binhai Road", "zinc_dust"),
    _f("cn26", "Foshan Longlight Furniture", "CN", "CN", "Foshan", "39", "Lecong Road", "furniture"),
    _f("cn27", "Ningbo Kestrelwing Magnetics", "CN", "CN", "Ningbo", "7", "Cixi Road", "ndfeb"),
    _f("cn28", "Wuhai Duskwind Ferroalloys", "CN", "CN", "Wuhai", "14", "Haibowan Road", "femn"),
    # Viet Nam
    _f("vn01", "Haiphong Lotusbay Components", "VN", "VN", "Hai Phong", "42", "Dinh Vu Road", "ndfeb liion", 2),
    _f("vn02", "Bac Ninh Tidewell Electronics", "VN", "VN", "Bac Ninh", "11", "Yen Phong Road", "liion laptop", 2),
    _f("vn03", "Saigon Palmgrove Garment", "JSC", "VN", "Ho Chi Minh City", "230", "Tan Thuan Road", "tshirt", 2),
    _f("vn04", "Dong Nai Cranewood Furniture", "VN", "VN", "Bien Hoa", "15", "Amata Road", "furniture", 2),
    _f("vn05", "Vinh Phuc Ironleaf Cable", "VN", "VN", "Vinh Yen", "6", "Khai Quang Road", "cable"),
    _f("vn06", "Hai Duong Verdant Magnet", "VN", "VN", "Hai Duong", "27", "Nam Sach Road", "ndfeb", typo="Hai Duong Verdnat Magnet"),
    _f("vn07", "Thai Nguyen Stoneleaf Rare Metals", "JSC", "VN", "Thai Nguyen", "4", "Dai Tu Road", "nd_metal re_oxide"),
    _f("vn08", "Binh Duong Starfern Energy", "VN", "VN", "Thu Dau Mot", "88", "VSIP Boulevard", "ev_batt liion"),
    # Malaysia
    _f("my01", "Kuantan Seabright Rare Earth", "MY", "MY", "Kuantan", "3", "Jalan Gebeng", "re_oxide ce_oxide", 2),
    _f("my02", "Penang Orchidline Components", "MY", "MY", "Bayan Lepas", "19", "Jalan Hi-Tech", "liion batt_parts"),
    _f("my03", "Johor Mangrove Metals", "MY", "MY", "Pasir Gudang", "22", "Jalan Perak", "ndfeb"),
    _f("my04", "Klang Rubberleaf Furniture", "MY", "MY", "Klang", "67", "Jalan Kapar", "furniture"),
    _f("my05", "Kulim Tinhill Materials", "MY", "MY", "Kulim", "12", "Jalan Hi-Tech", "batt_parts"),
    # Thailand
    _f("th01", "Rayong Coralbay Industries", "TH", "TH", "Rayong", "700", "Sukhumvit Road", "ndfeb liion"),
    _f("th02", "Chonburi Whitesail Cable", "TH", "TH", "Chonburi", "55", "Amata Nakorn Road", "cable"),
    _f("th03", "Ayutthaya Silkthread Apparel", "TH", "TH", "Ayutthaya", "9", "Rojana Road", "tshirt"),
    _f("th04", "Samut Prakan Lumenbay Electronics", "TH", "TH", "Samut Prakan", "101", "Bangpoo Road", "inverter"),
    # Japan
    _f("jp01", "Tsukimori Magnet Industries", "JP", "JP", "Echizen", "24", "Kitafu Street", "ndfeb smco", 2),
    _f("jp02", "Kisaragi Gallium Refining", "JP", "JP", "Akita", "38", "Iijima Street", "gallium germanium"),
    _f("jp03", "Amagiri Cellworks", "JP", "JP", "Moriguchi", "5", "Keihan Street", "ev_batt liion"),
    _f("jp04", "Nagisa Ceria Chemicals", "JP", "JP", "Omuta", "17", "Shiosaki Street", "ce_oxide re_oxide"),
    _f("jp05", "Yumeno Metal Powders", "JP", "JP", "Himeji", "60", "Shikama Street", "zinc_dust"),
    _f("jp06", "Momiji Precision Magnet", "JP", "JP", "Hamamatsu", "112", "Kanda Street", "ndfeb"),
    _f("jp07", "Hinoki Wire and Cable", "JP", "JP", "Yokkaichi", "33", "Kasumi Street", "cable"),
    # Republic of Korea
    _f("kr01", "Seoharu Cell Systems", "KR", "KR", "Cheongju", "40", "Ochang Road", "ev_batt liion", 2),
    _f("kr02", "Daebom Energy Materials", "KR", "KR", "Pohang", "123", "Yeongilman Road", "li_hyd batt_parts anode_graphite"),
    _f("kr03", "Garam Magnetics", "KR", "KR", "Changwon", "61", "Seongsan Road", "ndfeb"),
    _f("kr04", "Onnuri Zinc Works", "KR", "KR", "Ulsan", "8", "Onsan Road", "zinc_dust"),
    _f("kr05", "Dolmaru Ferroalloys", "KR", "KR", "Dangjin", "26", "Songak Road", "femn"),
    _f("kr06", "Narae Precision Cable", "KR", "KR", "Gumi", "74", "Sandong Road", "cable"),
    # Australia
    _f("au01", "Kestrel Ridge Lithium", "AU", "AU", "Kwinana", "15", "Mason Road", "li_hyd"),
    _f("au02", "Coolabah Nickel Refining", "AU", "AU", "Kalgoorlie", "210", "Great Eastern Highway", "ni_metal cobalt"),
    _f("au03", "Wattlebrook Rare Earths", "AU", "AU", "Kalgoorlie", "8", "Yarri Road", "re_oxide"),
    _f("au04", "Quandong Manganese", "AU", "AU", "Alyangula", "2", "Bougainvillea Road", "mn_ore"),
    _f("au05", "Saltbush Antimony", "AU", "AU", "Costerfield", "11", "Heathcote Road", "antimony"),
    # Canada (MID: X + province letter)
    _f("ca01", "Northcape Germanium Refining", "CA", "CA", "Trail", "1500", "Columbia Avenue", "germanium gallium zinc_dust", mid_prefix="XC"),
    _f("ca02", "Lac Brume Graphite", "CA", "CA", "Saint-Michel-des-Saints", "390", "Rue Brassard", "flake", mid_prefix="XQ"),
    _f("ca03", "Wolverine Point Nickel", "CA", "CA", "Sudbury", "33", "Falconbridge Road", "ni_metal cobalt", mid_prefix="XO"),
    _f("ca04", "Prairie Kettle Cobalt", "CA", "CA", "Fort Saskatchewan", "10", "Highway 15", "cobalt", mid_prefix="XA"),
    _f("ca05", "Spruceline Magnetics", "CA", "CA", "Kingston", "845", "Railway Street", "ndfeb", mid_prefix="XO"),
    # United Kingdom, Europe
    _f("gb01", "Ashcombe Alloys", "GB", "GB", "Sheffield", "14", "Brightside Lane", "smco ndfeb"),
    _f("gb02", "Calderbrook Cells", "GB", "GB", "Sunderland", "5", "Washington Road", "ev_batt"),
    _f("gb03", "Wyreford Specialty Metals", "GB", "GB", "Widnes", "27", "Moss Bank Road", "germanium"),
    _f("de01", "Nordhelm Magnettechnik", "DE", "DE", "Hanau", "12", "Gruener Weg", "ndfeb smco"),
    _f("de02", "Elbgrund Metallpulver", "DE", "DE", "Goslar", "5", "Im Schleeke", "gallium cobalt"),
    _f("de03", "Lindenhof Kabelwerk", "DE", "DE", "Bielefeld", "40", "Industriestrasse", "cable"),
    _f("be01", "Scheldt Cobalt Refining", "BE", "BE", "Olen", "31", "Watertorenstraat", "cobalt germanium"),
    _f("fi01", "Pohjola Cobalt", "FI", "FI", "Kokkola", "18", "Satamatie", "cobalt"),
    _f("no01", "Kvernvik Nikkelraffineri", "NO", "NO", "Kristiansand", "7", "Vigeveien", "ni_metal cobalt"),
    _f("ee01", "Peipsi Rare Metals", "EE", "EE", "Sillamae", "2", "Kesk Street", "re_oxide ce_oxide"),
    # Latin America
    _f("cl01", "Salar Altoverde Litio", "CL", "CL", "Antofagasta", "1340", "Avenida Grecia", "li_carb", 2),
    _f("ar01", "Puna Clara Litio", "AR", "AR", "Salta", "250", "Avenida Belgrano", "li_carb"),
    _f("br01", "Grafite Pedra Clara", "BR", "BR", "Salto da Divisa", "55", "Rua Principal", "flake"),
    _f("pe01", "Zinc Andino Pucara", "PE", "PE", "Lima", "880", "Avenida Argentina", "zinc_dust"),
    _f("mx01", "Cables del Bajio Norte", "MX", "MX", "Queretaro", "102", "Avenida 5 de Febrero", "cable", 2),
    _f("hn01", "Choloma Bluecotton Textiles", "HN", "HN", "Choloma", "3", "Calle Principal", "tshirt"),
    # Africa
    _f("mz01", "Niassa Flake Graphite", "LDA", "MZ", "Montepuez", "1", "Estrada N1", "flake", 2),
    _f("mg01", "Vohitra Graphite", "SARL", "MG", "Toamasina", "14", "Route d'Ivoloina", "flake"),
    _f("rw01", "Kivu Tungsten Concentrates", "GB", "RW", "Kigali", "9", "KG 17 Avenue", "w_conc", ports=("TZDAR",)),
    _f("za01", "Sedibeng Ferroalloys", "ZA", "ZA", "Vanderbijlpark", "20", "Gold Street", "femn mn_ore"),
    _f("za02", "Kuruman Ridge Manganese", "ZA", "ZA", "Kuruman", "3", "Main Road", "mn_ore"),
    _f("cd01", "Kolwezi Greenhill Cobalt", "SARL", "CD", "Kolwezi", "45", "Avenue Kasulo", "cobalt", ports=("ZADUR", "TZDAR")),
    # Other Asia
    _f("tw01", "Kaohsiung Brightbolt Fasteners", "TW", "TW", "Kaohsiung", "168", "Linhai Road", "bolts", 2),
    _f("tw02", "Taoyuan Fernway Electronics", "TW", "TW", "Taoyuan", "25", "Xingbang Road", "laptop inverter batt_parts"),
    _f("in01", "Tiruppur Evercotton Apparel", "IN", "IN", "Tiruppur", "44", "Avinashi Road", "tshirt"),
    _f("in02", "Chennai Sandalcoast Fasteners", "IN", "IN", "Chennai", "71", "Ambattur Estate Road", "bolts"),
    _f("bd01", "Chattogram Meadowknit Garments", "BD", "BD", "Chattogram", "19", "CEPZ Road", "tshirt", 2),
    _f("ph01", "Luzon Ironwood Magnetics", "PH", "PH", "Batangas", "6", "Lima Technology Road", "ndfeb"),
    _f("id01", "Jepara Kayumas Furniture", "ID", "ID", "Jepara", "120", "Jalan Raya", "furniture"),
    # Russia (country of concern)
    _f("ru01", "Severny Veter Metals", "RU", "RU", "Chelyabinsk", "47", "Prospekt Lenina", "gallium ni_metal"),
    _f("ru02", "Pechora Frostline Nickel", "RU", "RU", "Murmansk", "12", "Ulitsa Sverdlova", "ni_metal"),
]
# Traders: (trader, product) -> the manufacturer whose goods they sell (origin = manufacturer's).
TRADERS: list[Firm] = [
    _f("sg01", "Harbourline Metals Trading", "SG", "SG", "Singapore", "10", "Anson Road", "gallium cobalt li_carb"),
    _f("sg02", "Meridian Quay Commodities", "SG", "SG", "Singapore", "80", "Robinson Road", "re_oxide li_carb ndfeb"),
    _f("nl01", "Maasbank Metals Trading", "NL", "NL", "Rotterdam", "25", "Weena", "cobalt germanium"),
]
TRADER_SOURCES = {
    ("sg01", "gallium"): "jp02", ("sg01", "cobalt"): "fi01", ("sg01", "li_carb"): "cl01",
    ("sg02", "re_oxide"): "my01", ("sg02", "li_carb"): "ar01", ("sg02", "ndfeb"): "th01",
    ("nl01", "cobalt"): "be01", ("nl01", "germanium"): "be01",
}
FIRM = {f.key: f for f in FIRMS + TRADERS}
# fmt: on

# fmt: off
COUNTRY_NAME = {
    "CN": "China", "VN": "Viet Nam", "MY": "Malaysia", "TH": "Thailand", "JP": "Japan",
    "KR": "Republic of Korea", "AU": "Australia", "CA": "Canada", "GB": "United Kingdom",
    "DE": "Germany", "BE": "Belgium", "FI": "Finland", "NO": "Norway", "EE": "Estonia",
    "CL": "Chile", "AR": "Argentina", "BR": "Brazil", "PE": "Peru", "MX": "Mexico",
    "HN": "Honduras", "MZ": "Mozambique", "MG": "Madagascar", "RW": "Rwanda", "ZA": "South Africa",
    "CD": "Democratic Republic of the Congo", "TW": "Taiwan", "IN": "India", "BD": "Bangladesh",
    "PH": "Philippines", "ID": "Indonesia", "RU": "Russian Federation", "SG": "Singapore",
    "NL": "Netherlands", "LU": "Luxembourg", "KZ": "Kazakhstan",
}
# What a CSV writer sometimes puts instead of alpha-2 (ISO alpha-3, English short names).
ALPHA3 = {"CN": "CHN", "VN": "VNM", "MY": "MYS", "TH": "THA", "JP": "JPN", "KR": "KOR",
          "AU": "AUS", "CA": "CAN", "DE": "DEU", "CL": "CHL", "MX": "MEX", "IN": "IND"}
ENGLISH = {"CN": "China", "VN": "Vietnam", "MY": "Malaysia", "TH": "Thailand", "JP": "Japan",
           "KR": "South Korea", "AU": "Australia", "CA": "Canada", "DE": "Germany",
           "CL": "Chile", "MX": "Mexico"}
PORTS = {  # real UN/LOCODEs of ports of lading
    "CN": ["CNSHA", "CNNGB", "CNSZX", "CNTAO", "CNTXG", "CNXMN", "CNYTN"],
    "VN": ["VNHPH", "VNSGN"], "MY": ["MYPKG", "MYTPP", "MYPEN"], "TH": ["THLCH", "THBKK"],
    "JP": ["JPYOK", "JPTYO", "JPUKB", "JPNGO"], "KR": ["KRPUS", "KRINC"],
    "AU": ["AUFRE", "AUMEL", "AUSYD", "AUBNE"], "CA": ["CAVAN", "CAMTR", "CAHAL"],
    "GB": ["GBFXT", "GBSOU"], "DE": ["DEHAM", "DEBRV"], "BE": ["BEANR"], "FI": ["FIKOK"],
    "NO": ["NOKRS"], "EE": ["EETLL"], "CL": ["CLANF", "CLSAI"], "AR": ["ARBUE"],
    "BR": ["BRSSZ"], "PE": ["PECLL"], "MX": ["MXNLD", "MXZLO"], "HN": ["HNPCR"],
    "MZ": ["MZMNC"], "MG": ["MGTMM"], "ZA": ["ZADUR", "ZAPLZ"], "TW": ["TWKHH", "TWKEL"],
    "IN": ["INNSA", "INMAA"], "BD": ["BDCGP"], "PH": ["PHMNL"], "ID": ["IDJKT"],
    "RU": ["RULED", "RUVVO", "RUNVS"], "SG": ["SGSIN"], "NL": ["NLRTM"],
    "KZ": ["GEPTI"], "LU": ["BEANR"],  # land-locked: laden at Poti (Georgia) / Antwerp
}
HUBS = ["SGSIN", "KRPUS", "JPYOK", "MYTPP", "TWKHH"]  # transshipment hubs outside concern
CN_HUBS = ["CNSHA", "CNNGB", "CNYTN"]
WEST = ["2704", "2709", "2704", "2709", "3001", "3002", "2811"]  # Los Angeles, Long Beach, Seattle, Tacoma, Oakland
EAST = ["1001", "4601", "1703", "1601", "1303", "5301", "1401"]  # NY, Newark, Savannah, Charleston, Baltimore, Houston, Norfolk
ASIA_PACIFIC = {"CN", "VN", "MY", "TH", "JP", "KR", "AU", "TW", "PH", "ID", "SG", "CA"}
CN_DAMPING = 0.45  # keeps Chinese-origin lines near a fifth of the background
FILERS = ["B7K", "M42", "QRT", "9XA", "HZ3", "K5P", "TNL", "W2F"]
SPI_FOR = {"KR": "KR", "AU": "AU", "CA": "S", "MX": "S", "CL": "CL", "PE": "PE", "JP": "JP", "SG": "SG"}
# fmt: on


def importer_ids(rng: random.Random, n: int) -> list[str]:
    """Importer of record numbers in the IRS-number-plus-suffix form NN-NNNNNNN00."""
    return [f"{rng.randint(10, 98)}-{rng.randint(1000000, 9999999)}00" for _ in range(n)]


# --- lines ----------------------------------------------------------------------------------------
@dataclass
class Line:
    values: dict[str, Any]
    file: str = ""
    row_number: int = 0
    case: dict[str, str] | None = None  # planted-case expectations
    raw: dict[str, str] = field(default_factory=dict)  # CSV overrides written verbatim (bad rows)


@dataclass
class Entry:
    date: date
    filer: str
    importer: str
    port_of_entry: str
    lines: list[Line]
    file: str = ""
    entry_number: str = ""
    planted: bool = False


def _round_qty(q: float, unit: str) -> float:
    return float(round(q)) if unit in {"No.", "doz."} or q > 1000 else round(q, 1)


def make_line(
    rng: random.Random, firm: Firm, product: str, *, maker: Firm | None = None, **overrides: Any
) -> dict[str, Any]:
    """A clean line of ``product`` sold by ``firm`` and made by ``maker`` (default: the firm)."""
    maker = maker or firm
    p = PRODUCTS[product]
    qty = _round_qty(rng.uniform(*p.qty) * rng.choice([0.5, 1, 1, 1.5]), p.unit)
    value = round(qty * rng.uniform(*p.unit_value), 2)
    origin = maker.country
    lading = rng.choice(maker.ports or PORTS[origin])
    v: dict[str, Any] = {
        "hts_code": p.hts,
        "country_of_origin": origin,
        "entered_value_usd": value,
        "supplier_name": firm.name,
        "country_of_export": origin,
        "manufacturer_id": maker.mid,
        "manufacturer_name": maker.name,
        "supplier_address": firm.address,
        "supplier_country": firm.country,
        "quantity": qty,
        "quantity_unit": p.unit,
        "port_of_lading": lading,
        "transit_ports": [],
        "mine_country": None,
        "refine_country": None,
        "cell_origin": None,
        "cn_ree_content_pct": None,
        "adcvd_case": None,
        "related_party": False,
        "spi": None,
    }
    if product in BATTERIES:
        v["cell_origin"] = origin
    if product in MINERALS and rng.random() < 0.3:
        v["mine_country"] = (
            origin if origin not in {"MY", "BE", "FI", "NO", "EE", "JP", "KR"} else None
        )
        v["refine_country"] = origin
    if product in {"ndfeb", "smco"} and rng.random() < 0.3:
        v["cn_ree_content_pct"] = round(
            rng.uniform(60, 95) if origin == "CN" else rng.uniform(0, 40), 1
        )
    if product == "anode_graphite" and origin == "CN" and rng.random() < 0.5:
        v["adcvd_case"] = rng.choice(ADCVD_ANODE)  # active anode material orders (AD, CVD)
    spi = SPI_FOR.get(origin)
    if spi and spi in p.special and rng.random() < 0.6:
        v["spi"] = spi
    if origin not in {"CN", "RU"} and rng.random() < 0.08 and origin in ASIA_PACIFIC:
        v["transit_ports"] = [rng.choice([h for h in HUBS if h[:2] != origin])]
    v.update(overrides)
    return v


def supplier_variant(rng: random.Random, firm: Firm) -> str:
    """The supplier name as this line's paperwork spells it: mostly canonical, sometimes not."""
    r = rng.random()
    forms = LEGAL[firm.legal]
    if r < 0.10 and len(forms) > 1:
        return f"{firm.base} {rng.choice(forms[1:])}"
    if r < 0.16:
        return firm.name.upper()
    if r < 0.19 and firm.typo:
        return f"{firm.typo} {forms[0]}"
    return firm.name


def business_days(start: date, end: date) -> list[date]:
    days = (end - start).days + 1
    return [d for d in (start + timedelta(i) for i in range(days)) if d.weekday() < 5]


def pick_firm(rng: random.Random, product: str, countries: set[str] | None = None) -> Firm:
    pool = [
        f for f in FIRMS if product in f.products and (countries is None or f.country in countries)
    ]
    weights = [
        f.weight / (i + 1) ** 0.3 * (CN_DAMPING if f.country == "CN" else 1.0)
        for i, f in enumerate(pool)
    ]
    return rng.choices(pool, weights)[0]


def background_entry(
    rng: random.Random, day: date, importers: list[str], countries: set[str] | None = None
) -> Entry:
    """One realistic entry: one seller, one shipment, 1-6 lines of its products."""
    products = [
        k
        for k, p in PRODUCTS.items()
        if countries is None or any(k in f.products and f.country in countries for f in FIRMS)
    ]
    product = rng.choices(products, [PRODUCTS[k].weight for k in products])[0]
    firm = pick_firm(rng, product, countries)
    seller, maker = firm, firm
    if rng.random() < 0.06:  # sold through a trader that carries this maker's goods
        for (t, prod), m in TRADER_SOURCES.items():
            if m == firm.key and prod == product:
                seller = FIRM[t]
    n = rng.choices([1, 2, 3, 4, 5, 6], [30, 25, 20, 12, 8, 5])[0]
    name = supplier_variant(rng, seller)
    base = make_line(rng, seller, product, maker=maker, supplier_name=name)
    base["related_party"] = seller is maker and rng.random() < 0.15
    route = _background_route(rng, base, product)
    cn_cells = base["country_of_origin"] in {"VN", "MY", "TH"} and rng.random() < 0.12
    lines = []
    for _ in range(n):
        prod = rng.choice([p for p in maker.products if p in products] or [product])
        if seller is not maker:
            prod = product
        v = make_line(rng, seller, prod, maker=maker)
        shared = (
            "supplier_name",
            "country_of_export",
            "port_of_lading",
            "transit_ports",
            "related_party",
            "supplier_country",
            "supplier_address",
            "manufacturer_id",
        )
        v.update({k: base[k] for k in shared})
        v.update(route)
        if cn_cells and prod in BATTERIES:  # packs assembled from Chinese cells
            v["cell_origin"] = "CN"
        lines.append(Line(v))
    port = rng.choice(WEST if base["country_of_origin"] in ASIA_PACIFIC else EAST)
    return Entry(day, rng.choice(FILERS), rng.choice(importers), port, lines)


def _background_route(rng: random.Random, v: dict[str, Any], product: str) -> dict[str, Any]:
    """A few borderline routes for non-concern Asian origins: one or two weak transshipment
    signals, never enough for a hold (kept below 0.6 with the weights of DESIGN §6)."""
    origin = v["country_of_origin"]
    if origin in CONCERN or origin not in ASIA_PACIFIC or rng.random() > 0.06:
        return {}
    pattern = rng.choice(
        ["transit_cn", "lading_cn", "export_cn_lading_cn", "mid_cn", "supplier_cn"]
    )
    if pattern == "transit_cn":
        return {"transit_ports": [rng.choice(CN_HUBS)]}
    if pattern == "lading_cn":
        return {"port_of_lading": rng.choice(CN_HUBS)}
    if pattern == "export_cn_lading_cn":
        return {"country_of_export": "CN", "port_of_lading": rng.choice(CN_HUBS)}
    if pattern == "mid_cn":
        cn = (
            pick_firm(rng, product, {"CN"})
            if any(product in f.products and f.country == "CN" for f in FIRMS)
            else FIRM["cn21"]
        )
        return {"manufacturer_id": cn.mid}
    cn = FIRM["cn21"] if product not in FIRM["cn07"].products else FIRM["cn07"]
    return {"supplier_name": cn.name, "supplier_address": cn.address, "supplier_country": "CN"}


# --- planted cases ----------------------------------------------------------------------------------
def _case(
    scenario: str,
    cls: str = "",
    rate: str = "",
    *,
    scen_cls: str | None = None,
    scen_rate: str | None = None,
    rules: str = "",
    no_rules: str = "",
    check_ok: str = "",
    reject: str = "",
    duty_usd: str = "",
) -> dict[str, str]:
    return {
        "scenario": scenario,
        "expect_duty_class": cls,
        "expect_rate_pct": rate,
        "expect_duty_class_scenario": cls if scen_cls is None else scen_cls,
        "expect_rate_pct_scenario": rate if scen_rate is None else scen_rate,
        "expect_rules": rules,
        "expect_no_rules": no_rules,
        "expect_check_digit_ok": check_ok,
        "expect_reject_field": reject,
        "expect_duty_usd": duty_usd,
    }


def _entity(name: str, cc: str, city: str, no: str, street: str) -> Firm:
    return Firm("x", name, "EE", cc, city, no, street, ())  # legal form already in name


# fmt: off
def planted_entries(rng: random.Random, importers: list[str]) -> list[Entry]:
    """The planted cases (one line each), with the outcome the pipeline must produce."""
    F = FIRM
    d = date.fromisoformat
    out: list[Entry] = []

    def plant(file: str, day: str, firm: Firm, product: str, case: dict[str, str], *,
              maker: Firm | None = None, name: str | None = None, raw: dict[str, str] | None = None,
              **kw: Any) -> None:
        v = make_line(rng, firm, product, maker=maker, **{"spi": None, "transit_ports": [], **kw})
        if name is not None:
            v["supplier_name"] = name
        origin = v["country_of_origin"]
        port = rng.choice(WEST if origin in ASIA_PACIFIC else EAST)
        line = Line(v, file=file, case=case, raw=raw or {})
        out.append(Entry(d(day), rng.choice(FILERS), rng.choice(importers), port, [line], file, planted=True))

    hold_maker = F["cn27"]
    vn_seller = F["vn01"]
    # --- duty classes ---------------------------------------------------------------------------
    plant("a", "2026-01-14", F["cn01"], "ndfeb", _case(
        "Sintered NdFeB magnets made in China, Chinese route: section 301 applies.",
        "CONCERN_301", "27.1"))
    plant("b", "2026-01-21", F["vn06"], "ndfeb", _case(
        "The same NdFeB magnets made in Viet Nam, Vietnamese seller, MID and port (clean route).",
        "MFN", "2.1", no_rules="EXPORT_NE_ORIGIN;LADED_IN_CONCERN;MID_NE_ORIGIN;SUPPLIER_IN_CONCERN;CHAIN_IN_CONCERN"))
    plant("a", "2026-02-03", F["vn08"], "ev_batt", _case(
        "EV battery packs assembled in Viet Nam from Chinese cells (cell_origin CN): CBP gives packs the origin of their cells.",
        "CONCERN_301", "28.4", rules="CHAIN_IN_CONCERN"), cell_origin="CN")
    plant("c", "2026-02-10", F["cn02"], "re_oxide", _case(
        "Lanthanum-rich rare-earth oxide mixture from China: concern-sourced, but no section 301 on 2846.90.20 (Free + 0).",
        "CONCERN_301", "0"))
    plant("a", "2026-03-01", F["cn09"], "flake", _case(
        "Natural crystalline flake graphite from China, entered 2026-03-01: Free + 25% section 301.",
        "CONCERN_301", "25"))
    plant("b", "2026-02-17", F["ru01"], "gallium", _case(
        "Unwrought gallium from Russia: column 2 (no normal trade relations) 25% + 25% section 301.",
        "CONCERN_301", "50"))
    plant("a", "2026-01-28", F["cn18"], "cable", _case(
        "Insulated copper cable from China: not a critical-mineral line, base rate informational.",
        "NOT_COVERED", "5.3"))
    plant("a", "2026-02-24", vn_seller, "ndfeb", _case(
        "NdFeB magnets declared Vietnamese, but sold by a Chinese firm, MID Chinese and laden at Ningbo: risk 1-.65*.6*.65=0.75 -> hold.",
        "HOLD_VERIFY", "27.1", rules="SUPPLIER_IN_CONCERN;MID_NE_ORIGIN;LADED_IN_CONCERN"),
        name=hold_maker.name, supplier_address=hold_maker.address, supplier_country="CN",
        manufacturer_id=hold_maker.mid, manufacturer_name="Haiphong Lotusbay Components Co., Ltd",
        port_of_lading="CNNGB", country_of_origin="VN", country_of_export="VN")
    plant("c", "2027-03-01", F["jp06"], "ndfeb", _case(
        "NdFeB magnets from Japan entered 2027-03-01: MFN under the default ruleset; Alliance-free under the scenario (JP member from 2027-01-01).",
        "MFN", "2.1", scen_cls="ALLIANCE_FREE", scen_rate="0"))
    plant("b", "2026-06-01", F["jp06"], "ndfeb", _case(
        "NdFeB magnets from Japan entered 2026-06-01, before the scenario's Alliance date: MFN under both rulesets.",
        "MFN", "2.1", scen_cls="MFN", scen_rate="2.1"))
    plant("a", "2026-02-12", F["kr03"], "ndfeb", _case(
        "NdFeB magnets from Korea claiming SPI KR, which the HTS special column lists for 8505.11: special rate Free.",
        "MFN", "0"), spi="KR")
    plant("a", "2026-03-09", F["pe01"], "zinc_dust", _case(
        "Zinc dust from Peru, no SPI claimed: specific rate 0.7 cents/kg on 18,000 kg = USD 126 (assumes zinc, USGS 2025 list, is covered).",
        "MFN", "", duty_usd="126.00"), quantity=18000.0, entered_value_usd=61200.0)
    plant("c", "2026-01-26", F["rw01"], "w_conc", _case(
        "Tungsten concentrates from Rwanda: 37.5 cents/kg on tungsten content, which the line does not declare: duty not computable, not guessed.",
        "MFN", ""))
    plant("a", "2026-03-16", F["cn09"], "anode_graphite", _case(
        "Natural graphite powder (active anode material) from China declaring AD case A-570-176: CONCERN_301 and the adcvd flag kept.",
        "CONCERN_301", "25", rules="ADCVD_DECLARED"), adcvd_case="A-570-176")
    plant("b", "2026-03-18", F["cn11"], "anode_graphite", _case(
        "Natural graphite powder from China declaring CVD case C-570-177.",
        "CONCERN_301", "25", rules="ADCVD_DECLARED"), adcvd_case="C-570-177")
    # --- chain and route rules ------------------------------------------------------------------
    plant("a", "2026-01-19", F["ph01"], "ndfeb", _case(
        "NdFeB magnets made in the Philippines from rare earths refined in China (refine_country CN).",
        "CONCERN_301", "27.1", rules="CHAIN_IN_CONCERN"), refine_country="CN", mine_country="CN")
    plant("c", "2026-02-19", F["ar01"], "li_carb", _case(
        "Lithium carbonate from Argentina, mined and refined in Argentina: chain declared and clean.",
        "MFN", "", no_rules="CHAIN_IN_CONCERN"), mine_country="AR", refine_country="AR")
    plant("a", "2026-02-26", F["th01"], "ndfeb", _case(
        "Thai magnets sold by a Chinese firm and laden at Shanghai: risk 1-.65*.65=0.58, below the hold threshold.",
        "MFN", "2.1", rules="SUPPLIER_IN_CONCERN;LADED_IN_CONCERN", no_rules="MID_NE_ORIGIN"),
        name=F["cn05"].name, supplier_address=F["cn05"].address, supplier_country="CN",
        port_of_lading="CNSHA")
    plant("b", "2026-03-04", F["my03"], "ndfeb", _case(
        "Malaysian-declared magnets with a Chinese MID, laden at Ningbo: risk 1-.6*.65=0.61, just over the hold threshold.",
        "HOLD_VERIFY", "27.1", rules="MID_NE_ORIGIN;LADED_IN_CONCERN"),
        manufacturer_id=F["cn01"].mid, port_of_lading="CNNGB")
    plant("a", "2026-01-22", F["vn02"], "liion", _case(
        "Vietnamese Li-ion batteries whose MID is Chinese, nothing else: risk 0.4, flagged but MFN.",
        "MFN", "3.4", rules="MID_NE_ORIGIN"), manufacturer_id=F["cn08"].mid)
    plant("c", "2026-03-11", F["jp02"], "gallium", _case(
        "Japanese gallium exported from Singapore (a non-concern hub): risk 0.15, MFN.",
        "MFN", "3", rules="EXPORT_NE_ORIGIN", no_rules="LADED_IN_CONCERN"),
        country_of_export="SG", port_of_lading="SGSIN")
    plant("a", "2026-02-05", F["kr01"], "liion", _case(
        "Korean Li-ion batteries laden at Busan with a transit call at Shanghai: LADED_IN_CONCERN alone, risk 0.35.",
        "MFN", "3.4", rules="LADED_IN_CONCERN"), transit_ports=["CNSHA"], port_of_lading="KRPUS")
    plant("a", "2026-03-02", F["ca01"], "germanium", _case(
        "Germanium from British Columbia, MID starting XC (Canada: X + province): the MID country is CA, no mismatch.",
        "MFN", "2.6", no_rules="MID_NE_ORIGIN"))
    plant("c", "2027-02-08", F["kr03"], "ndfeb", _case(
        "Korean-declared magnets in 2027 sold by a Chinese firm, Chinese MID, laden at Ningbo: a hold outranks ALLIANCE_FREE.",
        "HOLD_VERIFY", "27.1", rules="SUPPLIER_IN_CONCERN;MID_NE_ORIGIN;LADED_IN_CONCERN"),
        name=hold_maker.name, supplier_address=hold_maker.address, supplier_country="CN",
        manufacturer_id=hold_maker.mid, port_of_lading="CNNGB")
    plant("b", "2027-01-20", F["au03"], "re_oxide", _case(
        "Australian rare-earth oxide mixture in 2027: MFN (Free) by default, Alliance-free under the scenario.",
        "MFN", "0", scen_cls="ALLIANCE_FREE", scen_rate="0"))
    plant("a", "2026-01-29", F["vn01"], "liion", _case(
        "Vietnamese Li-ion batteries with country of origin written 'Viet Nam' in the CSV: normalized to VN, clean.",
        "MFN", "3.4"), raw={"country_of_origin": "Viet Nam"})
    plant("a", "2026-02-09", F["cn04"], "smco", _case(
        "SmCo magnets with origin written as alpha-3 'CHN' and a US-style date 02/09/2026: CN, 2026-02-09.",
        "CONCERN_301", "27.1"), raw={"country_of_origin": "CHN", "entry_date": "02/09/2026"})
    # --- entity lists: fictitious entities of lists/fictitious_concern.csv ----------------------
    straits = _entity("STRAITS GRAPHITE PROCESSING SENDIRIAN BERHAD", "MY", "Port Klang", "22", "Jalan Pelabuhan")
    plant("a", "2026-01-27", straits, "anode_graphite", _case(
        "FX-0008 Straits Graphite Processing Sdn Bhd written with the legal form spelled out, upper case; origin Malaysia: confirmed hit makes it concern-sourced.",
        "CONCERN_301", "25", rules="ENTITY_OF_CONCERN"),
        maker=straits, name=straits.base, manufacturer_name=straits.base)
    mekong = _entity("Mekong Bright Magnet Co., Ltd.", "VN", "Hai Phong", "9", "Dinh Vu Industrial Zone")
    plant("b", "2026-02-02", mekong, "ndfeb", _case(
        "FX-0007 Mekong Bright Magnet Company Limited written 'Co., Ltd.'; origin Viet Nam, clean route: confirmed hit.",
        "CONCERN_301", "27.1", rules="ENTITY_OF_CONCERN"), maker=mekong, name=mekong.base,
        manufacturer_name=mekong.base)
    jade = _entity("玉港磁材有限公司", "VN", "Hai Phong", "9", "Trang Due Industrial Park")
    plant("c", "2026-03-05", jade, "ndfeb", _case(
        "FX-0002 Jade Harbor Magnetics by its Han-script alias; a Vietnamese plant, clean route: confirmed hit.",
        "CONCERN_301", "27.1", rules="ENTITY_OF_CONCERN"), maker=jade, name=jade.base,
        manufacturer_name=jade.base, manufacturer_id="VNJADHAR9HAI")
    volga = _entity("Волга Бореалис Металлы", "KZ", "Pavlodar", "1", "Northern Industrial Zone")
    plant("a", "2026-02-16", volga, "gallium", _case(
        "FX-0004 Volga Borealis Metals by its Cyrillic alias, selling gallium of Kazakh origin: confirmed hit (3% + 25%).",
        "CONCERN_301", "28", rules="ENTITY_OF_CONCERN"), maker=volga, name=volga.base,
        manufacturer_name=volga.base, manufacturer_id="KZVOLBOR1PAV", port_of_lading="GEPTI")
    near = Firm("x", "Mekong Bright Lighting", "VN", "VN", "Da Nang", "31", "Hoa Khanh Road", ())
    plant("b", "2026-03-12", near, "liion", _case(
        "Near miss: 'Mekong Bright Lighting Company Limited' differs from FX-0007 Mekong Bright Magnet in its distinctive word: must not hit (nor the SDN vessel 'BRIGHT').",
        "MFN", "3.4", no_rules="ENTITY_OF_CONCERN"), name="Mekong Bright Lighting Company Limited")
    near2 = Firm("x", "Zhenhai Lodestar Cable Technology", "CN", "CN", "Ningbo", "41", "Zhenhai Road", ())
    plant("a", "2026-03-19", near2, "cable", _case(
        "Near miss: 'Zhenhai Lodestar Cable Technology Co Ltd' vs FX-0003 Zhenhai Lodestar Cell Technology: different distinctive word, must not hit.",
        "NOT_COVERED", "5.3", no_rules="ENTITY_OF_CONCERN"), name="Zhenhai Lodestar Cable Technology Co Ltd")
    # --- entity lists: real OFAC SDN names, copied exactly ----------------------------------------
    mmt = Firm("x", "METAL & MINERAL TRADE S.A.R.L.", "EE", "LU", "Luxembourg", "11", "Boulevard Joseph II", ())
    plant("a", "2026-01-15", mmt, "cobalt", _case(
        "Real OFAC SDN entity 11610 'METAL & MINERAL TRADE S.A.R.L.' (IRAN program) exactly as listed, selling Belgian cobalt: confirmed hit.",
        "CONCERN_301", "", rules="ENTITY_OF_CONCERN"), maker=F["be01"], name=mmt.base,
        supplier_address=mmt.address, supplier_country="LU")
    asco = Firm("x", "ASCOTEC STEEL TRADING GMBH", "EE", "DE", "Dusseldorf", "10", "Tersteegenstr.", ())
    plant("c", "2026-02-23", asco, "femn", _case(
        "Real OFAC SDN entity 11613 'ASCOTEC STEEL TRADING GMBH' (IRAN program) exactly as listed, selling South African ferromanganese: confirmed hit.",
        "CONCERN_301", "", rules="ENTITY_OF_CONCERN"), maker=F["za01"], name=asco.base,
        supplier_address=asco.address, supplier_country="DE")
    return out
# fmt: on


BAD_ROWS: list[tuple[str, dict[str, str], str]] = [
    # (field the reject names, CSV values written verbatim, scenario)
    ("entry_date", {"entry_date": "2026-02-30"}, "Entry date 2026-02-30 does not exist."),
    (
        "entry_date",
        {"entry_date": "15/13/2026"},
        "Entry date 15/13/2026 is neither ISO nor a valid US m/d/Y date.",
    ),
    ("entry_date", {"entry_date": ""}, "Entry date missing."),
    ("entered_value_usd", {"entered_value_usd": "-18250.00"}, "Negative entered value."),
    (
        "entered_value_usd",
        {"entered_value_usd": "USD 12,5OO"},
        "Entered value is not a number (letter O for zero).",
    ),
    ("hts_code", {"hts_code": "8505.11.00"}, "HTS given with 8 digits only."),
    ("hts_code", {"hts_code": "8505.11.OO70"}, "HTS with letters (O for 0)."),
    (
        "hts_code",
        {"hts_code": "8505.11.00.99"},
        "10-digit HTS 8505.11.00.99 that does not exist in the 2026 schedule.",
    ),
    ("country_of_origin", {"country_of_origin": "ZZ"}, "Unknown country code ZZ."),
    ("country_of_origin", {"country_of_origin": ""}, "Country of origin missing."),
    ("supplier_name", {"supplier_name": ""}, "Supplier name missing."),
    ("entry_number", {"entry_number": ""}, "Entry number missing."),
]


def bad_entries(rng: random.Random, importers: list[str]) -> list[Entry]:
    days = business_days(*Q1)
    out = []
    for fld, raw, scenario in BAD_ROWS:
        firm = pick_firm(rng, "ndfeb")
        line = Line(
            make_line(rng, firm, "ndfeb"),
            file="a",
            raw=raw,
            case=_case("Bad row: " + scenario, reject=fld, scen_cls="", scen_rate=""),
        )
        out.append(
            Entry(
                rng.choice(days),
                rng.choice(FILERS),
                rng.choice(importers),
                "2704",
                [line],
                "a",
                planted=True,
            )
        )
    return out


# --- assembly ----------------------------------------------------------------------------------------
def build(seed: int = SEED) -> list[Entry]:
    rng = random.Random(seed)
    importers = importer_ids(rng, 40)
    planted = planted_entries(rng, importers) + bad_entries(rng, importers)
    entries: list[Entry] = list(planted)
    n_planted = sum(len(e.lines) for e in planted)
    days_2027 = business_days(*Q1_2027)
    n = 0
    while n < N_2027_LINES:  # Alliance-scenario traffic: mostly candidate members, some others
        allies = {"AU", "CA", "JP", "KR", "GB"} if rng.random() < 0.8 else {"CN", "VN", "MY"}
        e = background_entry(rng, rng.choice(days_2027), importers, allies)
        entries.append(e)
        n += len(e.lines)
    days = business_days(*Q1)
    while n + n_planted < N_LINES:
        e = background_entry(rng, rng.choice(days), importers)
        entries.append(e)
        n += len(e.lines)
    for e in entries:
        if not e.file:
            e.file = rng.choices(list(FILE_SHARE), list(FILE_SHARE.values()))[0]
    # entry numbers: per filer, sequential in date order
    counters = {f: rng.randint(1000000, 8000000) for f in FILERS}
    entries.sort(key=lambda e: (e.date, e.filer))
    for e in entries:
        counters[e.filer] += rng.randint(1, 40)
        e.entry_number = format_entry_number(e.filer, counters[e.filer])
    # ~1% of entry numbers with a deliberately wrong check digit (single-line background entries)
    singles = [e for e in entries if not e.planted and len(e.lines) == 1 and e.date.year == 2026]
    for e in rng.sample(singles, 8):
        good = int(e.entry_number[-1])
        e.entry_number = e.entry_number[:-1] + str((good + rng.randint(1, 9)) % 10)
        e.lines[0].case = _case(
            f"Entry number with a wrong CBP check digit (correct one: {good}): a warning flag, not a reject.",
            check_ok="false",
            scen_cls="",
            scen_rate="",
        )
    return entries


def rows_for(entries: list[Entry], file: str) -> list[Line]:
    lines = []
    for e in sorted((e for e in entries if e.file == file), key=lambda e: (e.date, e.entry_number)):
        for i, line in enumerate(e.lines, start=1):
            line.values.update(
                entry_number=e.entry_number,
                line_number=i,
                entry_date=e.date,
                importer_id=e.importer,
                port_of_entry=e.port_of_entry,
            )
            line.file = file
            lines.append(line)
    for i, line in enumerate(lines, start=1):
        line.row_number = i
    return lines


def _num(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def write_csv(rng: random.Random, lines: list[Line], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for line in lines:
            v = line.values
            r = rng.random()
            day = v["entry_date"].strftime("%m/%d/%Y") if r < 0.08 else v["entry_date"].isoformat()
            origin = v["country_of_origin"]
            r = rng.random()
            if r < 0.05 and origin in ALPHA3:
                origin = ALPHA3[origin]
            elif r < 0.10 and origin in ENGLISH:
                origin = ENGLISH[origin]
            hts = v["hts_code"]
            if rng.random() < 0.1:  # "8505.11.0070" style
                hts = hts[:10] + hts[11:]
            row = {
                **{k: "" if v.get(k) is None else str(v[k]) for k in COLUMNS},
                "entry_date": day,
                "country_of_origin": origin,
                "hts_code": hts,
                "entered_value_usd": f"{v['entered_value_usd']:.2f}",
                "quantity": _num(v["quantity"]),
                "transit_ports": ";".join(v["transit_ports"]),
                "cn_ree_content_pct": _num(v["cn_ree_content_pct"]),
                "related_party": "Y" if v["related_party"] else "N",
            }
            row.update(line.raw)
            w.writerow([row[k] for k in COLUMNS])


def typed_frame(lines: list[Line], hts_style: str) -> pl.DataFrame:
    recs = []
    for line in lines:
        v = dict(line.values)
        digits = v["hts_code"].replace(".", "")
        v["hts_code"] = (
            digits if hts_style == "plain" else f"{digits[:4]}.{digits[4:6]}.{digits[6:]}"
        )
        recs.append({k: v.get(k) for k in COLUMNS})
    schema = {
        **{k: pl.String() for k in COLUMNS},
        "line_number": pl.Int64(),
        "entry_date": pl.Date(),
        "entered_value_usd": pl.Float64(),
        "quantity": pl.Float64(),
        "transit_ports": pl.List(pl.String()),
        "cn_ree_content_pct": pl.Float64(),
        "related_party": pl.Boolean(),
    }
    return pl.DataFrame(recs, schema=schema)


def main() -> None:
    entries = build()
    rng = random.Random(SEED + 1)
    per_file = {f: rows_for(entries, f) for f in FILES}
    write_csv(rng, per_file["a"], OUT / FILES["a"])
    typed_frame(per_file["b"], "plain").write_parquet(OUT / FILES["b"], statistics=False)
    typed_frame(per_file["c"], "dotted8").write_ndjson(OUT / FILES["c"])
    cases = []
    for f, lines in per_file.items():
        for line in lines:
            if line.case:
                cases.append(
                    {
                        "file": FILES[f],
                        "row_number": line.row_number,
                        "entry_number": line.raw.get("entry_number", line.values["entry_number"]),
                        "line_number": line.values["line_number"],
                        **line.case,
                    }
                )
    cases.sort(key=lambda c: (c["file"], c["row_number"]))
    for i, c in enumerate(cases, start=1):
        c["case_id"] = f"P{i:02d}"
    order = [
        "case_id",
        "file",
        "row_number",
        "entry_number",
        "line_number",
        "scenario",
        "expect_duty_class",
        "expect_rate_pct",
        "expect_duty_class_scenario",
        "expect_rate_pct_scenario",
        "expect_rules",
        "expect_no_rules",
        "expect_check_digit_ok",
        "expect_reject_field",
        "expect_duty_usd",
    ]
    (OUT / "expected").mkdir(exist_ok=True)
    pl.DataFrame([{k: str(c[k]) for k in order} for c in cases]).write_csv(
        OUT / "expected" / "planted_cases.csv"
    )
    counts = {FILES[f]: len(v) for f, v in per_file.items()}
    print(f"wrote {counts}, {len(cases)} planted cases")


if __name__ == "__main__":
    main()
