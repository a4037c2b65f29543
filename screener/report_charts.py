"""`screener report`: the six charts, each drawn from a frame of screener.report_data into an
inline SVG string (screener.report_svg). Over-time charts put one slot per period (gaps filled),
shade the selected runs' periods and, on the imports chart, mark the ruleset's duty changes.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from screener.report_data import ChartData
from screener.report_svg import (
    CLASS_COLOURS,
    EVENT_COLOUR,
    FENCE_COLOUR,
    HOLD_COLOUR,
    MEDIAN_COLOUR,
    ORIGIN_COLOURS,
    OTHER_ORIGIN,
    ROUTE_COLOUR,
    RULE_COLOURS,
    SELECTED_BAND,
    TRUST_COLOURS,
    UNIT_VALUE_COLOUR,
    empty_chart,
    money,
    new_figure,
    period_label,
    to_svg,
)

MAX_PANELS = 16
MAX_UNIT_VALUE_ROWS = 40
_USD = FuncFormatter(lambda v, _pos: money(v))


def periods_of(data: ChartData) -> list[date]:
    """Every period from the first to the last entry date in the database, gaps included."""
    days = [d for frame in (data.duty, data.holds) for d in frame["period"].to_list()]
    if not days:
        return []
    every = "1mo" if data.period == "month" else "1w"
    return pl.date_range(min(days), max(days), every, eager=True).to_list()


def event_x(day: date, periods: list[date], unit: str) -> float | None:
    """Where a date falls on an axis whose slot i spans [i - 0.5, i + 0.5] for periods[i]."""
    step = 7 if unit == "week" else 31
    for i, start in enumerate(periods):
        end = periods[i + 1] if i + 1 < len(periods) else date.fromordinal(start.toordinal() + step)
        if start <= day < end:
            return i - 0.5 + (day - start).days / (end - start).days
    return None


def _time_axis(ax: Axes, periods: list[date], data: ChartData, max_ticks: int = 12) -> None:
    for i, p in enumerate(periods):
        if p in data.selected_periods:
            ax.axvspan(i - 0.5, i + 0.5, color=SELECTED_BAND, zorder=0)
    every = max(1, -(-len(periods) // max_ticks))
    ticks = list(range(0, len(periods), every))
    ax.set_xticks(ticks, [period_label(periods[i], data.period) for i in ticks], fontsize=8)
    ax.set_xlim(-0.6, len(periods) - 0.4)
    ax.tick_params(axis="y", labelsize=8)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)


def duty_chart(data: ChartData) -> str:
    """Stacked bars: duty (USD) per period and duty class."""
    periods = periods_of(data)
    if data.duty.is_empty() or not periods:
        return empty_chart("duty_by_class", "no entry lines in the database")
    fig = new_figure(11, 3.6)
    ax = fig.add_subplot()
    index = {p: i for i, p in enumerate(periods)}
    bottom = [0.0] * len(periods)
    for cls, colour in CLASS_COLOURS.items():
        rows = data.duty.filter(pl.col("duty_class") == cls)
        if rows.is_empty():
            continue
        height = [0.0] * len(periods)
        for p, usd in rows.select("period", "duty_usd").iter_rows():
            height[index[p]] = float(usd or 0.0)
        ax.bar(range(len(periods)), height, 0.8, bottom=bottom, color=colour, label=cls)
        bottom = [b + h for b, h in zip(bottom, height, strict=True)]
    _time_axis(ax, periods, data)
    ax.yaxis.set_major_formatter(_USD)
    ax.set_ylabel("duty, USD", fontsize=9)
    ax.legend(fontsize=8, ncols=5, loc="upper left", frameon=False)
    return to_svg(fig, "duty_by_class")


def holds_flags_chart(data: ChartData) -> str:
    """Held lines per period (bars) over lines flagged by each rule per period (lines)."""
    periods = periods_of(data)
    if not periods:
        return empty_chart("holds_flags", "no entry lines in the database")
    fig = new_figure(11, 5.0)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[1, 2])
    index = {p: i for i, p in enumerate(periods)}
    holds = [0.0] * len(periods)
    for p, n in data.holds.iter_rows():
        holds[index[p]] = float(n)
    top.bar(range(len(periods)), holds, 0.8, color=HOLD_COLOUR, label="lines held")
    top.set_ylabel("held lines", fontsize=9)
    top.legend(fontsize=8, loc="upper left", frameon=False)
    totals = data.flags.group_by("rule").agg(pl.col("lines").sum()).sort(["lines", "rule"])
    rules = totals.reverse()["rule"].to_list()
    shown = rules if len(rules) <= len(RULE_COLOURS) else rules[: len(RULE_COLOURS) - 1]
    flags = data.flags.with_columns(
        pl.when(pl.col("rule").is_in(shown)).then("rule").otherwise(pl.lit("other rules"))
    )
    for rule, colour in zip([*shown, "other rules"], RULE_COLOURS, strict=False):
        rows = flags.filter(pl.col("rule") == rule).group_by("period").agg(pl.col("lines").sum())
        if rows.is_empty():
            continue
        counts = [0.0] * len(periods)
        for p, n in rows.iter_rows():
            counts[index[p]] = float(n)
        bottom.plot(range(len(periods)), counts, color=colour, lw=2, marker="o", ms=4, label=rule)
    if not rules:
        bottom.text(0.5, 0.5, "no flags", transform=bottom.transAxes, ha="center", fontsize=9)
    bottom.set_ylabel("lines flagged, by rule", fontsize=9)
    bottom.legend(fontsize=7, ncols=4, loc="upper left", frameon=False)
    for ax in (top, bottom):
        _time_axis(ax, periods, data)
    return to_svg(fig, "holds_flags")


def imports_chart(data: ChartData) -> str:
    """Small multiples: entered value of each covered HTS6 by origin over time; dashed lines at
    the ruleset's duty changes."""
    periods = periods_of(data)
    if data.imports.is_empty() or not periods:
        return empty_chart("imports", "no covered entry lines in the database")
    ranked = data.imports.group_by("country_of_origin").agg(pl.col("value_usd").sum())
    ranked = ranked.sort(["value_usd", "country_of_origin"], descending=[True, False])
    colour = dict(zip(ranked["country_of_origin"].to_list(), ORIGIN_COLOURS, strict=False))
    frame = data.imports.with_columns(
        pl.col("country_of_origin").replace_strict(colour, default=OTHER_ORIGIN).alias("colour")
    )
    hts = frame.group_by("hts6").agg(pl.col("value_usd").sum()).sort("value_usd", descending=True)
    codes = hts["hts6"].to_list()[:MAX_PANELS]
    cols = 4
    rows = (len(codes) + cols - 1) // cols
    height = 0.9 + 2.1 * rows
    fig = new_figure(12, height, constrained=False)
    fig.subplots_adjust(
        left=0.06, right=0.99, bottom=0.5 / height, top=1 - 0.75 / height, wspace=0.28, hspace=0.62
    )
    axes = fig.subplots(rows, cols, squeeze=False).flatten()
    index = {p: i for i, p in enumerate(periods)}
    marks = [(e, event_x(e.effective, periods, data.period)) for e in data.duty_events]
    for ax, code in zip(axes, codes, strict=False):
        panel = frame.filter(pl.col("hts6") == code)
        panel = panel.with_columns(
            pl.when(pl.col("colour") == OTHER_ORIGIN)
            .then(pl.lit("other"))
            .otherwise("country_of_origin")
            .alias("origin")
        )
        sums = panel.group_by("origin", "colour", "period").agg(pl.col("value_usd").sum())
        for (origin, shade), part in sorted(sums.group_by("origin", "colour"), key=str):
            values = [0.0] * len(periods)
            for p, v in part.select("period", "value_usd").iter_rows():
                values[index[p]] = float(v)
            ax.plot(range(len(periods)), values, color=shade, lw=2, label=origin)
        for _, x in marks:
            if x is not None:
                ax.axvline(x, color=EVENT_COLOUR, lw=1, ls="--")
        _time_axis(ax, periods, data, max_ticks=6)
        ax.tick_params(axis="x", labelsize=7, labelrotation=30)
        ax.yaxis.set_major_formatter(_USD)
        ax.set_title(f"HTS {code}", fontsize=9, loc="left")
    for ax in axes[len(codes) :]:
        ax.set_axis_off()
    handles = [
        axes[0].plot([], [], color=c, lw=3, label=o)[0]
        for o, c in [*colour.items(), ("other", OTHER_ORIGIN)]
    ]
    handles.append(axes[0].plot([], [], color=EVENT_COLOUR, lw=1, ls="--", label="duty change")[0])
    fig.legend(handles=handles, loc="upper center", ncols=len(handles), fontsize=8, frameon=False)
    return to_svg(fig, "imports")


def routes_chart(data: ChartData) -> str:
    """Held lines from declared origin (left) to lading country (right); width = lines."""
    routes = data.routes
    if routes.is_empty():
        return empty_chart("routes", "no held lines in the selected runs", 6.0)
    left = routes.group_by("origin").agg(pl.col("lines").sum()).sort(["lines", "origin"])
    right = routes.group_by("lading").agg(pl.col("lines").sum()).sort(["lines", "lading"])
    height = max(len(left), len(right))
    fig = new_figure(6.0, 1.0 + 0.45 * height)
    ax = fig.add_subplot()
    ax.set_axis_off()

    def ys(n: int) -> list[float]:
        return [(i + 0.5) * height / n for i in range(n)]

    y_left = dict(zip(left["origin"].to_list(), ys(len(left)), strict=True))
    y_right = dict(zip(right["lading"].to_list(), ys(len(right)), strict=True))
    most = float(routes["lines"].max() or 1)  # type: ignore[arg-type]
    for origin, lading, lines, _ in routes.iter_rows():
        ax.plot(
            [0, 1],
            [y_left[origin], y_right[lading]],
            color=ROUTE_COLOUR,
            lw=1.5 + 10 * lines / most,
            solid_capstyle="butt",
        )
    for (name, n), y in zip(left.iter_rows(), y_left.values(), strict=True):
        ax.text(-0.03, y, f"{name}  ({n})", ha="right", va="center", fontsize=9)
    for (name, n), y in zip(right.iter_rows(), y_right.values(), strict=True):
        ax.text(1.03, y, f"({n})  {name}", ha="left", va="center", fontsize=9)
    ax.text(-0.03, height + 0.3, "declared origin", ha="right", fontsize=9, weight="bold")
    ax.text(1.03, height + 0.3, "lading country", ha="left", fontsize=9, weight="bold")
    ax.set_xlim(-0.45, 1.45)
    ax.set_ylim(0, height + 0.7)
    return to_svg(fig, "routes")


def unit_value_chart(data: ChartData) -> str:
    """Each UNIT_VALUE_LOW line's unit value against its fence (and median, reference), log x."""
    uv = data.unit_values.filter(pl.col("unit_value").is_not_null())
    if uv.is_empty():
        return empty_chart("unit_values", "no UNIT_VALUE_LOW flags in the selected runs")
    limit = pl.coalesce("fence", "reference")
    uv = uv.with_columns((pl.col("unit_value") / limit).alias("_ratio")).sort("_ratio")
    uv = uv.head(MAX_UNIT_VALUE_ROWS).reverse()
    fig = new_figure(11.0, 1.3 + 0.26 * uv.height)
    ax = fig.add_subplot()
    ys = list(range(uv.height))
    for y, row in zip(ys, uv.iter_rows(named=True), strict=True):
        ends = [v for v in (row["fence"], row["reference"]) if v is not None]
        if ends:
            ax.plot([row["unit_value"], max(ends)], [y, y], color="#cccccc", lw=1, zorder=1)
    ax.scatter(uv["fence"], ys, marker="|", s=220, lw=3, color=FENCE_COLOUR, label="fence")
    ax.scatter(uv["median"], ys, marker="D", s=30, color=MEDIAN_COLOUR, label="median")
    if uv["reference"].is_not_null().any():
        ax.scatter(uv["reference"], ys, marker="|", s=220, lw=3, color=FENCE_COLOUR, alpha=1)
    ax.scatter(uv["unit_value"], ys, s=50, color=UNIT_VALUE_COLOUR, label="line", zorder=3)
    labels = [f"{r['label']} (USD/{r['unit']})" for r in uv.iter_rows(named=True)]
    ax.set_yticks(ys, labels, fontsize=7)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
    ax.set_xlabel("unit value, USD per unit (log scale)", fontsize=9)
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    fig.legend(fontsize=8, loc="outside upper left", ncols=3, frameon=False)
    return to_svg(fig, "unit_values")


def trust_fund_chart(data: ChartData) -> str:
    """The trust fund's split over the selection: one bar per recipient, with share and USD."""
    tf = data.trust_fund
    fig = new_figure(6.0, 2.0)
    ax = fig.add_subplot()
    names = tf["recipient"].to_list()[::-1]
    usd = tf["usd"].to_list()[::-1]
    shares = tf["share"].to_list()[::-1]
    ax.barh(names, usd, color=TRUST_COLOURS[: len(names)][::-1], height=0.6)
    for y, (v, s) in enumerate(zip(usd, shares, strict=True)):
        ax.text(v, y, f"  {s:.0%} = {money(v)} USD", va="center", fontsize=9)
    ax.xaxis.set_major_formatter(_USD)
    ax.set_xlim(0, max([*usd, 1.0]) * 1.45)
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return to_svg(fig, "trust_fund")


CHARTS = {
    "duty_by_class": duty_chart,
    "holds_flags": holds_flags_chart,
    "imports": imports_chart,
    "routes": routes_chart,
    "unit_values": unit_value_chart,
    "trust_fund": trust_fund_chart,
}


def render_charts(data: ChartData) -> dict[str, str]:
    """Chart name -> its inline SVG."""
    return {name: draw(data) for name, draw in CHARTS.items()}
