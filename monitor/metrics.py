"""The monitor's Prometheus metrics: one place that defines them all.

Each process exposes them at `/metrics`: the web app on its own port, each
`monitor stage` process on `metrics.port`. Values that live in a backend (the size of
the dead-letter topic, of the index) are read when Prometheus scrapes, not kept here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import REGISTRY, Counter, Gauge, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)

STAGE_MESSAGES = Counter(
    "monitor_stage_messages_total",
    "Messages a stage finished, by outcome (ok, duplicate, retried, dead_lettered)",
    ["stage", "outcome"],
)
STAGE_BATCH_SECONDS = Histogram(
    "monitor_stage_batch_seconds",
    "Time a stage took per batch",
    ["stage"],
    buckets=_LATENCY_BUCKETS,
)
STAGE_LATENCY = Histogram(
    "monitor_stage_latency_seconds",
    "Time from a message entering the stage's topic to the stage's output being durable",
    ["stage"],
    buckets=_LATENCY_BUCKETS,
)
CONSUMER_LAG = Gauge(
    "monitor_consumer_lag",
    "Messages not yet committed by a stage, per partition",
    ["stage", "partition"],
)
POLLS = Counter(
    "monitor_polls_total",
    "Polls of a source, by outcome (ok, not_modified, error)",
    ["source", "outcome"],
)
FETCH_SECONDS = Histogram(
    "monitor_fetch_seconds",
    "Time to fetch a source",
    ["source"],
    buckets=_LATENCY_BUCKETS,
)
FEED_ARTICLES = Counter(
    "monitor_feed_articles_total",
    "Entries found in a source, by kind (new, changed, duplicate)",
    ["source", "kind"],
)
ALERTS = Counter("monitor_alerts_total", "Alert emails, by status (sent, failed)", ["status"])
CAMPAIGNS_EXTRACTED = Counter(
    "monitor_extracted_campaigns_total",
    "Campaign mentions the extractor found",
    ["campaign"],
)


class BackendCollector(Collector):
    """Sizes read from the bus and the index at scrape time."""

    def __init__(
        self, dead_letters: Callable[[], int] | None, documents: Callable[[], int] | None
    ) -> None:
        self.dead_letters = dead_letters
        self.documents = documents

    def collect(self) -> Iterator[GaugeMetricFamily]:
        if self.dead_letters is not None:
            yield GaugeMetricFamily(
                "monitor_dead_letter_messages",
                "Messages waiting in the dead-letter topic",
                value=_safely(self.dead_letters),
            )
        if self.documents is not None:
            yield GaugeMetricFamily(
                "monitor_index_documents",
                "Articles in the search index",
                value=_safely(self.documents),
            )


def _safely(read: Callable[[], int]) -> float:
    try:
        return float(read())
    except Exception:  # a backend that is away must not break the scrape
        return float("nan")


_registered: list[BackendCollector] = []


def watch_backends(
    dead_letters: Callable[[], int] | None, documents: Callable[[], int] | None
) -> None:
    """Report these sizes on /metrics (replacing what an earlier call registered)."""
    for old in _registered:
        REGISTRY.unregister(old)
    _registered.clear()
    collector = BackendCollector(dead_letters, documents)
    REGISTRY.register(collector)
    _registered.append(collector)


def serve(port: int, host: str = "127.0.0.1") -> None:
    """Expose /metrics on its own port (for `monitor stage` processes)."""
    start_http_server(port, addr=host)
