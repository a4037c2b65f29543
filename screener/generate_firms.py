"""Invented firms for ``screener generate``: names, addresses and CBP MIDs, seeded.

A firm is a manufacturer of one product family in one country, a trader, or one of the invented
Xinjiang suppliers the schemes use. Names follow the country's habits (``Ningbo Emberfield Magnet
Co., Ltd.``, ``Kamorina Magnet Industries`` style brands for Japan, ``Litio Cerro Azul SpA``) from
invented brand words; every name is unique. The MID follows CBP's construction: the country
(Canada: ``X`` + province), the first three letters of the first two name words, up to four
digits of the street number and the first three letters of the city (``CNNINEMB128NIN``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from screener.generate_catalog import (
    CANADA_PROVINCE,
    COUNTRIES,
    DE_PRE,
    DE_SUF,
    EN_PRE,
    EN_SUF,
    ES_PRE,
    ES_SUF,
    FAMILY_WORDS,
    GERMAN_WORDS,
    JA_SYL,
    KO_SYL,
    PLACE_WORDS,
    SPANISH_WORDS,
    XINJIANG_CITIES,
)

FIRM_COLUMNS = ("name", "name_alt", "country", "city", "address", "mid", "port", "family", "role")
_MID_SKIP = {"A", "AN", "AND", "OF", "THE", "DE", "DEL", "LA", "LE", "NO"}
_XJ_STREETS = ("Kashi", "Beijing", "Hongshan", "Kelamayi", "Toutunhe", "Midong", "Bayi", "Tianshan")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def make_mid(prefix: str, base: str, street_number: int, city: str) -> str:
    """CBP MID: prefix + 3 letters of each of the first two name words + street digits + city."""
    words = [
        w for w in re.sub(r"[^A-Za-z ]", " ", _ascii(base)).upper().split() if w not in _MID_SKIP
    ]
    city_part = re.sub(r"[^A-Za-z]", "", _ascii(city)).upper()[:3]
    return prefix + "".join(w[:3] for w in words[:2]) + str(street_number)[:4] + city_part


@dataclass
class FirmMaker:
    """Makes unique firms from one seeded generator; ``rows`` collects them in order."""

    rng: np.random.Generator
    used_names: set[str] = field(default_factory=set)
    used_mids: set[str] = field(default_factory=set)
    rows: list[tuple[str, ...]] = field(default_factory=list)

    def _pick(self, items: tuple[str, ...]) -> str:
        return items[int(self.rng.integers(len(items)))]

    def _brand(self, style: str) -> str:
        while (brand := self._draw_brand(style)).lower() in PLACE_WORDS:
            pass
        return brand

    def _draw_brand(self, style: str) -> str:
        if style == "ja":
            n = 3 if self.rng.random() < 0.7 else 2
            return "".join(self._pick(JA_SYL) for _ in range(n)).capitalize()
        if style == "ko":
            return "".join(self._pick(KO_SYL) for _ in range(2)).capitalize()
        if style == "de":
            return self._pick(DE_PRE) + self._pick(DE_SUF)
        if style == "es":
            return f"{self._pick(ES_PRE)} {self._pick(ES_SUF).capitalize()}"
        return self._pick(EN_PRE) + self._pick(EN_SUF)

    def _base(self, country: str, family: str, city: str) -> str:
        style = COUNTRIES[country].style
        brand = self._brand(style)
        word = self._pick(FAMILY_WORDS[family])
        if style == "de":
            return f"{brand} {GERMAN_WORDS.get(family, word)}"
        if style == "es":
            return f"{SPANISH_WORDS.get(family, word)} {brand}"
        if style in ("cn", "vn") or (style == "en" and self.rng.random() < 0.3):
            return f"{city} {brand} {word}"
        if style == "ja" and self.rng.random() < 0.5:
            return f"{brand} {word} Industries"
        return f"{brand} {word}"

    def _address(self, country: str, city: str, region: str, number: int) -> str:
        c = COUNTRIES[country]
        street = self._pick(c.streets)
        k = int(self.rng.integers(1, 12))
        zip_ = int(self.rng.integers(10000, 99999))
        return {
            "cn": f"No. {number} {street} Road, {city}, {region}, {c.name}",
            "ja": f"{number}-{k} {street}, {city}, {region}, {c.name}",
            "ko": f"{number} {street}, {city}, {region}, {c.name}",
            "de": f"{street}strasse {number}, {zip_} {city}, {c.name}",
            "es": f"{street} {number}, {city}, {region}, {c.name}",
            "vn": f"Lot {chr(65 + k)}{number}, {street} Industrial Park, {city}, {region}, "
            + c.name,
            "my": f"{number}, Jalan {street} {k}, {zip_} {city}, {region}, {c.name}",
            "th": f"{number} Moo {k}, {street} Industrial Estate, {city}, {region} {zip_}, "
            + c.name,
        }.get(c.style, f"{number} {street} Road, {city}, {region}, {c.name}")

    def make(
        self,
        country: str,
        family: str,
        role: str,
        *,
        base: str | None = None,
        names: tuple[str, str] | None = None,
        place: tuple[str, str, str] | None = None,
    ) -> int:
        """Add one firm and return its row index. ``base`` and ``names`` reuse a firm's name
        (its twin in another country: same name, local address and MID)."""
        c = COUNTRIES[country]
        city, region, port = place or c.cities[int(self.rng.integers(len(c.cities)))]
        if base is None:
            for _ in range(200):
                base = self._base(country, family, city)
                if base.lower() not in self.used_names:
                    break
            else:  # a crowded (country, family): number the brand
                base = f"{base} {len(self.rows)}"
            self.used_names.add(base.lower())
        prefix = CANADA_PROVINCE.get(region, "XO") if country == "CA" else (c.mid_prefix or country)
        number = int(self.rng.integers(1, 1999))
        mid = make_mid(prefix, base, number, city)
        while mid in self.used_mids:
            number += 1
            mid = make_mid(prefix, base, number, city)
        self.used_mids.add(mid)
        legal = c.legal
        name = f"{base} {legal[0]}"
        alt = f"{base} {legal[-1]}" if len(legal) > 1 else name.upper()
        if names is not None:
            name, alt = names
        address = self._address(country, city, region, number)
        self.rows.append((name, alt, country, city, address, mid, port, family, role))
        return len(self.rows) - 1

    def make_xinjiang(self, family: str) -> int:
        """A supplier in Xinjiang (UFLPA priority sectors): address names the region."""
        city, port = XINJIANG_CITIES[int(self.rng.integers(len(XINJIANG_CITIES)))]
        for _ in range(200):
            brand = self._brand("cn")
            lead = "Xinjiang" if self.rng.random() < 0.5 else city
            base = f"{lead} {brand} {self._pick(FAMILY_WORDS[family])}"
            if base.lower() not in self.used_names:
                break
        self.used_names.add(base.lower())
        number = int(self.rng.integers(1, 999))
        mid = make_mid("CN", base, number, city)
        while mid in self.used_mids:
            number += 1
            mid = make_mid("CN", base, number, city)
        self.used_mids.add(mid)
        street = self._pick(_XJ_STREETS)
        address = f"No. {number} {street} Road, {city}, Xinjiang, China"
        names = (f"{base} Co., Ltd.", f"{base} Co Ltd")
        self.rows.append((*names, "CN", city, address, mid, port, family, "xinjiang"))
        return len(self.rows) - 1
