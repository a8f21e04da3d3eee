"""The embedded bus: a durable log in one SQLite file (WAL), for the one-machine deployment.

Each topic is one partition (0). Offsets come from one AUTOINCREMENT counter, so they
grow per topic but are not contiguous, and are never reused after retention deletes.
A consumer group holds a lease per topic: one member consumes while the others stand
by, as Kafka does with more members than partitions. A lease whose owner process is
gone, or which was not renewed for `session_timeout` seconds, is taken over, and the
new owner starts from the group's committed offset.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from loguru import logger

from monitor.bus.base import Record
from monitor.errors import TransientError
from monitor.sqlite import connect

_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    offset  INTEGER PRIMARY KEY AUTOINCREMENT,
    topic   TEXT NOT NULL,
    key     TEXT,
    value   BLOB NOT NULL,
    headers TEXT,
    ts      REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_topic ON messages (topic, offset);
CREATE INDEX IF NOT EXISTS messages_by_time ON messages (ts);
CREATE TABLE IF NOT EXISTS commits (
    grp    TEXT NOT NULL,
    topic  TEXT NOT NULL,
    offset INTEGER NOT NULL,
    PRIMARY KEY (grp, topic)
);
CREATE TABLE IF NOT EXISTS leases (
    grp     TEXT NOT NULL,
    topic   TEXT NOT NULL,
    owner   TEXT NOT NULL,
    host    TEXT NOT NULL,
    pid     INTEGER NOT NULL,
    expires REAL NOT NULL,
    PRIMARY KEY (grp, topic)
);
"""

_HOST = socket.gethostname()


@contextmanager
def _translated(what: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as exc:  # locked, disk full, I/O: worth another try
        raise TransientError(f"embedded bus could not {what}: {exc}") from exc


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class EmbeddedBus:
    """The SQLite log. One instance per process is enough; it is safe across threads."""

    def __init__(
        self,
        path: Path,
        *,
        retention_hours: float = 168,
        session_timeout: float = 10,
    ) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.retention = retention_hours * 3600
        self.session_timeout = session_timeout
        self._arrived = threading.Condition()
        self._last_retention = 0.0
        self._conn = connect(self.path)
        self._lock = threading.Lock()
        with self._lock, _translated("create its tables"):
            self._conn.executescript(_SCHEMA)

    # -- interface --------------------------------------------------------------
    def producer(self) -> EmbeddedProducer:
        return EmbeddedProducer(self)

    def consumer(self, topic: str, group: str) -> EmbeddedConsumer:
        return EmbeddedConsumer(self, topic, group)

    def topic_size(self, topic: str) -> int:
        with self._lock:
            row = self._conn.execute(
                "SELECT count(*) FROM messages WHERE topic = ?", (topic,)
            ).fetchone()
        return int(row[0])

    def read(self, topic: str, limit: int = 100, after: int = -1) -> list[Record]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT offset, key, value, headers, ts FROM messages"
                " WHERE topic = ? AND offset > ? ORDER BY offset LIMIT ?",
                (topic, after, limit),
            ).fetchall()
        return [_record(topic, row) for row in rows]

    def delete(self, topic: str, offsets: Sequence[int]) -> int:
        """Remove records from a topic (the dead-letter view, after a requeue)."""
        with self._lock, _translated("delete records"):
            cur = self._conn.executemany(
                "DELETE FROM messages WHERE topic = ? AND offset = ?",
                [(topic, o) for o in offsets],
            )
        return cur.rowcount

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- shared by producers and consumers ---------------------------------------
    def _notify(self) -> None:
        with self._arrived:
            self._arrived.notify_all()

    def _wait(self, seconds: float) -> None:
        # Producers in this process wake us at once; other processes are seen on the
        # next look, a fraction of a second later.
        with self._arrived:
            self._arrived.wait(min(seconds, 0.1))

    def _enforce_retention(self, conn: sqlite3.Connection) -> None:
        now = time.time()
        if now - self._last_retention < 60:
            return
        self._last_retention = now
        deleted = conn.execute("DELETE FROM messages WHERE ts < ?", (now - self.retention,))
        if deleted.rowcount:
            logger.info(
                "retention removed {} messages older than {:.0f} h",
                deleted.rowcount,
                self.retention / 3600,
            )


def _record(topic: str, row: tuple) -> Record:
    offset, key, value, headers, ts = row
    return Record(topic, 0, offset, key, bytes(value), json.loads(headers or "{}"), ts)


class EmbeddedProducer:
    def __init__(self, bus: EmbeddedBus) -> None:
        self._bus = bus
        self._conn = connect(bus.path)
        self._lock = threading.Lock()
        self._queue: list[tuple[str, str | None, bytes, str | None, float]] = []

    def produce(
        self,
        topic: str,
        value: bytes,
        key: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        encoded = json.dumps(dict(headers), ensure_ascii=False) if headers else None
        with self._lock:
            self._queue.append((topic, key, value, encoded, time.time()))

    def flush(self, timeout: float | None = None) -> None:
        with self._lock:
            if not self._queue:
                return
            with _translated("write messages"):
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    self._conn.executemany(
                        "INSERT INTO messages (topic, key, value, headers, ts)"
                        " VALUES (?, ?, ?, ?, ?)",
                        self._queue,
                    )
                    self._bus._enforce_retention(self._conn)
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
            self._queue.clear()
        self._bus._notify()

    def close(self) -> None:
        self.flush()
        self._conn.close()


class EmbeddedConsumer:
    def __init__(self, bus: EmbeddedBus, topic: str, group: str) -> None:
        self.topic = topic
        self.group = group
        self._bus = bus
        self._conn = connect(bus.path)
        self._lock = threading.Lock()
        self._owner = f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._position: int | None = None  # None until we hold the lease
        self._waiting_logged = False
        self._renew_after = 0.0  # monotonic time after which the lease is renewed

    def poll(self, max_records: int, timeout: float) -> list[Record]:
        deadline = time.monotonic() + timeout
        while True:
            with self._lock, _translated("read messages"):
                if self._hold_lease():
                    rows = self._conn.execute(
                        "SELECT offset, key, value, headers, ts FROM messages"
                        " WHERE topic = ? AND offset > ? ORDER BY offset LIMIT ?",
                        (self.topic, self._position, max_records),
                    ).fetchall()
                    if rows:
                        self._position = rows[-1][0]
                        return [_record(self.topic, row) for row in rows]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            self._bus._wait(remaining)

    def commit(self, records: Sequence[Record]) -> None:
        if not records:
            return
        offset = max(r.offset for r in records)
        with self._lock, _translated("commit its offset"):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                owner = self._conn.execute(
                    "SELECT owner FROM leases WHERE grp = ? AND topic = ?",
                    (self.group, self.topic),
                ).fetchone()
                if not owner or owner[0] != self._owner:
                    self._position = None
                    self._renew_after = 0.0
                    raise TransientError(
                        f"group {self.group} lost its lease on {self.topic}; "
                        "the uncommitted records will be delivered again"
                    )
                self._conn.execute(
                    "INSERT INTO commits (grp, topic, offset) VALUES (?, ?, ?)"
                    " ON CONFLICT (grp, topic) DO UPDATE SET offset = max(offset, excluded.offset)",
                    (self.group, self.topic, offset),
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def lag(self) -> dict[int, int]:
        with self._lock:
            row = self._conn.execute(
                "SELECT count(*) FROM messages WHERE topic = ? AND offset >"
                " coalesce((SELECT offset FROM commits WHERE grp = ? AND topic = ?), 0)",
                (self.topic, self.group, self.topic),
            ).fetchone()
        return {0: int(row[0])}

    def close(self) -> None:
        with self._lock:
            with suppress(sqlite3.Error):  # the lease expires on its own
                self._conn.execute(
                    "DELETE FROM leases WHERE grp = ? AND topic = ? AND owner = ?",
                    (self.group, self.topic, self._owner),
                )
            self._conn.close()

    def _hold_lease(self) -> bool:
        """Take or renew the group's lease; True when this consumer may read."""
        if self._position is not None and time.monotonic() < self._renew_after:
            return True
        now = time.time()
        expires = now + self._bus.session_timeout
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            row = self._conn.execute(
                "SELECT owner, host, pid, expires FROM leases WHERE grp = ? AND topic = ?",
                (self.group, self.topic),
            ).fetchone()
            free = (
                row is None
                or row[0] == self._owner
                or row[3] < now
                or (row[1] == _HOST and not _pid_alive(row[2]))
            )
            if free:
                self._conn.execute(
                    "INSERT OR REPLACE INTO leases (grp, topic, owner, host, pid, expires)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (self.group, self.topic, self._owner, _HOST, os.getpid(), expires),
                )
                if self._position is None or (row is not None and row[0] != self._owner):
                    committed = self._conn.execute(
                        "SELECT offset FROM commits WHERE grp = ? AND topic = ?",
                        (self.group, self.topic),
                    ).fetchone()
                    self._position = committed[0] if committed else 0
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        if not free:
            self._position = None
            if not self._waiting_logged:
                logger.info(
                    "group {} on {} is consumed by {} (pid {}); standing by",
                    self.group,
                    self.topic,
                    row[0],
                    row[2],
                )
                self._waiting_logged = True
        else:
            self._waiting_logged = False
            self._renew_after = time.monotonic() + self._bus.session_timeout / 3
        return free
