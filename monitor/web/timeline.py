"""A campaign's figures over time: per measure, one series per scope (national, each region) of
the values as first reported, each point with the announcement it came from; and, for a yearly
series of campaigns (净网2019, 净网2020 ...), each year's national standing on one calendar."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

from pydantic import BaseModel

from monitor.campaign_names import yearly
from monitor.index.base import Hit
from monitor.models import Figure, FigureKind
from monitor.web.format import measure_label
from monitor.web.totals import Reported, in_scope, reported

#: Years of one series compared at most (the latest).
MAX_YEARS = 10
T = TypeVar("T")
#: Points each of a chart's `lines` lines keeps at most (see `thin`).
Budget = Callable[[int], int]


class TimelinePoint(Reported):
    """A value as first reported in its scope, with the announcement that reported it."""

    date: datetime
    # joined by the series' line: the figures of the kind the scope's standing is taken from
    on_line: bool
    # later announcements that gave the same value in the same scope
    also_reported_by: list[str]


class Series(BaseModel):
    scope: str  # "national" or the region's name
    region: str | None
    # cumulative where the scope reported running totals, else period; case figures are points
    # off the line, never part of it
    line: FigureKind
    points: list[TimelinePoint]


class MeasureTimeline(BaseModel):
    measure: str
    unit: str
    title: str
    series: list[Series]


class YearPoint(TimelinePoint):
    day: int  # days from 1 January of the campaign's year to the report (negative before it)


class YearLine(BaseModel):
    campaign: str
    year: int
    points: list[YearPoint]


class YearMeasure(BaseModel):
    measure: str
    unit: str
    title: str
    lines: list[YearLine]


class YearComparison(BaseModel):
    series: str
    campaigns: list[str]
    measures: list[YearMeasure]


class Timeline(BaseModel):
    campaign: str
    region: str | None
    articles_read: int
    truncated: bool
    measures: list[MeasureTimeline]
    years: YearComparison | None = None


def _scope_key(fig: Figure) -> str:
    return fig.region.casefold() if fig.region else ""


def thin(
    items: Sequence[T],
    at: Callable[[T], float],
    on_line: Callable[[T], bool],
    span: tuple[float, float],
    slots: int,
) -> list[T]:
    """At most `slots` of `items` (oldest first), spread over the whole `span` rather than the
    latest only: the span is cut into `slots` equal parts and each keeps its latest item on
    the line, else its latest item. So the latest point on the line is always kept, and a
    chart a few hundred pixels wide shows the shape of the whole series."""
    if len(items) <= slots:
        return list(items)
    start, width = span[0], (span[1] - span[0]) / slots or 1.0
    kept: dict[int, T] = {}
    for item in items:
        slot = min(max(int((at(item) - start) / width), 0), slots - 1)
        current = kept.get(slot)
        if current is None or on_line(item) or not on_line(current):
            kept[slot] = item
    return list(kept.values())


_First = tuple[Figure, Hit, list[str]]


def _firsts(reports: Sequence[tuple[Figure, Hit]]) -> list[_First]:
    """Each distinct figure (a value of one kind) once, at the date it was first reported,
    oldest first, with the later announcements that gave it again. Of the kind too: one case's
    12 arrests is not a running total of 12 that a later announcement gives."""
    firsts: dict[tuple[float, FigureKind], _First] = {}
    for fig, hit in sorted(reports, key=lambda p: (p[1].published_at, p[1].id)):
        key = (fig.value, fig.kind)
        if key in firsts:
            seen = firsts[key]
            if hit.id != seen[1].id and hit.id not in seen[2]:
                seen[2].append(hit.id)
        else:
            firsts[key] = (fig, hit, [])
    return list(firsts.values())


def _when(first: _First) -> float:
    return first[1].published_at.timestamp()  # type: ignore[union-attr]  # dated: see measures


def _points(firsts: Sequence[_First], line: FigureKind) -> list[TimelinePoint]:
    # built unvalidated: every field comes from validated figures and hits, and a campaign page
    # makes thousands of points
    return [
        TimelinePoint.model_construct(
            **reported(fig, hit),
            date=hit.published_at,
            on_line=fig.kind == line,
            also_reported_by=later,
        )
        for fig, hit, later in firsts
    ]


def _series(
    scope: list[tuple[Figure, Hit]], span: tuple[float, float], slots: int | None
) -> Series:
    region = scope[0][0].region or None
    line: FigureKind = "cumulative" if any(f.kind == "cumulative" for f, _ in scope) else "period"
    firsts = _firsts(scope)
    if slots is not None:
        firsts = thin(firsts, _when, lambda f: f[0].kind == line, span, slots)
    return Series(
        scope=region or "national", region=region, line=line, points=_points(firsts, line)
    )


def measures(
    reports: Iterable[tuple[Figure, Hit]],
    region: str | None = None,
    budget: Budget | None = None,
) -> list[MeasureTimeline]:
    """Per measure and unit (most reported first), the national series then each region's
    (most reported first); with `region`, that region's series only. Undated reports are left
    out: they have no place on a time axis. With `budget` (what a page's chart draws), each
    series keeps that many points of a measure of that many series, spread over the measure's
    time span (`thin`); without, every point (the JSON)."""
    grouped: dict[tuple[str, str], dict[str, list[tuple[Figure, Hit]]]] = {}
    for fig, hit in reports:
        if hit.published_at is None or not math.isfinite(fig.value):
            continue
        if region is not None and not in_scope(fig, region):
            continue
        scopes = grouped.setdefault((fig.measure, fig.unit), {})
        scopes.setdefault(_scope_key(fig), []).append((fig, hit))
    out = []
    for (measure, unit), scopes in sorted(
        grouped.items(), key=lambda kv: (-sum(map(len, kv[1].values())), kv[0])
    ):
        ordered = sorted(scopes.items(), key=lambda kv: (kv[0] != "", -len(kv[1]), kv[0]))
        dates = [h.published_at.timestamp() for s in scopes.values() for _, h in s]  # type: ignore[union-attr]
        span = (min(dates), max(dates))
        slots = budget(len(ordered)) if budget is not None else None
        out.append(
            MeasureTimeline(
                measure=measure,
                unit=unit,
                title=measure_title(measure, unit),
                series=[_series(found, span, slots) for _, found in ordered],
            )
        )
    return out


def measure_title(measure: str, unit: str) -> str:
    return measure_label(measure) + (" (yuan)" if unit == "CNY" else "")


def same_series(canonical: str, known: Callable[[str], bool]) -> list[tuple[int, str]]:
    """The campaigns of the yearly series `canonical` belongs to (itself included): its name with
    another year, for the years within MAX_YEARS of its own that `known` says were seen; at most
    MAX_YEARS of them, its own among them and the later ones first, oldest first. Empty when
    `canonical` is not a yearly campaign or no other year of it is known. (Asking year by year
    is a few cheap look-ups; listing every campaign the index holds takes seconds on a large
    one.)"""
    own = yearly(canonical)
    if own is None:
        return []
    stem, year = canonical[: -len(str(own[1]))], own[1]
    years = [
        y
        for y in range(year - MAX_YEARS + 1, year + MAX_YEARS)
        if y == year or (1900 <= y < 2100 and known(f"{stem}{y}"))
    ]
    if len(years) < 2:
        return []
    first = min(years.index(year), len(years) - MAX_YEARS) if len(years) > MAX_YEARS else 0
    return [(y, f"{stem}{y}") for y in years[first : first + MAX_YEARS]]


def compare_years(
    series: str,
    years: Sequence[tuple[int, str, Iterable[tuple[Figure, Hit]]]],
    budget: Budget | None = None,
) -> YearComparison:
    """Each year's national line per measure, placed by day of its campaign year: the figures of
    the kind its standing is taken from (running totals where it gave them), first reports only.
    Measures that fewer than two years reported are left out: there is nothing to compare.
    With `budget`, each line keeps what a chart of all the years draws (see `measures`)."""
    lines: dict[tuple[str, str], list[YearLine]] = {}
    each = (lambda _: budget(len(years))) if budget is not None else None
    for year, campaign, reports in years:
        national = [(f, h) for f, h in reports if not f.region and f.kind != "case"]
        for timeline in measures(national, budget=each):
            points = [p for p in timeline.series[0].points if p.on_line]
            start = datetime(year, 1, 1, tzinfo=UTC)
            lines.setdefault((timeline.measure, timeline.unit), []).append(
                YearLine(
                    campaign=campaign,
                    year=year,
                    points=[
                        YearPoint.model_construct(**dict(p), day=(p.date - start).days)
                        for p in points
                    ],
                )
            )
    found = [
        YearMeasure(measure=m, unit=u, title=measure_title(m, u), lines=ls)
        for (m, u), ls in sorted(lines.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        if len(ls) > 1
    ]
    return YearComparison(
        series=series, campaigns=[campaign for _, campaign, _ in years], measures=found
    )
