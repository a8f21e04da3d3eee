"""The server-rendered pages: search, article, campaigns, campaign, and the API's own page."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.datastructures import QueryParams

from monitor.campaign_names import CampaignNames, yearly
from monitor.errors import QuerySyntaxError, TransientError
from monitor.index.base import FILTERS, HistogramBucket, Index, SearchResult
from monitor.index.selection import BadInput, search_request
from monitor.presets import PRESETS, Dates, choose
from monitor.source_names import SourceNames, chosen_levels, label, labelled
from monitor.web import service
from monitor.web.article_view import article_view
from monitor.web.charts import histogram, timeline_charts, year_charts

FACET_TITLES = {
    "campaign": "Campaign",
    "measure": "Figure",
    "region": "Region",
    "agency": "Agency",
    "source": "Source",
    "lang": "Language",
    "crime_type": "Crime type",
    "chinese_police": "Whose operation",
    "level": "Issuing level",
}
#: Rows a campaign page lists of its figures and of its announcements; the rest are a link away.
SHOWN = 100
LANGUAGES = {"en": "English", "zh": "中文"}
_FORMATS = {"day": "%Y-%m-%d", "week": "%Y-W%W-%w", "month": "%Y-%m", "year": "%Y"}


def bucket_range(start: str, interval: str | None) -> tuple[date, date] | None:
    """The first and last day of a histogram bucket, from the key the index gave it."""
    try:
        if interval == "week":
            first = datetime.strptime(start + "-1", _FORMATS["week"]).date()
        elif interval in _FORMATS:
            first = datetime.strptime(start, _FORMATS[interval]).date()
        else:
            first = date.fromisoformat(start[:10])
    except ValueError:
        try:  # a backend that keys buckets by their first moment
            first = date.fromisoformat(start[:10])
        except ValueError:
            return None
    if interval == "day":
        return first, first
    if interval == "week":  # %W weeks do not cross a new year: its first days are week 00
        year = int(start[:4])
        return max(first, date(year, 1, 1)), min(first + timedelta(days=6), date(year, 12, 31))
    if interval == "year":
        return first, date(first.year, 12, 31)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def fill_gaps(buckets: list[HistogramBucket], interval: str | None) -> list[HistogramBucket]:
    """Empty buckets where no announcement fell, so the bars stand on an even time axis."""
    if interval not in _FORMATS or len(buckets) < 2:
        return buckets
    fmt = _FORMATS[interval].removesuffix("-%w")
    counts = {b.start: b.count for b in buckets}
    span = bucket_range(buckets[0].start, interval)
    if span is None or bucket_range(buckets[-1].start, interval) is None:
        return buckets
    out: list[HistogramBucket] = []
    day = span[0]
    while len(out) <= 1000:
        key = day.strftime(fmt)
        out.append(HistogramBucket(start=key, count=counts.get(key, 0)))
        if key == buckets[-1].start:
            return out
        day = bucket_range(key, interval)[1] + timedelta(days=1)  # type: ignore[index]
    return buckets


class Links:
    """Links that change one thing about the current search and keep the rest."""

    def __init__(self, params: QueryParams) -> None:
        self.pairs = [(k, v) for k, v in params.multi_items() if v != ""]
        self.dates = Dates(None, params.get("date_from", ""), params.get("date_to", ""))

    def _url(self, pairs: list[tuple[str, str]]) -> str:
        return "/?" + urlencode(pairs) if pairs else "/"

    def set(self, **change: object) -> str:
        pairs = [(k, v) for k, v in self.pairs if k not in change and k != "page"]
        pairs += [(k, str(v)) for k, v in change.items() if v is not None and k != "page"]
        if change.get("page") not in (None, 1):
            pairs.append(("page", str(change["page"])))
        return self._url(pairs)

    def toggle(self, field: str, value: str) -> str:
        pairs = [p for p in self.pairs if p[0] != "page"]
        if (field, value) in pairs:
            pairs.remove((field, value))
        else:
            pairs.append((field, value))
        return self._url(pairs)

    def without_dates(self) -> str:
        dated = ("date_from", "date_to", "preset", "page")
        return self._url([p for p in self.pairs if p[0] not in dated])

    def preset(self, name: str) -> str:
        return self.set(preset=name, date_from=None, date_to=None)

    def _selection(self) -> list[tuple[str, str]]:
        """The search as the API takes it: a preset's dates written out."""
        chosen = [p for p in self.pairs if p[0] in (*FILTERS, "q")]
        dates = [("date_from", self.dates.date_from), ("date_to", self.dates.date_to)]
        return chosen + [(k, v) for k, v in dates if v]

    def figures_csv(self) -> str:
        return "/api/figures?" + urlencode([*self._selection(), ("format", "csv")])

    def export(self, format: str) -> str:
        """Every announcement of this search (not one page) as `csv` or `jsonl`."""
        return "/api/search?" + urlencode([*self._selection(), ("format", format)])

    def bucket(self, interval: str | None) -> Any:
        def link(b: HistogramBucket) -> str | None:
            span = bucket_range(b.start, interval)
            if span is None:
                return None
            return self.set(date_from=span[0].isoformat(), date_to=span[1].isoformat(), preset=None)

        return link


def page_router(
    index: Index, templates: Jinja2Templates, names: CampaignNames, sources: SourceNames
) -> APIRouter:
    pages = APIRouter(include_in_schema=False)

    def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status)

    @pages.get("/", response_class=HTMLResponse)
    def search_page(request: Request) -> HTMLResponse:
        params = request.query_params
        links = Links(params)
        q = params.get("q", "")
        filters = {f: params.getlist(f) for f in FILTERS if any(params.getlist(f))}
        result: SearchResult | None = None
        error = None
        try:
            levels = chosen_levels(filters.get("level"))
            links.dates = choose(
                params.get("preset"),
                params.get("date_from"),
                params.get("date_to"),
                datetime.now(UTC),
            )
            req = search_request(
                q,
                filters,
                links.dates.date_from,
                links.dates.date_to,
                params.get("sort"),
                params.get("page"),
                params.get("size"),
            )
            result = labelled(service.search(index, req, names, levels=levels), sources)
        except (BadInput, QuerySyntaxError) as exc:
            error = str(exc)
        except TransientError as exc:
            raise HTTPException(503, detail=str(exc)) from None
        pages_total = math.ceil(result.total / result.size) if result and result.size else 0
        return render(
            request,
            "search.html",
            400 if error else 200,
            q=q,
            result=result,
            error=error,
            filters=filters,
            links=links,
            facet_titles=FACET_TITLES,
            facet_label=lambda field, value: label(field, value, sources),
            languages=LANGUAGES,
            pages_total=min(pages_total, 10_000 // result.size) if result and result.size else 0,
            sort=params.get("sort", "relevance"),
            date_from=links.dates.date_from,
            date_to=links.dates.date_to,
            dates=links.dates,
            presets=PRESETS,
            histogram=histogram(
                fill_gaps(result.histogram, result.interval),
                result.interval,
                links.bucket(result.interval),
            )
            if result
            else "",
        )

    @pages.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        doc = index.get(article_id)
        if doc is None:
            raise HTTPException(404, detail=f"There is no announcement with id {article_id}.")
        return render(request, "article.html", doc=doc, view=article_view(doc))

    @pages.get("/campaigns", response_class=HTMLResponse)
    def campaigns_page(request: Request) -> HTMLResponse:
        return render(request, "campaigns.html", campaigns=service.campaign_list(index))

    @pages.get("/campaigns/{name:path}", response_class=HTMLResponse)
    def campaign_page(request: Request, name: str) -> HTMLResponse:
        try:
            view = service.campaign_view(
                index, name, names, request.query_params.get("region"), SHOWN
            )
        except BadInput as exc:
            raise HTTPException(400, detail=f"Bad request: {exc}") from None
        if view is None:
            raise HTTPException(404, detail=f"No campaign named {name} has been seen.")
        found, timeline = view.detail, view.timeline
        # all of them in their order, or the newest, newest first
        figures = found.figures
        if view.figure_count > SHOWN:
            figures = sorted(
                figures,
                key=lambda f: f.first_reported or datetime.min.replace(tzinfo=UTC),
                reverse=True,
            )
        # asked for by a yearly series' name (净网): the series, shown at its latest year
        series = names.series_named(name, found.canonical)
        # a campaign named without its year (Clean Internet) that is also a yearly series: its
        # latest year seen, so the series stays one click away
        latest_year = (
            names.latest_year(index, found.canonical)
            if series is None and yearly(found.canonical) is None
            else None
        )
        return render(
            request,
            "campaign.html",
            c=found,
            figures=figures,
            figure_count=view.figure_count,
            shown=SHOWN,
            # the scope the totals are of: the nation beside each region, or the region alone
            charts=timeline_charts(timeline.measures, found.totals),
            year_charts=year_charts(timeline.years),
            years=timeline.years,
            series=series,
            latest_year=latest_year,
            asked=name,
            regions=view.regions,
        )

    @pages.get("/api", response_class=HTMLResponse)
    def api_page(request: Request) -> HTMLResponse:
        return render(request, "api.html", spec=request.app.openapi())

    return pages
