"""Entity-list loaders: the real OFAC SDN files, the custom CSV, specs and errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from screener import schema
from screener.errors import ListError
from screener.lists import bundled_list_specs, describe_lists, load_list, load_lists

REPO = Path(__file__).resolve().parent.parent
SDN_DIR = REPO / "lists" / "ofac-sdn-2019-01"
DATA = Path(__file__).resolve().parent / "data" / "lists"


@pytest.fixture(scope="module")
def sdn() -> pl.DataFrame:
    return load_list(f"ofac-sdn:{SDN_DIR}")


def test_sdn_shape_and_counts(sdn: pl.DataFrame) -> None:
    assert sdn.schema == pl.Schema(schema.ENTITY_NAMES)
    assert sdn.get_column("entity_id").n_unique() == 7379
    kinds = dict(sdn.group_by("name_kind").len().iter_rows())
    assert kinds == {"primary": 7379, "aka": 9351, "fka": 331, "weak": 2037}
    assert sdn.get_column("list_version").unique().to_list() == ["2019-01+c646698fa217"]
    assert not sdn.get_column("name").str.contains("-0-").any()
    assert not sdn.get_column("address").str.contains("-0-").any()
    assert set(sdn.get_column("entity_type")) == {"entity", "individual", "vessel", "aircraft"}


def test_sdn_known_entity(sdn: pl.DataFrame) -> None:
    bnc = sdn.filter(pl.col("entity_id") == "306").sort("name_kind", "name")
    assert bnc.select("name", "name_kind").rows() == [
        ("NATIONAL BANK OF CUBA", "aka"),
        ("BANCO NACIONAL DE CUBA", "primary"),
        ("BNC", "weak"),
    ]
    row = bnc.row(0, named=True)
    assert row["entity_type"] == "entity"
    assert row["programs"] == "CUBA"
    assert row["country"] == "CH"  # first address: Zurich
    assert row["address"].startswith("Zweierstrasse 35, Zurich CH-8022, Switzerland | ")


def test_sdn_several_programs_and_nka(sdn: pl.DataFrame) -> None:
    multi = sdn.filter(pl.col("programs").str.contains(";"))
    assert multi.height > 0
    assert not sdn.get_column("programs").str.contains(r"\[|\]").any()


def test_sdn_publisher_bytes(tmp_path: Path, sdn: pl.DataFrame) -> None:
    """CRLF, a trailing Ctrl-Z and a cp1252 byte: same rows, another content hash."""
    for name in ("sdn.csv", "alt.csv", "add.csv"):
        data = (SDN_DIR / name).read_bytes().replace(b"\n", b"\r\n")
        if name == "add.csv":
            data = data.replace(b"Zweierstrasse 35", b"Zweierstra\xdfe 35")
        (tmp_path / name).write_bytes(data + b"\r\n\x1a")
    shutil.copy(SDN_DIR / "SOURCE.md", tmp_path / "SOURCE.md")
    again = load_list(f"ofac-sdn:{tmp_path}")
    version = again.get_column("list_version")[0]
    assert version.startswith("2019-01+") and version != sdn.get_column("list_version")[0]
    assert again.filter(pl.col("entity_id") == "306")["address"][0].startswith("Zweierstraße")
    columns = [c for c in schema.ENTITY_NAMES if c not in ("list_version", "address")]
    assert_frame_equal(again.select(columns), sdn.select(columns))


def test_sdn_undated_without_hint(tmp_path: Path) -> None:
    (tmp_path / "sdn.csv").write_bytes(
        b'1,"ACME",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- '
    )
    frame = load_list(f"ofac-sdn:{tmp_path}")
    assert frame.height == 1
    assert frame["list_version"][0].startswith("undated+")
    assert frame["country"][0] is None


def test_sdn_errors(tmp_path: Path) -> None:
    with pytest.raises(ListError, match=r"no sdn\.csv"):
        load_list(f"ofac-sdn:{tmp_path}")
    (tmp_path / "sdn.csv").write_text('1,"ACME",-0-\n')
    with pytest.raises(ListError, match=r"sdn.csv: row 1: expected 12 fields"):
        load_list(f"ofac-sdn:{tmp_path}")


def test_custom_csv() -> None:
    frame = load_list(f"csv:{DATA / 'good.csv'}")
    assert frame.schema == pl.Schema(schema.ENTITY_NAMES)
    assert frame.select("entity_id", "name", "name_kind", "country", "entity_type").rows() == [
        ("T-1", "Alpha Cobalt Refining Co Ltd", "primary", "CN", "entity"),
        ("T-1", "Alpha Cobalt", "aka", "CN", "entity"),
        ("T-1", "阿尔法钴业", "aka", "CN", "entity"),
        ("T-1", "ACR", "weak", "CN", "entity"),
        ("T-2", "Beta Graphite LLC", "primary", "RU", "entity"),
    ]
    assert frame["list_id"].unique().to_list() == ["in-house"]
    assert frame["list_version"][0].startswith("2025-06-30+")
    assert frame.filter(pl.col("entity_id") == "T-2")["parent_entity_id"][0] == "T-1"


def test_custom_csv_errors(tmp_path: Path) -> None:
    with pytest.raises(ListError, match=r"missing_name.csv: line 1 \(header\): missing column"):
        load_list(f"csv:{DATA / 'missing_name.csv'}")
    with pytest.raises(ListError) as info:
        load_list(f"csv:{DATA / 'bad_rows.csv'}")
    message = str(info.value)
    assert "2 problem(s)" in message
    assert "line 3, field name: empty" in message
    assert "line 4, field entity_type: 'company'" in message
    typo = tmp_path / "typo.csv"
    typo.write_text("entity_id,name,alias\nX,Y,Z\n")
    with pytest.raises(ListError, match="unknown column"):
        load_list(f"csv:{typo}")


def test_bundled_fictitious_list() -> None:
    frame = load_list(f"csv:{REPO / 'lists' / 'fictitious_concern.csv'}")
    assert frame["list_id"][0] == "fictitious-concern"
    assert frame["entity_id"].n_unique() == 12
    assert "赤灯稀土集团有限公司" in frame["name"].to_list()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("sdn.csv", "not <format>:<path>"),
        ("xml:lists", "not <format>:<path>"),
        ("csv:/nonexistent/list.csv", "does not exist"),
    ],
)
def test_bad_specs(spec: str, message: str) -> None:
    with pytest.raises(ListError, match=message):
        load_list(spec)


def test_bundled_specs_and_describe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCREENER_LISTS", str(REPO / "lists"))
    specs = bundled_list_specs()
    assert specs == [f"ofac-sdn:{SDN_DIR}", f"csv:{REPO / 'lists' / 'fictitious_concern.csv'}"]
    names = load_lists()
    summary = describe_lists(names)
    assert summary.columns == ["list_id", "list_version", "entities", "names"]
    assert summary.select("list_id", "entities", "names").rows() == [
        ("fictitious-concern", 12, 30),
        ("ofac-sdn", 7379, 19098),
    ]


def test_same_list_twice_is_refused() -> None:
    spec = f"csv:{DATA / 'good.csv'}"
    with pytest.raises(ListError, match="list_id 'in-house' comes from both"):
        load_lists([spec, spec])
    assert load_lists([]).schema == pl.Schema(schema.ENTITY_NAMES)
