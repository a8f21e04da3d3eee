"""The alert ledger in Elasticsearch, for the distributed deployment: three small indices
(alerts, matches, emails) written with create-only ids and optimistic concurrency instead
of transactions, so alert processes on several hosts share one ledger safely.

Every decision is re-derivable: a write interrupted half-way is finished by whoever sees
the message next (the alert keeps its first article, so a redelivery of it resumes).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from elastic_transport import ApiError, TransportError
from elasticsearch import ConflictError, Elasticsearch, NotFoundError

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
from monitor.errors import ConfigError, TransientError
from monitor.index.elasticsearch import connect
from monitor.models import EnrichedArticle
from monitor.settings import ElasticsearchSettings

_K = {"type": "keyword"}
_D = {"type": "double"}
_STORED = {"type": "object", "enabled": False}
_MAPPINGS = {
    "alerts": {
        "key": _K,
        "rule": _K,
        "kind": _K,
        "campaign": _K,
        "title_key": _K,
        "reason": {"type": "keyword", "index": False},
        "first_article": _K,
        "first_doc": _STORED,
        "created_at": _D,
        "email_id": _K,
    },
    "matches": {
        "key": _K,
        "rule": _K,
        "article_id": _K,
        "subject": _K,
        "alert_id": _K,
        "role": _K,
        "added_at": _D,
        "doc": _STORED,
    },
    "emails": {
        "key": _K,
        "kind": _K,
        "rules": _K,
        "recipients": _K,
        "created_at": _D,
        "due_at": _D,
        "status": _K,
        "attempts": {"type": "integer"},
        "last_error": {"type": "keyword", "index": False},
        "lease_owner": _K,
        "lease_until": _D,
        "subject": {"type": "keyword", "index": False},
        "message_id": _K,
        "sent_at": _D,
    },
}
_MAX = 10_000
_WAITING: dict[str, Any] = {"bool": {"must_not": [{"exists": {"field": "email_id"}}]}}


def _id(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def ensure_indices(client: Elasticsearch, mappings: dict[str, dict[str, Any]]) -> None:
    """Create each index of `mappings` ({index name: properties}) unless it exists."""
    for name, properties in mappings.items():
        response = client.options(ignore_status=400).indices.create(
            index=name, mappings={"properties": properties}
        )
        error = response.get("error") if isinstance(response.body, dict) else None
        if error and error.get("type") != "resource_already_exists_exception":
            raise ConfigError(f"could not create {name}: {error}")


@contextmanager
def translated(url: str, label: str, what: str) -> Iterator[None]:
    """Elasticsearch's errors as the monitor's: refused credentials are a `ConfigError`, the
    rest (unreachable, 5xx, 429 ...) a `TransientError` naming `label` and what it tried."""
    try:
        yield
    except ApiError as exc:
        if exc.meta.status in (401, 403):
            raise ConfigError(
                f"Elasticsearch at {url} refused the credentials "
                f"({exc.meta.status}) when asked to {what}"
            ) from exc
        raise TransientError(
            f"{label} in Elasticsearch could not {what} ({exc.meta.status}): {exc.message}"
        ) from exc
    except TransportError as exc:
        raise TransientError(
            f"Elasticsearch at {url} is unreachable: could not {what}: {exc}"
        ) from exc


class ElasticsearchLedger:
    def __init__(self, settings: ElasticsearchSettings, *, request_timeout: float = 30.0) -> None:
        self.url = settings.url
        self.client = connect(settings, request_timeout=request_timeout)
        self.names = {kind: f"{settings.index_prefix}-alert-{kind}" for kind in _MAPPINGS}
        with self._translated("create its indices"):
            ensure_indices(self.client, {self.names[k]: p for k, p in _MAPPINGS.items()})

    def _translated(self, what: str) -> AbstractContextManager[None]:
        return translated(self.url, "alert ledger", what)

    def close(self) -> None:
        self.client.close()

    # -- small helpers -------------------------------------------------------------
    def _get(self, kind: str, key: str) -> dict[str, Any] | None:
        try:
            hit = self.client.get(index=self.names[kind], id=_id(key))
        except NotFoundError:
            return None
        return {**hit["_source"], "_seq_no": hit["_seq_no"], "_primary_term": hit["_primary_term"]}

    def _create(self, kind: str, key: str, doc: dict[str, Any]) -> bool:
        """False when a document of that key exists already."""
        try:
            self.client.index(
                index=self.names[kind],
                id=_id(key),
                document={"key": key, **doc},
                op_type="create",
                refresh=True,
            )
        except ConflictError:
            return False
        return True

    def _search(
        self,
        kind: str,
        query: dict[str, Any],
        sort: list[Any] | None = None,
        size: int = _MAX,
        seq: bool = False,
    ) -> list[dict[str, Any]]:
        response = self.client.search(
            index=self.names[kind], query=query, sort=sort, size=size, seq_no_primary_term=seq
        )
        return [
            {**h["_source"], "_seq_no": h.get("_seq_no"), "_primary_term": h.get("_primary_term")}
            for h in response["hits"]["hits"]
        ]

    def _update(self, kind: str, current: dict[str, Any], changes: dict[str, Any]) -> bool:
        """Apply `changes` only if nobody changed the document since it was read."""
        try:
            self.client.update(
                index=self.names[kind],
                id=_id(current["key"]),
                doc=changes,
                if_seq_no=current["_seq_no"],
                if_primary_term=current["_primary_term"],
                refresh=True,
            )
        except ConflictError:
            return False
        return True

    # -- recording -----------------------------------------------------------------
    def record(self, entries: Sequence[Entry], now: float) -> list[RecordOutcome]:
        with self._translated("record alerts"):
            return [self._record(e, now) for e in entries]

    def _record(self, e: Entry, now: float) -> RecordOutcome:
        doc = e.article
        subject = e.campaign.casefold() if e.campaign else ""
        match_key = f"{e.rule}|{doc.id}|{subject}"
        if self._get("matches", match_key) is not None:
            return "duplicate"
        recipients = uncovered(e.recipients, self._covered(e)) if e.due_at is not None else ()
        alert_key, outcome = self._decide(e, subject, now, bool(recipients))
        if outcome == "alerted" and recipients:
            self._create(
                "emails",
                alert_key,
                {
                    "kind": "immediate",
                    "rules": [e.rule],
                    "recipients": list(recipients),
                    "created_at": now,
                    "due_at": e.due_at,
                    "status": "pending",
                    "attempts": 0,
                    "lease_until": 0.0,
                },
            )
        role = {"alerted": "first", "joined": "copy", "repeat": "repeat"}[outcome]
        created = self._create(
            "matches",
            match_key,
            {
                "rule": e.rule,
                "article_id": doc.id,
                "subject": subject,
                "alert_id": alert_key,
                "role": role,
                "added_at": now,
                "doc": doc.model_dump(mode="json"),
            },
        )
        return outcome if created else "duplicate"

    def _covered(self, e: Entry) -> list[str]:
        """The addresses an immediate email of another rule already carries this article to."""
        matches = self._search(
            "matches",
            {
                "bool": {
                    "filter": [
                        {"term": {"article_id": e.article.id}},
                        {"terms": {"role": ["first", "copy"]}},
                    ],
                    "must_not": [{"term": {"rule": e.rule}}],
                }
            },
        )
        covered: list[str] = []
        for alert_id in dict.fromkeys(m["alert_id"] for m in matches):
            alert = self._get("alerts", alert_id)
            if not alert or not alert.get("email_id"):
                continue
            email = self._get("emails", alert["email_id"])
            if email is not None and email["kind"] == "immediate":
                covered += email["recipients"]
        return covered

    def _decide(
        self, e: Entry, subject: str, now: float, emailed: bool = True
    ) -> tuple[str, RecordOutcome]:
        """The alert this entry belongs to: a new one (or one it started and was interrupted
        in), one it is a copy of, or a campaign alert it repeats."""
        doc, tkey = e.article, title_key(e.article)
        for _ in range(3):  # a create lost to another process: look again
            if e.campaign:
                key = f"{e.rule}|campaign|{subject}"
                alert = self._get("alerts", key)
                if alert is not None:
                    return key, self._relation(alert, doc)
            else:
                candidates = self._search(
                    "alerts",
                    {
                        "bool": {
                            "filter": [{"term": {"rule": e.rule}}, {"term": {"title_key": tkey}}]
                        }
                    },
                    sort=[{"created_at": "asc"}],
                )
                for alert in candidates:
                    relation = self._relation(alert, doc)
                    if relation != "repeat":
                        return alert["key"], relation
                key = f"{e.rule}|story|{tkey}" if not candidates else f"{e.rule}|article|{doc.id}"
            if self._create(
                "alerts",
                key,
                {
                    "rule": e.rule,
                    "kind": e.kind,
                    "campaign": e.campaign,
                    "title_key": tkey,
                    "reason": e.reason,
                    "first_article": doc.id,
                    "first_doc": doc.model_dump(mode="json"),
                    "created_at": now,
                    "email_id": (key if emailed else NO_EMAIL) if e.due_at is not None else None,
                },
            ):
                return key, "alerted"
        raise TransientError("alert ledger: lost the race to create an alert three times")

    @staticmethod
    def _relation(alert: dict[str, Any], doc: EnrichedArticle) -> RecordOutcome:
        if alert["first_article"] == doc.id:
            return "alerted"  # this article made the alert; an earlier attempt stopped short
        first = EnrichedArticle.model_validate(alert["first_doc"])
        return "joined" if same_story(first, doc) else "repeat"

    def close_digest(
        self,
        digest_id: str,
        rules: Sequence[str],
        recipients: Sequence[str],
        cutoff: float,
        now: float,
    ) -> bool:
        with self._translated("queue a digest"):
            if self._get("emails", digest_id) is not None:
                return False
            # Alerts are claimed first and the email written last, so a digest interrupted
            # in between is completed by the next tick under the same id.
            waiting = self._search(
                "alerts",
                {
                    "bool": {
                        "filter": [
                            {"terms": {"rule": list(rules)}},
                            {"range": {"created_at": {"lte": cutoff}}},
                        ],
                        "must_not": [{"exists": {"field": "email_id"}}],
                    }
                },
                seq=True,
            )
            for alert in waiting:
                self._update("alerts", alert, {"email_id": digest_id})
            if not self._search("alerts", {"term": {"email_id": digest_id}}, size=1):
                return False
            return self._create(
                "emails",
                digest_id,
                {
                    "kind": "digest",
                    "rules": list(rules),
                    "recipients": list(recipients),
                    "created_at": now,
                    "due_at": now,
                    "status": "pending",
                    "attempts": 0,
                    "lease_until": 0.0,
                },
            )

    def waiting_rules(self) -> set[str]:
        with self._translated("read waiting alerts"):
            response = self.client.search(
                index=self.names["alerts"],
                query=_WAITING,
                size=0,
                aggs={"rules": {"terms": {"field": "rule", "size": _MAX}}},
            )
        return {b["key"] for b in response["aggregations"]["rules"]["buckets"]}

    def drop_waiting(self, rules: Sequence[str]) -> int:
        with self._translated("drop waiting alerts"):
            waiting = self._search(
                "alerts",
                {"bool": {**_WAITING["bool"], "filter": [{"terms": {"rule": list(rules)}}]}},
                seq=True,
            )
            # an alert a digest took in the meantime keeps its digest
            return sum(self._update("alerts", a, {"email_id": DROPPED}) for a in waiting)

    # -- the outbox ----------------------------------------------------------------
    def claim_due(self, owner: str, now: float, lease: float, limit: int = 20) -> list[OutboxEmail]:
        with self._translated("claim emails"):
            due = self._search(
                "emails",
                {
                    "bool": {
                        "filter": [
                            {"term": {"status": "pending"}},
                            {"range": {"due_at": {"lte": now}}},
                            {"range": {"lease_until": {"lte": now}}},
                        ]
                    }
                },
                sort=[{"due_at": "asc"}],
                size=limit,
                seq=True,
            )
            claimed = []
            for email in due:
                if self._update(
                    "emails", email, {"lease_owner": owner, "lease_until": now + lease}
                ):
                    claimed.append(
                        OutboxEmail(
                            id=email["key"],
                            kind=email["kind"],
                            rules=tuple(email["rules"]),
                            recipients=tuple(email["recipients"]),
                            created_at=email["created_at"],
                            attempts=email["attempts"],
                            alerts=tuple(self._alerts(email["key"])),
                        )
                    )
            return claimed

    def _alerts(self, email_id: str) -> list[AlertContent]:
        alerts = self._search(
            "alerts", {"term": {"email_id": email_id}}, sort=[{"created_at": "asc"}, {"key": "asc"}]
        )
        return [self._content(a) for a in alerts]

    def _content(self, alert: dict[str, Any]) -> AlertContent:
        copies = self._search(
            "matches",
            {
                "bool": {
                    "filter": [{"term": {"alert_id": alert["key"]}}, {"term": {"role": "copy"}}]
                }
            },
            sort=[{"added_at": "asc"}, {"article_id": "asc"}],
        )
        docs = [
            EnrichedArticle.model_validate(alert["first_doc"]),
            *(EnrichedArticle.model_validate(m["doc"]) for m in copies),
        ]
        return AlertContent(
            alert["key"],
            alert["rule"],
            alert["kind"],
            alert.get("campaign"),
            alert["reason"],
            alert["created_at"],
            tuple(docs),
        )

    def _finish(self, email_id: str, owner: str, changes: dict[str, Any], what: str) -> None:
        with self._translated(what):
            email = self._get("emails", email_id)
            if email and email.get("lease_owner") == owner and email["status"] == "pending":
                self._update(
                    "emails",
                    email,
                    {**changes, "attempts": email["attempts"] + 1, "lease_until": 0.0},
                )

    def mark_sent(
        self, email_id: str, owner: str, subject: str, message_id: str, now: float
    ) -> None:
        self._finish(
            email_id,
            owner,
            {
                "status": "sent",
                "sent_at": now,
                "subject": subject,
                "message_id": message_id,
                "last_error": None,
            },
            "mark an email sent",
        )

    def mark_failed(self, email_id: str, owner: str, error: str, retry_at: float) -> None:
        self._finish(
            email_id,
            owner,
            {"last_error": error[:2000], "due_at": retry_at},
            "mark an email failed",
        )

    def next_due(self) -> float | None:
        with self._translated("read the outbox"):
            pending = self._search(
                "emails", {"term": {"status": "pending"}}, sort=[{"due_at": "asc"}], size=20
            )
        times = [max(e["due_at"], e.get("lease_until") or 0.0) for e in pending]
        return min(times) if times else None

    # -- reading -------------------------------------------------------------------
    def history(self, limit: int = 100) -> list[HistoryEntry]:
        with self._translated("read the history"):
            emails = self._search(
                "emails",
                {"match_all": {}},
                sort=[{"created_at": "desc"}, {"key": "asc"}],
                size=limit,
            )
            return [self._history(e) for e in emails]

    def _history(self, e: dict[str, Any]) -> HistoryEntry:
        refs = [
            ArticleRef(d.id, d.title, d.source, d.url, "first" if i == 0 else "copy")
            for alert in self._alerts(e["key"])
            for i, d in enumerate(alert.articles)
        ]
        subject = e.get("subject") or (refs[0].title if refs else "")
        return HistoryEntry(
            e["key"],
            e["kind"],
            tuple(e["rules"]),
            tuple(e["recipients"]),
            e["status"],
            subject,
            e["created_at"],
            e.get("sent_at"),
            e["attempts"],
            e.get("last_error"),
            tuple(refs),
        )

    def waiting(self, limit: int = 100) -> list[AlertContent]:
        with self._translated("read waiting alerts"):
            alerts = self._search(
                "alerts",
                _WAITING,
                sort=[{"created_at": "desc"}],
                size=limit,
            )
            return [self._content(a) for a in alerts]
