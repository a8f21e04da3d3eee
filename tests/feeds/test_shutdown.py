"""Stopping while sources are mid-fetch, and servers that answer too slowly: every fetch is
bounded as a whole by the timeout and cut off by a stop, which is not a source failure."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from monitor.feeds.cli import app as feeds_app
from monitor.feeds.state import STATE_FILE, SqliteStateStore
from tests.conftest import ROOT

from .conftest import item, rss, write_feeds
from .raw_server import RawServer, never_answers, trickles_body, trickles_headers


@pytest.fixture
def slow() -> Iterator[RawServer]:
    server = RawServer(never_answers)
    yield server
    server.close()


@pytest.fixture
def trickle() -> Iterator[RawServer]:
    server = RawServer(trickles_body)
    yield server
    server.close()


def _wait_for(condition, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def test_close_cuts_off_fetches_in_flight_without_failing_their_sources(
    slow: RawServer, trickle: RawServer, httpserver: HTTPServer, make_poller, logged, tmp_path
):
    httpserver.expect_request("/feed").respond_with_data(rss([item(1)]), content_type="text/xml")
    sources = [
        {"id": "slow", "url": slow.url("/feed")},
        {"id": "trickle", "url": trickle.url("/feed")},
        {"id": "good", "url": httpserver.url_for("/feed")},
    ]
    poller = make_poller(sources, timeout=30)
    poller.start()
    _wait_for(lambda: slow.requests and trickle.requests)
    time.sleep(0.5)  # both well into their fetch
    started = time.monotonic()
    poller.close()
    took = time.monotonic() - started
    assert took < 2.0, f"close took {took:.1f} s"
    log = "\n".join(logged)
    assert "Traceback" not in log and "ERROR" not in log and "WARNING" not in log
    cut = [line for line in logged if "cut off" in line]
    assert cut == [
        "INFO stopping: the polls of slow, trickle in flight were cut off, not failed; "
        "they are done again at the next start"
    ]
    store = SqliteStateStore(tmp_path / "data" / STATE_FILE, readonly=True)
    states = store.all()
    store.close()
    assert "slow" not in states and "trickle" not in states  # nothing recorded against them
    assert states["good"].failures == 0 and states["good"].items == 1


@pytest.mark.parametrize("answer", [trickles_body, trickles_headers], ids=["body", "headers"])
def test_a_trickling_server_is_cut_off_at_the_timeout(answer, tmp_path: Path, make_poller):
    server = RawServer(answer)
    try:
        poller = make_poller([{"id": "drip", "url": server.url("/feed")}], timeout=2)
        started = time.monotonic()
        outcome = poller.poll_all().outcomes[0]
        took = time.monotonic() - started
        poller.close()
    finally:
        server.close()
    assert 1.9 < took < 3.0, f"the fetch took {took:.1f} s with a 2 s timeout"
    expected = (
        "timed out after 2 s: the response was still arriving"
        if answer is trickles_body
        else "timed out waiting for data after 2 s"
    )
    assert outcome.status == "failed" and expected in outcome.error
    env = {
        "COLUMNS": "200",
        "MONITOR_FEEDS": str(tmp_path / "feeds.toml"),
        "MONITOR_DATA_DIR": str(tmp_path / "data"),
    }
    listed = CliRunner().invoke(feeds_app, ["list"], env=env, catch_exceptions=False)
    assert listed.exit_code == 0
    flat = " ".join(listed.output.replace("│", " ").split())
    assert "failing (1x)" in flat and expected in flat


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_monitor_run_stops_within_seconds_while_sources_are_mid_fetch(
    slow: RawServer, trickle: RawServer, tmp_path: Path
):
    feeds = write_feeds(
        tmp_path / "feeds.toml",
        [{"id": "slow", "url": slow.url("/feed")}, {"id": "trickle", "url": trickle.url("/feed")}],
        timeout=30,
    )
    env = {
        **os.environ,
        "MONITOR_FEEDS": str(feeds),
        "MONITOR_DATA_DIR": str(tmp_path / "data"),
        "MONITOR_WEB__PORT": str(_free_port()),
        "MONITOR_METRICS__PORT": "0",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor.cli", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(lambda: slow.requests and trickle.requests, 60)
        time.sleep(1.0)
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=30)
        took = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, output
    assert took < 6.0, f"monitor run took {took:.1f} s to stop:\n{output}"
    assert "Traceback" not in output and "Error" not in output, output
    assert output.count("cut off") == 1, output
    assert "slow, trickle" in output and "stopped" in output
