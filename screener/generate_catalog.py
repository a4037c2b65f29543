"""The tables ``screener generate`` draws from: products on real HTS lines, countries, ports.

Every HTS line is a 10-digit line of the HTS 2026 schedule the default ruleset ships (a test
checks each line, its unit of quantity and the special programs claimed against
``rulesets/cmsa-2026/hts_schedule.csv``, and that ``covered`` agrees with ``coverage.csv``).
Unit values are rough 2025 market levels in USD per HTS unit; origins name only countries with
real production of the good, in rough shares of U.S. imports. Ports are real UN/LOCODEs; ports of
entry are CBP 4-digit port codes. Company names, streets and brand words are invented.
"""

# ruff: noqa: E501  (catalogue rows read best one per line)
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Product:
    key: str
    hts: str  # dotted HTS10
    unit: str  # the HTS unit of quantity declared
    unit_value: float  # median USD per unit
    sigma: float  # log-normal spread of the unit value
    qty: tuple[float, float]  # quantity per line, drawn log-uniform
    weight: float  # share of lines (relative)
    family: str  # what a manufacturer makes: firms and importers are per family
    origins: dict[str, float]  # origin -> share; only countries with production
    spi: frozenset[str] = frozenset()  # programs the HTS line lists (claimed where origin fits)
    covered: bool = True  # in the ruleset's coverage table

    @property
    def hts10(self) -> str:
        return self.hts.replace(".", "")

    @property
    def hs6(self) -> str:
        return self.hts10[:6]


_FTA = frozenset({"AU", "CL", "KR", "S", "SG", "PE"})
# fmt: off
PRODUCTS: tuple[Product, ...] = (
    # rare-earth permanent magnets 8505.11 (covered) and their uncovered sibling 8505.19
    Product("ndfeb", "8505.11.00.70", "kg", 62, 0.30, (100, 8000), 9, "magnet", {"CN": .72, "JP": .12, "DE": .04, "VN": .05, "KR": .03, "TH": .02, "PH": .02}, _FTA | {"JP"}),
    Product("smco", "8505.11.00.50", "kg", 160, 0.30, (20, 800), 1.5, "magnet", {"CN": .6, "JP": .2, "DE": .1, "GB": .1}, _FTA | {"JP"}),
    Product("ferrite", "8505.11.00.30", "kg", 3.5, 0.30, (1000, 40000), 3, "magnet", {"CN": .7, "KR": .08, "IN": .1, "VN": .07, "TH": .05}, _FTA | {"JP"}),
    Product("alnico", "8505.11.00.10", "kg", 28, 0.30, (50, 3000), 0.5, "magnet", {"CN": .7, "IN": .2, "GB": .1}, _FTA | {"JP"}),
    Product("perm_other", "8505.19.30.00", "No.", 1.2, 0.40, (2000, 200000), 3, "magnet_other", {"CN": .6, "TW": .1, "IN": .1, "VN": .1, "KR": .05, "MX": .05}, _FTA, covered=False),
    Product("flexible", "8505.19.10.00", "No.", 0.25, 0.40, (5000, 500000), 1.5, "magnet_other", {"CN": .5, "TW": .15, "KR": .1, "MX": .1, "TH": .15}, _FTA, covered=False),
    # lithium-ion batteries 8507.60 and parts 8507.90.80 (covered); 8507.80 and lead-acid parts (not)
    Product("ev_pack", "8507.60.00.10", "No.", 7200, 0.35, (5, 250), 4, "battery", {"CN": .5, "KR": .2, "JP": .15, "PL": .08, "DE": .07}, _FTA),
    Product("bess", "8507.60.00.30", "No.", 120000, 0.40, (1, 12), 1, "battery", {"CN": .7, "KR": .2, "JP": .1}, _FTA),
    Product("liion", "8507.60.00.90", "No.", 38, 0.50, (100, 20000), 8, "battery", {"CN": .6, "KR": .1, "JP": .08, "VN": .08, "MY": .05, "TH": .03, "IN": .04, "PL": .02}, _FTA),
    Product("batt_parts", "8507.90.80.00", "kg", 14, 0.35, (200, 20000), 3, "battery", {"CN": .6, "KR": .15, "JP": .15, "DE": .05, "PL": .05}, _FTA),
    Product("ev_other", "8507.80.41.00", "No.", 900, 0.45, (10, 500), 1, "battery_other", {"CN": .45, "JP": .3, "KR": .15, "MX": .1}, _FTA, covered=False),
    Product("batt_other", "8507.80.82.00", "No.", 55, 0.50, (50, 10000), 2.5, "battery_other", {"CN": .45, "JP": .2, "MX": .1, "KR": .1, "IN": .1, "TH": .05}, _FTA | {"JP"}, covered=False),
    Product("leadacid_parts", "8507.90.40.00", "kg", 3.2, 0.35, (1000, 40000), 1, "battery_other", {"CN": .4, "MX": .3, "KR": .1, "VN": .1, "IN": .1}, _FTA, covered=False),
    # graphite
    Product("flake", "2504.10.10.00", "kg", 0.95, 0.25, (20000, 300000), 3, "graphite", {"CN": .45, "MZ": .18, "MG": .12, "BR": .1, "CA": .05, "IN": .1}),
    Product("gr_powder", "2504.10.50.00", "kg", 3.1, 0.30, (5000, 60000), 1.5, "graphite", {"CN": .65, "MZ": .1, "BR": .1, "IN": .1, "MG": .05}),
    Product("spherical", "3801.10.50.10", "kg", 4.8, 0.30, (5000, 80000), 2, "graphite", {"CN": .85, "KR": .08, "JP": .07}),
    Product("artificial", "3801.10.50.90", "kg", 5.5, 0.35, (2000, 60000), 2.5, "graphite", {"CN": .55, "JP": .15, "KR": .1, "DE": .08, "IN": .12}),
    # rare earths: compounds 2846, metals 2805.30, ores in 2530.90.80.50; MIO pigment 2530.90.20 is not covered
    Product("re_oxide", "2846.90.20.05", "kg", 3.2, 0.35, (1000, 40000), 2, "ree", {"CN": .6, "MY": .25, "EE": .05, "IN": .1}),
    Product("re_other", "2846.90.80.90", "kg", 45, 0.35, (100, 5000), 1.5, "ree", {"CN": .7, "MY": .15, "JP": .05, "EE": .05, "VN": .05}, _FTA),
    Product("ce_oxide", "2846.10.00.10", "kg", 2.4, 0.30, (1000, 30000), 1.5, "ree", {"CN": .7, "MY": .1, "IN": .1, "JP": .1}, _FTA),
    Product("nd_metal", "2805.30.00.20", "kg", 78, 0.25, (100, 5000), 1.5, "ree", {"CN": .82, "VN": .12, "JP": .06}, _FTA),
    Product("re_ore", "2530.90.80.50", "kg", 0.9, 0.40, (10000, 200000), 0.8, "ree_ore", {"AU": .45, "BR": .2, "CN": .2, "IN": .15}),
    Product("mio", "2530.90.20.00", "kg", 1.1, 0.30, (5000, 60000), 0.6, "mineral_other", {"AT": .5, "CN": .3, "IN": .2}, _FTA, covered=False),
    # gallium and germanium
    Product("gallium", "8112.92.10.00", "kg", 480, 0.30, (20, 1500), 1.5, "gallium", {"CN": .62, "JP": .18, "DE": .08, "KR": .07, "CA": .05}, _FTA),
    Product("germanium", "8112.92.60.00", "kg", 2100, 0.30, (10, 400), 0.8, "germanium", {"CN": .6, "BE": .2, "CA": .12, "DE": .08}, _FTA),
    Product("geo2", "2825.60.00.10", "kg", 1300, 0.30, (10, 500), 0.6, "germanium", {"CN": .75, "BE": .15, "CA": .1}, _FTA),
    # lithium chemicals (covered); other carbonates and other metal hydroxides (not)
    Product("li_carb", "2836.91.00.50", "kg", 11, 0.28, (5000, 100000), 3, "lithium", {"CL": .55, "AR": .22, "CN": .2, "BR": .03}, _FTA),
    Product("li_hyd", "2825.20.00.00", "kg", 12, 0.28, (5000, 80000), 2.5, "lithium", {"CN": .5, "CL": .12, "KR": .15, "AU": .1, "JP": .13}, _FTA),
    Product("carb_other", "2836.99.50.50", "kg", 4, 0.40, (1000, 40000), 0.6, "lithium_other", {"CN": .4, "DE": .2, "IN": .2, "JP": .2}, _FTA, covered=False),
    Product("hydrox_other", "2825.90.90.00", "kg", 6, 0.40, (500, 20000), 0.5, "lithium_other", {"CN": .5, "DE": .2, "JP": .2, "IN": .1}, _FTA, covered=False),
    # cobalt
    Product("cobalt", "8105.20.60.00", "kg", 33, 0.25, (1000, 25000), 1.5, "cobalt", {"CN": .35, "FI": .2, "NO": .12, "CA": .1, "JP": .1, "BE": .08, "AU": .05}),
    Product("co_oxide", "2822.00.00.10", "kg", 30, 0.30, (500, 20000), 0.8, "cobalt", {"CN": .6, "BE": .2, "FI": .1, "JP": .1}, _FTA),
    # tungsten
    Product("w_conc", "2611.00.60.00", "kg", 16, 0.30, (2000, 20000), 0.6, "tungsten", {"CN": .3, "VN": .25, "RW": .15, "PT": .15, "AT": .15}, _FTA),
    Product("apt", "2841.80.00.10", "kg", 30, 0.30, (1000, 20000), 0.6, "tungsten", {"CN": .5, "VN": .25, "AT": .1, "KR": .15}, _FTA),
    Product("w_metal", "8101.94.00.00", "kg", 52, 0.30, (200, 5000), 0.6, "tungsten", {"CN": .5, "VN": .12, "DE": .15, "AT": .13, "JP": .1}, _FTA),
    # aluminium, polysilicon, nickel
    Product("al_unalloyed", "7601.10.60.90", "kg", 2.6, 0.15, (20000, 500000), 3, "aluminum", {"CA": .5, "AE": .15, "IN": .1, "BH": .08, "AU": .05, "CN": .07, "MY": .05}),
    Product("al_alloy", "7601.20.90.95", "kg", 2.9, 0.15, (20000, 400000), 2, "aluminum", {"CA": .45, "AE": .2, "IN": .1, "MX": .05, "CN": .1, "MY": .1}),
    Product("polysilicon", "2804.61.00.00", "kg", 9, 0.35, (1000, 40000), 1.2, "silicon", {"CN": .45, "DE": .3, "MY": .1, "NO": .05, "JP": .05, "KR": .05}),
    Product("nickel", "7502.10.00.00", "kg", 17, 0.20, (5000, 60000), 1.5, "nickel", {"CA": .3, "NO": .25, "AU": .15, "FI": .1, "JP": .1, "CN": .1}),
)
# fmt: on
PRODUCT_INDEX = {p.key: i for i, p in enumerate(PRODUCTS)}

# Covered line -> its uncovered sibling (classification shift), and how the quantity converts.
SIBLINGS: dict[str, tuple[str, tuple[float, float]]] = {
    "ndfeb": ("perm_other", (20, 150)),  # kg -> pieces
    "smco": ("perm_other", (30, 200)),
    "ferrite": ("perm_other", (5, 40)),
    "alnico": ("perm_other", (10, 60)),
    "ev_pack": ("ev_other", (1, 1)),
    "bess": ("batt_other", (40, 120)),  # one system -> its modules
    "liion": ("batt_other", (1, 1)),
    "li_carb": ("carb_other", (1, 1)),
}

# Families a UFLPA-priority Xinjiang supplier sells in (aluminium, polysilicon, lithium).
XINJIANG_FAMILIES = ("aluminum", "silicon", "lithium")
# Families with no production in these countries (gallium from Viet Nam, ...): USGS MCS 2025
# lists no gallium, germanium or refined cobalt output there.
IMPLAUSIBLE: dict[str, tuple[str, ...]] = {
    "gallium": ("VN", "MY", "TH", "MX"),
    "germanium": ("VN", "MY", "TH", "MX"),
    "cobalt": ("VN", "TH", "MX"),
}
RELABEL_COUNTRIES = ("VN", "MY", "TH", "MX")  # where goods of concern get their new origin
RELABEL_WEIGHTS = (0.45, 0.2, 0.2, 0.15)
# fmt: off
# (family, country, HTS6): imports of the HTS6 from the country jump after the duty change.
SURGE_PAIRS: tuple[tuple[str, str, str], ...] = (("magnet", "TH", "850511"), ("ree", "VN", "284690"))
# New manufacturers that become top shippers, one per month after the change, in turn.
NEW_MID_CAMPAIGNS: tuple[tuple[str, str, str], ...] = (("ree", "VN", "284690"), ("ree", "MY", "284690"))
# fmt: on

FAMILY_WORDS: dict[str, tuple[str, ...]] = {
    "magnet": ("Magnet", "Magnetics", "Magnetic Materials", "Magnet Technology"),
    "magnet_other": ("Magnet Products", "Magnetic Products", "Flexmag"),
    "battery": ("New Energy", "Power Cell", "Battery", "Energy Technology"),
    "battery_other": ("Battery", "Power Systems", "Storage Battery"),
    "graphite": ("Graphite", "Carbon", "Carbon Materials", "New Carbon"),
    "ree": ("Rare Earth", "Rare Earth Materials", "Advanced Materials", "Rare Earth Chemicals"),
    "ree_ore": ("Mining", "Minerals", "Resources"),
    "mineral_other": ("Minerals", "Pigments", "Mineral Products"),
    "gallium": ("Rare Metals", "Gallium", "Semiconductor Materials"),
    "germanium": ("Germanium", "Rare Metals", "Optical Materials"),
    "lithium": ("Lithium", "Lithium Chemicals", "Lithium Industry"),
    "lithium_other": ("Chemicals", "Fine Chemicals", "Chemical Industry"),
    "cobalt": ("Cobalt", "Cobalt Materials", "Metal Powders"),
    "tungsten": ("Tungsten", "Tungsten Industry", "Hard Metals"),
    "aluminum": ("Aluminium", "Aluminium Industry", "Light Metals"),
    "silicon": ("Silicon", "Silicon Industry", "Solar Materials"),
    "nickel": ("Nickel", "Nickel Refining", "Metals"),
    "trading": ("Trading", "Import Export", "Resources", "Commodities"),
}
GERMAN_WORDS = {"magnet": "Magnettechnik", "battery": "Batterietechnik", "graphite": "Kohlenstoff",
                "gallium": "Metallurgie", "germanium": "Sondermetalle", "cobalt": "Metallpulver",
                "tungsten": "Hartmetall", "silicon": "Silizium", "lithium": "Lithiumchemie",
                "lithium_other": "Chemie", "mineral_other": "Mineralwerk", "nickel": "Nickelwerk",
                "trading": "Handel"}  # fmt: skip
SPANISH_WORDS = {"lithium": "Litio", "aluminum": "Aluminio", "battery": "Baterias",
                 "magnet": "Imanes", "graphite": "Grafito", "ree": "Tierras Raras",
                 "trading": "Comercializadora", "magnet_other": "Imanes", "ree_ore": "Minera", "battery_other": "Acumuladores",
                 "cobalt": "Cobalto", "tungsten": "Tungsteno", "nickel": "Niquel"}  # fmt: skip


@dataclass(frozen=True)
class Country:
    name: str  # as written in addresses
    style: str  # how firm names and addresses are built (see generate_firms)
    legal: tuple[str, ...]  # legal forms: the canonical one first, then variants paperwork shows
    cities: tuple[tuple[str, str, str], ...]  # (city, region, port of lading UN/LOCODE)
    streets: tuple[str, ...]
    mid_prefix: str = ""  # "" -> the alpha-2 code (Canada: X + province letter, per city)
    spi: str = ""  # special program an exporter of this country claims (where the line lists it)


# fmt: off
COUNTRIES: dict[str, Country] = {
    "CN": Country("China", "cn", ("Co., Ltd.", "Co Ltd", "Company Limited", "CO.,LTD"), (
        ("Ningbo", "Zhejiang", "CNNGB"), ("Baotou", "Inner Mongolia", "CNTXG"), ("Ganzhou", "Jiangxi", "CNXMN"),
        ("Shenzhen", "Guangdong", "CNYTN"), ("Suzhou", "Jiangsu", "CNSHA"), ("Xiamen", "Fujian", "CNXMN"),
        ("Qingdao", "Shandong", "CNTAO"), ("Changzhou", "Jiangsu", "CNSHA"), ("Ningde", "Fujian", "CNFOC"),
        ("Jixi", "Heilongjiang", "CNDLC"), ("Zhuzhou", "Hunan", "CNCAN"), ("Zibo", "Shandong", "CNTAO"),
        ("Yichun", "Jiangxi", "CNSHA"), ("Quzhou", "Zhejiang", "CNNGB"), ("Tianjin", "Tianjin", "CNTXG"),
        ("Hangzhou", "Zhejiang", "CNNGB"), ("Huizhou", "Guangdong", "CNYTN"), ("Zhaoqing", "Guangdong", "CNCAN"),
        ("Chenzhou", "Hunan", "CNCAN"), ("Yantai", "Shandong", "CNTAO"),
    ), ("Xingye", "Jinqiao", "Binhai", "Kaifa", "Gaoxin", "Huanghe", "Changjiang", "Chuangye", "Keji",
        "Xinhua", "Huayuan", "Yingbin", "Jingwei", "Hongqiao", "Taihu", "Wenhua"), spi=""),
    "JP": Country("Japan", "ja", ("Co., Ltd.", "Co Ltd", "K.K."), (
        ("Akita", "Akita", "JPTYO"), ("Himeji", "Hyogo", "JPUKB"), ("Omuta", "Fukuoka", "JPMOJ"),
        ("Echizen", "Fukui", "JPUKB"), ("Yokkaichi", "Mie", "JPNGO"), ("Hamamatsu", "Shizuoka", "JPNGO"),
        ("Moriguchi", "Osaka", "JPOSA"), ("Niihama", "Ehime", "JPUKB"),
    ), ("Honcho", "Shinden", "Minatomachi", "Kitamachi", "Higashi", "Nishiki", "Sakaemachi", "Asahimachi"), spi="JP"),
    "KR": Country("Republic of Korea", "ko", ("Co., Ltd.", "Co Ltd", "Corporation"), (
        ("Pohang", "Gyeongbuk", "KRPUS"), ("Ulsan", "Ulsan", "KRUSN"), ("Changwon", "Gyeongnam", "KRPUS"),
        ("Cheongju", "Chungbuk", "KRINC"), ("Gumi", "Gyeongbuk", "KRPUS"), ("Gwangyang", "Jeonnam", "KRKAN"),
    ), ("Sandan-ro", "Gongdan-ro", "Haean-ro", "Jungang-ro", "Saemaeul-ro", "Techno-ro"), spi="KR"),
    "DE": Country("Germany", "de", ("GmbH", "G.m.b.H."), (
        ("Hanau", "Hessen", "DEHAM"), ("Goslar", "Niedersachsen", "DEHAM"), ("Freiberg", "Sachsen", "DEHAM"),
        ("Burghausen", "Bayern", "DEBRV"), ("Duisburg", "Nordrhein-Westfalen", "DEBRV"), ("Ulm", "Baden-Wuerttemberg", "DEBRV"),
    ), ("Industrie", "Hafen", "Werk", "Gewerbe", "Bahnhof", "Muehlen")),
    "AT": Country("Austria", "de", ("GmbH", "G.m.b.H."), (
        ("Treibach", "Kaernten", "DEHAM"), ("Leoben", "Steiermark", "DEHAM"), ("Linz", "Oberoesterreich", "DEHAM"),
    ), ("Industrie", "Werk", "Gewerbepark", "Bahn")),
    "AU": Country("Australia", "en", ("Pty Ltd", "Pty. Ltd.", "Proprietary Limited"), (
        ("Kwinana", "WA", "AUFRE"), ("Kalgoorlie", "WA", "AUFRE"), ("Townsville", "QLD", "AUBNE"),
        ("Gladstone", "QLD", "AUGLT"), ("Geelong", "VIC", "AUMEL"),
    ), ("Mason", "Patterson", "Rockingham", "Harbour", "Quarry", "Railway"), spi="AU"),
    "CA": Country("Canada", "en", ("Inc.", "Inc", "Incorporated"), (
        ("Trail", "BC", "CAVAN"), ("Sudbury", "ON", "CAMTR"), ("Kamloops", "BC", "CAVAN"),
        ("Becancour", "QC", "CAMTR"), ("Fort Saskatchewan", "AB", "CAVAN"), ("Kitimat", "BC", "CAPRR"),
    ), ("Columbia", "Falconbridge", "Industrial", "Riverside", "Smelter", "Lakeshore"), spi="S"),
    "CL": Country("Chile", "es", ("SpA", "S.p.A."), (
        ("Antofagasta", "Antofagasta", "CLANF"), ("Mejillones", "Antofagasta", "CLMJS"), ("Calama", "Antofagasta", "CLANF"),
    ), ("Avenida Grecia", "Avenida Argentina", "Calle Prat", "Avenida Brasil"), spi="CL"),
    "AR": Country("Argentina", "es", ("S.A.", "SA"), (
        ("Salta", "Salta", "ARBUE"), ("San Salvador de Jujuy", "Jujuy", "ARBUE"), ("Catamarca", "Catamarca", "ARBUE"),
    ), ("Avenida Belgrano", "Calle Mitre", "Avenida San Martin", "Calle Balcarce")),
    "BR": Country("Brazil", "es", ("Ltda", "Ltda."), (
        ("Salto da Divisa", "Minas Gerais", "BRSSA"), ("Araxa", "Minas Gerais", "BRSSZ"), ("Pocos de Caldas", "Minas Gerais", "BRSSZ"),
    ), ("Rua Principal", "Avenida Brasil", "Rua das Flores", "Rodovia BR-116")),
    "MX": Country("Mexico", "es", ("S.A. de C.V.", "SA de CV"), (
        ("Monterrey", "Nuevo Leon", "MXNLD"), ("Saltillo", "Coahuila", "MXNLD"), ("Queretaro", "Queretaro", "MXATM"),
        ("Tijuana", "Baja California", "MXENS"), ("Guadalajara", "Jalisco", "MXZLO"),
    ), ("Avenida Industrial", "Calle Norte", "Boulevard Aeropuerto", "Avenida del Parque"), spi="S"),
    "VN": Country("Viet Nam", "vn", ("Co., Ltd", "Company Limited", "Co Ltd"), (
        ("Hai Phong", "Hai Phong", "VNHPH"), ("Bac Ninh", "Bac Ninh", "VNHPH"), ("Hai Duong", "Hai Duong", "VNHPH"),
        ("Thai Nguyen", "Thai Nguyen", "VNHPH"), ("Bien Hoa", "Dong Nai", "VNSGN"), ("Thu Dau Mot", "Binh Duong", "VNSGN"),
        ("Vung Tau", "Ba Ria-Vung Tau", "VNCMT"),
    ), ("Dinh Vu", "Yen Phong", "Nam Sach", "Amata", "VSIP", "Tan Thuan", "Phu My", "Que Vo")),
    "MY": Country("Malaysia", "my", ("Sdn Bhd", "Sdn. Bhd.", "Sendirian Berhad"), (
        ("Kuantan", "Pahang", "MYKUA"), ("Bayan Lepas", "Penang", "MYPEN"), ("Pasir Gudang", "Johor", "MYTPP"),
        ("Kulim", "Kedah", "MYPEN"), ("Klang", "Selangor", "MYPKG"), ("Bintulu", "Sarawak", "MYBTU"),
    ), ("Gebeng", "Perindustrian", "Hi-Tech", "Kapar", "Pelabuhan", "Teknologi")),
    "TH": Country("Thailand", "th", ("Co., Ltd.", "Company Limited"), (
        ("Rayong", "Rayong", "THLCH"), ("Chonburi", "Chonburi", "THLCH"), ("Ayutthaya", "Ayutthaya", "THBKK"),
        ("Samut Prakan", "Samut Prakan", "THBKK"), ("Prachinburi", "Prachinburi", "THLCH"),
    ), ("Amata City", "Eastern Seaboard", "Rojana", "Bangpoo", "Hemaraj", "WHA")),
    "IN": Country("India", "en", ("Pvt Ltd", "Private Limited", "Pvt. Ltd."), (
        ("Chennai", "Tamil Nadu", "INMAA"), ("Pune", "Maharashtra", "INNSA"), ("Vadodara", "Gujarat", "INMUN"),
        ("Visakhapatnam", "Andhra Pradesh", "INVTZ"), ("Angul", "Odisha", "INVTZ"), ("Jamnagar", "Gujarat", "INMUN"),
    ), ("MIDC", "Ambattur Estate", "GIDC", "SIPCOT", "Industrial Area", "Station")),
    "BE": Country("Belgium", "en", ("NV", "N.V."), (("Olen", "Antwerpen", "BEANR"), ("Hoboken", "Antwerpen", "BEANR")),
                  ("Watertoren", "Industrie", "Kanaal")),
    "FI": Country("Finland", "en", ("Oy",), (("Kokkola", "Ostrobothnia", "FIKOK"), ("Harjavalta", "Satakunta", "FIRAU")),
                  ("Satama", "Teollisuus", "Tehdas")),
    "NO": Country("Norway", "en", ("AS", "A/S"), (("Kristiansand", "Agder", "NOKRS"), ("Glomfjord", "Nordland", "NOBOO")),
                  ("Verks", "Industri", "Havne")),
    "EE": Country("Estonia", "en", ("AS",), (("Sillamae", "Ida-Viru", "EEMUG"),), ("Kesk", "Tehase", "Sadama")),
    "GB": Country("United Kingdom", "en", ("Ltd", "Limited", "Ltd."), (
        ("Sheffield", "South Yorkshire", "GBFXT"), ("Widnes", "Cheshire", "GBLIV"), ("Birmingham", "West Midlands", "GBSOU"),
    ), ("Brightside", "Moss Bank", "Foundry", "Works", "Canal")),
    "PL": Country("Poland", "en", ("Sp. z o.o.", "Sp z oo"), (("Wroclaw", "Dolnoslaskie", "PLGDN"), ("Gliwice", "Slaskie", "PLGDY")),
                  ("Przemyslowa", "Fabryczna", "Logistyczna")),
    "PT": Country("Portugal", "es", ("Lda", "Limitada"), (("Covilha", "Castelo Branco", "PTLEI"),), ("Rua da Mina", "Estrada Nacional")),
    "MZ": Country("Mozambique", "es", ("Lda", "Limitada"), (("Montepuez", "Cabo Delgado", "MZPOL"), ("Balama", "Cabo Delgado", "MZMNC")),
                  ("Estrada N1", "Avenida Eduardo Mondlane")),
    "MG": Country("Madagascar", "en", ("SARL", "S.A.R.L."), (("Toamasina", "Atsinanana", "MGTMM"), ("Moramanga", "Alaotra-Mangoro", "MGTMM")),
                  ("Route d'Ivoloina", "Boulevard Joffre")),
    "RW": Country("Rwanda", "en", ("Ltd", "Limited"), (("Kigali", "Kigali", "TZDAR"), ("Musanze", "Northern", "TZDAR")), ("KG 17 Avenue", "Industrial Park")),
    "AE": Country("United Arab Emirates", "en", ("LLC", "L.L.C."), (("Jebel Ali", "Dubai", "AEJEA"), ("Al Taweelah", "Abu Dhabi", "AEKHL")),
                  ("Free Zone", "Industrial City", "Khalifa")),
    "BH": Country("Bahrain", "en", ("W.L.L.", "WLL"), (("Askar", "Southern", "BHKBS"),), ("Industrial Area", "Askar Highway")),
    "PH": Country("Philippines", "en", ("Inc.", "Inc"), (("Batangas", "Batangas", "PHBTG"), ("Laguna", "Laguna", "PHMNL")), ("Technology Park", "Economic Zone")),
    "TW": Country("Taiwan", "en", ("Co., Ltd.", "Co Ltd"), (("Kaohsiung", "Kaohsiung", "TWKHH"), ("Taoyuan", "Taoyuan", "TWKEL"), ("Taichung", "Taichung", "TWTXG")),
                  ("Linhai", "Xingbang", "Gongye", "Zhongshan")),
    # trading hubs: traders and bonded warehouses, not producers
    "SG": Country("Singapore", "en", ("Pte Ltd", "Pte. Ltd.", "Private Limited"), (("Singapore", "Singapore", "SGSIN"),), ("Anson", "Robinson", "Shenton", "Jurong Port")),
    "NL": Country("Netherlands", "en", ("B.V.", "BV"), (("Rotterdam", "Zuid-Holland", "NLRTM"),), ("Weena", "Waalhaven", "Maasvlakte")),
}
# fmt: on
CANADA_PROVINCE = {"BC": "XB", "ON": "XO", "QC": "XQ", "AB": "XA"}  # MID prefix: X + province
TRADER_COUNTRIES = ("VN", "MY", "TH", "MX", "SG", "NL")
HUB_COUNTRIES = ("SG", "NL")  # legitimate traders and bonded warehouses in clean trade

# Brand words. English compounds for Chinese, Viet, Malaysian, Thai, Indian and English-language
# firms; syllables for Japanese and Korean; German and Spanish compounds.
EN_PRE = ("Amber", "Brisk", "Cedar", "Dusk", "Ember", "Fern", "Glen", "Hollow", "Iris", "Juniper",
          "Kestrel", "Lumen", "Marsh", "Nettle", "Otter", "Pebble", "Quill", "Rowan", "Sorrel",
          "Thistle", "Umber", "Vesper", "Willow", "Yarrow", "Zephyr", "Bramble", "Cobble", "Drift",
          "Heron", "Linden", "Cloud", "Tide", "Pine", "Larch", "Wren", "Moss", "Birch", "Sable",
          "Tern", "Alder")  # fmt: skip
EN_SUF = ("gate", "field", "crest", "wood", "brook", "vale", "stone", "ridge", "haven", "mere",
          "ford", "holt", "wick", "moor", "shaw", "combe", "dale", "fell", "lea", "wyn", "bay",
          "point", "line", "reach")  # fmt: skip
JA_SYL = ("ka", "ki", "mo", "ri", "to", "na", "sa", "shi", "ha", "yu", "mi", "ta", "ne", "fu",
          "ro", "ya", "ko", "hi", "ra", "se", "ku", "no", "wa", "ma")  # fmt: skip
KO_SYL = ("han", "seo", "dae", "bom", "gang", "mir", "sol", "haen", "nu", "ri", "ga", "ram", "on",
          "dol", "ma", "ru", "na", "rae", "bit", "sae", "byeol", "dam", "yul", "jin")  # fmt: skip
DE_PRE = ("Nord", "Elb", "Wald", "Berg", "Sonn", "Hoch", "Fels", "Tann", "Eichen", "Stern",
          "Adler", "Lerchen", "Moor", "Fluss", "Kiesel", "Ahorn")  # fmt: skip
DE_SUF = ("helm", "grund", "stein", "feld", "bach", "hof", "tal", "au", "horst", "brunn", "eck")
ES_PRE = ("Alto", "Sierra", "Valle", "Rio", "Cerro", "Puerto", "Monte", "Llano", "Costa", "Cumbre",
          "Vega", "Loma", "Punta", "Salar")  # fmt: skip
ES_SUF = ("verde", "claro", "blanco", "sereno", "norte", "azul", "nevado", "alegre", "hondo",
          "grande", "bravo", "lindo")  # fmt: skip

# Brand words that are also place names of Xinjiang (never used outside the Xinjiang scheme).
PLACE_WORDS = frozenset({"hami", "kashi", "aksu", "hotan", "korla", "bole", "altay", "kuqa", "aral",
                         "ili", "yili", "kumul", "turpan", "karamay", "shihezi", "urumqi"})  # fmt: skip
# Xinjiang: cities and streets of the invented UFLPA-priority suppliers.
XINJIANG_CITIES = (("Urumqi", "CNTXG"), ("Shihezi", "CNLYG"), ("Changji", "CNLYG"), ("Hami", "CNTXG"),
                   ("Korla", "CNLYG"), ("Karamay", "CNTXG"), ("Kuytun", "CNLYG"), ("Wujiaqu", "CNTXG"))  # fmt: skip

# fmt: off
# Transit hubs outside the countries of concern; Chinese ports a relabelled shipment passes.
HUB_PORTS = ("SGSIN", "KRPUS", "JPYOK", "MYTPP", "TWKHH", "HKHKG", "LKCMB", "AEJEA", "NLRTM", "BEANR")
CN_TRANSIT = ("CNSHA", "CNNGB", "CNYTN", "CNSHK", "CNNSA")
EUROPE_AFRICA = frozenset({"DE", "AT", "BE", "FI", "NO", "EE", "GB", "PL", "PT", "MZ", "MG", "RW",
                           "AE", "BH", "NL", "BR", "AR", "IN"})  # East-coast ports
WEST_PORTS = ("2704", "2709", "3001", "3002", "2811")  # LA, Long Beach, Seattle, Tacoma, Oakland
EAST_PORTS = ("1001", "4601", "1703", "1601", "1303", "5301", "1401", "2002")
LAND_PORTS = {"MX": ("2304", "2402", "2506"), "CA": ("3801", "0901", "3004")}  # Laredo, El Paso, Otay Mesa; Detroit, Buffalo, Blaine
FILERS = ("B7K", "M42", "QRT", "9XA", "HZ3", "K5P", "TNL", "W2F", "EJ6", "R8C", "Y3D", "P4V")
ADCVD_SPHERICAL = "A-570-176"  # active anode material from China (illustrative case number)
# fmt: on
