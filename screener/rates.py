"""Parse HTS rate-of-duty text ("Free", "2.1%", "3.6¢/kg", "5.5% + 1.2¢/kg") into numbers.

A rate that depends on content ("on lead content"), on another unit than one we can convert, or
on a text we do not understand is marked not computable, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_AV = re.compile(r"^(?P<pct>\d+(?:\.\d+)?)%$")
_SPECIFIC = re.compile(
    r"^(?P<amount>\d+(?:\.\d+)?)(?P<cur>¢|\$)?\s*/\s*(?P<unit>kg|g|t|liter|l|no\.?|doz\.?|m2|m|each)$"
    r"|^\$(?P<amount2>\d+(?:\.\d+)?)\s*/\s*(?P<unit2>kg|g|t|liter|l|no\.?|doz\.?|m2|m|each)$",
    re.IGNORECASE,
)
_SPECIAL_GROUP = re.compile(r"(?P<rate>[^()]+?)\s*\((?P<programs>[^()]*)\)")

# Quantity units an entry line may declare, converted to kilograms.
KG_PER_UNIT: dict[str, float] = {"kg": 1.0, "kgs": 1.0, "g": 0.001, "t": 1000.0, "mt": 1000.0}


@dataclass(frozen=True)
class Rate:
    """One rate: ad valorem percent plus a specific amount in USD per ``unit``."""

    text: str
    ad_valorem_pct: float = 0.0
    specific_usd: float = 0.0
    unit: str = ""  # unit of the specific part, normalized ("kg", "no", ...)
    computable: bool = True
    problem: str = ""


def parse_rate(text: str | None) -> Rate:
    """Parse one rate text as the HTS prints it in the General or Column 2 column."""
    raw = (text or "").strip()
    if not raw:
        return Rate(text="", computable=False, problem="no rate printed for this line")
    if raw.lower() == "free":
        return Rate(text=raw)
    av, specific, unit = 0.0, 0.0, ""
    for part in (p.strip() for p in raw.split("+")):
        if m := _AV.match(part):
            av += float(m["pct"])
            continue
        if m := _SPECIFIC.match(part):
            amount = float(m["amount"] or m["amount2"])
            cur = m["cur"] if m["amount"] else "$"
            part_unit = (m["unit"] or m["unit2"]).lower().rstrip(".")
            if unit and KG_PER_UNIT.get(part_unit) is None and part_unit != unit:
                return Rate(text=raw, computable=False, problem="mixed specific units")
            usd = round(amount / 100, 8) if cur == "¢" else amount
            if part_unit in KG_PER_UNIT:  # per g or per t -> per kg
                usd, part_unit = usd / KG_PER_UNIT[part_unit], "kg"
            specific += usd
            unit = {"l": "liter"}.get(part_unit, part_unit)
            continue
        return Rate(text=raw, computable=False, problem=f"rate part '{part}' is not computable")
    return Rate(text=raw, ad_valorem_pct=av, specific_usd=specific, unit=unit)


def special_programs(text: str | None) -> dict[str, str]:
    """Map each special program code to its rate text: 'Free (A,AU,KR) 1.2% (JP)' ->
    {'A': 'Free', 'AU': 'Free', 'KR': 'Free', 'JP': '1.2%'}. Program marks like 'A+' and 'A*'
    are read as the program 'A'."""
    programs: dict[str, str] = {}
    for m in _SPECIAL_GROUP.finditer(text or ""):
        rate = m["rate"].strip()
        for code in m["programs"].split(","):
            clean = code.strip().rstrip("+*").upper()
            if clean:
                programs.setdefault(clean, rate)
    return programs
