"""Cross-table checks of a ruleset (DESIGN §8): what one row model alone cannot see.

``load_ruleset`` validates each file with its pydantic model, then calls these with every table's
validated rows; each appends its problems (naming the file, row and field) to ``problems``.
"""

from __future__ import annotations

import bisect
from typing import Any

from screener.ruleset_models import RulesetFile

Rows = list[tuple[str, dict[str, Any]]]  # (where: 'dir/file.csv, row N (line L)', validated row)


def check_consistency(rs: dict[str, Rows | None], problems: list[str]) -> None:
    """Cross-table checks; a table whose header failed is skipped (its problem is reported)."""
    coverage, hts = rs.get("coverage.csv"), rs.get("hts_schedule.csv")
    minerals = rs.get("minerals.csv")
    if coverage is not None:
        first: dict[str, str] = {}
        for where, row in coverage:
            prefix = row["hts_prefix"]
            if prefix in first:
                problems.append(
                    f"{where}, hts_prefix: duplicate {prefix} (also {first[prefix]}); "
                    "one row per prefix, minerals '; '-joined"
                )
            else:
                first[prefix] = where
    if coverage is not None and hts:
        codes = sorted(r["hts10"] for _, r in hts)
        general = {r["hts10"]: r["general"] for _, r in hts}
        for where, row in coverage:
            prefix = row["hts_prefix"]
            start = bisect.bisect_left(codes, prefix)
            end = bisect.bisect_left(codes, prefix + "a")  # 'a' sorts after every digit
            if start == end:
                problems.append(f"{where}, hts_prefix: {prefix} matches no hts_schedule.csv line")
                continue
            rates = sorted({general[c] for c in codes[start:end]})
            if rates != [row["mfn_general"]]:
                problems.append(
                    f"{where}, mfn_general: {row['mfn_general']!r} but hts_schedule.csv prints "
                    f"General {rates} for the lines under {prefix}"
                )
    if coverage is not None and minerals is not None:
        known = {m["mineral"] for _, m in minerals}
        covered: set[str] = set()
        for where, row in coverage:
            for name in (m.strip() for m in row["mineral"].split(";")):
                covered.add(name)
                if known and name not in known:
                    problems.append(f"{where}, mineral: {name!r} is not a mineral of minerals.csv")
        for where, m in minerals:
            if m["usgs_2025"] and m["mineral"] not in covered:
                problems.append(f"{where}, mineral: {m['mineral']} (USGS 2025) has no coverage row")


def check_origin_tables(
    rs: dict[str, Rows | None], config: RulesetFile, problems: list[str]
) -> None:
    """capacity.csv and xinjiang_places.csv against each other, minerals.csv and the yaml."""
    minerals, coverage = rs.get("minerals.csv"), rs.get("coverage.csv")
    names = {m["mineral"] for _, m in minerals or []}
    families = {m["family"] for _, m in minerals or []} - {""}
    vocabulary = names | set(config.capacity.families.values())
    for family in config.capacity.families:
        if minerals is not None and family not in families:
            problems.append(
                f"ruleset.yaml, capacity.families: {family!r} is no minerals.csv family"
            )
    for rule in config.capacity.derivatives:
        if minerals is not None and rule.mineral not in vocabulary:
            problems.append(f"ruleset.yaml, capacity.derivatives: unknown mineral {rule.mineral!r}")
    prefixes = tuple(d.hts_prefix for d in config.capacity.derivatives)
    for where, row in coverage or []:
        if row["stage"] == "derivative" and not row["hts_prefix"].startswith(prefixes):
            problems.append(f"{where}, hts_prefix: derivative line not under capacity.derivatives")
    for sector, spec in config.xinjiang.sectors.items():
        for name in spec.minerals:
            if minerals is not None and name not in names:
                problems.append(
                    f"ruleset.yaml, xinjiang.sectors.{sector}: unknown mineral {name!r}"
                )
    seen: dict[tuple[str, ...], str] = {}
    for where, row in rs.get("capacity.csv") or []:
        key = (row["country"], row["mineral"], row["stage"])
        if key in seen:
            problems.append(f"{where}: duplicate {' '.join(key)} (also {seen[key]})")
        seen.setdefault(key, where)
        if minerals is not None and row["mineral"] not in vocabulary:
            problems.append(
                f"{where}, mineral: {row['mineral']!r} is neither a minerals.csv mineral nor a "
                f"capacity.families name {sorted(set(config.capacity.families.values()))}"
            )
    names_seen: dict[str, str] = {}
    for where, row in rs.get("xinjiang_places.csv") or []:
        name = row["name"].casefold()
        if name in names_seen:
            problems.append(f"{where}, name: duplicate {row['name']!r} (also {names_seen[name]})")
        names_seen.setdefault(name, where)
