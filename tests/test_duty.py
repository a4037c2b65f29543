"""Duty cases from the tariff facts (issue 2, DESIGN §7), screened through the real library path:
real rulesets, real bundled lists, Screener.screen_line. Supplier names are fictitious."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from screener import EntryLine, Screener
from screener.rates import parse_rate, special_programs

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def default() -> Screener:
    return Screener.load()


@pytest.fixture(scope="module")
def scenario() -> Screener:
    return Screener.load(ruleset="cmsa-2026-alliance-scenario")


def line(**overrides: object) -> EntryLine:
    base: dict[str, object] = {
        "entry_number": "ABC-1234567-6",
        "line_number": 1,
        "entry_date": "2026-02-10",
        "hts_code": "8505.11.0070",
        "country_of_origin": "VN",
        "entered_value_usd": 10000,
        "supplier_name": "Lotus Bay Components Co",
    }
    base.update(overrides)
    return EntryLine.model_validate(base)


def test_ndfeb_magnets_from_china_pay_mfn_plus_301(default: Screener) -> None:
    r = default.screen_line(line(country_of_origin="CN"))
    assert r.duty_class == "CONCERN_301"
    assert r.duty_rate_pct == pytest.approx(27.1)
    assert r.duty_usd == pytest.approx(2710.0)
    assert r.duty_ch99 == "9903.91.06"
    assert "origin CN" in (r.duty_concern_basis or "")
    assert "27.1%" in r.duty_reason and "cmsa-2026" in r.duty_reason


def test_same_magnets_from_vietnam_clean_route_pay_mfn(default: Screener) -> None:
    r = default.screen_line(line(country_of_export="VN", port_of_lading="VNHPH"))
    assert r.duty_class == "MFN"
    assert r.duty_rate_pct == pytest.approx(2.1)
    assert r.duty_s301_pct == 0
    assert r.origin_risk == 0


def test_ev_batteries_with_chinese_cells_are_concern_sourced(default: Screener) -> None:
    r = default.screen_line(line(hts_code="8507600010", cell_origin="China"))
    assert r.duty_class == "CONCERN_301"
    assert r.duty_rate_pct == pytest.approx(28.4)
    assert "cell origin CN" in (r.duty_concern_basis or "")
    assert "CHAIN_IN_CONCERN" in {f.rule for f in r.flags}


def test_rare_earth_oxide_mixtures_from_china_have_no_301_component(default: Screener) -> None:
    r = default.screen_line(line(hts_code="2846.90.20.05", country_of_origin="CHN"))
    assert r.duty_class == "CONCERN_301"
    assert r.duty_s301_pct == 0
    assert r.duty_rate_pct == 0
    assert "no section 301 rate" in r.duty_reason
    assert r.duty_group == "critical_mineral"


def test_flake_graphite_from_china_in_march_2026_is_25_pct(default: Screener) -> None:
    r = default.screen_line(
        line(hts_code="2504.10.10.00", country_of_origin="CN", entry_date="03/01/2026")
    )
    assert r.duty_class == "CONCERN_301"
    assert r.duty_rate_pct == pytest.approx(25.0)
    assert r.duty_trust_fund_usd == pytest.approx(2500.0)


def test_gallium_from_russia_pays_column_2_plus_301(default: Screener) -> None:
    r = default.screen_line(line(hts_code="8112.92.10.00", country_of_origin="RU"))
    assert r.duty_class == "CONCERN_301"
    assert r.duty_base_column == "column2"
    assert r.duty_rate_pct == pytest.approx(50.0)
    assert "Column 2" in r.duty_reason


def test_insulated_cable_is_not_covered(default: Screener) -> None:
    r = default.screen_line(line(hts_code="8544.49.30.80", country_of_origin="CN"))
    assert r.duty_class == "NOT_COVERED"
    assert r.duty_coverage_hts is None
    assert r.duty_trust_fund_usd == 0


def test_magnets_declared_vietnam_but_supplier_mid_and_lading_in_china_are_held(
    default: Screener,
) -> None:
    r = default.screen_line(
        line(supplier_country="CN", manufacturer_id="CNJADHAR17NIN", port_of_lading="CNNGB")
    )
    assert r.duty_class == "HOLD_VERIFY"
    assert {"SUPPLIER_IN_CONCERN", "MID_NE_ORIGIN", "LADED_IN_CONCERN"} <= {f.rule for f in r.flags}
    assert r.origin_risk >= 0.6
    assert r.duty_rate_pct == pytest.approx(27.1)  # provisional, as CONCERN_301


def test_alliance_scenario_is_dated(scenario: Screener, default: Screener) -> None:
    in_force = line(country_of_origin="JP", entry_date="2027-03-01")
    before = line(country_of_origin="JP", entry_date="2026-06-01")
    assert scenario.screen_line(in_force).duty_class == "ALLIANCE_FREE"
    assert scenario.screen_line(in_force).duty_usd == 0
    assert scenario.screen_line(before).duty_class == "MFN"
    assert default.screen_line(in_force).duty_class == "MFN"


def test_concern_sourcing_wins_over_alliance(scenario: Screener) -> None:
    r = scenario.screen_line(
        line(
            hts_code="8507600010", country_of_origin="KR", cell_origin="CN", entry_date="2027-02-01"
        )
    )
    assert r.duty_class == "CONCERN_301"


def test_claimed_special_program_applies_its_rate(default: Screener) -> None:
    r = default.screen_line(line(country_of_origin="KR", spi="KR"))
    assert r.duty_class == "MFN"
    assert r.duty_base_column == "special"
    assert r.duty_rate_pct == 0


def test_spi_not_listed_on_the_line_keeps_general_rate(default: Screener) -> None:
    r = default.screen_line(line(country_of_origin="VN", spi="ZZ"))
    assert r.duty_base_column == "general"
    assert r.duty_rate_pct == pytest.approx(2.1)


def test_adcvd_is_kept_in_every_class(default: Screener) -> None:
    for origin in ("CN", "VN"):
        r = default.screen_line(line(country_of_origin=origin, adcvd_case="A-570-999"))
        assert r.adcvd is True
        assert "AD/CVD case A-570-999" in r.duty_reason


def test_specific_rate_uses_quantity_in_kg_or_is_marked_not_computable(
    default: Screener,
) -> None:
    # 2504.10.10.00 column 2 rate is 3.6 cents/kg: a North Korean origin takes column 2.
    kg = default.screen_line(
        line(hts_code="2504.10.10.00", country_of_origin="KP", quantity=1000, quantity_unit="kg")
    )
    assert kg.duty_base_column == "column2"
    assert kg.duty_computable
    assert kg.duty_usd == pytest.approx(0.036 * 1000 + 0.25 * 10000)
    tonnes = default.screen_line(
        line(hts_code="2504.10.10.00", country_of_origin="KP", quantity=1, quantity_unit="t")
    )
    assert tonnes.duty_usd == pytest.approx(kg.duty_usd)
    missing = default.screen_line(line(hts_code="2504.10.10.00", country_of_origin="KP"))
    assert missing.duty_computable is False
    assert missing.duty_usd is None
    assert "not computable" in missing.duty_reason


def test_policy_override_replaces_the_301_rate(tmp_path: Path) -> None:
    base = ROOT / "rulesets" / "cmsa-2026"
    copy = tmp_path / "override"
    shutil.copytree(base, copy)
    coverage = copy / "coverage.csv"
    lines = coverage.read_text(encoding="utf-8").splitlines()
    header = next(i for i, ln in enumerate(lines) if not ln.startswith("#"))
    cols = lines[header].split(",")
    idx = cols.index("policy_override_pct")
    for i in range(header + 1, len(lines)):
        if lines[i].startswith("28469020,"):
            import csv
            import io

            row = next(csv.reader(io.StringIO(lines[i])))
            row[idx] = "10"
            buf = io.StringIO()
            csv.writer(buf, lineterminator="").writerow(row)
            lines[i] = buf.getvalue()
    coverage.write_text("\n".join(lines) + "\n", encoding="utf-8")
    screener = Screener.load(ruleset=copy)
    r = screener.screen_line(line(hts_code="2846.90.20.05", country_of_origin="CN"))
    assert r.duty_rate_pct == pytest.approx(10.0)
    assert "policy override 10%" in r.duty_reason


def test_rate_text_parsing() -> None:
    assert parse_rate("Free").ad_valorem_pct == 0
    assert parse_rate("2.1%").ad_valorem_pct == 2.1
    compound = parse_rate("5.5% + 1.2¢/kg")
    assert (compound.ad_valorem_pct, compound.specific_usd, compound.unit) == (5.5, 0.012, "kg")
    assert not parse_rate("1.7¢/kg on lead content").computable
    assert special_programs("Free (A+,AU,KR) 1.2% (JP)") == {
        "A": "Free",
        "AU": "Free",
        "KR": "Free",
        "JP": "1.2%",
    }
