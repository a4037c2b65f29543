"""Normalization expression builders and the CBP entry-number check digit."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screener.entry_number import CHAR_VALUE, check_digit
from screener.normalize import (
    country_codes,
    country_name,
    entry_check_digit_ok,
    locode_country,
    mid_country,
    normalize_country,
    normalize_hts,
    normalize_locode,
    parse_amount,
    parse_date,
)


def apply(fn, values: list[object], dtype: pl.DataType = pl.String) -> list[object]:
    return pl.DataFrame({"v": values}, schema={"v": dtype}).select(fn(pl.col("v")))["v"].to_list()


# --- HTS ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["8505.11.0070", "8505110070", " 8505.11.00.70 ", "8505 11 0070", "8505110070\t"]
)
def test_hts_dotted_and_undotted_give_ten_digits(raw: str) -> None:
    assert apply(normalize_hts, [raw]) == ["8505110070"]


def test_hts_keeps_leading_zero() -> None:
    assert apply(normalize_hts, ["0901.21.0010"]) == ["0901210010"]


@pytest.mark.parametrize("raw", ["8505.11", "85051100701", "8505-11-0070", "ABCD110070", "", None])
def test_hts_not_ten_digits_is_null(raw: str | None) -> None:
    assert apply(normalize_hts, [raw]) == [None]


# --- countries ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("CN", "CN"),
        ("cn", "CN"),
        (" chn ", "CN"),
        ("China", "CN"),
        ("Viet Nam", "VN"),
        ("VIETNAM", "VN"),
        ("VNM", "VN"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("Republic of Korea", "KR"),
        ("North Korea", "KP"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Iran", "IR"),
        ("Taiwan", "TW"),
        ("Hong Kong", "HK"),
        ("Macau", "MO"),
        ("Bolivia", "BO"),
        ("Venezuela", "VE"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("United Kingdom", "GB"),
        ("U.S.A.", "US"),
        ("United States", "US"),
        ("Czech Republic", "CZ"),
        ("Czechia", "CZ"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Laos", "LA"),
        ("Syria", "SY"),
        ("Moldova", "MD"),
        ("Tanzania", "TZ"),
        ("The Netherlands", "NL"),
        ("Bahamas (the)", "BS"),
        ("Côte d’Ivoire", "CI"),
        ("Antigua & Barbuda", "AG"),
        ("Democratic Republic of the Congo", "CD"),
        ("Congo", "CG"),
        ("NA", "NA"),  # Namibia, not a missing value
    ],
)
def test_country_codes_names_and_variants_give_alpha2(raw: str, code: str) -> None:
    assert apply(normalize_country, [raw]) == [code]


@pytest.mark.parametrize("raw", ["Narnia", "XX", "Korea", "", None, "C N"])
def test_unknown_or_ambiguous_country_is_null(raw: str | None) -> None:
    assert apply(normalize_country, [raw]) == [None]


def test_every_alpha2_maps_to_itself() -> None:
    codes = sorted(country_codes())
    assert len(codes) > 240
    assert apply(normalize_country, list(codes)) == codes


def test_country_name_for_messages() -> None:
    assert country_name("CN") == "China"
    assert country_name("kr") == "South Korea"
    assert country_name("ZZ") == "ZZ"


# --- MID, UN/LOCODE -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mid", "code"),
    [
        ("CNSHAMAG123SHA", "CN"),
        ("vnhanmet45han", "VN"),
        ("XOACMCOR1TOR", "CA"),  # Ontario
        ("XQMETAL12MON", "CA"),  # Quebec
        ("ZZABC1", None),
        ("12ABC", None),
        (None, None),
    ],
)
def test_mid_country(mid: str | None, code: str | None) -> None:
    assert apply(mid_country, [mid]) == [code]


@pytest.mark.parametrize(
    ("raw", "locode", "country"),
    [
        ("CNSHA", "CNSHA", "CN"),
        ("cn sha", "CNSHA", "CN"),
        ("SGSIN", "SGSIN", "SG"),
        ("USLAX", "USLAX", "US"),
        ("ZZABC", "ZZABC", None),  # LOCODE-shaped, unknown country
        ("Shanghai", None, None),
        ("CNSH1", None, None),  # LOCODE location letters use digits 2-9 only
    ],
)
def test_locode(raw: str, locode: str | None, country: str | None) -> None:
    assert apply(normalize_locode, [raw]) == [locode]
    assert apply(locode_country, [raw]) == [country]


# --- dates and amounts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "date"),
    [
        ("2026-01-15", dt.date(2026, 1, 15)),
        ("1/15/2026", dt.date(2026, 1, 15)),
        ("01/05/2026", dt.date(2026, 1, 5)),
        ("2026-01-15T10:30:00", dt.date(2026, 1, 15)),
        (" 2/29/2024 ", dt.date(2024, 2, 29)),
        ("31/31/2026", None),
        ("2026-02-30", None),
        ("1/5/26", None),
        ("15.01.2026", None),
        ("", None),
    ],
)
def test_parse_date(raw: str, date: dt.date | None) -> None:
    assert apply(parse_date, [raw]) == [date]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1,234.50", 1234.5),
        ("$1234.5", 1234.5),
        ("1234", 1234.0),
        (" 7 ", 7.0),
        ("-$5", -5.0),
        ("1,234,567", 1234567.0),
        (".5", 0.5),
        ("1.234,50", None),  # decimal comma is not guessed
        ("12,34", None),
        ("abc", None),
        ("", None),
    ],
)
def test_parse_amount(raw: str, value: float | None) -> None:
    assert apply(parse_amount, [raw]) == [value]


# --- idempotence --------------------------------------------------------------------------------

messy = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["8505.11.0070", " cn ", "Viet Nam", "CN SHA", "cnsha", "chn", "UK"]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(messy, min_size=1, max_size=20))
def test_normalizers_are_idempotent(values: list[str]) -> None:
    for fn in (normalize_hts, normalize_country, normalize_locode):
        once = apply(fn, values)
        assert apply(fn, once) == once, fn.__name__


# --- CBP entry-number check digit ---------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    ["ABC-1234567-6", "abc-1234567-6", "ABC12345676", " ABC 1234567 6 ", "ZZ9-0000001-1"],
)
def test_check_digit_valid(number: str) -> None:
    assert apply(entry_check_digit_ok, [number]) == [True]


@pytest.mark.parametrize("number", ["ABC-1234567-5", "ABC-1234567-0", "ACB-1234567-6"])
def test_check_digit_invalid(number: str) -> None:
    assert apply(entry_check_digit_ok, [number]) == [False]


@pytest.mark.parametrize("number", ["ABC-123456-6", "AB-1234567-6", "ABC-12345A7-6", "", None])
def test_check_digit_not_checkable_is_null(number: str | None) -> None:
    assert apply(entry_check_digit_ok, [number]) == [None]


def test_check_digit_letter_table() -> None:
    # punched-card digit rows: A-I = 1-9, J-R = 1-9, S-Z = 2-9
    assert [CHAR_VALUE[c] for c in "AIJRSZ"] == [1, 9, 1, 9, 2, 9]
    assert check_digit("ABC1234567") == 6


filer = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=3, max_size=3)
serial = st.text(alphabet="0123456789", min_size=7, max_size=7)


@settings(max_examples=100, deadline=None)
@given(filer, serial, st.integers(1, 9))
def test_check_digit_expression_agrees_with_scalar(f: str, n: str, shift: int) -> None:
    good = check_digit(f + n)
    wrong = (good + shift) % 10
    numbers = [f"{f}-{n}-{good}", f"{f}-{n}-{wrong}"]
    assert apply(entry_check_digit_ok, numbers) == [True, False]
