"""IMPLAUSIBLE_ORIGIN and XINJIANG_NEXUS (DESIGN §6): origin rules that read ruleset tables.

Both need the line's coverage row (mineral, stage), which the duty stage joins only later, so
``add_capacity_columns`` (called once by ``flag_origin``) matches the HTS code against the coverage
prefixes and looks up two small tables the ruleset gives, built here in Python:

- ``_cap_implausible``: per (coverage prefix, origin) that fires, the evidence; null otherwise.
  A pair fires when capacity.csv records a ``no`` (at or above ``capacity.min_confidence``) for
  the origin and every mineral of the line that capacity.csv covers at the line's capacity stage.
  A country without a row is unknown and never fires.
- ``_cap_sector``: per coverage prefix in a UFLPA high-priority sector, the sentence naming it.

Per line that is a prefix match and two hash lookups. The Xinjiang place patterns run only on
lines of a sector (other lines are masked to null first), so the regexes see a small share of a
batch. The ``_cap_`` columns are scratch: ``flag_origin`` drops them (``SCRATCH``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

from screener.origin_rule import ORIGIN, Concern, Rule
from screener.ruleset import Ruleset

SCRATCH: tuple[str, ...] = ("_cap_prefix", "_cap_implausible", "_cap_sector")
_RANK = {"low": 0, "medium": 1, "high": 2}
_REGEX_META = set(r".^$*+?()[]{}|\-#&~")


# --- lookups built from the ruleset ----------------------------------------------------------


def _dotted(prefix: str) -> str:
    """8112921000 -> 8112.92.10.00; 850511 -> 8505.11."""
    return ".".join([prefix[:4], *(prefix[i : i + 2] for i in range(4, len(prefix), 2))])


def _pct(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _capacity_target(
    row: dict[str, Any], ruleset: Ruleset, family: dict[str, str]
) -> tuple[str | None, list[str]]:
    """(capacity stage, capacity minerals) a coverage row is looked up at; stage None: never."""
    cfg = ruleset.config.capacity
    if row["stage"] == "derivative":
        rules = [d for d in cfg.derivatives if row["hts_prefix"].startswith(d.hts_prefix)]
        best = max(rules, key=lambda d: len(d.hts_prefix), default=None)
        return (best.stage, [best.mineral]) if best else (None, [])
    stages: dict[str, str | None] = {k: v for k, v in cfg.stages.items()}
    minerals = [m.strip() for m in row["mineral"].split(";")]
    names = [cfg.families.get(family.get(m, ""), m) for m in minerals]
    return stages.get(row["stage"]), list(dict.fromkeys(names))


def _leaders(capacity: pl.DataFrame) -> dict[tuple[str, str], str]:
    """(mineral, stage) -> 'CN 98%': the largest recorded world share among the producers."""
    top = (
        capacity.filter((pl.col("capacity") == "yes") & pl.col("world_share_pct").is_not_null())
        .sort("world_share_pct", descending=True)
        .unique(["mineral", "stage"], keep="first")
    )
    return {
        (r["mineral"], r["stage"]): f"{r['country']} {_pct(r['world_share_pct'])}%"
        for r in top.iter_rows(named=True)
    }


def implausible_pairs(ruleset: Ruleset) -> dict[str, str]:
    """'<coverage prefix>|<origin>' -> evidence, for every pair IMPLAUSIBLE_ORIGIN fires on."""
    cfg = ruleset.config.capacity
    rows = {(r["country"], r["mineral"], r["stage"]): r for r in ruleset.capacity.to_dicts()}
    covered = {(m, s) for _, m, s in rows}
    countries = sorted({c for c, _, _ in rows})
    leaders = _leaders(ruleset.capacity)
    floor = _RANK[cfg.min_confidence]
    family = {m: f for m, f in ruleset.minerals.select("mineral", "family").iter_rows() if f}
    out: dict[str, str] = {}
    for cov in ruleset.coverage.iter_rows(named=True):
        stage, minerals = _capacity_target(cov, ruleset, family)
        in_table = [m for m in minerals if (m, stage) in covered]
        if stage is None or not in_table:
            continue
        left_out = [m for m in minerals if m not in in_table]
        for country in countries:
            found = [rows.get((country, m, stage)) for m in in_table]
            recorded = [r for r in found if r is not None]
            if len(recorded) < len(found) or any(
                r["capacity"] != "no" or _RANK[r["confidence"]] < floor for r in recorded
            ):
                continue
            parts = []
            for r in recorded:
                leader = leaders.get((r["mineral"], stage))
                world = f"; world {stage}: {leader}" if leader else ""
                parts.append(
                    f"{r['mineral']} {stage} capacity (capacity.csv: {r['source']}, "
                    f"confidence {r['confidence']}{world})"
                )
            text = f"declared origin {country} has no recorded " + " nor ".join(parts)
            text += f"; HTS {_dotted(cov['hts_prefix'])} '{cov['description']}' "
            text += f"(stage {cov['stage']} -> {stage})"
            if left_out:
                text += f"; not in capacity.csv at that stage: {', '.join(left_out)}"
            out[f"{cov['hts_prefix']}|{country}"] = text
    return out


def sector_prefixes(ruleset: Ruleset) -> dict[str, str]:
    """coverage prefix -> 'lithium is a UFLPA high-priority sector (source)', for sector lines."""
    out: dict[str, str] = {}
    sectors = ruleset.config.xinjiang.sectors
    for prefix, mineral in ruleset.coverage.select("hts_prefix", "mineral").iter_rows():
        minerals = {m.strip() for m in mineral.split(";")}
        for name, sector in sectors.items():
            if minerals & set(sector.minerals):
                out[prefix] = f"{name} is a UFLPA high-priority sector ({sector.source})"
                break
    return out


def _lookup(key: pl.Expr, mapping: dict[str, str]) -> pl.Expr:
    if not mapping:
        return pl.lit(None, dtype=pl.String)
    return key.replace_strict(
        list(mapping), list(mapping.values()), default=None, return_dtype=pl.String
    )


def add_capacity_columns(lf: pl.LazyFrame, ruleset: Ruleset) -> pl.LazyFrame:
    """Add the scratch columns both rules read (``SCRATCH``): coverage prefix, evidence, sector."""
    prefixes = ruleset.coverage["hts_prefix"].to_list()
    prefix = pl.lit(None, dtype=pl.String)
    for length in sorted({len(p) for p in prefixes}):  # shortest first, longest overrides
        hit = pl.col("hts_code").str.slice(0, length)
        known = [p for p in prefixes if len(p) == length]
        prefix = pl.when(hit.is_in(known)).then(hit).otherwise(prefix)
    key = pl.concat_str([pl.col("_cap_prefix"), pl.lit("|"), ORIGIN])
    return lf.with_columns(prefix.alias("_cap_prefix")).with_columns(
        _lookup(key, implausible_pairs(ruleset)).alias("_cap_implausible"),
        _lookup(pl.col("_cap_prefix"), sector_prefixes(ruleset)).alias("_cap_sector"),
    )


# --- IMPLAUSIBLE_ORIGIN ------------------------------------------------------------------------


def _implausible(rs: Ruleset, concern: Concern) -> tuple[pl.Expr, ...]:
    evidence = pl.col("_cap_implausible")
    return evidence.is_not_null(), pl.lit(False), evidence


# --- XINJIANG_NEXUS ----------------------------------------------------------------------------


def _escape(text: str) -> str:
    return "".join("\\" + ch if ch in _REGEX_META else ch for ch in text)


def _alternation(terms: Iterable[tuple[str, bool]]) -> str | None:
    """One case-insensitive capturing regex: Latin terms as whole words, others as substrings."""
    alts = []
    for term, latin in sorted(terms, key=lambda t: -len(t[0])):
        body = r"\s+".join(_escape(w) for w in term.split())
        if latin:
            body = (r"\b" if term[0].isalnum() else "") + body
            body += r"\b" if term[-1].isalnum() else ""
        alts.append(body)
    return f"(?i)({'|'.join(alts)})" if alts else None


def _places(rs: Ruleset, ambiguous: bool) -> str | None:
    rows = rs.xinjiang_places.filter(pl.col("ambiguous") == ambiguous)
    return _alternation((n, s == "latin") for n, s in rows.select("name", "script").iter_rows())


def _context(rs: Ruleset) -> str | None:
    return _alternation((t, t.isascii()) for t in rs.config.xinjiang.china_context)


def _found(text: pl.Expr, pattern: str | None) -> pl.Expr:
    return pl.lit(False) if pattern is None else text.str.contains(pattern).fill_null(False)


def _extract(text: pl.Expr, pattern: str | None) -> pl.Expr:
    """The first place named, lower case with single spaces (the key of xinjiang_places.csv)."""
    if pattern is None:
        return pl.lit(None, dtype=pl.String)
    return text.str.extract(pattern, 1).str.replace_all(r"\s+", " ").str.to_lowercase()


def _named(label: str, column: str, place: pl.Expr, places: dict[str, str]) -> pl.Expr:
    return pl.when(place.is_not_null()).then(
        pl.format(
            f"{label} '{{}}' names Xinjiang place '{{}}' ({{}}; xinjiang_places.csv)",
            pl.col(column),
            place,
            _lookup(place, places),
        )
    )


def _uflpa_hit(listed: pl.Expr) -> pl.Expr:
    hit = listed.list.first()
    score = hit.struct.field("score").round(1).cast(pl.String).str.replace(r"\.0$", "")
    return pl.format(
        "{} hit on UFLPA-style list {} entity {} '{}' (score {})",
        hit.struct.field("party"),
        hit.struct.field("list_id"),
        hit.struct.field("entity_id"),
        hit.struct.field("matched_name"),
        score,
    )


def _xinjiang(rs: Ruleset, concern: Concern) -> tuple[pl.Expr, ...]:
    cfg = rs.config.xinjiang
    in_sector = pl.col("_cap_sector").is_not_null()

    def masked(column: str) -> pl.Expr:  # lines outside a sector reach no regex
        return pl.when(in_sector).then(pl.col(column))

    plain, ambiguous, context = _places(rs, False), _places(rs, True), _context(rs)
    address, supplier, maker = (
        masked(c) for c in ("supplier_address", "supplier_name", "manufacturer_name")
    )
    china = (pl.col("supplier_country") == "CN").fill_null(False) | _found(address, context)
    listed = masked("match_hits").list.eval(
        pl.element().filter(pl.element().struct.field("list_id").is_in(cfg.uflpa_lists))
    )
    has_hit = (listed.list.len().fill_null(0) > 0) if cfg.uflpa_lists else pl.lit(False)
    fires = in_sector & (
        _found(address, plain)
        | (china & _found(address, ambiguous))
        | _found(supplier, plain)
        | _found(maker, plain)
        | has_hit
    )
    # evidence: built only on the lines the rule fires on
    places = {n.lower(): p for n, p in rs.xinjiang_places.select("name", "place").iter_rows()}
    at_address = pl.coalesce(
        _extract(address, plain), pl.when(china).then(_extract(address, ambiguous))
    )
    parts = [
        _named("supplier address", "supplier_address", at_address, places),
        _named("supplier name", "supplier_name", _extract(supplier, plain), places),
        _named("manufacturer name", "manufacturer_name", _extract(maker, plain), places),
        pl.when(has_hit).then(_uflpa_hit(listed)),
    ]
    evidence = pl.concat_str(
        [pl.concat_str(parts, separator="; ", ignore_nulls=True), pl.col("_cap_sector")],
        separator="; ",
    )
    return fires, pl.lit(False), evidence


RULES: tuple[Rule, ...] = (
    Rule("IMPLAUSIBLE_ORIGIN", (), _implausible),
    Rule("XINJIANG_NEXUS", (), _xinjiang),
)
