"""``screener export``: a run as xlsx, CSV or Parquet sheets, readable and formula-safe.

The xlsx is read back as what it is, a zip of XML (polars' read_excel needs packages we do not
install): sheet names, shared strings, cells, formulas and the frozen pane.
"""

from __future__ import annotations

import csv
import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import duckdb
import polars as pl
import pytest

from tests.cli_helpers import flat, run, sql

EVIL = '=HYPERLINK("http://evil.example","click")'
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
SHEETS = ["Summary", "Held lines", "Hits", "Flags", "Rejects"]


@pytest.fixture(scope="module")
def db(shared_demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database with a held line's supplier renamed to a formula."""
    path = tmp_path_factory.mktemp("export") / "s.duckdb"
    shutil.copy(shared_demo_db, path)
    con = duckdb.connect(str(path))
    con.execute(
        "UPDATE entries SET supplier_name = ? WHERE (entry_number, line_number) = (SELECT"
        " (entry_number, line_number) FROM entries WHERE duty_class = 'HOLD_VERIFY'"
        " ORDER BY 1 LIMIT 1)",
        [EVIL],
    )
    con.close()
    return path


def _counts(db: Path) -> dict[str, int]:
    def one(query: str) -> int:
        return int(str(sql(db, query)[0][0]))

    return {
        "Held lines": one("SELECT count(*) FROM entries WHERE duty_class = 'HOLD_VERIFY'"),
        "Hits": one("SELECT count(*) FROM hits"),
        "Flags": one("SELECT count(*) FROM flags"),
        "Rejects": one("SELECT count(*) FROM rejects"),
    }


def _read_xlsx(path: Path) -> tuple[dict[str, list[list[str]]], dict[str, str]]:
    """Sheet name -> rows of cell texts, and sheet name -> its raw XML."""
    with zipfile.ZipFile(path) as z:
        strings = [
            "".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t"))
            for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS)
        ]
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        names = [s.get("name", "") for s in book.findall("m:sheets/m:sheet", NS)]
        sheets, raw = {}, {}
        for i, name in enumerate(names, start=1):
            xml = z.read(f"xl/worksheets/sheet{i}.xml").decode()
            raw[name] = xml
            rows = []
            for row in ElementTree.fromstring(xml).iter(f"{{{NS['m']}}}row"):
                cells = []
                for c in row.findall("m:c", NS):
                    v = c.find("m:v", NS)
                    text = v.text or "" if v is not None else ""
                    cells.append(strings[int(text)] if c.get("t") == "s" else text)
                rows.append(cells)
            sheets[name] = rows
    return sheets, raw


def test_xlsx_has_readable_sheets_no_formulas_and_a_frozen_header(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "run.xlsx"
    proc = run("export", "--db", db, "--format", "xlsx", "--out", out)
    assert proc.returncode == 0, proc.stderr
    sheets, raw = _read_xlsx(out)
    assert list(sheets) == SHEETS
    for name, count in _counts(db).items():
        assert len(sheets[name]) == count + 1, name  # header + one row per held line/hit/flag
        assert 'ySplit="1"' in raw[name] and 'state="frozen"' in raw[name], name
    assert "<f>" not in "".join(raw.values())  # not one formula in the workbook
    held = sheets["Held lines"]
    header = held[0]
    assert {"Entry number", "Duty (USD)", "Supplier", "Explanation"} <= set(header)
    supplier = [r[header.index("Supplier")] for r in held[1:]]
    assert EVIL in supplier  # kept as text, exactly
    explanation = held[1][header.index("Explanation")]
    assert f"{held[1][0]} line {held[1][1]} (run " in explanation and "flag " in explanation
    summary = dict((r[0], r[1]) for r in sheets["Summary"][1:])
    assert summary["Held lines"] == str(len(held) - 1)
    assert summary["Run"] == str(sql(db, "SELECT run_id FROM runs")[0][0])
    assert {"Entry number", "Entity ID (the list's own)", "Matched name on the list"} <= set(
        sheets["Hits"][0]
    )


def test_csv_folder_escapes_formulas_and_refuses_to_overwrite(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheets"
    assert run("export", "--db", db, "--format", "csv", "--out", out).returncode == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(f"{s.lower().replace(' ', '_')}.csv" for s in SHEETS)
    with (out / "held_lines.csv").open(newline="", encoding="utf-8") as f:
        held = list(csv.DictReader(f))
    assert "'" + EVIL in [r["Supplier"] for r in held]  # a leading ' : text, not a formula
    assert not any(r["Supplier"].startswith(("=", "+", "-", "@")) for r in held)
    assert len(held) == _counts(db)["Held lines"]
    with (out / "flags.csv").open(newline="", encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == _counts(db)["Flags"]

    again = run("export", "--db", db, "--format", "csv", "--out", out)
    assert again.returncode == 2 and "exists; pass --force" in flat(again.stderr)
    (out / "summary.csv").write_text("stale")
    forced = run("export", "--db", db, "--format", "csv", "--out", out, "--force")
    assert forced.returncode == 0, forced.stderr
    assert (out / "summary.csv").read_text(encoding="utf-8").startswith("Item,Value")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_text("precious")
    refused = run("export", "--db", db, "--format", "csv", "--out", mine, "--force")
    assert refused.returncode == 2 and "not an earlier export folder" in flat(refused.stderr)
    assert (mine / "thesis.docx").read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left


def test_parquet_keeps_store_names_and_exact_values(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "pq"
    proc = run("export", "--db", db, "--format", "parquet", "--out", out)
    assert proc.returncode == 0, proc.stderr
    held = pl.read_parquet(out / "held_lines.parquet")
    assert EVIL in held["supplier_name"].to_list()  # programs get the value as stored
    assert held.height == _counts(db)["Held lines"]
    hits = pl.read_parquet(out / "hits.parquet")
    assert hits["score"].sum() == pytest.approx(
        float(str(sql(db, "SELECT sum(score) FROM hits")[0][0]))
    )


def test_export_errors_are_clean(db: Path, tmp_path: Path) -> None:
    cases = {
        "no run 'nope'": ("--run", "nope", "--out", tmp_path / "a.xlsx"),
        "--format 'ods'": ("--format", "ods", "--out", tmp_path / "b"),
        "does not exist": ("--out", tmp_path / "missing" / "c.xlsx"),
    }
    for message, args in cases.items():
        proc = run("export", "--db", db, *args)
        assert proc.returncode == 2, (message, proc.stderr)
        assert message in flat(proc.stderr) and "Traceback" not in proc.stderr
    assert not re.search(r"\.xlsx|^b$", " ".join(p.name for p in tmp_path.iterdir()))
