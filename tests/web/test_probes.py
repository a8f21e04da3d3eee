"""What monitoring and uptime checks call: /metrics at its own address, and HEAD wherever GET
answers, through the app as `monitor run` composes it and through a real server."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute, Route

from monitor.cli import _web_app
from monitor.index.base import Index
from monitor.saved import SavedSearchDraft
from monitor.settings import load_settings
from monitor.web.app import create_app
from tests.conftest import ROOT
from tests.web.browser import serve


@pytest.fixture
def composed(filled_index: Index, tmp_path: Path) -> Iterator[FastAPI]:
    """The web app with everything `monitor run` adds to it."""
    settings = load_settings(ROOT / "config" / "monitor.toml", data_dir=tmp_path)
    application = _web_app(settings, filled_index)
    # one saved search, so /api/saved/{id} has a value
    draft = SavedSearchDraft(name="Fraud", q="fraud")
    application.state.saved_search = application.state.saved.create(draft, 0).id
    yield application
    application.state.ops.close()
    application.state.saved.close()


def test_metrics_answer_at_metrics_without_a_redirect(composed: FastAPI) -> None:
    client = TestClient(composed)
    for path in ("/metrics", "/metrics/"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 200, (path, r.status_code, r.headers.get("location"))
        assert r.headers["content-type"].startswith("text/plain")
        assert "monitor_index_documents" in r.text


def _routes(routes: Sequence[BaseRoute]) -> Iterator[BaseRoute]:
    for route in routes:
        included = getattr(route, "original_router", None)  # an included router, unflattened
        yield from _routes(included.routes) if included is not None else (route,)


def _get_paths(app: FastAPI, **more: str) -> list[str]:
    """Every GET route of the app, with a real value for each path parameter."""
    values = {"article_id": "art-2", "name": "Blue Sword", **more}
    paths = []
    for route in _routes(app.routes):
        if isinstance(route, APIRoute | Route) and "GET" in (route.methods or ()):
            path = route.path
            for name, value in values.items():
                path = path.replace(f"{{{name}}}", value).replace(f"{{{name}:path}}", value)
            assert "{" not in path, f"no test value for {route.path}"
            paths.append(path)
    return paths


def test_head_answers_wherever_get_does(composed: FastAPI) -> None:
    client = TestClient(composed)
    paths = [
        *_get_paths(composed, search_id=composed.state.saved_search),
        "/static/style.css",
        "/metrics/",
    ]
    assert {"/", "/healthz", "/readyz", "/api/search", "/ops", "/metrics"} <= set(paths)
    for path in paths:
        got = client.get(path)
        head = client.head(path)
        assert head.status_code == got.status_code == 200, (path, head.status_code)
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"], path
    assert client.head("/no/such/page").status_code == 404


def test_head_through_a_real_server(filled_index: Index) -> None:
    with serve(create_app(filled_index)) as url:
        for path in ("/", "/healthz", "/api/search", "/campaigns"):
            r = httpx.head(f"{url}{path}")
            assert r.status_code == 200, path
            assert r.content == b""
            assert int(r.headers["content-length"]) > 0, path
        assert httpx.head(f"{url}/api/ops/dead-letters/requeue").status_code == 405
