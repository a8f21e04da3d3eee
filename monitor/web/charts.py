"""Inline SVG charts, drawn on the server so the pages need no chart library: the date histogram
of a search, a campaign's figures over time (one chart per measure, a line per scope) and a
yearly series' years compared."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from markupsafe import Markup, escape

from monitor.index.base import HistogramBucket
from monitor.web.format import compact, day, figure_amount
from monitor.web.timeline import MeasureTimeline, TimelinePoint, YearComparison, thin
from monitor.web.totals import Total


def histogram(
    buckets: Sequence[HistogramBucket],
    interval: str | None,
    link: Callable[[HistogramBucket], str | None],
) -> Markup:
    """Bars of announcements per interval, each a link to the search narrowed to it (a key stop
    for the keyboard), with its count above it. Counts show on every bar when there are few;
    with many, on the tallest, and on any bar hovered or focused (app.js shows the others that
    fit the width the page gives them). Positions are percentages of the width and pixels of the
    height, so the bars stretch with the page and the numbers keep their size and shape."""
    if not buckets:
        return Markup("")
    height, top = 84, 16  # pixels; `top` leaves room for the tallest bar's count
    peak = max(b.count for b in buckets) or 1
    tallest = max(range(len(buckets)), key=lambda i: (buckets[i].count, i))
    step = 100 / len(buckets)
    gap = min(0.3, step / 4)
    parts = []
    for i, b in enumerate(buckets):
        h = max(2.0, (height - top) * b.count / peak)
        rect = (
            f'<rect class="bar" x="{i * step + gap / 2:.3f}%" y="{height - h:.1f}" '
            f'width="{max(step - gap, 0.05):.3f}%" height="{h:.1f}" rx="1"/>'
        )
        # the bar's whole column answers the pointer: a short bar is as easy to hit as a tall one
        column = (
            f'<rect class="column" x="{i * step:.3f}%" y="0" width="{step:.3f}%" '
            f'height="{height}"/>'
        )
        shown = (
            "count zero"  # an empty bar says so when pointed at, not in a row of noughts
            if b.count == 0
            else "count peak"
            if i == tallest
            else "count fits"
            if len(buckets) <= 12
            else "count"
        )
        number = f"{b.count:,}" if b.count < 10_000 else compact(b.count)
        label = (
            f'<text class="{shown}" x="{(i + 0.5) * step:.3f}%" y="{height - h - 4:.1f}" '
            f'text-anchor="middle">{number}</text>'
        )
        plural = "" if b.count == 1 else "s"
        tip = f"<title>{escape(b.start)}: {b.count:,} announcement{plural}</title>"
        href = link(b)
        parts.append(
            f'<a href="{escape(href)}">{rect}{label}{column}{tip}</a>'
            if href
            else f"<g>{rect}{label}{tip}</g>"
        )
    first, last = escape(buckets[0].start), escape(buckets[-1].start)
    title = f"announcements per {escape(interval or 'period')}"
    # the axis labels are HTML, so they keep their size on a phone and on a wide screen alike
    return Markup(
        f'<svg class="histogram" width="100%" height="{height}" role="group" '
        f'aria-label="{title}">{"".join(parts)}</svg>'
        f'<div class="hist-axis"><span>{first}</span><span>{last}</span></div>'
    )


#: Points one chart draws at most, shared by its lines, each line's spread over the chart's
#: time axis (timeline.thin); every point is a link with its words on the page, so this bounds
#: the page's weight. The timeline's JSON has every point.
MAX_POINTS = 160
#: Points one line draws at most: the plot is 300 px wide and a point 8 px across, so more
#: than one every 4 px is a smear.
LINE_POINTS = 75
#: Points a line keeps however many lines share the chart.
MIN_LINE_POINTS = 20
#: Lines one chart draws at most: national and the regions that reported most; the rest are in
#: the timeline's JSON.
MAX_LINES = 8
#: Pixels between points side by side on a chart whose figures were all reported within
#: `ONE_DAY`, at most, and the width they spread over at most.
SIDE_BY_SIDE, SIDE_BY_SIDE_WIDTH = 28, 260
#: A chart whose figures span less than this draws them side by side in their order (of
#: report, then value) rather than on a time axis, where they would stand in one column.
ONE_DAY = 2 * 86400
_WIDTH, _HEIGHT = 360, 190
_LEFT, _RIGHT, _TOP, _BOTTOM = 46, 14, 14, 24
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def line_budget(lines: int) -> int:
    """Points each line of a chart of `lines` lines draws at most (only MAX_LINES are drawn)."""
    shown = min(max(lines, 1), MAX_LINES)
    return min(max(MAX_POINTS // shown, MIN_LINE_POINTS), LINE_POINTS)


def _spread(
    points: list[tuple[float, TimelinePoint]], lines: int
) -> list[tuple[float, TimelinePoint]]:
    """A line's points thinned to its share of the chart, over the line's own span."""
    if not points:
        return points
    span = (points[0][0], points[-1][0])
    return thin(points, lambda p: p[0], lambda p: p[1].on_line, span, line_budget(lines))


@dataclass(frozen=True, slots=True)
class LegendEntry:
    css: str  # the colour class the line and its points share
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    measure: str
    title: str
    latest: str
    svg: Markup
    legend: tuple[LegendEntry, ...] = ()
    left_out: int = 0  # lines not drawn (more regions than MAX_LINES)
    note: str = ""  # how to read it, where it is not the usual way


@dataclass(frozen=True, slots=True)
class _Line:
    css: str
    name: str
    points: list[tuple[float, TimelinePoint]]  # (x, point)


def nice_ceiling(value: float) -> float:
    """The round number just above `value` (30,000 above 26,250), so axis ticks read well."""
    if value <= 0:
        return 1.0
    scale = 10 ** math.floor(math.log10(value))
    return next(m * scale for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * scale >= value)


def timeline_charts(
    timelines: Sequence[MeasureTimeline], standing: Sequence[Total] = ()
) -> list[Chart]:
    """One chart per measure and unit: a line per scope (national first, then the regions that
    reported most), each point a link to the sentence that reported it. `latest` is the
    standing of `standing` (national, or the one region's of a region's charts), where there
    is one."""
    latest = {(t.measure, t.unit): t for t in standing}
    charts = []
    for m in timelines:
        drawn = m.series[:MAX_LINES]
        lines = []
        for i, s in enumerate(drawn):
            css = "s0" if s.region is None else f"s{i if drawn[0].region is None else i + 1}"
            points = _spread([(p.date.timestamp(), p) for p in s.points], len(drawn))
            lines.append(_Line(css, s.scope, points))
        xs = [x for line in lines for x, _ in line.points]
        t0, t1 = min(xs), max(xs)
        note = ""
        if t1 - t0 < ONE_DAY:
            lines, span = side_by_side(lines)
            days = _day_of(t0) if _day_of(t0) == _day_of(t1) else f"{_day_of(t0)} – {_day_of(t1)}"
            ticks = [((span[0] + span[1]) / 2, days)]
            if sum(len(line.points) for line in lines) > 1:
                note = f"all reported {days}: side by side in the order reported, then by value"
        else:
            span = (t0, t1)
            marks = [t0, t1] if t1 - t0 < 90 * 86400 else [t0, (t0 + t1) / 2, t1]
            ticks = [(t, _day_of(t)) for t in marks]
        total = latest.get((m.measure, m.unit))
        scopes = ", ".join(line.name for line in lines)
        label = f"{m.title} as reported over time: {scopes}"
        if total is not None:
            label += f"; latest {total.region or 'national'} {figure_amount(total)}"
        charts.append(
            Chart(
                measure=m.measure,
                title=m.title,
                latest=figure_amount(total) if total is not None else "",
                svg=_svg(lines, span, ticks, label, "chart"),
                legend=tuple(LegendEntry(line.css, line.name) for line in lines),
                left_out=len(m.series) - len(drawn),
                note=note,
            )
        )
    return charts


def side_by_side(lines: Sequence[_Line]) -> tuple[list[_Line], tuple[float, float]]:
    """`lines` whose points were all reported within a day or two, placed side by side, in the
    order they were reported, then by value (a running total does not shrink), then by line,
    `SIDE_BY_SIDE` pixels apart or closer, about the middle of the chart; and the span of x
    they are drawn over. So each point can be seen and pointed at, and the last point of a
    line is the one its standing is taken from."""
    order = sorted(
        {(at, p.value, n) for n, line in enumerate(lines) for at, p in line.points},
    )
    place = {key: float(i) for i, key in enumerate(order)}
    gap = min(SIDE_BY_SIDE, SIDE_BY_SIDE_WIDTH / max(len(order) - 1, 1))
    half = (_WIDTH - _LEFT - _RIGHT) / gap / 2
    middle = (len(order) - 1) / 2
    placed = [
        _Line(
            line.css,
            line.name,
            sorted(((place[(at, p.value, n)], p) for at, p in line.points), key=lambda q: q[0]),
        )
        for n, line in enumerate(lines)
    ]
    return placed, (middle - half, middle + half)


def year_charts(comparison: YearComparison | None) -> list[Chart]:
    """One chart per measure of a yearly series: a line per year (the latest first in the
    legend), placed by day of its campaign year, so the years' pace can be compared."""
    if comparison is None:
        return []
    charts = []
    for m in comparison.measures:
        ordered = sorted(m.lines, key=lambda line: -line.year)[:MAX_LINES]
        lines = [
            _Line(
                f"s{i}",
                str(line.year),
                _spread([(float(p.day), p) for p in line.points], len(ordered)),
            )
            for i, line in enumerate(ordered)
        ]
        days = [x for line in lines for x, _ in line.points]
        d0, d1 = min(0.0, min(days, default=0.0)), max(365.0, max(days, default=0.0))
        ticks = [
            (float((date(2001, k, 1) - date(2001, 1, 1)).days), _MONTHS[k - 1])
            for k in (1, 4, 7, 10)
        ]
        if d1 > 365:
            ticks.append((365.0, "Jan+1"))
        years = ", ".join(line.name for line in lines)
        label = f"{m.title}, year by year ({years}), by day of the campaign's year"
        charts.append(
            Chart(
                measure=m.measure,
                title=m.title,
                latest="",
                svg=_svg(lines, (d0, d1), ticks, label, "chart years"),
                legend=tuple(LegendEntry(line.css, line.name) for line in lines),
                left_out=len(m.lines) - len(ordered),
            )
        )
    return charts


def _day_of(timestamp: float) -> str:
    return day(datetime.fromtimestamp(timestamp, UTC))


def _svg(
    lines: Sequence[_Line],
    span: tuple[float, float],
    ticks: Sequence[tuple[float, str]],
    label: str,
    css: str,
) -> Markup:
    x0, x1 = span
    values = [p.value for line in lines for _, p in line.points]
    top_value = nice_ceiling(max(values, default=1.0) * 1.05)
    # from zero, or from below it where a figure is negative (a rise given as a negative decline)
    low = -nice_ceiling(-min(values) * 1.05) if min(values, default=0.0) < 0 else 0.0

    def x(at: float) -> float:
        return _LEFT + (_WIDTH - _LEFT - _RIGHT) * (at - x0) / ((x1 - x0) or 1)

    def y(value: float) -> float:
        return _TOP + (_HEIGHT - _TOP - _BOTTOM) * (top_value - value) / (top_value - low)

    out = [f"<title>{escape(label)}</title>"]
    for tick in dict.fromkeys((low, 0.0, (low + top_value) / 2, top_value)):
        ty = y(tick)
        out.append(
            f'<line class="grid" x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{ty:.1f}" '
            f'y2="{ty:.1f}"/><text class="axis" x="{_LEFT - 4}" y="{ty + 4:.1f}" '
            f'text-anchor="end">{escape(compact(tick))}</text>'
        )
    for at, text in ticks:
        anchor = "start" if at <= x0 else "end" if at >= x1 else "middle"
        out.append(
            f'<text class="axis" x="{x(at):.1f}" y="{_HEIGHT - 6}" text-anchor="{anchor}">'
            f"{escape(text)}</text>"
        )
    for n, line in enumerate(lines):
        on = [(at, p) for at, p in line.points if p.on_line]
        parts = [f'<g class="series {line.css}" aria-label="{escape(line.name)}">']
        if len(on) > 1:
            path = " ".join(f"{x(at):.1f},{y(p.value):.1f}" for at, p in on)
            parts.append(
                f'<polyline class="line" points="{path}"><title>{escape(line.name)}</title>'
                "</polyline>"
            )
        if n == 0 and on:
            # the latest, and of one moment the largest: the figure the standing is taken from
            at, last = max(on, key=lambda q: (q[0], q[1].value))
            # beside the latest point, on whichever side has room for it
            side = ("end", -6) if x(at) > _LEFT + 40 else ("start", 6)
            parts.append(
                f'<text class="value" x="{x(at) + side[1]:.1f}" y="{y(last.value) - 8:.1f}" '
                f'text-anchor="{side[0]}">{escape(compact(last.value))}</text>'
            )
        for at, p in line.points:
            parts.append(_point(x(at), y(p.value), p, line.name))
        parts.append("</g>")
        out.append("".join(parts))
    return Markup(
        f'<svg class="{css}" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="group" '
        f'aria-label="{escape(label)}">{"".join(out)}</svg>'
    )


_KINDS = {"cumulative": "running total", "period": "figure of one period", "case": "one case"}


def _point(cx: float, cy: float, p: TimelinePoint, scope: str) -> str:
    again = len(p.also_reported_by)
    tip = (
        f"{day(p.date)}, {scope}: {p.label} ({_KINDS.get(p.kind, p.kind)}), {p.source or 'article'}"
        + (f", and {again} later report{'' if again == 1 else 's'}" if again else "")
    )
    css = "point" if p.on_line else "point off"
    return (
        # the title names the link for a screen reader and is the tip on hover
        f'<a href="{escape(p.link)}">'
        f'<circle class="{css}" cx="{cx:.1f}" cy="{cy:.1f}" r="4"/>'
        f"<title>{escape(tip)}</title></a>"
    )
