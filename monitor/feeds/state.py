"""Per-source state (validators, health, schedule) and the seen-article ledger,
behind a small interface.

`SqliteStateStore` keeps both in one SQLite file in the data folder, for either
deployment, so a restarted poller neither re-emits what it sent nor forgets a failing
source's back-off.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from monitor.errors import TransientError
from monitor.sqlite import connect

STATE_FILE = "feeds.db"  # in the data folder


@dataclass(frozen=True, slots=True)
class SourceState:
    source_id: str
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    last_attempt: float | None = None
    last_success: float | None = None
    last_error: str = ""
    error_kind: str = ""
    failures: int = 0  # consecutive
    next_poll: float | None = None
    interval: float | None = None  # the adaptive interval last used
    items: int = 0  # articles emitted from this source, all time
    last_new: float | None = None
    notes: str = ""  # problems of the last successful poll (malformed XML, full text)
    pub_times: tuple[float, ...] = field(default_factory=tuple)  # recent publication times

    def evolve(self, **changes: object) -> SourceState:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Seen:
    """What the ledger knows of one article id, for one feed."""

    own_hash: str | None  # the entry hash this feed last had, None if it never had it
    anywhere: bool  # some feed (this or another) already emitted it


class StateStore(Protocol):
    """Source state and seen articles.

    `record` is called only after the articles of a poll were flushed to the bus, and
    writes the source's new state and the seen ids in one transaction: a crash before
    it re-emits those articles (the index is idempotent), never loses them.
    """

    def load(self, source_id: str) -> SourceState: ...

    def all(self) -> dict[str, SourceState]: ...

    def seen(self, feed_id: str, article_ids: Sequence[str]) -> dict[str, Seen]: ...

    def record(self, state: SourceState, seen: Iterable[tuple[str, str]]) -> None: ...

    def close(self) -> None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    source_id TEXT PRIMARY KEY,
    state     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS seen (
    feed_id    TEXT NOT NULL,
    article_id TEXT NOT NULL,
    entry_hash TEXT NOT NULL,
    first_seen REAL NOT NULL,
    last_seen  REAL NOT NULL,
    PRIMARY KEY (feed_id, article_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS seen_by_article ON seen (article_id);
"""


@contextmanager
def _translated(what: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as exc:
        raise TransientError(f"the feed state store could not {what}: {exc}") from exc
    except sqlite3.ProgrammingError as exc:  # used after close(), by a poll that outlived it
        raise TransientError(f"the feed state store could not {what}: it is closed") from exc


class SqliteStateStore:
    """The state store in one SQLite file; `readonly` opens it for `feeds check` and `list`."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        if readonly:
            target = f"file:{self.path}?mode=ro" if self.path.exists() else "file::memory:"
            self._conn = sqlite3.connect(target, uri=True, check_same_thread=False)
            if not self.path.exists():
                self._conn.executescript(_SCHEMA)
            return
        self._conn = connect(self.path)
        with _translated("create its tables"):
            self._conn.executescript(_SCHEMA)

    def load(self, source_id: str) -> SourceState:
        with self._lock, _translated("read a source"):
            row = self._conn.execute(
                "SELECT state FROM sources WHERE source_id = ?", (source_id,)
            ).fetchone()
        return _decode(source_id, row[0]) if row else SourceState(source_id)

    def all(self) -> dict[str, SourceState]:
        with self._lock, _translated("read the sources"):
            rows = self._conn.execute("SELECT source_id, state FROM sources").fetchall()
        return {sid: _decode(sid, data) for sid, data in rows}

    def seen(self, feed_id: str, article_ids: Sequence[str]) -> dict[str, Seen]:
        ids = list(dict.fromkeys(article_ids))
        own: dict[str, str] = {}
        anywhere: set[str] = set()
        with self._lock, _translated("read seen articles"):
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for fid, aid, h in self._conn.execute(
                    f"SELECT feed_id, article_id, entry_hash FROM seen"
                    f" WHERE article_id IN ({marks})",
                    chunk,
                ):
                    anywhere.add(aid)
                    if fid == feed_id:
                        own[aid] = h
        return {aid: Seen(own.get(aid), aid in anywhere) for aid in ids}

    def record(self, state: SourceState, seen: Iterable[tuple[str, str]]) -> None:
        now = time.time()
        rows = [(state.source_id, aid, h, now, now) for aid, h in seen]
        with self._lock, _translated("record a poll"):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute(
                    "INSERT INTO sources (source_id, state) VALUES (?, ?)"
                    " ON CONFLICT (source_id) DO UPDATE SET state = excluded.state",
                    (state.source_id, _encode(state)),
                )
                self._conn.executemany(
                    "INSERT INTO seen (feed_id, article_id, entry_hash, first_seen, last_seen)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (feed_id, article_id) DO UPDATE"
                    " SET entry_hash = excluded.entry_hash, last_seen = excluded.last_seen",
                    rows,
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _encode(state: SourceState) -> str:
    data = {k: getattr(state, k) for k in SourceState.__slots__ if k != "source_id"}
    data["pub_times"] = list(state.pub_times)
    return json.dumps(data, ensure_ascii=False)


def _decode(source_id: str, text: str) -> SourceState:
    data = json.loads(text)
    known = {k: v for k, v in data.items() if k in SourceState.__slots__}
    known["pub_times"] = tuple(known.get("pub_times") or ())
    return SourceState(source_id=source_id, **known)
