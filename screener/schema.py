"""Every column name and dtype screener reads or writes: the one place a column is spelled.

Stages add columns with their own prefix (``match_``, ``origin_``, ``duty_``); scratch columns
start with ``_`` and never leave their stage.
"""

from __future__ import annotations

import polars as pl

# --- entry lines (DESIGN §3): the input contract, after normalization -------------------------
REQUIRED: tuple[str, ...] = (
    "entry_number",
    "line_number",
    "entry_date",
    "hts_code",
    "country_of_origin",
    "entered_value_usd",
    "supplier_name",
)

ENTRY: dict[str, pl.DataType] = {
    "entry_number": pl.String(),
    "line_number": pl.Int64(),
    "entry_date": pl.Date(),
    "hts_code": pl.String(),  # 10 digits, leading zeros kept
    "country_of_origin": pl.String(),  # ISO alpha-2, upper
    "entered_value_usd": pl.Float64(),
    "supplier_name": pl.String(),
    "country_of_export": pl.String(),
    "manufacturer_id": pl.String(),
    "manufacturer_name": pl.String(),
    "supplier_address": pl.String(),
    "supplier_country": pl.String(),
    "importer_id": pl.String(),
    "quantity": pl.Float64(),
    "quantity_unit": pl.String(),
    "port_of_lading": pl.String(),
    "transit_ports": pl.List(pl.String()),
    "port_of_entry": pl.String(),
    "mine_country": pl.String(),
    "refine_country": pl.String(),
    "cell_origin": pl.String(),
    "cn_ree_content_pct": pl.Float64(),
    "adcvd_case": pl.String(),
    "related_party": pl.Boolean(),
    "spi": pl.String(),
}
OPTIONAL: tuple[str, ...] = tuple(c for c in ENTRY if c not in REQUIRED)

# Optional columns holding a country (normalized to ISO alpha-2 like country_of_origin).
COUNTRY_COLUMNS: tuple[str, ...] = (
    "country_of_origin",
    "country_of_export",
    "supplier_country",
    "mine_country",
    "refine_country",
    "cell_origin",
)

# Added by ingest: where the line came from, and the entry-number check.
PROVENANCE: dict[str, pl.DataType] = {
    "source": pl.String(),  # input file name (or "frame" / "line" for library calls)
    "row_number": pl.Int64(),  # 1-based data row in the source (header not counted)
    "entry_check_digit_ok": pl.Boolean(),  # CBP check digit; null when not checkable
}

# --- entity lists (DESIGN §4): one row per name ------------------------------------------------
ENTITY_NAMES: dict[str, pl.DataType] = {
    "list_id": pl.String(),
    "list_version": pl.String(),
    "entity_id": pl.String(),  # the list's own id (OFAC ent_num)
    "entity_type": pl.String(),  # entity | individual | vessel | aircraft | unknown
    "name": pl.String(),
    "name_kind": pl.String(),  # primary | aka | fka | weak
    "country": pl.String(),  # ISO alpha-2 when known
    "programs": pl.String(),
    "address": pl.String(),
    "source_url": pl.String(),
    "parent_entity_id": pl.String(),
}

# --- match stage ------------------------------------------------------------------------------
HIT_STRUCT = pl.Struct(
    {
        "party": pl.String(),  # supplier | manufacturer
        "list_id": pl.String(),
        "list_version": pl.String(),
        "entity_id": pl.String(),
        "name_kind": pl.String(),
        "matched_name": pl.String(),
        "score": pl.Float64(),
        "confirmed": pl.Boolean(),
        "explanation": pl.String(),
    }
)
MATCH: dict[str, pl.DataType] = {
    "match_hits": pl.List(HIT_STRUCT),  # every hit >= review threshold, best first
    "match_best_score": pl.Float64(),  # 0-100, null when no hit
    "match_confirmed": pl.Boolean(),  # a hit at or above its list's confirm threshold
}

# --- origin stage -----------------------------------------------------------------------------
FLAG_STRUCT = pl.Struct(
    {
        "rule": pl.String(),
        "severity": pl.String(),  # info | low | medium | high
        "weight": pl.Float64(),
        "evidence": pl.String(),
    }
)
ORIGIN: dict[str, pl.DataType] = {
    "origin_flags": pl.List(FLAG_STRUCT),
    "origin_risk": pl.Float64(),  # 1 - prod(1 - weight)
    "origin_rules_skipped": pl.List(pl.String()),  # rules that lacked an optional column
}

# --- duty stage -------------------------------------------------------------------------------
DUTY: dict[str, pl.DataType] = {
    "duty_coverage_hts": pl.String(),  # matched coverage prefix, null when not covered
    "duty_mineral": pl.String(),
    "duty_stage": pl.String(),
    "duty_group": pl.String(),  # critical_mineral | derivative
    "duty_concern_basis": pl.String(),  # why the line is concern-sourced, null if it is not
    "duty_class": pl.String(),
    "duty_base_column": pl.String(),  # general | special | column2
    "duty_base_rate": pl.String(),  # rate text as the HTS prints it
    "duty_s301_pct": pl.Float64(),  # section 301 component applied (0 when none)
    "duty_ch99": pl.String(),  # Chapter 99 heading of the section 301 rate
    "duty_rate_pct": pl.Float64(),  # ad valorem total, e.g. 27.1; null when not computable
    "duty_usd": pl.Float64(),  # null when not computable
    "duty_computable": pl.Boolean(),
    "adcvd": pl.Boolean(),
    "duty_trust_fund_usd": pl.Float64(),  # share of duty_usd feeding the trust fund
    "duty_reason": pl.String(),
}

DUTY_CLASSES: tuple[str, ...] = (
    "CONCERN_301",
    "HOLD_VERIFY",
    "ALLIANCE_FREE",
    "MFN",
    "NOT_COVERED",
)

# --- regulatory notes (screener.regulatory_notes): informative, never a flag -------------------
NOTE_STRUCT = pl.Struct(
    {
        "code": pl.String(),  # ruleset regulatory_notes key, e.g. SECTION_232_PCMDP_PENDING
        "text": pl.String(),  # the measure and its state on the line's entry date
        "source": pl.String(),
    }
)
NOTES: dict[str, pl.DataType] = {"regulatory_notes": pl.List(NOTE_STRUCT)}

# --- run provenance carried on every result row ----------------------------------------------
RUN: dict[str, pl.DataType] = {
    "run_id": pl.String(),
    "ruleset_name": pl.String(),
    "ruleset_version": pl.String(),
    "ruleset_hash": pl.String(),
}

# --- rejects ----------------------------------------------------------------------------------
REJECTS: dict[str, pl.DataType] = {
    "run_id": pl.String(),
    "source": pl.String(),
    "row_number": pl.Int64(),
    "entry_number": pl.String(),
    "field": pl.String(),
    "value": pl.String(),
    "reason": pl.String(),
    "raw": pl.String(),  # the row as read, JSON
}

# --- long tables the store explodes from the list columns --------------------------------------
HITS: dict[str, pl.DataType] = {
    "run_id": pl.String(),
    "entry_number": pl.String(),
    "line_number": pl.Int64(),
    **{f.name: f.dtype() if isinstance(f.dtype, type) else f.dtype for f in HIT_STRUCT.fields},
}
FLAGS: dict[str, pl.DataType] = {
    "run_id": pl.String(),
    "entry_number": pl.String(),
    "line_number": pl.Int64(),
    **{f.name: f.dtype() if isinstance(f.dtype, type) else f.dtype for f in FLAG_STRUCT.fields},
}

RESULT: dict[str, pl.DataType] = {**RUN, **PROVENANCE, **ENTRY, **MATCH, **ORIGIN, **DUTY, **NOTES}


def empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """An empty frame with exactly these columns and dtypes."""
    return pl.DataFrame(schema=schema)
