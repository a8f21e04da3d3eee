"""A loopback TCP server that answers HTTP the way a bad server does: slowly, a byte at a
time, or not at all. Each connection runs `answer(conn, stop)` in its own thread."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable

Answer = Callable[[socket.socket, threading.Event], None]


class RawServer:
    def __init__(self, answer: Answer, host: str = "127.0.0.1") -> None:
        self._answer = answer
        self._listener = socket.create_server((host, 0))
        self.host = host
        self.port = int(self._listener.getsockname()[1])
        self.requests: list[str] = []  # request lines, as they arrived
        self.stop = threading.Event()
        threading.Thread(target=self._accept, name="raw-server", daemon=True).start()

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def close(self) -> None:
        self.stop.set()
        with contextlib.suppress(OSError):
            self._listener.close()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            self.requests.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
            with contextlib.suppress(OSError):
                self._answer(conn, self.stop)


def never_answers(conn: socket.socket, stop: threading.Event) -> None:
    """Reads the request, then says nothing for a minute."""
    stop.wait(60)


def trickles_body(conn: socket.socket, stop: threading.Event) -> None:
    """Sends the headers at once, then the body one byte a second."""
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n"
    )
    while not stop.wait(1.0):
        conn.sendall(b" ")


def trickles_headers(conn: socket.socket, stop: threading.Event) -> None:
    """Sends the status line and headers one byte a second."""
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n" * 100:
        if stop.wait(1.0):
            return
        conn.sendall(bytes([byte]))
