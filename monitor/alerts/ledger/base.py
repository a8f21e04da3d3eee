"""The alert ledger interface: every alert decided, every email queued and sent.

Contract, whichever backend is behind it (SQLite in the data folder; Elasticsearch later):

* `record(entries, now)` is atomic and idempotent. An entry is one (rule, article,
  campaign) match; the same entry recorded twice is a "duplicate". A syndicated copy
  (same title, nearly the same text as an article already alerted on by that rule)
  "joins" that alert, and a later article of a campaign already alerted on is a
  "repeat"; neither makes a new alert. Otherwise the entry is "alerted": a new alert,
  and for immediate delivery a new email due at `entry.due_at`. When `record` returns,
  all of this is durable; the stage commits its offset only after that. It raises
  `TransientError` when nothing could be recorded.
* One email per article and address among immediate alerts: when an article (or a copy
  that joined the story) is already in an immediate email of another rule, the addresses
  that email goes to are left out of this alert's email, and an alert left with no address
  has no email at all (it is recorded, with `NO_EMAIL` where the email would be, so copies
  still join it). Rules are recorded in the order given: the rules of config/alerts.toml
  before saved searches, so the email a reader gets names the first rule that matched.
  Digests are not deduplicated against immediate emails.
* Emails are claimed with a lease (`claim_due`), so two alert processes never send the
  same one; a claimed email is then `mark_sent` or `mark_failed` (retried later).
* A rule that stops sending digests leaves its waiting alerts to the stage: it queues them
  in one last digest (`close_digest`) or drops them (`drop_waiting`).
* Every id is deterministic (rule + campaign, rule + first article, digest + time), so
  two processes deciding the same alert write the same row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from monitor.models import EnrichedArticle

RecordOutcome = Literal["alerted", "joined", "repeat", "duplicate"]
#: The email of an immediate alert whose every address had the article from another rule.
NO_EMAIL = "(no email: every address had it from another rule)"
#: Where the digest would be, for alerts whose rule stopped sending digests before its time
#: (its saved search deleted, or its email turned off).
DROPPED = "(dropped: the rule no longer sends digests)"


def uncovered(recipients: Sequence[str], covered: Sequence[str]) -> tuple[str, ...]:
    """`recipients` without the addresses in `covered` (compared without regard to case)."""
    seen = {a.casefold() for a in covered}
    return tuple(a for a in recipients if a.casefold() not in seen)


Status = Literal["pending", "sent"]


@dataclass(frozen=True, slots=True)
class Entry:
    """One match to record. `campaign` is set for new-campaign alerts (one per campaign);
    `due_at` is None for digest rules (the digest picks the alert up)."""

    rule: str
    kind: str
    article: EnrichedArticle
    reason: str
    recipients: tuple[str, ...]
    campaign: str | None = None
    due_at: float | None = None


@dataclass(frozen=True, slots=True)
class AlertContent:
    """One alert as an email shows it: the first article, then its syndicated copies."""

    id: str
    rule: str
    kind: str
    campaign: str | None
    reason: str
    created_at: float
    articles: tuple[EnrichedArticle, ...]


@dataclass(frozen=True, slots=True)
class OutboxEmail:
    id: str
    kind: Literal["immediate", "digest"]
    rules: tuple[str, ...]
    recipients: tuple[str, ...]
    created_at: float
    attempts: int
    alerts: tuple[AlertContent, ...] = ()


@dataclass(frozen=True, slots=True)
class ArticleRef:
    id: str
    title: str
    source: str
    url: str
    role: str  # first | copy


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One email, for the web view: what was sent (or is waiting), to whom, and how it went."""

    id: str
    kind: str
    rules: tuple[str, ...]
    recipients: tuple[str, ...]
    status: Status
    subject: str
    created_at: float
    sent_at: float | None
    attempts: int
    last_error: str | None
    articles: tuple[ArticleRef, ...] = field(default=())


class Ledger(Protocol):
    def record(self, entries: Sequence[Entry], now: float) -> list[RecordOutcome]: ...

    def close_digest(
        self,
        digest_id: str,
        rules: Sequence[str],
        recipients: Sequence[str],
        cutoff: float,
        now: float,
    ) -> bool:
        """Queue one digest email of every alert of `rules` not yet in a digest and made
        at or before `cutoff`. False when `digest_id` exists already or nothing waits."""

    def claim_due(self, owner: str, now: float, lease: float, limit: int = 20) -> list[OutboxEmail]:
        """Pending emails due by `now`, leased to `owner` for `lease` seconds."""

    def mark_sent(
        self, email_id: str, owner: str, subject: str, message_id: str, now: float
    ) -> None: ...

    def mark_failed(self, email_id: str, owner: str, error: str, retry_at: float) -> None: ...

    def next_due(self) -> float | None:
        """When the earliest pending email becomes due (None when none is pending)."""

    def history(self, limit: int = 100) -> list[HistoryEntry]:
        """Emails newest first, sent and pending, with their articles."""

    def waiting(self, limit: int = 100) -> list[AlertContent]:
        """Alerts of digest rules not yet in a digest, newest first."""

    def waiting_rules(self) -> set[str]:
        """The rules with alerts waiting for a digest."""

    def drop_waiting(self, rules: Sequence[str]) -> int:
        """Let the alerts of `rules` that wait for a digest go without one (marked `DROPPED`);
        returns how many."""

    def close(self) -> None: ...
