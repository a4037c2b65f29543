"""``screener compare``: a stored run re-priced under two rulesets (default vs the Alliance
scenario), with A checked against what the run itself stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import flat, run, sql

A, B = "cmsa-2026", "cmsa-2026-alliance-scenario"


def _compare(db: Path, *extra: str) -> dict[str, Any]:
    proc = run("compare", "--db", db, "--ruleset", A, "--ruleset", B, "--json", *extra)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def compared(shared_demo_db: Path) -> dict[str, Any]:
    return _compare(shared_demo_db)


def test_a_reproduces_the_stored_run(shared_demo_db: Path, compared: dict[str, Any]) -> None:
    stored = {
        cls: (int(str(n)), round(float(str(usd or 0)), 2))
        for cls, n, usd in sql(
            shared_demo_db, "SELECT duty_class, count(*), sum(duty_usd) FROM entries GROUP BY 1"
        )
    }
    by_class = {
        r["class"]: (r["lines_a"], round(r["duty_a_usd"], 2))
        for r in compared["class"]
        if r["lines_a"]
    }
    assert by_class.keys() == stored.keys()
    for cls, (lines, usd) in stored.items():
        assert by_class[cls][0] == lines and by_class[cls][1] == pytest.approx(usd, abs=0.01), cls
    assert compared["a_equals_stored"] is True  # line by line: class and duty
    total = sql(shared_demo_db, "SELECT round(sum(duty_usd), 2) FROM entries")[0][0]
    assert compared["a"]["duty_usd"] == pytest.approx(float(str(total)))
    assert "kept as the run recorded them" in compared["kept"]


def test_the_alliance_scenario_frees_lines_and_lowers_the_total(compared: dict[str, Any]) -> None:
    lines_b = {r["class"]: r["lines_b"] for r in compared["class"]}
    lines_a = {r["class"]: r["lines_a"] for r in compared["class"]}
    assert lines_b["ALLIANCE_FREE"] > 0 and lines_a.get("ALLIANCE_FREE", 0) == 0
    assert compared["b"]["duty_usd"] < compared["a"]["duty_usd"]
    diff = compared["b"]["duty_usd"] - compared["a"]["duty_usd"]
    for group in ("class", "origin", "hts6"):  # every table adds up to the same difference
        assert sum(r["diff_usd"] for r in compared[group]) == pytest.approx(diff, abs=0.05)
        assert sum(r["lines_a"] for r in compared[group]) == compared["a"]["lines"]
    members = {"AU", "CA", "JP", "KR", "GB"}
    moved = {r["origin"] for r in compared["origin"] if r["diff_usd"] < 0}
    assert moved and moved <= members  # only the scenario's members pay less
    assert any(m["class_a"] == "MFN" and m["class_b"] == "ALLIANCE_FREE" for m in compared["moves"])


def test_as_of_prices_every_line_on_one_date(
    shared_demo_db: Path, compared: dict[str, Any]
) -> None:
    later = _compare(shared_demo_db, "--as-of", "2027-06-30")
    free = {r["class"]: r["lines_b"] for r in later["class"]}["ALLIANCE_FREE"]
    assert free > {r["class"]: r["lines_b"] for r in compared["class"]}["ALLIANCE_FREE"]
    assert later["a_equals_stored"] is None  # not the run's own pricing any more
    shown = run(
        "compare", "--db", shared_demo_db, "--ruleset", A, "--ruleset", B, "--as-of", "2027-06-30"
    )
    assert shown.returncode == 0, shown.stderr
    text = flat(shown.stdout)
    assert "Duty by class" in text and "Duty by country of origin" in text
    assert "Duty by HTS6" in text and "MFN -> ALLIANCE_FREE" in text
    assert "every line priced as if entered on 2027-06-30" in text


def test_compare_errors_are_clean(shared_demo_db: Path) -> None:
    db = shared_demo_db
    cases = {
        "give exactly two": ("--ruleset", A),
        "is not a date": ("--ruleset", A, "--ruleset", B, "--as-of", "30/06/2027"),
        "no run 'nope'": ("--ruleset", A, "--ruleset", B, "--run", "nope"),
    }
    for message, args in cases.items():
        proc = run("compare", "--db", db, *args)
        assert proc.returncode == 2, (message, proc.stderr)
        assert message in flat(proc.stderr) and "Traceback" not in proc.stderr
