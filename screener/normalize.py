"""Expression builders that normalize entry-line values, plus small scalar helpers.

Every builder takes a polars expression over a String column and returns an expression; a value
it cannot read becomes null (the caller decides whether that is a reject). Builders that return
codes are idempotent: normalizing a normalized value returns it unchanged.

Countries resolve through ``data/countries.csv`` (ISO 3166-1 from datasets/country-codes: alpha-2,
alpha-3 and five English name columns) and ``data/country_aliases.csv`` (common variants such as
"Vietnam", "South Korea", "UK"). Names match on a key that ignores case, accents, punctuation,
"&" vs "and", and a leading or trailing "the".
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

from screener.entry_number import entry_check_digit_ok

__all__ = [
    "country_codes",
    "country_name",
    "entry_check_digit_ok",
    "locode_country",
    "mid_country",
    "name_key",
    "normalize_country",
    "normalize_hts",
    "normalize_locode",
    "parse_amount",
    "parse_date",
]

_DATA = Path(__file__).parent / "data"
_NAME_COLUMNS = ("name", "cldr_name", "unterm_short", "unterm_formal", "iso4217_name")
_HTS10 = r"^[0-9]{10}$"
_LOCODE = r"^[A-Z]{2}[A-Z2-9]{3}$"
# "1,234.50", "1234", ".5", "1e-7" (numbers written by Parquet/NDJSON writers); commas only as
# thousands separators, so "1.234,50" (decimal comma) is not silently read as 1.2345.
_AMOUNT = (
    r"^[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?$"
    r"|^[+-]?\.[0-9]+(?:[eE][+-]?[0-9]+)?$"
)


def _read_table(name: str) -> pl.DataFrame:
    return pl.read_csv(_DATA / name, comment_prefix="#", infer_schema=False)


@cache
def _countries() -> pl.DataFrame:
    return _read_table("countries.csv")


def country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code screener knows."""
    return frozenset(_countries()["alpha2"].to_list())


@cache
def _names() -> dict[str, str]:
    # CLDR display names are the short everyday ones ("South Korea", "Hong Kong"); where CLDR
    # abbreviates ("UK", "US") the official English name is used instead.
    c = _countries().select(
        "alpha2",
        pl.when(pl.col("cldr_name").str.len_chars() > 3)
        .then(pl.col("cldr_name"))
        .otherwise(pl.col("name"))
        .alias("short"),
    )
    return dict(zip(c["alpha2"], c["short"], strict=True))


def country_name(code: str) -> str:
    """English short name of an alpha-2 code for messages ("CN" -> "China"); unknown: the code."""
    return _names().get(code.strip().upper(), code)


def name_key(expr: pl.Expr) -> pl.Expr:
    """Key for matching a country name: upper ASCII words, no punctuation, no outer THE."""
    return (
        expr.str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")
        .str.to_uppercase()
        .str.replace_all(r"[.'’`]", "")
        .str.replace_all("&", " AND ", literal=True)
        .str.replace_all(r"[^A-Z0-9]+", " ")
        .str.strip_chars()
        .str.replace_all(r"^THE |\sTHE$", "")
    )


@cache
def _country_lookup() -> dict[str, str]:
    """Key -> alpha-2 over codes, every name column and the aliases; ambiguous keys are dropped."""
    countries = _countries()
    codes = set(countries["alpha2"])
    aliases = _read_table("country_aliases.csv")
    unknown = sorted(set(aliases["alpha2"]) - codes)
    if unknown:
        raise ValueError(f"country_aliases.csv names unknown alpha-2 codes: {unknown}")
    pairs = [
        countries.select(pl.col(c).alias("text"), "alpha2")
        for c in ("alpha2", "alpha3", *_NAME_COLUMNS)
    ]
    pairs.append(aliases.select(pl.col("alias").alias("text"), "alpha2"))
    table = (
        pl.concat(pairs)
        .drop_nulls()
        .select(name_key(pl.col("text")).alias("key"), "alpha2")
        .filter(pl.col("key") != "")
        .unique()
    )
    ambiguous = table.group_by("key").len().filter(pl.col("len") > 1)["key"]
    table = table.filter(~pl.col("key").is_in(ambiguous.implode()))
    return dict(zip(table["key"], table["alpha2"], strict=True))


def normalize_country(expr: pl.Expr) -> pl.Expr:
    """Alpha-2, alpha-3 or English name, any case and spacing -> upper alpha-2; unknown -> null."""
    lookup = _country_lookup()
    return name_key(expr).replace_strict(
        list(lookup), list(lookup.values()), default=None, return_dtype=pl.String
    )


def _known_alpha2(expr: pl.Expr) -> pl.Expr:
    codes = sorted(country_codes())
    return pl.when(expr.is_in(pl.Series(codes).implode())).then(expr)


def normalize_hts(expr: pl.Expr) -> pl.Expr:
    """ "8505.11.0070", "8505110070", " 8505.11.00.70 " -> "8505110070"; anything else -> null."""
    digits = expr.str.replace_all(r"[\s.]", "")
    return pl.when(digits.str.contains(_HTS10)).then(digits)


def normalize_locode(expr: pl.Expr) -> pl.Expr:
    """UN/LOCODE: upper case, spaces removed, 2-letter country + 3 letters/digits 2-9; else null."""
    code = expr.str.to_uppercase().str.replace_all(r"\s", "")
    return pl.when(code.str.contains(_LOCODE)).then(code)


def locode_country(expr: pl.Expr) -> pl.Expr:
    """UN/LOCODE "CNSHA" / "CN SHA" -> "CN" (null when not a LOCODE of a known country)."""
    return _known_alpha2(normalize_locode(expr).str.slice(0, 2))


def mid_country(expr: pl.Expr) -> pl.Expr:
    """CBP manufacturer ID -> alpha-2 of the manufacturer: its first two letters, except Canada.

    Canadian MIDs start with "X" and a province letter (XO Ontario, XQ Quebec, ...) -> "CA".
    Null when the MID does not start with two letters naming a known country.
    """
    mid = expr.str.strip_chars().str.to_uppercase()
    return (
        pl.when(mid.str.contains(r"^X[A-Z]"))
        .then(pl.lit("CA"))
        .otherwise(_known_alpha2(mid.str.slice(0, 2)))
        .name.keep()
    )


def parse_date(expr: pl.Expr) -> pl.Expr:
    """ISO "2026-01-15" (a trailing time is ignored) or US "1/15/2026" -> Date; else null."""
    text = expr.str.strip_chars()
    iso = text.str.extract(r"^([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})(?:[T ][0-9:.+\-Z]*)?$", 1)
    us = pl.when(text.str.contains(r"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$")).then(text)
    return pl.coalesce(
        iso.str.to_date("%Y-%m-%d", strict=False),
        us.str.to_date("%m/%d/%Y", strict=False),
    )


def _amount_series(values: pl.Series) -> pl.Series:
    text = values.str.strip_chars()
    # fast path: plain numbers ("1234.50", "-5", "1e-7") cast directly
    fast = text.cast(pl.Float64, strict=False)
    slow = fast.is_null() & text.is_not_null()
    if not slow.any():
        return fast
    rest = text.filter(slow).str.replace(r"^([+-]?)\$\s*", "${1}")
    parsed = pl.select(
        pl.when(rest.str.contains(_AMOUNT))
        .then(rest.str.replace_all(",", "", literal=True))
        .cast(pl.Float64, strict=False)
    ).to_series()
    return fast.scatter(slow.arg_true(), parsed)


def parse_amount(expr: pl.Expr) -> pl.Expr:
    """ "1,234.50", "$1234.5", "1234", "-5" -> Float64; anything else (e.g. "1.234,50") -> null.

    NaN and infinities come through as floats (a caller wanting finite values checks)."""
    return expr.cast(pl.String).map_batches(
        _amount_series, return_dtype=pl.Float64, is_elementwise=True
    )
