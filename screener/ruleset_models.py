"""Pydantic models of a ruleset's files (DESIGN §8): ``ruleset.yaml`` and one row of each table.

Every model forbids unknown fields, so a typo in a ruleset is an error, not a silent default.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from screener.ruleset_notes import RegulatoryNote
from screener.ruleset_rule_params import (
    RULE_PARAMS,
    ClassificationShiftParams,
    HistoryParams,
    NewManufacturerParams,
    OriginHoppingParams,
    OriginSurgeParams,
    UnitValueParams,
)

CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166 alpha-2")]
Stage = Literal["ore", "intermediate", "compound", "metal", "wrought", "scrap", "derivative"]
Group = Literal["critical_mineral", "derivative"]
Role = Literal["concern", "concern_optional", "alliance", "column2"]
Severity = Literal["info", "low", "medium", "high"]
P = TypeVar("P", bound=BaseModel)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MatchThreshold(_Strict):
    review: float = Field(ge=0, le=100, description="score at or above which a hit is flagged")
    confirm: float = Field(ge=0, le=100, description="score at or above which a hit is confirmed")

    @model_validator(mode="after")
    def _ordered(self) -> MatchThreshold:
        if self.review > self.confirm:
            raise ValueError(f"review threshold {self.review} is above confirm {self.confirm}")
        return self


class Matching(_Strict):
    default: MatchThreshold
    lists: dict[str, MatchThreshold] = Field(
        default_factory=dict, description="per list_id overrides of the default thresholds"
    )


class RuleConfig(_Strict):
    weight: float = Field(ge=0, le=1, description="contribution to risk: 1 - prod(1 - w)")
    concern_weight: float | None = Field(
        default=None, ge=0, le=1, description="weight of the stronger variant (country of concern)"
    )
    severity: Severity = "medium"
    concern_severity: Severity = "high"
    description: str = ""
    params: dict[str, Any] | None = Field(
        default=None, description="the rule's parameters, validated by its model in RULE_PARAMS"
    )


class DutyEvent(_Strict):
    effective: date = Field(description="first entry date the duty change applies to")
    description: str = Field(min_length=1)
    source: str = ""


class TrustFund(_Strict):
    groups: list[Group] = Field(description="coverage groups whose duty feeds the fund")
    classes: list[str] = Field(description="duty classes whose duty feeds the fund")
    shares: dict[str, float] = Field(description="recipient -> share; shares sum to 1")

    @model_validator(mode="after")
    def _sum_to_one(self) -> TrustFund:
        total = sum(self.shares.values())
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"trust_fund shares sum to {total}, not 1")
        return self


class Options(_Strict):
    hk_mo_as_concern: bool = Field(
        default=False,
        description="treat Hong Kong and Macau (countries.csv role concern_optional) as of concern",
    )


# --- IMPLAUSIBLE_ORIGIN and XINJIANG_NEXUS (screener.origin_capacity) ---------------------------

CapacityStage = Literal["mining", "refining", "metal", "magnets", "cells"]
Confidence = Literal["high", "medium", "low"]
PlaceKind = Literal[
    "region", "prefecture", "prefecture_city", "county_city", "county", "district", "zone"
]


class DerivativeCapacity(_Strict):
    hts_prefix: str = Field(pattern=r"^\d{4,10}$", description="HTS digits of derivative lines")
    stage: CapacityStage = Field(description="capacity.csv stage these lines are checked at")
    mineral: str = Field(
        min_length=1, description="capacity.csv mineral the stage is recorded under"
    )


class CapacityConfig(_Strict):
    """How a coverage line (mineral, stage) is looked up in capacity.csv."""

    stages: dict[Stage, CapacityStage | None] = Field(
        description="coverage.csv stage -> capacity.csv stage; null never fires (scrap can come "
        "from anywhere; derivative lines are mapped by capacity.derivatives)"
    )
    derivatives: list[DerivativeCapacity] = Field(
        default_factory=list,
        description="coverage stage `derivative`: capacity stage and mineral by HTS prefix",
    )
    families: dict[str, str] = Field(
        default_factory=dict,
        description="minerals.csv family -> the capacity.csv mineral of every mineral in it",
    )
    min_confidence: Confidence = Field(
        default="medium", description="a recorded `no` fires only at or above this confidence"
    )

    @model_validator(mode="after")
    def _every_stage(self) -> CapacityConfig:
        missing = [s for s in get_args(Stage) if s not in self.stages]
        if missing:
            raise ValueError(f"capacity.stages misses {missing} (map each, null = never fires)")
        if self.stages.get("derivative") is not None:
            raise ValueError("capacity.stages.derivative must be null: use capacity.derivatives")
        return self


class UflpaSector(_Strict):
    minerals: list[str] = Field(min_length=1, description="minerals.csv names in the sector")
    source: str = Field(min_length=1, description="where DHS names the sector")


class XinjiangConfig(_Strict):
    uflpa_lists: list[str] = Field(
        default_factory=list,
        description="list ids whose every entity counts as UFLPA-listed (the hit struct carries "
        "no programs, so a mixed list cannot be filtered per entity)",
    )
    sectors: dict[str, UflpaSector] = Field(
        description="UFLPA high-priority sector -> the coverage minerals it covers"
    )
    china_context: list[str] = Field(
        min_length=1,
        description="words that put an address in China, so an ambiguous place name counts "
        "(Latin: whole words, case-insensitive; Han: substrings)",
    )


class RulesetFile(_Strict):
    """ruleset.yaml after merging with its base."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    version: str
    description: str
    extends: str | None = Field(default=None, description="base ruleset name or relative path")
    effective_from: date = Field(description="first entry date the ruleset applies to")
    effective_to: date | None = None
    s301_reference_date: date = Field(description="date whose section 301 rates the bill adopts")
    options: Options = Options()
    matching: Matching
    hold_threshold: float = Field(ge=0, le=1, description="origin risk at which a line is held")
    rules: dict[str, RuleConfig]
    duty_events: list[DutyEvent] = Field(
        default_factory=list,
        description="duty changes on countries of concern the history rules compare around",
    )
    trust_fund: TrustFund
    capacity: CapacityConfig = Field(
        description="IMPLAUSIBLE_ORIGIN: coverage stage -> capacity.csv stage and mineral"
    )
    xinjiang: XinjiangConfig = Field(
        description="XINJIANG_NEXUS: UFLPA-style lists, high-priority sectors, China context"
    )
    regulatory_notes: dict[str, RegulatoryNote] = Field(
        default_factory=dict,
        description="code -> informative note on lines (screener.regulatory_notes); not a flag",
    )
    sources: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _rule_params(self) -> RulesetFile:
        problems: list[str] = []
        for code, config in self.rules.items():
            model = RULE_PARAMS.get(code)
            if model is None:
                if config.params:
                    problems.append(f"rules.{code}.params: rule {code} takes no params")
                continue
            try:
                model.model_validate(config.params or {})
            except ValidationError as exc:
                for err in exc.errors():
                    where = ".".join(str(p) for p in err["loc"])
                    problems.append(f"rules.{code}.params.{where}: {err['msg']}")
        dates = [e.effective for e in self.duty_events]
        if dates != sorted(set(dates)):
            problems.append("duty_events: dates must be unique and in ascending order")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def rule_params(self, code: str, model: type[P]) -> P:
        """The typed params of one rule (its defaults when the ruleset gives none)."""
        config = self.rules.get(code)
        return model.model_validate(config.params or {} if config else {})

    def history_params(self) -> HistoryParams:
        """The typed params of the five history rules at once."""
        return HistoryParams(
            unit_value=self.rule_params("UNIT_VALUE_LOW", UnitValueParams),
            new_mid=self.rule_params("NEW_MANUFACTURER_SURGE", NewManufacturerParams),
            surge=self.rule_params("ORIGIN_SURGE", OriginSurgeParams),
            hopping=self.rule_params("ORIGIN_HOPPING", OriginHoppingParams),
            shift=self.rule_params("CLASSIFICATION_SHIFT", ClassificationShiftParams),
        )


class CoverageRow(_Strict):
    hts_prefix: str = Field(pattern=r"^\d{4,10}$", description="HTS digits; longest prefix wins")
    mineral: str = Field(min_length=1, description="USGS mineral name(s), '; '-separated")
    stage: Stage
    group: Group
    description: str
    mfn_general: str = Field(description="Column 1 General rate as the HTS 2026 prints it")
    s301_pct: float = Field(ge=0, description="section 301 ad valorem rate on the reference date")
    s301_ch99: str = Field(default="", description="Chapter 99 heading of that rate, '' if none")
    s301_basis: str = ""
    policy_override_pct: float | None = Field(
        default=None, ge=0, description="rate the scenario applies instead of s301_pct"
    )
    confidence: str
    source: str
    note: str = ""


class HtsRow(_Strict):
    hts10: str = Field(pattern=r"^\d{10}$")
    description: str
    unit: str = ""
    general: str = ""
    special: str = ""
    column2: str = ""


class CountryRow(_Strict):
    code: CountryCode
    role: Role
    since: date
    until: date | None = None
    note: str = ""
    source: str = ""


class MineralRow(_Strict):
    mineral: str
    usgs_2022: bool
    usgs_2025: bool
    family: str = Field(default="", description="REE, PGM or ''")
    source: str = ""


class CapacityRow(_Strict):
    country: CountryCode
    mineral: str = Field(
        min_length=1, description="minerals.csv name, or a capacity.families name (rare earths)"
    )
    stage: CapacityStage
    capacity: Literal["yes", "no"] = Field(
        description="yes: a known producer; no: an absence the source records (no row = unknown)"
    )
    world_share_pct: float | None = Field(
        default=None, ge=0, le=100, description="approximate share of world output at the stage"
    )
    confidence: Confidence
    source: str = Field(min_length=1, description="the publication the row rests on")
    note: str = ""


class XinjiangPlaceRow(_Strict):
    name: str = Field(
        min_length=2,
        pattern=r"^[^\s,;|()\[\]{}\\*+?^$.]+( [^\s,;|()\[\]{}\\*+?^$.]+)*$",
        description="as written: Latin (matched as whole words, any case) or Han/Uyghur "
        "(substrings); single spaces between words",
    )
    script: Literal["latin", "han", "uyghur"]
    kind: PlaceKind
    place: str = Field(min_length=1, description="the place, in English, for explanations")
    ambiguous: bool = Field(
        description="also a place or word outside Xinjiang: counts only in an address naming "
        "China (xinjiang.china_context) or with supplier_country CN, never in a party name"
    )
    note: str = ""
    source: str = Field(min_length=1)


_ROW_MODELS: dict[str, type[_Strict]] = {
    "coverage.csv": CoverageRow,
    "hts_schedule.csv": HtsRow,
    "countries.csv": CountryRow,
    "minerals.csv": MineralRow,
    "capacity.csv": CapacityRow,
    "xinjiang_places.csv": XinjiangPlaceRow,
}
