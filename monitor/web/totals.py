"""A campaign's standing per measure: the latest running total its announcements gave, nationally
or in one region, taken as reported and never summed (a later total restates an earlier one)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from monitor.index.base import Hit
from monitor.index.selection import BadInput
from monitor.models import Figure, FigureKind
from monitor.web.format import figure_amount, figure_label, path_part

#: Longest region name a request may ask for; the longest real one is far shorter.
MAX_REGION = 100
_EARLIEST = datetime.min.replace(tzinfo=UTC)


class Reported(BaseModel):
    """A figure as one announcement reported it, and where to read it."""

    value: float
    approx: str
    label: str  # with its measure: "more than 6,000 cases solved"
    kind: FigureKind
    article_id: str
    title: str
    source: str
    url: str
    quote: str
    start: int
    # the figure's sentence on the article page
    link: str


def reported(figure: Figure, hit: Hit) -> dict[str, Any]:
    """The `Reported` fields of `figure` in `hit`, for a model built from them."""
    return {
        "value": figure.value,
        "approx": figure.approx,
        "label": figure_label(figure),
        "kind": figure.kind,
        "article_id": hit.id,
        "title": hit.title,
        "source": hit.source,
        "url": hit.url,
        "quote": figure.quote,
        "start": figure.start,
        "link": figure_link(hit.id, figure),
    }


class Total(Reported):
    """Where a campaign stands on one measure, and the announcement that says so."""

    measure: str
    unit: str
    amount: str  # as a reader says it: "more than 6,000", "2.99 billion yuan"
    # its `kind` cumulative: the latest running total reported in this scope; period: no running
    # total was reported, so this is the latest figure of one period (a month, a phase), not the
    # standing
    region: str | None
    as_of: datetime | None


def region_scope(region: str | None) -> str | None:
    """The `region` a reader asked for, or None for the national scope; BadInput when it cannot
    be a region's name."""
    if region is None or not region.strip():
        return None
    if len(region) > MAX_REGION:
        raise BadInput(f"region is longer than {MAX_REGION} characters")
    if any(not ch.isprintable() for ch in region):
        raise BadInput("region holds a control character")
    return " ".join(region.split())


def in_scope(figure: Figure, region: str | None) -> bool:
    """National figures (no region) for the national scope, else that region's, in any case."""
    if region is None:
        return not figure.region
    return figure.region is not None and figure.region.casefold() == region.casefold()


def figure_link(article_id: str, figure: Figure) -> str:
    return f"/articles/{path_part(article_id)}#fig-{figure.start}"


def latest(reports: Iterable[tuple[Figure, Hit]]) -> tuple[Figure, Hit] | None:
    """The latest report; on one day the larger value (a running total does not shrink, and of
    two periods in one announcement the larger is the longer)."""
    return max(
        reports, key=lambda pair: (pair[1].published_at or _EARLIEST, pair[0].value), default=None
    )


def standing(figure: Figure, hit: Hit) -> Total:
    return Total(
        **reported(figure, hit),
        measure=figure.measure,
        unit=figure.unit,
        amount=figure_amount(figure),
        region=figure.region or None,
        as_of=hit.published_at,
    )


def totals(reports: Iterable[tuple[Figure, Hit]], region: str | None = None) -> list[Total]:
    """Per measure and unit, the latest cumulative figure in scope; where none was reported, the
    latest period figure (its kind says so). A case figure never stands for the campaign, and a
    region's figures never replace the national ones. Most-reported measures first."""
    return [standing(*best) for best in standings(reports, region)]


def regions(reports: Iterable[tuple[Figure, Hit]]) -> list[str]:
    """The regions with a standing of their own (a case figure is none), each as its first
    figure spells it, in alphabetical order."""
    found: dict[str, str] = {}
    for fig, _ in reports:
        if fig.region and fig.kind != "case" and math.isfinite(fig.value):
            found.setdefault(fig.region.casefold(), fig.region)
    return sorted(found.values())


def standings(
    reports: Iterable[tuple[Figure, Hit]], region: str | None = None
) -> list[tuple[Figure, Hit]]:
    """The figures `totals` is made of, with the articles that reported them."""
    groups: dict[tuple[str, str], list[tuple[Figure, Hit]]] = {}
    for fig, hit in reports:
        if fig.kind != "case" and math.isfinite(fig.value) and in_scope(fig, region):
            groups.setdefault((fig.measure, fig.unit), []).append((fig, hit))
    out = []
    for found in sorted(groups.values(), key=lambda g: (-len(g), g[0][0].measure, g[0][0].unit)):
        best = latest(p for p in found if p[0].kind == "cumulative") or latest(found)
        if best is not None:
            out.append(best)
    return out
