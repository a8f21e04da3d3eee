"""The index stage: enriched articles in, searchable documents out (keyed by article id)."""

from __future__ import annotations

from collections.abc import Sequence

from monitor.bus.base import ENRICHED, Record
from monitor.index.base import Index, Rejected
from monitor.models import EnrichedArticle
from pipelines.runner import Done, Poison


class IndexStage:
    name = "index"
    topic = ENRICHED

    def __init__(self, index: Index) -> None:
        self.index = index

    def handle(self, record: Record) -> EnrichedArticle:
        return EnrichedArticle.from_json(record.value)

    def write(self, items: Sequence[EnrichedArticle]) -> list[Done | Poison]:
        # The same article twice in one batch: the later version wins, once.
        latest = {doc.id: doc for doc in items}
        outcomes = dict(zip(latest, self.index.upsert_many(list(latest.values())), strict=True))
        results: list[Done | Poison] = []
        seen: set[str] = set()
        for doc in items:
            outcome = outcomes[doc.id]
            if isinstance(outcome, Rejected):
                results.append(Poison(outcome.reason))
            elif doc.id in seen or outcome == "unchanged":
                results.append(Done(outcome="duplicate"))
            else:
                results.append(Done())
            seen.add(doc.id)
        return results
