"""The allowlist: an analyst's "supplier X is not entity Y" suppresses that pair in later runs
until it expires, is revoked or the entity's names change; every step is audited and explained."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest
from cli_helpers import flat, run, sql

from screener import InputError, Screener
from screener.allowlist import add_decision, explain_notes, review_decisions, revoke_decision
from screener.runner import run_screen
from screener.store import Store

ROOT = Path(__file__).resolve().parent.parent
CONCERN = ROOT / "lists" / "fictitious_concern.csv"
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
JADE = "Jade Harbor Magnetics Co., Ltd."  # supplier of line 1; FX-0002's primary name
ENTRIES = f"""entry_number,line_number,entry_date,hts_code,country_of_origin,entered_value_usd,supplier_name,country_of_export,manufacturer_name
ABC-1234567-6,1,2026-02-10,8505.11.0070,VN,10000,"{JADE}",VN,
ABC-1234567-6,2,2026-02-10,8505.11.0070,VN,20000,Hanoi Clean Magnet Works,VN,Jade Harbour Magnetic Materials
ABC-1234567-6,3,2026-02-10,8505.11.0070,VN,5000,Mekong Bright Magnets,VN,"{JADE}"
"""  # noqa: E501


@pytest.fixture
def entries(tmp_path: Path) -> Path:
    path = tmp_path / "entries.csv"
    path.write_text(ENTRIES, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def screener_v1() -> Screener:
    return Screener.load(lists=[f"csv:{CONCERN}"])


@pytest.fixture(scope="module")
def screener_v2(tmp_path_factory: pytest.TempPathFactory) -> Screener:
    """The same list with one more alias of FX-0002: its names changed, FX-0007's did not."""
    text = CONCERN.read_text(encoding="utf-8").replace(
        "Jade Harbour Magnetic Materials;", "Jade Harbour Magnetic Materials;Jade Harbor NB;"
    )
    assert "Jade Harbor NB" in text
    path = tmp_path_factory.mktemp("v2") / CONCERN.name
    path.write_text(text, encoding="utf-8")
    return Screener.load(lists=[f"csv:{path}"])


def screen(db: Path, entries: Path, screener: Screener) -> str:
    return run_screen([entries], db=db, screener=screener, force=True).run_id


def line(db: Path, run_id: str, n: int) -> dict[str, object]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute(
            "SELECT duty_class, match_best_score, origin_risk,"
            " list_transform(match_hits, lambda h: h.entity_id) AS hits,"
            " list_transform(origin_flags, lambda f: f.rule) AS rules"
            " FROM entries WHERE run_id = ? AND line_number = ?",
            [run_id, n],
        )
        row = cur.fetchone()
        assert row is not None
        return dict(zip([d[0] for d in cur.description or []], row, strict=True))
    finally:
        con.close()


def decide(
    db: Path, supplier: str = JADE, entity: str = "fictitious-concern:FX-0002", **kw: object
) -> int:
    args: dict[str, object] = {
        "reason": "other company",
        "by": "j.doe",
        "expires": None,
        "now": NOW,
    }
    with Store(db) as store:
        row = add_decision(store, supplier=supplier, entity=entity, **(args | kw))  # type: ignore[arg-type]
    return int(str(row["allowlist_id"]))


# --- the CLI --------------------------------------------------------------------------------


def test_cli_allow_suppresses_the_pair_and_explain_says_so(entries: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    lists = ("--list", f"csv:{CONCERN}")
    assert run("screen", entries, "--db", db, *lists).returncode == 0
    assert sql(db, "SELECT line_number, entity_id FROM hits ORDER BY 1, 2") == [
        (1, "FX-0002"),
        (2, "FX-0002"),
        (3, "FX-0002"),
        (3, "FX-0007"),
    ]
    added = run(
        "allow", "--db", db, "--supplier", JADE, "--entity", "fictitious-concern:FX-0002",
        "--reason", "Hai Phong company, VN registry 0201234567", "--by", "j.doe",
        "--expires", "2099-12-31",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "allowlist decision #1" in flat(added.stdout)

    again = run("screen", entries, "--db", db, *lists, "--force")
    assert again.returncode == 0, again.stderr
    assert "2 hit(s) suppressed by 1 active decision(s)" in flat(again.stdout)
    # line 1: the supplier's hit is gone, and with it the flag and the concern sourcing
    assert sql(db, "SELECT line_number, entity_id FROM hits ORDER BY 1, 2") == [
        (2, "FX-0002"),  # another name of FX-0002 ('Jade Harbour Magnetic Materials')
        (3, "FX-0007"),  # line 3's manufacturer is JADE: suppressed, its supplier still hits
    ]
    assert sql(db, "SELECT rule FROM flags WHERE line_number = 1") == []
    assert sql(db, "SELECT duty_class, origin_risk FROM entries WHERE line_number = 1") == [
        ("MFN", 0.0)
    ]
    assert sql(db, "SELECT count(*) FROM flagged_lines WHERE line_number = 1") == [(0,)]
    # ... but kept for the auditor
    assert sql(
        db,
        "SELECT line_number, party, entity_id, score, allowlist_id FROM suppressed_hits ORDER BY 1",
    ) == [(1, "supplier", "FX-0002", 100.0, 1), (3, "manufacturer", "FX-0002", 100.0, 1)]

    explained = run("explain", "ABC-1234567-6", "--line", "1", "--db", db)
    assert explained.returncode == 0, explained.stderr
    text = flat(explained.stdout)
    assert (
        "hit on fictitious-concern entity FX-0002 suppressed by allowlist decision #1 by j.doe"
        " on 2026-" in text
    )
    assert ": Hai Phong company, VN registry 0201234567 (expires 2099-12-31)" in text
    assert "Jade Harbor Magnetics Co Ltd" in text  # the suppressed hit itself

    shown = run("allow", "--db", db, "--list", "--audit")
    assert shown.returncode == 0, shown.stderr
    assert "active" in shown.stdout and "j.doe" in shown.stdout and "add" in shown.stdout


def test_cli_allow_errors_are_clean(entries: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    assert run("screen", entries, "--db", db, "--list", f"csv:{CONCERN}").returncode == 0
    base = ("allow", "--db", db, "--supplier", JADE, "--reason", "r", "--by", "me")
    cases = {
        "is not on list fictitious-concern": (*base, "--entity", "fictitious-concern:FX-9999"),
        "list 'nope' is not in": (*base, "--entity", "nope:1"),
        "is not LIST:ID": (*base, "--entity", "FX-0002"),
        "'31/12/2026' is not a date; use YYYY-MM-DD": (
            *base, "--entity", "fictitious-concern:FX-0002", "--expires", "31/12/2026",
        ),
        "needs --entity, --reason, --by": ("allow", "--db", db, "--supplier", JADE),
        "no allowlist decision #7": ("allow", "--db", db, "--revoke", "7", "--by", "me",
                                     "--reason", "r"),
        "does not exist": ("allow", "--db", tmp_path / "none.duckdb", "--list"),
    }  # fmt: skip
    for message, args in cases.items():
        proc = run(*args)
        assert proc.returncode == 2, (message, proc.stdout, proc.stderr)
        assert message in flat(proc.stderr), (message, proc.stderr)
        assert "Traceback" not in proc.stderr
    assert sql(db, "SELECT count(*) FROM allowlist") == [(0,)]
    assert not (tmp_path / "none.duckdb").exists()


def test_cli_past_expiry_warns_and_suppresses_nothing(entries: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    lists = ("--list", f"csv:{CONCERN}")
    assert run("screen", entries, "--db", db, *lists).returncode == 0
    added = run(
        "allow", "--db", db, "--supplier", JADE, "--entity", "fictitious-concern:FX-0002",
        "--reason", "checked", "--by", "me", "--expires", "2020-01-01",
    )  # fmt: skip
    assert added.returncode == 0 and "in the past" in flat(added.stderr)
    again = run("screen", entries, "--db", db, *lists, "--force")
    assert "decision #1" in flat(again.stdout) and "expired on 2020-01-01" in flat(again.stdout)
    assert sql(db, "SELECT count(*) FROM hits WHERE line_number = 1") == [(1,)]
    assert sql(db, "SELECT count(*) FROM suppressed_hits") == [(0,)]
    assert sql(db, "SELECT action, acted_by, run_id IS NOT NULL FROM allowlist_audit") == [
        ("add", "me", False),
        ("expire", "screener", True),
    ]
    explained = flat(run("explain", "ABC-1234567-6", "--line", "1", "--db", db).stdout)
    assert "not suppressed: allowlist decision #1 by me" in explained
    assert "expired on 2020-01-01" in explained


# --- the library: expiry, revocation, changed names ------------------------------------------


def test_expiry_is_inclusive_of_its_date(
    entries: Path, tmp_path: Path, screener_v1: Screener
) -> None:
    db = tmp_path / "s.duckdb"
    screen(db, entries, screener_v1)
    decide(db, expires=date(2026, 6, 30))
    with Store(db) as store:
        on_the_day = review_decisions(store, screener_v1.names, today=date(2026, 6, 30), now=NOW)
        after = review_decisions(store, screener_v1.names, today=date(2026, 7, 1), now=NOW)
    assert on_the_day.active["allowlist_id"].to_list() == [1]
    assert on_the_day.events.is_empty()
    assert after.active.is_empty()
    assert after.events["action"].to_list() == ["expire"]


def test_revoked_decision_no_longer_suppresses(
    entries: Path, tmp_path: Path, screener_v1: Screener
) -> None:
    db = tmp_path / "s.duckdb"
    screen(db, entries, screener_v1)
    n = decide(db)
    assert line(db, screen(db, entries, screener_v1), 1)["hits"] == []
    with Store(db) as store:
        revoke_decision(store, n, by="a.lead", reason="registry shows common owner", now=NOW)
        with pytest.raises(InputError, match=r"already revoked by a\.lead"):
            revoke_decision(store, n, by="a.lead", reason="again", now=NOW)
    later = line(db, screen(db, entries, screener_v1), 1)
    assert later["hits"] == ["FX-0002"] and "ENTITY_OF_CONCERN" in later["rules"]  # type: ignore[operator]
    assert later["duty_class"] == "CONCERN_301"
    assert sql(db, "SELECT action, acted_by, reason FROM allowlist_audit ORDER BY audit_id") == [
        ("add", "j.doe", "other company"),
        ("revoke", "a.lead", "registry shows common owner"),
    ]
    assert sql(db, "SELECT state FROM allowlist_decisions") == [("revoked",)]


def test_changed_entity_names_lift_the_suppression(
    entries: Path, tmp_path: Path, screener_v1: Screener, screener_v2: Screener
) -> None:
    db = tmp_path / "s.duckdb"
    screen(db, entries, screener_v1)
    decide(db)  # FX-0002, whose names change in v2
    decide(db, supplier="Mekong Bright Magnets", entity="fictitious-concern:FX-0007")  # unchanged
    first = screen(db, entries, screener_v1)
    assert line(db, first, 1)["hits"] == [] and line(db, first, 3)["hits"] == []

    outcome = run_screen([entries], db=db, screener=screener_v2, force=True)
    assert len(outcome.allowlist_notes) == 1
    assert "decision #1" in outcome.allowlist_notes[0]
    assert "FX-0002 has different names in list version" in outcome.allowlist_notes[0]
    assert line(db, outcome.run_id, 1)["hits"] == ["FX-0002"]  # lifted
    assert line(db, outcome.run_id, 3)["hits"] == ["FX-0002"]  # FX-0007's decision holds
    assert sql(
        db, "SELECT allowlist_id, action, run_id FROM allowlist_audit WHERE action = 'lapse'"
    ) == [(1, "lapse", outcome.run_id)]
    assert sql(db, "SELECT allowlist_id, state FROM allowlist_decisions ORDER BY 1") == [
        (1, "lapsed"),
        (2, "active"),
    ]
    with Store(db, read_only=True) as store:
        (explained,) = store.explain("ABC-1234567-6", 1)
        (note,) = explain_notes(store, explained)
    assert "not suppressed: allowlist decision #1 by j.doe" in note
    assert "was lifted: fictitious-concern entity FX-0002 has different names" in note
    # lapsed for good: the old names again do not bring it back; the analyst decides anew
    assert line(db, screen(db, entries, screener_v1), 1)["hits"] == ["FX-0002"]


def test_decision_is_checked_against_the_stored_list(
    entries: Path, tmp_path: Path, screener_v1: Screener
) -> None:
    db = tmp_path / "s.duckdb"
    with Store(db) as store, pytest.raises(InputError, match=r"lists there: none.*lists update"):
        add_decision(
            store,
            supplier=JADE,
            entity="fictitious-concern:FX-0002",
            reason="r",
            by="b",
            expires=None,
            now=NOW,
        )
    screen(db, entries, screener_v1)
    decide(db)
    with pytest.raises(InputError, match=r"decision #1 already says"):
        decide(db, supplier="JADE HARBOR MAGNETICS LIMITED")  # the same key
    with pytest.raises(InputError, match="no letters or digits"):
        decide(db, supplier="  ---  ")
    with pytest.raises(InputError, match="--by is empty"):
        decide(db, supplier="Other Name", by=" ")


def test_a_failed_decision_write_leaves_nothing(
    entries: Path, tmp_path: Path, screener_v1: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "s.duckdb"
    screen(db, entries, screener_v1)
    real = Store.append

    def fail_on_audit(self: Store, table: str, frame: pl.DataFrame, **kw: str | None) -> None:
        if table == "allowlist_audit":
            raise RuntimeError("disk full")
        real(self, table, frame, **kw)

    monkeypatch.setattr(Store, "append", fail_on_audit)
    with pytest.raises(RuntimeError, match="disk full"):
        decide(db)
    assert sql(db, "SELECT count(*) FROM allowlist") == [(0,)]


def test_an_older_database_is_migrated_in_place(tmp_path: Path) -> None:
    """A file made before the allowlist columns existed: the new columns and tables are added,
    its rows kept; read-only, it still explains."""
    db = tmp_path / "old.duckdb"
    with Store(db):
        pass
    con = duckdb.connect(str(db))
    for table in (
        "allowlist_audit",
        "suppressed_hits",
        "list_versions",
        "rescreens",
        "rescreen_hits",
    ):
        con.execute(f"DROP TABLE {table}")
    con.execute("DROP VIEW allowlist_decisions")
    con.execute("DROP VIEW current_list_versions")
    con.execute("DROP TABLE allowlist")
    con.execute(
        "CREATE TABLE allowlist (supplier_key VARCHAR, list_id VARCHAR, entity_id VARCHAR,"
        " list_version VARCHAR, decided_by VARCHAR, decided_at TIMESTAMP, reason VARCHAR,"
        " expires_at DATE)"
    )
    con.execute("INSERT INTO allowlist VALUES ('acme', 'x', '1', 'v', 'me', now(), 'r', NULL)")
    con.close()
    with Store(db, read_only=True) as store:
        assert not store.has_table("suppressed_hits")
        assert store.explain("NOPE") == []
    with Store(db) as store:
        assert store.has_table("suppressed_hits") and store.has_table("rescreen_hits")
        rows = store.dicts("SELECT supplier_key, allowlist_id, names_hash FROM allowlist")
    assert rows == [{"supplier_key": "acme", "allowlist_id": None, "names_hash": None}]
