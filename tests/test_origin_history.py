"""History rules (DESIGN §6) end to end through the real store: earlier months are screened with
the runner into a DuckDB file, then tonight's file; each rule fires on a planted line, stays quiet
on its twin, and is skipped (and counted in the run summary) where the history is too short.

The main store holds three months of history (2025-12 .. 2026-02) before tonight (2026-03-02):
every rule decides from that alone.
"""

from __future__ import annotations

import json
import math
import shutil
import statistics
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml
from cli_helpers import flat, run, run_benchmark

from screener.entry_number import check_digit
from screener.errors import RulesetError
from screener.history import History, load_history
from screener.pipeline import Screener
from screener.ruleset import load_ruleset
from screener.runner import run_screen
from screener.store import Store

ROOT = Path(__file__).resolve().parent.parent
HISTORY_RULES = (
    "UNIT_VALUE_LOW",
    "NEW_MANUFACTURER_SURGE",
    "ORIGIN_SURGE",
    "ORIGIN_HOPPING",
    "CLASSIFICATION_SHIFT",
)
TONIGHT = date(2026, 3, 2)
MONTHS = (date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1))
# unit values (USD/kg) of the 30 earlier NdFeB lines (8505110070) of a Japanese supplier
PRICES = [40.0, 41.5, 43.0, 44.0, 44.5, 45.0, 46.0, 47.5, 49.0, 44.5] * 3


class Lines:
    """Entry lines written as CSV, numbered so every entry number has a valid check digit."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        day: date,
        hts: str,
        origin: str,
        value: float,
        supplier: str,
        mid: str,
        importer: str,
        quantity: float = 1000.0,
        unit: str = "kg",
        tag: str = "",
    ) -> None:
        base = f"T{len(self.rows) % 90 + 10:02d}{day:%y%m}{len(self.rows):03d}"[:10]
        self.rows.append(
            {
                "entry_number": f"{base[:3]}-{base[3:]}-{check_digit(base)}",
                "line_number": 1,
                "entry_date": day.isoformat(),
                "hts_code": hts,
                "country_of_origin": origin,
                "entered_value_usd": value,
                "supplier_name": supplier,
                "country_of_export": origin,
                "manufacturer_id": mid,
                "manufacturer_name": supplier,
                "importer_id": importer,
                "quantity": quantity,
                "quantity_unit": unit,
                "tag": tag,
            }
        )

    def write(self, path: Path) -> Path:
        pl.DataFrame(self.rows).drop("tag").write_csv(path)
        return path


def _history(months: tuple[date, ...]) -> dict[date, Lines]:
    """The earlier months: one file each."""
    out = {m: Lines() for m in months}
    for m, lines in out.items():
        day = m.replace(day=1)
        # UNIT_VALUE_LOW: 10 NdFeB lines a month from Japan at the PRICES
        for i, price in enumerate(PRICES[:10]):
            lines.add(
                day.replace(day=1 + i),
                "8505110070",
                "JP",
                price * 500,
                "Himeji Kestrelgate Magnet K.K.",
                "JPHIMKES12HIM",
                "20-0000001",
                quantity=500,
            )
        # ORIGIN_SURGE: ceramic magnets from VN, 0.1 M USD in December, 1.6 M USD a month from
        # January
        vn_lines = 1 if m < date(2026, 1, 1) else 4
        for i in range(vn_lines):
            lines.add(
                day.replace(day=1 + i),
                "8505110030",
                "VN",
                100_000.0 if vn_lines == 1 else 400_000.0,
                "Haiphong Amberfield Magnet Co., Ltd",
                "VNHAIAMB7HAI",
                "30-0000001",
                quantity=10_000,
            )
        # NEW_MANUFACTURER_SURGE: six established battery makers, one newcomer from February
        for k in range(6):
            lines.add(
                day.replace(day=2),
                "8507600090",
                "KR",
                200_000.0 + 10_000 * k,
                f"Busan Cell Maker {k} Co., Ltd.",
                f"KRBUSCEL{k}BUS",
                "40-0000001",
                quantity=100,
                unit="No.",
            )
        if m >= date(2026, 2, 1):
            lines.add(
                day.replace(day=3),
                "8507600090",
                "MY",
                900_000.0,
                "Penang Freshcell Sdn Bhd",
                "MYPENFRE5PEN",
                "40-0000002",
                quantity=100,
                unit="No.",
            )
        # ORIGIN_HOPPING: declared CN in December (then nothing until tonight's VN)
        if m < date(2026, 1, 1):
            for i in range(3):
                lines.add(
                    day.replace(day=5 + i),
                    "2846902040",
                    "CN",
                    50_000.0,
                    "Ningbo Eastsea Magnet Co., Ltd.",
                    "CNNINEAS8NIN",
                    "50-0000001",
                )
        # CLASSIFICATION_SHIFT: one importer declared covered magnets before 2026-01-01 ...
        if m < date(2026, 1, 1):
            for i in range(4):
                lines.add(
                    day.replace(day=10 + i),
                    "8505110090",
                    "TH",
                    30_000.0,
                    "Rayong Ferncrest Co., Ltd.",
                    "THRAYFER3RAY",
                    "60-0000001",
                )
            # ... another declared covered magnets and the sibling alike
            for hts in ("8505110090", "8505193000") * 3:
                lines.add(
                    day.replace(day=15),
                    hts,
                    "TH",
                    30_000.0,
                    "Chonburi Glenmoor Co., Ltd.",
                    "THCHOGLE4CHO",
                    "60-0000002",
                )
    return out


def _tonight() -> Lines:
    t = Lines()
    japan = ("Himeji Kestrelgate Magnet K.K.", "JPHIMKES12HIM", "20-0000001")
    t.add(TONIGHT, "8505110070", "JP", 14.2 * 500, *japan, quantity=500, tag="uv_low")
    t.add(TONIGHT, "8505110070", "JP", 45.0 * 500, *japan, quantity=500, tag="uv_ok")
    t.add(TONIGHT, "8505110050", "JP", 5.0 * 500, *japan, quantity=500, tag="uv_short")
    vn = ("Haiphong Amberfield Magnet Co., Ltd", "VNHAIAMB7HAI", "30-0000001")
    t.add(TONIGHT, "8505110030", "VN", 400_000.0, *vn, quantity=10_000, tag="surge")
    fresh = ("Penang Freshcell Sdn Bhd", "MYPENFRE5PEN", "40-0000002")
    t.add(TONIGHT, "8507600090", "MY", 900_000.0, *fresh, quantity=100, unit="No.", tag="new_mid")
    t.add(
        TONIGHT,
        "8507600090",
        "KR",
        250_000.0,
        "Busan Cell Maker 5 Co., Ltd.",
        "KRBUSCEL5BUS",
        "40-0000001",
        quantity=100,
        unit="No.",
        tag="old_mid",
    )
    t.add(
        TONIGHT,
        "2846902040",
        "VN",
        50_000.0,
        "NINGBO EASTSEA MAGNET CO LTD",
        "VNNINEAS8HAI",
        "50-0000001",
        tag="hop",
    )
    thai = ("Rayong Ferncrest Co., Ltd.", "THRAYFER3RAY", "60-0000001")
    t.add(TONIGHT, "8505193000", "TH", 30_000.0, *thai, tag="shift")
    other = ("Chonburi Glenmoor Co., Ltd.", "THCHOGLE4CHO", "60-0000002")
    t.add(TONIGHT, "8505193000", "TH", 30_000.0, *other, tag="no_shift")
    return t


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.load(lists=[f"csv:{ROOT / 'tests' / 'data' / 'lists' / 'good.csv'}"])


def _screen_months(screener: Screener, tmp: Path, months: tuple[date, ...]) -> tuple[Path, Lines]:
    db = tmp / "history.duckdb"
    for month, lines in _history(months).items():
        run_screen([lines.write(tmp / f"entries_{month:%Y%m}.csv")], db=db, screener=screener)
    tonight = _tonight()
    run_screen([tonight.write(tmp / "tonight.csv")], db=db, screener=screener)
    return db, tonight


def _results(db: Path, tonight: Lines) -> dict[str, dict[str, Any]]:
    """Tonight's lines by tag: flags by rule (evidence, weight) and the skipped rules."""
    with Store(db, read_only=True) as store:
        run_id = store.latest_run_id()
        rows = store.dicts(
            "SELECT entry_number, origin_flags, origin_rules_skipped FROM entries WHERE run_id = ?",
            [run_id],
        )
    by_entry = {r["entry_number"]: r for r in rows}
    out: dict[str, dict[str, Any]] = {}
    for line in tonight.rows:
        row = by_entry[line["entry_number"]]
        flags = {f["rule"]: f for f in row["origin_flags"]}
        out[line["tag"]] = {"flags": flags, "skipped": set(row["origin_rules_skipped"])}
    return out


def _summary(db: Path) -> dict[str, Any]:
    with Store(db, read_only=True) as store:
        run_id = store.latest_run_id()
        (row,) = store.dicts("SELECT summary FROM runs WHERE run_id = ?", [run_id])
    summary: dict[str, Any] = json.loads(str(row["summary"]))
    return summary


@pytest.fixture(scope="module")
def three_months(
    screener: Screener, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, dict[str, Any]]]:
    db, tonight = _screen_months(screener, tmp_path_factory.mktemp("three"), MONTHS)
    return db, _results(db, tonight)


Results = tuple[Path, dict[str, dict[str, Any]]]


# --- three months of history suffice ---------------------------------------------------------


def test_three_months_of_history_decide_every_rule(three_months: Results) -> None:
    db, lines = three_months
    summary = _summary(db)["history"]
    assert summary["months"] == 3
    assert summary["first_entry_date"] == "2025-12-01"
    assert summary["before"] == TONIGHT.isoformat()
    tested = zip(("uv_low", "new_mid", "surge", "hop", "shift"), HISTORY_RULES, strict=True)
    for tag, rule in tested:
        assert rule not in lines[tag]["skipped"], tag
        assert rule in lines[tag]["flags"], tag


def test_unit_value_low(three_months: Results) -> None:
    _, lines = three_months
    median = statistics.median(PRICES)
    logs = [math.log(p) for p in PRICES]
    mad = statistics.median(abs(v - statistics.median(logs)) for v in logs)  # on ln(unit value)
    fence = median * math.exp(-3.0 * 1.4826 * max(mad, math.log(1.05)))
    flag = lines["uv_low"]["flags"]["UNIT_VALUE_LOW"]
    assert flag["evidence"] == (
        f"unit value 14.2 USD/kg is below the fence {round(fence, 1)} USD/kg (median {median},"
        f" MAD of ln {mad:.3g}, 30 prior lines of 8505110070)"
    )
    assert flag["weight"] == 0.25
    assert "UNIT_VALUE_LOW" not in lines["uv_ok"]["flags"]
    # 8505110050 from this supplier: too few prior lines for a fence
    assert "UNIT_VALUE_LOW" in lines["uv_short"]["skipped"]
    assert "UNIT_VALUE_LOW" not in lines["uv_short"]["flags"]


def test_origin_surge(three_months: Results) -> None:
    _, lines = three_months
    flag = lines["surge"]["flags"]["ORIGIN_SURGE"]
    days_after = (TONIGHT - date(2026, 1, 1)).days + 1
    after = (8 * 400_000 + 400_000) * 30.4375 / days_after
    before = 100_000 * 30.4375 / 31
    assert flag["evidence"] == (
        f"imports of HTS6 850511 from VN: {round(after / 1e6, 1)} M USD/month since 2026-01-01"
        f" vs {round(before / 1e3, 1)} k USD/month in the 1 month before"
        f" (x{round(after / before, 1)})"
    )
    # Japan ships the same every month: no surge
    assert "ORIGIN_SURGE" not in lines["uv_ok"]["flags"]


def test_new_manufacturer_surge(three_months: Results) -> None:
    _, lines = three_months
    flag = lines["new_mid"]["flags"]["NEW_MANUFACTURER_SURGE"]
    assert flag["evidence"] == (
        "manufacturer ID MYPENFRE5PEN first seen 2026-02-03, already #1 of 7 shippers of HTS6"
        " 850760 by value since 2026-01-01 (1.8 M USD, 37.9% share)"
    )
    assert "NEW_MANUFACTURER_SURGE" not in lines["old_mid"]["flags"]  # shipping since December


def test_origin_hopping(three_months: Results) -> None:
    _, lines = three_months
    flag = lines["hop"]["flags"]["ORIGIN_HOPPING"]
    assert flag["evidence"] == (
        "supplier 'NINGBO EASTSEA MAGNET CO LTD' declared 2 origins for HTS6 284690 since"
        " 2025-09-01: CN 3 line(s) 2025-12-05..2025-12-07, VN 1 line(s) 2026-03-02..2026-03-02;"
        " of concern: CN"
    )
    assert (flag["weight"], flag["severity"]) == (0.45, "high")  # it left an origin of concern
    assert "ORIGIN_HOPPING" not in lines["uv_ok"]["flags"]


def test_classification_shift(three_months: Results) -> None:
    _, lines = three_months
    flag = lines["shift"]["flags"]["CLASSIFICATION_SHIFT"]
    assert flag["evidence"] == (
        "importer 60-0000001 declared 850511 (covered) on 4 line(s) before 2026-01-01 and the"
        " sibling 850519 on 0; this line declares 8505193000; manufacturer ID THRAYFER3RAY"
        " declared 850511 (covered) on 4 line(s) before 2026-01-01 and the sibling 850519 on 0;"
        " this line declares 8505193000"
    )
    # this importer declared the sibling as often as the covered line before the event
    assert "CLASSIFICATION_SHIFT" not in lines["no_shift"]["flags"]


# --- too little history: skipped, and said so -------------------------------------------------


def test_one_month_of_history_skips_and_says_so(tmp_path: Path) -> None:
    """Only February before tonight: no baseline before the 2026-01-01 event, no month before
    the recent window, no history before the event for the sibling lines, too few prior lines
    for a fence. The CLI prints it; runs.summary stores it; each line lists what it skipped."""
    db = tmp_path / "short.duckdb"
    february = _history((date(2026, 2, 1),))[date(2026, 2, 1)].write(tmp_path / "feb.csv")
    tonight = _tonight()
    night = tonight.write(tmp_path / "tonight.csv")
    lists = ("--list", f"csv:{ROOT / 'tests' / 'data' / 'lists' / 'good.csv'}")
    assert run("screen", february, "--db", db, *lists).returncode == 0
    proc = run("screen", night, "--db", db, *lists)
    assert proc.returncode == 0, proc.stderr
    text = flat(proc.stdout)
    n = len(tonight.rows)
    assert "History: 1 month(s)," in text and "before 2026-03-02" in text
    for rule in ("UNIT_VALUE_LOW", "NEW_MANUFACTURER_SURGE", "ORIGIN_SURGE"):
        assert f"History: not enough for {rule} on {n} of {n} lines (needs" in text, rule
    assert f"History: not enough for CLASSIFICATION_SHIFT on 2 of {n} lines" in text
    assert "not enough for ORIGIN_HOPPING" not in text
    history = _summary(db)["history"]
    assert (history["months"], history["first_entry_date"]) == (1, "2026-02-01")
    skipped = {code: r["lines_skipped"] for code, r in history["rules"].items()}
    assert skipped == {
        "PRIOR_CONFIRMED_EVASION": 0,  # a store was read: decided on every line
        "UNIT_VALUE_LOW": n,
        "NEW_MANUFACTURER_SURGE": n,
        "ORIGIN_SURGE": n,
        "ORIGIN_HOPPING": 0,
        "CLASSIFICATION_SHIFT": 2,
    }
    lines = _results(db, tonight)
    assert {"ORIGIN_SURGE", "CLASSIFICATION_SHIFT"} <= lines["shift"]["skipped"]
    assert "ORIGIN_HOPPING" not in lines["hop"]["skipped"]  # decided: CN was in December
    for line in lines.values():
        assert not set(line["flags"]) & {"UNIT_VALUE_LOW", "ORIGIN_SURGE", "CLASSIFICATION_SHIFT"}
    shift = next(r for r in tonight.rows if r["tag"] == "shift")
    explained = flat(run("explain", shift["entry_number"], "--db", db).stdout)
    assert (
        "rules skipped (not enough history): UNIT_VALUE_LOW, NEW_MANUFACTURER_SURGE, ORIGIN_SURGE,"
        " CLASSIFICATION_SHIFT" in explained
    )
    # a forced re-run of tonight does not count tonight's stored lines as its own history
    again = run("screen", night, "--db", db, *lists, "--force")
    assert again.returncode == 0, again.stderr
    assert _results(db, tonight) == lines


def test_library_call_without_history_skips_every_history_rule(screener: Screener) -> None:
    frame = pl.DataFrame(_tonight().rows).drop("tag")
    result = screener.screen(frame)
    fired = result["origin_flags"].explode().struct.field("rule").drop_nulls().to_list()
    assert not set(fired) & set(HISTORY_RULES)
    for skipped in result["origin_rules_skipped"].to_list():
        assert set(HISTORY_RULES) <= set(skipped)


# --- ruleset data: a reference price band, params validated -----------------------------------


def _ruleset_copy(tmp: Path, edit: Any) -> Path:
    copy = tmp / "rs"
    shutil.copytree(ROOT / "rulesets" / "cmsa-2026", copy)
    config = yaml.safe_load((copy / "ruleset.yaml").read_text(encoding="utf-8"))
    edit(config)
    (copy / "ruleset.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return copy


def test_reference_price_band(three_months: Results, screener: Screener, tmp_path: Path) -> None:
    def band(config: dict[str, Any]) -> None:
        config["rules"]["UNIT_VALUE_LOW"]["params"]["reference_prices"] = [
            {"hts_prefix": "850511", "unit": "KG", "min_usd_per_unit": 20, "source": "test band"}
        ]

    ruleset = load_ruleset(_ruleset_copy(tmp_path, band))
    db, _ = three_months
    with Store(db, read_only=True) as store:
        history = load_history(store, before=TONIGHT, ruleset=ruleset)
    frame = pl.DataFrame(_tonight().rows)
    result = Screener(ruleset, screener.names).screen(frame.drop("tag"), history=history)
    flags = {
        tag: {f["rule"]: f["evidence"] for f in flags}
        for tag, flags in zip(frame["tag"], result["origin_flags"].to_list(), strict=True)
    }
    # 8505110050 has too few prior lines for a fence; the band still decides
    assert flags["uv_short"]["UNIT_VALUE_LOW"] == (
        "unit value 5.0 USD/kg is below the reference minimum 20.0 USD/kg for HTS 850511"
        " (test band)"
    )
    assert flags["uv_low"]["UNIT_VALUE_LOW"].endswith(
        "; unit value 14.2 USD/kg is below the reference minimum 20.0 USD/kg for HTS 850511"
        " (test band)"
    )
    assert "UNIT_VALUE_LOW" not in flags["uv_ok"]


def test_rule_params_are_validated(tmp_path: Path) -> None:
    def broken(config: dict[str, Any]) -> None:
        config["rules"]["UNIT_VALUE_LOW"]["params"]["mad_k"] = -1
        config["rules"]["ORIGIN_HOPPING"]["params"]["windows"] = 6
        config["rules"]["EXPORT_NE_ORIGIN"]["params"] = {"x": 1}
        config["duty_events"].reverse()

    with pytest.raises(RulesetError) as caught:
        load_ruleset(_ruleset_copy(tmp_path, broken))
    text = "\n".join(caught.value.problems)
    assert "rules.UNIT_VALUE_LOW.params.mad_k: Input should be greater than 0" in text
    assert "rules.ORIGIN_HOPPING.params.windows: Extra inputs are not permitted" in text
    assert "rules.EXPORT_NE_ORIGIN.params: rule EXPORT_NE_ORIGIN takes no params" in text
    assert "duty_events: dates must be unique and in ascending order" in text


def test_empty_history_describes_itself() -> None:
    history = History.empty()
    assert (history.lines, history.month_count) == (0, 0)
    assert history.describe()["before"] is None


def test_bench_history_runs_tiny() -> None:
    """The history benchmark end to end at a tiny size, so it cannot rot (numbers not asserted)."""
    report, _ = run_benchmark(
        "bench_history.py", "--months", "3", "--lines-per-month", "2000", "--night", "2000"
    )
    assert (report["history_months"], report["night_lines"]) == (3, 2000)
    assert report["origin_stage_s"] > 0
