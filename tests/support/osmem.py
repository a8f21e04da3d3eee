"""An osmem-server (the in-memory Elasticsearch-compatible test server from PyPI) on a free
loopback port. Memory only: a stopped server forgets everything, which is what tests want.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from osmem_server import resolve_binary


@dataclass
class Osmem:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def _ready_url(log: Path) -> str | None:
    """The server prints one JSON line with its URL once it listens."""
    for line in log.read_text(errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            message = json.loads(line)
            if isinstance(message, dict) and "url" in message:
                return str(message["url"])
    return None


def start_osmem(log_dir: Path, *, timeout: float = 20) -> Osmem:
    """Start a server and return once it listens; raise RuntimeError if it cannot.

    Port 0 lets the server bind a free port itself (no race with another process), and
    `-parent-pid` ends it with the test run even when pytest is killed.
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"osmem-{os.getpid()}-{time.monotonic_ns()}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                resolve_binary(),
                "-addr",
                "127.0.0.1:0",
                "-no-stdin-watch",
                "-parent-pid",
                str(os.getpid()),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        url = _ready_url(log)
        if url:
            return Osmem(url, process, log)
        time.sleep(0.02)
    Osmem("", process, log).stop()
    tail = log.read_text(errors="replace")[-2000:]
    raise RuntimeError(f"osmem-server did not start; its log ends:\n{tail}")


@contextlib.contextmanager
def running_osmem(log_dir: Path) -> Iterator[Osmem]:
    server = start_osmem(log_dir)
    try:
        yield server
    finally:
        server.stop()
