"""The extract stage: raw articles in, articles with their campaigns and figures out."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence

from monitor import issuer, metrics
from monitor.bus.base import ENRICHED, RAW, Record
from monitor.extract import Extractor
from monitor.models import Article, EnrichedArticle, Level
from pipelines.runner import Done, Output


class KnownCampaigns:
    """The index's campaign registry as the extractor asks it, once per name and not per
    article: a name once known stays known; "not yet" is asked again after `recheck` seconds
    (a stale "not yet" is harmless: the alert ledger sends one new-campaign alert per name)."""

    def __init__(self, lookup: Callable[[str], bool], recheck: float = 5.0) -> None:
        self.lookup = lookup
        self.recheck = recheck
        self._known: set[str] = set()
        self._unknown: dict[str, float] = {}
        self._lock = threading.Lock()

    def __call__(self, canonical: str) -> bool:
        key = canonical.casefold()
        now = time.monotonic()
        with self._lock:
            if key in self._known:
                return True
            if now - self._unknown.get(key, -1e9) < self.recheck:
                return False
        known = self.lookup(canonical)
        with self._lock:
            if known:
                self._known.add(key)
                self._unknown.pop(key, None)
            else:
                self._unknown[key] = now
        return known


class ExtractStage:
    name = "extract"
    topic = RAW

    def __init__(
        self,
        extractor: Extractor,
        drop_irrelevant: frozenset[str] = frozenset(),
        levels: Mapping[str, Level] | None = None,
    ) -> None:
        self.extractor = extractor
        self.drop_irrelevant = drop_irrelevant  # feed ids whose off-topic items are not indexed
        self.levels = levels or {}  # feed id -> the issuing level its source declares

    def handle(self, record: Record) -> EnrichedArticle:
        article = Article.from_json(record.value)
        extraction = self.extractor.extract(article)
        for campaign in {c.canonical for c in extraction.campaigns}:
            metrics.CAMPAIGNS_EXTRACTED.labels(campaign).inc()
        return issuer.stamped(EnrichedArticle.of(article, extraction), self.levels)

    def write(self, items: Sequence[EnrichedArticle]) -> list[Done]:
        return [
            Done(outcome="dropped")
            if not doc.extraction.relevance.relevant and doc.feed_id in self.drop_irrelevant
            else Done([Output(ENRICHED, doc.id, doc.to_json())])
            for doc in items
        ]
