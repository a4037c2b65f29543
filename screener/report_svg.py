"""`screener report`: matplotlib figures to inline SVG strings, and the charts' colours.

matplotlib's SVG backend draws when the page is written: no script and no font download in the
browser (text is drawn as paths). The output is deterministic: a fixed ``svg.hashsalt`` per chart
(distinct per chart, so the ids of two inline SVGs on one page never collide) and no date in the
metadata. Only the ``Figure`` API is used, never pyplot, so no global state leaks between calls.

Each chart draws its data with its own colours, disjoint from every other chart's: a test can
then tell from a screenshot that each chart drew.
"""

from __future__ import annotations

import io
import re
from datetime import date

import matplotlib as mpl
from matplotlib.figure import Figure

CLASS_COLOURS: dict[str, str] = {
    "CONCERN_301": "#b2182b",
    "HOLD_VERIFY": "#f4a582",
    "ALLIANCE_FREE": "#92c5de",
    "MFN": "#2166ac",
    "NOT_COVERED": "#bdbdbd",
}
HOLD_COLOUR = "#6a3d9a"
RULE_COLOURS: tuple[str, ...] = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#666666",
    "#17becf",
    "#bcbd22",
)
ORIGIN_COLOURS: tuple[str, ...] = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#00441b",
    "#b15928",
    "#35978f",
)
OTHER_ORIGIN = "#999999"
EVENT_COLOUR = "#000000"
ROUTE_COLOUR = "#c51b7d"
UNIT_VALUE_COLOUR = "#cc4c02"
FENCE_COLOUR = "#01665e"
MEDIAN_COLOUR = "#80cdc1"
TRUST_COLOURS: tuple[str, ...] = ("#40004b", "#9970ab", "#c2a5cf")
SELECTED_BAND = "#fff7bc"

# chart name -> colours only that chart draws its data with (the screenshot test looks for them)
SIGNATURES: dict[str, tuple[str, ...]] = {
    "duty_by_class": tuple(CLASS_COLOURS.values()),
    "holds_flags": (HOLD_COLOUR, *RULE_COLOURS),
    "imports": ORIGIN_COLOURS,
    "routes": (ROUTE_COLOUR,),
    "unit_values": (UNIT_VALUE_COLOUR, FENCE_COLOUR, MEDIAN_COLOUR),
    "trust_fund": TRUST_COLOURS,
}

_XML_HEAD = re.compile(r"^.*?(?=<svg)", re.DOTALL)
# matplotlib's RDF block names dublin-core URIs (a dc:type resource among them): not needed.
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)


def new_figure(width_in: float, height_in: float, *, constrained: bool = True) -> Figure:
    """A figure in the page's style. Constrained layout places labels well but costs a second a
    chart on many panels: the small multiples lay themselves out with fixed margins instead."""
    return Figure(
        figsize=(width_in, height_in), dpi=96, layout="constrained" if constrained else None
    )


def to_svg(fig: Figure, name: str, css_class: str = "chart") -> str:
    """The figure as an ``<svg>`` element (no XML declaration or doctype), deterministic."""
    buf = io.StringIO()
    with mpl.rc_context({"svg.hashsalt": f"screener-report-{name}", "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = _METADATA.sub("", _XML_HEAD.sub("", buf.getvalue(), count=1), count=1)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{name}" class="{css_class}" ', 1)


def empty_chart(name: str, message: str, width_in: float = 7.0, height_in: float = 1.2) -> str:
    """A small SVG saying why a chart has nothing to draw."""
    fig = new_figure(width_in, height_in)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=10, color="#555555")
    return to_svg(fig, name, "chart empty")


def period_label(day: date, unit: str) -> str:
    """'2026-01' for a month, '2026-W03' for an ISO week."""
    if unit == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day:%Y-%m}"


def money(value: float) -> str:
    """12.3 M, 45.6 k, 789: short amounts for chart labels."""
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.1f} M"
    if abs(value) >= 1e3:
        return f"{value / 1e3:,.1f} k"
    return f"{value:,.0f}"
