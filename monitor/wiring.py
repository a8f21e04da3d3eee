"""The one place that picks backends from settings: `open_bus` and `open_index`."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from loguru import logger

from monitor.bus.base import Bus
from monitor.errors import TransientError
from monitor.index.base import Index
from monitor.settings import Settings

T = TypeVar("T")


def _never() -> bool:
    return False


def open_bus(settings: Settings) -> Bus:
    if settings.bus == "kafka":
        from monitor.bus.kafka import KafkaBus

        k = settings.kafka
        return KafkaBus(
            k.bootstrap,
            partitions=k.partitions,
            replication=k.replication,
            client_id=k.client_id,
            session_timeout_ms=k.session_timeout_ms,
            heartbeat_interval_ms=k.heartbeat_interval_ms,
            max_poll_interval_ms=k.max_poll_interval_ms,
            request_timeout_ms=k.request_timeout_ms,
        )
    from monitor.bus.embedded import EmbeddedBus

    p = settings.pipeline
    return EmbeddedBus(
        settings.data_dir / "bus.db",
        retention_hours=p.retention_hours,
        session_timeout=p.session_timeout,
    )


def open_patiently(opener: Callable[[], T], what: str, stop: Callable[[], bool] = _never) -> T:
    """Open a backend, waiting (and saying so every few seconds) while its server is away."""
    wait, said = 0.5, 0.0
    while True:
        try:
            return opener()
        except TransientError as exc:
            if stop():
                raise
            now = time.monotonic()
            if now - said >= 5:
                logger.warning("cannot reach the {} yet ({}); retrying", what, exc)
                said = now
            time.sleep(wait)
            wait = min(wait * 2, 10.0)


def open_index(settings: Settings) -> Index:
    if settings.index == "elasticsearch":
        from monitor.index.elasticsearch import ElasticsearchIndex

        return ElasticsearchIndex(settings.elasticsearch, refresh=settings.elasticsearch.refresh)
    from monitor.index.embedded import EmbeddedIndex

    return EmbeddedIndex(settings.data_dir / "index.db")
