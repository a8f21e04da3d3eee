"""The one place that picks backends from settings: `open_bus` and `open_index`."""

from __future__ import annotations

from monitor.bus.base import Bus
from monitor.index.base import Index
from monitor.settings import Settings


def open_bus(settings: Settings) -> Bus:
    if settings.bus == "kafka":
        from monitor.bus.kafka import KafkaBus

        k = settings.kafka
        return KafkaBus(
            k.bootstrap, partitions=k.partitions, replication=k.replication, client_id=k.client_id
        )
    from monitor.bus.embedded import EmbeddedBus

    p = settings.pipeline
    return EmbeddedBus(
        settings.data_dir / "bus.db",
        retention_hours=p.retention_hours,
        session_timeout=p.session_timeout,
    )


def open_index(settings: Settings) -> Index:
    if settings.index == "elasticsearch":
        from monitor.index.elasticsearch import ElasticsearchIndex

        return ElasticsearchIndex(settings.elasticsearch)
    from monitor.index.embedded import EmbeddedIndex

    return EmbeddedIndex(settings.data_dir / "index.db")
