"""The FastAPI app: the JSON API under /api, the pages, the static assets, the security headers
and the optional token. Every asset is served by the app itself, so it works offline."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

import monitor
from monitor.campaign_names import CampaignNames
from monitor.index.base import Index
from monitor.ops.view import Ops
from monitor.saved import SavedSearches
from monitor.source_names import SourceNames
from monitor.web import format as fmt
from monitor.web import security
from monitor.web.api import api_router
from monitor.web.head import HeadAsGet
from monitor.web.ops import ops_router
from monitor.web.pages import page_router
from monitor.web.saved import saved_router
from monitor.web.suggest import Suggestions, suggest_router

HERE = Path(__file__).parent


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=HERE / "templates")
    env = templates.env
    env.filters.update(
        figure=fmt.figure_label,
        chips=fmt.chips,
        qualifier=fmt.qualifier,
        number=fmt.number,
        measure=fmt.measure_name,
        day=fmt.day,
        safe_url=fmt.safe_url,
        path=fmt.path_part,
        html_lang=fmt.html_lang,
    )
    env.globals["version"] = monitor.__version__
    return templates


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _problem(err: dict[str, Any]) -> str:
    where = ".".join(str(p) for p in err.get("loc", ())[1:]) or "request"
    return f"{where}: {err.get('msg', 'invalid')}"


def _strip_422(schema: dict[str, Any]) -> dict[str, Any]:
    """Bad parameters answer 400 (see the handler below), so the 422 FastAPI documents is not."""
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            operation.get("responses", {}).pop("422", None)
    return schema


def create_app(
    index: Index,
    *,
    token: str | None = None,
    ops: Ops | None = None,
    allowed_hosts: Collection[str] = (),
    campaigns_file: Path | None = None,
    sources_file: Path | None = None,
    saved: SavedSearches | None = None,
) -> FastAPI:
    """The web app over `index`. It answers requests whose Host is a localhost form or one of
    `allowed_hosts` (`security.hosts_of(settings.web)`; "*" allows any), and refuses others
    with 400. With `token`, any request that changes state (POST, PUT, PATCH, DELETE), and any
    read of the operators' views (`/ops`, `/api/ops/...`), must send `Authorization: Bearer
    <token>`; the rest is open to read. With `ops`, the operators' page `/ops` shows sources,
    stages and dead letters (the caller starts and closes it); `/healthz` and `/readyz` are
    there either way. A campaign opens under any alias of `campaigns_file` (settings.campaigns;
    default config/campaigns.toml). Facets show each source by the name `sources_file`
    (settings.feeds) gives it; without one, by its id. `saved` keeps the saved searches of
    `/saved` and `/api/saved` (`monitor.saved.open_saved_searches(settings)`); reading them
    needs the token too, when one is set."""
    app = FastAPI(
        title="Announcement monitor",
        version=monitor.__version__,
        description="Search China's public-security announcements; follow campaigns and take "
        'their figures. Query language: words, "phrases", AND/OR/NOT, field:value.',
        docs_url=None,  # FastAPI's docs pages load their scripts from a CDN; /api is ours
        redoc_url=None,
    )
    templates = _templates()
    security.install(app, token or None, allowed_hosts)
    app.add_middleware(HeadAsGet)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    names = CampaignNames.load(campaigns_file)
    sources = SourceNames(sources_file)
    sources.load()
    app.include_router(api_router(index, names, sources))
    app.include_router(page_router(index, templates, names, sources))
    app.include_router(suggest_router(Suggestions(names.entries, index)))
    app.include_router(ops_router(index, templates, ops, needs_token=bool(token)))
    templates.env.globals["saved_needs_token"] = bool(token)
    app.include_router(saved_router(saved, templates, sources))

    openapi = app.openapi
    app.openapi = lambda: _strip_422(openapi())  # type: ignore[method-assign]

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError) -> Response:
        detail = "bad request: " + "; ".join(_problem(e) for e in exc.errors())
        if _wants_json(request):
            return JSONResponse({"detail": detail}, status_code=400)
        return templates.TemplateResponse(
            request, "error.html", {"status": 400, "message": detail}, status_code=400
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {"detail": exc.detail},
                status_code=exc.status_code,
                headers=getattr(exc, "headers", None),
            )
        message = (
            exc.detail
            if exc.status_code != 404 or exc.detail != "Not Found"
            else ("There is no page at this address.")
        )
        response: HTMLResponse = templates.TemplateResponse(
            request,
            "error.html",
            {"status": exc.status_code, "message": message},
            status_code=exc.status_code,
        )
        return response

    return app
