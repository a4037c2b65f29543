"""Lookup frames the duty stage joins against, built once per ruleset.

Rate texts are parsed once per distinct text (a few thousand), never per entry line.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from screener.rates import Rate, parse_rate, special_programs
from screener.ruleset import Ruleset

RATE_FIELDS = ("text", "av", "spec", "unit", "ok", "problem")


def _rate_row(rate: Rate) -> dict[str, object]:
    return {
        "text": rate.text,
        "av": rate.ad_valorem_pct,
        "spec": rate.specific_usd,
        "unit": rate.unit,
        "ok": rate.computable,
        "problem": rate.problem,
    }


def _parsed(texts: pl.Series, prefix: str) -> pl.DataFrame:
    """Distinct rate texts -> parsed columns named ``{prefix}_{field}``; keyed by the text."""
    distinct = texts.drop_nulls().unique().to_list()
    rows = [_rate_row(parse_rate(t)) for t in distinct]
    frame = pl.DataFrame(
        rows,
        schema={
            "text": pl.String,
            "av": pl.Float64,
            "spec": pl.Float64,
            "unit": pl.String,
            "ok": pl.Boolean,
            "problem": pl.String,
        },
    )
    return frame.rename({f: f"{prefix}_{f}" for f in RATE_FIELDS})


@dataclass(frozen=True)
class DutyTables:
    coverage: pl.DataFrame  # hts_prefix + coverage columns, prefixed _cov_
    prefix_lengths: tuple[int, ...]  # longest first
    hts: pl.DataFrame  # hts_code, unit, general_* and column2_* parsed rate columns
    special: pl.DataFrame  # hts_code, spi, special_* parsed rate columns

    @classmethod
    def build(cls, ruleset: Ruleset) -> DutyTables:
        coverage = ruleset.coverage.select(
            pl.col("hts_prefix").alias("_cov_prefix"),
            pl.col("mineral").alias("_cov_mineral"),
            pl.col("stage").alias("_cov_stage"),
            pl.col("group").alias("_cov_group"),
            pl.col("s301_pct").cast(pl.Float64).alias("_cov_s301"),
            pl.col("s301_ch99").alias("_cov_ch99"),
            pl.col("s301_basis").alias("_cov_basis"),
            pl.col("policy_override_pct").cast(pl.Float64).alias("_cov_override"),
        )
        lengths = tuple(sorted({len(p) for p in coverage["_cov_prefix"]}, reverse=True))
        hts = ruleset.hts.select(
            pl.col("hts10").alias("hts_code"),
            pl.col("unit").alias("_hts_unit"),
            pl.col("general"),
            pl.col("column2"),
        )
        general = _parsed(hts["general"], "general")
        column2 = _parsed(hts["column2"], "column2")
        hts = hts.join(general, left_on="general", right_on="general_text", how="left")
        hts = hts.join(column2, left_on="column2", right_on="column2_text", how="left")
        hts = hts.rename({"general": "general_text", "column2": "column2_text"})
        pairs = [
            {"hts_code": h, "spi": code, "special_text": text}
            for h, s in ruleset.hts.select("hts10", "special").iter_rows()
            if s
            for code, text in special_programs(s).items()
        ]
        special = pl.DataFrame(
            pairs, schema={"hts_code": pl.String, "spi": pl.String, "special_text": pl.String}
        )
        parsed = _parsed(special["special_text"], "special")
        special = special.join(parsed, on="special_text", how="left")
        return cls(coverage=coverage, prefix_lengths=lengths, hts=hts, special=special)
