"""The operators' page (`/ops`), the dead-letter requeue, the probes `/healthz` (alive) and
`/readyz` (the bus and the index answer), and the Prometheus metrics at `/metrics`."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from prometheus_client import REGISTRY
from prometheus_client.exposition import choose_encoder

from monitor.errors import MonitorError
from monitor.index.base import Index
from monitor.ops.deadletters import DeadLetter, Requeued
from monitor.ops.health import duration
from monitor.ops.view import Ops

STATUS_WORDS = {
    "ok": "OK",
    "failing": "Failing",
    "silent": "Silent",
    "waiting": "Not polled yet",
    "disabled": "Off",
}


def when(moment: datetime | None, now: datetime | None = None) -> str:
    """`2026-11-23 08:01 UTC (3 minutes ago)`, or "never"."""
    if moment is None:
        return "never"
    now = now or datetime.now(UTC)
    seconds = (now - moment).total_seconds()
    relative = f"{duration(seconds)} ago" if seconds >= 0 else f"in {duration(-seconds)}"
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC ({relative})"


def sparkline(
    values: Sequence[float | None], label: str, width: int = 240, height: int = 44
) -> Markup:
    """A small line of the last hour (oldest left); gaps where a value is unknown."""
    known = [v for v in values if v is not None]
    top = max(known, default=0.0) or 1.0
    n = max(len(values) - 1, 1)
    runs: list[list[str]] = [[]]
    for i, v in enumerate(values):
        if v is None or math.isnan(v):
            runs.append([])
            continue
        x = 2 + (width - 4) * i / n
        y = height - 3 - (height - 6) * v / top
        runs[-1].append(f"{x:.1f},{y:.1f}")
    lines = "".join(
        f'<polyline class="line" points="{" ".join(r)}"/>'
        if len(r) > 1
        else f'<circle class="dot" cx="{r[0].split(",")[0]}" cy="{r[0].split(",")[1]}" r="2"/>'
        for r in runs
        if r
    )
    return Markup(
        f'<svg class="spark" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}"><line class="base" x1="0" x2="{width}" '
        f'y1="{height - 2}" y2="{height - 2}"/>{lines}</svg>'
    )


def _dead_letter_json(d: DeadLetter) -> dict[str, Any]:
    return {
        "ref": d.ref,
        "key": d.key,
        "reason": d.reason,
        "stage": d.stage,
        "topic": d.topic,
        "failed_at": d.failed_at.isoformat() if d.failed_at else None,
        "size": d.size,
        "title": d.title,
    }


def _requeued_json(result: Requeued) -> dict[str, Any]:
    return {"requeued": result.sent, "skipped": list(result.skipped)}


def ops_router(
    index: Index, templates: Jinja2Templates, ops: Ops | None, needs_token: bool = False
) -> APIRouter:
    router = APIRouter()

    @router.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "alive"}

    @router.get("/readyz", include_in_schema=False)
    def readyz() -> JSONResponse:
        checks: dict[str, str] = {}
        try:
            index.count()
            checks["index"] = "ok"
        except Exception as exc:  # any failure of the backend means "not ready"
            checks["index"] = str(exc) or type(exc).__name__
        if ops is not None:
            checks["bus"] = ops.ready().get("bus", "ok")
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks},
            status_code=200 if ready else 503,
        )

    # The app serves its own metrics at both spellings (a mounted sub-app would redirect
    # /metrics to /metrics/, which some scrapers do not follow).
    @router.get("/metrics", include_in_schema=False)
    @router.get("/metrics/", include_in_schema=False)
    def metrics(request: Request) -> Response:
        encoder, content_type = choose_encoder(request.headers.get("accept", ""))
        return Response(encoder(REGISTRY), media_type=content_type)

    @router.get("/ops", response_class=HTMLResponse, include_in_schema=False)
    def ops_page(request: Request) -> HTMLResponse:
        context: dict[str, Any] = {
            "ops": ops,
            "needs_token": needs_token,
            "when": when,
            "status_words": STATUS_WORDS,
        }
        if ops is not None:
            context.update(_gather(ops))
        requeued = request.query_params.get("requeued")
        context["requeued"] = int(requeued) if requeued and requeued.isdigit() else None
        return templates.TemplateResponse(request, "ops.html", context)

    @router.get("/api/ops/dead-letters", include_in_schema=False)
    def dead_letters() -> JSONResponse:
        if ops is None:
            return JSONResponse({"detail": "the ops view is not configured"}, status_code=404)
        try:
            items = ops.dead_letters()
        except MonitorError as exc:
            return JSONResponse({"detail": f"the bus is unreachable: {exc}"}, status_code=503)
        return JSONResponse({"dead_letters": [_dead_letter_json(d) for d in items]})

    @router.post("/api/ops/dead-letters/requeue", include_in_schema=False)
    async def requeue_json(request: Request) -> JSONResponse:
        """Body `{"refs": ["0:42", ...]}` or `{"all": true}`."""
        if ops is None:
            return JSONResponse({"detail": "the ops view is not configured"}, status_code=404)
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            return JSONResponse({"detail": "bad request: the body is not JSON"}, status_code=400)
        refs = body.get("refs") if isinstance(body, dict) else None
        if not (isinstance(body, dict) and (body.get("all") is True or isinstance(refs, list))):
            return JSONResponse(
                {"detail": 'bad request: send {"refs": ["0:42", ...]} or {"all": true}'},
                status_code=400,
            )
        chosen = None if body.get("all") is True else [str(r) for r in refs or []]
        try:
            result = await run_in_threadpool(ops.requeue, chosen)
        except MonitorError as exc:
            return JSONResponse({"detail": f"nothing was requeued: {exc}"}, status_code=503)
        return JSONResponse(_requeued_json(result))

    @router.post("/ops/requeue", include_in_schema=False)
    async def requeue_form(request: Request) -> Response:
        """The page's form without script (possible when no token is set)."""
        if ops is None:
            return JSONResponse({"detail": "the ops view is not configured"}, status_code=404)
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        chosen = None if form.get("all") else form.get("ref", [])
        try:
            result = await run_in_threadpool(ops.requeue, chosen)
        except MonitorError as exc:
            return templates.TemplateResponse(
                request,
                "error.html",
                {"status": 503, "message": f"nothing was requeued: {exc}"},
                status_code=503,
            )
        return RedirectResponse(f"/ops?requeued={result.sent}#dead-letters", status_code=303)

    return router


def _gather(ops: Ops) -> dict[str, Any]:
    sources = ops.sources()
    bus_problem = ""
    try:
        dead = ops.dead_letters()
    except MonitorError as exc:
        dead, bus_problem = [], str(exc)
    stages = []
    for s in ops.stages():
        stages.append(
            {
                "name": s.stage,
                "lag": s.current_lag,
                "finished": s.finished,
                "throughput_chart": sparkline(s.per_minute, f"{s.stage}: messages per minute")
                if s.finished is not None
                else None,
                "lag_chart": sparkline(s.lag, f"{s.stage}: messages waiting"),
            }
        )
    counts = {k: sum(r.status == k for r in sources) for k in ("failing", "silent", "ok")}
    return {
        "sources": sources,
        "counts": counts,
        "stages": stages,
        "dead": dead,
        "bus_problem": bus_problem,
        "errors": ops.recent_errors(sources, dead),
    }
