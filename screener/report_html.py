"""`screener report`: the page itself, one self-contained HTML string.

Inline CSS, inline SVG charts, no script, no external address: the page opens offline. Every
value that comes from the data (supplier names, evidence, explain text) goes through
``html.escape``; only the SVG strings matplotlib wrote are inserted as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from screener.report_data import ChartData
from screener.report_select import Selection
from screener.report_svg import period_label
from screener.report_tables import Table

CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
  margin: 0 auto; padding: 16px 24px 48px; max-width: 1280px; background: #fff; }
h1 { font-size: 22px; margin: 4px 0 2px; } h2 { font-size: 18px; margin: 28px 0 6px;
  border-bottom: 1px solid #ddd; padding-bottom: 3px; }
.sub { color: #555; margin: 0 0 10px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 4px 6px; text-align: left;
  vertical-align: top; }
th { background: #f4f4f4; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.up { color: #b2182b; } .down { color: #2166ac; }
figure { margin: 10px 0 18px; } figcaption { color: #555; font-size: 13px; margin-top: 2px; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart.empty { max-width: 560px; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
details summary { cursor: pointer; color: #2166ac; }
pre { white-space: pre-wrap; font-size: 12px; background: #f8f8f8; padding: 6px;
  margin: 4px 0; }
.note { color: #7a5b00; }
.key { white-space: nowrap; }
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _num(value: object, digits: int = 0) -> str:
    if not isinstance(value, int | float):
        return "&ndash;"
    return f"{value:,.{digits}f}"


def _headline(rows: Sequence[dict[str, Any]], sel: Selection) -> str:
    several = len(sel.run_ids) > 1
    head = ["", "This selection"] + (["per run"] if several else [])
    head += ["Previous run", "Previous runs, mean per run", "Change vs mean"]
    out = ["<table><tr>", *(f'<th class="num">{_e(h)}</th>' for h in head), "</tr>"]
    for r in rows:
        digits = 1 if r["key"] == "trust_fund_share_pct" else 0
        change = r["change_pct"]
        tone = "" if change is None else ("up" if change > 0 else "down")
        cells = [_num(r["selection"], digits)]
        cells += [_num(r["per_run"], digits)] if several else []
        cells += [_num(r["previous"], digits), _num(r["previous_mean"], digits)]
        cells.append(
            f'<span class="{tone}">{_num(change, 1)} %</span>' if change is not None else "&ndash;"
        )
        out.append(f"<tr><th>{_e(r['label'])}</th>")
        out += [f'<td class="num">{c}</td>' for c in cells]
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{caption}</figcaption></figure>"


def _details(text: str) -> str:
    if not text:
        return "&ndash;"
    return f"<details><summary>explain</summary><pre>{_e(text)}</pre></details>"


def _more(table: Table, what: str) -> str:
    left = table.total - len(table.rows)
    shown = f"{len(table.rows):,} of {table.total:,} {what}"
    return f'<p class="sub">{shown}; {left:,} more not shown.</p>' if left else ""


def _held(table: Table, outcomes: bool) -> str:
    if not table.rows:
        return '<p class="sub">No held lines in the selected runs.</p>'
    head = (
        [
            "Entry / line",
            "Entry date",
            "Supplier",
            "HTS",
            "Origin",
            "Port of lading",
            "Value USD",
            "Origin risk",
            "Reasons",
        ]
        + (["Outcome"] if outcomes else [])
        + [""]
    )
    out = [_more(table, "held lines"), "<table><tr>", *(f"<th>{h}</th>" for h in head), "</tr>"]
    for r in table.rows:
        cells = [
            f'<span class="key">{_e(r["entry_number"])} / {_e(r["line_number"])}</span>',
            _e(r["entry_date"]),
            _e(r["supplier_name"]),
            _e(r["hts_code"]),
            _e(r["country_of_origin"]),
            _e(r["port_of_lading"]),
            _num(r["entered_value_usd"]),
            _num(r["origin_risk"], 2),
            _e(r["flag_evidence"]),
        ]
        if outcomes:
            o = r["outcome"]
            cells.append(
                f"{_e(o['outcome'])} by {_e(o['decided_by'])}, {_e(o['decided_at'])}: "
                f"{_e(o['reason'])}"
                if o
                else "pending"
            )
        cells.append(_details(r["explain"]))
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _hits(table: Table) -> str:
    if not table.rows:
        return '<p class="sub">No new entity hits.</p>'
    head = [
        "Found by",
        "Party",
        "Name declared",
        "List : entity",
        "Matched name",
        "Score",
        "Entry / line",
        "",
    ]
    out = [_more(table, "new hits"), "<table><tr>", *(f"<th>{h}</th>" for h in head), "</tr>"]
    for r in table.rows:
        cells = [
            _e(r["source"]),
            _e(r["party"]),
            _e(r["party_name"]),
            f"{_e(r['list_id'])} : {_e(r['entity_id'])}",
            _e(r["matched_name"]),
            _num(r["score"], 1),
            f'<span class="key">{_e(r["entry_number"])} / {_e(r["line_number"])}</span>',
            _details(r["explain"]),
        ]
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _runs(sel: Selection) -> str:
    chosen = sel.runs.filter(sel.runs["run_id"].is_in(sel.run_ids))
    items = [
        f"{_e(r['run_id'])} (started {_e(r['started_at'])}, entry dates "
        f"{_e(r['first_entry_date'])} to {_e(r['last_entry_date'])})"
        for r in chosen.iter_rows(named=True)
    ]
    return "; ".join(items)


def render_page(
    db_name: str,
    sel: Selection,
    headline: Sequence[dict[str, Any]],
    charts: dict[str, str],
    data: ChartData,
    held: Table,
    hits: Table,
    outcomes: bool,
) -> str:
    """The whole page."""
    unit = "month" if data.period == "month" else "ISO week"
    shaded = ", ".join(period_label(p, data.period) for p in data.selected_periods) or "none"
    events = "; ".join(f"{e.effective}: {_e(e.description)}" for e in data.duty_events)
    notes = "".join(f'<p class="note">{_e(n)}</p>' for n in data.notes)
    prev = len(sel.previous_ids)
    body = f"""
<h1>Screening report: {_e(sel.label)}</h1>
<p class="sub">Database {_e(db_name)}. Runs: {_runs(sel)}.</p>
<h2>Headline</h2>
<p class="sub">"Previous runs" are the {prev} run(s) started before the earliest selected run;
"previous run" is the last of them. Change compares the selection's mean per run with the
previous runs' mean per run (for the trust-fund share: the share over all their duty).</p>
{_headline(headline, sel)}
<h2>Duty by class over time</h2>
{
        _figure(
            charts["duty_by_class"],
            f"Duty (USD) per {unit} of entry date and duty class, every run "
            f"in the database; the selected runs' periods are shaded ({_e(shaded)}).",
        )
    }
<h2>Holds and flags by rule over time</h2>
{
        _figure(
            charts["holds_flags"],
            f"Lines held for origin verification, and lines flagged by each "
            f"rule (weight above 0), per {unit} of entry date.",
        )
    }
<h2>Imports of each covered HTS6 by origin (trade diversion)</h2>
{
        _figure(
            charts["imports"],
            f"Entered value (USD) per {unit}; one panel per covered HTS6 (the "
            f"largest 16 by value), one line per declared origin. Dashed: the ruleset's duty "
            f"changes ({events or 'none'}).",
        )
    }
{notes}
<div class="pair">
<div><h2>Routes of held lines</h2>
{
        _figure(
            charts["routes"],
            "Held lines of the selection from declared origin to the country "
            "of the port of lading (UN/LOCODE prefix; ?? = no port given).",
        )
    }</div>
<div><h2>Trust-fund allocation</h2>
{
        _figure(
            charts["trust_fund"],
            "Duty feeding the critical-minerals trust fund over the "
            "selection, split as the `trust_fund` view records it.",
        )
    }</div>
</div>
<h2>Unit values of flagged lines against their fences</h2>
{
        _figure(
            charts["unit_values"],
            "Each UNIT_VALUE_LOW line of the selection (dot) against the "
            "fence and median of its HTS10 history, as the flag's evidence states them; lowest "
            "value-to-fence ratio first, at most 40 lines.",
        )
    }
<h2>Held lines</h2>
{_held(held, outcomes)}
<h2>New entity hits</h2>
<p class="sub">Hits of the selection on an entity and party name that no earlier run hit, and hits
a re-screen after a list update found since the last run before the selection.</p>
{_hits(hits)}
"""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Screening report: {_e(sel.label)}</title>\n<style>{CSS}</style></head>\n"
        f"<body>{body}</body></html>\n"
    )
