"""Saved searches in one SQLite file in the data folder, shared by the web app and the alert
stage of `monitor run` (and any other process on this machine)."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from monitor.errors import TransientError
from monitor.saved.base import SavedSearch, SavedSearchDraft
from monitor.sqlite import connect

_SCHEMA = """
CREATE TABLE IF NOT EXISTS saved_searches (
    id         TEXT PRIMARY KEY,
    doc        TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS saved_revision (
    one      INTEGER PRIMARY KEY CHECK (one = 1),
    revision INTEGER NOT NULL
);
INSERT OR IGNORE INTO saved_revision (one, revision) VALUES (1, 0);
"""


class SqliteSavedSearches:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        with self._translated("create its tables"):
            self._conn().executescript(_SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path, synchronous="FULL")
            self._local.conn = conn
            with self._lock:
                self._conns.append(conn)
        return conn

    @contextmanager
    def _translated(self, what: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise TransientError(f"saved searches in {self.path} could not {what}: {exc}") from exc

    @contextmanager
    def _changing(self, what: str) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        with self._translated(what):
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("UPDATE saved_revision SET revision = revision + 1")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def list(self) -> list[SavedSearch]:
        with self._translated("be read"):
            rows = (
                self._conn()
                .execute("SELECT doc FROM saved_searches ORDER BY created_at, id")
                .fetchall()
            )
        return [SavedSearch.model_validate_json(doc) for (doc,) in rows]

    def get(self, search_id: str) -> SavedSearch | None:
        with self._translated("be read"):
            row = (
                self._conn()
                .execute("SELECT doc FROM saved_searches WHERE id = ?", (search_id,))
                .fetchone()
            )
        return SavedSearch.model_validate_json(row[0]) if row else None

    def create(self, draft: SavedSearchDraft, now: float) -> SavedSearch:
        saved = SavedSearch(
            **draft.model_dump(), id=uuid.uuid4().hex, created_at=now, updated_at=now
        )
        with self._changing("save a search") as conn:
            conn.execute(
                "INSERT INTO saved_searches (id, doc, created_at) VALUES (?, ?, ?)",
                (saved.id, saved.model_dump_json(), now),
            )
        return saved

    def update(self, search_id: str, draft: SavedSearchDraft, now: float) -> SavedSearch | None:
        with self._changing("change a saved search") as conn:
            row = conn.execute(
                "SELECT created_at FROM saved_searches WHERE id = ?", (search_id,)
            ).fetchone()
            if row is None:
                return None
            saved = SavedSearch(
                **draft.model_dump(), id=search_id, created_at=row[0], updated_at=now
            )
            conn.execute(
                "UPDATE saved_searches SET doc = ? WHERE id = ?",
                (saved.model_dump_json(), search_id),
            )
        return saved

    def delete(self, search_id: str) -> bool:
        with self._changing("delete a saved search") as conn:
            gone = conn.execute("DELETE FROM saved_searches WHERE id = ?", (search_id,)).rowcount
        return bool(gone)

    def revision(self) -> str:
        with self._translated("be read"):
            row = self._conn().execute("SELECT revision FROM saved_revision").fetchone()
        return str(row[0])

    def close(self) -> None:
        with self._lock:
            for conn in self._conns:
                conn.close()
            self._conns.clear()
        self._local = threading.local()
