"""Search latency benchmark: generated announcements (run through the real extractor) loaded into
each index backend, then typical searches with facets and histogram, p50/p95 per backend.

    .venv/bin/python bench/search.py [--articles 100000] [--osmem-articles 20000] [--runs 15]
    .venv/bin/python bench/search.py --articles 1000000 --db /tmp/bench-1m/index.db

The enriched articles are cached in the temp folder (keyed by count, seed and extractor
version; any version serves when this one has none), so a second run skips the extraction;
past `--extracted` they repeat under new ids and dates. `--db` keeps the built embedded index
and reuses it. The web app then runs in a process of its own over that file (as `monitor
web`): its first request of each shape, p50/p95 of GET /api/search and its resident memory.
In the benchmark's process, each shape runs once first in a freshly opened index (capped),
then `--runs` rounds of index.search and of the API's search; `--explain` shows the slowest
shape's SQL statements with their plans, and its profile. Targets: p95 < 50 ms in the index
(100,000 and 1,000,000 articles), < 80 ms through the API, first searches < 1 s, web process
< 2 GB resident. In a million articles "fraud", "police" and both together are each in more
than half: their relevance searches list the hits by date (see monitor/index/ranking.py).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import json
import multiprocessing
import os
import pstats
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loguru import logger

from bench.generate import generate_articles, iter_generated
from monitor.campaign_names import CampaignNames
from monitor.errors import TransientError
from monitor.extract import Extractor
from monitor.index.base import Index, SearchRequest
from monitor.index.elasticsearch import ElasticsearchIndex
from monitor.index.embedded import EmbeddedIndex
from monitor.models import Article, EnrichedArticle, article_id
from monitor.settings import ElasticsearchSettings
from monitor.web import service

SEED = 7
# What analysts type: words, phrases, Chinese, fields, operators, filters, dates, paging.
QUERIES: list[tuple[str, SearchRequest]] = [
    ("everything", SearchRequest()),
    ("word", SearchRequest(query="fraud")),
    ("common word", SearchRequest(query="police")),
    ("common words", SearchRequest(query="fraud police")),
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


#: Articles run through the extractor; a longer run repeats them under new ids, addresses and
#: dates (the generator draws from a few templates, so more would be more of the same)
EXTRACTED = 300_000


def _cache(count: int, version: str) -> Path | None:
    """A cached extraction of at least `count` articles (a longer one starts with the same):
    of this extractor version, else of any (the index does not care which found the figures)."""
    found = []
    for path in Path(tempfile.gettempdir()).glob(f"bench-search-*-{SEED}-*.jsonl"):
        n = int(path.name.split("-")[2])
        if n >= count:
            found.append((not path.name.endswith(f"-{version}.jsonl"), n, path))
    return min(found)[2] if found else None


def enriched_lines(count: int, at_most: int = EXTRACTED) -> Iterator[str]:
    """`count` generated articles with their extraction, as JSON lines, from the cache when it
    has them; streamed (a million articles held as models would take many gigabytes). Past
    `at_most`, the extracted ones again under new ids, addresses and hours."""
    version = Extractor().extract(generate_articles(1, SEED)[0]).extractor_version
    extracted = min(count, at_most)
    cache = _cache(extracted, version)
    if cache is None:
        cache = Path(tempfile.gettempdir()) / f"bench-search-{extracted}-{SEED}-{version}.jsonl"
        started = time.perf_counter()
        partial = cache.with_suffix(".partial")
        with multiprocessing.Pool() as pool, partial.open("w", encoding="utf-8") as out:
            articles = iter_generated(extracted, SEED)
            # a slice at a time: Pool.imap would queue every article at once
            while chunk := list(itertools.islice(articles, 20_000)):
                out.writelines(line + "\n" for line in pool.map(_enrich, chunk, chunksize=500))
        partial.rename(cache)
        print(
            f"extracted {extracted:,} articles in {time.perf_counter() - started:.0f} s "
            f"(cached in {cache})"
        )
    n = 0
    while n < count:
        with cache.open(encoding="utf-8") as lines:
            for line in itertools.islice(lines, min(extracted, count - n)):
                yield line if n < extracted else _copy(line, n)
                n += 1


def _copy(line: str, n: int) -> str:
    """An extracted article as the generator's `n`th: its id, address and hour."""
    doc = json.loads(line)
    lang = doc["lang"]
    doc["url"] = url = f"https://bench.example/{lang}/{SEED}/{n}"
    doc["id"], doc["guid"] = article_id(url), str(n)
    doc["published_at"] = _iso(datetime(2021, 1, 1, tzinfo=UTC) + timedelta(hours=n))
    return json.dumps(doc, ensure_ascii=False)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def load(index: Index, lines: Iterable[str], batch: int = 2000) -> tuple[int, float]:
    """Articles written and seconds taken (parsing included: what a replay does)."""
    started, count, docs = time.perf_counter(), 0, []
    for line in lines:
        docs.append(EnrichedArticle.from_json(line))
        if len(docs) == batch:
            index.upsert_many(docs)
            count, docs = count + len(docs), []
    if docs:
        index.upsert_many(docs)
        count += len(docs)
    return count, time.perf_counter() - started


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def measure(index: Index, runs: int, *, web: bool = False) -> dict[str, list[float]]:
    """Milliseconds per query shape; `web` adds what the API adds (facets kept clickable,
    campaign names in the query read with the registry, the issuing-level facet)."""
    names = CampaignNames.load()

    def via_api(request: SearchRequest) -> object:
        return service.search(index, request, names)

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


def built(path: Path | None, count: int, at_most: int) -> tuple[EmbeddedIndex, str]:
    """The embedded index of `count` articles at `path` (kept, and reused when it already
    holds them), or in a new temp folder; and what loading it took."""
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="bench-search-")) / "index.db"
    if path.exists():
        index = EmbeddedIndex(path)
        if index.count() == count:
            return index, f"reused {path} ({count:,} articles)"
        index.close()
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()
    index = EmbeddedIndex(path)
    loaded, took = load(index, enriched_lines(count, at_most))
    return index, (
        f"loaded {loaded:,} articles into the embedded index in {took:.0f} s"
        f" ({loaded / took:,.0f} articles/s) at {path}"
    )


def _params(request: SearchRequest) -> dict[str, object]:
    """The API's query parameters for a request (what the search page sends)."""
    params: dict[str, object] = {"q": request.query, "sort": request.sort, "page": request.page}
    params.update({field: list(values) for field, values in request.filters.items()})
    if request.date_from:
        params["date_from"] = request.date_from.date().isoformat()
    if request.date_to:
        params["date_to"] = request.date_to.date().isoformat()
    return params


def _memory(pid: int) -> tuple[float, float]:
    """Resident and peak resident MB of a process, from /proc."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def over_http(path: Path, count: int, runs: int, verbose: bool, cap: float) -> None:
    """The web app in a process of its own over the index file (as `monitor web` serves it):
    its start, each shape's first search, p50/p95 of `/api/search`, and its resident memory."""
    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("_search_web.py")), str(path), str(port)]
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=cap) as client:
            while True:
                try:
                    client.get("/healthz")
                    break
                except httpx.TransportError:
                    if server.poll() is not None or time.perf_counter() - started > 120:
                        raise SystemExit("the web app did not start") from None
                    time.sleep(0.05)
            print(f"web process: answering {time.perf_counter() - started:.1f} s after its start")
            first: dict[str, float] = {}
            for name, request in QUERIES:
                t = time.perf_counter()
                client.get("/api/search", params=_params(request)).raise_for_status()  # type: ignore[arg-type]
                first[name] = (time.perf_counter() - t) * 1000
            print(
                f"web process, first request of each shape: median "
                f"{statistics.median(first.values()):.0f} ms, slowest {max(first.values()):.0f} ms"
                f" ({max(first, key=first.__getitem__)})"
            )
            if verbose:
                for name, ms in first.items():
                    print(f"    {name:<22} {ms:7.1f} ms")
            times: dict[str, list[float]] = {name: [] for name, _ in QUERIES}
            for _ in range(runs):
                for name, request in QUERIES:
                    t = time.perf_counter()
                    client.get("/api/search", params=_params(request)).raise_for_status()  # type: ignore[arg-type]
                    times[name].append((time.perf_counter() - t) * 1000)
            report("web process, GET /api/search", count, times, verbose)
            rss, peak = _memory(server.pid)
            print(f"web process resident memory: {rss:,.0f} MB now, {peak:,.0f} MB at most")
    finally:
        server.terminate()
        server.wait(timeout=30)


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
    ap.add_argument(
        "--db",
        type=Path,
        help="the embedded index file: kept after the run, and reused by a run of as many"
        " articles (a million take minutes to load)",
    )
    ap.add_argument(
        "--extracted",
        type=int,
        default=EXTRACTED,
        help="articles run through the extractor; more are these again under new ids and dates",
    )
    ap.add_argument(
        "--no-web", action="store_true", help="skip the web app in a process of its own"
    )
    args = ap.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress as it goes
    logger.remove()
    logger.add(sys.stderr, level="WARNING")

    embedded, how = built(args.db, args.articles, args.extracted)
    print(how)
    if not args.no_web:
        over_http(embedded.path, args.articles, args.runs, args.verbose, args.cap)
    embedded.close()
    opened = time.perf_counter()
    embedded = EmbeddedIndex(embedded.path)
    took = 1000 * (time.perf_counter() - opened)
    first = once_capped(embedded, args.cap)
    done = [ms for ms in first.values() if ms is not None]
    print(
        f"embedded, first run of each shape (in an index opened in {took:.0f} ms): median"
        f" {statistics.median(done):.0f} ms, slowest {max(done):.0f} ms; "
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
    rss, peak = _memory(os.getpid())
    print(f"benchmark process resident memory: {rss:,.0f} MB now, {peak:,.0f} MB at most")
    print(
        f"target (embedded p95 < 50 ms at 100,000): {'met' if p95 < 50 else 'NOT met'}"
        + ("" if args.articles >= 100_000 else f" (ran at {args.articles:,})")
    )

    if args.osmem_articles:
        with osmem_index() as es:
            count, took = load(es, enriched_lines(args.osmem_articles), batch=500)
            print(f"loaded {count:,} articles into osmem-server in {took:.0f} s")
            report(
                "osmem-server index.search",
                args.osmem_articles,
                measure(es, args.runs, web=False),
                args.verbose,
            )


if __name__ == "__main__":
    main()
