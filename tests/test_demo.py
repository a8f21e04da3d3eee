"""`monitor demo` as a new user meets it: searchable articles within a minute, offline, and a
clean exit on SIGTERM."""

from __future__ import annotations

import json
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
    # the banner names the port the settings chose and where the demo's data is
    assert f"open http://127.0.0.1:{port} (Ctrl+C stops)" in output
    assert f"Its data is in {(tmp_path / 'demo').resolve()}" in output
    assert not (tmp_path / "demo.running").exists()


def test_search_finds_the_running_demos_articles(tmp_path: Path) -> None:
    """`make run` then `monitor search` in another terminal, both on the default data folder:
    the search reads the demo's folder while the demo runs, and says so."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("MONITOR_DATA_DIR", "MONITOR_CONFIG")}
    env.update(
        MONITOR_WEB__PORT=str(port),
        MONITOR_METRICS__PORT="0",
        MONITOR_CAMPAIGNS=str(ROOT / "config" / "campaigns.toml"),
        MONITOR_LOG__LEVEL="WARNING",
    )

    def monitor(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "monitor.cli", *args]
        return subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )

    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor.cli", "demo"],
        cwd=tmp_path,  # a folder without config/: the default data folder is ./var
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        total = 0
        while time.monotonic() < deadline and not total:
            try:
                reply = httpx.get(f"http://127.0.0.1:{port}/api/search", params={"q": "净网"})
                total = reply.json()["total"] if reply.status_code == 200 else 0
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        assert total, "the demo did not make articles searchable within a minute"
        found = monitor("search", "净网", "--json")
        assert found.returncode == 0, found.stderr
        # the demo goes on indexing while the command runs: it sees at least what the web app
        # saw before it and at most what the web app sees after it
        later = httpx.get(f"http://127.0.0.1:{port}/api/search", params={"q": "净网"})
        assert total <= json.loads(found.stdout)["total"] <= later.json()["total"]
        folder = (tmp_path / "var" / "demo").resolve()
        assert f"the demo is running: reading its data in {folder}" in found.stderr
        assert "净网" in monitor("campaigns").stdout
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
    assert not (tmp_path / "var" / "demo.running").exists()
    after = monitor("search", "净网", "--json")
    assert json.loads(after.stdout)["total"] == 0 and "demo" not in after.stderr
