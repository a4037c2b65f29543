"""Pydantic models of ``regulatory_notes:`` in ruleset.yaml: informative notes put on lines.

A regulatory note says that a measure outside the bill's duty (a pending section 232 action, a
foreign export-control rule) concerns the line, and what state the measure was in on the line's
entry date. Notes are not flags: they never change risk, flags or duty
(``screener.regulatory_notes`` adds them after the duty stage). Kept apart from
``screener.ruleset_models`` so that module stays small; it imports these.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

NoteStage = Literal["ore", "intermediate", "compound", "metal", "wrought", "scrap", "derivative"]
NoteStatus = Literal["announced", "pending", "in_force", "suspended", "lapsed"]
PLACEHOLDERS: tuple[str, ...] = ("entry_date", "status", "detail")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoteLines(_Strict):
    """Which lines carry the note: every criterion given must hold (an empty list is no
    criterion); within one criterion any value will do."""

    stages: list[NoteStage] = Field(
        default_factory=list, description="coverage.csv stages (the line's duty_stage)"
    )
    hts_prefixes: list[Annotated[str, Field(pattern=r"^\d{4,10}$")]] = Field(
        default_factory=list, description="HTS digits the line's hts_code starts with"
    )
    minerals: list[str] = Field(
        default_factory=list,
        description="coverage minerals: the line's duty_mineral ('; '-separated) names one",
    )
    min_cn_ree_content_pct: float | None = Field(
        default=None,
        ge=0,
        le=100,
        description="declared Chinese-origin rare-earth content, percent of value (the entry "
        "column cn_ree_content_pct, 0-100), at or above which the note applies; a line "
        "declaring none does not carry the note",
    )

    @model_validator(mode="after")
    def _some_criterion(self) -> NoteLines:
        if not (self.stages or self.hts_prefixes or self.minerals):
            raise ValueError("lines: give stages, hts_prefixes or minerals (else every line)")
        return self


class NotePeriod(_Strict):
    """The measure's state from ``start`` through ``end`` (inclusive; null: open-ended)."""

    start: date = Field(description="first entry date of this state")
    end: date | None = Field(default=None, description="last entry date of this state")
    status: NoteStatus = Field(description="the measure's state on these dates")
    detail: str = Field(min_length=1, description="what the state means for the line")


class RegulatoryNote(_Strict):
    text: str = Field(
        min_length=1,
        description="the note's sentence; placeholders {entry_date}, {status} and {detail} "
        "take the line's entry date and the period it falls in",
    )
    source: str = Field(min_length=1, description="where the measure and its dates come from")
    lines: NoteLines = Field(description="which lines carry the note")
    dates: dict[str, date | None] = Field(
        default_factory=dict,
        description="the measure's key dates by name (null: not verified, see note)",
    )
    periods: list[NotePeriod] = Field(
        min_length=1, description="the measure's states; a line dated outside them has no note"
    )
    note: str = Field(default="", description="caveats: unverified dates, what was chosen")

    @model_validator(mode="after")
    def _check(self) -> RegulatoryNote:
        unknown = [p for p in _PLACEHOLDER.findall(self.text) if p not in PLACEHOLDERS]
        if unknown:
            raise ValueError(f"text: unknown placeholder(s) {unknown}; use {list(PLACEHOLDERS)}")
        for before, after in zip(self.periods, self.periods[1:], strict=False):
            if before.end is None or before.end >= after.start:
                raise ValueError(
                    f"periods: {before.start}..{before.end} overlaps or does not end before"
                    f" {after.start}; list periods in date order without overlap"
                )
        bad = [f"{p.start}..{p.end}" for p in self.periods if p.end and p.end < p.start]
        if bad:
            raise ValueError(f"periods end before they start: {', '.join(bad)}")
        return self


def split_template(text: str) -> list[tuple[str, bool]]:
    """The note text as (piece, is_placeholder) parts, in order."""
    parts: list[tuple[str, bool]] = []
    at = 0
    for m in _PLACEHOLDER.finditer(text):
        if m.start() > at:
            parts.append((text[at : m.start()], False))
        parts.append((m.group(1), True))
        at = m.end()
    if at < len(text):
        parts.append((text[at:], False))
    return parts
