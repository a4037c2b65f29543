"""Two processes on one database: a second writer waits (bounded by --wait) or stops with one
clean message; a reader during a write gets its result or one clean message; never a traceback,
a corrupted file or interleaved runs."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from cli_helpers import ROOT, flat, run
from test_crash import holds_lock, input_hashes, start, state, variants, wait_for

from screener.errors import StoreError
from screener.store import Store


def finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = proc.communicate(timeout=300)
    return proc.returncode, err


def clean_failure(result: subprocess.CompletedProcess[str] | tuple[int, str]) -> str:
    """Exit 2 with one 'error:' message and no traceback; the message, flattened."""
    code, err = (result.returncode, result.stderr) if not isinstance(result, tuple) else result
    assert code == 2, err
    assert "Traceback" not in err and err.strip().startswith("error: "), err
    return flat(err)


def writing(tmp_path: Path, path: Path, db: Path) -> subprocess.Popen[str]:
    """A real `screener screen` holding the database (its lock file names it)."""
    proc = start(path, db, tmp_path / "pq")
    assert wait_for(holds_lock(db, proc.pid), proc, 120), finish(proc)
    return proc


def test_two_screens_started_together_both_complete_one_after_the_other(tmp_path: Path) -> None:
    db = tmp_path / "screening.duckdb"
    first, second = variants(tmp_path / "in", 2)
    procs = [start(first, db, tmp_path / "pq1"), start(second, db, tmp_path / "pq2")]
    results = [finish(p) for p in procs]
    assert [code for code, _ in results] == [0, 0], results
    assert len(state(db)) == 2  # each run's rows carry its run_id and match its counts
    assert len(input_hashes(db)) == 2


def test_same_input_started_twice_together_is_screened_once(tmp_path: Path) -> None:
    db = tmp_path / "screening.duckdb"
    (path,) = variants(tmp_path / "in", 1)
    results = sorted(finish(start(path, db, tmp_path / f"pq{k}")) for k in range(2))
    assert results[0][0] == 0, results
    assert "already screened" in clean_failure(results[1])
    assert len(state(db)) == 1


def test_readers_during_a_real_run_get_rows_or_one_clean_message(tmp_path: Path) -> None:
    db = tmp_path / "screening.duckdb"
    Store(db).close()  # an empty database for `screener sql` to find
    (path,) = variants(tmp_path / "in", 1)
    one = writing(tmp_path, path, db)
    try:
        result = run("sql", "--db", db, "select count(*) from runs", "--format", "csv")
        if result.returncode != 0:
            assert str(db) in clean_failure(result)
    finally:
        assert finish(one)[0] == 0
    assert len(state(db)) == 1
    result = run("sql", "--db", db, "select count(*) from runs", "--format", "csv")
    assert result.returncode == 0 and result.stdout.splitlines()[-1] == "1", result.stderr


HOLD = """
import sys, time
from screener.store import Store
store = Store(sys.argv[1])
print("ready", flush=True)
time.sleep(float(sys.argv[2]))
"""


def holder(db: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
    return proc


def test_store_waits_for_a_writer_up_to_its_limit(tmp_path: Path) -> None:
    db = tmp_path / "screening.duckdb"
    proc = holder(db, 1.0)
    try:
        with pytest.raises(StoreError, match=rf"being written .*\(pid {proc.pid}, since"):
            Store(db)
        began = time.monotonic()
        with Store(db, wait=30) as store:  # the holder exits after about a second
            assert store.latest_run_id() is None
        assert time.monotonic() - began < 20
    finally:
        proc.communicate(timeout=30)


def test_store_names_a_foreign_duckdb_client(tmp_path: Path) -> None:
    """A read-only DuckDB client (not a screener run) keeps a writer out: the message says so."""
    db = tmp_path / "screening.duckdb"
    Store(db).close()
    client = (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True);"
        " print('ready', flush=True); time.sleep(30)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", client, str(db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
        with pytest.raises(StoreError, match=rf"open in another process \(pid {proc.pid},"):
            Store(db, wait=0.3)
    finally:
        proc.kill()
        proc.communicate(timeout=30)


def test_screen_waits_for_a_writer_then_completes(tmp_path: Path) -> None:
    db = tmp_path / "screening.duckdb"
    (path,) = variants(tmp_path / "in", 1)
    proc = holder(db, 4.0)
    try:
        result = run("screen", path, "--db", db, "--wait", "60")
    finally:
        proc.communicate(timeout=30)
    assert result.returncode == 0, result.stderr
    assert len(state(db)) == 1


def test_screen_without_waiting_stops_cleanly(tmp_path: Path) -> None:
    db = tmp_path / "screening.duckdb"
    (path,) = variants(tmp_path / "in", 1)
    proc = holder(db, 30.0)
    try:
        message = clean_failure(run("screen", path, "--db", db, "--wait", "0"))
        assert f"database {db} is being written by another screener run (pid {proc.pid}, since" in (
            message
        )
        assert "try again later" in message
        with pytest.raises(StoreError, match=rf"another screener run \(pid {proc.pid}, since"):
            Store(db, read_only=True)
        for args in (["sql", "--db", db, "select 1"], ["explain", "9XA-7625306-6", "--db", db]):
            assert str(db) in clean_failure(run(*args))
        with pytest.raises(duckdb.IOException, match="lock"):  # DuckDB's own client: refused
            duckdb.connect(str(db), read_only=True)
    finally:
        proc.kill()
        proc.communicate(timeout=30)
    with Store(db) as store:  # the holder was killed: nothing half written, the lock is free
        assert store.latest_run_id() is None
