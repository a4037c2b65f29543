"""Pydantic models of the history rules' ``params:`` in ruleset.yaml (DESIGN §6).

Read by ``screener.origin_history`` and the ``screener.history*`` modules through
``RulesetFile.rule_params`` / ``history_params``; kept apart from ``screener.ruleset_models`` so
that module stays small. Every model forbids unknown fields.
"""

from __future__ import annotations

from typing import Annotated, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

HtsPrefix = Annotated[str, Field(pattern=r"^\d{4,10}$", description="HTS digits, no dots")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReferencePrice(_Strict):
    hts_prefix: HtsPrefix
    unit: str = Field(min_length=1, description="quantity unit the price is per (kg, No.)")
    min_usd_per_unit: float = Field(gt=0, description="lowest plausible unit value, USD")
    source: str = Field(min_length=1, description="where the price comes from")


class UnitValueParams(_Strict):
    window_months: int = Field(default=12, ge=1, le=60, description="history months looked at")
    min_prior_lines: int = Field(
        default=20, ge=3, description="prior lines of the same HTS10 and unit a fence needs"
    )
    mad_k: float = Field(
        default=3.0, gt=0, description="fence = median * exp(-k * 1.4826 * MAD of ln(unit value))"
    )
    min_mad_pct: float = Field(
        default=5.0,
        ge=0,
        le=100,
        description="MAD floor, as ln(1 + pct/100): identical prior prices do not make every "
        "cheaper line an outlier",
    )
    reference_prices: list[ReferencePrice] = Field(
        default_factory=list, description="minimum unit values by HTS prefix, each with a source"
    )


class NewManufacturerParams(_Strict):
    recent_months: int = Field(
        default=3, ge=1, le=24, description="recent window, calendar months incl. the batch's"
    )
    min_lookback_months: int = Field(
        default=1, ge=1, description="months of history before the recent window"
    )
    top_n: int = Field(default=3, ge=1, description="fires when the MID ranks in the top N ...")
    min_share_pct: float = Field(
        default=10.0, ge=0, le=100, description="... or holds at least this % of the HTS6 value"
    )
    min_shippers: int = Field(
        default=5, ge=1, description="MIDs shipping the HTS6 in the recent window for a ranking"
    )


class OriginSurgeParams(_Strict):
    window_months: int = Field(default=12, ge=2, le=60, description="history months looked at")
    baseline_months: int = Field(default=6, ge=1, description="baseline before the duty event")
    min_baseline_days: int = Field(
        default=28, ge=1, description="history days before the event a baseline needs"
    )
    min_ratio: float = Field(default=3.0, gt=1, description="after / before monthly value")
    min_value_usd_per_month: float = Field(
        default=250_000, ge=0, description="monthly value since the event, at least"
    )
    min_lines: int = Field(default=5, ge=1, description="lines since the event, at least")


class OriginHoppingParams(_Strict):
    window_months: int = Field(default=6, ge=1, le=60, description="history months looked at")
    min_origins: int = Field(default=2, ge=2, description="distinct origins for one HTS6")
    new_origins_only: bool = Field(
        default=True,
        description="fire only on lines declaring an origin the party first declared after"
        " another one, not on its first origin",
    )


class SiblingPair(_Strict):
    covered: HtsPrefix = Field(description="covered HTS prefix")
    sibling: HtsPrefix = Field(description="uncovered (or differently covered) sibling prefix")
    note: str = ""


class ClassificationShiftParams(_Strict):
    window_months: int = Field(default=12, ge=1, le=60, description="history months looked at")
    min_covered_lines: int = Field(
        default=3, ge=1, description="lines of the covered prefix the party declared before"
    )
    max_sibling_share_pct: float = Field(
        default=10.0,
        ge=0,
        le=100,
        description="sibling lines before the event, at most this % of the covered lines",
    )
    pairs: list[SiblingPair] = Field(default_factory=list)


EvasionParty = Literal["manufacturer", "supplier", "importer"]


def _every_party() -> list[EvasionParty]:
    return ["manufacturer", "supplier", "importer"]


class PriorEvasionParams(_Strict):
    window_months: int = Field(
        default=36, ge=1, le=120, description="decided lines entered this many months back count"
    )
    parties: list[EvasionParty] = Field(
        default_factory=_every_party,
        min_length=1,
        description="parties followed: manufacturer ID, supplier (normalized name), importer",
    )


# rule code -> the model its `params:` are validated with; a rule not named here takes none
RULE_PARAMS: dict[str, type[_Strict]] = {
    "PRIOR_CONFIRMED_EVASION": PriorEvasionParams,
    "UNIT_VALUE_LOW": UnitValueParams,
    "NEW_MANUFACTURER_SURGE": NewManufacturerParams,
    "ORIGIN_SURGE": OriginSurgeParams,
    "ORIGIN_HOPPING": OriginHoppingParams,
    "CLASSIFICATION_SHIFT": ClassificationShiftParams,
}


class HistoryParams(NamedTuple):
    """``RulesetFile.history_params``: each history rule's params, typed."""

    unit_value: UnitValueParams
    new_mid: NewManufacturerParams
    surge: OriginSurgeParams
    hopping: OriginHoppingParams
    shift: ClassificationShiftParams
