"""The FastAPI app: `/api/search`, `/api/articles/{id}`, `/api/campaigns`, and the pages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

import monitor
from monitor.errors import QuerySyntaxError
from monitor.index.base import FACETS, CampaignSummary, Index, SearchRequest, SearchResult
from monitor.models import EnrichedArticle

HERE = Path(__file__).parent


def search_request(
    q: str = "",
    campaign: list[str] | None = None,
    measure: list[str] | None = None,
    region: list[str] | None = None,
    agency: list[str] | None = None,
    source: list[str] | None = None,
    lang: list[str] | None = None,
    crime_type: list[str] | None = None,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    sort: str = "relevance",
    page: int = 1,
    size: int = 20,
    include_irrelevant: bool = False,
) -> SearchRequest:
    given = dict(zip(FACETS, (campaign, measure, region, agency, source, lang, crime_type),
                     strict=True))
    try:
        return SearchRequest(
            query=q,
            filters={k: tuple(v) for k, v in given.items() if v},
            date_from=date_from,
            date_to=date_to,
            sort=sort,  # type: ignore[arg-type]
            page=page,
            size=size,
            include_irrelevant=include_irrelevant,
        )
    except ValueError as exc:
        raise HTTPException(400, detail=str(exc)) from None


def create_app(index: Index) -> FastAPI:
    app = FastAPI(
        title="Announcement monitor",
        version=monitor.__version__,
        description="Search China's public-security announcements: campaigns and figures.",
    )
    templates = Jinja2Templates(directory=HERE / "templates")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def run_search(request: SearchRequest) -> SearchResult:
        try:
            return index.search(request)
        except QuerySyntaxError as exc:
            raise HTTPException(400, detail=f"bad query: {exc}") from None

    @app.get("/api/search", response_model=SearchResult, tags=["search"])
    def api_search(
        q: Annotated[str, Query(description="query text: words, \"phrases\", AND/OR/NOT, field:value")] = "",
        campaign: Annotated[list[str] | None, Query()] = None,
        measure: Annotated[list[str] | None, Query()] = None,
        region: Annotated[list[str] | None, Query()] = None,
        agency: Annotated[list[str] | None, Query()] = None,
        source: Annotated[list[str] | None, Query()] = None,
        lang: Annotated[list[str] | None, Query()] = None,
        crime_type: Annotated[list[str] | None, Query()] = None,
        date_from: datetime | None = None,
        date_to: datetime | None = None,
        sort: Annotated[str, Query(pattern="^(relevance|date)$")] = "relevance",
        page: Annotated[int, Query(ge=1, le=1000)] = 1,
        size: Annotated[int, Query(ge=0, le=200)] = 20,
        include_irrelevant: bool = False,
    ) -> SearchResult:
        return run_search(search_request(
            q, campaign, measure, region, agency, source, lang, crime_type,
            date_from, date_to, sort, page, size, include_irrelevant,
        ))

    @app.get("/api/articles/{article_id}", response_model=EnrichedArticle, tags=["articles"])
    def api_article(article_id: str) -> EnrichedArticle:
        doc = index.get(article_id)
        if doc is None:
            raise HTTPException(404, detail=f"no article with id {article_id}")
        return doc

    @app.get("/api/campaigns", response_model=list[CampaignSummary], tags=["campaigns"])
    def api_campaigns() -> list[CampaignSummary]:
        return index.campaigns()

    @app.get("/api/campaigns/{name}", response_model=CampaignSummary, tags=["campaigns"])
    def api_campaign(name: str) -> CampaignSummary:
        found = index.campaign(name)
        if found is None:
            raise HTTPException(404, detail=f"no campaign named {name}")
        return found

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page_search(request: Request, q: str = "", page: int = 1) -> HTMLResponse:
        params = request.query_params
        filters = {f: params.getlist(f) for f in FACETS if params.getlist(f)}
        error = None
        result = None
        try:
            result = index.search(SearchRequest(
                query=q, filters={k: tuple(v) for k, v in filters.items()},
                page=max(1, min(page, 1000)), sort=params.get("sort", "relevance")  # type: ignore[arg-type]
                if params.get("sort") in ("relevance", "date") else "relevance",
            ))
        except QuerySyntaxError as exc:
            error = str(exc)

        def link(**change: object) -> str:
            pairs = [(k, v) for k, v in params.multi_items() if k not in change]
            for key, value in change.items():
                if value is not None:
                    pairs.append((key, str(value)))
            return "/?" + urlencode(pairs)

        def toggle(field: str, value: str) -> str:
            pairs = [(k, v) for k, v in params.multi_items() if k != "page"]
            if (field, value) in pairs:
                pairs.remove((field, value))
            else:
                pairs.append((field, value))
            return "/?" + urlencode(pairs)

        peak = max((b.count for b in result.histogram), default=1) if result else 1
        return templates.TemplateResponse(request, "search.html", {
            "q": q, "result": result, "error": error, "filters": filters, "link": link,
            "toggle": toggle, "peak": peak, "facet_names": FACETS,
        }, status_code=400 if error else 200)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def page_article(request: Request, article_id: str) -> HTMLResponse:
        doc = index.get(article_id)
        if doc is None:
            raise HTTPException(404, detail=f"no article with id {article_id}")
        return templates.TemplateResponse(request, "article.html", {"doc": doc})

    return app
