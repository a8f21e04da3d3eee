"""The dead-letter queue as the operator sees it (each message with why it failed) and the requeue
that sends messages back to the topic they came from, once their cause is fixed.

A requeued message is produced to its original topic (headers without the `dlq.*` ones) and
flushed before it is marked as requeued, so none is lost; a crash in between sends it twice,
which the idempotent stages absorb. The embedded bus then deletes it from the dead-letter
topic; Kafka cannot delete one record, so it is remembered in `ops.db` and hidden.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from loguru import logger

from monitor.bus.base import DEAD_LETTER, TOPICS, Bus, Record
from monitor.ops.store import OpsStore

READ_AT_MOST = 5000  # records of the dead-letter topic looked at per listing


@dataclass(frozen=True, slots=True)
class DeadLetter:
    partition: int
    offset: int
    key: str | None
    reason: str
    stage: str
    topic: str  # where it came from, and where a requeue sends it
    failed_at: datetime | None
    size: int
    title: str  # the article's title when the message is readable JSON

    @property
    def ref(self) -> str:
        """The message's handle in forms and the API: partition:offset."""
        return f"{self.partition}:{self.offset}"


@dataclass(frozen=True, slots=True)
class Requeued:
    sent: int
    skipped: tuple[str, ...] = ()  # refs not sent back, with why


def parse_ref(ref: str) -> tuple[int, int]:
    """`0:42` to (0, 42); ValueError for anything else."""
    partition, sep, offset = ref.strip().partition(":")
    if not sep:
        raise ValueError(f"{ref!r} is not partition:offset")
    return int(partition), int(offset)


def describe(record: Record) -> DeadLetter:
    h = record.headers
    failed_at: datetime | None
    try:
        failed_at = datetime.fromtimestamp(float(h.get("dlq.failed_at", "")), UTC)
    except ValueError:
        failed_at = datetime.fromtimestamp(record.timestamp, UTC) if record.timestamp else None
    return DeadLetter(
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        reason=h.get("dlq.reason", "no reason was recorded"),
        stage=h.get("dlq.stage", "?"),
        topic=h.get("dlq.topic", ""),
        failed_at=failed_at,
        size=len(record.value),
        title=_title(record.value),
    )


def _title(value: bytes) -> str:
    try:
        data = json.loads(value[:2_000_000])
    except (ValueError, UnicodeDecodeError):
        return ""
    return str(data.get("title", ""))[:200] if isinstance(data, dict) else ""


class DeadLetterQueue:
    def __init__(self, bus: Bus, store: OpsStore) -> None:
        self.bus = bus
        self.store = store

    def _waiting(self) -> list[Record]:
        done = self.store.requeued()
        records = self.bus.read(DEAD_LETTER, limit=READ_AT_MOST)
        return [r for r in records if (r.partition, r.offset) not in done]

    def list(self, limit: int = 200) -> list[DeadLetter]:
        """The messages waiting, newest first. Raises `TransientError` when the bus is away."""
        waiting = self._waiting()
        waiting.sort(key=lambda r: (r.timestamp, r.offset), reverse=True)
        return [describe(r) for r in waiting[:limit]]

    def count(self) -> int:
        return len(self._waiting())

    def requeue(self, refs: Iterable[str] | None = None) -> Requeued:
        """Send the messages `refs` (partition:offset; None: every one waiting) back to the topic
        they failed on. Raises `TransientError` when the bus cannot take them now."""
        waiting = {(r.partition, r.offset): r for r in self._waiting()}
        skipped: list[str] = []
        if refs is None:
            chosen = list(waiting.values())
        else:
            chosen = []
            for ref in refs:
                try:
                    position = parse_ref(ref)
                except ValueError as exc:
                    skipped.append(str(exc))
                    continue
                if position in waiting:
                    chosen.append(waiting[position])
                else:
                    skipped.append(f"{ref}: not waiting in the dead-letter queue")
        sendable = []
        for record in chosen:
            origin = record.headers.get("dlq.topic", "")
            if origin not in TOPICS or origin == DEAD_LETTER:
                skipped.append(f"{record.partition}:{record.offset}: origin unknown ({origin!r})")
            else:
                sendable.append((record, origin))
        if not sendable:
            return Requeued(0, tuple(skipped))
        producer = self.bus.producer()
        try:
            for record, origin in sendable:
                headers = {k: v for k, v in record.headers.items() if not k.startswith("dlq.")}
                headers["requeued_from"] = f"{DEAD_LETTER}@{record.partition}:{record.offset}"
                producer.produce(origin, record.value, record.key, headers)
            producer.flush()
        finally:
            producer.close()
        positions = [(r.partition, r.offset) for r, _ in sendable]
        self.store.mark_requeued(DEAD_LETTER, positions)
        delete = getattr(self.bus, "delete", None)
        if delete is not None:  # the embedded log can forget them outright
            delete(DEAD_LETTER, [offset for _, offset in positions])
        logger.info("requeued {} dead letters ({} skipped)", len(sendable), len(skipped))
        return Requeued(len(sendable), tuple(skipped))
