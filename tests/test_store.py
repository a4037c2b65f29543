"""The DuckDB store: schema, one-transaction writes, re-runs, views, export, explain."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from screener import schema
from screener.errors import StoreError
from screener.store import RunRecord, Store
from screener.store_sql import duckdb_type

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def hit(entity_id: str, score: float, name: str = "EASTSEA MAGNETICS", **kw: Any) -> dict[str, Any]:
    return {
        "party": "supplier",
        "list_id": "ofac-sdn",
        "list_version": "2026-01 a3f9c1",
        "entity_id": entity_id,
        "name_kind": "aka",
        "matched_name": name,
        "score": score,
        "confirmed": score >= 90,
        "explanation": f"supplier ~ {name} (score {score})",
        **kw,
    }


def flag(rule: str, weight: float, evidence: str = "why") -> dict[str, Any]:
    return {
        "rule": rule,
        "severity": "high" if weight else "info",
        "weight": weight,
        "evidence": evidence,
    }


def make_entries(*rows: dict[str, Any]) -> pl.DataFrame:
    """An entries frame with every schema.RESULT column: defaults, overridden per row."""
    out = []
    for i, row in enumerate(rows, start=1):
        base: dict[str, Any] = dict.fromkeys(schema.RESULT)
        base |= {
            "ruleset_name": "default",
            "ruleset_version": "2026.1",
            "ruleset_hash": "rs123",
            "source": "entries.csv",
            "row_number": i,
            "entry_number": "ABC-1234567-6",
            "line_number": i,
            "entry_date": date(2026, 2, 1),
            "hts_code": "8505110070",
            "country_of_origin": "VN",
            "entered_value_usd": 1000.0,
            "supplier_name": "ACME MAGNETS",
            "transit_ports": [],
            "match_hits": [],
            "origin_flags": [],
            "origin_rules_skipped": [],
            "origin_risk": 0.0,
            "duty_class": "MFN",
            "duty_usd": 10.0,
            "duty_computable": True,
            "duty_trust_fund_usd": 0.0,
        }
        out.append(base | row)
    return pl.DataFrame(out, schema=schema.RESULT)


def make_rejects(n: int = 1) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "run_id": [None] * n,
            "source": ["entries.csv"] * n,
            "row_number": list(range(100, 100 + n)),
            "entry_number": ["BAD-1"] * n,
            "field": ["hts_code"] * n,
            "value": ["85"] * n,
            "reason": ["HTS not 10 digits"] * n,
            "raw": ['{"hts_code": "85"}'] * n,
        },
        schema=schema.REJECTS,
    )


def make_names(*entity_ids: str) -> pl.DataFrame:
    rows = [
        dict.fromkeys(schema.ENTITY_NAMES)
        | {"list_id": "ofac-sdn", "list_version": "v1", "entity_id": e, "name": f"N{e}"}
        | {"name_kind": "primary"}
        for e in entity_ids
    ]
    return pl.DataFrame(rows, schema=schema.ENTITY_NAMES)


def make_run(run_id: str, input_hash: str = "in1", offset: int = 0, **kw: Any) -> RunRecord:
    fields: dict[str, Any] = {
        "run_id": run_id,
        "started_at": T0 + timedelta(hours=offset),
        "finished_at": T0 + timedelta(hours=offset, minutes=5),
        "inputs": [{"path": "entries.csv", "sha256": input_hash, "rows": 3}],
        "input_hash": input_hash,
        "ruleset_name": "default",
        "ruleset_version": "2026.1",
        "ruleset_hash": "rs123",
        "list_versions": {"ofac-sdn": "2026-01 a3f9c1"},
        "lines_in": 3,
        "accepted": 2,
        "rejected": 1,
        "options": {"workers": 4},
        "summary": {},
    }
    return RunRecord(**(fields | kw))


ENTRIES = make_entries(
    {
        "supplier_name": "NINGBO EASTSEA MAGNETIC",
        "entered_value_usd": 5000.0,
        "match_hits": [hit("99", 93.0), hit("77", 85.0, "EAST SEA CO")],
        "origin_flags": [flag("EXPORT_NE_ORIGIN", 0.4), flag("LADED_IN_CONCERN", 0.3)],
        "duty_class": "HOLD_VERIFY",
        "duty_usd": 1355.0,
        "duty_trust_fund_usd": 1355.0,
    },
    {"origin_flags": [flag("ENTRY_CHECK_DIGIT", 0.0)], "duty_usd": None, "duty_computable": False},
    {
        "supplier_name": "NINGBO EASTSEA MAGNETIC",
        "entered_value_usd": 2000.0,
        "match_hits": [hit("99", 88.0, "EASTSEA")],
        "duty_class": "CONCERN_301",
        "duty_usd": 500.0,
        "duty_trust_fund_usd": 500.0,
    },
)


def count(store: Store, table: str) -> int:
    return int(store.query(f"SELECT count(*) FROM {table}")[1][0][0])  # type: ignore[call-overload]


def frame(store: Store, sql: str) -> pl.DataFrame:
    columns, rows = store.query(sql)
    return pl.DataFrame(rows, schema=columns, orient="row")


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "screening.duckdb"
    with Store(path) as store:
        store.write_run(make_run("r1"), ENTRIES, make_rejects(), make_names("99", "77"))
    return path


@pytest.fixture
def db(template_db: Path, tmp_path: Path) -> Path:
    """A database holding run r1 (ENTRIES), copied from a module-wide template (closed file)."""
    return Path(shutil.copy(template_db, tmp_path / "screening.duckdb"))


def test_duckdb_type_follows_schema() -> None:
    assert duckdb_type(schema.MATCH["match_hits"]).startswith('STRUCT("party" VARCHAR')
    assert duckdb_type(schema.ORIGIN["origin_rules_skipped"]) == "VARCHAR[]"
    assert duckdb_type(pl.Datetime("us", "UTC")) == "TIMESTAMPTZ"


def test_schema_has_tables_views_and_run_row(db: Path) -> None:
    with Store(db, read_only=True) as store:
        _, rows = store.query("SELECT table_name FROM information_schema.tables")
        names = {r[0] for r in rows}
        assert names >= {"runs", "entries", "hits", "flags", "rejects", "entity_names", "allowlist"}
        assert names >= {"flagged_lines", "holds", "supplier_hits", "duty_by_class", "trust_fund"}
        cols, _ = store.query("SELECT * FROM entries LIMIT 0")
        assert cols == list(schema.RESULT)
        cols, run = store.query("SELECT started_at, options->>'$.workers' FROM runs")
        assert run == [(datetime(2026, 3, 1, 2, 0), "4")]
        assert store.latest_run_id() == "r1"
        assert store.find_run_by_input("in1") == "r1"
        assert store.find_run_by_input("other") is None


def test_read_only_refuses_writes(db: Path, tmp_path: Path) -> None:
    with Store(db, read_only=True) as store:
        with pytest.raises(StoreError, match="read-only"):
            store.write_run(make_run("r2", "in2"), ENTRIES, make_rejects(), make_names())
        with pytest.raises(StoreError, match="query failed"):
            store.query("DELETE FROM entries")
    with pytest.raises(StoreError, match="no screening database"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_hits_and_flags_are_exploded(db: Path) -> None:
    with Store(db, read_only=True) as store:
        assert count(store, "entries") == 3
        assert count(store, "hits") == sum(len(h) for h in ENTRIES["match_hits"].to_list())
        assert count(store, "flags") == sum(len(f) for f in ENTRIES["origin_flags"].to_list())
        assert count(store, "rejects") == 1
        assert store.query("SELECT DISTINCT run_id FROM rejects")[1] == [("r1",)]
        hits = frame(store, "SELECT * FROM hits ORDER BY line_number, score DESC")
        assert hits.columns == list(schema.HITS)
        assert hits["entity_id"].to_list() == ["99", "77", "99"]
        assert hits["line_number"].to_list() == [1, 1, 3]


def test_entity_names_are_deduplicated(db: Path) -> None:
    names = pl.concat([make_names("99", "55"), make_names("55")])
    with Store(db) as store:
        store.write_run(make_run("r2", "in2", 1), ENTRIES, make_rejects(), names)
        assert frame(store, "SELECT entity_id FROM entity_names ORDER BY 1")[
            "entity_id"
        ].to_list() == [
            "55",
            "77",
            "99",
        ]


def test_same_input_twice_is_refused(db: Path) -> None:
    with Store(db) as store:
        with pytest.raises(StoreError, match=r"already screened in run r1 on 2026-03-01.*--force"):
            store.write_run(make_run("r2", offset=1), ENTRIES, make_rejects(), make_names())
        assert store.query("SELECT run_id FROM runs")[1] == [("r1",)]
        assert count(store, "entries") == 3


def test_force_replaces_the_previous_run(db: Path) -> None:
    fewer = ENTRIES.head(2)
    with Store(db) as store:
        store.write_run(make_run("r2", offset=1), fewer, make_rejects(2), make_names(), force=True)
        assert store.query("SELECT run_id FROM runs")[1] == [("r2",)]
        for table, n in {"entries": 2, "hits": 2, "flags": 3, "rejects": 2}.items():
            assert store.query(f"SELECT run_id, count(*) FROM {table} GROUP BY 1")[1] == [("r2", n)]
        assert count(store, "entity_names") == 2  # names are kept across runs


def test_reused_run_id_is_refused(db: Path) -> None:
    with Store(db) as store, pytest.raises(StoreError, match="run id r1 already exists"):
        store.write_run(make_run("r1", "in2"), ENTRIES, make_rejects(), make_names())


def state(path: Path) -> dict[str, int]:
    with Store(path, read_only=True) as store:
        tables = ("runs", "entries", "hits", "flags", "rejects", "entity_names")
        return {t: count(store, t) for t in tables}


def test_failure_midway_rolls_back(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = state(db)

    def boom(self: Store, source: str) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Store, "_insert_flags", boom)
    with Store(db) as store:
        with pytest.raises(RuntimeError, match="disk full"):
            store.write_run(make_run("r2", "in2", 1), ENTRIES, make_rejects(), make_names("1"))
        monkeypatch.undo()
        # the same connection still works after the rollback
        store.write_run(make_run("r3", "in3", 2), ENTRIES, make_rejects(), make_names())
    after = state(db)
    assert after == before | {"runs": 2, "entries": 6, "hits": 6, "flags": 6, "rejects": 2}


def test_failed_forced_replace_keeps_the_old_run(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = state(db)

    def boom(self: Store, source: str) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(Store, "_insert_entity_names", boom)
    with Store(db) as store, pytest.raises(RuntimeError):
        store.write_run(make_run("r2", offset=1), ENTRIES, make_rejects(), make_names(), force=True)
    assert state(db) == before
    with Store(db, read_only=True) as store:
        assert store.latest_run_id() == "r1"


def test_wrong_dtype_is_refused_and_nothing_written(db: Path) -> None:
    before = state(db)
    bad = ENTRIES.with_columns(pl.col("entered_value_usd").cast(pl.String()))
    with Store(db) as store:
        with pytest.raises(StoreError, match="entered_value_usd is String, expected Float64"):
            store.write_run(make_run("r2", "in2"), bad, make_rejects(), make_names())
        with pytest.raises(StoreError, match="missing columns duty_class"):
            store.write_run(
                make_run("r2", "in2"), ENTRIES.drop("duty_class"), make_rejects(), make_names()
            )
    assert state(db) == before


def test_all_null_columns_are_cast(tmp_path: Path) -> None:
    entries = make_entries({}).with_columns(
        pl.lit(None).alias("duty_reason"), pl.lit(None).alias("supplier_address")
    )
    with Store(tmp_path / "s.duckdb") as store:
        store.write_run(make_run("r1"), entries, schema.empty(schema.REJECTS), make_names())
        assert count(store, "entries") == 1


def test_crash_midway_leaves_previous_state(db: Path) -> None:
    """A process killed inside write_run's transaction: the file reopens as it was."""
    before = state(db)
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path[:0] = [{str(Path(__file__).parents[1])!r}, {str(Path(__file__).parent)!r}]
        from screener.store import Store
        from test_store import ENTRIES, make_names, make_rejects, make_run

        def die(self, source):
            os._exit(3)

        Store._insert_rejects = die
        store = Store({str(db)!r})
        store.write_run(make_run("r2", "in2", 1), ENTRIES, make_rejects(), make_names("5"))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 3, done.stderr
    assert state(db) == before
    with Store(db) as store:  # and takes the same run again
        store.write_run(make_run("r2", "in2", 1), ENTRIES, make_rejects(), make_names())
        assert count(store, "runs") == 2


def test_flagged_lines_and_holds(db: Path) -> None:
    with Store(db, read_only=True) as store:
        flagged = frame(store, "SELECT * FROM flagged_lines ORDER BY line_number")
        # line 2 has only a weight-0 flag and no hit: not flagged
        assert flagged["line_number"].to_list() == [1, 3]
        assert flagged["flag_rules"].to_list() == [["EXPORT_NE_ORIGIN", "LADED_IN_CONCERN"], []]
        assert flagged["flag_count"].to_list() == [2, 0]
        assert flagged["hit_count"].to_list() == [2, 1]
        assert flagged["best_hit_entity_id"].to_list() == ["99", "99"]
        assert flagged["best_hit_score"].to_list() == [93.0, 88.0]
        assert (
            flagged["flag_evidence"][0]
            == "EXPORT_NE_ORIGIN (high): why; LADED_IN_CONCERN (high): why"
        )
        holds = frame(store, "SELECT * FROM holds")
        assert holds.select("run_id", "line_number", "flag_rules").to_dicts() == [
            {
                "run_id": "r1",
                "line_number": 1,
                "flag_rules": ["EXPORT_NE_ORIGIN", "LADED_IN_CONCERN"],
            }
        ]


def test_supplier_hits(db: Path) -> None:
    with Store(db, read_only=True) as store:
        got = frame(
            store,
            "SELECT run_id, supplier_name, entity_id, lines, entered_value_usd, max_score,"
            " matched_name FROM supplier_hits ORDER BY entity_id",
        )
    assert got.rows() == [
        ("r1", "NINGBO EASTSEA MAGNETIC", "77", 1, 5000.0, 85.0, "EAST SEA CO"),
        ("r1", "NINGBO EASTSEA MAGNETIC", "99", 2, 7000.0, 93.0, "EASTSEA MAGNETICS"),
    ]


def test_duty_by_class_and_trust_fund(db: Path) -> None:
    shares = {"trust_fund_shares": {"doe_lpo": 0.5, "dod": 0.25, "dfc": 0.25}}
    with Store(db) as store:
        store.write_run(
            make_run("r2", "in2", 1, summary=shares), ENTRIES, make_rejects(), make_names()
        )
        duty = frame(
            store, "SELECT * EXCLUDE (run_id) FROM duty_by_class WHERE run_id = 'r1' ORDER BY 1"
        )
        fund = frame(store, "SELECT * FROM trust_fund ORDER BY run_id")
    assert duty.rows() == [
        ("CONCERN_301", 1, 2000.0, 500.0, 500.0, 0),
        ("HOLD_VERIFY", 1, 5000.0, 1355.0, 1355.0, 0),
        ("MFN", 1, 1000.0, None, 0.0, 1),
    ]
    assert fund.select(
        "run_id", "lines", "trust_fund_usd", "doe_lpo_usd", "dod_usd", "dfc_usd"
    ).rows() == [
        ("r1", 2, 1855.0, pytest.approx(1113.0), pytest.approx(371.0), pytest.approx(371.0)),
        ("r2", 2, 1855.0, pytest.approx(927.5), pytest.approx(463.75), pytest.approx(463.75)),
    ]


def test_export_parquet_reads_back_equal(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Store(db, read_only=True) as store:
        paths = store.export_parquet("r1", out)
        with pytest.raises(StoreError, match="no run"):
            store.export_parquet("nope", out)
    assert [p.name for p in paths] == [
        "entries.parquet",
        "hits.parquet",
        "flags.parquet",
        "rejects.parquet",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)  # no temp left
    assert_frame_equal(
        pl.read_parquet(out / "entries.parquet"), ENTRIES.with_columns(run_id=pl.lit("r1"))
    )
    assert_frame_equal(
        pl.read_parquet(out / "rejects.parquet"), make_rejects().with_columns(run_id=pl.lit("r1"))
    )
    hits = pl.read_parquet(out / "hits.parquet")
    expected = (
        ENTRIES.select("run_id", "entry_number", "line_number", "match_hits")
        .with_columns(run_id=pl.lit("r1"))
        .explode("match_hits")
        .drop_nulls("match_hits")
        .unnest("match_hits")
    )
    assert_frame_equal(hits, expected)
    assert pl.read_parquet(out / "flags.parquet").schema == pl.Schema(schema.FLAGS)


def test_explain_uses_the_latest_run(db: Path) -> None:
    later = ENTRIES.with_columns(pl.col("supplier_name").str.to_lowercase())
    with Store(db) as store:
        store.write_run(make_run("r2", "in2", 1), later, make_rejects(), make_names())
    with Store(db, read_only=True) as store:
        lines = store.explain("ABC-1234567-6")
        assert [(x["run_id"], x["line_number"]) for x in lines] == [("r2", 1), ("r2", 2), ("r2", 3)]
        first = store.explain("ABC-1234567-6", 1)[0]
        assert first["supplier_name"] == "ningbo eastsea magnetic"
        assert [h["entity_id"] for h in first["hits"]] == ["99", "77"]  # type: ignore[attr-defined]
        assert [f["rule"] for f in first["flags"]] == ["EXPORT_NE_ORIGIN", "LADED_IN_CONCERN"]  # type: ignore[attr-defined]
        assert first["run"]["list_versions"] == {"ofac-sdn": "2026-01 a3f9c1"}  # type: ignore[index]
        assert first["run"]["ruleset_hash"] == "rs123"  # type: ignore[index]
        assert first["entry_date"] == date(2026, 2, 1)
        assert store.explain("ABC-1234567-6", 9) == []
        assert store.explain("NOPE") == []


def test_summary(db: Path) -> None:
    with Store(db, read_only=True) as store:
        got = store.summary("r1")
        with pytest.raises(StoreError, match="no run"):
            store.summary("nope")
    assert (got["accepted"], got["rejected"], got["lines_in"]) == (2, 1, 3)
    assert [d["duty_class"] for d in got["duty_by_class"]] == ["HOLD_VERIFY", "CONCERN_301", "MFN"]  # type: ignore[attr-defined]
    assert got["top_flags"][0] == {"rule": "ENTRY_CHECK_DIGIT", "count": 1}  # type: ignore[index]
    assert got["top_hits"][0] == {  # type: ignore[index]
        "list_id": "ofac-sdn",
        "entity_id": "99",
        "matched_name": "EASTSEA MAGNETICS",
        "lines": 2,
        "max_score": 93.0,
    }
    assert got["trust_fund"]["trust_fund_usd"] == 1855.0  # type: ignore[index]
