"""Saved searches in one SQLite file in the data folder, shared by the web app and the alert
stage of `monitor run` (and any other process on this machine)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from monitor.saved.base import Listing, Reader, SavedSearch, SavedSearchDraft, valid_id
from monitor.sqlite import ThreadConnections

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
        label = f"saved searches in {self.path}"
        self._db = ThreadConnections(self.path, label, synchronous="FULL")
        self._reader = Reader(str(self.path))
        with self._db.translated("create its tables"):
            self._db.conn().executescript(_SCHEMA)

    @contextmanager
    def _changing(self, what: str) -> Iterator[sqlite3.Connection]:
        """A write and the revision's bump in one transaction."""
        with self._db.transaction(what) as conn:
            yield conn
            conn.execute("UPDATE saved_revision SET revision = revision + 1")

    def listing(self) -> Listing:
        with self._db.translated("be read"):
            rows = (
                self._db.conn()
                .execute("SELECT id, doc FROM saved_searches ORDER BY created_at, id")
                .fetchall()
            )
        return self._reader.listing(rows)

    def list(self) -> list[SavedSearch]:
        return self.listing().searches

    def get(self, search_id: str) -> SavedSearch | None:
        if not valid_id(search_id):
            return None
        with self._db.translated("be read"):
            row = (
                self._db.conn()
                .execute("SELECT doc FROM saved_searches WHERE id = ?", (search_id,))
                .fetchone()
            )
        return self._reader.read(search_id, row[0]) if row else None

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
        if not valid_id(search_id):
            return None
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
        if not valid_id(search_id):
            return False
        with self._changing("delete a saved search") as conn:
            gone = conn.execute("DELETE FROM saved_searches WHERE id = ?", (search_id,)).rowcount
        return bool(gone)

    def revision(self) -> str:
        with self._db.translated("be read"):
            row = self._db.conn().execute("SELECT revision FROM saved_revision").fetchone()
        return str(row[0])

    def close(self) -> None:
        self._db.close()
