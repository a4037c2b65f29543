"""``screener explain``: the decision tree of a line (rich), the same as JSON, and as plain text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from screener.explain_view import explain_data, explain_text
from screener.store import Store
from tests.cli_helpers import run, sql


def _line(db: Path, where: str) -> tuple[str, int]:
    rows = sql(db, f"SELECT entry_number, line_number FROM entries WHERE {where} ORDER BY 1, 2")
    assert rows, where
    return str(rows[0][0]), int(str(rows[0][1]))


def _json(db: Path, entry: str, line: int) -> dict[str, Any]:
    proc = run("explain", entry, "--line", str(line), "--db", db, "--json")
    assert proc.returncode == 0, proc.stderr
    (item,) = json.loads(proc.stdout)  # one JSON document and nothing else
    return item  # type: ignore[no-any-return]


def test_json_has_the_ruleset_row_list_entry_and_ownership(shared_demo_db: Path) -> None:
    db = shared_demo_db
    entry, line = _line(
        db,
        "EXISTS (SELECT 1 FROM hits h WHERE h.entry_number = entries.entry_number AND"
        " h.line_number = entries.line_number AND h.explanation LIKE '%owned or controlled%')",
    )
    item = _json(db, entry, line)
    ((prefix, mineral, duty_class, duty, versions),) = sql(
        db,
        "SELECT duty_coverage_hts, duty_mineral, duty_class, duty_usd, r.list_versions FROM"
        f" entries JOIN runs r USING (run_id) WHERE entry_number = '{entry}'"
        f" AND line_number = {line}",
    )
    duty_json = item["duty"]
    assert (duty_json["class"], duty_json["usd"]) == (duty_class, duty)
    assert duty_json["coverage"]["hts_prefix"] == prefix
    assert duty_json["coverage"]["mineral"] == mineral
    assert "USITC HTS 2026" in duty_json["coverage"]["source"]  # the coverage.csv row's source
    assert duty_json["origin_country"]["code"] == item["line"]["country_of_origin"]
    assert item["run"]["list_versions"] == json.loads(str(versions))
    hits = sql(
        db,
        "SELECT list_id, list_version, entity_id, matched_name, name_kind, score FROM hits"
        f" WHERE entry_number = '{entry}' AND line_number = {line} ORDER BY score DESC",
    )
    got = [
        (h["list_id"], h["list_version"], h["entity_id"], h["matched_name"], h["name_kind"])
        for h in item["match"]["hits"]
    ]
    assert sorted(got) == sorted(h[:5] for h in hits)
    chained = [h for h in item["match"]["hits"] if h["ownership_chain"]]
    assert chained and chained[0]["ownership_chain"].startswith("owned or controlled by ")
    flags = sql(
        db,
        f"SELECT rule, weight FROM flags WHERE entry_number = '{entry}' AND line_number = {line}",
    )
    assert sorted((f["rule"], f["weight"]) for f in item["origin"]["flags"]) == sorted(flags)


def test_tree_and_text_carry_the_same_facts(shared_demo_db: Path) -> None:
    db = shared_demo_db
    entry, line = _line(db, "duty_class = 'HOLD_VERIFY'")
    with Store(db, read_only=True) as store:
        (item,) = explain_data(store, entry, line)
    text = explain_text(item)
    assert "\x1b[" not in text  # no colour codes
    assert "HOLD_VERIFY" in text and f"hold threshold {item['origin']['hold_threshold']}" in text
    for rule, severity, weight in sql(
        db,
        "SELECT rule, severity, weight FROM flags"
        f" WHERE entry_number = '{entry}' AND line_number = {line}",
    ):
        assert f"flag {rule} ({severity}, w={weight}):" in text
    assert f"ruleset row: coverage.csv HTS prefix {item['duty']['coverage_hts']}" in text
    proc = run("explain", entry, "--line", str(line), "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert "├──" in proc.stdout  # the rich tree
    for fact in text.splitlines():  # every fact of the text, whole, on one line of the tree
        assert fact.strip() in proc.stdout, fact


def test_outcomes_and_regulatory_notes_when_present(shared_demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    shutil.copy(shared_demo_db, db)
    entry, line = _line(db, "duty_class = 'CONCERN_301'")
    with Store(db, read_only=True) as store:
        (before,) = explain_data(store, entry, line)
    assert not before.get("outcomes") and not before.get("regulatory_notes")  # [] or absent
    con = duckdb.connect(str(db))
    con.execute(
        "ALTER TABLE entries ADD COLUMN IF NOT EXISTS regulatory_notes"
        " STRUCT(code VARCHAR, text VARCHAR, source VARCHAR)[]"
    )
    con.execute(
        "UPDATE entries SET regulatory_notes = [{'code': 'UFLPA', 'text': 'check the supply"
        " chain', 'source': 'UFLPA entity list'}] WHERE entry_number = ? AND line_number = ?",
        [entry, line],
    )
    con.execute(
        "CREATE TABLE IF NOT EXISTS outcomes (outcome_id BIGINT, run_id VARCHAR, entry_number"
        " VARCHAR, line_number BIGINT, outcome VARCHAR, decided_by VARCHAR, decided_at"
        " TIMESTAMP, reason VARCHAR)"
    )
    con.execute(
        "INSERT INTO outcomes SELECT 1, run_id, entry_number, line_number, 'released',"
        " 'a.broker', TIMESTAMP '2026-04-01 10:00:00', 'mill certificate checked' FROM entries"
        " WHERE entry_number = ? AND line_number = ?",
        [entry, line],
    )
    con.close()
    item = _json(db, entry, line)
    assert item["regulatory_notes"] == [
        {"code": "UFLPA", "text": "check the supply chain", "source": "UFLPA entity list"}
    ]
    ((outcome),) = item["outcomes"]
    assert (outcome["outcome"], outcome["decided_by"]) == ("released", "a.broker")
    assert outcome["decided_at"].startswith("2026-04-01T10:00")
    shown = run("explain", entry, "--line", str(line), "--db", db).stdout
    assert "[UFLPA] check the supply chain (UFLPA entity list)" in shown
    assert "released by a.broker on 2026-04-01T10:00:00: mill certificate checked" in shown


@pytest.mark.parametrize("flag", ["--json", None])
def test_unknown_line_is_a_clean_error(shared_demo_db: Path, flag: str | None) -> None:
    proc = run("explain", "NOPE-0000000-0", "--db", shared_demo_db, *([flag] if flag else []))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "entry NOPE-0000000-0 is not in" in proc.stderr and "Traceback" not in proc.stderr
