"""`screener sql` as a workbench: the session's functions (fuzzy_score, screen_name,
explain_line) agree with the pipeline, scripts on standard input run statement by statement, the
guard holds with the functions in, and every table, view and column of the database carries a
comment any DuckDB client sees (screener.sql_udfs, screener.cli_sql, screener.store_comments)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from cli_helpers import SCREENER, flat, run, sql

from screener import score_pair
from screener.cli_sql import run_session
from screener.errors import InputError
from screener.sql_guard import Rows, SqlRefused
from screener.store import Store
from screener.store_comments import load_comments, missing_comments


def session(db: Path, *statements: str, ruleset: str | None = None) -> list[Rows]:
    """Every statement's rows from one `screener sql` session, in process."""
    results: list[Rows] = []
    run_session(db, list(statements), results.append, allow_files=False, ruleset=ruleset)
    return results


def stdin_sql(db: Path, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``screener sql --db DB ARGS`` with ``script`` on standard input."""
    return subprocess.run(
        [str(SCREENER), "sql", "--db", str(db), *args],
        input=script,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


# --- fuzzy_score ---------------------------------------------------------------------------------


def test_fuzzy_score_is_the_pipelines_scorer(shared_demo_db: Path) -> None:
    """Every stored hit's score is what fuzzy_score gives its party name and matched name."""
    (pairs, docs, nulls) = session(
        shared_demo_db,
        "SELECT count(*), count(*) FILTER (WHERE abs(fuzzy_score(CASE h.party WHEN 'supplier'"
        " THEN e.supplier_name ELSE e.manufacturer_name END, h.matched_name) - h.score) > 0.05)"
        " FROM hits AS h JOIN entries AS e USING (run_id, entry_number, line_number)",
        "SELECT fuzzy_score('Jade Harbor Magnetics Grp Co., Ltd.', 'JADE HARBOR MAGNETICS GROUP'),"
        " fuzzy_score('Jade Harbor Magnetics', 'Volga Borealis Metals JSC')",
        "SELECT fuzzy_score(NULL, 'x'), fuzzy_score('x', NULL), typeof(fuzzy_score('a', 'b'))",
    )
    hits, differ = pairs[1][0]
    assert hits >= 5 and differ == 0
    same, other = docs[1][0]
    assert (
        same
        == 100.0
        == score_pair("Jade Harbor Magnetics Grp Co., Ltd.", "JADE HARBOR MAGNETICS GROUP").score
    )
    assert other == pytest.approx(
        score_pair("Jade Harbor Magnetics", "Volga Borealis Metals JSC").score
    )
    assert other < 50
    assert nulls[1] == [(None, None, "DOUBLE")]


# --- screen_name -------------------------------------------------------------------------------


def test_screen_name_finds_what_the_run_found(shared_demo_db: Path) -> None:
    """Each supplier hit of the run is among screen_name's rows for that supplier name."""
    (missed, found, none, columns) = session(
        shared_demo_db,
        "SELECT DISTINCT e.supplier_name, h.list_id, h.entity_id"
        " FROM hits AS h JOIN entries AS e USING (run_id, entry_number, line_number)"
        " WHERE h.party = 'supplier' AND NOT list_contains(list_transform("
        "_screen_name(e.supplier_name), lambda x: x.list_id || ':' || x.entity_id),"
        " h.list_id || ':' || h.entity_id)",
        "FROM screen_name('Jade Harbour Magnetic Co')",
        "SELECT count(*) FROM screen_name('Qqqzx Vvvrtl')",
        "SELECT count(*) FROM screen_name(NULL)",
    )
    assert missed[1] == []
    assert found[0] == ["list_id", "entity_id", "name", "score", "explanation"]
    best = found[1][0]
    assert best[:3] == ("fictitious-concern", "FX-0002", "Jade Harbor Magnetics Co Ltd")
    assert 85 <= best[3] < 100  # at or above the review threshold, not an exact key
    assert "'Jade Harbour Magnetic Co' ~ key 'jade harbour magnetic'" in best[4]
    scores = [row[3] for row in found[1]]
    assert scores == sorted(scores, reverse=True)
    assert none[1] == [(0,)] and columns[1] == [(0,)]


def test_screen_name_uses_the_ruleset_thresholds(shared_demo_db: Path, tmp_path: Path) -> None:
    """A ruleset whose review threshold is above the score drops the hit."""
    strict = tmp_path / "strict"
    shutil.copytree(Path(__file__).resolve().parent.parent / "rulesets" / "cmsa-2026", strict)
    text = (strict / "ruleset.yaml").read_text(encoding="utf-8")
    default = "default: {review: 85, confirm: 95}"
    assert default in text
    strict_text = text.replace(default, "default: {review: 99.5, confirm: 99.9}")
    (strict / "ruleset.yaml").write_text(strict_text, encoding="utf-8")
    query = "SELECT entity_id FROM screen_name('Jade Harbour Magnetic Co')"
    assert session(shared_demo_db, query)[0][1] == [("FX-0002",)]
    assert session(shared_demo_db, query, ruleset=str(strict))[0][1] == []


# --- explain_line ------------------------------------------------------------------------------


def test_explain_line_words_the_decision(shared_demo_db: Path) -> None:
    held = sql(
        shared_demo_db,
        "SELECT entry_number, line_number, flag_rules FROM holds ORDER BY origin_risk DESC LIMIT 1",
    )
    assert held, "the demo holds no line"
    entry, line, rules = held[0]
    (text, missing) = session(
        shared_demo_db,
        f"SELECT explain_line('{entry}', {line})",
        "SELECT explain_line('NOPE-0000000-0', 1), explain_line(NULL, 1)",
    )
    explanation = str(text[1][0][0])
    assert f"{entry} line {line}" in explanation
    assert all(f"flag {rule}" in explanation for rule in rules)
    assert missing[1] == [(None, None)]


# --- the command: arguments, standard input, the guard -------------------------------------------


def test_stdin_runs_each_statement_in_turn(shared_demo_db: Path) -> None:
    script = "SELECT 'a;b' AS text;  -- a comment; with a semicolon\nSELECT 2 AS n;\n"
    proc = stdin_sql(shared_demo_db, script, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "text\na;b\n\nn\n2\n"


def test_stdin_is_checked_whole_before_anything_runs(shared_demo_db: Path) -> None:
    refused = stdin_sql(shared_demo_db, "SELECT 1 AS first;\nDROP TABLE runs;\n")
    assert refused.returncode == 2 and refused.stdout == ""
    assert "DROP changes the database; writes are always refused" in flat(refused.stderr)
    failing = stdin_sql(
        shared_demo_db, "SELECT 1 AS first; SELECT * FROM no_such_table;", "--format", "csv"
    )
    assert failing.returncode == 2 and failing.stdout == "first\n1\n"
    assert flat(failing.stderr).startswith("error: query failed: Catalog Error")


def test_the_functions_keep_the_guard(shared_demo_db: Path, tmp_path: Path) -> None:
    """With the functions registered the file is still read-only, file access off, settings
    locked; the session's macro cannot be dropped or replaced; screen_name writes no cache."""
    cache = tmp_path / "cache"
    cache.mkdir()
    env = {**os.environ, "SCREENER_CACHE": str(cache)}
    script = (
        "SELECT current_setting('access_mode') AS mode,"
        " current_setting('enable_external_access') AS files,"
        " current_setting('lock_configuration') AS locked;"
        "SELECT count(*) AS hits FROM screen_name('Jade Harbour Magnetic Co');"
    )
    proc = subprocess.run(
        [str(SCREENER), "sql", "--db", str(shared_demo_db), "--format", "csv"],
        input=script,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "mode,files,locked\nread_only,False,True\n\nhits\n1\n"
    assert list(cache.iterdir()) == []  # the index is built in memory
    for statement in ("DROP MACRO TABLE screen_name", "CREATE TEMP MACRO screen_name(n) AS 1"):
        with pytest.raises(SqlRefused, match="writes are always refused"):
            session(shared_demo_db, statement)
    with pytest.raises(InputError, match="reads or writes files"):
        session(shared_demo_db, "SELECT fuzzy_score(content, 'x') FROM read_text('/etc/passwd')")


def test_the_query_argument_answers_with_its_last_statement(shared_demo_db: Path) -> None:
    proc = run("sql", "--db", shared_demo_db, "--format", "json", "SELECT 1 AS a; SELECT 2 AS b")
    assert proc.returncode == 0, proc.stderr
    assert flat(proc.stdout).strip() == '[ { "b": 2 } ]'


# --- comments ----------------------------------------------------------------------------------


def test_every_table_view_and_column_has_a_comment(shared_demo_db: Path) -> None:
    """Seen by a plain DuckDB connection: no screener code, no session functions."""
    con = duckdb.connect(str(shared_demo_db), read_only=True)
    try:
        assert missing_comments(con) == []
        tables = {r[0] for r in con.sql("SELECT table_name FROM duckdb_tables()").fetchall()}
        views = {
            r[0]
            for r in con.sql("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
        }
        duty = con.sql(
            "SELECT comment FROM duckdb_columns() WHERE table_name = 'entries'"
            " AND column_name = 'duty_class'"
        ).fetchall()
        view = con.sql("SELECT comment FROM duckdb_views() WHERE view_name = 'holds'").fetchall()
        udfs = con.sql(
            "SELECT function_name FROM duckdb_functions() WHERE function_name IN"
            " ('fuzzy_score', 'screen_name', '_screen_name', 'explain_line')"
        ).fetchall()
    finally:
        con.close()
    assert {"runs", "entries", "hits", "flags", "rejects", "entity_names", "allowlist"} <= tables
    assert {"flagged_lines", "holds", "supplier_hits", "duty_by_class", "trust_fund"} <= views
    assert duty == [("CONCERN_301 | HOLD_VERIFY | ALLIANCE_FREE | MFN | NOT_COVERED (DESIGN §7)",)]
    assert "HOLD_VERIFY" in str(view[0][0])
    assert udfs == []  # the session functions live in `screener sql` only
    comments = load_comments()
    stale = sorted(set(comments.relations) - tables - views)
    assert stale == [], f"store_comments.yaml explains tables that do not exist: {stale}"


def test_a_writable_open_comments_the_replaced_views(shared_demo_db: Path, tmp_path: Path) -> None:
    """Replacing the views drops their comments: every writable open puts them back."""
    db = tmp_path / "copy.duckdb"
    shutil.copy(shared_demo_db, db)
    con = duckdb.connect(str(db))
    con.execute("CREATE OR REPLACE VIEW holds AS SELECT * FROM entries LIMIT 0")
    con.execute("COMMENT ON COLUMN entries.duty_usd IS NULL")
    assert "holds" in missing_comments(con) and "entries.duty_usd" in missing_comments(con)
    con.close()
    Store(db).close()
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert missing_comments(con) == []
    finally:
        con.close()
