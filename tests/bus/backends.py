"""How the bus suites open each backend, in this process or in a child, and poll helpers."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.bus.base import Bus, Consumer, Record
from monitor.bus.embedded import EmbeddedBus
from monitor.bus.kafka import KafkaBus

# Tansu delays a group's first join by about half the session timeout; short ones keep
# the suite fast. A member that stops polling is dropped after max_poll_interval_ms.
TANSU_TUNING = {
    "session_timeout_ms": 2000,
    "max_poll_interval_ms": 2000,
    "heartbeat_interval_ms": 300,
    "bootstrap_timeout_ms": 5000,
    "reconnect_backoff_max_ms": 1000,
}
# Apache Kafka refuses sessions shorter than group.min.session.timeout.ms (6 s by default).
EXTERNAL_TUNING = {
    "session_timeout_ms": 6000,
    "max_poll_interval_ms": 8000,
    "heartbeat_interval_ms": 1000,
    "bootstrap_timeout_ms": 10000,
}


@dataclass(frozen=True)
class Backend:
    """One bus backend as the suite sees it: a name, where it lives, and its client settings."""

    kind: str  # "embedded" or "kafka"
    location: str  # the SQLite file, or the bootstrap servers
    tuning: dict[str, Any] = field(default_factory=dict)
    partitions: int = 3

    @property
    def member_timeout(self) -> float:
        """Seconds after which a member that stopped polling loses its records to another."""
        if self.kind == "embedded":
            return float(self.tuning.get("session_timeout", 10))
        return self.tuning.get("max_poll_interval_ms", 300_000) / 1000

    def open(self, topics: tuple[str, ...]) -> Bus:
        if self.kind == "embedded":
            return EmbeddedBus(Path(self.location), **self.tuning)
        return KafkaBus(
            self.location,
            partitions=self.partitions,
            topics=topics,
            client_id="bus-tests",
            **self.tuning,
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": self.kind,
                "location": self.location,
                "tuning": self.tuning,
                "partitions": self.partitions,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Backend:
        return cls(**json.loads(text))


def poll_until(consumer: Consumer, count: int, timeout: float = 20) -> list[Record]:
    """Poll until `count` records arrived or `timeout` passed; returns what arrived."""
    records: list[Record] = []
    deadline = time.monotonic() + timeout
    while len(records) < count and time.monotonic() < deadline:
        records += consumer.poll(max_records=count - len(records), timeout=0.5)
    return records


def poll_for(consumer: Consumer, seconds: float) -> list[Record]:
    """Everything delivered in the next `seconds` (to show that nothing more comes)."""
    records: list[Record] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        records += consumer.poll(max_records=100, timeout=0.2)
    return records


def values(records: list[Record]) -> list[str]:
    return sorted(r.value.decode() for r in records)
