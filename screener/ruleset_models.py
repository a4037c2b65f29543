"""Pydantic models of a ruleset's files (DESIGN §8): ``ruleset.yaml`` and one row of each table.

Every model forbids unknown fields, so a typo in a ruleset is an error, not a silent default.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166 alpha-2")]
Stage = Literal["ore", "intermediate", "compound", "metal", "wrought", "scrap", "derivative"]
Group = Literal["critical_mineral", "derivative"]
Role = Literal["concern", "concern_optional", "alliance", "column2"]
Severity = Literal["info", "low", "medium", "high"]


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
    trust_fund: TrustFund
    sources: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


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


_ROW_MODELS: dict[str, type[_Strict]] = {
    "coverage.csv": CoverageRow,
    "hts_schedule.csv": HtsRow,
    "countries.csv": CountryRow,
    "minerals.csv": MineralRow,
}
