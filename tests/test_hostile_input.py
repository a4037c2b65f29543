"""Hostile and malformed input: a corpus of hand-made bad files (tests/data/hostile/, each
described in its README), bigger ones made at runtime, and property tests on random CSV bytes.

For each: no traceback, a message naming file, row and field, and lines in = accepted + rejected.
The library (``read_entries``) covers every case; the installed command a representative few.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile  # hypothesis examples share no tmp_path
from pathlib import Path

import duckdb
import polars as pl
import pytest
from cli_helpers import flat, run, sql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screener import schema
from screener.errors import InputError
from screener.ingest import IngestResult, read_entries

HOSTILE = Path(__file__).parent / "data" / "hostile"
HEADER = ",".join(schema.REQUIRED)
GOOD = "ABC-1234567-6,1,2026-01-15,8505.11.0070,CN,1234.50,Ningbo Eastsea Magnetic Tech Co Ltd"

# file -> (rows read, accepted, {row: (field, words in the reason)}); rows read = lines in
READ: dict[str, tuple[int, int, dict[int, tuple[str, str]]]] = {
    "extra_columns.csv": (2, 2, {}),
    "header_only.csv": (0, 0, {}),
    "bom_crlf.csv": (2, 2, {}),
    "quoted_newlines.csv": (3, 3, {}),
    "blank_lines.csv": (3, 3, {}),
    "invalid_utf8.csv": (3, 3, {}),
    "windows1252.csv": (3, 3, {}),
    "latin1.csv": (3, 3, {}),
    "ragged_rows.csv": (
        4,
        2,
        {
            2: ("(row)", "row has 6 fields, the header has 7 (line 3 of the file"),
            3: ("(row)", "row has 8 fields, the header has 7 (line 4 of the file"),
        },
    ),
    "semicolons_ragged.csv": (2, 1, {2: ("(row)", "row has 3 fields, the header has 7")}),
    "unclosed_quote.csv": (
        2,
        1,
        {2: ("(row)", "a quote opened on line 3 is never closed, so lines 3-4")},
    ),
    "wrong_types.csv": (
        4,
        1,
        {
            2: ("line_number", "line_number 'two' is not a whole number"),
            3: ("entry_date", "entry_date 'yesterday' is not a date"),
            4: ("entered_value_usd", "entered_value_usd '1.5e3x' is not a number"),
        },
    ),
    "nul_bytes.csv": (3, 2, {2: ("supplier_name", "supplier_name holds a NUL byte")}),
    "negative_absurd.csv": (
        7,
        1,
        {
            2: ("entered_value_usd", "'-900' is negative"),
            3: ("entered_value_usd", "'1e20' is more than 100,000,000,000"),
            4: ("entered_value_usd", "'inf' is not a number"),
            5: ("entered_value_usd", "'NaN' is not a number"),
            6: ("quantity", "'1e15' is more than 1,000,000,000,000"),
            7: ("line_number", "'-7' is not a whole number of 1 or more"),
        },
    ),
    "dates_out_of_range.csv": (
        5,
        1,
        {
            2: ("entry_date", "'1899-12-31' is outside 1990-01-01 to 2099-12-31"),
            3: ("entry_date", "'9999-12-31' is outside 1990-01-01 to 2099-12-31"),
            4: ("entry_date", "'2026-02-30' is not a date"),
            5: ("entry_date", "'0000-00-00' is not a date"),
        },
    ),
    "hts_letters.csv": (
        4,
        1,
        {r: ("hts_code", "is not 10 digits") for r in (2, 3, 4)},
    ),
    "duplicates.csv": (
        5,
        4,
        {3: ("line_number", "duplicate of row 1 of {file} (same entry_number and line_number 1)")},
    ),
    "bad_line.ndjson": (2, 1, {2: ("(row)", "line 2 is not valid JSON")}),
}

REFUSED: dict[str, str] = {
    "missing_column.csv": r"required column\(s\) 'hts_code' missing",
    "empty.csv": "file is empty",
    "blank.csv": "file is empty",
    "duplicate_header.csv": "columns 'entry_number' and 'Entry_Number' both mean",
    "not_csv.csv": r"required column\(s\) 'entry_number'",
}


def assert_balanced(result: IngestResult) -> None:
    """Lines in = accepted + rejected, row numbers 1..N each once, every reject explained."""
    lines_in = sum(s.rows for s in result.sources)
    assert result.accepted.height + result.rejects.height == lines_in
    rows = sorted(result.accepted["row_number"].to_list() + result.rejects["row_number"].to_list())
    assert rows == list(range(1, lines_in + 1))
    assert result.rejects["reason"].null_count() == 0
    assert result.rejects["field"].null_count() == 0


def test_every_corpus_file_is_in_a_table_and_the_readme() -> None:
    readme = (HOSTILE / "README.md").read_text()
    files = {p.name for p in HOSTILE.iterdir() if p.name != "README.md"}
    assert files == set(READ) | set(REFUSED)
    assert all(f"`{name}`" in readme for name in files)


@pytest.mark.parametrize("name", sorted(READ))
def test_corpus_file_is_read_and_each_bad_row_is_rejected_on_its_own(name: str) -> None:
    path = HOSTILE / name
    result = read_entries([path])
    assert_balanced(result)
    rows, accepted, rejects = READ[name]
    assert (result.sources[0].rows, result.accepted.height) == (rows, accepted)
    got = {r["row_number"]: r for r in result.rejects.iter_rows(named=True)}
    assert set(got) == set(rejects)
    for row, (field, words) in rejects.items():
        assert got[row]["field"] == field
        assert got[row]["source"] == str(path)
        assert words.format(file=path) in got[row]["reason"]


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_corpus_file_that_cannot_be_screened_is_refused_naming_the_file(name: str) -> None:
    with pytest.raises(InputError, match=REFUSED[name]) as exc:
        read_entries([HOSTILE / name])
    assert str(HOSTILE / name) in str(exc.value)


# --- encodings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding", "byte", "supplier"),
    [
        ("windows1252.csv", "windows-1252", "231, line 3", "Société Générale – Müller “Métaux”"),
        ("invalid_utf8.csv", "windows-1252", "304, line 4", "Baotou Café Rare Earth Co"),
        ("latin1.csv", "latin-1", "248, line 3", "Hai Phong Metals JSC \x81"),
    ],
)
def test_auto_encoding_says_what_it_chose(
    name: str, encoding: str, byte: str, supplier: str
) -> None:
    path = HOSTILE / name
    result = read_entries([path])
    src = result.sources[0]
    assert src.encoding == encoding
    assert src.notes == (
        f"read {path} as {encoding} (not valid UTF-8 at byte {byte}); "
        "pass --encoding to choose another",
    )
    assert supplier in result.accepted["supplier_name"].to_list()


def test_explicit_encoding_is_honoured_and_utf8_files_have_no_note() -> None:
    latin = read_entries([HOSTILE / "windows1252.csv"], encoding="latin-1")
    assert latin.sources[0].encoding == "iso8859-1"
    names = latin.accepted["supplier_name"].to_list()
    assert "Société Générale \x96 Müller \x93Métaux\x94" in names  # latin-1 has no en dash
    plain = read_entries([HOSTILE / "bom_crlf.csv"])
    assert (plain.sources[0].encoding, plain.sources[0].notes) == ("utf-8", ())


def test_explicit_utf8_refuses_a_file_that_is_not_and_says_where() -> None:
    with pytest.raises(InputError, match=r"not valid utf-8 at byte 231, line 3 \(--encoding"):
        read_entries([HOSTILE / "windows1252.csv"], encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        read_entries([HOSTILE / "bom_crlf.csv"], encoding="klingon")


# --- big and odd values, made at runtime ----------------------------------------------------------


def test_long_fields_are_rejected_where_screened_and_kept_where_ignored(tmp_path: Path) -> None:
    mb = "x" * 1_000_000
    path = tmp_path / "long.csv"
    path.write_text(
        f"{HEADER},notes\n"
        f"{GOOD},{mb}\n"
        f"{GOOD.replace(',1,', ',2,').replace('Ningbo Eastsea', 'N' * 9_979)},\n"
        f"{GOOD.replace(',1,', ',3,').replace('2026-01-15', mb)},\n"
    )
    result = read_entries([path])
    assert_balanced(result)
    assert result.accepted["row_number"].to_list() == [1]
    reasons = dict(zip(result.rejects["row_number"], result.rejects["reason"], strict=True))
    assert reasons[2] == (
        "supplier_name is 10000 characters long; at most 1,000 bytes are screened "
        "(a shifted column or pasted text?)"
    )
    assert reasons[3].startswith("entry_date is 1000000 characters long")
    assert len(result.rejects["value"][1]) == 1_003  # cut, with "..."


def _write_duplicates(path: Path, n: int) -> Path:
    with path.open("w") as f:
        f.write(HEADER + "\n")
        f.write((GOOD + "\n") * n)
    return path


@pytest.mark.parametrize("n", [50_000, pytest.param(1_000_000, marks=pytest.mark.slow)])
def test_duplicate_lines_are_rejected_naming_the_first(tmp_path: Path, n: int) -> None:
    path = _write_duplicates(tmp_path / "dups.csv", n)
    result = read_entries([path])
    assert_balanced(result)
    assert result.accepted["row_number"].to_list() == [1]
    assert result.rejects.height == n - 1
    assert result.rejects["reason"].unique().to_list() == [
        f"duplicate of row 1 of {path} (same entry_number and line_number 1); "
        "remove the repeat or correct its line number"
    ]


def test_a_duplicate_across_files_names_the_first_file(tmp_path: Path) -> None:
    a = _write_duplicates(tmp_path / "a.csv", 1)
    b = tmp_path / "b.csv"
    b.write_text(f"{HEADER}\n{GOOD.replace(',1,', ',2,')}\n  {GOOD}\n")
    result = read_entries([a, b])
    assert result.accepted.height == 2
    rej = result.rejects.row(0, named=True)
    assert (rej["source"], rej["row_number"], rej["field"]) == (str(b), 2, "line_number")
    assert rej["reason"].startswith(f"duplicate of row 1 of {a} ")


def test_parquet_with_wrong_schema_or_truncated_is_refused_or_rejected(tmp_path: Path) -> None:
    renamed = tmp_path / "renamed.parquet"
    pl.DataFrame({"entry": ["ABC-1234567-6"], "line": [1]}).write_parquet(renamed)
    with pytest.raises(InputError, match=r"renamed\.parquet: required column\(s\)"):
        read_entries([renamed])
    typed = tmp_path / "typed.parquet"  # numbers where text belongs and the other way round
    pl.DataFrame(
        {
            "entry_number": [1234567, 7654321],
            "line_number": [1.5, 2.0],
            "entry_date": [20260115, 20260116],
            "hts_code": [8505110070, 8505110070],
            "country_of_origin": [True, False],
            "entered_value_usd": [b"\x00\x01", b"12"],
            "supplier_name": [[1, 2], [3]],
        }
    ).write_parquet(typed)
    result = read_entries([typed])
    assert_balanced(result)
    assert result.accepted.height == 0
    assert result.rejects["field"].to_list() == ["line_number", "entry_date"]
    binary = tmp_path / "binary.parquet"
    pl.DataFrame({c: [b"\xff"] for c in schema.REQUIRED}).write_parquet(binary)
    with pytest.raises(InputError, match=r"column 'entry_number' of type Binary cannot be"):
        read_entries([binary])
    truncated = tmp_path / "truncated.parquet"
    truncated.write_bytes(typed.read_bytes()[:300])
    with pytest.raises(InputError, match=r"truncated\.parquet: cannot be read as PARQUET"):
        read_entries([truncated])


def test_duckdb_table_that_does_not_exist_or_a_file_that_is_not_duckdb(tmp_path: Path) -> None:
    db = tmp_path / "h.duckdb"
    duckdb.connect(str(db)).close()
    with pytest.raises(InputError, match=r"h\.duckdb:nope: cannot read the table.*nope"):
        read_entries([], from_duckdb=[f"{db}:nope"])
    junk = tmp_path / "junk.duckdb"
    junk.write_text("not a database")
    with pytest.raises(InputError, match=r"junk\.duckdb:t: cannot read the table"):
        read_entries([], from_duckdb=[f"{junk}:t"])


# --- properties -----------------------------------------------------------------------------------

FIELD = st.one_of(
    st.sampled_from(["ABC-1234567-6", "1", "2026-01-15", "8505110070", "CN", "9.5", "Acme", ""]),
    st.text(alphabet=st.sampled_from(list('ab ,;"\n\r\x00é–\t')), max_size=6),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(FIELD, min_size=0, max_size=9), max_size=12))
def test_any_csv_gives_lines_in_equal_accepted_plus_rejected(records: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER.split(","), *records])
    data = buffer.getvalue().encode()
    expected = sum(1 for r in records if len(r) > 1 or (r and r[0].strip()))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "e.csv"
        path.write_bytes(data)
        result = read_entries([path])
    assert_balanced(result)
    assert result.sources[0].rows == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200), st.sampled_from([".csv", ".ndjson", ".parquet"]))
def test_any_bytes_are_read_or_refused_cleanly(junk: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"e{suffix}"
        path.write_bytes((HEADER + "\n").encode() + junk if suffix == ".csv" else junk)
        try:
            result = read_entries([path])
        except InputError as exc:
            assert str(path) in str(exc)
        else:
            assert_balanced(result)


# --- the installed command ------------------------------------------------------------------------


def test_cli_reports_the_encoding_and_counts_rejects(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    proc = run("screen", HOSTILE / "windows1252.csv", HOSTILE / "ragged_rows.csv", "--db", db)
    assert proc.returncode == 0, proc.stderr
    out = flat(proc.stdout)
    assert f"read {HOSTILE / 'windows1252.csv'} as windows-1252 (not valid UTF-8 at byte 231" in out
    assert "7 lines in, 4 accepted, 3 rejected" in out
    assert sql(db, "SELECT lines_in, accepted, rejected FROM runs") == [(7, 4, 3)]
    inputs = json.loads(str(sql(db, "SELECT inputs FROM runs")[0][0]))  # the run keeps it too
    assert [i.get("encoding") for i in inputs] == ["windows-1252", "utf-8"]
    assert "not valid UTF-8 at byte 231" in inputs[0]["notes"][0]
    rejects = sql(db, "SELECT row_number, field, reason FROM rejects ORDER BY row_number")
    assert [(r[0], r[1]) for r in rejects] == [(1, "line_number"), (2, "(row)"), (3, "(row)")]
    first = HOSTILE / "windows1252.csv"  # both files hold entry ABC-1234567-6 line 1
    assert str(rejects[0][2]).startswith(f"duplicate of row 1 of {first} ")
    assert str(rejects[1][2]).startswith("row has 6 fields, the header has 7")


def test_cli_duplicates_and_explicit_encoding(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    proc = run("screen", HOSTILE / "duplicates.csv", "--encoding", "latin-1", "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert sql(db, "SELECT lines_in, accepted, rejected FROM runs") == [(5, 4, 1)]
    reason = sql(db, "SELECT reason FROM rejects")[0][0]
    assert str(reason).startswith("duplicate of row 1 of ")


def test_cli_header_only_completes_with_nothing_screened(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    proc = run("screen", HOSTILE / "header_only.csv", "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert sql(db, "SELECT lines_in, accepted, rejected FROM runs") == [(0, 0, 0)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing_column.csv"], "missing_column.csv: required column(s) 'hts_code' missing"),
        (["empty.csv"], "empty.csv: file is empty"),
        (["bom_crlf.csv", "--encoding", "klingon"], "unknown encoding 'klingon'"),
        (["--from-duckdb", "{db}:nope"], ":nope: cannot read the table"),
    ],
    ids=["missing-column", "empty", "bad-encoding", "no-such-table"],
)
def test_cli_refuses_unreadable_input_with_one_clean_message(
    tmp_path: Path, args: list[str], message: str
) -> None:
    db = tmp_path / "s.duckdb"
    duckdb.connect(str(db)).close()
    argv = [a.format(db=db) if "{db}" in a else a for a in args]
    argv = [str(HOSTILE / a) if a.endswith(".csv") else a for a in argv]
    proc = run("screen", *argv, "--db", tmp_path / "out.duckdb")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert message in flat(proc.stderr)
