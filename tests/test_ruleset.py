"""Rulesets: both shipped rulesets load clean, carry the verified tariff facts, and a broken copy
reports every problem at once (DESIGN §7, §8; rulesets/README.md)."""

from __future__ import annotations

import csv
import dataclasses
import io
import shutil
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import yaml

from screener.errors import RulesetError
from screener.ruleset import Ruleset, check_ruleset, load_ruleset, resolve_ruleset, rulesets_root

ROOT = Path(__file__).resolve().parent.parent / "rulesets"
BASE, SCENARIO = "cmsa-2026", "cmsa-2026-alliance-scenario"
RULE_CODES = {
    "EXPORT_NE_ORIGIN": (0.15, 0.35, "low", "high"),
    "LADED_IN_CONCERN": (0.35, None, "high", None),
    "MID_NE_ORIGIN": (0.2, 0.4, "medium", "high"),
    "SUPPLIER_IN_CONCERN": (0.35, None, "high", None),
    "ENTITY_OF_CONCERN": (0.5, None, "high", None),
    "CHAIN_IN_CONCERN": (0.5, None, "high", None),
    "ENTRY_CHECK_DIGIT": (0.0, None, "info", None),
    "ADCVD_DECLARED": (0.0, None, "info", None),
    "PRIOR_CONFIRMED_EVASION": (0.6, None, "high", None),
    "IMPLAUSIBLE_ORIGIN": (0.45, None, "high", None),
    "XINJIANG_NEXUS": (0.5, None, "high", None),
    "UNIT_VALUE_LOW": (0.25, None, "medium", None),
    "NEW_MANUFACTURER_SURGE": (0.25, None, "medium", None),
    "ORIGIN_SURGE": (0.2, None, "medium", None),
    "ORIGIN_HOPPING": (0.3, 0.45, "medium", "high"),
    "CLASSIFICATION_SHIFT": (0.3, None, "medium", None),
}


@pytest.fixture(scope="module")
def base() -> Ruleset:
    return load_ruleset(ROOT / BASE)


@pytest.fixture(scope="module")
def scenario() -> Ruleset:
    return load_ruleset(ROOT / SCENARIO)


def lookup(rs: Ruleset, hts10: str) -> dict[str, object]:
    """Longest-prefix coverage row joined with the schedule line, as the duty stage reads them."""
    rows = rs.coverage.filter(pl.lit(hts10).str.starts_with(pl.col("hts_prefix")))
    assert rows.height, f"{hts10} is not covered"
    row = rows.sort(pl.col("hts_prefix").str.len_chars(), descending=True).row(0, named=True)
    line = rs.hts.filter(pl.col("hts10") == hts10)
    assert line.height == 1, f"{hts10} is not a line of hts_schedule.csv"
    return {**row, **{f"hts_{k}": v for k, v in line.row(0, named=True).items()}}


def pct(rate: str) -> float:
    return 0.0 if rate == "Free" else float(rate.rstrip("%"))


# --- loading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [BASE, SCENARIO])
def test_ruleset_checks_clean(name: str) -> None:
    assert check_ruleset(ROOT / name) == []


def test_load_by_name_under_rulesets_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCREENER_RULESETS", str(ROOT))
    assert rulesets_root() == ROOT
    assert resolve_ruleset(BASE) == ROOT / BASE
    assert load_ruleset(BASE).name == BASE


def test_unknown_ruleset_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCREENER_RULESETS", str(ROOT))
    with pytest.raises(RulesetError) as caught:
        load_ruleset("no-such-ruleset")
    message = str(caught.value)
    assert "no ruleset 'no-such-ruleset'" in message
    assert BASE in message and SCENARIO in message  # names the ones that exist


def test_base_config(base: Ruleset) -> None:
    cfg = base.config
    assert (base.name, base.version) == ("cmsa-2026", "2026.1")
    assert cfg.effective_from == cfg.s301_reference_date == date(2026, 1, 1)
    assert cfg.options.hk_mo_as_concern is False
    assert (cfg.matching.default.review, cfg.matching.default.confirm) == (85, 95)
    assert cfg.hold_threshold == 0.6
    assert cfg.trust_fund.shares == {"doe_lpo": 0.6, "dod": 0.2, "dfc": 0.2}
    assert cfg.trust_fund.groups == ["critical_mineral"]
    assert set(cfg.trust_fund.classes) == {"CONCERN_301", "HOLD_VERIFY", "MFN"}
    assert any("landed cost" in n and "232" in n and "IEEPA" in n for n in cfg.notes)
    assert set(cfg.rules) == set(RULE_CODES)
    for code, (weight, concern_weight, severity, concern_severity) in RULE_CODES.items():
        rule = base.rule(code)
        assert (rule.weight, rule.concern_weight, rule.severity) == (
            weight,
            concern_weight,
            severity,
        )
        if concern_severity:
            assert rule.concern_severity == concern_severity
        assert rule.description.endswith(".")


@pytest.mark.parametrize("table", ["coverage.csv", "hts_schedule.csv", "countries.csv"])
def test_tables_open_with_read_by_and_sources(table: str) -> None:
    head = (ROOT / BASE / table).read_text(encoding="utf-8").splitlines()[:8]
    text = "\n".join(line for line in head if line.startswith("#"))
    assert "Read by: screener.ruleset" in text
    assert "Source" in text


# --- scenario and countries ------------------------------------------------------------------


def test_scenario_inherits_base_tables(base: Ruleset, scenario: Ruleset) -> None:
    assert scenario.coverage.equals(base.coverage)
    assert scenario.hts.equals(base.hts)
    assert scenario.minerals.equals(base.minerals)
    assert scenario.config.rules == base.config.rules  # yaml keys it lacks come from the base
    assert scenario.content_hash != base.content_hash
    assert scenario.provenance()["ruleset_name"] == SCENARIO
    assert "HYPOTHETICAL" in scenario.config.description
    assert any("HYPOTHETICAL" in n for n in scenario.config.notes)


def test_alliance_members_by_date(base: Ruleset, scenario: Ruleset) -> None:
    members = {"AU", "CA", "JP", "KR", "GB"}
    assert scenario.alliance_members(date(2027, 3, 1)) == members
    assert scenario.alliance_members(date(2026, 6, 1)) == frozenset()
    assert base.alliance_members(date(2027, 3, 1)) == frozenset()
    notes = scenario.countries.filter(pl.col("role") == "alliance")["note"].to_list()
    assert len(notes) == 5 and all("HYPOTHETICAL" in n for n in notes)


def test_countries_of_concern_and_column2(base: Ruleset) -> None:
    assert base.concern_countries(date(2026, 6, 1)) == {"CN", "RU", "IR", "KP", "VE"}
    assert base.concern_countries(date(2025, 12, 31)) == frozenset()  # scenario start
    assert base.column2_countries(date(2026, 6, 1)) == {"CU", "KP", "RU", "BY"}
    assert base.column2_countries(date(2022, 4, 8)) == {"CU", "KP"}  # before Pub. L. 117-110


def test_hk_mo_switch(base: Ruleset) -> None:
    on = date(2026, 6, 1)
    assert not {"HK", "MO"} & base.concern_countries(on)
    options = base.config.options.model_copy(update={"hk_mo_as_concern": True})
    config = base.config.model_copy(update={"options": options})
    switched = dataclasses.replace(base, config=config)
    assert {"HK", "MO"} <= switched.concern_countries(on)
    periods = switched.country_periods("concern")["code"].to_list()
    assert "HK" in periods and "HK" not in base.country_periods("concern")["code"].to_list()


# --- coverage facts --------------------------------------------------------------------------


def test_every_usgs_2025_mineral_is_covered(base: Ruleset) -> None:
    listed = set(base.minerals.filter(pl.col("usgs_2025"))["mineral"].to_list())
    assert len(listed) == 60
    covered = {
        m.strip()
        for names in base.coverage.filter(pl.col("group") == "critical_mineral")["mineral"]
        for m in names.split(";")
    }
    assert listed <= covered
    assert covered <= set(base.minerals["mineral"].to_list())  # names spelled as minerals.csv


def test_coverage_mfn_matches_schedule(base: Ruleset) -> None:
    hts = base.hts.select("hts10", "general")
    for row in base.coverage.iter_rows(named=True):
        lines = hts.filter(pl.col("hts10").str.starts_with(row["hts_prefix"]))
        assert set(lines["general"].to_list()) == {row["mfn_general"]}, row["hts_prefix"]


def test_coverage_stage_group_and_301_fields(base: Ruleset) -> None:
    cov = base.coverage
    assert cov["hts_prefix"].is_unique().all()
    zero = cov.filter(pl.col("s301_pct") == 0)
    assert (zero["s301_ch99"] == "").all()
    rated = cov.filter(pl.col("s301_pct") > 0)
    assert rated["s301_ch99"].str.contains(r"^9903\.(88|91)\.\d\d$").all()
    assert cov["policy_override_pct"].is_null().all()
    assert cov["confidence"].str.contains("verified").all()
    derivative = set(cov.filter(pl.col("group") == "derivative")["hts_prefix"].to_list())
    assert derivative == {"85051100", "85076000", "85079080"}


@pytest.mark.parametrize(
    ("hts10", "origin_rate", "s301", "ch99", "column2"),
    [
        pytest.param("8505110070", "2.1%", 25.0, "9903.91.06", "45%", id="NdFeB-magnet"),
        pytest.param("8507600010", "3.4%", 25.0, "9903.91.06", "40%", id="EV-li-ion"),
        pytest.param("8507600090", "3.4%", 25.0, "9903.91.06", "40%", id="other-li-ion"),
        pytest.param("2846902005", "Free", 0.0, "", "25%", id="REE-oxide-mixture"),
        pytest.param("2504101000", "Free", 25.0, "9903.91.06", "3.6¢/kg", id="flake-graphite"),
        pytest.param("8112921000", "3%", 25.0, "9903.88.03", "25%", id="gallium"),
        pytest.param("2805300020", "5%", 0.0, "", "31.3%", id="neodymium-metal"),
    ],
)
def test_duty_facts(
    base: Ruleset, hts10: str, origin_rate: str, s301: float, ch99: str, column2: str
) -> None:
    row = lookup(base, hts10)
    assert row["mfn_general"] == row["hts_general"] == origin_rate
    assert row["s301_pct"] == s301 and row["s301_ch99"] == ch99
    assert row["hts_column2"] == column2


def test_concern_duty_sums(base: Ruleset) -> None:
    magnet, battery = lookup(base, "8505110070"), lookup(base, "8507600010")
    assert pct(str(magnet["mfn_general"])) + float(magnet["s301_pct"]) == pytest.approx(27.1)
    assert pct(str(battery["mfn_general"])) + float(battery["s301_pct"]) == pytest.approx(28.4)


def test_lead_acid_battery_parts_are_not_covered(base: Ruleset) -> None:
    assert base.hts.filter(pl.col("hts10") == "8507904000").height == 1  # a real line
    covering = base.coverage.filter(pl.lit("8507904000").str.starts_with(pl.col("hts_prefix")))
    assert covering.height == 0
    assert lookup(base, "8507908000")["group"] == "derivative"  # Li-ion parts stay in
    header = (ROOT / BASE / "coverage.csv").read_text(encoding="utf-8").split("\nhts_prefix")[0]
    assert "8507.90.40" in header


# --- a broken copy reports everything --------------------------------------------------------


def _rewrite_csv(path: Path, edit: object) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    comments = [line for line in lines if line.startswith("#")]
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    rows, fields = edit(rows)  # type: ignore[operator]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text("".join(comments) + out.getvalue(), encoding="utf-8")


def test_broken_copy_reports_every_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(ROOT / BASE, broken)
    config = yaml.safe_load((broken / "ruleset.yaml").read_text(encoding="utf-8"))
    config["rules"]["EXPORT_NE_ORIGIN"]["weight"] = 1.5
    config["trust_fund"]["shares"]["dfc"] = 0.3
    (broken / "ruleset.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")

    def break_coverage(rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], list[str]]:
        rows[0]["stage"] = "powder"
        rows.append(dict(rows[1]))  # duplicate prefix
        return rows, list(rows[0])

    def drop_column(rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], list[str]]:
        fields = [f for f in rows[0] if f != "since"]
        return [{k: r[k] for k in fields} for r in rows], fields

    _rewrite_csv(broken / "coverage.csv", break_coverage)
    _rewrite_csv(broken / "countries.csv", drop_column)
    problems = check_ruleset(broken)
    text = "\n".join(problems)
    assert any(
        "coverage.csv, row 1 (line" in p and "stage" in p and "'powder'" in p for p in problems
    ), text
    assert any("hts_prefix: duplicate" in p and "row 261" in p for p in problems), text
    assert any("countries.csv, header" in p and "'since'" in p for p in problems), text
    assert any("rules.EXPORT_NE_ORIGIN.weight" in p for p in problems), text
    assert any("trust_fund" in p and "sum to" in p for p in problems), text
    assert len(problems) == 5, text  # nothing else, no noise from the broken tables
    with pytest.raises(RulesetError) as caught:
        load_ruleset(broken)
    assert caught.value.problems == problems
