"""Ingest: real CSV / Parquet / NDJSON / DuckDB files in, entry schema + rejects out."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from screener import schema
from screener.errors import InputError
from screener.ingest import read_entries, validate_frame

GOOD = [
    {
        "entry_number": "ABC-1234567-6",
        "line_number": "1",
        "entry_date": "2026-01-15",
        "hts_code": "8505.11.0070",
        "country_of_origin": "China",
        "entered_value_usd": "1,234.50",
        "supplier_name": "Ningbo Eastsea Magnetic Tech Co Ltd",
        "country_of_export": "VNM",
        "manufacturer_id": "CNNINEAS123NIN",
        "quantity": "100",
        "quantity_unit": "kg",
        "port_of_lading": "VN HPH",
        "transit_ports": "CNSHA;SGSIN",
        "related_party": "yes",
        "cn_ree_content_pct": "12.5",
    },
    {
        "entry_number": "ABC-1234567-5",  # wrong check digit: accepted, flagged False
        "line_number": "2",
        "entry_date": "1/20/2026",
        "hts_code": "8505110070",
        "country_of_origin": "vn",
        "entered_value_usd": "$900",
        "supplier_name": "Hai Phong Metals JSC",
        "country_of_export": "Viet Nam",
        "manufacturer_id": "XOACMCOR1TOR",
        "quantity": "",
        "quantity_unit": "",
        "port_of_lading": "",
        "transit_ports": "",
        "related_party": "n",
        "cn_ree_content_pct": "",
    },
]
COLUMNS = list(GOOD[0])


def write_csv(path: Path, rows: list[dict[str, str]], *, columns: list[str] | None = None) -> Path:
    """A real CSV as spreadsheets export it: UTF-8 BOM and CRLF line ends."""
    columns = columns or list(rows[0])

    def quote(v: str) -> str:
        return '"' + v.replace('"', '""') + '"' if any(ch in v for ch in ',"\n') else v

    lines = [",".join(columns)] + [",".join(quote(r.get(c, "")) for c in columns) for r in rows]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    return path


def typed_frame() -> pl.DataFrame:
    """GOOD as a writer with real types would store it (ints, dates, lists, booleans)."""
    return pl.DataFrame(
        {
            "entry_number": [r["entry_number"] for r in GOOD],
            "line_number": [1, 2],
            "entry_date": [dt.date(2026, 1, 15), dt.date(2026, 1, 20)],
            "hts_code": ["8505.11.0070", "8505110070"],
            "country_of_origin": ["China", "vn"],
            "entered_value_usd": [1234.5, 900.0],
            "supplier_name": [r["supplier_name"] for r in GOOD],
            "country_of_export": ["VNM", "Viet Nam"],
            "manufacturer_id": ["CNNINEAS123NIN", "XOACMCOR1TOR"],
            "quantity": [100.0, None],
            "quantity_unit": ["kg", None],
            "port_of_lading": ["VN HPH", None],
            "transit_ports": [["CNSHA", "SGSIN"], None],
            "related_party": [True, False],
            "cn_ree_content_pct": [12.5, None],
        }
    )


def without_source(df: pl.DataFrame) -> pl.DataFrame:
    return df.drop("source")


# --- formats ------------------------------------------------------------------------------------


def test_csv_with_bom_and_crlf_is_normalized(tmp_path: Path) -> None:
    result = read_entries([write_csv(tmp_path / "e.csv", GOOD)])
    acc = result.accepted
    assert acc.schema == pl.Schema(schema.ENTRY | schema.PROVENANCE)
    assert result.rejects.height == 0
    assert acc["hts_code"].to_list() == ["8505110070", "8505110070"]
    assert acc["entry_date"].to_list() == [dt.date(2026, 1, 15), dt.date(2026, 1, 20)]
    assert acc["country_of_origin"].to_list() == ["CN", "VN"]
    assert acc["country_of_export"].to_list() == ["VN", "VN"]
    assert acc["entered_value_usd"].to_list() == [1234.5, 900.0]
    assert acc["transit_ports"].to_list() == [["CNSHA", "SGSIN"], None]
    assert acc["port_of_lading"].to_list() == ["VNHPH", None]
    assert acc["related_party"].to_list() == [True, False]
    assert acc["quantity"].to_list() == [100.0, None]
    assert acc["entry_check_digit_ok"].to_list() == [True, False]
    assert acc["row_number"].to_list() == [1, 2]
    assert acc["source"].unique().to_list() == [str(tmp_path / "e.csv")]
    src = result.sources[0]
    assert (src.rows, len(src.sha256)) == (2, 64)


def test_every_format_gives_identical_accepted_frames(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "e.csv", GOOD)
    typed = typed_frame()
    parquet = tmp_path / "e.parquet"
    typed.write_parquet(parquet)
    ndjson = tmp_path / "e.ndjson"
    typed.write_ndjson(ndjson)
    text_parquet = tmp_path / "text.parquet"  # all-String parquet, as a CSV converter writes it
    pl.read_csv(csv, infer_schema=False).write_parquet(text_parquet)
    db = tmp_path / "h.duckdb"
    with duckdb.connect(str(db)) as con:
        con.register("typed", typed.to_arrow())
        con.execute("CREATE TABLE lines AS SELECT * FROM typed")

    expected = without_source(read_entries([csv]).accepted)
    for path in (parquet, ndjson, text_parquet):
        got = read_entries([path])
        assert got.rejects.height == 0, got.rejects["reason"].to_list()
        assert_frame_equal(without_source(got.accepted), expected)
    got = read_entries([], from_duckdb=[f"{db}:lines"])
    assert got.sources[0].path == f"{db}:lines"
    assert_frame_equal(without_source(got.accepted), expected)


def test_directory_reads_every_entry_file_sorted_and_reports_progress(tmp_path: Path) -> None:
    write_csv(tmp_path / "b.csv", GOOD[1:])
    write_csv(tmp_path / "a.csv", GOOD[:1])
    (tmp_path / "notes.txt").write_text("not an entry file")
    ticks: list[int] = []
    result = read_entries([tmp_path], progress=ticks.append)
    assert [Path(s.path).name for s in result.sources] == ["a.csv", "b.csv"]
    assert sum(ticks) == 2
    assert result.accepted["supplier_name"].to_list() == [r["supplier_name"] for r in GOOD]


def test_column_names_match_case_insensitively_and_extras_are_ignored(tmp_path: Path) -> None:
    rows = [{" Entry_Number ": r["entry_number"], "NOTES": "x"} | r for r in GOOD]
    for r in rows:
        del r["entry_number"]
    cols = [" Entry_Number ", *COLUMNS[1:], "NOTES"]
    result = read_entries([write_csv(tmp_path / "e.csv", rows, columns=cols)])
    assert result.accepted.height == 2
    assert result.sources[0].ignored_columns == ("NOTES",)


def test_optional_columns_may_be_absent(tmp_path: Path) -> None:
    rows = [{c: r[c] for c in schema.REQUIRED} for r in GOOD]
    result = read_entries([write_csv(tmp_path / "e.csv", rows)])
    assert result.accepted.height == 2
    assert result.accepted["transit_ports"].null_count() == 2


def test_entry_number_kept_as_given_except_surrounding_space(tmp_path: Path) -> None:
    rows = [GOOD[0] | {"entry_number": "  abc-1234567-6 "}]
    acc = read_entries([write_csv(tmp_path / "e.csv", rows)]).accepted
    assert acc["entry_number"].to_list() == ["abc-1234567-6"]
    assert acc["entry_check_digit_ok"].to_list() == [True]


def test_header_only_file_gives_empty_frames_with_the_schemas(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(",".join(COLUMNS) + "\n")
    result = read_entries([path])
    assert result.accepted.schema == pl.Schema(schema.ENTRY | schema.PROVENANCE)
    assert result.rejects.schema == pl.Schema(schema.REJECTS)
    assert result.sources[0].rows == 0


# --- rejects ------------------------------------------------------------------------------------

BAD = [
    ("entry_number", ""),
    ("line_number", "0"),
    ("line_number", "two"),
    ("entry_date", "31/31/2026"),
    ("entry_date", ""),
    ("hts_code", "8505.11"),
    ("country_of_origin", "Narnia"),
    ("entered_value_usd", "-5"),
    ("entered_value_usd", "1.234,50"),
    ("supplier_name", "   "),
    ("country_of_export", "XX"),
    ("quantity", "lots"),
    ("port_of_lading", "Shanghai"),
    ("transit_ports", "CNSHA;Singapore"),
    ("cn_ree_content_pct", "150"),
    ("related_party", "maybe"),
]


@pytest.mark.parametrize(("field", "value"), BAD, ids=[f"{f}={v!r}" for f, v in BAD])
def test_bad_row_goes_to_rejects_and_the_batch_continues(
    tmp_path: Path, field: str, value: str
) -> None:
    rows = [GOOD[0], GOOD[1] | {field: value}, GOOD[0] | {"line_number": "3"}]
    result = read_entries([write_csv(tmp_path / "e.csv", rows)])
    assert result.accepted["row_number"].to_list() == [1, 3]
    rej = result.rejects.row(0, named=True)
    assert result.rejects.height == 1
    assert (rej["field"], rej["row_number"], rej["source"]) == (field, 2, str(tmp_path / "e.csv"))
    assert rej["value"] == (value or None)
    assert rej["reason"].startswith(field)
    assert rej["run_id"] is None
    assert json.loads(rej["raw"])[field] == (value or None)
    assert rej["entry_number"] == (GOOD[1]["entry_number"] if field != "entry_number" else None)


def test_reason_lists_every_problem_and_field_is_the_first(tmp_path: Path) -> None:
    row = GOOD[0] | {"entry_date": "31/31/2026", "hts_code": "8505.11", "related_party": "?"}
    rej = read_entries([write_csv(tmp_path / "e.csv", [row])]).rejects.row(0, named=True)
    assert rej["field"] == "entry_date"
    assert rej["reason"] == (
        "entry_date '31/31/2026' is not a date (use YYYY-MM-DD or M/D/YYYY); "
        "hts_code '8505.11' is not 10 digits (write 8505.11.0070 or 8505110070); "
        "related_party '?' is not true/false (use true/false, yes/no, y/n or 1/0)"
    )


def test_valid_hts_rejects_an_unknown_code(tmp_path: Path) -> None:
    rows = [GOOD[0], GOOD[1] | {"hts_code": "8505.19.9999"}]
    result = read_entries([write_csv(tmp_path / "e.csv", rows)], valid_hts={"8505110070"})
    assert result.accepted.height == 1
    rej = result.rejects.row(0, named=True)
    assert rej["field"] == "hts_code"
    assert "not in the HTS 2026 schedule the ruleset ships" in rej["reason"]


def test_missing_required_column_names_file_and_column(tmp_path: Path) -> None:
    rows = [{c: v for c, v in r.items() if c != "hts_code"} for r in GOOD]
    path = write_csv(tmp_path / "nohts.csv", rows)
    with pytest.raises(InputError, match=r"nohts\.csv.*'hts_code'.*rename"):
        read_entries([path])


@pytest.mark.parametrize("name", ["e.xlsx", "missing.csv"])
def test_unreadable_input_is_an_input_error(tmp_path: Path, name: str) -> None:
    if name.endswith(".xlsx"):
        (tmp_path / name).write_text("x")
    with pytest.raises(InputError, match=name.replace(".", r"\.")):
        read_entries([tmp_path / name])


def test_duckdb_missing_table_is_an_input_error(tmp_path: Path) -> None:
    db = tmp_path / "h.duckdb"
    duckdb.connect(str(db)).close()
    with pytest.raises(InputError, match="nope"):
        read_entries([], from_duckdb=[f"{db}:nope"])


# --- library frames and the lines-in = accepted + rejected property ------------------------------


def test_validate_frame_takes_typed_lazy_frames() -> None:
    accepted, rejects = validate_frame(typed_frame().lazy(), source="frame")
    assert rejects.height == 0
    assert accepted["source"].to_list() == ["frame", "frame"]
    assert accepted["transit_ports"].to_list() == [["CNSHA", "SGSIN"], None]


VALUES = {
    "entry_number": ["ABC-1234567-6", "x", "", " ABC12345676 ", None],
    "line_number": ["1", "0", "-3", "2.0", "a", None],
    "entry_date": ["2026-01-15", "1/2/2026", "2026-13-01", "", None],
    "hts_code": ["8505.11.0070", "8505110070", "85", "", None],
    "country_of_origin": ["CN", "chn", "Viet Nam", "Narnia", "", None],
    "entered_value_usd": ["1,000.5", "$3", "-1", "abc", "", None],
    "supplier_name": ["ACME", " ", "", None],
    "transit_ports": ["CNSHA;SGSIN", "CNSHA;X", ";", "", None],
    "related_party": ["y", "no", "perhaps", "", None],
    "cn_ree_content_pct": ["5", "101", "5%", "", None],
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.fixed_dictionaries(
            {c: st.one_of(st.sampled_from(v), st.text(max_size=8)) for c, v in VALUES.items()}
        ),
        min_size=0,
        max_size=30,
    )
)
def test_lines_in_equal_accepted_plus_rejected(rows: list[dict[str, str | None]]) -> None:
    frame = pl.DataFrame(rows, schema={c: pl.String for c in VALUES})
    accepted, rejects = validate_frame(frame, source="frame")
    assert accepted.height + rejects.height == len(rows)
    numbers = sorted(accepted["row_number"].to_list() + rejects["row_number"].to_list())
    assert numbers == list(range(1, len(rows) + 1))
    assert accepted.schema == pl.Schema(schema.ENTRY | schema.PROVENANCE)
    assert rejects.schema == pl.Schema(schema.REJECTS)
    assert rejects["reason"].null_count() == 0
    assert rejects["field"].null_count() == 0
