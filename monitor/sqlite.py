"""The one way the monitor opens its SQLite files (log, index, feed state, alert ledger, ops,
saved searches), and the per-thread connections with their write transaction."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from monitor.errors import TransientError


def connect(path: Path, *, synchronous: Literal["NORMAL", "FULL"] = "NORMAL") -> sqlite3.Connection:
    """A connection in WAL mode, autocommit (callers open their own transactions), usable from
    any thread under the caller's lock, waiting up to 30 s for another writer.

    NORMAL survives a crashed process; FULL also a power loss, for records that must not be
    lost once written (the alert ledger)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


class ThreadConnections:
    """One connection per thread to one file, so readers never wait on each other's cursor,
    and the write transaction every store of the monitor opens the same way. Errors come out
    as `TransientError` naming `label` ("alert ledger /data/alerts.db") and what it tried."""

    def __init__(
        self, path: Path, label: str, *, synchronous: Literal["NORMAL", "FULL"] = "NORMAL"
    ) -> None:
        self.path = Path(path)
        self.label = label
        self.synchronous: Literal["NORMAL", "FULL"] = synchronous
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path, synchronous=self.synchronous)
            self._local.conn = conn
            with self._lock:
                self._conns.append(conn)
        return conn

    @contextmanager
    def translated(self, what: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise TransientError(f"{self.label} could not {what}: {exc}") from exc

    @contextmanager
    def transaction(self, what: str) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE: the writer waits for the lock up front, never half-way through."""
        conn = self.conn()
        with self.translated(what):
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._lock:
            for conn in self._conns:
                conn.close()
            self._conns.clear()
        self._local = threading.local()
