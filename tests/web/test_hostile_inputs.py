"""Hostile input at every entry point that takes a query: the search page, /api/search,
/api/figures and `monitor search`. Each answers 400 (or exits 2) with one plain line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ROOT

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
