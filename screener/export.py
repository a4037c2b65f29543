"""One run for the people who live in spreadsheets: xlsx, or a folder of CSV or Parquet files.

Sheets: Summary (run, versions, counts, totals), Held lines (each with its explanation text, the
one ``screener explain`` shows), Hits, Flags and Rejects (the rows to fix in the source data).
xlsx and CSV get readable column names ("Entry number", "Duty (USD)"); Parquet, for programs,
keeps the store's column names and exact values.

A supplier name is data, never a formula: in xlsx every text is written as a string cell
(xlsxwriter's ``strings_to_formulas`` off); in CSV a text starting with = + - @ or a tab or
carriage return gets a leading apostrophe (the OWASP advice), since a spreadsheet opening a CSV
reads such a cell as a formula. Output is written next to PATH under a temporary name and renamed
into place, so a crash never leaves half a file at PATH.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import polars as pl
from xlsxwriter import Workbook

from screener.errors import InputError, StoreError
from screener.explain_view import explain_data, explain_text

if TYPE_CHECKING:
    from screener.store import Store

__all__ = ["FORMATS", "export_run", "read_sheets"]

Format = Literal["xlsx", "csv", "parquet"]
FORMATS: tuple[Format, ...] = ("xlsx", "csv", "parquet")
_FORMULA_START = r"^[=+\-@\t\r]"

_LINE = "e.entry_number, e.line_number"
SHEETS: dict[str, str] = {  # sheet -> its rows for one run (parameter: the run id)
    "Held lines": (
        "SELECT entry_number, line_number, entry_date, importer_id, supplier_name,"
        " manufacturer_name, country_of_origin, country_of_export, hts_code, duty_mineral,"
        " entered_value_usd, origin_risk, duty_class, duty_rate_pct, duty_usd, match_best_score,"
        " array_to_string(list_transform(origin_flags, lambda f: f.rule), ', ') AS flag_rules,"
        " duty_reason FROM entries WHERE run_id = ? AND duty_class = 'HOLD_VERIFY'"
        " ORDER BY entry_number, line_number"
    ),
    "Hits": (
        f"SELECT {_LINE}, h.party, CASE h.party WHEN 'supplier' THEN e.supplier_name"
        " ELSE e.manufacturer_name END AS party_name, e.country_of_origin, h.list_id,"
        " h.list_version, h.entity_id, h.name_kind, h.matched_name, h.score, h.confirmed,"
        " e.duty_class, h.explanation FROM hits AS h JOIN entries AS e"
        " USING (run_id, entry_number, line_number) WHERE h.run_id = ?"
        f" ORDER BY {_LINE}, h.score DESC, h.list_id, h.entity_id"
    ),
    "Flags": (
        f"SELECT {_LINE}, e.supplier_name, e.country_of_origin, e.hts_code, f.rule, f.severity,"
        " f.weight, e.origin_risk, e.duty_class, f.evidence FROM flags AS f JOIN entries AS e"
        " USING (run_id, entry_number, line_number) WHERE f.run_id = ?"
        f" ORDER BY {_LINE}, f.weight DESC, f.rule"
    ),
    "Rejects": (
        "SELECT source, row_number, entry_number, field, value, reason, raw FROM rejects"
        " WHERE run_id = ? ORDER BY source, row_number, field"
    ),
}
LABELS: dict[str, str] = {
    "item": "Item",
    "value": "Value",
    "entry_number": "Entry number",
    "line_number": "Line",
    "entry_date": "Entry date",
    "importer_id": "Importer",
    "supplier_name": "Supplier",
    "manufacturer_name": "Manufacturer",
    "country_of_origin": "Country of origin",
    "country_of_export": "Country of export",
    "hts_code": "HTS code",
    "duty_mineral": "Mineral",
    "entered_value_usd": "Entered value (USD)",
    "origin_risk": "Origin risk (0-1)",
    "duty_class": "Duty class",
    "duty_rate_pct": "Duty rate (%)",
    "duty_usd": "Duty (USD)",
    "match_best_score": "Best match score (0-100)",
    "flag_rules": "Flags",
    "duty_reason": "Duty reason",
    "explanation": "Explanation",
    "party": "Party",
    "party_name": "Party name as declared",
    "list_id": "List",
    "list_version": "List version",
    "entity_id": "Entity ID (the list's own)",
    "name_kind": "Name kind",
    "matched_name": "Matched name on the list",
    "score": "Match score (0-100)",
    "confirmed": "Confirmed",
    "rule": "Rule",
    "severity": "Severity",
    "weight": "Weight",
    "evidence": "Evidence",
    "source": "Source file",
    "row_number": "Row in source",
    "field": "Field",
    "reason": "Reason",
    "raw": "Row as read (JSON)",
}
WIDE = frozenset({"Explanation", "Duty reason", "Evidence", "Row as read (JSON)"})


def read_sheets(store: Store, run_id: str) -> dict[str, pl.DataFrame]:
    """The run's sheets with the store's column names, in sheet order."""
    if not store.dicts("SELECT run_id FROM runs WHERE run_id = ?", [run_id]):
        raise StoreError(f"no run {run_id!r} in {store.path}; `screener sql` lists the runs")
    frames = {name: store.frame(sql, [run_id]) for name, sql in SHEETS.items()}
    held = frames["Held lines"]
    texts = [
        explain_text(explain_data(store, entry, line, run_id=run_id)[0])
        for entry, line in held.select("entry_number", "line_number").iter_rows()
    ]
    frames["Held lines"] = held.with_columns(pl.Series("explanation", texts, dtype=pl.String))
    frames = {"Summary": _summary(store, run_id, frames), **frames}
    return frames


def _summary(store: Store, run_id: str, frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    run = store.dicts("SELECT * FROM runs WHERE run_id = ?", [run_id])[0]
    totals = store.dicts(
        "SELECT sum(entered_value_usd) AS value, sum(duty_usd) AS duty,"
        " sum(duty_trust_fund_usd) AS fund FROM entries WHERE run_id = ?",
        [run_id],
    )[0]
    rows: list[tuple[str, object]] = [
        ("Run", run_id),
        ("Started at (UTC)", run["started_at"]),
        ("Ruleset", f"{run['ruleset_name']} {run['ruleset_version']} #{run['ruleset_hash']}"),
    ]
    versions = store.dicts(
        "SELECT key, value FROM json_each((SELECT list_versions FROM runs WHERE run_id = ?))",
        [run_id],
    )
    rows += [(f"List version: {v['key']}", str(v["value"]).strip('"')) for v in versions]
    rows += [
        ("Input hash", run["input_hash"]),
        ("Lines in", run["lines_in"]),
        ("Lines accepted", run["accepted"]),
        ("Lines rejected", run["rejected"]),
        ("Held lines", frames["Held lines"].height),
        ("Hits", frames["Hits"].height),
        ("Flags", frames["Flags"].height),
        ("Entered value (USD)", totals["value"]),
        ("Duty (USD)", totals["duty"]),
        ("Trust fund (USD)", totals["fund"]),
    ]
    return pl.DataFrame(
        {"item": [k for k, _ in rows], "value": ["" if v is None else str(v) for _, v in rows]}
    )


def _readable(frame: pl.DataFrame, escape: bool) -> pl.DataFrame:
    """Readable column names; with ``escape``, texts that a spreadsheet would run get a '."""
    if escape:
        frame = frame.with_columns(
            pl.when(pl.col(c).str.contains(_FORMULA_START))
            .then(pl.lit("'") + pl.col(c))
            .otherwise(pl.col(c))
            .alias(c)
            for c, dtype in frame.schema.items()
            if dtype == pl.String
        )
    return frame.rename({c: LABELS.get(c, c) for c in frame.columns})


def _write_xlsx(sheets: dict[str, pl.DataFrame], path: Path) -> None:
    workbook = Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    try:
        for name, frame in sheets.items():
            readable = _readable(frame, escape=False)
            wide: dict[Any, int] = {c: 640 for c in readable.columns if c in WIDE}
            readable.write_excel(
                workbook,
                name,
                autofit=True,
                column_widths=wide or None,
                freeze_panes=(1, 0),
                float_precision=2,
                table_style="Table Style Light 9",
            )
    finally:
        workbook.close()


def _stem(sheet: str) -> str:
    return sheet.lower().replace(" ", "_")


def _write_folder(sheets: dict[str, pl.DataFrame], folder: Path, fmt: Format) -> None:
    folder.mkdir()
    for name, frame in sheets.items():
        if fmt == "csv":
            _readable(frame, escape=True).write_csv(folder / f"{_stem(name)}.csv")
        else:
            frame.write_parquet(folder / f"{_stem(name)}.parquet")


def _is_our_export(path: Path) -> bool:
    """--force replaces a folder only when it holds nothing but an earlier export's files."""
    stems = {_stem(n) for n in ("Summary", *SHEETS)}
    return path.is_dir() and all(
        p.is_file() and p.stem in stems and p.suffix in {".csv", ".parquet"} for p in path.iterdir()
    )


def _check_target(out: Path, fmt: Format, force: bool) -> None:
    if not out.parent.is_dir():
        raise InputError(f"--out {out}: folder {out.parent} does not exist")
    if not (out.exists() or out.is_symlink()):
        return
    if not force:
        raise InputError(f"--out {out} exists; pass --force to replace it")
    if fmt == "xlsx" and not out.is_file():
        raise InputError(f"--out {out} exists and is not a file; not replacing it")
    if fmt != "xlsx" and not _is_our_export(out):
        raise InputError(
            f"--out {out} exists and is not an earlier export folder (only its CSV or Parquet"
            " sheets); not replacing it"
        )


def export_run(
    store: Store, run_id: str, fmt: str, out: str | Path, *, force: bool = False
) -> list[Path]:
    """Write run ``run_id`` to ``out`` (an .xlsx file, or a folder of one CSV or Parquet per
    sheet) and return the files written. Refuses an existing ``out`` unless ``force``."""
    if fmt not in FORMATS:
        raise InputError(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")
    kind: Format = "xlsx" if fmt == "xlsx" else "csv" if fmt == "csv" else "parquet"
    target = Path(out)
    _check_target(target, kind, force)
    sheets = read_sheets(store, run_id)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        written = tmp / "out"
        if kind == "xlsx":
            _write_xlsx(sheets, written)
        else:
            _write_folder(sheets, written, kind)
        if target.is_dir():  # an earlier export folder, checked above: swap it out
            old = tmp / "old"
            os.replace(target, old)
        os.replace(written, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return sorted(target.iterdir()) if target.is_dir() else [target]
