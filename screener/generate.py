"""``screener generate``: a seeded, multi-month scenario of entry files with planted evasion.

Writes one entry file per month (``entries-2025-07.csv``, ... so that name order is date order),
every column of the input contract (DESIGN §3), plus ``truth.csv`` (one row per planted line:
``entry_number, line_number, month, scheme, expected_rules``; clean lines are not listed) and
``scenario.json`` (parameters and counts). Trade is critical minerals and derivative products on
real HTS lines (``generate_catalog``) from invented firms (``generate_firms``); schemes are planted
only on entries dated on or after the duty event (``generate_schemes``). The same arguments give
byte-identical files. One million lines a month take a few seconds each (numpy + polars, no
per-line Python).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from screener.entry_number import CHAR_VALUE
from screener.errors import InputError
from screener.generate_catalog import ADCVD_SPHERICAL, COUNTRIES, FILERS, PRODUCT_INDEX, PRODUCTS
from screener.generate_firms import FIRM_COLUMNS
from screener.generate_month import POE, UNIT, Month, draw_month
from screener.generate_schemes import SCHEMES, expected_rules, plant
from screener.generate_universe import CODE_INDEX, CODES, FAMILIES, PORTS, Universe, build_universe
from screener.schema import ENTRY

__all__ = ["FORMATS", "Scenario", "ScenarioResult", "generate_scenario"]

FORMATS = ("csv", "parquet")
TRUTH_SCHEMA = {
    "entry_number": pl.String,
    "line_number": pl.Int64,
    "month": pl.String,  # YYYY-MM
    "scheme": pl.String,
    "expected_rules": pl.String,  # '; '-separated rule codes
}
MAX_TX = 9_000_000  # transaction numbers 1,000,000 .. 9,999,999 per filer code


@dataclass(frozen=True)
class Scenario:
    months: int = 9
    lines_per_month: int = 20_000
    seed: int = 7
    start: str = "2025-07"  # YYYY-MM of the first month
    fmt: str = "csv"
    planted_share: float = 0.04  # of the lines on or after the event
    event: date = date(2026, 1, 1)  # the duty change on countries of concern

    def first_days(self) -> list[date]:
        year, month = (int(x) for x in self.start.split("-"))
        return [
            date(year + (month - 1 + k) // 12, (month - 1 + k) % 12 + 1, 1)
            for k in range(self.months)
        ]

    def check(self) -> None:
        """Raise InputError listing every bad parameter."""
        problems = []
        if not 1 <= self.months <= 120:
            problems.append(f"--months must be 1..120 (got {self.months})")
        if not 10 <= self.lines_per_month <= 10_000_000:
            problems.append(
                f"--lines-per-month must be 10..10,000,000 (got {self.lines_per_month})"
            )
        elif self.months * self.lines_per_month > MAX_TX * len(FILERS):
            problems.append("months x lines-per-month exceeds the entry numbers of 12 filer codes")
        parts = self.start.split("-")
        if len(parts) != 2 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
            problems.append(f"--start must be YYYY-MM, e.g. 2025-07 (got {self.start!r})")
        elif not 2000 <= int(parts[0]) <= 2090:
            problems.append(f"--start year must be 2000..2090 (got {parts[0]})")
        if self.fmt not in FORMATS:
            problems.append(f"--format must be one of {', '.join(FORMATS)} (got {self.fmt!r})")
        if not 0.0 <= self.planted_share <= 0.5:
            problems.append(f"--planted-share must be 0..0.5 (got {self.planted_share})")
        if problems:
            raise InputError("screener generate: " + "; ".join(problems))


@dataclass
class ScenarioResult:
    files: list[Path]
    truth: Path
    lines: int = 0
    planted: dict[str, int] = field(default_factory=dict)  # scheme -> lines


def _check_digits(filer: np.ndarray, tx: np.ndarray) -> np.ndarray:
    """CBP check digit (``screener.entry_number``) of filer codes ``FILERS[filer]`` + ``tx``."""

    def luhn(v: np.ndarray | int) -> np.ndarray | int:
        d = np.asarray(v) * 2
        return np.where(d > 9, d - 9, d)

    part = np.array(
        [CHAR_VALUE[f[0]] + luhn(CHAR_VALUE[f[1]]) + CHAR_VALUE[f[2]] for f in FILERS],
        dtype=np.int64,
    )
    total = part[filer]
    for k in range(7):
        digit = (tx // 10**k) % 10
        total = total + (luhn(digit) if k % 2 == 0 else digit)
    return np.asarray((10 - total % 10) % 10)


def _entry_numbers(month: Month, n_lines: int) -> tuple[np.ndarray, pl.Series]:
    """(entry rank by date, entry numbers): numbers rise with the date within a filer code."""
    order = np.lexsort((np.arange(month.day.size), month.day))
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    serial = month.index * n_lines + rank
    filer = serial % len(FILERS)
    tx = serial // len(FILERS) + 1_000_000
    check = _check_digits(filer, tx)
    numbers = pl.select(
        pl.concat_str(
            pl.Series(FILERS).gather(pl.Series(filer)),
            pl.lit("-"),
            pl.Series(tx).cast(pl.String),
            pl.lit("-"),
            pl.Series(check).cast(pl.String),
        )
    ).to_series()
    return rank, numbers


_CODES_NULL = pl.Series([*CODES, None], dtype=pl.String)  # index -1 -> null
_PORTS_NULL = pl.Series([*PORTS, None], dtype=pl.String)
_SPI = np.array(
    [[COUNTRIES[c].spi in p.spi if c in COUNTRIES and COUNTRIES[c].spi else False for c in CODES]
     for p in PRODUCTS]
)  # fmt: skip
_PROGRAM = pl.Series([COUNTRIES[c].spi if c in COUNTRIES else "" for c in CODES])
_FAMILY = np.array([FAMILIES.index(p.family) for p in PRODUCTS])
_RARE = [FAMILIES.index(f) for f in ("ree", "magnet")]
_LOCAL = [FAMILIES.index(f) for f in ("lithium", "graphite", "tungsten", "nickel", "ree_ore")]
_BATTERY = np.array([p.hts.startswith(("8507.60", "8507.80")) for p in PRODUCTS])


def _chain(
    month: Month, e: np.ndarray, product: np.ndarray, origin: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Declared mine and refine countries (index, -1 none); never a country of concern."""
    declares = month.chain[e] & (origin != CODE_INDEX["CN"])
    family = _FAMILY[product]
    ores = np.isin(origin, [CODE_INDEX[c] for c in ("AU", "BR", "IN")])
    rare = np.isin(family, _RARE) & ~ores
    local = np.isin(family, _LOCAL) & ~rare
    cobalt = family == FAMILIES.index("cobalt")
    mine = np.where(rare, CODE_INDEX["AU"], np.where(local, origin, -1))
    mine = np.where(cobalt, CODE_INDEX["CD"], mine)
    refine = np.where(rare, CODE_INDEX["MY"], np.where(local | cobalt, origin, -1))
    return np.where(declares, mine, -1), np.where(declares, refine, -1)


def month_frame(month: Month, uni: Universe, n_lines: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(entry lines in the ENTRY schema, truth rows) of one month."""
    firms = uni.firms
    if month.maker.rows:
        extra = pl.DataFrame(month.maker.rows, schema=list(FIRM_COLUMNS), orient="row")
        firms = pl.concat([firms, extra])
    rank, numbers = _entry_numbers(month, n_lines)
    order = np.argsort(rank[month.entry], kind="stable")  # lines in entry-number order
    e = month.entry[order]
    product, origin, u = month.product[order], month.origin[e], month.u_line[order]
    sup, mk = pl.Series(month.supplier[e]), pl.Series(month.maker_id[e])
    names = pl.DataFrame(
        {
            "v": month.variant[e],
            "n": firms["name"].gather(sup),
            "a": firms["name_alt"].gather(sup),
        }
    ).select(
        pl.when(pl.col("v") == 1)
        .then("a")
        .when(pl.col("v") == 2)
        .then(pl.col("n").str.to_uppercase())
        .otherwise("n")
    )
    mine, refine = _chain(month, e, product, origin)
    magnet = (_FAMILY[product] == FAMILIES.index("magnet")) & (origin != CODE_INDEX["CN"])
    cn_ree = np.where(magnet & (u < 0.4), np.round((u * 1000) % 1 * 0.09, 3), np.nan)
    spi = _SPI[product, origin] & month.claim_spi[e]
    cell = np.where(_BATTERY[product] & (u < 0.6), origin, -1)
    adcvd = (product == PRODUCT_INDEX["spherical"]) & (origin == CODE_INDEX["CN"])
    transit = month.transit[e]
    dates = np.datetime64(month.first_day) + month.day[e].astype("timedelta64[D]")
    frame = pl.DataFrame(
        {
            "entry_number": numbers.gather(pl.Series(e)),
            "line_number": order - month.starts[e] + 1,
            "entry_date": pl.Series(dates).cast(pl.Date),
            "hts_code": pl.Series([p.hts for p in PRODUCTS]).gather(pl.Series(product)),
            "country_of_origin": _CODES_NULL.gather(pl.Series(origin)),
            "entered_value_usd": month.value[order],
            "supplier_name": names.to_series(),
            "country_of_export": _CODES_NULL.gather(pl.Series(month.export[e])),
            "manufacturer_id": firms["mid"].gather(mk),
            "manufacturer_name": firms["name"].gather(mk),
            "supplier_address": firms["address"].gather(sup),
            "supplier_country": firms["country"].gather(sup),
            "importer_id": uni.importers.gather(pl.Series(month.importer[e])),
            "quantity": month.qty[order],
            "quantity_unit": pl.Series(UNIT[product]),
            "port_of_lading": _PORTS_NULL.gather(pl.Series(month.lading[e])),
            "transit_ports": _PORTS_NULL.gather(pl.Series(transit)),
            "port_of_entry": pl.Series(POE).gather(pl.Series(month.poe[e])),
            "mine_country": _CODES_NULL.gather(pl.Series(mine)),
            "refine_country": _CODES_NULL.gather(pl.Series(refine)),
            "cell_origin": _CODES_NULL.gather(pl.Series(cell)),
            "cn_ree_content_pct": pl.Series(cn_ree, nan_to_null=True),
            "adcvd_case": adcvd,
            "related_party": month.related[e],
            "spi": _PROGRAM.gather(pl.Series(origin)),
            "_spi": spi,
            "_scheme": np.where(month.unplanted[order], 0, month.scheme[e]),
            "_extra": month.extra[e],
        }
    )
    frame = frame.with_columns(
        pl.concat_list("transit_ports").list.drop_nulls(),
        pl.when("adcvd_case").then(pl.lit(ADCVD_SPHERICAL)).alias("adcvd_case"),
        pl.when("_spi").then("spi").alias("spi"),
    )
    truth = _truth(frame.filter(pl.col("_scheme") > 0), month.first_day)
    return frame.select(list(ENTRY)), truth


def _truth(planted: pl.DataFrame, first: date) -> pl.DataFrame:
    if planted.is_empty():
        return pl.DataFrame(schema=TRUTH_SCHEMA)
    combos = planted.select("_scheme", "_extra").unique().rows()
    scheme_names = list(SCHEMES)
    return planted.select(
        "entry_number",
        "line_number",
        pl.lit(f"{first:%Y-%m}").alias("month"),
        pl.col("_scheme")
        .replace_strict({s: scheme_names[s] for s, _ in combos}, return_dtype=pl.String)
        .alias("scheme"),
        pl.struct("_scheme", "_extra")
        .replace_strict(
            [{"_scheme": s, "_extra": x} for s, x in combos],
            [expected_rules(s, x) for s, x in combos],
            return_dtype=pl.String,
        )
        .alias("expected_rules"),
    )


def _write(frame: pl.DataFrame, path: Path) -> None:
    if path.suffix == ".parquet":
        frame.write_parquet(path, statistics=False)
        return
    ports = pl.col("transit_ports")
    frame.with_columns(pl.when(ports.list.len() > 0).then(ports.list.join(";"))).write_csv(path)


def _prepare(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file; give a directory")
    old = [*out.glob("entries-*.csv"), *out.glob("entries-*.parquet")] if out.exists() else []
    if old and not force:
        raise InputError(
            f"{out} already holds {len(old)} entry file(s) (e.g. {old[0].name}); "
            "use --force to replace the scenario there, or give another --out"
        )
    for path in old:
        path.unlink()
    out.mkdir(parents=True, exist_ok=True)


def generate_scenario(
    scenario: Scenario,
    out: str | Path,
    *,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ScenarioResult:
    """Write the scenario's monthly entry files, truth.csv and scenario.json into ``out``."""
    scenario.check()
    out = Path(out)
    _prepare(out, force)
    say = progress or (lambda _m: None)
    universe = build_universe(scenario.seed, scenario.lines_per_month)
    result = ScenarioResult(files=[], truth=out / "truth.csv")
    truths, months = [], []
    for index, first in enumerate(scenario.first_days()):
        say(f"month {first:%Y-%m}")
        month = draw_month(universe, scenario.seed, index, first, scenario.lines_per_month)
        plant(month, universe, event=scenario.event, share=scenario.planted_share)
        frame, truth = month_frame(month, universe, scenario.lines_per_month)
        path = out / f"entries-{first:%Y-%m}.{scenario.fmt}"
        _write(frame, path)
        result.files.append(path)
        result.lines += frame.height
        truths.append(truth)
        counts = dict(truth.group_by("scheme").len().sort("scheme").iter_rows())
        for scheme, n in counts.items():
            result.planted[scheme] = result.planted.get(scheme, 0) + n
        months.append(
            {"month": f"{first:%Y-%m}", "file": path.name, "lines": frame.height, "planted": counts}
        )
    pl.concat(truths).write_csv(result.truth)
    meta = {
        "generator": "screener generate",
        "months": scenario.months,
        "lines_per_month": scenario.lines_per_month,
        "seed": scenario.seed,
        "start": scenario.start,
        "format": scenario.fmt,
        "planted_share": scenario.planted_share,
        "event": scenario.event.isoformat(),
        "schemes": {k: list(v) for k, v in SCHEMES.items() if k != "clean"},
        "per_month": months,
        "note": "every firm, address, MID and importer number is invented",
    }
    (out / "scenario.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return result
