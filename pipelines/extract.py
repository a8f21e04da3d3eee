"""The extract stage: raw articles in, articles with their campaigns and figures out."""

from __future__ import annotations

from collections.abc import Sequence

from monitor import metrics
from monitor.bus.base import ENRICHED, RAW, Record
from monitor.extract import Extractor
from monitor.models import Article, EnrichedArticle
from pipelines.runner import Done, Output


class ExtractStage:
    name = "extract"
    topic = RAW

    def __init__(self, extractor: Extractor) -> None:
        self.extractor = extractor

    def handle(self, record: Record) -> EnrichedArticle:
        article = Article.from_json(record.value)
        extraction = self.extractor.extract(article)
        for campaign in {c.canonical for c in extraction.campaigns}:
            metrics.CAMPAIGNS_EXTRACTED.labels(campaign).inc()
        return EnrichedArticle.of(article, extraction)

    def write(self, items: Sequence[EnrichedArticle]) -> list[Done]:
        return [Done([Output(ENRICHED, doc.id, doc.to_json())]) for doc in items]
