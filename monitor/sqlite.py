"""The one way the monitor opens its SQLite files (log, index, feed state, alert ledger, ops)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Literal


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
