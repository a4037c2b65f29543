"""Reproducible and audited: the same input, ruleset and lists screened into two fresh databases
give the same results, and each run records what decided it (DESIGN §9)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import duckdb
import polars as pl
import pytest
from cli_helpers import flat, run
from polars.testing import assert_frame_equal

from screener.ruleset import load_ruleset

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_entries"
RESULTS = ("entries", "hits", "flags", "rejects", "suppressed_hits", "duty_by_class", "trust_fund")
SAME_IN_RUNS = (
    "inputs",
    "input_hash",
    "ruleset_name",
    "ruleset_version",
    "ruleset_hash",
    "list_versions",
    "lines_in",
    "accepted",
    "rejected",
    "options",
    "summary",
)


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample entries (CSV, Parquet, NDJSON) screened into two fresh databases."""
    folder = tmp_path_factory.mktemp("twice")
    dbs = (folder / "first.duckdb", folder / "second.duckdb")
    for db in dbs:
        proc = run("screen", "sample_entries", "--db", db)
        assert proc.returncode == 0, proc.stderr
    return dbs


def frame(db: Path, query: str) -> pl.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return pl.DataFrame(con.sql(query).to_arrow_table())
    finally:
        con.close()


def result(db: Path, table: str) -> pl.DataFrame:
    """A result table without run_id and timestamps, in a fixed order (every column)."""
    got = frame(db, f"SELECT * EXCLUDE (run_id) FROM {table} ORDER BY ALL")
    return got.select(c for c, t in got.schema.items() if not isinstance(t, pl.Datetime))


@pytest.mark.parametrize("table", RESULTS)
def test_same_input_same_results(twice: tuple[Path, Path], table: str) -> None:
    first, second = (result(db, table) for db in twice)
    assert first.height or table == "suppressed_hits", f"the sample fills {table}"
    assert_frame_equal(first, second)


def test_same_input_same_run_record(twice: tuple[Path, Path]) -> None:
    columns = ", ".join(SAME_IN_RUNS)
    first, second = (frame(db, f"SELECT {columns} FROM runs") for db in twice)
    assert first.height == second.height == 1
    assert_frame_equal(first, second)
    ids = [frame(db, "SELECT run_id FROM runs").item() for db in twice]
    assert ids[0] != ids[1]


def test_run_records_inputs_versions_times_and_counts(twice: tuple[Path, Path]) -> None:
    run_row = frame(twice[0], "SELECT * FROM runs").row(0, named=True)
    inputs = json.loads(run_row["inputs"])
    assert {Path(i["path"]).name for i in inputs} == {p.name for p in SAMPLE.glob("entries_*")}
    for item in inputs:
        digest = hashlib.sha256((ROOT / item["path"]).read_bytes()).hexdigest()
        assert item["sha256"] == digest and item["rows"] > 0
    ruleset = load_ruleset("cmsa-2026")
    assert (run_row["ruleset_name"], run_row["ruleset_version"], run_row["ruleset_hash"]) == (
        ruleset.name,
        ruleset.version,
        ruleset.content_hash,
    )
    versions = json.loads(run_row["list_versions"])
    assert set(versions) == {"ofac-sdn", "fictitious-concern"}
    assert all(re.fullmatch(r"[\w-]+\+[0-9a-f]{12}", v) for v in versions.values()), versions
    assert run_row["started_at"] <= run_row["finished_at"]
    assert run_row["lines_in"] == run_row["accepted"] + run_row["rejected"]
    assert run_row["lines_in"] == sum(i["rows"] for i in inputs)


def test_run_records_the_screener_version(twice: tuple[Path, Path]) -> None:
    from importlib.metadata import version

    summary = json.loads(frame(twice[0], "SELECT summary FROM runs").item())
    assert summary["screener_version"] == version("screener")


def _line(db: Path, where: str) -> tuple[str, int]:
    row = frame(db, f"SELECT entry_number, line_number FROM entries WHERE {where} ORDER BY ALL")
    return row["entry_number"][0], row["line_number"][0]


def test_explain_names_the_ruleset_that_decided(twice: tuple[Path, Path]) -> None:
    db = twice[0]
    ruleset = load_ruleset("cmsa-2026")
    entry, line = _line(db, "match_best_score IS NOT NULL AND match_confirmed")
    proc = run("explain", entry, "--line", str(line), "--db", db)
    assert proc.returncode == 0, proc.stderr
    text = flat(proc.stdout)
    assert f"ruleset {ruleset.name} {ruleset.version} #{ruleset.content_hash}" in text
    versions = json.loads(frame(db, "SELECT list_versions FROM runs").item())
    hit_list = frame(
        db, f"SELECT list_id FROM hits WHERE entry_number = '{entry}' AND line_number = {line}"
    )["list_id"][0]
    assert f"list version {versions[hit_list]}" in text  # in the hit's explanation


def test_explain_names_the_list_versions_of_a_clean_line(twice: tuple[Path, Path]) -> None:
    db = twice[0]
    entry, line = _line(db, "match_best_score IS NULL")
    proc = run("explain", entry, "--line", str(line), "--db", db)
    assert proc.returncode == 0, proc.stderr
    versions = json.loads(frame(db, "SELECT list_versions FROM runs").item())
    text = flat(proc.stdout)
    for list_id, version in versions.items():
        assert f"{list_id} {version}" in text
