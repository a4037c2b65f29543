"""Delta re-screening: `lists update` records a list version and what changed; `rescreen` matches
the stored party names against the added and changed names only."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from cli_helpers import flat, run, sql
from polars.testing import assert_frame_equal

from screener import InputError, load_ruleset, schema
from screener.rescreen import diff_names, record_list, rescreen
from screener.store import Store

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
HEAD = "entity_id,name,aliases,entity_type,country,parent_entity_id\n"
V1 = f"""# In-house list for the re-screening tests (invented names).
# list_id: in-house
# published: 2026-01-15
{HEAD}IH-1,Jade Harbor Magnetics Co Ltd,Jade Harbour Magnetic Materials,entity,CN,
IH-2,Orinoco Tantalum Exports CA,,entity,VE,
IH-3,Volga Borealis Metals JSC,,entity,RU,
IH-4,Black Pearl,,vessel,KP,
"""
# v2: IH-1 gains an alias, IH-2 moves country, IH-3 is gone, the vessel IH-4 gains an alias,
# IH-5 (owned by IH-1) is new. 3 names added, 1 changed, 1 removed.
V2 = f"""# In-house list, version 2.
# list_id: in-house
# published: 2026-02-15
{HEAD}IH-1,Jade Harbor Magnetics Co Ltd,Jade Harbour Magnetic Materials;Saigon Lotus Magnet Trading,entity,CN,
IH-2,Orinoco Tantalum Exports CA,,entity,CO,
IH-4,Black Pearl,Mekong Bright Magnets,vessel,KP,
IH-5,Hanoi Clean Magnet Works,,entity,VN,IH-1
"""  # noqa: E501
ENTRIES = """entry_number,line_number,entry_date,hts_code,country_of_origin,entered_value_usd,supplier_name,country_of_export,manufacturer_name
ABC-1234567-6,1,2026-02-10,8505.11.0070,VN,10000,"Jade Harbor Magnetics Co., Ltd.",VN,
ABC-1234567-6,2,2026-02-10,8505.11.0070,VN,20000,Saigon Lotus Magnet Trading,VN,Hanoi Clean Magnet Works
ABC-1234567-6,3,2026-02-10,8505.11.0070,VN,5000,Orinoco Tantalum Exports C.A.,VN,
XYZ-7654321-0,1,2026-02-11,8505.11.0070,VN,7000,Saigon Lotus Magnet Trading,VN,
XYZ-7654321-0,2,2026-02-11,8505.11.0070,VN,7000,Mekong Bright Magnets,VN,
"""  # noqa: E501


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {"v1": tmp_path / "v1" / "in_house.csv", "v2": tmp_path / "v2" / "in_house.csv"}
    for key, text in (("v1", V1), ("v2", V2)):
        paths[key].parent.mkdir()
        paths[key].write_text(text, encoding="utf-8")
    paths["entries"] = tmp_path / "entries.csv"
    paths["entries"].write_text(ENTRIES, encoding="utf-8")
    return paths


@pytest.fixture
def screened(files: dict[str, Path], tmp_path: Path) -> Path:
    """A database holding one run of ENTRIES screened against v1."""
    db = tmp_path / "s.duckdb"
    proc = run("screen", files["entries"], "--db", db, "--list", f"csv:{files['v1']}")
    assert proc.returncode == 0, proc.stderr
    assert sql(db, "SELECT supplier_name, entity_id FROM supplier_hits ORDER BY 1") == [
        ("Jade Harbor Magnetics Co., Ltd.", "IH-1"),
        ("Orinoco Tantalum Exports C.A.", "IH-2"),
    ]
    return db


def test_diff_names_by_entity_and_name() -> None:
    def names(*rows: tuple[str, str, str, str]) -> pl.DataFrame:
        base = dict.fromkeys(schema.ENTITY_NAMES)
        cols = ("entity_id", "name", "name_kind", "country")
        return pl.DataFrame(
            [base | dict(zip(cols, r, strict=True)) for r in rows], schema=schema.ENTITY_NAMES
        )

    old = names(("1", "A", "primary", "CN"), ("1", "B", "aka", "CN"), ("2", "C", "primary", "RU"))
    new = names(
        ("1", "A", "primary", "CN"),  # same
        ("1", "B", "weak", "CN"),  # kind changed
        ("1", "D", "aka", "CN"),  # added
        ("3", "C", "primary", "RU"),  # the same name under another entity: added (and 2's gone)
    )
    expected = pl.DataFrame(
        {
            "entity_id": ["1", "1", "2", "3"],
            "name": ["B", "D", "C", "C"],
            "change": ["changed", "added", "removed", "added"],
        }
    )
    assert_frame_equal(diff_names(old, new), expected)
    assert diff_names(new, new).is_empty()


def test_cli_lists_update_then_rescreen_reports_the_delta_only(
    files: dict[str, Path], screened: Path
) -> None:
    db = screened
    allowed = run(
        "allow", "--db", db, "--supplier", "Jade Harbor Magnetics Co., Ltd.",
        "--entity", "in-house:IH-1", "--reason", "not them", "--by", "me",
    )  # fmt: skip
    assert allowed.returncode == 0, allowed.stderr
    updated = run("lists", "update", "--db", db, "--list", f"csv:{files['v2']}")
    assert updated.returncode == 0, updated.stderr
    text = flat(updated.stdout)
    assert "in-house: version 2026-02-15+" in text
    assert "4 entities, 7 names; 3 added, 1 changed, 1 removed names since 2026-01-15+" in text
    assert "decision #1" in text and "lifted: in-house entity IH-1 has different names" in text
    assert sql(db, "SELECT action FROM allowlist_audit ORDER BY audit_id") == [("add",), ("lapse",)]
    assert sql(
        db, "SELECT entities, names, added, changed, removed, spec LIKE 'csv:%' FROM list_versions"
    ) == [(4, 7, 3, 1, 1, True)]
    assert sql(db, "SELECT count(DISTINCT list_version) FROM entity_names") == [(2,)]

    proc = run("rescreen", "--db", db)
    assert proc.returncode == 0, proc.stderr
    text = flat(proc.stdout)
    assert "5 stored party names against 4 names added or changed in in-house" in text
    assert "3 new hit(s), 0 already reported" in text
    assert "supplier 'Saigon Lotus Magnet Trading' ~ key 'saigon lotus magnet trading'" in text
    got = sql(
        db,
        "SELECT party, party_name, entity_id, matched_name, name_change, line_count,"
        " list_transform(entry_lines, lambda l: concat(l.entry_number, '/', l.line_number))"
        " FROM rescreen_hits ORDER BY party_name",
    )
    assert got == [
        ("manufacturer", "Hanoi Clean Magnet Works", "IH-5", "Hanoi Clean Magnet Works", "added",
         1, ["ABC-1234567-6/2"]),
        ("supplier", "Orinoco Tantalum Exports C.A.", "IH-2", "Orinoco Tantalum Exports CA",
         "changed", 1, ["ABC-1234567-6/3"]),
        ("supplier", "Saigon Lotus Magnet Trading", "IH-1", "Saigon Lotus Magnet Trading", "added",
         2, ["ABC-1234567-6/2", "XYZ-7654321-0/1"]),
    ]  # fmt: skip
    # not re-reported: Jade Harbor ~ IH-1's primary name, in both versions; not matched: the
    # vessel's new alias 'Mekong Bright Magnets' (vessels are not parties)
    assert "Jade Harbor Magnetics Co., Ltd." not in text and "IH-4" not in text
    assert "not on the list" not in text  # IH-5's owner IH-1 is in the version, not the delta
    versions = sql(db, "SELECT DISTINCT list_version FROM rescreen_hits")
    assert len(versions) == 1 and str(versions[0][0]).startswith("2026-02-15+")

    again = run("rescreen", "--db", db, "--list-id", "in-house")
    assert again.returncode == 0, again.stderr
    assert "0 new hit(s), 3 already reported" in flat(again.stdout)
    assert "no new hits" in again.stdout
    assert sql(db, "SELECT count(*), count(DISTINCT rescreen_id) FROM rescreen_hits") == [(3, 1)]
    assert sql(db, "SELECT hits, already_reported FROM rescreens ORDER BY started_at") == [
        (3, 0),
        (0, 3),
    ]

    same = run("lists", "update", "--db", db, "--list", f"csv:{files['v2']}")
    assert same.returncode == 0 and "already the current one" in flat(same.stdout)
    assert sql(db, "SELECT count(*) FROM list_versions") == [(1,)]


def test_cli_errors_are_clean(files: dict[str, Path], tmp_path: Path, screened: Path) -> None:
    cases = {
        "no version recorded in": ("rescreen", "--db", screened),
        "lists update --db": ("rescreen", "--db", screened),
        "does not exist": ("rescreen", "--db", tmp_path / "none.duckdb"),
        "is not <format>:<path>": ("lists", "update", "--db", screened, "--list", "nope"),
        "/no/such.csv": ("lists", "update", "--db", screened, "--list", "csv:/no/such.csv"),
    }
    for message, args in cases.items():
        proc = run(*args)
        assert proc.returncode == 2, (message, proc.stdout, proc.stderr)
        assert message in flat(proc.stderr), (message, proc.stderr)
        assert "Traceback" not in proc.stderr
    assert run("lists", "update", "--db", screened, "--list", f"csv:{files['v2']}").returncode == 0
    unknown = run("rescreen", "--db", screened, "--list-id", "ofac-sdn")
    assert unknown.returncode == 2
    assert "no version of list 'ofac-sdn' recorded" in flat(unknown.stderr)
    assert "(recorded: in-house)" in flat(unknown.stderr)


def test_a_first_version_is_all_delta(files: dict[str, Path], screened: Path) -> None:
    """A list id the database never saw: every name is added, so every hit is new."""
    ruleset = load_ruleset("cmsa-2026")
    text = files["v1"].read_text(encoding="utf-8").replace("in-house", "in-house-b")
    other = files["v1"].with_name("other.csv")
    other.write_text(text, encoding="utf-8")
    with Store(screened) as store:
        (update,) = record_list(store, f"csv:{other}", now=NOW)
        assert (update.list_id, update.previous_version) == ("in-house-b", None)
        assert (update.added, update.changed, update.removed, update.names) == (5, 0, 0, 5)
        outcome = rescreen(store, ruleset, now=NOW, list_id="in-house-b")
    assert outcome.hits.select("party_name", "entity_id").rows() == [
        ("Jade Harbor Magnetics Co., Ltd.", "IH-1"),
        ("Orinoco Tantalum Exports C.A.", "IH-2"),
    ]
    assert outcome.lists[0]["delta_names"] == 5


def test_a_failed_rescreen_write_leaves_nothing(
    files: dict[str, Path], screened: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(screened) as store:
        record_list(store, f"csv:{files['v2']}", now=NOW)
    real = Store.append

    def fail(self: Store, table: str, frame: pl.DataFrame, **kw: str | None) -> None:
        if table == "rescreen_hits":
            raise RuntimeError("disk full")
        real(self, table, frame, **kw)

    monkeypatch.setattr(Store, "append", fail)
    with Store(screened) as store, pytest.raises(RuntimeError, match="disk full"):
        rescreen(store, load_ruleset("cmsa-2026"), now=NOW)
    assert sql(screened, "SELECT count(*) FROM rescreens") == [(0,)]
    with Store(screened) as store, pytest.raises(InputError, match="in-house"):
        rescreen(store, load_ruleset("cmsa-2026"), now=NOW, list_id="nope")
