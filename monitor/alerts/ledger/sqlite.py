"""The embedded alert ledger: one SQLite file in the data folder, shared safely by every
alert process on this machine (each decision is one IMMEDIATE transaction)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from monitor.alerts.ledger.base import (
    DROPPED,
    NO_EMAIL,
    AlertContent,
    ArticleRef,
    Entry,
    HistoryEntry,
    OutboxEmail,
    RecordOutcome,
    uncovered,
)
from monitor.alerts.syndication import same_story, title_key
from monitor.models import EnrichedArticle
from monitor.sqlite import ThreadConnections

_SCHEMA = """
CREATE TABLE IF NOT EXISTS alerts (
    id            TEXT PRIMARY KEY,
    rule          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    campaign      TEXT,
    title_key     TEXT NOT NULL,
    reason        TEXT NOT NULL,
    first_article TEXT NOT NULL,
    created_at    REAL NOT NULL,
    email_id      TEXT
);
CREATE INDEX IF NOT EXISTS alerts_by_story ON alerts (rule, title_key);
CREATE INDEX IF NOT EXISTS alerts_waiting ON alerts (rule, email_id, created_at);
CREATE TABLE IF NOT EXISTS matches (
    rule       TEXT NOT NULL,
    article_id TEXT NOT NULL,
    subject    TEXT NOT NULL,
    alert_id   TEXT NOT NULL,
    role       TEXT NOT NULL,
    added_at   REAL NOT NULL,
    doc        TEXT NOT NULL,
    PRIMARY KEY (rule, article_id, subject)
);
CREATE INDEX IF NOT EXISTS matches_by_alert ON matches (alert_id, role);
CREATE INDEX IF NOT EXISTS matches_by_article ON matches (article_id);
CREATE TABLE IF NOT EXISTS emails (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    rules       TEXT NOT NULL,
    recipients  TEXT NOT NULL,
    created_at  REAL NOT NULL,
    due_at      REAL NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending',
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    lease_owner TEXT,
    lease_until REAL NOT NULL DEFAULT 0,
    subject     TEXT NOT NULL DEFAULT '',
    message_id  TEXT,
    sent_at     REAL
);
CREATE INDEX IF NOT EXISTS emails_due ON emails (status, due_at);
CREATE INDEX IF NOT EXISTS emails_by_time ON emails (created_at);
"""


class SqliteLedger:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        # FULL: a recorded alert survives a power loss
        self._db = ThreadConnections(self.path, f"alert ledger {self.path}", synchronous="FULL")
        self._conn = self._db.conn
        self._translated = self._db.translated
        self._transaction = self._db.transaction
        with self._translated("create its tables"):
            self._conn().executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    # -- recording -----------------------------------------------------------------
    def record(self, entries: Sequence[Entry], now: float) -> list[RecordOutcome]:
        with self._transaction("record alerts") as conn:
            return [self._record(conn, e, now) for e in entries]

    def _record(self, conn: sqlite3.Connection, e: Entry, now: float) -> RecordOutcome:
        doc = e.article
        subject = e.campaign.casefold() if e.campaign else ""
        if conn.execute(
            "SELECT 1 FROM matches WHERE rule = ? AND article_id = ? AND subject = ?",
            (e.rule, doc.id, subject),
        ).fetchone():
            return "duplicate"
        tkey = title_key(doc)
        alert_id: str | None = None
        outcome: RecordOutcome = "alerted"
        if e.campaign:
            alert_id = f"{e.rule}|campaign|{subject}"
            first = self._first_article(conn, alert_id)
            if first is not None:
                outcome = "joined" if same_story(first, doc) else "repeat"
        else:
            for (candidate,) in conn.execute(
                "SELECT id FROM alerts WHERE rule = ? AND title_key = ? ORDER BY created_at",
                (e.rule, tkey),
            ).fetchall():
                first = self._first_article(conn, candidate)
                if first is not None and same_story(first, doc):
                    alert_id, outcome = candidate, "joined"
                    break
            if alert_id is None:
                alert_id = f"{e.rule}|article|{doc.id}"
        role = {"alerted": "first", "joined": "copy", "repeat": "repeat"}[outcome]
        conn.execute(
            "INSERT INTO matches (rule, article_id, subject, alert_id, role, added_at, doc)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (e.rule, doc.id, subject, alert_id, role, now, doc.model_dump_json()),
        )
        if outcome != "alerted":
            return outcome
        recipients = uncovered(e.recipients, self._covered(conn, e)) if e.due_at is not None else ()
        email_id = None if e.due_at is None else alert_id if recipients else NO_EMAIL
        conn.execute(
            "INSERT INTO alerts (id, rule, kind, campaign, title_key, reason, first_article,"
            " created_at, email_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (alert_id, e.rule, e.kind, e.campaign, tkey, e.reason, doc.id, now, email_id),
        )
        if recipients:
            conn.execute(
                "INSERT INTO emails (id, kind, rules, recipients, created_at, due_at)"
                " VALUES (?, 'immediate', ?, ?, ?, ?)",
                (alert_id, json.dumps([e.rule]), json.dumps(list(recipients)), now, e.due_at),
            )
        return outcome

    def _covered(self, conn: sqlite3.Connection, e: Entry) -> list[str]:
        """The addresses an immediate email of another rule already carries this article to."""
        rows = conn.execute(
            "SELECT emails.recipients FROM matches JOIN alerts ON alerts.id = matches.alert_id"
            " JOIN emails ON emails.id = alerts.email_id WHERE matches.article_id = ?"
            " AND matches.rule != ? AND matches.role IN ('first', 'copy')"
            " AND emails.kind = 'immediate'",
            (e.article.id, e.rule),
        ).fetchall()
        return [address for (text,) in rows for address in json.loads(text)]

    def _first_article(self, conn: sqlite3.Connection, alert_id: str) -> EnrichedArticle | None:
        row = conn.execute(
            "SELECT doc FROM matches WHERE alert_id = ? AND role = 'first'", (alert_id,)
        ).fetchone()
        return EnrichedArticle.from_json(row[0]) if row else None

    def close_digest(
        self,
        digest_id: str,
        rules: Sequence[str],
        recipients: Sequence[str],
        cutoff: float,
        now: float,
    ) -> bool:
        marks = ", ".join("?" * len(rules))
        with self._transaction("queue a digest") as conn:
            if conn.execute("SELECT 1 FROM emails WHERE id = ?", (digest_id,)).fetchone():
                return False
            waiting = conn.execute(
                f"UPDATE alerts SET email_id = ? WHERE email_id IS NULL AND rule IN ({marks})"
                " AND created_at <= ?",
                (digest_id, *rules, cutoff),
            ).rowcount
            if not waiting:
                return False
            conn.execute(
                "INSERT INTO emails (id, kind, rules, recipients, created_at, due_at)"
                " VALUES (?, 'digest', ?, ?, ?, ?)",
                (digest_id, json.dumps(list(rules)), json.dumps(list(recipients)), now, now),
            )
        return True

    def waiting_rules(self) -> set[str]:
        with self._translated("read waiting alerts"):
            rows = (
                self._conn()
                .execute("SELECT DISTINCT rule FROM alerts WHERE email_id IS NULL")
                .fetchall()
            )
        return {rule for (rule,) in rows}

    def drop_waiting(self, rules: Sequence[str]) -> int:
        marks = ", ".join("?" * len(rules))
        with self._transaction("drop waiting alerts") as conn:
            return conn.execute(
                f"UPDATE alerts SET email_id = ? WHERE email_id IS NULL AND rule IN ({marks})",
                (DROPPED, *rules),
            ).rowcount

    # -- the outbox ----------------------------------------------------------------
    def claim_due(self, owner: str, now: float, lease: float, limit: int = 20) -> list[OutboxEmail]:
        with self._transaction("claim emails") as conn:
            rows = conn.execute(
                "SELECT id, kind, rules, recipients, created_at, attempts FROM emails"
                " WHERE status = 'pending' AND due_at <= ? AND lease_until <= ?"
                " ORDER BY due_at LIMIT ?",
                (now, now, limit),
            ).fetchall()
            conn.executemany(
                "UPDATE emails SET lease_owner = ?, lease_until = ? WHERE id = ?",
                [(owner, now + lease, r[0]) for r in rows],
            )
            return [
                OutboxEmail(
                    id=r[0],
                    kind=r[1],
                    rules=tuple(json.loads(r[2])),
                    recipients=tuple(json.loads(r[3])),
                    created_at=r[4],
                    attempts=r[5],
                    alerts=tuple(self._alerts(conn, r[0])),
                )
                for r in rows
            ]

    def _alerts(self, conn: sqlite3.Connection, email_id: str) -> list[AlertContent]:
        alerts = conn.execute(
            "SELECT id, rule, kind, campaign, reason, created_at FROM alerts"
            " WHERE email_id = ? ORDER BY created_at, id",
            (email_id,),
        ).fetchall()
        return [self._content(conn, *a) for a in alerts]

    def _content(
        self,
        conn: sqlite3.Connection,
        alert_id: str,
        rule: str,
        kind: str,
        campaign: str | None,
        reason: str,
        created_at: float,
    ) -> AlertContent:
        docs = conn.execute(
            "SELECT doc FROM matches WHERE alert_id = ? AND role IN ('first', 'copy')"
            " ORDER BY role = 'copy', added_at, article_id",
            (alert_id,),
        ).fetchall()
        return AlertContent(
            alert_id,
            rule,
            kind,
            campaign,
            reason,
            created_at,
            tuple(EnrichedArticle.from_json(d) for (d,) in docs),
        )

    def mark_sent(
        self, email_id: str, owner: str, subject: str, message_id: str, now: float
    ) -> None:
        with self._transaction("mark an email sent") as conn:
            conn.execute(
                "UPDATE emails SET status = 'sent', sent_at = ?, subject = ?, message_id = ?,"
                " attempts = attempts + 1, last_error = NULL, lease_until = 0"
                " WHERE id = ? AND lease_owner = ?",
                (now, subject, message_id, email_id, owner),
            )

    def mark_failed(self, email_id: str, owner: str, error: str, retry_at: float) -> None:
        with self._transaction("mark an email failed") as conn:
            conn.execute(
                "UPDATE emails SET attempts = attempts + 1, last_error = ?, due_at = ?,"
                " lease_until = 0 WHERE id = ? AND lease_owner = ? AND status = 'pending'",
                (error[:2000], retry_at, email_id, owner),
            )

    def next_due(self) -> float | None:
        with self._translated("read the outbox"):
            row = (
                self._conn()
                .execute(
                    "SELECT min(max(due_at, lease_until)) FROM emails WHERE status = 'pending'"
                )
                .fetchone()
            )
        return row[0] if row and row[0] is not None else None

    # -- reading -------------------------------------------------------------------
    def history(self, limit: int = 100) -> list[HistoryEntry]:
        conn = self._conn()
        with self._translated("read the history"):
            rows = conn.execute(
                "SELECT id, kind, rules, recipients, status, subject, created_at, sent_at,"
                " attempts, last_error FROM emails ORDER BY created_at DESC, id LIMIT ?",
                (limit,),
            ).fetchall()
            return [self._history(conn, *row) for row in rows]

    def _history(
        self,
        conn: sqlite3.Connection,
        email_id: str,
        kind: str,
        rules: str,
        recipients: str,
        status: str,
        subject: str,
        created_at: float,
        sent_at: float | None,
        attempts: int,
        last_error: str | None,
    ) -> HistoryEntry:
        refs: list[ArticleRef] = []
        for alert in self._alerts(conn, email_id):
            for i, doc in enumerate(alert.articles):
                refs.append(
                    ArticleRef(
                        doc.id, doc.title, doc.source, doc.url, "first" if i == 0 else "copy"
                    )
                )
        if not subject and refs:
            subject = refs[0].title
        return HistoryEntry(
            email_id,
            kind,
            tuple(json.loads(rules)),
            tuple(json.loads(recipients)),
            status,  # type: ignore[arg-type]
            subject,
            created_at,
            sent_at,
            attempts,
            last_error,
            tuple(refs),
        )

    def waiting(self, limit: int = 100) -> list[AlertContent]:
        conn = self._conn()
        with self._translated("read waiting alerts"):
            alerts = conn.execute(
                "SELECT id, rule, kind, campaign, reason, created_at FROM alerts"
                " WHERE email_id IS NULL ORDER BY created_at DESC LIMIT ?",
                (limit,),
            ).fetchall()
            return [self._content(conn, *a) for a in alerts]
