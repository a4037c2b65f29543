"""The run's own lines as the history rules count them, beside the store's history.

Three history rules count tonight's lines too: NEW_MANUFACTURER_SURGE (first seen, shippers in the
recent window), ORIGIN_SURGE (USD since the latest duty event, up to the run's last entry date)
and ORIGIN_HOPPING (origins per supplier / MID and HTS6). ``RunLines`` holds those aggregates of
every line of the run, so a run screened in batches decides each line as a single batch would.

``RunLines.of(lf, history)`` derives them lazily from the lines at hand (one batch is the whole
run); ``collect_run_lines`` aggregates a whole run once (e.g. a scan of the run's lines spilled to
Parquet) into small frames that every batch then reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from screener.history import History
from screener.history_exprs import HTS6, MID, ORIGIN, event_index

__all__ = ["BASE_COLUMNS", "RunLines", "collect_run_lines", "history_base"]

BASE_COLUMNS = (
    "entry_date",
    "hts_code",
    "country_of_origin",
    "entered_value_usd",
    "quantity",
    "quantity_unit",
    "supplier_name",
    "manufacturer_id",
    "importer_id",
)
HOP_KEYS = ["supplier_name", "manufacturer_id", "_h_hts6", "country_of_origin"]


def history_base(lf: pl.LazyFrame, history: History) -> pl.LazyFrame:
    """The columns the history step reads, plus the HTS6 and the duty-event index."""
    return lf.select(BASE_COLUMNS).with_columns(
        pl.col("hts_code").str.slice(0, 6).alias("_h_hts6"),
        event_index(history.events).alias("_h_k"),
    )


@dataclass(frozen=True, eq=False)
class RunLines:
    """Aggregates of the run's lines (see the module docstring); frames are lazy."""

    mid_first: pl.LazyFrame  # manufacturer_id, first_date
    mid_recent: pl.LazyFrame  # manufacturer_id, hts6, value (lines on or after windows.recent)
    surge: pl.LazyFrame  # hts6, origin, k (duty-event index), value_usd, lines
    combos: pl.LazyFrame  # HOP_KEYS, lines, first_date, last_date
    last_date: pl.Expr  # the run's last entry date

    @classmethod
    def of(cls, lf: pl.LazyFrame, history: History) -> RunLines:
        """The aggregates of ``lf``'s lines, as lazy plans over it."""
        base = history_base(lf, history)
        recent = history.windows.recent if history.windows else None
        mids = base.filter(MID.is_not_null())
        in_recent = mids if recent is None else mids.filter(pl.col("entry_date") >= recent)
        return cls(
            mid_first=mids.group_by("manufacturer_id").agg(
                pl.col("entry_date").min().alias("first_date")
            ),
            mid_recent=in_recent.group_by("manufacturer_id", HTS6.alias("hts6")).agg(
                pl.col("entered_value_usd").sum().alias("value")
            ),
            surge=base.group_by(
                HTS6.alias("hts6"), ORIGIN.alias("origin"), pl.col("_h_k").alias("k")
            ).agg(
                pl.col("entered_value_usd").sum().alias("value_usd"),
                pl.len().cast(pl.Int64).alias("lines"),
            ),
            combos=base.group_by(HOP_KEYS).agg(
                pl.len().cast(pl.Int64).alias("lines"),
                pl.col("entry_date").min().alias("first_date"),
                pl.col("entry_date").max().alias("last_date"),
            ),
            last_date=pl.col("entry_date").max(),
        )


def collect_run_lines(lf: pl.LazyFrame, history: History) -> RunLines:
    """``RunLines.of(lf)`` computed now (streaming engine): small frames any batch can read."""
    run = RunLines.of(lf, history)
    frames = pl.collect_all(
        [
            run.mid_first,
            run.mid_recent,
            run.surge,
            run.combos,
            lf.select(pl.col("entry_date").max()),
        ],
        engine="streaming",
    )
    mid_first, mid_recent, surge, combos, last = frames
    return RunLines(
        mid_first=mid_first.lazy(),
        mid_recent=mid_recent.lazy(),
        surge=surge.lazy(),
        combos=combos.lazy(),
        last_date=pl.lit(last.item(), dtype=pl.Date),
    )
