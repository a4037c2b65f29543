"""The demo end to end: `screener demo` in a fresh folder, its golden results, the planted cases.

Regenerate the golden file after an intended change with `pytest tests/test_demo.py
--update-golden` and review the diff.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCREENER = Path(sys.executable).parent / "screener"
SAMPLE = ROOT / "sample_entries"
PLANTED = SAMPLE / "expected" / "planted_cases.csv"
GOLDEN = Path(__file__).parent / "golden" / "demo_results.csv"

RESULTS_SQL = """
select regexp_extract(source, '[^/]+$') as file, row_number, entry_number, line_number,
       duty_class, duty_rate_pct, duty_usd, origin_risk,
       array_to_string(list_sort([f.rule for f in origin_flags]), ';') as rules,
       array_to_string(list_sort([h.list_id || ':' || h.entity_id for h in match_hits]), ';')
         as hits,
       entry_check_digit_ok
from entries order by file, row_number
"""


def _results(db: Path) -> pl.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return pl.from_arrow(con.sql(RESULTS_SQL).to_arrow_table())  # type: ignore[return-value]
    finally:
        con.close()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cwd = tmp_path_factory.mktemp("demo")
    proc = subprocess.run(
        [str(SCREENER), "demo"], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr
    for word in ("accepted", "rejected", "CONCERN_301", "Top flags", "Top entity hits", "Trust"):
        assert word in proc.stdout
    return cwd / "screening.duckdb"


@pytest.fixture(scope="module")
def scenario_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("scenario") / "scenario.duckdb"
    proc = subprocess.run(
        [
            str(SCREENER),
            "screen",
            str(SAMPLE),
            "--db",
            str(db),
            "--ruleset",
            "cmsa-2026-alliance-scenario",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return db


def test_demo_matches_the_golden_file(demo_db: Path, request: pytest.FixtureRequest) -> None:
    results = _results(demo_db)
    if request.config.getoption("--update-golden"):
        GOLDEN.parent.mkdir(exist_ok=True)
        results.write_csv(GOLDEN)
    golden = pl.read_csv(GOLDEN, schema=results.schema)
    assert results.height == golden.height
    diff = results.join(golden, on=["file", "row_number"], how="anti")
    assert diff.is_empty()
    changed = results.join(golden, on=["file", "row_number"], suffix="_golden").filter(
        pl.any_horizontal(
            pl.col(c).ne_missing(pl.col(f"{c}_golden"))
            for c in results.columns
            if c not in {"file", "row_number"}
        )
    )
    assert changed.is_empty(), f"{changed.height} lines differ from the golden file:\n{changed}"


def test_demo_covers_every_duty_class_and_rule(demo_db: Path, scenario_db: Path) -> None:
    con = duckdb.connect(str(demo_db), read_only=True)
    classes = {r[0] for r in con.execute("select distinct duty_class from entries").fetchall()}
    rules = {r[0] for r in con.execute("select distinct rule from flags").fetchall()}
    counts = con.execute("select lines_in, accepted, rejected from runs").fetchone()
    con.close()
    assert classes == {"CONCERN_301", "HOLD_VERIFY", "MFN", "NOT_COVERED"}
    assert rules >= {
        "EXPORT_NE_ORIGIN",
        "LADED_IN_CONCERN",
        "MID_NE_ORIGIN",
        "SUPPLIER_IN_CONCERN",
        "ENTITY_OF_CONCERN",
        "CHAIN_IN_CONCERN",
        "ENTRY_CHECK_DIGIT",
        "ADCVD_DECLARED",
    }
    assert counts is not None and counts[0] == counts[1] + counts[2] and counts[2] > 0
    con = duckdb.connect(str(scenario_db), read_only=True)
    free = con.execute("select count(*) from entries where duty_class = 'ALLIANCE_FREE'").fetchone()
    con.close()
    assert free is not None and free[0] > 0


def _planted() -> list[dict[str, str]]:
    return pl.read_csv(PLANTED, infer_schema=False).fill_null("").to_dicts()


@pytest.mark.parametrize("case", _planted(), ids=lambda c: f"{c['case_id']}")
def test_planted_case(case: dict[str, str], demo_db: Path, scenario_db: Path) -> None:
    key = (case["file"], int(case["row_number"]))
    if case["expect_reject_field"]:
        con = duckdb.connect(str(demo_db), read_only=True)
        rows = con.execute(
            "select field, reason from rejects "
            "where regexp_extract(source, '[^/]+$') = ? and row_number = ?",
            list(key),
        ).fetchall()
        con.close()
        assert rows and rows[0][0] == case["expect_reject_field"], (case["scenario"], rows)
        return
    for db, cls_col, rate_col in (
        (demo_db, "expect_duty_class", "expect_rate_pct"),
        (scenario_db, "expect_duty_class_scenario", "expect_rate_pct_scenario"),
    ):
        results = _results(db).filter((pl.col("file") == key[0]) & (pl.col("row_number") == key[1]))
        assert results.height == 1, case["scenario"]
        row = results.row(0, named=True)
        if case[cls_col]:
            assert row["duty_class"] == case[cls_col], case["scenario"]
        if case[rate_col]:
            assert row["duty_rate_pct"] == pytest.approx(float(case[rate_col])), case["scenario"]
    row = (
        _results(demo_db)
        .filter((pl.col("file") == key[0]) & (pl.col("row_number") == key[1]))
        .row(0, named=True)
    )
    fired = set(filter(None, (row["rules"] or "").split(";")))
    assert set(filter(None, case["expect_rules"].split(";"))) <= fired, case["scenario"]
    assert not set(filter(None, case["expect_no_rules"].split(";"))) & fired, case["scenario"]
    if case["expect_check_digit_ok"]:
        assert row["entry_check_digit_ok"] == (case["expect_check_digit_ok"] == "true")
    if case["expect_duty_usd"]:
        assert row["duty_usd"] == pytest.approx(float(case["expect_duty_usd"])), case["scenario"]
