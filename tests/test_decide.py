"""`screener decide`: outcomes of verified lines, and confirmed evasion feeding the history.

One copy of the demo database per module: a held line is decided `confirmed`, another `released`
(through the real CLI), then a later batch naming their manufacturer IDs is screened into the same
file; PRIOR_CONFIRMED_EVASION fires on the first with evidence naming the decided line, not on the
second. The confirmed line also leaves the unit-value and surge baselines.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from cli_helpers import flat, run, sql

from screener.decide import line_outcomes
from screener.explain_view import explain_data
from screener.history import load_history
from screener.ruleset import load_ruleset
from screener.store import Store

LATER = "2027-06-01"


def _held(db: Path, exclude_mid: str = "") -> dict[str, Any]:
    """A held line with a manufacturer ID and a quantity, from the first quarter of 2026."""
    rows = sql(
        db,
        "SELECT entry_number, line_number, manufacturer_id, hts_code, quantity_unit, entry_date,"
        " country_of_origin FROM entries WHERE duty_class = 'HOLD_VERIFY'"
        " AND manufacturer_id IS NOT NULL AND quantity > 0 AND entry_date < DATE '2026-04-01'"
        f" AND manufacturer_id <> '{exclude_mid}'"
        " ORDER BY entry_number, line_number LIMIT 1",
    )
    keys = ("entry", "line", "mid", "hts", "unit", "date", "origin")
    return dict(zip(keys, rows[0], strict=True))


@pytest.fixture(scope="module")
def decided(shared_demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("decide")
    db = tmp / "screening.duckdb"
    shutil.copy(shared_demo_db, db)
    ruleset = load_ruleset()
    with Store(db, read_only=True) as store:
        before = load_history(store, before=date(2026, 4, 1), ruleset=ruleset)
    confirmed = _held(db)
    released = _held(db, exclude_mid=confirmed["mid"])
    confirm = run(
        "decide", "--db", db, confirmed["entry"], "--line", str(confirmed["line"]),
        "--outcome", "confirmed", "--by", "analyst.kim", "--reason", "mill certificate shows CN",
    )  # fmt: skip
    release = run(
        "decide", "--db", db, released["entry"], "--line", str(released["line"]),
        "--outcome", "released", "--by", "analyst.kim", "--reason", "origin documents verified",
    )  # fmt: skip
    with Store(db, read_only=True) as store:
        after = load_history(store, before=date(2026, 4, 1), ruleset=ruleset)
    batch = pl.DataFrame(
        {
            "entry_number": ["ZZT-0000001-4", "ZZT-0000001-4"],
            "line_number": [1, 2],
            "entry_date": [LATER, LATER],
            "hts_code": [confirmed["hts"], released["hts"]],
            "country_of_origin": ["MY", "MY"],
            "entered_value_usd": [10000.0, 10000.0],
            "supplier_name": ["Unrelated Test Trading Sdn Bhd", "Other Test Trading Sdn Bhd"],
            "manufacturer_id": [confirmed["mid"], released["mid"]],
            "importer_id": ["99-000000100", "99-000000200"],
        }
    )
    batch_file = tmp / "later.csv"
    batch.write_csv(batch_file)
    screened = run("screen", batch_file, "--db", db)
    return {
        "db": db,
        "confirmed": confirmed,
        "released": released,
        "confirm": confirm,
        "release": release,
        "screened": screened,
        "before": before,
        "after": after,
    }


def test_decide_records_outcomes(decided: dict[str, Any]) -> None:
    assert decided["confirm"].returncode == 0, decided["confirm"].stderr
    assert decided["release"].returncode == 0, decided["release"].stderr
    c = decided["confirmed"]
    assert f"entry {c['entry']} line {c['line']}" in flat(decided["confirm"].stdout)
    rows = sql(
        decided["db"],
        "SELECT entry_number, line_number, outcome, decided_by, reason, run_id IS NOT NULL"
        " FROM outcomes ORDER BY outcome_id",
    )
    assert rows == [
        (c["entry"], c["line"], "confirmed", "analyst.kim", "mill certificate shows CN", True),
        (
            decided["released"]["entry"],
            decided["released"]["line"],
            "released",
            "analyst.kim",
            "origin documents verified",
            True,
        ),
    ]


def test_confirmed_evasion_fires_on_a_later_line(decided: dict[str, Any]) -> None:
    assert decided["screened"].returncode == 0, decided["screened"].stderr
    c = decided["confirmed"]
    rows = sql(
        decided["db"],
        "SELECT line_number, weight, evidence FROM flags WHERE entry_number = 'ZZT-0000001-4'"
        " AND rule = 'PRIOR_CONFIRMED_EVASION' ORDER BY line_number",
    )
    assert len(rows) == 1, rows  # the released line's manufacturer fires nothing
    line, weight, evidence = rows[0]
    assert line == 1 and weight == 0.6
    assert f"manufacturer ID '{c['mid']}'" in str(evidence)
    assert f"entry {c['entry']} line {c['line']} (entered {c['date']})" in str(evidence)
    assert "by analyst.kim" in str(evidence) and "mill certificate shows CN" in str(evidence)
    risk = sql(
        decided["db"],
        "SELECT line_number, origin_risk >= 0.6 FROM entries"
        " WHERE entry_number = 'ZZT-0000001-4' ORDER BY line_number",
    )
    assert risk[0] == (1, True)


def test_outcomes_show_in_explain_data(decided: dict[str, Any]) -> None:
    c = decided["confirmed"]
    with Store(decided["db"], read_only=True) as store:
        mine = line_outcomes(store, c["entry"], c["line"])
        items = explain_data(store, c["entry"], c["line"])
    assert [(o["outcome"], o["latest"]) for o in mine] == [("confirmed", True)]
    assert [o["outcome"] for o in items[0]["outcomes"]] == ["confirmed"]


def test_confirmed_line_leaves_the_baselines(decided: dict[str, Any]) -> None:
    c, before, after = decided["confirmed"], decided["before"], decided["after"]
    key = (pl.col("hts_code") == c["hts"]) & (pl.col("unit") == c["unit"].strip().lower())
    n_before = before.unit_values.filter(key)["lines"].sum()
    n_after = after.unit_values.filter(key)["lines"].sum()
    assert n_after == n_before - 1
    cell = (pl.col("hts6") == c["hts"][:6]) & (pl.col("origin") == c["origin"])
    hb, ha = before.hts6_origin.filter(cell), after.hts6_origin.filter(cell)
    assert ha["value_usd"].sum() == pytest.approx(hb["value_usd"].sum())  # still counted
    assert ha["baseline_usd"].sum() < hb["baseline_usd"].sum()  # not in the baseline
    assert after.evasion.filter(pl.col("kind") == "manufacturer")["party"].to_list() == [c["mid"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NOPE-0000000-0", "--line", "1", "--outcome", "released"], "is not in"),
        (["{entry}", "--line", "999", "--outcome", "confirmed"], "has no line 999"),
        (["{entry}", "--line", "1", "--outcome", "cleared"], "is not an outcome"),
    ],
    ids=["unknown-entry", "unknown-line", "wrong-outcome"],
)
def test_decide_errors(decided: dict[str, Any], args: list[str], message: str) -> None:
    entry = str(decided["confirmed"]["entry"])
    argv = [a.format(entry=entry) for a in args]
    proc = run("decide", "--db", decided["db"], *argv, "--by", "me", "--reason", "why")
    assert proc.returncode == 2, proc.stdout
    assert message in flat(proc.stderr), proc.stderr
    assert "Traceback" not in proc.stderr


def test_decide_needs_by_and_reason(decided: dict[str, Any]) -> None:
    c = decided["confirmed"]
    proc = run("decide", "--db", decided["db"], c["entry"], "--line", str(c["line"]))
    assert proc.returncode == 2
    assert "decide needs --outcome, --by, --reason" in flat(proc.stderr)
    empty = run(
        "decide", "--db", decided["db"], c["entry"], "--line", str(c["line"]),
        "--outcome", "released", "--by", " ", "--reason", "x",
    )  # fmt: skip
    assert empty.returncode == 2 and "--by is empty" in flat(empty.stderr)


def test_release_needs_a_held_or_flagged_line(decided: dict[str, Any]) -> None:
    rows = sql(
        decided["db"],
        "SELECT entry_number, line_number FROM entries WHERE duty_class <> 'HOLD_VERIFY'"
        " AND len(list_filter(origin_flags, lambda f: f.weight > 0)) = 0"
        " AND len(match_hits) = 0 ORDER BY entry_number LIMIT 1",
    )
    entry, line = rows[0]
    proc = run(
        "decide", "--db", decided["db"], entry, "--line", str(line),
        "--outcome", "released", "--by", "me", "--reason", "x",
    )  # fmt: skip
    assert proc.returncode == 2 and "nothing to release" in flat(proc.stderr)
