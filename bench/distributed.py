"""Distributed deployment benchmark: end-to-end articles per second with one and with two
`monitor stage extract` processes, on Tansu (Kafka protocol) and osmem-server (Elasticsearch
protocol) started on loopback, in the same run, and the ratio.

    .venv/bin/python bench/distributed.py [--articles 6000]

The articles are produced before the stages start; the clock runs from the first article
searchable to the last, so process start-up and the group join are not counted.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate_articles  # noqa: E402
from monitor.bus.base import RAW  # noqa: E402
from monitor.bus.kafka import KafkaBus  # noqa: E402
from monitor.index.elasticsearch import ElasticsearchIndex  # noqa: E402
from monitor.settings import ElasticsearchSettings  # noqa: E402
from tests.support.osmem import running_osmem  # noqa: E402
from tests.support.tansu import tansu_broker  # noqa: E402

_HOLDS = re.compile(r"group extract holds announcements\.raw partitions \[([0-9, ]*)\]")


def wait_for_shares(logs: list[Path], partitions: int = 4, timeout: float = 60) -> None:
    """Until the extractors' latest assignments cover every partition, each holding some."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        held = []
        for log in logs:
            found = _HOLDS.findall(log.read_text(errors="replace")) if log.exists() else []
            held.append({int(p) for p in found[-1].split(",") if p.strip()} if found else set())
        if all(held) and len(set().union(*held)) == partitions:
            time.sleep(1)  # a last rebalance may still be on its way
            return
        time.sleep(0.2)
    raise RuntimeError(f"the extractors did not share the partitions: {held}")


def run(extractors: int, articles: int, tmp: Path, es_url: str, *, end_to_end: bool) -> float:
    """Articles per second: to searchable (end to end), or through extraction alone (the
    index stage not running, the clock read from the extract group's lag)."""
    prefix = f"bench{extractors}x{time.monotonic_ns() % 10**6}"
    with tansu_broker(tmp / f"tansu-{extractors}") as broker:
        bus = KafkaBus(broker.bootstrap, partitions=4)  # creates the topics
        env = {
            **os.environ,
            "MONITOR_DATA_DIR": str(tmp / prefix),
            "MONITOR_BUS": "kafka",
            "MONITOR_KAFKA__BOOTSTRAP": broker.bootstrap,
            "MONITOR_KAFKA__PARTITIONS": "4",
            "MONITOR_KAFKA__SESSION_TIMEOUT_MS": "3000",
            "MONITOR_KAFKA__HEARTBEAT_INTERVAL_MS": "500",
            "MONITOR_KAFKA__MAX_POLL_INTERVAL_MS": "10000",
            "MONITOR_INDEX": "elasticsearch",
            "MONITOR_ELASTICSEARCH__URL": es_url,
            "MONITOR_ELASTICSEARCH__INDEX_PREFIX": prefix,
            "MONITOR_METRICS__PORT": "0",
            "MONITOR_LOG__LEVEL": "INFO",
        }
        stages = (["index"] if end_to_end else []) + ["extract"] * extractors
        logs = [tmp / f"{prefix}-{n}-{name}.log" for n, name in enumerate(stages)]
        processes = []
        for name, log in zip(stages, logs, strict=True):
            with log.open("wb") as out:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "monitor.cli", "stage", name],
                        cwd=ROOT,
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
        # The articles go in once every extractor holds its share of the partitions, so
        # the figures measure the work, not the group's joins and rebalances.
        wait_for_shares([log for log, name in zip(logs, stages, strict=True) if name == "extract"])
        producer = bus.producer()
        for article in generate_articles(articles, seed=extractors):
            producer.produce(RAW, article.to_json(), article.id)
        producer.flush()
        bus.close()
        index = ElasticsearchIndex(ElasticsearchSettings(url=es_url, index_prefix=prefix))
        watcher = KafkaBus(broker.bootstrap, partitions=4)
        lag = watcher.consumer(RAW, "extract")  # never polls, so it joins nothing

        def done() -> int:
            if end_to_end:
                return index.count()
            return articles - sum(lag.lag().values())

        try:
            first = None
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                count = done()
                if count and first is None:
                    first = (time.perf_counter(), count)
                if count >= articles:
                    break
                time.sleep(0.2)
            assert first is not None
            elapsed = time.perf_counter() - first[0]
            return (articles - first[1]) / elapsed
        finally:
            index.close()
            lag.close()
            watcher.close()
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=6000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-distributed-"))
    figures = {}
    with running_osmem(tmp / "osmem") as osmem:
        for end_to_end in (False, True):
            for n in (1, 2):
                figures[n, end_to_end] = run(
                    n, args.articles, tmp, osmem.url, end_to_end=end_to_end
                )
    print(
        f"articles            {args.articles:,} per run (Tansu, osmem-server, 4 partitions, "
        f"{os.cpu_count()} cores for every process)"
    )
    for end_to_end, what in ((False, "extraction alone"), (True, "end to end")):
        one, two = figures[1, end_to_end], figures[2, end_to_end]
        print(
            f"{what:<19} one extractor {one:,.0f}/s   two extractors {two:,.0f}/s   "
            f"ratio {two / one:.2f}"
        )
    print("target: two extractors >= 1.6 x one when extraction is the bottleneck")


if __name__ == "__main__":
    main()
