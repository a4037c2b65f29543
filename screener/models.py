"""Pydantic models of the library's line-by-line API: ``EntryLine`` in, ``LineResult`` out."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class EntryLine(BaseModel):
    """One customs entry line (DESIGN §3). Codes may be given in any form ingest accepts."""

    model_config = ConfigDict(extra="forbid")

    entry_number: str
    line_number: int = Field(ge=1)
    entry_date: date | str
    hts_code: str = Field(description="10-digit HTSUS, dotted or not")
    country_of_origin: str = Field(description="ISO alpha-2, alpha-3 or English name")
    entered_value_usd: float | str
    supplier_name: str
    country_of_export: str | None = None
    manufacturer_id: str | None = None
    manufacturer_name: str | None = None
    supplier_address: str | None = None
    supplier_country: str | None = None
    importer_id: str | None = None
    quantity: float | str | None = None
    quantity_unit: str | None = None
    port_of_lading: str | None = None
    transit_ports: list[str] | str | None = None
    port_of_entry: str | None = None
    mine_country: str | None = None
    refine_country: str | None = None
    cell_origin: str | None = None
    cn_ree_content_pct: float | str | None = None
    adcvd_case: str | None = None
    related_party: bool | str | None = None
    spi: str | None = None

    def as_text_row(self) -> dict[str, str | None]:
        """The line as an entry file would hold it: every value as text."""
        row: dict[str, str | None] = {}
        for name, value in self.model_dump().items():
            if value is None:
                row[name] = None
            elif isinstance(value, list):
                row[name] = ";".join(value)
            elif isinstance(value, bool):
                row[name] = "true" if value else "false"
            else:
                row[name] = str(value)
        return row


class Hit(BaseModel):
    party: str
    list_id: str
    list_version: str
    entity_id: str
    name_kind: str
    matched_name: str
    score: float
    confirmed: bool
    explanation: str


class Flag(BaseModel):
    rule: str
    severity: str
    weight: float
    evidence: str


class RegulatoryNote(BaseModel):
    """An informative note on the line (screener.regulatory_notes): not a flag."""

    code: str
    text: str
    source: str


class LineResult(BaseModel):
    """Every decision on one line, with its evidence."""

    entry_number: str
    line_number: int
    hts_code: str
    country_of_origin: str
    duty_class: str
    duty_rate_pct: float | None
    duty_usd: float | None
    duty_computable: bool
    adcvd: bool
    duty_reason: str
    duty_concern_basis: str | None
    duty_coverage_hts: str | None
    duty_mineral: str | None
    duty_stage: str | None
    duty_group: str | None
    duty_base_column: str
    duty_base_rate: str | None
    duty_s301_pct: float
    duty_ch99: str | None
    duty_trust_fund_usd: float | None
    origin_risk: float
    origin_rules_skipped: list[str]
    match_best_score: float | None
    match_confirmed: bool
    hits: list[Hit]
    flags: list[Flag]
    regulatory_notes: list[RegulatoryNote] = []
    ruleset_name: str
    ruleset_version: str
    ruleset_hash: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> LineResult:
        data = {k: v for k, v in row.items() if k in cls.model_fields}
        data["hits"] = row.get("match_hits") or []
        data["flags"] = row.get("origin_flags") or []
        data["origin_rules_skipped"] = row.get("origin_rules_skipped") or []
        data["regulatory_notes"] = row.get("regulatory_notes") or []
        data["match_confirmed"] = bool(row.get("match_confirmed"))
        return cls.model_validate(data)
