"""The decision tree of an entry line as data, as plain text and as a rich tree.

``explain_data`` gathers everything that decided a stored line (DESIGN §9: the run and its
versions, the duty decision with the ruleset rows it came from, flags, hits with their list
entries, suppressed hits and allowlist decisions, skipped rules, regulatory notes, outcomes) into
one JSON-able dict per line. ``explain_text`` (the report, the SQL function ``explain_line``) and
``explain_tree`` (``screener explain``) render that same dict, so the three never disagree.

One line's dict::

    entry_number, line_number
    line: entry_date, hts_code, country_of_origin, supplier_name, ..., source, row_number
    run: run_id, started_at, ruleset_name, ruleset_version, ruleset_hash, list_versions, ...
    duty: class, rate_pct, usd, computable, reason, base_column, base_rate, s301_pct, ch99,
          concern_basis, trust_fund_usd, adcvd,
          coverage (the ruleset's coverage.csv row, or null), origin_country (its roles),
          ruleset_note (why the ruleset rows could not be shown, else null)
    origin: risk, hold_threshold, flags [rule, severity, weight, evidence],
            rules_skipped {not_enough_history, no_data}
    match: best_score, confirmed, hits [party, list_id, list_version, entity_id, matched_name,
           name_kind, score, confirmed, explanation, ownership_chain], suppressed_hits,
           allowlist_notes
    regulatory_notes [code, text, source] (when the column exists), outcomes (when the table
    exists)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import polars as pl

from screener import store_explain
from screener.allowlist import explain_notes
from screener.explain_render import explain_text, explain_tree
from screener.origin_history import HISTORY_RULE_CODES
from screener.ruleset import Ruleset, find_run_ruleset

if TYPE_CHECKING:
    from screener.store import Store

__all__ = ["explain_data", "explain_text", "explain_tree"]

LINE_FIELDS = (
    "entry_date",
    "hts_code",
    "country_of_origin",
    "country_of_export",
    "entered_value_usd",
    "quantity",
    "quantity_unit",
    "supplier_name",
    "supplier_country",
    "manufacturer_name",
    "importer_id",
    "mine_country",
    "refine_country",
    "cell_origin",
    "port_of_lading",
    "transit_ports",
    "port_of_entry",
    "spi",
    "source",
    "row_number",
)
_CHAIN_MARK = "; owned or controlled by "


def _jsonable(value: object) -> Any:
    """Dates as ISO text, containers walked; everything else as stored."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _run_ruleset(run: Mapping[str, Any]) -> tuple[Ruleset | None, str | None]:
    """The ruleset of this name found here, and a note when it is missing or is not the one the
    run used (its content hash differs): its rows are then shown, marked as today's."""
    name, want = str(run["ruleset_name"]), str(run["ruleset_hash"])
    ruleset = find_run_ruleset(name)
    if ruleset is None:
        return (
            None,
            f"ruleset {name} is not found here: its coverage row and country roles are not shown",
        )
    if ruleset.content_hash != want:
        return ruleset, (
            f"ruleset {name} found here is #{ruleset.content_hash}, the run used #{want}: the"
            " coverage row and country roles shown are the ones found here"
        )
    return ruleset, None


def _coverage_row(ruleset: Ruleset, prefix: object) -> dict[str, Any] | None:
    if prefix is None:
        return None
    rows = ruleset.coverage.filter(pl.col("hts_prefix") == str(prefix)).to_dicts()
    return rows[0] if rows else None


def _country_roles(ruleset: Ruleset, code: object, on: object) -> list[dict[str, Any]]:
    """The country's rows in countries.csv in force on the entry date (concern, alliance, ...)."""
    rows = ruleset.countries.filter(pl.col("code") == str(code))
    if isinstance(on, date):
        rows = rows.filter(
            (pl.col("since") <= on) & (pl.col("until").is_null() | (pl.col("until") > on))
        )
    return rows.select("role", "since", "until", "note", "source").to_dicts()


def _hit(hit: Mapping[str, Any]) -> dict[str, Any]:
    explanation = str(hit.get("explanation") or "")
    chain = (
        "owned or controlled by " + explanation.split(_CHAIN_MARK, 1)[1]
        if _CHAIN_MARK in explanation
        else None
    )
    return {**hit, "ownership_chain": chain}


def _list(value: object) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _struct_list(value: object) -> list[dict[str, Any]]:
    if isinstance(value, str):  # a DuckDB LIST(STRUCT) may come back as JSON text
        value = json.loads(value)
    return [dict(v) for v in value] if isinstance(value, list) else []


def _duty(line: Mapping[str, Any], ruleset: Ruleset | None, note: str | None) -> dict[str, Any]:
    origin = line["country_of_origin"]
    roles = _country_roles(ruleset, origin, line["entry_date"]) if ruleset else None
    return {
        "class": line["duty_class"],
        "rate_pct": line["duty_rate_pct"],
        "usd": line["duty_usd"],
        "computable": line["duty_computable"],
        "reason": line["duty_reason"],
        "base_column": line["duty_base_column"],
        "base_rate": line["duty_base_rate"],
        "s301_pct": line["duty_s301_pct"],
        "ch99": line["duty_ch99"],
        "concern_basis": line["duty_concern_basis"],
        "trust_fund_usd": line["duty_trust_fund_usd"],
        "adcvd": line["adcvd"],
        "coverage_hts": line["duty_coverage_hts"],
        "coverage": _coverage_row(ruleset, line["duty_coverage_hts"]) if ruleset else None,
        "origin_country": {
            "code": origin,
            "roles": roles,
            "class": None if roles is None else ", ".join(sorted({r["role"] for r in roles})),
        },
        "ruleset_note": note,
    }


def _outcomes(store: Store, line: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    if not store.has_table("outcomes"):
        return None
    return store.dicts(
        "SELECT * FROM outcomes WHERE entry_number = ? AND line_number = ?"
        " ORDER BY decided_at, outcome_id",
        [line["entry_number"], line["line_number"]],
    )


def explain_data(
    store: Store, entry_number: str, line_number: int | None, *, run_id: str | None = None
) -> list[dict[str, Any]]:
    """One JSON-able dict per line of the entry (or the one line) in the latest run holding it
    (or in run ``run_id``); empty when the store has no such line."""
    lines = store_explain.explain(store, entry_number, line_number, run_id)
    items: list[dict[str, Any]] = []
    for line in lines:
        notes = explain_notes(store, line)  # reads the run's started_at as a datetime
        run = line["run"]
        assert isinstance(run, dict)
        ruleset, note = _run_ruleset(run)
        skipped = [str(s) for s in _list(line.get("origin_rules_skipped"))]
        item: dict[str, Any] = {
            "entry_number": line["entry_number"],
            "line_number": line["line_number"],
            "line": {k: line.get(k) for k in LINE_FIELDS},
            "run": run,
            "duty": _duty(line, ruleset, note),
            "origin": {
                "risk": line["origin_risk"],
                "hold_threshold": ruleset.config.hold_threshold if ruleset else None,
                "flags": _list(line.get("flags")),
                "rules_skipped": {
                    "not_enough_history": [s for s in skipped if s in HISTORY_RULE_CODES],
                    "no_data": [s for s in skipped if s not in HISTORY_RULE_CODES],
                },
            },
            "match": {
                "best_score": line["match_best_score"],
                "confirmed": line["match_confirmed"],
                "hits": [_hit(h) for h in _list(line.get("hits"))],
                "suppressed_hits": _list(line.get("suppressed_hits")),
                "allowlist_notes": notes,
            },
        }
        if "regulatory_notes" in line:
            item["regulatory_notes"] = _struct_list(line["regulatory_notes"])
        outcomes = _outcomes(store, line)
        if outcomes is not None:
            item["outcomes"] = outcomes
        items.append(_jsonable(item))
    return items
