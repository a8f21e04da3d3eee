"""`monitor demo` as a new user meets it: searchable articles within a minute, offline, and a
clean exit on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def metric_values(text: str) -> dict[str, float]:
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            values[name] = float(value)
    return values


def test_demo_serves_searchable_articles_and_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "MONITOR_DATA_DIR": str(tmp_path), "MONITOR_WEB__PORT": str(port)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor.cli", "demo"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        found = None
        while time.monotonic() < deadline:
            try:
                reply = httpx.get(f"{base}/api/search", params={"q": "naked chat"}, timeout=2)
                if reply.status_code == 200 and reply.json()["total"] > 0:
                    found = reply.json()
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        assert found is not None, "the demo did not make articles searchable within a minute"
        zh = httpx.get(f"{base}/api/search", params={"q": "净网"}, timeout=5).json()
        assert zh["total"] >= 1
        assert any("净网" in h["title"] for h in zh["hits"])
        page = httpx.get(f"{base}/", params={"q": "诈骗"}, timeout=5)
        assert page.status_code == 200 and "<mark>诈骗</mark>" in page.text
        article = httpx.get(f"{base}/articles/{found['hits'][0]['id']}", timeout=5)
        assert article.status_code == 200 and "naked chat" in article.text
        metrics = metric_values(httpx.get(f"{base}/metrics/", timeout=5).text)
        # the demo feeds hold 11 announcements: each extracted and indexed once
        assert metrics['monitor_stage_messages_total{outcome="ok",stage="extract"}'] == 11
        assert metrics['monitor_stage_messages_total{outcome="ok",stage="index"}'] == 11
        assert metrics["monitor_index_documents"] == 11
        assert metrics["monitor_dead_letter_messages"] == 0
        assert metrics['monitor_feed_articles_total{kind="new",source="demo-en"}'] == 5
        assert metrics['monitor_feed_articles_total{kind="new",source="demo-zh"}'] == 6
        assert metrics['monitor_polls_total{outcome="new",source="demo-en"}'] >= 1
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=15)
    assert proc.returncode == 0, output
    assert "stopped" in output
