"""The library: batch and line-by-line give the same answers; nothing is dropped or reordered."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from screener import EntryLine, InputError, Screener, schema
from screener.ingest import read_entries

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CSV = ROOT / "sample_entries" / "entries_2026q1_a.csv"


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.load()


@pytest.fixture(scope="module")
def batch(screener: Screener) -> tuple[pl.DataFrame, pl.DataFrame]:
    ingest = read_entries([SAMPLE_CSV], valid_hts=screener.valid_hts)
    return ingest.accepted, screener.screen_accepted(ingest.accepted, run_id="test")


def _raw_rows() -> list[dict[str, str | None]]:
    frame = pl.read_csv(SAMPLE_CSV, infer_schema=False)
    return frame.to_dicts()


def test_batch_keeps_every_row_in_order_with_every_result_column(
    batch: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    accepted, result = batch
    assert result.schema == pl.Schema(schema.RESULT)
    assert result.height == accepted.height
    assert result["row_number"].to_list() == accepted["row_number"].to_list()
    assert result["duty_class"].null_count() == 0
    assert result["duty_reason"].null_count() == 0
    assert set(result["duty_class"].unique()) <= set(schema.DUTY_CLASSES)


def test_screen_line_gives_the_batch_answer(
    screener: Screener, batch: tuple[pl.DataFrame, pl.DataFrame]
) -> None:
    _, result = batch
    by_row = {r["row_number"]: r for r in result.iter_rows(named=True)}
    raw = _raw_rows()
    # three lines of every outcome (duty class, flag rules, hit entities) plus every 30th line:
    # a spread of all outcomes without screening a thousand lines one at a time
    seen: dict[tuple[object, ...], int] = {}
    chosen = []
    for n, r in by_row.items():
        outcome = (
            r["duty_class"],
            tuple(sorted(f["rule"] for f in r["origin_flags"])),
            tuple(sorted(f"{h['list_id']}:{h['entity_id']}" for h in r["match_hits"])),
        )
        seen[outcome] = seen.get(outcome, 0) + 1
        if seen[outcome] <= 3 or n % 30 == 0:
            chosen.append(n)
    assert len(seen) >= 15 and len(chosen) > 70
    for n in chosen:
        text = {k: v for k, v in raw[n - 1].items() if k in EntryLine.model_fields}
        single = screener.screen_line(EntryLine.model_validate(text))
        expected = by_row[n]
        assert single.duty_class == expected["duty_class"], n
        assert single.duty_rate_pct == expected["duty_rate_pct"], n
        assert single.duty_usd == expected["duty_usd"], n
        assert single.duty_reason == expected["duty_reason"], n
        assert single.origin_risk == expected["origin_risk"], n
        assert [f.model_dump() for f in single.flags] == expected["origin_flags"], n
        assert [h.model_dump() for h in single.hits] == expected["match_hits"], n


def test_screen_frame_returns_one_row_per_input_row_with_rejects_marked(
    screener: Screener,
) -> None:
    frame = pl.DataFrame(
        {
            "entry_number": ["ZZ9-0000001-1", "ZZ9-0000001-1", "ZZ9-0000001-1"],
            "line_number": ["1", "2", "3"],
            "entry_date": ["2026-02-01", "not a date", "2026-02-03"],
            "hts_code": ["8505110070", "8505110070", "2846902005"],
            "country_of_origin": ["CN", "VN", "Viet Nam"],
            "entered_value_usd": ["1000", "1000", "500"],
            "supplier_name": [
                "Lotus Bay Components Co",
                "Lotus Bay Components Co",
                "Kestrel Oxides",
            ],
        }
    )
    out = screener.screen(frame)
    assert out.height == 3
    assert out["row_number"].to_list() == [1, 2, 3]
    assert out["reject_field"].to_list() == [None, "entry_date", None]
    assert out["duty_class"].to_list() == ["CONCERN_301", None, "MFN"]


def test_screen_line_rejects_with_a_clear_error(screener: Screener) -> None:
    bad = EntryLine(
        entry_number="ZZ9-0000001-1",
        line_number=1,
        entry_date="2026-02-01",
        hts_code="8505.11",
        country_of_origin="CN",
        entered_value_usd=1000,
        supplier_name="Lotus Bay Components Co",
    )
    with pytest.raises(InputError, match="hts_code"):
        screener.screen_line(bad)


def test_confirmed_entity_hit_makes_a_line_concern_sourced(screener: Screener) -> None:
    # FX-0008 is a fictitious listed entity in Malaysia, owned by a fictitious Chinese parent.
    r = screener.screen_line(
        EntryLine(
            entry_number="ZZ9-0000002-1",
            line_number=1,
            entry_date="2026-02-01",
            hts_code="2504.10.10.00",
            country_of_origin="MY",
            entered_value_usd=1000,
            supplier_name="STRAITS GRAPHITE PROCESSING SDN. BHD.",
        )
    )
    assert r.duty_class == "CONCERN_301"
    assert r.match_confirmed
    assert r.hits[0].entity_id == "FX-0008"
    assert r.hits[0].list_id == "fictitious-concern"
    assert "confirmed supplier hit" in (r.duty_concern_basis or "")
    assert "ENTITY_OF_CONCERN" in {f.rule for f in r.flags}
