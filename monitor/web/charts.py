"""Inline SVG charts, drawn on the server so the pages need no chart library: the date histogram
of a search, and a campaign's figures over time, one small chart per measure."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from markupsafe import Markup, escape

from monitor.index.base import HistogramBucket
from monitor.web.figures import ReportedFigure
from monitor.web.format import amount, compact, day, figure_amount, measure_label


def histogram(
    buckets: Sequence[HistogramBucket],
    interval: str | None,
    link: Callable[[HistogramBucket], str | None],
) -> Markup:
    """Bars of announcements per interval; each bar links to the search narrowed to it."""
    if not buckets:
        return Markup("")
    width, height = 600, 80
    peak = max(b.count for b in buckets) or 1
    step = width / len(buckets)
    gap = min(2.0, step / 4)
    parts = []
    for i, b in enumerate(buckets):
        h = max(2.0, (height - 4) * b.count / peak)
        rect = (
            f'<rect x="{i * step + gap / 2:.1f}" y="{height - h:.1f}" '
            f'width="{max(step - gap, 1):.1f}" height="{h:.1f}" rx="1"/>'
        )
        plural = "" if b.count == 1 else "s"
        tip = f"<title>{escape(b.start)}: {b.count} announcement{plural}</title>"
        href = link(b)
        parts.append(f'<a href="{escape(href)}">{rect}{tip}</a>' if href else f"<g>{rect}{tip}</g>")
    first, last = escape(buckets[0].start), escape(buckets[-1].start)
    title = f"announcements per {escape(interval or 'period')}"
    # Stretched to the page's width at a fixed height; the axis labels are HTML so they keep
    # their size on a phone and on a wide screen alike.
    return Markup(
        f'<svg class="histogram" viewBox="0 0 {width} {height}" preserveAspectRatio="none" '
        f'role="img" aria-label="{title}">{"".join(parts)}</svg>'
        f'<div class="hist-axis"><span>{first}</span><span>{last}</span></div>'
    )


#: Points one chart draws at most (the latest); a real campaign reports far fewer figures.
MAX_POINTS = 400


@dataclass(frozen=True, slots=True)
class Chart:
    measure: str
    title: str
    latest: str
    svg: Markup


def figure_charts(figures: Sequence[ReportedFigure]) -> list[Chart]:
    """One chart per measure and unit: each distinct figure at the date it was first reported.
    National figures are joined by a line (a running total as it grew); regional ones are open
    dots, since they are part of, not additions to, the national figure."""
    series: dict[tuple[str, str], list[ReportedFigure]] = {}
    for f in figures:
        if f.first_reported is not None:
            series.setdefault((f.measure, f.unit), []).append(f)
    charts = []
    for (measure, unit), points in sorted(series.items(), key=lambda kv: -len(kv[1])):
        points.sort(key=lambda f: f.first_reported or datetime.min)
        points = points[-MAX_POINTS:]
        national = [f for f in points if not f.region] or points
        latest = national[-1]
        charts.append(
            Chart(
                measure=measure,
                title=measure_label(measure) + (" (yuan)" if unit == "CNY" else ""),
                latest=figure_amount(latest),
                svg=_chart(points, unit),
            )
        )
    return charts


def nice_ceiling(value: float) -> float:
    """The round number just above `value` (30,000 above 26,250), so axis ticks read well."""
    if value <= 0:
        return 1.0
    scale = 10 ** math.floor(math.log10(value))
    return next(m * scale for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * scale >= value)


def _chart(points: Sequence[ReportedFigure], unit: str) -> Markup:
    width, height = 360, 180
    left, right, top, bottom = 46, 14, 12, 24
    dates = [p.first_reported for p in points if p.first_reported]
    t0, t1 = min(dates), max(dates)
    if t1 - t0 < timedelta(days=2):
        t0, t1 = t0 - timedelta(days=15), t1 + timedelta(days=15)
    span = (t1 - t0).total_seconds()
    top_value = nice_ceiling(max(p.value for p in points) * 1.05)

    def x(when: datetime) -> float:
        return left + (width - left - right) * (when - t0).total_seconds() / span

    def y(value: float) -> float:
        return top + (height - top - bottom) * (1 - value / top_value)

    out = []
    for tick in (0.0, top_value / 2, top_value):
        ty = y(tick)
        out.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{ty:.1f}" '
            f'y2="{ty:.1f}"/><text class="axis" x="{left - 4}" y="{ty + 4:.1f}" '
            f'text-anchor="end">{escape(compact(tick))}</text>'
        )
    out.append(
        f'<text class="axis" x="{left}" y="{height - 6}">{escape(day(t0))}</text>'
        f'<text class="axis" x="{width - right}" y="{height - 6}" text-anchor="end">'
        f"{escape(day(t1))}</text>"
    )
    national = [p for p in points if not p.region]
    if len(national) > 1:
        path = " ".join(
            f"{x(p.first_reported):.1f},{y(p.value):.1f}"  # type: ignore[arg-type]
            for p in national
        )
        out.append(f'<polyline class="line" points="{path}"/>')
    if national:
        last = national[-1]
        out.append(
            f'<text class="value" x="{x(last.first_reported) - 6:.1f}" '  # type: ignore[arg-type]
            f'y="{y(last.value) - 8:.1f}" text-anchor="end">'
            f"{escape(compact(last.value))}</text>"
        )
    for p in points:
        assert p.first_reported is not None
        where = f" in {p.region}" if p.region else ""
        sources = len(p.reports)
        tip = (
            f"{day(p.first_reported)}: {p.label}{where} "
            f"({sources} report{'' if sources == 1 else 's'})"
        )
        kind = "point regional" if p.region else "point"
        out.append(
            f'<circle class="{kind}" cx="{x(p.first_reported):.1f}" '
            f'cy="{y(p.value):.1f}" r="4"><title>{escape(tip)}</title></circle>'
        )
    label = f"{measure_label(points[0].measure)} over time, latest {amount(points[-1].value, unit)}"
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}">{"".join(out)}</svg>'
    )
