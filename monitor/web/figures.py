"""Figures as analysts take them away: each distinct figure once, with every announcement that
reported it, never summed; collected from the index by paging its search, and written as CSV."""

from __future__ import annotations

import csv
import heapq
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from pydantic import BaseModel

from monitor.index.base import Hit, Index, SearchRequest
from monitor.models import Figure
from monitor.web.format import figure_label

PAGE = 200
#: Articles one figures query reads at most; past it the answer says it is truncated.
MAX_ARTICLES = 5000


class ArticleRef(BaseModel):
    id: str
    title: str
    source: str
    url: str
    lang: str
    published_at: datetime | None


class FigureReport(BaseModel):
    article_id: str
    title: str
    source: str
    url: str
    published_at: datetime | None
    quote: str


class ReportedFigure(BaseModel):
    """One figure as reported, however many announcements repeated it. A campaign's figures
    are usually running totals: a later, larger figure replaces an earlier one; it does not
    add to it."""

    campaign: str | None
    measure: str
    unit: str
    value: float
    approx: str
    region: str | None
    label: str
    quote: str
    first_reported: datetime | None
    last_reported: datetime | None
    reports: list[FigureReport]


class FiguresResult(BaseModel):
    total: int
    articles_read: int
    truncated: bool
    figures: list[ReportedFigure]


def article_ref(hit: Hit) -> ArticleRef:
    return ArticleRef.model_construct(  # from a validated hit
        id=hit.id,
        title=hit.title,
        source=hit.source,
        url=hit.url,
        lang=hit.lang,
        published_at=hit.published_at,
    )


def scan(index: Index, request: SearchRequest, limit: int = MAX_ARTICLES) -> tuple[list[Hit], bool]:
    """Every hit of `request`, newest first, up to `limit`; and whether there were more."""
    base = request.model_copy(
        update={"sort": "date", "size": PAGE, "facets": False, "histogram": None}
    )
    hits: list[Hit] = []
    page = 1
    while len(hits) < limit:
        result = index.search(base.model_copy(update={"page": page}))
        hits.extend(result.hits)
        if not result.hits or page * PAGE >= result.total or page >= 1000:
            return hits[:limit], len(hits) > limit or result.total > limit
        page += 1
    return hits[:limit], True


_EARLIEST = datetime.min.replace(tzinfo=UTC)


def _when(value: datetime | None) -> tuple[int, str]:
    return (0, value.isoformat()) if value else (1, "")


def _first_date(found: dict[str, tuple[Figure, Hit]]) -> datetime:
    dates = [h.published_at for _, h in found.values() if h.published_at]
    return min(dates) if dates else _EARLIEST


def group(reports: Iterable[tuple[Figure, Hit]], newest: int | None = None) -> list[ReportedFigure]:
    """Distinct figures: the same campaign, measure, unit, value and region reported by several
    announcements (or twice in one) is one figure with all its reports. With `newest`, only
    that many: those first reported most recently (undated ones count as the oldest)."""
    groups: dict[tuple[object, ...], dict[str, tuple[Figure, Hit]]] = {}
    for fig, hit in reports:
        key = (fig.campaign, fig.measure, fig.unit, fig.value, fig.region)
        groups.setdefault(key, {}).setdefault(hit.id, (fig, hit))
    chosen: Iterable[dict[str, tuple[Figure, Hit]]] = groups.values()
    if newest is not None and len(groups) > newest:
        chosen = heapq.nlargest(newest, groups.values(), key=_first_date)
    out = []
    for found in chosen:
        ordered = sorted(found.values(), key=lambda pair: _when(pair[1].published_at))
        first_fig, _ = ordered[0]
        dates = [h.published_at for _, h in ordered if h.published_at]
        # built unvalidated: every field comes from validated figures and hits, and a long
        # campaign has thousands of figures
        out.append(
            ReportedFigure.model_construct(
                campaign=first_fig.campaign,
                measure=first_fig.measure,
                unit=first_fig.unit,
                value=first_fig.value,
                approx=first_fig.approx,
                region=first_fig.region,
                label=figure_label(first_fig),
                quote=first_fig.quote,
                first_reported=min(dates) if dates else None,
                last_reported=max(dates) if dates else None,
                reports=[
                    FigureReport.model_construct(
                        article_id=h.id,
                        title=h.title,
                        source=h.source,
                        url=h.url,
                        published_at=h.published_at,
                        quote=f.quote,
                    )
                    for f, h in ordered
                ],
            )
        )
    out.sort(key=lambda f: (f.campaign or "", f.measure, _when(f.first_reported), f.value))
    return out


def figures_of(
    hits: Iterable[Hit],
    *,
    campaigns: tuple[str, ...] = (),
    measures: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
) -> Iterator[tuple[Figure, Hit]]:
    """The figures of these hits that match the figure-level filters (an article about two
    campaigns carries figures of both; only those attributed to the asked one count)."""
    for hit in hits:
        for fig in hit.figures:
            if campaigns and fig.campaign not in campaigns:
                continue
            if measures and fig.measure not in measures:
                continue
            if regions and fig.region not in regions:
                continue
            yield fig, hit


_FORMULA = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "campaign",
    "measure",
    "value",
    "unit",
    "approx",
    "region",
    "first_reported",
    "last_reported",
    "reports",
    "sources",
    "article_ids",
    "urls",
    "quote",
)


def cell(value: object) -> str:
    """Text a spreadsheet shows as text: a feed's "=HYPERLINK(...)" must not become a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def to_csv(figures: Iterable[ReportedFigure]) -> str:
    """CSV with a byte-order mark, so spreadsheet programs read the Chinese as UTF-8."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for f in figures:
        writer.writerow(
            [
                cell(f.campaign),
                cell(f.measure),
                number(f.value),
                cell(f.unit),
                cell(f.approx),
                cell(f.region),
                f.first_reported.isoformat() if f.first_reported else "",
                f.last_reported.isoformat() if f.last_reported else "",
                len(f.reports),
                cell("; ".join(dict.fromkeys(r.source for r in f.reports if r.source))),
                "; ".join(r.article_id for r in f.reports),
                cell("; ".join(r.url for r in f.reports if r.url)),
                cell(f.quote),
            ]
        )
    return buf.getvalue()
