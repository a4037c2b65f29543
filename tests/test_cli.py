"""The installed `screener` command, run in a subprocess against real files and a real DuckDB."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import polars as pl
import pytest
from cli_helpers import SCREENER, run

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_entries"
CSV = SAMPLE / "entries_2026q1_a.csv"
TABLES = {"runs", "entries", "hits", "flags", "rejects", "entity_names", "allowlist"}
VIEWS = {"flagged_lines", "holds", "supplier_hits", "duty_by_class", "trust_fund"}


@pytest.fixture(scope="module")
def screened(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "s.duckdb"
    proc = run("screen", CSV, "--db", db)
    assert proc.returncode == 0, proc.stderr
    return db


def test_the_command_is_installed() -> None:
    assert SCREENER.exists(), "make test installs the package into .venv"


def test_screen_writes_every_table_and_view(screened: Path) -> None:
    con = duckdb.connect(str(screened), read_only=True)
    names = {
        r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
    }
    assert names >= TABLES | VIEWS
    runs = con.execute("select lines_in, accepted, rejected from runs").fetchall()
    entries = con.execute("select count(*) from entries").fetchone()
    rejects = con.execute("select count(*) from rejects").fetchone()
    con.close()
    assert len(runs) == 1
    lines_in, accepted, rejected = runs[0]
    assert lines_in == accepted + rejected
    assert entries is not None and entries[0] == accepted
    assert rejects is not None and rejects[0] == rejected > 0


def test_same_input_twice_is_refused_then_replaced_with_force(tmp_path: Path) -> None:
    db = tmp_path / "twice.duckdb"
    assert run("screen", CSV, "--db", db).returncode == 0
    again = run("screen", CSV, "--db", db)
    assert again.returncode == 2
    assert "already screened" in again.stderr
    assert "Traceback" not in again.stderr
    forced = run("screen", CSV, "--db", db, "--force", "--out", tmp_path / "pq")
    assert forced.returncode == 0, forced.stderr
    con = duckdb.connect(str(db), read_only=True)
    runs = con.execute("select count(*) from runs").fetchone()
    dupes = con.execute(
        "select count(*) from (select entry_number, line_number, source, row_number, count(*) n "
        "from entries group by all having n > 1)"
    ).fetchone()
    con.close()
    assert runs == (1,)
    assert dupes == (0,)
    assert {p.name for p in (tmp_path / "pq").iterdir()} >= {"entries.parquet", "hits.parquet"}


def test_bad_input_is_one_clean_message_and_exit_2(tmp_path: Path) -> None:
    missing = run("screen", tmp_path / "nope.csv", "--db", tmp_path / "x.duckdb")
    assert missing.returncode == 2
    assert "nope.csv" in missing.stderr and "Traceback" not in missing.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("entry_number,line_number\nA,1\n", encoding="utf-8")
    no_cols = run("screen", bad, "--db", tmp_path / "x.duckdb")
    assert no_cols.returncode == 2
    assert "hts_code" in no_cols.stderr
    ruleset = run("screen", CSV, "--db", tmp_path / "x.duckdb", "--ruleset", "no-such-ruleset")
    assert ruleset.returncode == 2 and "no-such-ruleset" in ruleset.stderr


def test_screen_from_a_duckdb_table(tmp_path: Path) -> None:
    source = tmp_path / "source.duckdb"
    con = duckdb.connect(str(source))
    con.execute(f"create table nightly as select * from read_csv('{CSV}', all_varchar=true)")
    con.close()
    db = tmp_path / "from_duck.duckdb"
    proc = run("screen", "--from-duckdb", f"{source}:nightly", "--db", db)
    assert proc.returncode == 0, proc.stderr
    con = duckdb.connect(str(db), read_only=True)
    counts = con.execute("select lines_in, accepted from runs").fetchone()
    con.close()
    assert counts is not None and counts[0] == pl.read_csv(CSV, infer_schema=False).height


def test_explain_shows_every_decision_with_evidence(screened: Path) -> None:
    con = duckdb.connect(str(screened), read_only=True)
    row = con.execute(
        "select entry_number, line_number from holds order by entry_number limit 1"
    ).fetchone()
    con.close()
    assert row is not None, "the sample has held lines"
    proc = run("explain", row[0], "--line", str(row[1]), "--db", screened)
    assert proc.returncode == 0, proc.stderr
    text = re.sub(r"\s+", " ", proc.stdout)
    assert "HOLD_VERIFY" in text
    assert "flag " in text and "ruleset cmsa-2026" in text
    unknown = run("explain", "NOPE-0000000-0", "--db", screened)
    assert unknown.returncode == 2


def test_sql_is_read_only_and_formats(screened: Path) -> None:
    proc = run(
        "sql",
        "--db",
        screened,
        "--format",
        "json",
        "select duty_class, lines from duty_by_class order by duty_class",
    )
    assert proc.returncode == 0, proc.stderr
    classes = {r["duty_class"] for r in json.loads(proc.stdout)}
    assert {"CONCERN_301", "MFN", "NOT_COVERED", "HOLD_VERIFY"} <= classes
    write = run("sql", "--db", screened, "delete from entries")
    assert write.returncode == 2
    assert "Traceback" not in write.stderr


def test_rules_check_reports_problems(tmp_path: Path) -> None:
    good = run("rules", "check", "cmsa-2026")
    assert good.returncode == 0 and "OK" in good.stdout
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "ruleset.yaml").write_text("name: Broken Name\nhold_threshold: 7\n", encoding="utf-8")
    bad = run("rules", "check", broken)
    assert bad.returncode == 2
    assert "hold_threshold" in bad.stderr and "coverage.csv" in bad.stderr


def test_lists_show_names_the_bundled_lists() -> None:
    proc = run("lists", "show")
    assert proc.returncode == 0, proc.stderr
    assert "ofac-sdn" in proc.stdout and "fictitious-concern" in proc.stdout


def test_every_command_in_the_readme_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = set(re.findall(r"^\s*(?:\$ )?screener ([a-z]+(?: [a-z]+)?)", readme, re.MULTILINE))
    assert commands, "README shows CLI examples"
    # one `--help` per command group (a process start each): every command must be listed
    helps: dict[str, str] = {}
    for command in sorted(commands):
        words = command.split()
        group = words[0] if len(words) == 2 and words[0] in {"rules", "lists"} else ""
        if group not in helps:
            proc = run(*([group] if group else []), "--help")
            assert proc.returncode == 0, f"screener {group} --help: {proc.stderr}"
            helps[group] = proc.stdout
        name = words[-1] if group else words[0]
        assert re.search(rf"[│|] +{name} ", helps[group]), f"screener {command} is not a command"
