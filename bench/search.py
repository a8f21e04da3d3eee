"""Search latency benchmark: generated announcements (run through the real extractor) loaded into
each index backend, then typical searches with facets and histogram, p50/p95 per backend.

    .venv/bin/python bench/search.py [--articles 100000] [--osmem-articles 20000] [--runs 15]

The enriched articles are cached in the temp folder (keyed by count, seed and extractor
version), so a second run skips the extraction. The target is p95 < 50 ms on the embedded
index at 100,000 articles. Each shape runs once first (capped, nothing cached), then `--runs`
rounds; `--explain` shows the slowest shape's SQL statements with their plans, and its profile.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import multiprocessing
import pstats
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loguru import logger

from bench.generate import generate_articles
from monitor.errors import TransientError
from monitor.extract import Extractor
from monitor.index.base import Index, SearchRequest
from monitor.index.elasticsearch import ElasticsearchIndex
from monitor.index.embedded import EmbeddedIndex
from monitor.models import Article, EnrichedArticle
from monitor.settings import ElasticsearchSettings
from monitor.web import service
from monitor.web.campaign_names import CampaignNames
from monitor.web.source_names import SourceNames

SEED = 7
# What analysts type: words, phrases, Chinese, fields, operators, filters, dates, paging.
QUERIES: list[tuple[str, SearchRequest]] = [
    ("everything", SearchRequest()),
    ("word", SearchRequest(query="fraud")),
    ("common word", SearchRequest(query="police")),
    ("phrase", SearchRequest(query='"naked chat extortion"')),
    ("chinese", SearchRequest(query="诈骗")),
    ("chinese campaign", SearchRequest(query="净网")),
    ("campaign name", SearchRequest(query="净网2021")),
    ("field", SearchRequest(query='campaign:"Blue Sword"')),
    ("and/not", SearchRequest(query="gangs AND accounts NOT loans")),
    ("or", SearchRequest(query="Jiangsu OR Zhejiang")),
    ("filter", SearchRequest(filters={"campaign": ("Blue Sword",)})),
    (
        "word + filters",
        SearchRequest(query="arrested", filters={"region": ("Jiangsu",), "lang": ("en",)}),
    ),
    (
        "date range",
        SearchRequest(
            query="fraud",
            date_from=datetime(2022, 1, 1, tzinfo=UTC),
            date_to=datetime(2022, 6, 30, tzinfo=UTC),
        ),
    ),
    ("by date, page 5", SearchRequest(query="police", sort="date", page=5)),
]

_extractor: Extractor | None = None


def _enrich(article: Article) -> str:
    global _extractor
    if _extractor is None:
        _extractor = Extractor()
    return EnrichedArticle.of(article, _extractor.extract(article)).model_dump_json()


def enriched(count: int) -> list[EnrichedArticle]:
    """`count` generated articles with their extraction, from the cache when it has them."""
    version = Extractor().extract(generate_articles(1, SEED)[0]).extractor_version
    cache = Path(tempfile.gettempdir()) / f"bench-search-{count}-{SEED}-{version}.jsonl"
    if not cache.exists():
        started = time.perf_counter()
        with multiprocessing.Pool() as pool:
            lines = pool.map(_enrich, generate_articles(count, SEED), chunksize=500)
        partial = cache.with_suffix(".partial")
        partial.write_text("\n".join(lines), encoding="utf-8")
        partial.rename(cache)
        print(
            f"extracted {count:,} articles in {time.perf_counter() - started:.0f} s "
            f"(cached in {cache})"
        )
    return [
        EnrichedArticle.from_json(line) for line in cache.read_text(encoding="utf-8").splitlines()
    ]


def load(index: Index, docs: list[EnrichedArticle], batch: int = 1000) -> float:
    started = time.perf_counter()
    for i in range(0, len(docs), batch):
        index.upsert_many(docs[i : i + batch])
    return time.perf_counter() - started


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def measure(index: Index, runs: int, *, web: bool = False) -> dict[str, list[float]]:
    """Milliseconds per query shape; `web` adds what the API adds (facets kept clickable,
    campaign names in the query read with the registry, the issuing-level facet)."""
    names = CampaignNames.load()
    sources = SourceNames(Path(__file__).resolve().parent.parent / "config" / "feeds.toml")

    def via_api(request: SearchRequest) -> object:
        return service.search(index, request, names, sources)

    search = via_api if web else index.search
    for _, request in QUERIES:  # warm caches
        search(request)
    times: dict[str, list[float]] = {name: [] for name, _ in QUERIES}
    for _ in range(runs):
        for name, request in QUERIES:
            started = time.perf_counter()
            search(request)
            times[name].append((time.perf_counter() - started) * 1000)
    return times


def once_capped(index: EmbeddedIndex, cap_s: float) -> dict[str, float | None]:
    """One run of each shape, given up after `cap_s` (None), so a pathological plan cannot hang
    the benchmark."""
    conn = index._conn()
    times: dict[str, float | None] = {}
    for name, request in QUERIES:
        deadline = time.perf_counter() + cap_s
        conn.set_progress_handler(lambda d=deadline: int(time.perf_counter() > d), 10_000)
        started = time.perf_counter()
        try:
            index.search(request)
            times[name] = (time.perf_counter() - started) * 1000
        except TransientError:  # sqlite3 "interrupted", translated by the index
            times[name] = None
        finally:
            conn.set_progress_handler(None, 0)
    return times


def report(label: str, count: int, times: dict[str, list[float]], verbose: bool) -> float:
    every = [t for ts in times.values() for t in ts]
    p95 = percentile(every, 95)
    print(
        f"{label:<38} {count:>7,} articles   p50 {percentile(every, 50):7.1f} ms"
        f"   p95 {p95:7.1f} ms"
    )
    if verbose:
        for name, ts in times.items():
            print(
                f"    {name:<22} p50 {percentile(ts, 50):7.1f} ms"
                f"   p95 {percentile(ts, 95):7.1f} ms"
            )
    return p95


def explain(index: EmbeddedIndex, request: SearchRequest) -> None:
    """Where one search's time goes: each SQL statement the index runs, with its plan and time,
    then the Python functions that took longest."""
    conn = index._conn()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        index.search(request)
    finally:
        conn.set_trace_callback(None)
    print(f"  {len(statements)} statements for q={request.query!r} filters={request.filters}:")
    for sql in dict.fromkeys(statements):
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        started = time.perf_counter()
        try:
            rows = len(conn.execute(sql).fetchall())
        except sqlite3.Error as exc:  # a statement with unbound parameters cannot be replayed
            print(f"      (not replayed: {exc}) {sql[:100]}")
            continue
        took = (time.perf_counter() - started) * 1000
        plan = " / ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql))
        print(f"      {took:8.1f} ms {rows:>7,} rows  {sql[:90]}")
        print(f"                plan: {plan}")
    profile = cProfile.Profile()
    profile.runcall(index.search, request)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(8)
    print("  slowest functions (tottime):")
    for line in out.getvalue().splitlines():
        if line.strip() and line.lstrip()[0].isdigit():
            print("      " + line.strip()[:150])


@contextmanager
def osmem_index() -> Iterator[ElasticsearchIndex]:
    from tests.support.osmem import running_osmem  # the test suite's way of starting one

    with running_osmem(Path(tempfile.mkdtemp(prefix="bench-osmem-"))) as server:
        index = ElasticsearchIndex(ElasticsearchSettings(url=server.url, index_prefix="bench"))
        try:
            yield index
        finally:
            index.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument(
        "--osmem-articles",
        type=int,
        default=20_000,
        help="articles loaded into osmem-server (0 skips it)",
    )
    ap.add_argument("--runs", type=int, default=15, help="rounds of every query shape")
    ap.add_argument("--verbose", action="store_true", help="p50/p95 per query shape")
    ap.add_argument("--explain", action="store_true", help="SQLite query plans")
    ap.add_argument(
        "--cap",
        type=float,
        default=20.0,
        help="seconds after which a first run of one shape is given up",
    )
    args = ap.parse_args()
    logger.remove()
    logger.add(sys.stderr, level="WARNING")

    docs = enriched(max(args.articles, args.osmem_articles))
    folder = Path(tempfile.mkdtemp(prefix="bench-search-"))
    embedded = EmbeddedIndex(folder / "index.db")
    took = load(embedded, docs[: args.articles])
    print(f"loaded {args.articles:,} articles into the embedded index in {took:.0f} s")
    first = once_capped(embedded, args.cap)
    done = [ms for ms in first.values() if ms is not None]
    print(
        f"embedded, first run of each shape (nothing cached yet): median "
        f"{statistics.median(done):.0f} ms, slowest {max(done):.0f} ms; "
        f"{len(first) - len(done)} stopped after {args.cap:.0f} s"
    )
    if args.verbose:
        for name, ms in first.items():
            shown = f"> {args.cap:.0f} s" if ms is None else f"{ms:7.1f} ms"
            print(f"    {name:<22} {shown}")
    repeated = measure(embedded, args.runs)
    p95 = report("embedded index.search", args.articles, repeated, args.verbose)
    report(
        "embedded, the API's search",
        args.articles,
        measure(embedded, args.runs, web=True),
        args.verbose,
    )
    if args.explain:
        slowest = max(QUERIES, key=lambda q: percentile(repeated[q[0]], 95))
        explain(embedded, slowest[1])
    embedded.close()
    print(
        f"target (embedded p95 < 50 ms at 100,000): {'met' if p95 < 50 else 'NOT met'}"
        + ("" if args.articles >= 100_000 else f" (ran at {args.articles:,})")
    )

    if args.osmem_articles:
        with osmem_index() as es:
            took = load(es, docs[: args.osmem_articles], batch=500)
            print(f"loaded {args.osmem_articles:,} articles into osmem-server in {took:.0f} s")
            report(
                "osmem-server index.search",
                args.osmem_articles,
                measure(es, args.runs, web=False),
                args.verbose,
            )


if __name__ == "__main__":
    main()
