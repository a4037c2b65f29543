"""The real-format loaders: trade.gov CSL (CSV, JSON), BIS DPL, UN SC XML, FollowTheMoney.

Counts are computed here from the files with the standard library, apart from the loaders.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from screener import schema
from screener.errors import ListError
from screener.lists import describe_lists, load_list, load_lists
from screener.lists.csl import sub_list_code
from screener.lists.dpl import dpl_names
from screener.lists.ftm import list_id_for, ownership_share

DATA = Path(__file__).resolve().parent / "data" / "lists"
CSL_2019 = DATA / "trade_csl_2019-12_sample115.csv"
CSL_2025 = DATA / "trade_csl_2025-06_sample12.csv"
CSL_JSON = DATA / "trade_csl_2025-06_sample12.json"
DPL = DATA / "bis_dpl_2022-09.txt"
UN = DATA / "un_sc_consolidated_2026-02-27.xml"
FTM = DATA / "fictitious_ownership_2026-02-27.ftm.json"
SCREENER = Path(sys.executable).parent / "screener"


def version_re(date: str) -> str:
    return rf"{re.escape(date)}\+[0-9a-f]{{12}}"


def names_of(frame: pl.DataFrame, entity_id: str) -> list[tuple[str, str]]:
    rows = frame.filter(pl.col("entity_id") == entity_id)
    return [(r["name"], r["name_kind"]) for r in rows.iter_rows(named=True)]


def one(frame: pl.DataFrame, entity_id: str) -> dict[str, str | None]:
    return frame.filter(pl.col("entity_id") == entity_id).row(0, named=True)


def assert_shape(
    frame: pl.DataFrame, list_id: str, date: str, as_written: frozenset[str] = frozenset()
) -> None:
    """Schema, one list id and version, tidy names, a primary per entity, unique names, and
    ISO alpha-2 countries (but the names ``country_names.csv`` lacks, ``as_written``)."""
    assert frame.schema == pl.Schema(schema.ENTITY_NAMES)
    assert frame["list_id"].unique().to_list() == [list_id]
    versions = frame["list_version"].unique().to_list()
    assert len(versions) == 1 and re.fullmatch(version_re(date), versions[0]), versions
    assert set(frame["name_kind"]) <= {"primary", "aka", "fka", "weak"}
    assert (
        frame["name"].null_count() == 0 and (frame["name"] == frame["name"].str.strip_chars()).all()
    )
    assert (
        frame.filter(pl.col("name_kind") == "primary")["entity_id"].n_unique()
        == frame["entity_id"].n_unique()
    )
    assert frame.select("list_id", "list_version", "entity_id", "name").is_unique().all()
    codes = frame["country"].drop_nulls().unique()
    assert set(codes.filter(~codes.str.contains(r"^[A-Z]{2}$"))) == as_written


# --- trade.gov Consolidated Screening List ---------------------------------------------------


def csl_expected(path: Path) -> tuple[int, int]:
    """Entities and names of a CSL CSV: one entity per id (or source+name), distinct names."""
    names: dict[str, set[str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            key = row.get("_id") or row["entity_number"] or f"{row['source']}|{row['name']}"
            alts = [re.sub(r"^and ", "", a.strip()) for a in row["alt_names"].split(";")]
            bag = names.setdefault(key, set())
            bag.update(" ".join(n.split()).casefold() for n in [row["name"], *alts] if n.strip())
    return len(names), sum(len(v) for v in names.values())


@pytest.mark.parametrize(
    ("path", "date", "rows", "entities", "names"),
    [(CSL_2019, "2019-12", 115, 110, 271), (CSL_2025, "2025-06", 13, 13, 28)],
    ids=["csl-2019", "csl-2025"],
)
def test_csl_csv_counts(path: Path, date: str, rows: int, entities: int, names: int) -> None:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        assert sum(1 for _ in csv.DictReader(handle)) == rows
    assert csl_expected(path) == (entities, names)
    frame = load_list(f"csl:{path}")
    assert_shape(frame, "csl", date)
    assert frame["entity_id"].n_unique() == entities
    assert frame.height == names
    assert (frame.filter(pl.col("name_kind") == "primary").height, frame.height) == (
        entities,
        names,
    )


def test_csl_2019_entities() -> None:
    frame = load_list(f"csl:{CSL_2019}")
    assert names_of(frame, "8124") == [
        ("2904977 CANADA, INC.", "primary"),
        ("CARIBE SOL", "aka"),
        ("HAVANTUR CANADA INC.", "aka"),
    ]
    cuba = one(frame, "8124")
    assert (cuba["entity_type"], cuba["country"], cuba["programs"]) == ("entity", "CA", "SDN;CUBA")
    assert cuba["source_url"] == "http://bit.ly/1I7ipyR"
    # Entity List rows have no id: <sub-list code>-<sha256(source|name)[:12]>
    el = frame.filter(pl.col("name") == "54th Research Institute of China")["entity_id"][0]
    source = "Entity List (EL) - Bureau of Industry and Security"
    digest = hashlib.sha256(f"{source}|54th Research Institute of China".encode()).hexdigest()
    assert el == f"EL-{digest[:12]}"
    assert ("Shijiazhuang Communication Observation and Control Technology Institute.", "aka") in (
        names_of(frame, el)
    )
    assert one(frame, el)["programs"] == "EL" and one(frame, el)["entity_type"] == "unknown"
    # five EL rows for one person, one per address: one entity, addresses kept
    migeotte = frame.filter(pl.col("name") == "Gunther Migeotte")
    assert migeotte.height == 1
    assert migeotte["country"][0] == "ZA"
    assert migeotte["address"][0].count("; ") >= 4 and "Fredrikstad, NO" in migeotte["address"][0]
    # a US address ending in a ZIP code gives no country rather than a guess
    hernandez = frame.filter(pl.col("name") == "ADRIAN MANUEL HERNANDEZ").row(0, named=True)
    assert hernandez["country"] is None and hernandez["programs"] == "DPL"
    assert set(frame["entity_type"]) == {"entity", "individual", "vessel", "unknown"}


def test_csl_2025_entities() -> None:
    frame = load_list(f"csl:{CSL_2025}")
    cetc = "99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be"
    assert names_of(frame, cetc)[0] == (
        "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)",
        "primary",
    )
    assert ("CETC Research Institute 13", "aka") in names_of(frame, cetc)
    assert one(frame, cetc)["country"] == "CN"
    assert one(frame, "28603")["programs"] == "SSI;VENEZUELA-EO13850;UKRAINE-EO13662"
    rim = one(frame, "52291")
    assert (rim["entity_type"], rim["country"], rim["address"]) == (
        "individual",
        "CN",
        "Shenyang, CN; Pyongyang, KP",
    )
    assert one(frame, "26182")["country"] == "TR"
    codes = {p.split(";")[0] for p in frame.unique("entity_id")["programs"]}
    assert codes == {"ISN", "UVL", "MEU", "PLC", "SDN", "DTC", "DPL", "SSI", "FSE", "EL"}


def test_csl_json_is_the_csv() -> None:
    """The JSON test file holds the CSV's 13 entities: same rows but the list version."""
    from_json = load_list(f"csl:{CSL_JSON}")
    from_csv = load_list(f"csl:{CSL_2025}")
    assert len(json.loads(CSL_JSON.read_text("utf-8"))["results"]) == 13
    assert_shape(from_json, "csl", "2025-06")
    assert from_json["list_version"][0] != from_csv["list_version"][0]
    assert_frame_equal(from_json.drop("list_version"), from_csv.drop("list_version"))


def test_csl_json_variants(tmp_path: Path) -> None:
    record = {"entity_number": 42, "source": "Capta List (CAP) - Treasury Department", "name": "X"}
    path = tmp_path / "csl.json"
    path.write_text(
        json.dumps({"results": [record], "sources_used": [{"last_imported": "2025-07-01T01:02"}]})
    )
    frame = load_list(f"csl:{path}")
    assert frame.row(0, named=True) | {"list_version": "-"} == {
        "list_id": "csl",
        "list_version": "-",
        "entity_id": "42",
        "entity_type": "unknown",
        "name": "X",
        "name_kind": "primary",
        "country": None,
        "programs": "CAP",
        "address": None,
        "source_url": None,
        "parent_entity_id": None,
    }
    assert frame["list_version"][0].startswith("2025-07-01+")
    path.write_text(json.dumps([record]))  # a bare list of results, no date: undated
    assert load_list(f"csl:{path}")["list_version"][0].startswith("undated+")


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("Entity List (EL) - Bureau of Industry and Security", "EL"),
        ("Military End User (MEU) List - Bureau of Industry and Security", "MEU"),
        ("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", "NS-MBS"),
        ("Some Future List - Department of Examples", "Some Future List"),
    ],
)
def test_sub_list_code(source: str, code: str) -> None:
    assert sub_list_code(source) == code


def test_csl_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("source,title\nX,Y\n")
    with pytest.raises(ListError, match=r"bad\.csv: line 1 \(header\): missing column\(s\) name"):
        load_list(f"csl:{bad}")
    with CSL_2025.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[3][5] = ""  # name of the third data row, file line 4
    with bad.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(
        ListError, match=r"bad\.csv: 1 problem\(s\):\n  - line 4 \(id 66f6.*name: empty"
    ):
        load_list(f"csl:{bad}")
    broken = tmp_path / "broken.json"
    broken.write_text('{"results": [\n  {"name": "A", "source": "X (X)"},\n  {"name": }\n]}')
    with pytest.raises(ListError, match=r"broken\.json: line 3, column 12: not valid JSON"):
        load_list(f"csl:{broken}")
    broken.write_text(json.dumps({"results": [{"source": "EL (EL)", "name": "A"}, {"id": "7"}, 5]}))
    with pytest.raises(ListError) as info:
        load_list(f"csl:{broken}")
    message = str(info.value)
    assert "results[1] (id 7), field source: empty" in message
    assert "results[1] (id 7), field name: empty" in message
    assert "results[2]: not an object" in message


# --- BIS Denied Persons List -----------------------------------------------------------------


def test_dpl_counts_and_entities() -> None:
    with DPL.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    distinct = {" ".join(r["Name"].split()).upper() for r in rows}
    assert (len(rows), len(distinct)) == (581, 459)
    frame = load_list(f"dpl:{DPL}")
    assert_shape(frame, "bis-dpl", "2022-09", as_written=frozenset({"PRC"}))
    assert frame["entity_id"].n_unique() == len(distinct)
    assert frame.filter(pl.col("name_kind") == "primary").height == len(distinct)
    assert frame.filter(pl.col("name_kind") != "primary").select("name").to_series().to_list() == [
        "FUYI SUN",
        "FRANK SUN",
        "NEI-CHIEN CHU",
        "PEARL LI",
        "SIBERIAN AIRLINES",
        "S7 AIRLINES",
    ]
    ash = frame.filter(pl.col("name") == "I. ASH").row(0, named=True)  # " I. ASH" in the file
    assert ash["entity_id"] == hashlib.sha256(b"I. ASH").hexdigest()[:12]
    assert (ash["country"], ash["programs"], ash["entity_type"]) == ("US", "DPL", "unknown")
    assert ash["address"].count(" | ") == 2  # 3 rows, 3 addresses
    assert ash["address"].startswith("UPON THE DATE OF THE ORDER INCARCERATED")
    airline = frame.filter(pl.col("name") == "AIR FREIGHT LTD").row(0, named=True)
    assert airline["country"] == "IQ" and airline["address"].endswith("AMMAN, 11191, JO")


def test_dpl_names() -> None:
    assert dpl_names("X CORP F/K/A Y CORP") == [
        ("X CORP F/K/A Y CORP", "primary"),
        ("X CORP", "aka"),
        ("Y CORP", "fka"),
    ]
    assert dpl_names("ASMAT (APPLIED SYSTEMS)") == [("ASMAT (APPLIED SYSTEMS)", "primary")]


def test_dpl_errors(tmp_path: Path) -> None:
    bad = tmp_path / "dpl.txt"
    bad.write_text("Nom\tCity\nA\tB\n")
    with pytest.raises(ListError, match=r"dpl\.txt: line 1 \(header\): no Name column"):
        load_list(f"dpl:{bad}")
    bad.write_text('"Name"\t"City"\n"A"\t"B"\n""\t"C"\n"D"\t"E"\t"extra"\n')
    with pytest.raises(ListError) as info:
        load_list(f"dpl:{bad}")
    assert "line 3, field Name: empty" in str(info.value)
    assert "line 4: more fields than the header has columns" in str(info.value)


# --- UN Security Council consolidated list ---------------------------------------------------


def un_expected() -> tuple[int, int, int]:
    """INDIVIDUAL and ENTITY elements, and distinct names per element (case aside)."""
    root = ET.parse(UN).getroot()
    people, firms, names = 0, 0, 0
    for element in root.iter():
        if element.tag not in ("INDIVIDUAL", "ENTITY"):
            continue
        people, firms = people + (element.tag == "INDIVIDUAL"), firms + (element.tag == "ENTITY")
        parts = [element.findtext(t) or "" for t in ("FIRST_NAME", "SECOND_NAME")]
        parts += [element.findtext(t) or "" for t in ("THIRD_NAME", "FOURTH_NAME")]
        found = [" ".join(parts)] + [a.text or "" for a in element.iter("ALIAS_NAME")]
        found.append(element.findtext("NAME_ORIGINAL_SCRIPT") or "")
        names += len({" ".join(n.split()).casefold() for n in found if n.strip()})
    return people, firms, names


def test_un_counts() -> None:
    text = UN.read_text("utf-8")
    assert (text.count("<INDIVIDUAL>"), text.count("<ENTITY>")) == (730, 273)
    people, firms, names = un_expected()
    assert (people, firms, names) == (730, 273, 4116)
    frame = load_list(f"un:{UN}")
    assert_shape(frame, "un-sc", "2026-02-27")
    assert frame["entity_id"].n_unique() == people + firms
    assert frame.height == names
    kinds = Counter(frame["name_kind"].to_list())
    assert kinds == {"primary": 1003, "aka": 2480, "fka": 18, "weak": 615}
    types = frame.unique("entity_id")["entity_type"].value_counts()
    assert dict(types.iter_rows()) == {"individual": 730, "entity": 273}


def test_un_entities() -> None:
    frame = load_list(f"un:{UN}")
    assert names_of(frame, "CDi.003") == [
        ("GASTON IYAMUREMYE", "primary"),
        ("Rumuli", "weak"),  # QUALITY Low
        ("Byiringiro Victor Rumuli", "aka"),
        ("Victor Rumuri", "aka"),
        ("Michel Byiringiro", "aka"),
    ]
    adf = one(frame, "CDe.001")
    assert (adf["entity_type"], adf["country"], adf["programs"]) == ("entity", "CD", "DRC")
    assert ("NALU", "fka") in names_of(frame, "CDe.001")
    assert ("Allied Democratic Forces", "aka") in names_of(frame, "CDe.001")
    # four name parts, SALEH twice; the Arabic original script is an aka
    assert names_of(frame, "YEi.007")[0] == ("SALEH MESFER SALEH AL SHAER", "primary")
    assert ("صالح مسفر صالح الشاعر", "aka") in names_of(frame, "YEi.007")
    assert one(frame, "YEi.007")["country"] == "YE"  # no address: nationality
    assert one(frame, "KPe.023")["programs"] == "DPRK"  # REFERENCE_NUMBER "KPe.023 " trimmed


def test_un_errors(tmp_path: Path) -> None:
    bad = tmp_path / "un.xml"
    bad.write_text("<CONSOLIDATED_LIST>\n  <INDIVIDUALS>\n    <INDIVIDUAL>\n</CONSOLIDATED_LIST>")
    with pytest.raises(ListError, match=r"un\.xml: line 4, column 3: not well-formed XML"):
        load_list(f"un:{bad}")
    bad.write_text('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<CONSOLIDATED_LIST/>')
    with pytest.raises(ListError, match=r"un\.xml: has a DTD"):
        load_list(f"un:{bad}")
    bad.write_text("<sdnList/>")
    with pytest.raises(ListError, match=r"root element is <sdnList>"):
        load_list(f"un:{bad}")
    bad.write_text(
        "<CONSOLIDATED_LIST><INDIVIDUALS>"
        "<INDIVIDUAL><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER><FIRST_NAME>A</FIRST_NAME>"
        "</INDIVIDUAL><INDIVIDUAL><REFERENCE_NUMBER>QDi.2</REFERENCE_NUMBER></INDIVIDUAL>"
        "</INDIVIDUALS></CONSOLIDATED_LIST>"
    )
    with pytest.raises(ListError, match=r"INDIVIDUAL #2 \(REFERENCE_NUMBER QDi\.2\), field FIRST"):
        load_list(f"un:{bad}")


# --- FollowTheMoney JSON lines ---------------------------------------------------------------

PARTY_SCHEMATA = {"Person", "Company", "Organization", "LegalEntity", "PublicBody", "Vessel"}


def test_ftm_counts_and_names() -> None:
    lines = [json.loads(line) for line in FTM.read_text("utf-8").splitlines()]
    parties = [e for e in lines if e["schema"] in PARTY_SCHEMATA]
    name_props = ("name", "alias", "previousName", "weakAlias")
    expected = sum(len(e["properties"].get(p, [])) for e in parties for p in name_props)
    frame = load_list(f"ftm:{FTM}")
    assert_shape(frame, "fictitious-ownership", "2026-02-27")  # latest last_seen
    assert (frame["entity_id"].n_unique(), frame.height) == (len(parties), expected) == (9, 15)
    assert names_of(frame, "fx-co-northwind") == [
        ("Northwind Fictive Minerals Holding Ltd", "primary"),
        ("Northwind Fictive Holding", "aka"),
        ("北风虚构矿业控股有限公司", "aka"),
        ("Northwind Fictive Mining Co", "fka"),
        ("NFMH", "weak"),
    ]
    holding = one(frame, "fx-co-northwind")
    assert (holding["country"], holding["programs"]) == ("CN", "FX-CRITMIN")  # from the Sanction
    assert holding["source_url"] == "https://example.org/fictitious-sanctions/northwind"
    varga = one(frame, "fx-person-varga")
    assert (varga["entity_type"], varga["country"]) == ("individual", "RU")
    assert one(frame, "fx-vessel-star")["entity_type"] == "vessel"
    assert one(frame, "fx-vessel-star")["country"] == "PA"  # Vessel flag
    assert (
        one(frame, "fx-co-graphite")["address"] == "7 Nowhere Street, Ust-Kamenogorsk, Kazakhstan"
    )
    assert one(frame, "fx-org-institute")["programs"] == "FX-RESEARCH"
    assert one(frame, "fx-co-trading")["programs"] == "fictitious_demo"  # no program: datasets


def test_ftm_ownership_links_at_25_percent() -> None:
    frame = load_list(f"ftm:{FTM}").unique("entity_id", keep="first")
    parents = dict(frame.select("entity_id", "parent_entity_id").iter_rows())
    assert parents["fx-co-cobalt"] == "fx-co-northwind"  # "51"
    assert parents["fx-co-magnet"] == "fx-co-northwind"  # "25.0%": the boundary counts
    assert parents["fx-co-trading"] is None  # "24.9"
    assert parents["fx-co-graphite"] == "fx-co-northwind;fx-person-varga"  # 30 and unstated
    assert parents["fx-co-orphan"] is None  # its owner is not in the file
    assert parents["fx-co-northwind"] is None


@pytest.mark.parametrize(
    ("values", "share"),
    [
        (["51"], 51.0),
        (["51.0%"], 51.0),
        (["25-50%"], 25.0),
        (["12,5"], 12.5),
        ([], None),
        (["unknown"], None),
        (["10", "30%"], 30.0),
    ],
)
def test_ownership_share(values: list[str], share: float | None) -> None:
    assert ownership_share(values) == share


@pytest.mark.parametrize(
    ("name", "list_id"),
    [
        ("entities.ftm.json", "entities"),
        ("opensanctions_sanctions_2026-02-27.ftm.json", "opensanctions-sanctions"),
        ("2026-02-27.json", "ftm"),
    ],
)
def test_ftm_list_id(name: str, list_id: str) -> None:
    assert list_id_for(Path(name)) == list_id


def test_ftm_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ftm.json"
    person = {"id": "p1", "schema": "Person", "properties": {"name": ["A"]}}
    bad.write_text(
        "\n".join(
            [
                json.dumps(person),
                '{"id": "p2", "schema": "Person", ',
                json.dumps({"id": "c1", "schema": "Company", "properties": {"alias": ["B"]}}),
                json.dumps(person),
                json.dumps({"id": "c2", "schema": "Company", "properties": {"name": "C"}}),
                json.dumps(["not", "an", "entity"]),
            ]
        )
    )
    with pytest.raises(ListError) as info:
        load_list(f"ftm:{bad}")
    message = str(info.value)
    assert message.startswith(f"{bad}: 5 problem(s):")
    assert "line 2, column 34: not valid JSON" in message
    assert "line 3 (id c1, Company), field properties.name: empty" in message
    assert "line 4 (id p1): id already on line 1" in message
    assert "line 5 (id c2), field properties: not {name: [values]}" in message
    assert "line 6: not an FtM entity" in message
    bad.write_text(json.dumps({"id": "s1", "schema": "Sanction", "properties": {}}) + "\n")
    with pytest.raises(ListError, match="no parties"):
        load_list(f"ftm:{bad}")


# --- all formats together, and through the installed CLI -------------------------------------

ALL_SPECS = [f"csl:{CSL_2025}", f"dpl:{DPL}", f"un:{UN}", f"ftm:{FTM}"]


def test_all_formats_load_together() -> None:
    summary = describe_lists(load_lists(ALL_SPECS))
    assert summary.select("list_id", "entities", "names").rows() == [
        ("bis-dpl", 459, 465),
        ("csl", 13, 28),
        ("fictitious-ownership", 9, 15),
        ("un-sc", 1003, 4116),
    ]


def test_unknown_format_names_the_new_ones() -> None:
    with pytest.raises(ListError, match=r"formats: ofac-sdn, csl, dpl, un, csv, ftm"):
        load_list(f"xml:{UN}")
    with pytest.raises(ListError, match=r"cannot read entity list file"):
        load_list(f"un:{DATA}")  # a directory


def test_lists_show_through_the_cli() -> None:
    args = [arg for spec in ALL_SPECS for arg in ("--list", spec)]
    proc = subprocess.run(
        [str(SCREENER), "lists", "show", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert proc.returncode == 0, proc.stderr
    rows = {line.split("│")[1].strip(): line for line in proc.stdout.splitlines() if "│" in line}
    assert re.search(r"un-sc\s+│\s+2026-02-27\+[0-9a-f]{12}\s+│\s+1003\s+│\s+4116", rows["un-sc"])
    assert re.search(r"│\s+459\s+│\s+465\s+│", rows["bis-dpl"])
    assert re.search(r"│\s+13\s+│\s+28\s+│", rows["csl"])
    assert re.search(r"│\s+9\s+│\s+15\s+│", rows["fictitious-ownership"])
    bad = subprocess.run(
        [str(SCREENER), "lists", "show", "--list", f"un:{CSL_2025}"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert bad.returncode == 2
    message = " ".join(bad.stderr.split())  # rich wraps long lines
    assert "trade_csl_2025-06_sample12.csv: line 1, column 1: not well-formed XML" in message
    assert "Traceback" not in bad.stderr


def test_detect_format_of_every_sample(tmp_path: Path) -> None:
    """A list folder may hold any format: each file's format is told by its name and header."""
    from screener.lists import detect_format

    expected = {
        "bis_dpl_2022-09.txt": "dpl",
        "fictitious_ownership_2026-02-27.ftm.json": "ftm",
        "good.csv": "csv",
        "trade_csl_2019-12_sample115.csv": "csl",
        "trade_csl_2025-06_sample12.json": "csl",
        "un_sc_consolidated_2026-02-27.xml": "un",
        "SOURCE.md": None,
    }
    for name, kind in expected.items():
        assert detect_format(DATA / name) == kind, name
    sdn = tmp_path / "sdn-dir"
    sdn.mkdir()
    assert detect_format(sdn) is None
    (sdn / "sdn.csv").write_text("", encoding="utf-8")
    assert detect_format(sdn) == "ofac-sdn"
