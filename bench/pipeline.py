"""Embedded pipeline benchmark: generated articles through the SQLite bus, extract and index.

Prints two figures from one run:
  throughput  10,000 articles produced at once, time until the last is searchable;
  latency     articles produced at a steady rate, time from produce to searchable (p50/p95);
and the peak resident memory of the process.

    .venv/bin/python bench/pipeline.py [--articles 10000] [--rate 200] [--latency-articles 2000]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loguru import logger

from bench.generate import generate_articles
from monitor.bus.base import RAW
from monitor.settings import load_settings
from monitor.wiring import open_bus, open_index
from pipelines.app import Pipeline


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--latency-articles", type=int, default=2_000)
    ap.add_argument("--rate", type=float, default=200.0, help="articles/s in the latency phase")
    args = ap.parse_args()
    logger.remove()
    logger.add(sys.stderr, level="WARNING")

    data = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    settings = load_settings(data_dir=data)
    bus, index = open_bus(settings), open_index(settings)
    produced: dict[str, float] = {}
    latencies: list[float] = []
    indexed = threading.Event()
    target = {"n": 0}
    lock = threading.Lock()

    def on_index_batch(records, results) -> None:  # type: ignore[no-untyped-def]
        now = time.perf_counter()
        with lock:
            for record in records:
                t0 = produced.pop(record.key, None)
                if t0 is not None:
                    latencies.append(now - t0)
            if len(latencies) >= target["n"]:
                indexed.set()

    pipeline = Pipeline(settings, bus, index, poll=False, on_batch={"index": on_index_batch})
    pipeline.start()
    producer = bus.producer()

    # -- throughput ---------------------------------------------------------------------
    articles = generate_articles(args.articles, seed=1)
    target["n"] = len(articles)
    started = time.perf_counter()
    for i, article in enumerate(articles):
        produced[article.id] = time.perf_counter()
        producer.produce(RAW, article.to_json(), article.id)
        if i % 500 == 499:
            producer.flush()
    producer.flush()
    indexed.wait(600)
    elapsed = time.perf_counter() - started
    throughput = len(articles) / elapsed
    backlog_p95 = percentile(latencies, 95)

    # -- latency at a steady rate -------------------------------------------------------
    with lock:
        latencies.clear()
        indexed.clear()
    steady = generate_articles(args.latency_articles, seed=2)
    target["n"] = len(steady)
    interval = 1.0 / args.rate
    next_at = time.perf_counter()
    for article in steady:
        now = time.perf_counter()
        if now < next_at:
            time.sleep(next_at - now)
        next_at += interval
        produced[article.id] = time.perf_counter()
        producer.produce(RAW, article.to_json(), article.id)
        producer.flush()
    indexed.wait(600)
    pipeline.stop()
    pipeline.close()
    count = index.count()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"articles indexed          {count:,} (expected {len(articles) + len(steady):,})")
    print(
        f"throughput                {throughput:,.0f} articles/s "
        f"({len(articles):,} in {elapsed:.1f} s, all produced at once)"
    )
    print(f"  backlog wait p95        {backlog_p95:.2f} s (queueing behind the burst)")
    print(
        f"latency at {args.rate:.0f}/s         p50 {percentile(latencies, 50) * 1000:.0f} ms"
        f"   p95 {percentile(latencies, 95) * 1000:.0f} ms   max {max(latencies) * 1000:.0f} ms"
        f"   ({len(latencies):,} articles, produce -> searchable)"
    )
    print(f"peak memory               {peak_mb:.0f} MB resident")
    target_ok = throughput >= 500 and percentile(latencies, 95) < 2.0
    print(f"target (>= 500/s, p95 < 2 s): {'met' if target_ok else 'NOT met'}")


if __name__ == "__main__":
    main()
