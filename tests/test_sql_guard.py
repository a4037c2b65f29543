"""Nothing gets what it should not. `screener sql` runs queries only: read-only database, no file
access unless --allow-files, no settings changes, no extensions (screener.sql_guard). Paths on the
command line are used as given. A ruleset reads no file outside its folders and runs no code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_helpers import flat, run

from screener.errors import InputError, RulesetError
from screener.ruleset import check_ruleset, load_ruleset
from screener.sql_guard import (
    SqlRefused,
    check_sql,
    connect_guarded,
    execute_checked,
    run_sql,
    split_sql,
)
from screener.store import Store

ROOT = Path(__file__).resolve().parent.parent
ALLOW = "pass --allow-files to allow reading and writing files"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty screening database: every table and view, no rows."""
    path = tmp_path_factory.mktemp("guard") / "s.duckdb"
    Store(path).close()
    return path


@pytest.fixture(scope="module")
def data_file(db: Path) -> Path:
    path = db.parent / "outside.csv"
    path.write_text("secret\nhunter2\n", encoding="utf-8")
    return path


# --- what still works --------------------------------------------------------------------------

ALLOWED = {
    "select": "SELECT count(*) AS n FROM entries",
    "view": "SELECT * FROM holds",
    "view-duty": "SELECT duty_class, lines FROM duty_by_class",
    "cte": "WITH r AS (SELECT run_id FROM runs) SELECT count(*) FROM r",
    "from-first": "FROM runs",
    "values": "VALUES (1, 'a')",
    "describe": "DESCRIBE entries",
    "show-tables": "SHOW TABLES",
    "show-all": "SHOW ALL TABLES",
    "summarize": "SUMMARIZE runs",
    "explain": "EXPLAIN SELECT * FROM entries",
    "explain-analyze": "EXPLAIN ANALYZE SELECT * FROM entries",
    "pragma-table-info": "PRAGMA table_info('entries')",
    "pragma-version": "PRAGMA version",
    "call": "CALL pragma_version()",
    "two-selects": "SELECT 1; SELECT 2 AS last",
    "information-schema": "SELECT table_name FROM information_schema.tables",
}


@pytest.mark.parametrize("query", ALLOWED.values(), ids=ALLOWED.keys())
def test_queries_run(db: Path, query: str) -> None:
    columns, _ = run_sql(db, query)
    assert columns


def test_the_last_statement_answers(db: Path) -> None:
    assert run_sql(db, "SELECT 1; SELECT 2 AS last") == (["last"], [(2,)])


def test_opened_read_only_without_file_access_and_locked(db: Path) -> None:
    settings = ("access_mode", "enable_external_access", "lock_configuration")
    query = "SELECT " + ", ".join(f"current_setting('{s}')" for s in settings)
    assert run_sql(db, query)[1] == [("read_only", False, True)]
    assert run_sql(db, query, allow_files=True)[1] == [("read_only", True, True)]


# --- what is refused ---------------------------------------------------------------------------

ALWAYS = "writes are always refused"
REFUSED = {
    "delete": ("DELETE FROM entries", "DELETE changes the database; " + ALWAYS),
    "insert": ("INSERT INTO allowlist (allowlist_id) VALUES (1)", "INSERT changes the database"),
    "update": ("UPDATE runs SET accepted = 0", "UPDATE changes the database"),
    "create": ("CREATE TABLE x (a INT)", "CREATE changes the database"),
    "create-temp": ("CREATE TEMP TABLE x AS SELECT 1", "CREATE changes the database"),
    "create-view": ("CREATE TEMP VIEW v AS SELECT 1", "CREATE changes the database"),
    "macro": ("CREATE TEMP MACRO m(a) AS a", "changes the database"),
    "drop": ("DROP TABLE entries", "DROP changes the database"),
    "alter": ("ALTER TABLE runs ADD COLUMN z INT", "ALTER changes the database"),
    "vacuum": ("VACUUM", "changes the database"),
    "merge": (
        "MERGE INTO runs USING runs AS s ON true WHEN MATCHED THEN DELETE",
        "MERGE changes the database",
    ),
    "copy-from": ("COPY runs FROM 'x.csv'", "COPY ... FROM writes the database; " + ALWAYS),
    "import": ("IMPORT DATABASE 'somewhere'", "IMPORT DATABASE writes the database"),
    "hidden-write": ("SELECT 1; DELETE FROM entries", "DELETE changes the database"),
    "explain-analyze-write": ("EXPLAIN ANALYZE CREATE TEMP TABLE x AS SELECT 1", "CREATE"),
    "install": ("INSTALL httpfs", "INSTALL and LOAD of extensions are always refused"),
    "force-install": ("FORCE INSTALL httpfs", "INSTALL and LOAD"),
    "load": ("LOAD httpfs", "INSTALL and LOAD"),
    "load-file": ("LOAD '/tmp/evil.duckdb_extension'", "INSTALL and LOAD"),
    "set": ("SET threads = 1", "SET, RESET and USE change settings"),
    "set-access": ("SET enable_external_access = true", "change settings"),
    "unlock": ("SET lock_configuration = false", "change settings"),
    "reset": ("RESET enable_external_access", "change settings"),
    "pragma-set": ("PRAGMA threads = 1", "change settings"),
    "pragma-profile": ("PRAGMA enable_profiling", "PRAGMA enable_profiling changes settings"),
    "use": ("USE memory", "change settings"),
    "variable": ("SET VARIABLE x = 1", "change settings"),
    "transaction": ("BEGIN TRANSACTION", "TRANSACTION statements are refused"),
    "prepare": ("PREPARE p AS SELECT 1", "PREPARE statements are refused"),
    "update-extensions": ("UPDATE EXTENSIONS", "does not know"),
}
NEEDS_FLAG = {
    "copy-to": ("COPY entries TO '{out}'", "COPY ... TO writes a file; " + ALLOW),
    "copy-query-to": ("COPY (SELECT 1) TO '{out}' (FORMAT parquet)", "COPY ... TO writes a file"),
    "export": ("EXPORT DATABASE '{out}'", "EXPORT DATABASE writes files; " + ALLOW),
    "attach": ("ATTACH '{out}' AS other", "ATTACH opens another database file; " + ALLOW),
    "detach": ("DETACH other", "DETACH closes an attached database"),
}
FILE_READS = {
    "read_csv": "SELECT * FROM read_csv('{file}')",
    "read_csv_auto": "SELECT * FROM read_csv_auto('{file}')",
    "read_parquet": "SELECT * FROM read_parquet('{file}')",
    "parquet_scan": "SELECT * FROM parquet_scan('{file}')",
    "read_json": "SELECT * FROM read_json('{file}')",
    "read_json_auto": "SELECT * FROM read_json_auto('{file}')",
    "read_text": "SELECT * FROM read_text('{file}')",
    "read_blob": "SELECT * FROM read_blob('{file}')",
    "glob": "SELECT * FROM glob('{file}')",
    "sniff_csv": "SELECT * FROM sniff_csv('{file}')",
    "query_table": "SELECT * FROM query_table('{file}')",
    "file-as-table": "SELECT * FROM '{file}'",
    "etc-passwd": "SELECT * FROM read_text('/etc/passwd')",
    "url": "SELECT * FROM 'https://example.com/entries.csv'",
    "in-a-cte": "WITH f AS (SELECT * FROM read_csv('{file}')) SELECT * FROM f",
    "in-a-subquery": "SELECT (SELECT count(*) FROM read_text('{file}')) AS n",
}


@pytest.mark.parametrize(("query", "why"), REFUSED.values(), ids=REFUSED.keys())
def test_refused_always(db: Path, query: str, why: str) -> None:
    for allow_files in (False, True):
        with pytest.raises(SqlRefused) as caught:
            run_sql(db, query, allow_files=allow_files)
        message = str(caught.value)
        assert message.startswith("screener sql is read-only: ") and why in message
        assert "\n" not in message


@pytest.mark.parametrize(("query", "why"), NEEDS_FLAG.values(), ids=NEEDS_FLAG.keys())
def test_file_writes_need_the_flag(db: Path, tmp_path: Path, query: str, why: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(SqlRefused, match=why.replace("(", r"\(").replace(".", r"\.")):
        run_sql(db, query.format(out=out))
    assert not out.exists()


@pytest.mark.parametrize("query", FILE_READS.values(), ids=FILE_READS.keys())
def test_file_reads_need_the_flag(db: Path, data_file: Path, query: str) -> None:
    with pytest.raises(SqlRefused) as caught:
        run_sql(db, query.format(file=data_file))
    message = str(caught.value)
    assert "reads or writes files (Cannot access" in message and message.endswith(ALLOW)
    assert "hunter2" not in message


def test_a_path_as_a_table_name_is_not_read(db: Path) -> None:
    with pytest.raises(InputError) as caught:
        run_sql(db, "SELECT * FROM '/etc/passwd'")
    assert "root:" not in str(caught.value)


def test_allow_files_reads_and_writes_files(db: Path, data_file: Path, tmp_path: Path) -> None:
    assert run_sql(db, f"SELECT * FROM read_csv('{data_file}')", allow_files=True)[1] == [
        ("hunter2",)
    ]
    out = tmp_path / "runs.csv"
    run_sql(db, f"COPY runs TO '{out}'", allow_files=True)
    assert out.read_text(encoding="utf-8").startswith("run_id,")
    run_sql(db, f"EXPORT DATABASE '{tmp_path / 'export'}'", allow_files=True)
    assert (tmp_path / "export" / "schema.sql").is_file()


def test_attached_files_stay_read_only(db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    Store(other).close()
    for write in ("CREATE TABLE other.x (a INT)", "DELETE FROM other.runs"):
        with pytest.raises(SqlRefused, match="changes the database; writes are always refused"):
            run_sql(db, f"ATTACH '{other}' AS other; {write}", allow_files=True)
    query = f"ATTACH '{other}' AS other (READ_ONLY); SELECT count(*) FROM other.runs"
    assert run_sql(db, query, allow_files=True)[1] == [(0,)]


def test_bad_sql_is_one_line(db: Path) -> None:
    with pytest.raises(InputError) as caught:
        check_sql("SELEC 1")
    assert str(caught.value).startswith("query failed: Parser Error") and "\n" not in str(
        caught.value
    )
    with pytest.raises(InputError, match="no SQL statement"):
        run_sql(db, "  ;  ")
    with pytest.raises(InputError, match="query failed: Catalog Error"):
        run_sql(db, "SELECT * FROM no_such_table")


def test_a_script_splits_where_the_parser_says() -> None:
    """Standard input runs statement by statement: a ';' in a string or comment splits nothing."""
    script = "SELECT 'a;b' AS x; -- c;d\nSELECT 2;\n\n"
    first, second = split_sql(script)
    assert first.startswith("SELECT 'a;b' AS x;") and second.strip() == "SELECT 2;"
    assert split_sql("  -- nothing\n") == []
    with pytest.raises(InputError) as caught:
        split_sql("SELECT 1; SELEC 2")
    assert str(caught.value).startswith("query failed: Parser Error") and "\n" not in str(
        caught.value
    )


def test_each_statement_of_a_script_is_checked(db: Path) -> None:
    """The workbench checks every statement of a script before it runs any."""
    with pytest.raises(SqlRefused, match="DELETE changes the database"):
        for statement in split_sql("SELECT 1; DELETE FROM entries; SELECT 2"):
            check_sql(statement)
    con = connect_guarded(db)
    try:
        settings = (
            "SELECT current_setting('enable_external_access'),"
            " current_setting('lock_configuration')"
        )
        assert execute_checked(con, settings)[1] == [(False, True)]
        with pytest.raises(SqlRefused, match="the settings are fixed"):
            execute_checked(con, "SET enable_external_access = true")
    finally:
        con.close()


# --- the command --------------------------------------------------------------------------------


def test_cli_refusal_is_one_message_and_exit_2(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "leak.csv"
    proc = run("sql", "--db", db, f"COPY entries TO '{out}'")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert flat(proc.stderr).strip() == (
        "error: screener sql is read-only: COPY ... TO writes a file; " + ALLOW
    )
    assert not out.exists()
    passwd = run("sql", "--db", db, "SELECT * FROM read_text('/etc/passwd')")
    assert passwd.returncode == 2 and "Traceback" not in passwd.stderr
    assert "root:" not in passwd.stdout + passwd.stderr
    write = run("sql", "--db", db, "--allow-files", "DROP TABLE runs")
    assert write.returncode == 2 and "writes are always refused" in flat(write.stderr)


def test_cli_allow_files_and_formats(db: Path, data_file: Path) -> None:
    proc = run("sql", "--db", db, "--allow-files", "--format", "csv", f"FROM '{data_file}'")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["secret", "hunter2"]
    bad = run("sql", "--db", db, "--format", "xml", "SELECT 1")
    assert bad.returncode == 2 and "use table, csv or json" in bad.stderr


def test_cli_table_prints_brackets_as_text(db: Path) -> None:
    proc = run("sql", "--db", db, "SELECT '[/]' AS a, '[bold]x' AS b")
    assert proc.returncode == 0, proc.stderr
    assert "[/]" in proc.stdout and "[bold]x" in proc.stdout


@pytest.mark.parametrize("name", ["$HOME*.csv", "with space.csv", "semi;colon `x`.csv"])
def test_command_line_paths_are_used_as_given(db: Path, tmp_path: Path, name: str) -> None:
    """No shell, no glob, no ~ or $VAR expansion: the file of that very name is read."""
    path = tmp_path / name
    path.write_text("a\nliteral\n", encoding="utf-8")
    (tmp_path / "decoy.csv").write_text("a\ndecoy\n", encoding="utf-8")
    query = f"SELECT * FROM read_csv('{path}')"
    proc = run("sql", "--db", db, "--allow-files", "--format", "csv", query)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["a", "literal"]
    missing = run("sql", "--db", tmp_path / "$HOME no.duckdb", "SELECT 1")
    assert missing.returncode == 2 and "$HOME no.duckdb" in flat(missing.stderr)


# --- rulesets name no file outside their folders -------------------------------------------------

RULESETS = ROOT / "rulesets"


def _child(folder: Path, extends: str) -> Path:
    folder.mkdir(parents=True)
    text = f"extends: {extends}\nname: child-rules\nversion: '1'\n"
    (folder / "ruleset.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def rules_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A rulesets root holding a copy of cmsa-2026 (as 'base'), and a copy outside it."""
    root = tmp_path / "rulesets"
    shutil.copytree(RULESETS / "cmsa-2026", root / "base")
    shutil.copytree(RULESETS / "cmsa-2026", tmp_path / "outside" / "base")
    monkeypatch.setenv("SCREENER_RULESETS", str(root))
    return root


def test_extends_by_name_or_relative_path_loads(rules_root: Path, tmp_path: Path) -> None:
    assert load_ruleset(_child(rules_root / "sibling", "../base")).name == "child-rules"
    assert load_ruleset(_child(rules_root / "by-name", "base")).name == "child-rules"
    assert load_ruleset(_child(tmp_path / "mine" / "r", "base")).name == "child-rules"
    nested = _child(rules_root / "group" / "deeper", "../../base")
    assert load_ruleset(nested).config.hold_threshold == 0.6


@pytest.mark.parametrize(
    ("extends", "why"),
    [
        pytest.param("../../../../../../../etc", "leads outside the rulesets", id="dotdot-etc"),
        pytest.param("../../outside/base", "leads outside the rulesets", id="dotdot-to-a-ruleset"),
        pytest.param("/etc", "is an absolute path", id="absolute"),
        pytest.param(str(RULESETS / "cmsa-2026"), "is an absolute path", id="absolute-ruleset"),
    ],
)
def test_extends_cannot_leave_the_rulesets(rules_root: Path, extends: str, why: str) -> None:
    child = _child(rules_root / "a" / "child", extends)
    with pytest.raises(RulesetError) as caught:
        load_ruleset(child)
    assert any(why in p and f"extends '{extends}'" in p for p in caught.value.problems)


def test_a_linked_base_outside_is_refused(rules_root: Path, tmp_path: Path) -> None:
    (rules_root / "linked").symlink_to(tmp_path / "outside" / "base", target_is_directory=True)
    with pytest.raises(RulesetError) as caught:
        load_ruleset(_child(rules_root / "child", "linked"))
    assert any("leads outside the rulesets" in p for p in caught.value.problems)


@pytest.mark.parametrize("name", ["countries.csv", "ruleset.yaml"])
def test_a_linked_file_outside_is_refused(rules_root: Path, tmp_path: Path, name: str) -> None:
    mine = tmp_path / "mine"
    shutil.copytree(rules_root / "base", mine)
    (mine / name).unlink()
    (mine / name).symlink_to(tmp_path / "outside" / "base" / name)
    problems = check_ruleset(mine)
    assert any(
        f"{mine / name}: a link to" in p and "outside the ruleset folder" in p for p in problems
    ), problems


def test_ruleset_yaml_is_data_not_code(rules_root: Path, tmp_path: Path) -> None:
    planted = tmp_path / "planted"
    mine = rules_root / "mine"
    shutil.copytree(rules_root / "base", mine)
    with (mine / "ruleset.yaml").open("a", encoding="utf-8") as yaml_file:
        yaml_file.write(f"\nbackdoor: !!python/object/apply:os.system ['touch {planted}']\n")
    with pytest.raises(RulesetError, match="cannot read"):
        load_ruleset(mine)
    assert not planted.exists()
    shutil.copy(rules_root / "base" / "ruleset.yaml", mine / "ruleset.yaml")
    with (mine / "ruleset.yaml").open("a", encoding="utf-8") as yaml_file:
        yaml_file.write("\nunknown_key: 1\n")
    assert any("unknown_key" in p and "Extra inputs" in p for p in check_ruleset(mine))


def test_screen_reads_a_file_named_like_a_shell_pattern(tmp_path: Path) -> None:
    odd = tmp_path / "$HOME* q1 entries.csv"
    shutil.copy(ROOT / "sample_entries" / "entries_2026q1_a.csv", odd)
    (tmp_path / "decoy.csv").write_text("entry_number\nX\n", encoding="utf-8")
    db = tmp_path / "~ odd.duckdb"
    proc = run("screen", odd, "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert db.is_file()
    paths = run_sql(db, "SELECT list_extract(inputs::JSON->>'$[*].path', 1) FROM runs")[1]
    assert paths == [(str(odd),)]
