"""Rendering of an ``explain_data`` line (``screener.explain_view``): one outline of nodes, drawn
as plain text (the report, the SQL function ``explain_line``) or as a rich tree (``screener
explain``), so both show the same facts in the same order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.text import Text
from rich.tree import Tree

__all__ = ["explain_text", "explain_tree"]


Node = tuple[str, str, list["Node"]]  # (rich style, plain text, children)


def _money(value: object) -> str:
    return f"${float(value):,.2f}" if isinstance(value, int | float) else "n/a"


def _num(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _coverage_text(row: Mapping[str, Any]) -> str:
    override = row.get("policy_override_pct")
    s301 = f"section 301 {_num(row['s301_pct'])}% {row['s301_ch99']} ({row['s301_basis']})"
    return (
        f"ruleset row: coverage.csv HTS prefix {row['hts_prefix']} ({row['mineral']}, "
        f"{row['stage']}, {row['group']}: {row['description']}); MFN general "
        f"{row['mfn_general']}; {s301}"
        + (f"; policy override {_num(override)}%" if override is not None else "")
        + f"; source: {row['source']}"
    )


def _role_text(role: Mapping[str, Any]) -> str:
    until = f" until {role['until']}" if role["until"] else ""
    return f"{role['role']} since {role['since']}{until} ({role['source']})"


def _duty_node(duty: Mapping[str, Any]) -> Node:
    rate = f"{_num(duty['rate_pct'])}%" if duty["rate_pct"] is not None else "rate n/a"
    children: list[Node] = [("", f"reason: {duty['reason']}", [])]
    if duty["coverage"]:
        children.append(("", _coverage_text(duty["coverage"]), []))
    elif duty["coverage_hts"] is None:
        children.append(("dim", "ruleset row: none (HTS not in coverage.csv)", []))
    country = duty["origin_country"]
    if country["roles"] is not None:
        roles = "; ".join(_role_text(r) for r in country["roles"]) or "no role (other country)"
        children.append(("", f"origin {country['code']} in countries.csv: {roles}", []))
    if duty["ruleset_note"]:
        children.append(("yellow", str(duty["ruleset_note"]), []))
    title = f"duty class {duty['class']}: {rate}, {_money(duty['usd'])}"
    return ("bold", title, children)


def _origin_node(origin: Mapping[str, Any]) -> Node:
    held = origin["hold_threshold"]
    title = f"origin risk {origin['risk']}" + (
        f" (hold threshold {held})" if held is not None else ""
    )
    children: list[Node] = [
        (
            "red" if f["severity"] == "high" else "",
            f"flag {f['rule']} ({f['severity']}, w={f['weight']}): {f['evidence']}",
            [],
        )
        for f in origin["flags"]
    ]
    skipped = origin["rules_skipped"]
    if skipped["not_enough_history"]:
        lacking = ", ".join(skipped["not_enough_history"])
        children.append(("dim", f"rules skipped (not enough history): {lacking}", []))
    if skipped["no_data"]:
        other = ", ".join(skipped["no_data"])
        children.append(("dim", f"rules skipped (no data on this line): {other}", []))
    return ("bold", title, children)


def _hit_node(hit: Mapping[str, Any]) -> Node:
    entry = (
        f"list entry: {hit['list_id']} {hit['list_version']} entity {hit['entity_id']},"
        f" {hit['name_kind']} name {hit['matched_name']!r} ({hit['party']}"
        f"{', confirmed' if hit.get('confirmed') else ''})"
    )
    children: list[Node] = [("", entry, [])]
    if hit.get("ownership_chain"):
        children.append(("", f"ownership: {hit['ownership_chain']}", []))
    text = f"hit {hit['list_id']} {hit['entity_id']} score {hit['score']}: {hit['explanation']}"
    return ("magenta", text, children)


def _match_node(match: Mapping[str, Any]) -> Node:
    children = [_hit_node(h) for h in match["hits"]]
    children += [
        ("dim", f"{h['suppression']}; the hit: score {h['score']}: {h['explanation']}", [])
        for h in match["suppressed_hits"]
    ]
    children += [("yellow", str(note), []) for note in match["allowlist_notes"]]
    best = match["best_score"]
    title = f"match: {len(match['hits'])} hit(s)" + (
        f", best score {best}" if best is not None else ""
    )
    return ("bold", title, children)


def _outline(item: Mapping[str, Any]) -> Node:
    run, line = item["run"], item["line"]
    head = (
        f"{item['entry_number']} line {item['line_number']} (run {run['run_id']}, ruleset "
        f"{run['ruleset_name']} {run['ruleset_version']} #{run['ruleset_hash']})"
    )
    versions = run.get("list_versions") or {}
    children: list[Node] = []
    if versions:
        listed = ", ".join(f"{k} {v}" for k, v in sorted(versions.items()))
        children.append(("dim", f"lists: {listed}", []))
    children.append(
        (
            "",
            f"HTS {line['hts_code']}  origin {line['country_of_origin']}  supplier "
            f"{line['supplier_name']!r}  value {_money(line['entered_value_usd'])}  date "
            f"{line['entry_date']}  ({line['source']} row {line['row_number']})",
            [],
        )
    )
    children += [_duty_node(item["duty"]), _origin_node(item["origin"])]
    children.append(_match_node(item["match"]))
    notes = item.get("regulatory_notes")
    if notes:
        rendered: list[Node] = [
            ("", f"[{n['code']}] {n['text']} ({n['source']})", []) for n in notes
        ]
        children.append(("bold", "regulatory notes", rendered))
    outcomes = item.get("outcomes")
    if outcomes:
        decided: list[Node] = [
            ("", f"{o['outcome']} by {o['decided_by']} on {o['decided_at']}: {o['reason']}", [])
            for o in outcomes
        ]
        children.append(("bold", "outcomes", decided))
    return ("bold", head, children)


def _lines(node: Node, depth: int) -> list[str]:
    _, text, children = node
    out = ["  " * depth + text]
    for child in children:
        out += _lines(child, depth + 1)
    return out


def explain_text(item: Mapping[str, Any]) -> str:
    """The line's decision tree as plain text, two spaces of indent per level, no colour."""
    return "\n".join(_lines(_outline(item), 0))


def _grow(tree: Tree, children: list[Node]) -> None:
    for style, text, grandchildren in children:
        _grow(tree.add(Text(text, style=style)), grandchildren)


def explain_tree(item: Mapping[str, Any]) -> Tree:
    """The line's decision tree for a terminal (text is never read as rich markup)."""
    style, text, children = _outline(item)
    tree = Tree(Text(text, style=style))
    _grow(tree, children)
    return tree
