"""Seeded synthetic names for the matching benchmark: listed names and noisy supplier names.

Listed names are companies (place words, distinctive words, generic words such as ``trading`` or
``technology``, legal forms), Chinese companies with pinyin words, and persons. Distinctive words
come from a pool that grows with the list (so a 1,000,000-name list has a realistic vocabulary of
rare words) and are drawn partly log-uniformly, so some are frequent, as real brand words are.

Supplier names are either a listed name with the noise entry paperwork carries (typos, dropped,
added or changed legal forms, extra branch / city / address words, abbreviations, swapped words,
joined or split words, case and punctuation) or invented names from the same vocabulary that are
not on the list.

    gen = NameGen(seed=7, pool=10_000)
    listed = gen.names(20_000)
    queries = make_queries(listed, gen.pool, 100_000, seed=7)

Every name is invented; any likeness to a real firm or person is accidental.
"""

# ruff: noqa: E501  (word tables read best as long lines)
from __future__ import annotations

import random

# fmt: off
PLACES = ["shenzhen", "ningbo", "hangzhou", "xiamen", "guangzhou", "dongguan", "foshan", "suzhou", "wuxi", "qingdao", "tianjin", "dalian", "baotou", "ganzhou", "chengdu", "wuhan", "changsha", "nanjing", "hefei", "jinan", "zhengzhou", "yiwu", "wenzhou", "shantou", "zhuhai", "kunming", "harbin", "shenyang", "fuzhou", "jiangsu", "zhejiang", "guangdong", "shandong", "fujian", "hebei", "hunan", "sichuan", "jiangxi", "anhui", "osaka", "nagoya", "busan", "incheon", "penang", "johor", "chennai", "mumbai", "pune", "hanoi", "haiphong", "bangkok", "rayong", "jakarta", "surabaya", "manila", "karachi", "dubai", "istanbul", "hamburg", "rotterdam", "antwerp", "milan", "lyon", "toronto", "monterrey", "santos", "lima", "durban", "mombasa", "lagos", "almaty", "tashkent", "novosibirsk", "chelyabinsk"]
GENERIC = ["trading", "industrial", "industries", "technology", "technologies", "international", "group", "holdings", "manufacturing", "electronics", "electric", "metals", "materials", "chemical", "chemicals", "import", "export", "logistics", "shipping", "machinery", "equipment", "energy", "resources", "mining", "minerals", "development", "enterprise", "products", "supply", "global", "new", "precision", "engineering", "textile", "garment", "steel", "plastic", "rubber", "magnetic", "battery", "power", "solar", "optical", "medical", "investment", "commercial", "science", "systems", "solutions", "services", "components", "hardware", "tools", "packaging", "lighting", "ceramics", "rare", "earth", "alloy", "cable", "semiconductor"]
BRANDS = ["golden", "star", "sun", "ocean", "dragon", "eagle", "pacific", "united", "royal", "silver", "diamond", "crown", "phoenix", "lotus", "jade", "pearl", "tiger", "lion", "harmony", "victory", "unity", "fortune", "rainbow", "sky", "blue", "green", "red", "east", "west", "north", "south", "asia", "orient", "sino", "euro", "alpha", "delta", "omega", "apex", "summit", "peak", "bright", "everbright", "grand", "prime", "first", "century", "future", "modern", "smart"]
PINYIN = ["a", "ai", "an", "ang", "ao", "ba", "bai", "ban", "bang", "bao", "bei", "ben", "bi", "bian", "biao", "bin", "bing", "bo", "bu", "cai", "can", "cang", "cao", "ce", "cen", "chang", "chao", "chen", "cheng", "chi", "chong", "chu", "chuan", "chun", "ci", "cong", "cui", "cun", "da", "dai", "dan", "dang", "dao", "de", "deng", "di", "dian", "diao", "ding", "dong", "du", "duan", "dui", "dun", "duo", "e", "en", "er", "fa", "fan", "fang", "fei", "fen", "feng", "fu", "gai", "gan", "gang", "gao", "ge", "gen", "geng", "gong", "gu", "guan", "guang", "gui", "guo", "hai", "han", "hang", "hao", "he", "hei", "heng", "hong", "hou", "hu", "hua", "huai", "huan", "huang", "hui", "hun", "huo", "ji", "jia", "jian", "jiang", "jiao", "jie", "jin", "jing", "jiu", "ju", "juan", "jun", "kai", "kan", "kang", "ke", "kong", "kun", "lai", "lan", "lang", "lao", "le", "lei", "li", "lian", "liang", "lin", "ling", "liu", "long", "lu", "lun", "luo", "ma", "mai", "man", "mao", "mei", "men", "meng", "mi", "mian", "miao", "min", "ming", "mo", "mu", "na", "nan", "neng", "ni", "nian", "ning", "nuo", "ou", "pan", "pei", "peng", "pin", "ping", "pu", "qi", "qian", "qiang", "qiao", "qin", "qing", "qiu", "qu", "quan", "qun", "ran", "rao", "ren", "ri", "rong", "ru", "rui", "run", "ruo", "sai", "san", "sen", "sha", "shan", "shang", "shao", "shen", "sheng", "shi", "shou", "shu", "shuang", "shui", "shun", "si", "song", "su", "sui", "sun", "tai", "tan", "tang", "tao", "teng", "tian", "tie", "ting", "tong", "tu", "tuan", "wan", "wang", "wei", "wen", "wu", "xi", "xia", "xian", "xiang", "xiao", "xie", "xin", "xing", "xiong", "xiu", "xu", "xuan", "xue", "xun", "ya", "yan", "yang", "yao", "ye", "yi", "yin", "ying", "yong", "you", "yu", "yuan", "yue", "yun", "zai", "zan", "zao", "ze", "zeng", "zhan", "zhang", "zhao", "zhe", "zhen", "zheng", "zhi", "zhong", "zhou", "zhu", "zhuang", "zi", "zong", "zou", "zu", "zuo"]
FIRST = ["john", "james", "maria", "anna", "ahmed", "mohammad", "ali", "li", "wei", "jun", "hiroshi", "yuki", "olga", "ivan", "sergei", "elena", "carlos", "jose", "juan", "luis", "pierre", "marie", "hans", "klaus", "fatima", "aisha", "omar", "hassan", "david", "daniel", "peter", "paul"]
SURNAMES = ["smith", "johnson", "brown", "garcia", "martinez", "wang", "zhang", "chen", "liu", "huang", "zhao", "tanaka", "suzuki", "kim", "park", "lee", "nguyen", "tran", "ivanov", "petrov", "sokolov", "muller", "schmidt", "schneider", "rossi", "bianchi", "dubois", "martin", "khan", "rahman", "hussain", "silva", "santos", "pereira", "kowalski", "novak", "horvat", "yilmaz", "demir"]
LEGAL = ["Co., Ltd.", "Co Ltd", "Company Limited", "Limited", "Ltd", "Inc.", "Corporation", "Corp", "LLC",
         "GmbH", "S.A.", "S.A. de C.V.", "Pte Ltd", "Sdn Bhd", "Pvt Ltd", "JSC", "OOO", "AG", "B.V.", "S.r.l.",
         "PLC", "K.K."]
ABBREV = {"international": "intl", "manufacturing": "mfg", "technology": "tech", "industrial": "ind",
          "corporation": "corp", "company": "co", "group": "grp", "electronics": "elec", "chemical": "chem",
          "engineering": "eng", "development": "dev", "holdings": "hldgs"}
EXTRA = ["branch", "office", "factory", "plant", "warehouse", "depot", "representative", "office", "sales", "department", "export", "division"]
STREETS = ["road", "street", "avenue", "industrial", "park", "economic", "zone", "building", "floor", "room"]
_ON = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "kr", "l", "m", "n", "p", "pr", "r", "s", "st", "t", "tr", "v", "w", "z"]
_VOW = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou"]
_CODA = ["", "", "n", "r", "l", "x", "s", "m", "nd", "rk"]
# fmt: on


class NameGen:
    """Invented names from a seeded RNG; ``pool`` is the number of distinctive invented words."""

    def __init__(self, seed: int, pool: int) -> None:
        self.rng = random.Random(seed)
        words = {self._invent() for _ in range(pool)}
        self.pool = sorted(words)
        self.rng.shuffle(self.pool)

    def _invent(self) -> str:
        r = self.rng
        return "".join(
            r.choice(_ON) + r.choice(_VOW) + r.choice(_CODA) for _ in range(r.choice((2, 2, 3)))
        )

    def distinctive(self) -> str:
        r = self.rng
        if r.random() < 0.15:
            return r.choice(BRANDS)
        n = len(self.pool)  # 15% log-uniform (a few frequent words), 85% uniform
        i = int(n ** r.random()) - 1 if r.random() < 0.15 else r.randrange(n)
        return self.pool[i]

    def pinyin(self) -> str:
        return self.rng.choice(PINYIN) + self.rng.choice(PINYIN)

    def company(self) -> str:
        r = self.rng
        if r.random() < 0.25:  # Chinese firm: place + pinyin words + generic words
            words = [r.choice(PLACES[:40])] if r.random() < 0.7 else []
            words += [self.pinyin() for _ in range(r.choice((1, 1, 2)))]
        else:
            words = [r.choice(PLACES)] if r.random() < 0.35 else []
            words += [self.distinctive() for _ in range(r.choice((1, 1, 1, 2)))]
        for _ in range(r.choice((0, 1, 1, 2, 2, 3))):  # log-uniform: trading, industrial, ...
            word = GENERIC[int(len(GENERIC) ** r.random()) - 1]
            words += [word] if word not in words else []
        legal = [r.choice(LEGAL)] if r.random() < 0.8 else []
        return " ".join([w.title() for w in words] + legal)

    def person(self) -> str:
        r = self.rng
        last = r.choice(SURNAMES) if r.random() < 0.5 else self.distinctive()
        middle = [r.choice(FIRST)] if r.random() < 0.3 else []
        return " ".join(w.title() for w in [r.choice(FIRST), *middle, last])

    def name(self) -> str:
        return self.person() if self.rng.random() < 0.12 else self.company()

    def names(self, n: int) -> list[str]:
        """``n`` distinct names."""
        out: dict[str, None] = {}
        while len(out) < n:
            out[self.name()] = None
        return list(out)


def _typo(word: str, r: random.Random) -> str:
    if len(word) < 4:
        return word
    i = r.randrange(1, len(word) - 1)
    op = r.randrange(4)
    letter = r.choice("abcdefghijklmnopqrstuvwxyz")
    if op == 0:
        return word[:i] + letter + word[i + 1 :]
    if op == 1:
        return word[:i] + word[i + 1 :]
    if op == 2:
        return word[:i] + letter + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def add_noise(name: str, r: random.Random) -> str:
    """One to three of the edits entry paperwork makes to a listed name."""
    words = name.split()
    form = max((f for f in LEGAL if name.endswith(" " + f)), key=len, default="")
    if form:
        words = words[: -len(form.split())]
    for _ in range(r.choice((1, 1, 2, 2, 3))):
        op = r.randrange(9)
        j = r.randrange(len(words))
        if op in (0, 1):
            words[j] = _typo(words[j], r)
        elif op == 2:
            form = r.choice(["", "", *LEGAL])
        elif op == 3:
            words += [r.choice(PLACES).title(), r.choice(EXTRA).title()]
        elif op == 4:
            words += [
                f"No. {r.randrange(1, 999)}",
                r.choice(PLACES).title(),
                r.choice(STREETS).title(),
            ]
        elif op == 5:
            words = [ABBREV.get(w.lower(), w) for w in words]
            form = form.replace("Company", "Co").replace("Limited", "Ltd")
        elif op == 6 and len(words) > 1:
            j = min(j, len(words) - 2)
            words[j : j + 2] = [words[j + 1], words[j]]
        elif op == 7 and len(words) > 1:
            j = min(j, len(words) - 2)
            words[j : j + 2] = [words[j] + words[j + 1].lower()]
        elif op == 8 and len(words[j]) >= 7:
            cut = r.randrange(3, len(words[j]) - 2)
            words[j : j + 1] = [words[j][:cut], words[j][cut:]]
    text = " ".join([*words, form]).strip()
    return text.upper() if r.random() < 0.5 else text


def make_queries(
    listed: list[str], pool: list[str], n: int, *, seed: int, matched: float = 0.05
) -> list[str]:
    """``n`` distinct supplier names: a ``matched`` share are noisy listed names, the rest are
    invented (half from the list's ``pool`` of distinctive words, half from a pool of their own)."""
    r = random.Random(seed + 1)
    own = NameGen(seed + 2, pool=max(1_000, n // 2))
    shared = NameGen(seed + 3, pool=1)
    shared.pool = pool
    out: dict[str, None] = {}
    while len(out) < n:
        u = r.random()
        if u < matched:
            name = add_noise(r.choice(listed), r)
        else:
            name = (shared if u < matched + (1 - matched) / 2 else own).name()
            if r.random() < 0.3:
                name = add_noise(name, r)
        out[name] = None
    return list(out)
