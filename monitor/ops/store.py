"""The ops view's own records, in `ops.db` in the data folder: which dead letters were sent back
(Kafka cannot delete one record) and which feed-health state each source was last reported in."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from monitor.errors import TransientError
from monitor.sqlite import connect

OPS_FILE = "ops.db"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS requeued (
    partition   INTEGER NOT NULL,
    offset      INTEGER NOT NULL,
    topic       TEXT NOT NULL,
    requeued_at REAL NOT NULL,
    PRIMARY KEY (partition, offset)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS feed_health (
    source_id     TEXT PRIMARY KEY,
    reported      TEXT NOT NULL,
    failing_since REAL,
    changed_at    REAL NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Reported:
    """What the operator was last told about a source, and since when it has been failing."""

    reported: str = "ok"
    failing_since: float | None = None


@contextmanager
def _translated(what: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as exc:
        raise TransientError(f"the ops store could not {what}: {exc}") from exc


class OpsStore:
    """Safe across threads; several processes may share the file (WAL, busy timeout)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn = connect(self.path, synchronous="FULL")  # WAL's default, kept
        with _translated("create its tables"):
            self._conn.executescript(_SCHEMA)

    # -- dead letters sent back -------------------------------------------------------
    def mark_requeued(self, topic: str, positions: Iterable[tuple[int, int]]) -> None:
        now = time.time()
        rows = [(p, o, topic, now) for p, o in positions]
        with self._lock, _translated("record a requeue"):
            self._conn.executemany(
                "INSERT OR IGNORE INTO requeued (partition, offset, topic, requeued_at)"
                " VALUES (?, ?, ?, ?)",
                rows,
            )

    def requeued(self) -> set[tuple[int, int]]:
        with self._lock, _translated("read requeues"):
            rows = self._conn.execute("SELECT partition, offset FROM requeued").fetchall()
        return {(int(p), int(o)) for p, o in rows}

    # -- feed health ------------------------------------------------------------------
    def reported(self) -> dict[str, Reported]:
        with self._lock, _translated("read feed health"):
            rows = self._conn.execute(
                "SELECT source_id, reported, failing_since FROM feed_health"
            ).fetchall()
        return {sid: Reported(rep, since) for sid, rep, since in rows}

    def set_reported(self, source_id: str, value: Reported) -> None:
        with self._lock, _translated("record feed health"):
            self._conn.execute(
                "INSERT INTO feed_health (source_id, reported, failing_since, changed_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (source_id) DO UPDATE SET"
                " reported = excluded.reported, failing_since = excluded.failing_since,"
                " changed_at = excluded.changed_at",
                (source_id, value.reported, value.failing_since, time.time()),
            )

    def close(self) -> None:
        with self._lock:
            self._conn.close()
