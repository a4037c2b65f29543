"""History (DESIGN §6): what earlier runs screened, as small aggregates for the history rules.

``load_history(store, before=..., ruleset=...)`` reads the store's ``entries`` (every line of every
earlier run) with entry dates in a window before ``before`` (the batch's earliest entry date), in
a few SQL ``GROUP BY`` queries that read only the columns they need, and returns a ``History`` of
small polars frames: per HTS6 x origin x month, per HTS10 x unit (median and MAD of unit values),
per manufacturer ID x HTS6, per supplier / manufacturer ID x HTS6 x origin, per importer /
manufacturer ID x sibling pair. ``History.empty()`` stands for no history (a library call without
a store): every history rule is then skipped, and says so.

Lines on or after ``before`` are never history, so a forced re-run of the same input does not
see itself. ``screener.history_columns`` joins the aggregates onto the batch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Protocol

import polars as pl

from screener.history_evasion import EVASION, clean_sql, load_evasion
from screener.ruleset import Ruleset
from screener.ruleset_rule_params import (
    ClassificationShiftParams,
    PriorEvasionParams,
)


class _Frames(Protocol):
    def frame(self, sql_text: str, params: list[object] | None = None) -> pl.DataFrame: ...


MONTHS: dict[str, pl.DataType] = {"month": pl.Date(), "lines": pl.Int64()}
HTS6_ORIGIN: dict[str, pl.DataType] = {
    "hts6": pl.String(),
    "origin": pl.String(),
    "month": pl.Date(),
    "bucket": pl.Int32(),  # how many duty events are on or before the entry date
    "value_usd": pl.Float64(),
    "lines": pl.Int64(),
    "baseline_usd": pl.Float64(),  # value_usd without confirmed-evasion lines (the baseline's)
}
UNIT_VALUES: dict[str, pl.DataType] = {
    "hts_code": pl.String(),
    "unit": pl.String(),  # quantity_unit: trimmed, lower case, trailing dot dropped
    "lines": pl.Int64(),
    "median": pl.Float64(),
    "mad": pl.Float64(),
}
MIDS: dict[str, pl.DataType] = {
    "manufacturer_id": pl.String(),
    "hts6": pl.String(),
    "first_date": pl.Date(),
    "recent_value_usd": pl.Float64(),  # since the recent window's start
    "recent_lines": pl.Int64(),
}
PARTIES: dict[str, pl.DataType] = {
    "kind": pl.String(),  # supplier (raw name) | manufacturer (MID)
    "party": pl.String(),
    "hts6": pl.String(),
    "origin": pl.String(),
    "lines": pl.Int64(),
    "first_date": pl.Date(),
    "last_date": pl.Date(),
}
SHIFTS: dict[str, pl.DataType] = {
    "kind": pl.String(),  # importer | manufacturer
    "party": pl.String(),
    "pair": pl.Int32(),  # index into CLASSIFICATION_SHIFT's pairs
    "side": pl.Int32(),  # 0 covered, 1 sibling
    "bucket": pl.Int32(),
    "lines": pl.Int64(),
}


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after (negative: before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Windows:
    """Where each aggregate starts (inclusive); every one ends before ``before``."""

    before: date
    load: date  # the widest: months covered, first-seen dates of manufacturer IDs
    unit_value: date
    recent: date  # NEW_MANUFACTURER_SURGE's recent window (includes the batch's month)
    surge: date
    hopping: date
    shift: date
    evasion: date  # PRIOR_CONFIRMED_EVASION: confirmed lines entered since

    @classmethod
    def of(cls, before: date, ruleset: Ruleset, window_months: int | None = None) -> Windows:
        cfg = ruleset.config
        uv, nm, su, ho, cs = cfg.history_params()
        widest = max(
            uv.window_months,
            su.window_months,
            ho.window_months,
            cs.window_months,
            nm.recent_months - 1 + nm.min_lookback_months,
        )
        cap = window_months if window_months is not None else widest

        def start(months: int) -> date:
            return add_months(before, -min(months, cap))

        return cls(
            before=before,
            load=start(widest),
            unit_value=start(uv.window_months),
            recent=add_months(before, -(nm.recent_months - 1)),
            surge=start(su.window_months),
            hopping=start(ho.window_months),
            shift=start(cs.window_months),
            evasion=add_months(
                before,
                -min(
                    cfg.rule_params("PRIOR_CONFIRMED_EVASION", PriorEvasionParams).window_months,
                    window_months or 10**6,
                ),
            ),
        )


@dataclass(frozen=True, eq=False)  # frames do not compare with ==
class History:
    """Aggregates of the store's lines in ``windows`` (all frames empty when there is none)."""

    windows: Windows | None
    lines: int
    first_date: date | None
    last_date: date | None
    months: pl.DataFrame  # month, lines: the calendar months holding history lines
    events: tuple[date, ...]  # the duty events the ``bucket`` columns count
    hts6_origin: pl.DataFrame = field(repr=False)
    unit_values: pl.DataFrame = field(repr=False)
    mids: pl.DataFrame = field(repr=False)
    parties: pl.DataFrame = field(repr=False)
    shifts: pl.DataFrame = field(repr=False)
    # lines whose latest outcome is `confirmed`, by party (screener.history_evasion.EVASION)
    evasion: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=EVASION), repr=False)
    evasion_known: bool = False  # a store was read for outcomes (else the rule is skipped)

    @classmethod
    def empty(cls, windows: Windows | None = None) -> History:
        """No history (``windows``: where it was looked for, when it was)."""
        return cls(
            windows=windows,
            lines=0,
            first_date=None,
            last_date=None,
            months=pl.DataFrame(schema=MONTHS),
            events=(),
            hts6_origin=pl.DataFrame(schema=HTS6_ORIGIN),
            unit_values=pl.DataFrame(schema=UNIT_VALUES),
            mids=pl.DataFrame(schema=MIDS),
            parties=pl.DataFrame(schema=PARTIES),
            shifts=pl.DataFrame(schema=SHIFTS),
        )

    @property
    def month_count(self) -> int:
        return self.months.height

    def describe(self) -> Mapping[str, object]:
        """What the history holds, for the run summary."""
        w = self.windows
        return {
            "lines": self.lines,
            "months": self.month_count,
            "first_entry_date": _iso(self.first_date),
            "last_entry_date": _iso(self.last_date),
            "before": _iso(w.before if w else None),
            "window_start": _iso(w.load if w else None),
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _bucket(events: tuple[date, ...]) -> str:
    """SQL: how many duty events fall on or before the entry date."""
    if not events:
        return "CAST(0 AS INTEGER)"
    terms = [f"CAST(entry_date >= DATE '{e.isoformat()}' AS INTEGER)" for e in events]
    return "CAST(" + " + ".join(terms) + " AS INTEGER)"


_MONTH = "CAST(date_trunc('month', entry_date) AS DATE)"
_HTS6 = "substr(hts_code, 1, 6)"
_UNIT = "rtrim(lower(trim(quantity_unit)), '.')"
_IN = "FROM entries WHERE entry_date >= ? AND entry_date < ?"


def _pair_code(pairs: ClassificationShiftParams) -> tuple[str, str]:
    """SQL CASE giving pair * 2 + side for a line under a pair's prefix, and the WHERE filter.
    Prefixes are validated digits (ruleset_models.HtsPrefix), so they are inlined."""
    whens: list[str] = []
    likes: list[str] = []
    for index, pair in enumerate(pairs.pairs):
        for side, prefix in enumerate((pair.covered, pair.sibling)):
            assert prefix.isdigit()
            whens.append(f"WHEN hts_code LIKE '{prefix}%' THEN {index * 2 + side}")
            likes.append(f"hts_code LIKE '{prefix}%'")
    return "CASE " + " ".join(whens) + " END", "(" + " OR ".join(likes) + ")"


def _queries(
    w: Windows, events: tuple[date, ...], ruleset: Ruleset, clean: str = "TRUE"
) -> dict[str, tuple[str, list[object]]]:
    """The aggregates' SQL; ``clean``: the condition keeping confirmed-evasion lines out of the
    baselines (``screener.history_evasion.clean_sql``)."""
    bucket = _bucket(events)
    pairs = ruleset.config.rule_params("CLASSIFICATION_SHIFT", ClassificationShiftParams)
    queries: dict[str, tuple[str, list[object]]] = {
        "months": (
            f"SELECT {_MONTH} AS month, count(*) AS lines, min(entry_date) AS first_date,"
            f" max(entry_date) AS last_date {_IN} GROUP BY ALL ORDER BY month",
            [w.load, w.before],
        ),
        "hts6_origin": (
            f"SELECT {_HTS6} AS hts6, country_of_origin AS origin, {_MONTH} AS month,"
            f" {bucket} AS bucket, sum(entered_value_usd) AS value_usd, count(*) AS lines,"
            " coalesce(sum(entered_value_usd) FILTER (WHERE _clean), 0) AS baseline_usd"
            f" FROM (SELECT *, {clean} AS _clean {_IN}) AS entries GROUP BY ALL",
            [w.surge, w.before],
        ),
        "unit_values": (
            f"SELECT hts_code, unit, count(*) AS lines, median(uv) AS median, mad(ln(uv)) AS mad"
            f" FROM (SELECT hts_code, {_UNIT} AS unit, entered_value_usd / quantity AS uv {_IN}"
            " AND quantity > 0 AND entered_value_usd > 0 AND quantity_unit IS NOT NULL"
            f" AND {clean})"
            " GROUP BY ALL",
            [w.unit_value, w.before],
        ),
        "mids": (
            f"SELECT manufacturer_id, {_HTS6} AS hts6, min(entry_date) AS first_date,"
            " coalesce(sum(entered_value_usd) FILTER (WHERE entry_date >= ?), 0)"
            " AS recent_value_usd,"
            " count(*) FILTER (WHERE entry_date >= ?) AS recent_lines"
            f" {_IN} AND manufacturer_id IS NOT NULL GROUP BY ALL",
            [w.recent, w.recent, w.load, w.before],
        ),
        "parties": (
            f"SELECT 'supplier' AS kind, supplier_name AS party, {_HTS6} AS hts6,"
            " country_of_origin AS origin, count(*) AS lines, min(entry_date) AS first_date,"
            f" max(entry_date) AS last_date {_IN} AND supplier_name IS NOT NULL GROUP BY ALL"
            f" UNION ALL SELECT 'manufacturer', manufacturer_id, {_HTS6}, country_of_origin,"
            f" count(*), min(entry_date), max(entry_date) {_IN} AND manufacturer_id IS NOT NULL"
            " GROUP BY ALL",
            [w.hopping, w.before, w.hopping, w.before],
        ),
    }
    if pairs.pairs:
        code, under = _pair_code(pairs)
        queries["shifts"] = (
            f"WITH s AS (SELECT importer_id, manufacturer_id, {code} AS code, {bucket} AS bucket"
            f" {_IN} AND {under})"
            " SELECT 'importer' AS kind, importer_id AS party, CAST(code // 2 AS INTEGER) AS pair,"
            " CAST(code % 2 AS INTEGER) AS side, bucket, count(*) AS lines FROM s"
            " WHERE importer_id IS NOT NULL GROUP BY ALL"
            " UNION ALL SELECT 'manufacturer', manufacturer_id, CAST(code // 2 AS INTEGER),"
            " CAST(code % 2 AS INTEGER), bucket, count(*) FROM s"
            " WHERE manufacturer_id IS NOT NULL GROUP BY ALL",
            [w.shift, w.before],
        )
    return queries


def _typed(frame: pl.DataFrame, schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    if frame.is_empty():
        return pl.DataFrame(schema=dict(schema))
    return frame.select(pl.col(c).cast(t) for c, t in schema.items())


def load_history(
    store: _Frames, *, before: date, ruleset: Ruleset, window_months: int | None = None
) -> History:
    """The store's lines with entry dates before ``before`` (within each rule's window, at most
    ``window_months`` when given), aggregated for the history rules."""
    windows = Windows.of(before, ruleset, window_months)
    events = tuple(e.effective for e in ruleset.config.duty_events)
    clean = clean_sql(store)
    frames = {
        name: store.frame(q, p)
        for name, (q, p) in _queries(windows, events, ruleset, clean).items()
    }
    evasion = load_evasion(store, start=windows.evasion, before=before)
    months = frames["months"]
    lines = int(months["lines"].sum()) if months.height else 0
    if lines == 0:
        return replace(History.empty(windows), evasion=evasion, evasion_known=True)
    return History(
        windows=windows,
        lines=lines,
        first_date=months.select(pl.col("first_date").min()).item(),
        last_date=months.select(pl.col("last_date").max()).item(),
        months=_typed(months.select("month", "lines"), MONTHS),
        events=events,
        hts6_origin=_typed(frames["hts6_origin"], HTS6_ORIGIN),
        unit_values=_typed(frames["unit_values"], UNIT_VALUES),
        mids=_typed(frames["mids"], MIDS),
        parties=_typed(frames["parties"], PARTIES),
        shifts=_typed(frames.get("shifts", pl.DataFrame()), SHIFTS),
        evasion=evasion,
        evasion_known=True,
    )
