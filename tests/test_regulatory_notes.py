"""Regulatory notes on lines: which lines carry SECTION_232_PCMDP_PENDING and
CN_REE_EXPORT_CONTROL, what the text says on the entry date, and that notes never change risk,
flags or duty."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
from pydantic import ValidationError

from screener.models import EntryLine
from screener.pipeline import Screener
from screener.ruleset import Ruleset, load_ruleset
from screener.ruleset_notes import RegulatoryNote
from screener.schema import NOTE_STRUCT
from screener.store import Store

S232, CNREE = "SECTION_232_PCMDP_PENDING", "CN_REE_EXPORT_CONTROL"
MAGNET, ORE, SCRAP, COMPOUND = "8505110070", "2530908050", "7404003020", "2846902005"

# (id, hts_code, entry_date, cn_ree_content_pct, expected codes, words the texts must hold)
CASES: list[tuple[str, str, str, float | None, set[str], list[str]]] = [
    ("magnet-0.1pct", MAGNET, "2026-02-02", 0.1, {S232, CNREE}, ["suspended on 2026-02-02"]),
    ("magnet-0.09pct", MAGNET, "2026-02-02", 0.09, {S232}, ["pending on 2026-02-02"]),
    ("magnet-undeclared", MAGNET, "2026-02-02", None, {S232}, []),
    ("before-proclamation", MAGNET, "2026-01-10", 50.0, {CNREE}, ["suspended on 2026-01-10"]),
    ("after-negotiation", COMPOUND, "2026-08-03", None, {S232}, ["180-day negotiation period"]),
    ("suspension-over", MAGNET, "2026-12-01", 5.0, {S232, CNREE}, ["in force on 2026-12-01"]),
    ("ore", ORE, "2026-02-02", None, set(), []),
    ("scrap", SCRAP, "2026-02-02", None, set(), []),
]


def _frame(cases: list[tuple[str, str, str, float | None, set[str], list[str]]]) -> pl.DataFrame:
    n = len(cases)
    return pl.DataFrame(
        {
            "entry_number": ["QRT-0000000-0"] * n,
            "line_number": list(range(1, n + 1)),
            "entry_date": [c[2] for c in cases],
            "hts_code": [c[1] for c in cases],
            "country_of_origin": ["JP"] * n,
            "entered_value_usd": [5000.0] * n,
            "supplier_name": ["Test Magnetics KK"] * n,
            "cn_ree_content_pct": [c[3] for c in cases],
        }
    )


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.load()


@pytest.fixture(scope="module")
def screened(screener: Screener) -> pl.DataFrame:
    return screener.screen(_frame(CASES))


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c[0] for c in CASES])
def test_notes_by_line(screened: pl.DataFrame, index: int) -> None:
    _, _, _, _, codes, words = CASES[index]
    notes: list[dict[str, Any]] = screened["regulatory_notes"][index].to_list()
    assert {n["code"] for n in notes} == codes
    text = " | ".join(n["text"] for n in notes)
    for word in words:
        assert word in text
    assert all(n["source"] for n in notes)


def test_notes_change_no_risk_flags_or_duty(screener: Screener, screened: pl.DataFrame) -> None:
    """The same lines under the ruleset without notes: every other column is identical."""
    rs: Ruleset = screener.ruleset
    bare = dataclasses.replace(rs, config=rs.config.model_copy(update={"regulatory_notes": {}}))
    without = Screener(bare, screener.names).screen(_frame(CASES))
    assert without["regulatory_notes"].list.len().sum() == 0
    assert screened["regulatory_notes"].list.len().sum() > 0
    keep = [c for c in screened.columns if c not in ("regulatory_notes", "run_id")]
    assert screened.select(keep).equals(without.select(keep))
    # and the 0.1% line vs the 0.09% line: the note condition alone changes nothing else
    scored = ["origin_risk", "origin_flags", "duty_class", "duty_rate_pct", "duty_usd"]
    assert screened.select(scored).row(0) == screened.select(scored).row(1)


def test_screen_line_carries_notes(screener: Screener) -> None:
    line = EntryLine(
        entry_number="QRT-0000099-0",
        line_number=1,
        entry_date="2026-03-02",
        hts_code=MAGNET,
        country_of_origin="VN",
        entered_value_usd=1000.0,
        supplier_name="Test Magnets JSC",
        cn_ree_content_pct=12.5,
    )
    result = screener.screen_line(line)
    assert [n.code for n in result.regulatory_notes] == [S232, CNREE]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": "state {when}"}, "unknown placeholder"),
        ({"lines": {"min_cn_ree_content_pct": 0.1}}, "give stages, hts_prefixes or minerals"),
        (
            {
                "periods": [
                    {
                        "start": "2026-01-01",
                        "end": "2026-06-30",
                        "status": "pending",
                        "detail": "a",
                    },
                    {"start": "2026-06-01", "status": "in_force", "detail": "b"},
                ]
            },
            "overlaps",
        ),
    ],
    ids=["placeholder", "no-criterion", "overlap"],
)
def test_bad_note_is_refused(change: dict[str, Any], message: str) -> None:
    note = load_ruleset().config.regulatory_notes[CNREE].model_dump() | change
    with pytest.raises(ValidationError, match=message):
        RegulatoryNote.model_validate(note)


def test_demo_lines_carry_each_note(shared_demo_db: Path, tmp_path: Path) -> None:
    with Store(shared_demo_db, read_only=True) as store:
        run_id = store.latest_run_id()
        assert run_id
        counts = store.dicts(
            "SELECT n.code, count(*) AS lines FROM"
            " (SELECT UNNEST(regulatory_notes) AS n FROM entries) GROUP BY ALL ORDER BY 1"
        )
        files = store.export_parquet(run_id, tmp_path / "out")
    found = {str(r["code"]): int(str(r["lines"])) for r in counts}
    assert set(found) == {S232, CNREE} and min(found.values()) > 0
    entries = pl.read_parquet(next(f for f in files if f.name == "entries.parquet"))
    assert entries.schema["regulatory_notes"] == pl.List(NOTE_STRUCT)


def test_older_database_gets_the_column(shared_demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    shutil.copy(shared_demo_db, db)
    con = duckdb.connect(str(db))
    con.execute("ALTER TABLE entries DROP COLUMN regulatory_notes")
    con.execute("DROP TABLE outcomes")
    con.close()
    with Store(db) as store:
        cols = store.dicts(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE (table_name = 'entries' AND column_name = 'regulatory_notes')"
            " OR table_name = 'outcomes'"
        )
    assert {"entries", "outcomes"} == {str(c["table_name"]) for c in cols}
