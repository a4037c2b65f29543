"""``screener generate``: seeded scenario files that ingest cleanly, with a truthful truth.csv."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from cli_helpers import flat, run, sql

from screener.generate import Scenario, generate_scenario
from screener.generate_catalog import IMPLAUSIBLE, PRODUCTS, RELABEL_COUNTRIES, SIBLINGS
from screener.generate_schemes import SCHEMES
from screener.ingest import read_entries
from screener.normalize import locode_country, mid_country
from screener.ruleset import load_ruleset

EVENT = date(2026, 1, 1)
SMALL = Scenario(months=3, lines_per_month=1500, start="2025-11", seed=11)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "scenario"
    generate_scenario(SMALL, out)
    return out


@pytest.fixture(scope="module")
def lines(scenario: Path) -> pl.DataFrame:
    """Every generated line (as text, as a CSV reader sees it) with its truth row, if any."""
    frames = [
        pl.read_csv(p, infer_schema=False).with_columns(pl.lit(p.name).alias("file"))
        for p in sorted(scenario.glob("entries-*.csv"))
    ]
    truth = pl.read_csv(scenario / "truth.csv", infer_schema=False)
    return pl.concat(frames).join(truth, on=["entry_number", "line_number"], how="left")


def _files(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def test_same_seed_gives_byte_identical_files(tmp_path: Path, scenario: Path) -> None:
    generate_scenario(SMALL, tmp_path / "again")
    assert _files(tmp_path / "again") == _files(scenario)
    other = Scenario(months=3, lines_per_month=1500, start="2025-11", seed=12)
    generate_scenario(other, tmp_path / "other")
    assert (
        _files(tmp_path / "other")["entries-2026-01.csv"] != _files(scenario)["entries-2026-01.csv"]
    )


def test_files_are_monthly_and_sort_by_date(scenario: Path, lines: pl.DataFrame) -> None:
    names = sorted(p.name for p in scenario.glob("entries-*.csv"))
    assert names == ["entries-2025-11.csv", "entries-2025-12.csv", "entries-2026-01.csv"]
    assert lines.group_by("file").len()["len"].to_list() == [1500] * 3
    month = lines.select(pl.col("file").str.slice(8, 7), pl.col("entry_date").str.slice(0, 7))
    assert (month["file"] == month["entry_date"]).all()
    assert lines.select("entry_number", "line_number").is_duplicated().sum() == 0


def test_every_file_passes_ingest_with_no_rejects(tmp_path: Path, scenario: Path) -> None:
    ruleset = load_ruleset("cmsa-2026")
    valid = frozenset(ruleset.hts["hts10"].to_list())
    result = read_entries(sorted(scenario.glob("entries-*.csv")), valid_hts=valid)
    assert result.rejects.height == 0, result.rejects.head()
    assert result.accepted.height == 4500
    assert result.accepted["entry_check_digit_ok"].all()
    parquet = Scenario(months=1, lines_per_month=800, start="2026-01", fmt="parquet")
    generate_scenario(parquet, tmp_path / "pq")
    result = read_entries([tmp_path / "pq" / "entries-2026-01.parquet"], valid_hts=valid)
    assert (result.accepted.height, result.rejects.height) == (800, 0)


def test_truth_lists_planted_lines_after_the_event_only(lines: pl.DataFrame) -> None:
    planted = lines.filter(pl.col("scheme").is_not_null())
    assert planted.height > 0
    assert (planted["entry_date"] >= EVENT.isoformat()).all()
    assert set(planted["scheme"]) <= set(SCHEMES) - {"clean"}
    share = planted.height / lines.filter(pl.col("entry_date") >= EVENT.isoformat()).height
    assert 0.02 < share < 0.10
    rules = set(load_ruleset("cmsa-2026").config.rules)
    expected = set(planted["expected_rules"].str.split("; ").explode())
    assert expected <= rules, expected - rules


def test_schemes_show_what_they_claim(lines: pl.DataFrame) -> None:
    """Each planted scheme carries its signal (independent of the rules that look for it)."""
    lines = lines.with_columns(
        mid_country(pl.col("manufacturer_id")).alias("mid_cc"),
        locode_country(pl.col("port_of_lading")).alias("lading_cc"),
    )
    clean = lines.filter(pl.col("scheme").is_null())
    assert (clean["mid_cc"] == clean["country_of_origin"]).all()  # clean MIDs match the origin

    def of(scheme: str) -> pl.DataFrame:
        return lines.filter(pl.col("scheme") == scheme)

    mid = of("transship_mid")
    assert (mid["mid_cc"] == "CN").all()
    assert mid["country_of_origin"].is_in(list(RELABEL_COUNTRIES)).all()
    laden = of("transship_lading")
    via_cn = (laden["lading_cc"] == "CN") | laden["transit_ports"].str.contains("CN").fill_null(
        False
    )
    assert via_cn.all() and (laden["country_of_origin"] != "CN").all()
    assert of("xinjiang")["supplier_address"].str.contains("Xinjiang").all()
    shifted = of("classification_shift")["hts_code"]
    siblings = {next(p.hts for p in PRODUCTS if p.key == s) for s, _ in SIBLINGS.values()}
    assert shifted.is_in(list(siblings)).all()
    implausible = of("implausible_origin")
    allowed = {c for cs in IMPLAUSIBLE.values() for c in cs}
    assert implausible["country_of_origin"].is_in(list(allowed)).all()
    assert implausible["hts_code"].str.slice(0, 4).is_in(["8112", "2825", "8105", "2822"]).all()
    hop = of("origin_hopping")
    before = lines.filter(
        (pl.col("entry_date") < EVENT.isoformat()) & (pl.col("country_of_origin") == "CN")
    )
    assert hop["supplier_name"].str.to_lowercase().is_in(
        before["supplier_name"].str.to_lowercase().implode()
    ).mean() > 0.5  # fmt: skip
    assert (hop["country_of_origin"] != "CN").all()
    unit = of("unit_value_low")
    assert unit.height > 0


def test_catalogue_lines_units_and_programs_match_the_ruleset() -> None:
    ruleset = load_ruleset("cmsa-2026")
    hts = {r["hts10"]: r for r in ruleset.hts.iter_rows(named=True)}
    prefixes = ruleset.coverage["hts_prefix"].to_list()
    for p in PRODUCTS:
        row = hts.get(p.hts10)
        assert row is not None, f"{p.key}: {p.hts} is not in the HTS schedule"
        assert p.unit in row["unit"].split("; "), f"{p.key}: unit {p.unit} vs {row['unit']}"
        programs = set(
            (row["special"] or "").replace(" ", "").split("(")[-1].rstrip(")").split(",")
        )
        listed = {code.rstrip("*+") for code in programs}
        assert p.spi <= listed, f"{p.key}: programs {p.spi - listed} not listed for {p.hts}"
        covered = any(p.hts10.startswith(prefix) for prefix in prefixes)
        assert covered == p.covered, f"{p.key}: covered is {covered} in coverage.csv"


def test_screen_through_the_cli_no_rejects_and_fictitious_names(
    tmp_path: Path, scenario: Path
) -> None:
    db = tmp_path / "g.duckdb"
    files = sorted(scenario.glob("entries-*.csv"))
    proc = run("screen", *files, "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert "4,500 accepted, 0 rejected" in flat(proc.stdout)
    ((hit_lines,),) = sql(db, "SELECT count(DISTINCT (entry_number, line_number)) FROM hits")
    assert int(str(hit_lines)) <= 0.002 * 4500, "invented names should not match listed entities"


def test_bad_arguments_exit_2_without_a_traceback(tmp_path: Path) -> None:
    every = ["--months", "0", "--lines-per-month", "3", "--start", "2025-13", "--format", "xlsx",
             "--planted-share", "0.9"]  # fmt: skip
    for args in (every, ["--event", "next week"], ["--months", "many"]):
        proc = run("generate", "--out", tmp_path / "x", *args)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr
        if args is every:  # every problem at once
            for option in ("--months", "--lines-per-month", "--start", "--format", "--planted"):
                assert option in flat(proc.stderr), option
    assert not (tmp_path / "x").exists()


def test_cli_generate_writes_reports_and_keeps_an_existing_scenario(tmp_path: Path) -> None:
    out = tmp_path / "cli"
    args = ["--months", "2", "--lines-per-month", "400", "--start", "2025-12", "--out", out]
    proc = run("generate", *args)
    assert proc.returncode == 0, proc.stderr
    text = flat(proc.stdout)
    assert "2 file(s), 800 lines" in text and "truth.csv" in text
    assert (out / "scenario.json").exists()
    proc = run("generate", *args, "--seed", "4")  # the folder already holds a scenario
    assert proc.returncode == 2 and "--force" in flat(proc.stderr)
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_a_million_lines_a_month_well_under_a_minute(tmp_path: Path) -> None:
    t0 = time.perf_counter()
    generate_scenario(Scenario(months=1, lines_per_month=1_000_000, start="2026-01"), tmp_path)
    assert time.perf_counter() - t0 < 30
