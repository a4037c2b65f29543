"""``screener calibrate`` and ``score_pair``: labelled pairs in, precision/recall/F1 out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run

import screener
from screener.calibrate import calibrate, metrics, read_pairs
from screener.errors import InputError
from screener.match import build_index, match_names

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "tests" / "data" / "matching" / "nk_name_bench_cases.csv"
COMPANIES = ("Company", "Organization", "LegalEntity")


def _pairs(tmp_path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path = tmp_path / "pairs.csv"
    lines = ["name1,name2,is_match,comment"] + [f'"{a}","{b}",{y},x' for a, b, y in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_score_pair_is_the_pipeline_scorer() -> None:
    """The public scorer gives the score and explanation the pipeline's hit carries."""
    listed = screener.score_pair(
        "Red Lantern Rare Earth Grp Co., Ltd.", "RED LANTERN RARE EARTH GROUP"
    )
    assert listed.score == 100.0
    assert "'grp'~'group'" in listed.explanation
    assert "legal form 'co ltd' ignored" in listed.explanation
    from screener.lists import load_list

    index = build_index(load_list(f"csv:{ROOT / 'lists' / 'fictitious_concern.csv'}"))
    query = "SHIPPER: Jade Harbour Magnetic Materials Trading"
    hit = match_names([query], index, lambda _: (85.0, 95.0)).row(0, named=True)
    pair = screener.score_pair(query, hit["matched_name"])
    assert pair.score == hit["score"]
    assert "entry label 'SHIPPER:' removed" in pair.explanation
    assert "entry label 'SHIPPER:' removed" in hit["explanation"]


def test_metrics_by_hand(tmp_path: Path) -> None:
    path = _pairs(
        tmp_path,
        [
            ("Jade Harbor Magnetics Co Ltd", "Jade Harbor Magnetics", "true"),  # 100: TP
            ("Jade Harbor Exports", "Jade Harbor Imports", "false"),  # low: TN
            ("Acme Widgets", "Banco Nacional de Cuba", "true"),  # low: FN
            ("Red Lantern Rare Earth", "Red Lantern Rare Earth Group", "no"),  # high: FP
        ],
    )
    result = calibrate(path, 85.0)
    at = result.at_review
    assert (at.tp, at.fp, at.fn) == (1, 1, 1)
    assert at.precision == pytest.approx(0.5) and at.recall == pytest.approx(0.5)
    assert at.f1 == pytest.approx(0.5)
    assert result.as_json()["pairs"] == 4
    assert metrics(result.pairs, 101.0).f1 == 0.0


def test_bad_pairs_files(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    missing.write_text("a,b,label\nx,y,true\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        read_pairs(missing)
    bad = _pairs(tmp_path, [("a", "b", "maybe")])
    with pytest.raises(InputError, match=r"row 2, field is_match: 'maybe'"):
        read_pairs(bad)


def test_cli_calibrate_json_on_company_pairs(tmp_path: Path) -> None:
    """The issue's goal: F1 >= 0.92 at the review threshold on the company/organisation rows."""
    scores = tmp_path / "scores.csv"
    args = [f"--schema={s}" for s in COMPANIES]
    done = run("calibrate", BENCH, *args, "--json", "--scores-out", scores)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["review_threshold"] == 85.0
    assert result["pairs"] == 266
    assert result["at_review"]["f1"] >= 0.92
    assert result["best"]["f1"] >= result["at_review"]["f1"]
    assert len(scores.read_text(encoding="utf-8").splitlines()) == 267


def test_cli_calibrate_refuses_a_bad_file(tmp_path: Path) -> None:
    done = run("calibrate", _pairs(tmp_path, [("a", "b", "perhaps")]))
    assert done.returncode == 2
    assert "is_match" in done.stderr and "Traceback" not in done.stderr
