"""The bus interface: topics of keyed messages, consumer groups, commits, a dead-letter topic.

Contract, whichever backend is behind it (the embedded SQLite log or Kafka):

* `Producer.produce` may buffer; a message is durable only once `Producer.flush`
  has returned. `flush` raises `TransientError` when the bus cannot take the
  messages now; nothing that was produced before is lost by that.
* A `Consumer` belongs to a group. `poll` hands out records after the group's
  committed position; `commit(records)` moves that position past them. A record
  that was polled but not committed (a crash, a lost lease) is delivered again,
  to this consumer or another of the group: delivery is at least once.
* Errors of the backend library are translated to `TransientError` (retry later)
  at the backend's edge; callers never see sqlite3 or kafka exceptions.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

RAW = "announcements.raw"
ENRICHED = "announcements.enriched"
DEAD_LETTER = "announcements.dlq"
TOPICS = (RAW, ENRICHED, DEAD_LETTER)


@dataclass(frozen=True, slots=True)
class Record:
    """One message as a consumer receives it."""

    topic: str
    partition: int
    offset: int
    key: str | None
    value: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    timestamp: float = 0.0


class Producer(Protocol):
    def produce(
        self,
        topic: str,
        value: bytes,
        key: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Queue one message; the key keeps one article's messages in order."""

    def flush(self, timeout: float | None = None) -> None:
        """Make every queued message durable, or raise `TransientError`."""

    def close(self) -> None: ...


class Consumer(Protocol):
    topic: str
    group: str

    def poll(self, max_records: int, timeout: float) -> list[Record]:
        """Up to `max_records` records, waiting at most `timeout` seconds for the first."""

    def commit(self, records: Sequence[Record]) -> None:
        """Move the group's position past `records` (all polled from this consumer).

        Raises `TransientError` when the consumer no longer owns those records (its
        lease or partition was taken away); they will be delivered again elsewhere.
        """

    def lag(self) -> dict[int, int]:
        """Messages not yet committed by this group, per partition."""

    def close(self) -> None:
        """Leave the group; uncommitted records go to the next member."""


class Bus(Protocol):
    """Opens producers and consumers on one backend."""

    def producer(self) -> Producer: ...

    def consumer(self, topic: str, group: str) -> Consumer: ...

    def topic_size(self, topic: str) -> int:
        """Messages currently held in `topic` (for the dead-letter view and metrics)."""

    def read(self, topic: str, limit: int = 100, after: int = -1) -> list[Record]:
        """Records of `topic` without joining a group (inspection, requeue)."""

    def close(self) -> None: ...


def dead_letter_headers(record: Record, stage: str, reason: str) -> dict[str, str]:
    """Headers that travel with a dead-lettered message: why, from where, when."""
    return {
        **{k: v for k, v in record.headers.items() if not k.startswith("dlq.")},
        "dlq.reason": reason[:2000],
        "dlq.stage": stage,
        "dlq.topic": record.topic,
        "dlq.partition": str(record.partition),
        "dlq.offset": str(record.offset),
        "dlq.failed_at": f"{time.time():.3f}",
    }
