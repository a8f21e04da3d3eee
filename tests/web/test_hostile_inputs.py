"""Hostile input at every entry point that takes a query: the search page, /api/search,
/api/figures and `monitor search`. Each answers 400 (or exits 2) with one plain line."""

from __future__ import annotations

import html
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import ROOT
from tests.web.browser import free_port

NESTED = "(" * 250 + "fraud" + ")" * 250
NOTS = "fraud " + "NOT " * 240 + "scam"
QUERY_ENDPOINTS = ["/api/search", "/api/figures"]


def monitor(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MONITOR_DATA_DIR": str(data), "MONITOR_LOG__LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-m", "monitor.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("path", QUERY_ENDPOINTS)
@pytest.mark.parametrize("query", [NESTED, NOTS])
def test_deeply_nested_query_is_a_400_from_the_api(
    client: TestClient, path: str, query: str
) -> None:
    r = client.get(path, params={"q": query})
    assert r.status_code == 400, r.text
    assert "nests too deeply" in r.json()["detail"]


def test_deeply_nested_query_is_a_400_on_the_search_page(client: TestClient) -> None:
    r = client.get("/", params={"q": NESTED})
    assert r.status_code == 400
    assert "the query nests too deeply" in r.text
    assert "Traceback" not in r.text


@pytest.mark.parametrize("query", ["(" * 300, ")" * 300 + "fraud", "(fraud" * 100])
def test_unbalanced_parentheses_are_a_400(client: TestClient, query: str) -> None:
    for path in QUERY_ENDPOINTS:
        r = client.get(path, params={"q": query})
        assert r.status_code == 400, (path, r.text)
        assert "parenthes" in r.json()["detail"] or "nests too deeply" in r.json()["detail"]


def test_cli_search_refuses_a_deeply_nested_query_in_one_line(tmp_path: Path) -> None:
    done = monitor(tmp_path, "search", NESTED)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ") and "nests too deeply" in lines[0]


# -- one validation at every entry point -------------------------------------------------
# (parameters, the message with the web's names, the same with the CLI's)
MISTAKES = [
    ({"q": "x" * 1001}, "the query is 1,001 characters long; the most is 1,000"),
    ({"q": "title:"}, "field title: at position 1 needs a value right after the colon"),
    ({"q": "fraud campaign: x"}, "field campaign: at position 7 needs a value"),
    ({"date_from": "not-a-date"}, "{date_from} must be a date like 2021-03-01"),
    ({"date_to": "2021-13-01"}, "{date_to} must be a date like 2021-03-01"),
    ({"date_from": "2022-01-01", "date_to": "2021-01-01"}, "{date_from} (2022-01-01) is after"),
    ({"size": "101"}, "{size} must be between 0 and 100, not 101"),
    ({"page": "0"}, "{page} must be between 1 and 1000, not 0"),
    ({"page": "abc"}, "{page} must be a whole number, not 'abc'"),
    ({"sort": "popular"}, "{sort} must be 'relevance' or 'date', not 'popular'"),
    ({"page": "101", "size": "100"}, "{page} × {size} may not exceed 10,000"),
]
WEB_NAMES = {n: n for n in ("date_from", "date_to", "size", "page", "sort")}
CLI_NAMES = {"date_from": "--from", "date_to": "--to", "size": "--size", "page": "--page"}
CLI_NAMES["sort"] = "--sort"
SELECTING = {"q", "date_from", "date_to"}  # what /api/figures takes of these


@pytest.mark.parametrize(("params", "message"), MISTAKES)
def test_every_web_entry_point_refuses_the_same_mistakes_in_the_same_words(
    client: TestClient, params: dict[str, str], message: str
) -> None:
    expected = message.format(**WEB_NAMES)
    paths = ["/api/search", "/"] + (["/api/figures"] if set(params) <= SELECTING else [])
    for path in paths:
        r = client.get(path, params=params)
        assert r.status_code == 400, (path, r.text[:300])
        shown = r.json()["detail"] if path.startswith("/api/") else html.unescape(r.text)
        assert expected in shown, (path, shown[:300])


@pytest.mark.parametrize(("params", "message"), MISTAKES)
def test_cli_search_refuses_the_same_mistakes_in_one_line(
    tmp_path: Path, params: dict[str, str], message: str
) -> None:
    args = [params.get("q", "fraud")]
    for name, value in params.items():
        if name != "q":
            args += [CLI_NAMES[name], value]
    done = monitor(tmp_path, "search", *args)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == done.stderr.strip().splitlines()[0]  # one line
    assert done.stderr.startswith("error: ")
    assert message.format(**CLI_NAMES) in done.stderr, done.stderr


# -- the whole list against a real `monitor web` -----------------------------------------
HOSTILE_GETS = [
    ("/", {"q": NESTED}),
    ("/api/search", {"q": NESTED}),
    ("/api/figures", {"q": NESTED}),
    ("/api/search", {"q": NOTS}),
    ("/", {"q": "(" * 300}),
    ("/api/figures", {"q": ")" * 300 + "fraud"}),
    ("/api/search", {"q": "x" * 5000}),
    ("/api/figures", {"q": "x" * 5000}),
    ("/", {"q": "title:"}),
    ("/api/figures", {"q": "title:"}),
    ("/api/search", {"date_from": "not-a-date"}),
    ("/api/figures", {"date_to": "99999-01-01"}),
    ("/", {"page": "-1", "size": "1e9"}),
    ("/api/search", {"size": "201"}),
]


def test_a_running_monitor_web_answers_hostile_requests_without_a_traceback(
    tmp_path: Path,
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "MONITOR_DATA_DIR": str(tmp_path),
        "MONITOR_WEB__PORT": str(port),
        "MONITOR_WEB__BASE_URL": base,
    }
    log = tmp_path / "web.log"
    with log.open("w") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "monitor.cli", "web"],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "monitor web did not start within a minute"
                time.sleep(0.3)

            for path, params in HOSTILE_GETS:
                r = httpx.get(f"{base}{path}", params=params, timeout=10)
                assert r.status_code == 400, (path, params, r.status_code)
            for path in (
                "/",
                "/healthz",
                "/readyz",
                "/api/search",
                "/campaigns",
                "/ops",
                "/metrics",
            ):
                r = httpx.head(f"{base}{path}", timeout=10)
                assert r.status_code == 200 and r.content == b"", (path, r.status_code)
            assert httpx.get(f"{base}/metrics", timeout=10).status_code == 200
            evil = {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"}
            assert httpx.post(f"{base}/ops/requeue", headers=evil, timeout=10).status_code == 400
            assert httpx.get(f"{base}/api/ops/dead-letters", headers=evil).status_code == 400
        finally:
            server.terminate()
            server.wait(30)
    output = log.read_text()
    assert "Traceback" not in output and "Exception in ASGI application" not in output, output
