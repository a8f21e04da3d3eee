"""What the alert stage's look at the saved searches costs: `revision()` once per batch, and
reading every saved search into alert rules, which happens only after one changed.

    .venv/bin/python bench/saved_searches.py [--searches 200]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from monitor.saved.base import SavedSearchDraft, SavedSearches
from monitor.saved.elasticsearch import ElasticsearchSavedSearches
from monitor.saved.sqlite import SqliteSavedSearches
from monitor.settings import ElasticsearchSettings
from tests.support.osmem import running_osmem


def measure(store: SavedSearches, label: str, searches: int) -> None:
    for i in range(searches):
        draft = SavedSearchDraft(
            name=f"search {i}",
            q=f"fraud OR scam{i}",
            filters={"region": ("Jiangsu",)},
            email={"to": f"reader{i}@example.org"},  # type: ignore[arg-type]
        )
        store.create(draft, time.time())
    runs = 500
    started = time.perf_counter()
    for _ in range(runs):
        store.revision()
    revision = (time.perf_counter() - started) / runs
    started = time.perf_counter()
    for _ in range(20):
        [s.rule() for s in store.list()]
    reading = (time.perf_counter() - started) / 20
    print(
        f"{label}: revision() {revision * 1e6:,.0f} µs per batch; {searches} saved searches"
        f" read into rules in {reading * 1e3:,.1f} ms (after a change only)"
    )
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--searches", type=int, default=200)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="saved-bench-"))
    measure(SqliteSavedSearches(folder / "saved.db"), "SQLite", args.searches)
    with running_osmem(folder / "osmem") as server:
        es = ElasticsearchSettings(url=server.url, index_prefix="bench")
        measure(ElasticsearchSavedSearches(es), "Elasticsearch (osmem-server)", args.searches)


if __name__ == "__main__":
    main()
