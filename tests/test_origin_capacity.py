"""IMPLAUSIBLE_ORIGIN and XINJIANG_NEXUS (screener.origin_capacity) and their ruleset tables
(capacity.csv, xinjiang_places.csv): what fires, what must not, and the evidence it names."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from screener import Screener
from screener.errors import RulesetError
from screener.ingest import validate_frame
from screener.lists import load_lists
from screener.origin import flag_origin
from screener.origin_capacity import implausible_pairs, sector_prefixes
from screener.ruleset import Ruleset, check_ruleset, load_ruleset

ROOT = Path(__file__).resolve().parent.parent / "rulesets"
BASE, SCENARIO = "cmsa-2026", "cmsa-2026-alliance-scenario"
RELABEL_POINTS = {"VN", "MY", "TH", "MX", "ID", "IN", "KR", "TW", "AE", "TR", "PH", "KH"}

UFLPA_LIST = """# UFLPA Entity List: test copy; the entity is invented.
# list_id: uflpa
# published: 2025-06-30
entity_id,name,entity_type,country,programs,address
U-001,Tarim Basin Lithium Salt Industry Co Ltd,entity,CN,UFLPA,"Korla, Xinjiang"
"""
HOUSE_LIST = """# In-house list: test copy; the entity is invented.
# list_id: house
entity_id,name,entity_type,country,programs
H-001,Harbor Lithium Trading Co Ltd,entity,CN,FEOC
"""


@pytest.fixture(scope="module")
def ruleset() -> Ruleset:
    return load_ruleset(ROOT / BASE)


@pytest.fixture(scope="module")
def screener(ruleset: Ruleset, tmp_path_factory: pytest.TempPathFactory) -> Screener:
    folder = tmp_path_factory.mktemp("lists")
    (folder / "uflpa.csv").write_text(UFLPA_LIST, encoding="utf-8")
    (folder / "house.csv").write_text(HOUSE_LIST, encoding="utf-8")
    names = load_lists([f"csv:{folder / 'uflpa.csv'}", f"csv:{folder / 'house.csv'}"])
    return Screener(ruleset, names)


def line(hts: str, origin: str, **extra: Any) -> dict[str, Any]:
    return {
        "entry_number": "TST-0000001-0",
        "line_number": 1,
        "entry_date": "2026-02-02",
        "hts_code": hts,
        "country_of_origin": origin,
        "entered_value_usd": 10_000.0,
        "supplier_name": "Plain Trading Co Ltd",
        **extra,
    }


def flags(screener: Screener, *lines: dict[str, Any]) -> list[dict[str, str]]:
    """The flags of our two rules on each line, through the real pipeline (``screen``)."""
    columns = sorted({k for ln in lines for k in ln})
    # one entry line each: a repeated (entry number, line number) is rejected as a duplicate
    rows = [{c: ln.get(c) for c in columns} | {"line_number": i} for i, ln in enumerate(lines, 1)]
    frame = pl.DataFrame(rows)
    result = screener.screen(frame)
    assert result["reject_reason"].null_count() == result.height, result["reject_reason"]
    ours = {"IMPLAUSIBLE_ORIGIN", "XINJIANG_NEXUS"}
    return [
        {f["rule"]: f["evidence"] for f in fl if f["rule"] in ours} for fl in result["origin_flags"]
    ]


# --- IMPLAUSIBLE_ORIGIN --------------------------------------------------------------------------


def test_gallium_from_vietnam_fires_and_names_the_numbers(screener: Screener) -> None:
    (fired,) = flags(screener, line("8112921000", "VN"))
    evidence = fired["IMPLAUSIBLE_ORIGIN"]
    assert evidence.startswith("declared origin VN has no recorded gallium metal capacity")
    assert "capacity.csv: USGS MCS 2025, Gallium" in evidence
    assert "world metal: CN 98%" in evidence
    assert "HTS 8112.92.10 'Gallium' (stage metal -> metal)" in evidence


def test_weight_and_severity_come_from_the_ruleset(screener: Screener) -> None:
    frame = pl.DataFrame([line("8112921000", "VN")])
    result = screener.screen(frame).row(0, named=True)
    (flag,) = [f for f in result["origin_flags"] if f["rule"] == "IMPLAUSIBLE_ORIGIN"]
    config = screener.ruleset.rule("IMPLAUSIBLE_ORIGIN")
    assert (flag["weight"], flag["severity"]) == (config.weight, config.severity)
    assert result["origin_risk"] == pytest.approx(config.weight)


@pytest.mark.parametrize(
    ("hts", "origin", "why"),
    [
        ("8112921000", "CN", "China produces gallium (recorded yes)"),
        ("8112921000", "KZ", "no capacity.csv row for KZ gallium: unknown, never no"),
        ("8101970000", "KH", "tungsten waste and scrap: stage scrap never fires"),
        ("2836910050", "TR", "TR lithium refining is a recorded no of confidence low only"),
        ("8505110070", "VN", "Vietnam makes rare-earth magnets (recorded yes)"),
        ("8507600090", "VN", "Vietnamese cell plants: no row (unknown)"),
        ("2530908050", "TH", "Thailand mines rare earths, so the REE + lithium line is plausible"),
        ("8544492000", "KH", "not a covered line"),
    ],
    ids=lambda v: str(v)[:40],
)
def test_does_not_fire(screener: Screener, hts: str, origin: str, why: str) -> None:
    (fired,) = flags(screener, line(hts, origin))
    assert "IMPLAUSIBLE_ORIGIN" not in fired, why


@pytest.mark.parametrize(
    ("hts", "origin", "expect"),
    [
        ("2846908090", "MX", "MX has no recorded rare earths refining capacity"),
        ("2805300020", "KH", "KH has no recorded rare earths metal capacity"),
        ("8505110070", "MX", "MX has no recorded rare earths magnets capacity"),
        ("8507600010", "KH", "KH has no recorded lithium cells capacity"),
        ("8507908000", "PH", "PH has no recorded lithium cells capacity"),
        ("2504105000", "MY", "MY has no recorded graphite mining capacity"),
        ("8105206000", "PH", "PH has no recorded cobalt metal capacity"),
        ("2611006000", "TW", "TW has no recorded tungsten mining capacity"),
    ],
    ids=lambda v: str(v)[:40],
)
def test_fires_by_stage_mapping(screener: Screener, hts: str, origin: str, expect: str) -> None:
    (fired,) = flags(screener, line(hts, origin))
    assert expect in fired.get("IMPLAUSIBLE_ORIGIN", ""), fired


def test_several_minerals_need_a_recorded_no_for_each(screener: Screener, ruleset: Ruleset) -> None:
    (fired,) = flags(screener, line("2530908050", "KH"))  # REE ores + lithium minerals
    evidence = fired["IMPLAUSIBLE_ORIGIN"]
    assert "no recorded rare earths mining capacity" in evidence
    assert "nor lithium mining capacity" in evidence and "world mining: AU 37%" in evidence
    # without KH's lithium row, lithium is unknown for KH: the line no longer fires
    capacity = ruleset.capacity.filter(
        ~((pl.col("country") == "KH") & (pl.col("mineral") == "lithium"))
    )
    pairs = implausible_pairs(dataclasses.replace(ruleset, capacity=capacity))
    assert "2530908050|KH" not in pairs
    assert "2530908050|KH" in implausible_pairs(ruleset)


def test_a_mineral_the_table_does_not_cover_is_named(screener: Screener) -> None:
    (fired,) = flags(screener, line("2825600010", "VN"))  # germanium oxides and zirconium dioxide
    evidence = fired["IMPLAUSIBLE_ORIGIN"]
    assert "germanium refining capacity" in evidence
    assert evidence.endswith("not in capacity.csv at that stage: zirconium")


def test_min_confidence_decides_which_recorded_no_fires(ruleset: Ruleset) -> None:
    assert "28369100|TR" not in implausible_pairs(ruleset)  # TR lithium refining: low
    config = ruleset.config.model_copy(
        update={"capacity": ruleset.config.capacity.model_copy(update={"min_confidence": "low"})}
    )
    pairs = implausible_pairs(dataclasses.replace(ruleset, config=config))
    assert "confidence low" in pairs["28369100|TR"]


def test_every_rare_earth_line_maps_to_rare_earths(ruleset: Ruleset) -> None:
    ree = set(ruleset.minerals.filter(pl.col("family") == "REE")["mineral"])
    pairs = implausible_pairs(ruleset)
    for prefix, mineral in ruleset.coverage.select("hts_prefix", "mineral").iter_rows():
        names = {m.strip() for m in mineral.split(";")}
        stage = ruleset.coverage.filter(pl.col("hts_prefix") == prefix)["stage"][0]
        if names <= ree and stage != "scrap":
            assert "rare earths" in pairs[f"{prefix}|KH"], prefix  # KH: no at every REE stage


# --- XINJIANG_NEXUS ------------------------------------------------------------------------------

LITHIUM = "2836910050"  # lithium carbonate, a lithium (UFLPA high-priority) line


def test_latin_address_fires_with_place_and_sector(screener: Screener) -> None:
    address = "No. 8 Road, Urumqi, Xinjiang"
    (fired,) = flags(screener, line(LITHIUM, "CN", supplier_address=address))
    evidence = fired["XINJIANG_NEXUS"]
    assert evidence.startswith(
        f"supplier address '{address}' names Xinjiang place 'urumqi' (Urumqi; xinjiang_places.csv)"
    )
    assert "lithium is a UFLPA high-priority sector (DHS UFLPA Strategy 2025 update" in evidence


@pytest.mark.parametrize(
    ("hts", "fields", "place"),
    [
        (LITHIUM, {"supplier_address": "新疆维吾尔自治区乌鲁木齐市米东区"}, "'新疆'"),
        (LITHIUM, {"supplier_address": "中国和田市北京路1号"}, "'和田' (Hotan Prefecture"),
        ("2804610000", {"supplier_address": "ئۈرۈمچى"}, "'ئۈرۈمچى' (Urumqi"),
        ("7601106090", {"supplier_address": "12 Beijing Rd, ÜRÜMQI"}, "'ürümqi' (Urumqi"),
        ("7601106090", {"supplier_address": "Aral City, China"}, "'aral' (Aral (XPCC)"),
        (
            "7403110000",
            {"supplier_address": "88 Binhe Road, Kashi", "supplier_country": "CN"},
            "'kashi' (Kashgar Prefecture",
        ),
        (LITHIUM, {"manufacturer_name": "Hami Lithium Co", "supplier_address": ""}, None),
        (LITHIUM, {"manufacturer_name": "Karamay Lithium Co Ltd"}, "manufacturer name"),
        (LITHIUM, {"supplier_name": "Ili Kazakh Salt Lake Lithium Co"}, "'ili kazakh'"),
    ],
    ids=lambda v: str(v)[:40],
)
def test_place_names(
    screener: Screener, hts: str, fields: dict[str, str], place: str | None
) -> None:
    (fired,) = flags(screener, line(hts, "CN", **fields))
    if place is None:  # an ambiguous name counts in an address only, never in a party name
        assert "XINJIANG_NEXUS" not in fired
    else:
        assert place in fired["XINJIANG_NEXUS"]


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"supplier_address": "Aral, Kyzylorda Region, Kazakhstan"}, "Aral in Kazakhstan"),
        ({"supplier_address": "Kashi Vishwanath Lane, Varanasi, India"}, "Kashi = Varanasi"),
        ({"supplier_address": "Bole Road, Addis Ababa, Ethiopia"}, "Bole in Addis Ababa"),
        ({"supplier_address": "5 Aksu Street, Antalya, Turkey"}, "Aksu in Turkey"),
        ({"supplier_address": "大阪府岸和田市", "supplier_country": "JP"}, "Kishiwada (Japan)"),
        ({"supplier_address": "8 Trilithium Road, Shanghai, China"}, "'ili' inside a word"),
        ({"supplier_address": "Chili Park, Ningbo", "supplier_country": "CN"}, "'ili' in a word"),
        ({"supplier_name": "Korlan Lithium Trading Co"}, "'korla' inside a word"),
        ({"supplier_name": "Altay Metals LLC", "supplier_country": "CN"}, "ambiguous, a name"),
        ({"supplier_address": "台中市北屯區崇德路"}, "Beitun District of Taichung"),
        ({"supplier_address": "8 Ningde Road, Fuzhou, China"}, "no Xinjiang place"),
    ],
    ids=lambda v: str(v)[:40],
)
def test_false_positives_do_not_fire(screener: Screener, fields: dict[str, str], why: str) -> None:
    (fired,) = flags(screener, line(LITHIUM, "CN", **fields))
    assert "XINJIANG_NEXUS" not in fired, why


def test_only_uflpa_sectors(screener: Screener) -> None:
    address = {"supplier_address": "No. 8 Road, Urumqi, Xinjiang"}
    gallium, silicon, copper = flags(
        screener,
        line("8112921000", "CN", **address),  # gallium: not a high-priority sector
        line("2804610000", "CN", **address),  # polysilicon: silica-based products
        line("7403110000", "CN", **address),  # refined copper cathodes
    )
    assert "XINJIANG_NEXUS" not in gallium
    assert "silica-based products is a UFLPA high-priority sector" in silicon["XINJIANG_NEXUS"]
    assert "copper is a UFLPA high-priority sector" in copper["XINJIANG_NEXUS"]


def test_uflpa_list_hit_fires_in_a_sector_only(screener: Screener) -> None:
    name = {"supplier_name": "TARIM BASIN LITHIUM SALT INDUSTRY CO., LTD."}
    listed, out_of_sector = flags(
        screener, line(LITHIUM, "CN", **name), line("8112921000", "CN", **name)
    )
    evidence = listed["XINJIANG_NEXUS"]
    assert evidence.startswith("supplier hit on UFLPA-style list uflpa entity U-001")
    assert "'Tarim Basin Lithium Salt Industry Co Ltd'" in evidence
    assert evidence.endswith(
        "lithium is a UFLPA high-priority sector (DHS UFLPA Strategy 2025 update, 2025-08-19)"
    )
    assert "XINJIANG_NEXUS" not in out_of_sector


def test_other_list_hits_are_not_uflpa(screener: Screener) -> None:
    (fired,) = flags(screener, line(LITHIUM, "CN", supplier_name="Harbor Lithium Trading Co Ltd"))
    assert "XINJIANG_NEXUS" not in fired


def test_sector_table(ruleset: Ruleset) -> None:
    sectors = sector_prefixes(ruleset)
    assert sectors["28369100"].startswith("lithium is")
    assert sectors["85076000"].startswith("lithium is")  # Li-ion batteries name lithium
    assert sectors["28046100"].startswith("silica-based products is")
    assert "81129210" not in sectors and "85051100" not in sectors


def test_scratch_columns_stay_in_the_stage(screener: Screener) -> None:
    frame = pl.DataFrame([line(LITHIUM, "CN", supplier_address="Urumqi")])
    accepted, _ = validate_frame(frame, source="frame", valid_hts=screener.valid_hts)
    matched = screener.match_parties(accepted.with_row_index("_row")).collect()
    out = flag_origin(matched.lazy(), screener.ruleset).collect()
    assert not [c for c in out.columns if c.startswith("_cap_")]
    assert set(out.columns) - set(matched.columns) == {
        "origin_flags",
        "origin_risk",
        "origin_rules_skipped",
    }


# --- the tables ----------------------------------------------------------------------------------


def test_both_rulesets_load_with_the_tables(ruleset: Ruleset) -> None:
    scenario = load_ruleset(ROOT / SCENARIO)
    assert check_ruleset(ROOT / SCENARIO) == []
    assert scenario.capacity.equals(ruleset.capacity)
    assert scenario.xinjiang_places.equals(ruleset.xinjiang_places)
    assert scenario.config.capacity == ruleset.config.capacity


@pytest.mark.parametrize("table", ["capacity.csv", "xinjiang_places.csv"])
def test_tables_open_with_read_by_and_sources(table: str) -> None:
    head = (ROOT / BASE / table).read_text(encoding="utf-8").splitlines()[:8]
    text = "\n".join(ln for ln in head if ln.startswith("#"))
    assert "Read by: screener.ruleset" in text and "screener.origin_capacity" in text
    assert "Sources" in text


def test_capacity_table_content(ruleset: Ruleset) -> None:
    cap = ruleset.capacity
    minerals = set(cap["mineral"])
    assert {"rare earths", "lithium", "graphite", "cobalt", "gallium", "germanium"} <= minerals
    assert "tungsten" in minerals
    assert set(cap["stage"]) == {"mining", "refining", "metal", "magnets", "cells"}
    assert set(cap["country"]) >= RELABEL_POINTS
    assert cap["source"].str.len_chars().min() > 0  # type: ignore[operator]
    recorded_no = cap.filter(pl.col("capacity") == "no")
    assert recorded_no["note"].str.len_chars().min() > 0  # type: ignore[operator]  # says why
    for row in cap.filter(pl.col("world_share_pct").is_not_null()).iter_rows(named=True):
        assert row["capacity"] == "yes", row


def _broken_copy(tmp_path: Path) -> Path:
    broken = tmp_path / "broken"
    shutil.copytree(ROOT / BASE, broken)
    return broken


def _append(path: Path, row: str) -> int:
    """Append a data row; return its row number (data rows, header not counted)."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + row + "\n", encoding="utf-8")
    return sum(1 for ln in text.splitlines() if not ln.startswith("#"))


def test_bad_rows_are_reported_with_file_row_and_field(tmp_path: Path) -> None:
    broken = _broken_copy(tmp_path)
    bad = _append(broken / "capacity.csv", "VN,gallium,smelting,maybe,120,high,USGS,")
    dup = _append(broken / "capacity.csv", "VN,gallium,metal,no,,high,USGS MCS 2025,again")
    unknown = _append(broken / "capacity.csv", "VN,unobtainium,metal,no,,high,USGS,")
    place = _append(broken / "xinjiang_places.csv", "Urumqi,latin,city,Urumqi,false,,x")
    problems = check_ruleset(broken)
    text = "\n".join(problems)
    where = f"capacity.csv, row {bad} (line"
    assert any(where in p and "stage" in p and "'smelting'" in p for p in problems), text
    assert any(where in p and "capacity" in p and "'maybe'" in p for p in problems), text
    assert any(where in p and "world_share_pct" in p for p in problems), text
    assert any(f"row {dup} " in p and "duplicate VN gallium metal" in p for p in problems), text
    assert any(f"row {unknown} " in p and "'unobtainium'" in p for p in problems), text
    assert any(f"xinjiang_places.csv, row {place} " in p and "kind" in p for p in problems), text
    with pytest.raises(RulesetError) as caught:
        load_ruleset(broken)
    assert caught.value.problems == problems


def test_yaml_keys_are_checked(tmp_path: Path) -> None:
    broken = _broken_copy(tmp_path)
    config = yaml.safe_load((broken / "ruleset.yaml").read_text(encoding="utf-8"))
    del config["capacity"]["stages"]["scrap"]
    config["xinjiang"]["sectors"]["lithium"]["minerals"] = ["lithium", "moonstone"]
    (broken / "ruleset.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    problems = check_ruleset(broken)
    text = "\n".join(problems)
    assert any("capacity" in p and "['scrap']" in p for p in problems), text
    # the yaml failed, so the cross-checks that need it wait for the fix
    assert not any("moonstone" in p for p in problems), text
    config["capacity"]["stages"]["scrap"] = None
    (broken / "ruleset.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert any(
        "xinjiang.sectors.lithium" in p and "'moonstone'" in p for p in check_ruleset(broken)
    )
