"""Hostile input against a running `monitor run` and the CLI beside it: every request gets a
4xx (or a plain 200 where the input is harmless), every command a one-line error and a
non-zero exit, and the process logs no traceback.

Run alone with `pytest tests/test_hostile_run.py -s` to see each probe and its answer.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from monitor.demo import serve_feeds
from tests.conftest import CORPUS, ROOT
from tests.support.tansu import free_port

NESTED = "(" * 250 + "fraud" + ")" * 250


@dataclass
class Running:
    base: str
    port: int
    env: dict[str, str]
    log: Path


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    tmp = tmp_path_factory.mktemp("hostile")
    port = free_port()
    with serve_feeds(tmp / "feeds") as feeds_file:
        env = {
            **os.environ,
            "MONITOR_DATA_DIR": str(tmp / "data"),
            "MONITOR_FEEDS": str(feeds_file),
            "MONITOR_WEB__PORT": str(port),
            "MONITOR_METRICS__PORT": "0",
        }
        log = tmp / "run.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "monitor.cli", "run"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    found = httpx.get(f"{base}/api/search", params={"q": "净网"}, timeout=2)
                    if found.status_code == 200 and found.json()["total"] > 0:
                        break
                except httpx.TransportError:
                    pass
                assert process.poll() is None, log.read_text(errors="replace")
                time.sleep(0.5)
            else:
                pytest.fail("monitor run served nothing within a minute:\n" + log.read_text())
            yield Running(base, port, env, log)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    text = log.read_text(errors="replace")
    assert "Traceback" not in text, text[-5000:]


REQUESTS = [
    # (method, path, params, headers, expected status)
    ("GET", "/", {"q": NESTED}, {}, 400),
    ("GET", "/api/search", {"q": NESTED}, {}, 400),
    ("GET", "/api/figures", {"q": NESTED}, {}, 400),
    ("GET", "/api/search", {"q": "(" * 300}, {}, 400),
    ("GET", "/api/search", {"q": ")" * 300 + "fraud"}, {}, 400),
    ("GET", "/api/search", {"q": '"never closed'}, {}, 400),
    ("GET", "/api/search", {"q": "fraud " * 200}, {}, 400),
    ("GET", "/api/figures", {"q": "fraud " * 200}, {}, 400),
    ("GET", "/api/search", {"q": "title:"}, {}, 400),
    ("GET", "/api/search", {"q": "nofield:fraud"}, {}, 400),
    ("GET", "/api/search", {"date_from": "not-a-date"}, {}, 400),
    ("GET", "/api/figures", {"date_to": "2021-13-45"}, {}, 400),
    ("GET", "/api/search", {"size": "100000"}, {}, 400),
    ("GET", "/api/search", {"page": "-1"}, {}, 400),
    ("GET", "/", {"date_from": "not-a-date"}, {}, 400),
    ("GET", "/articles/..%2F..%2Fetc%2Fpasswd", {}, {}, 404),
    ("GET", "/campaigns/" + "x" * 3000, {}, {}, 404),
    ("GET", "/api/campaigns/%00", {}, {}, 404),
    ("HEAD", "/", {}, {}, 200),
    ("HEAD", "/healthz", {}, {}, 200),
    ("HEAD", "/api/search", {"q": "fraud"}, {}, 200),
    ("GET", "/metrics", {}, {}, 200),
    ("GET", "/api/ops/dead-letters", {}, {"Host": "evil.example:{port}"}, 400),
    (
        "POST",
        "/ops/requeue",
        {},
        {"Host": "evil.example:{port}", "Origin": "http://evil.example:{port}"},
        400,
    ),
]


@pytest.mark.parametrize(("method", "path", "params", "headers", "status"), REQUESTS)
def test_hostile_requests_get_a_plain_answer(
    running: Running, method: str, path: str, params: dict, headers: dict, status: int
) -> None:
    headers = {k: v.format(port=running.port) for k, v in headers.items()}
    reply = httpx.request(method, running.base + path, params=params, headers=headers, timeout=10)
    print(method, path, str(params)[:60], headers, "->", reply.status_code)
    assert reply.status_code == status, reply.text[:500]
    assert "Traceback" not in reply.text
    if status == 400 and path.startswith("/api"):
        assert reply.json()["detail"]


def _monitor(running: Running, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor.cli", *args],
        cwd=ROOT,
        env=running.env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _commands(tmp: Path) -> list[tuple[str, ...]]:
    binary = tmp / "binary.txt"
    binary.write_bytes(b"\x00\xff\xfe" * 100)
    broken = tmp / "broken.jsonl"
    broken.write_text('{"title": "no body"\n', encoding="utf-8")
    return [
        ("search", NESTED),
        ("search", "(" * 300),
        ("search", '"never closed'),
        ("search", "title:"),
        ("search", "fraud " * 200),
        ("search", "fraud", "--from", "not-a-date"),
        ("search", "fraud", "--size", "100000"),
        ("extract", str(tmp / "missing.txt")),
        ("extract", str(tmp / "missing-folder")),
        ("ingest", str(tmp / "missing.txt")),
        ("ingest", str(broken)),
        ("eval", str(tmp / "missing.json"), str(CORPUS)),
        ("--config", str(tmp / "missing.toml"), "search", "fraud"),
        ("search", "fraud", "--config", str(tmp / "missing.toml")),
        ("feeds", "check", "no-such-source"),
    ]


def test_hostile_commands_end_in_one_plain_line(running: Running, tmp_path: Path) -> None:
    for args in _commands(tmp_path):
        done = _monitor(running, *args)
        shown = " ".join(a[:40] for a in args)
        print(shown, "->", done.returncode, done.stderr.strip()[:200])
        assert done.returncode != 0, (shown, done.stdout[-500:])
        assert "Traceback" not in done.stderr + done.stdout, (shown, done.stderr[-2000:])
        said = [line for line in done.stderr.splitlines() if line.strip()]
        assert said, (shown, "nothing said on stderr")
