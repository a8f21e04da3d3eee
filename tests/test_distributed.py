"""The distributed deployment end to end: each stage its own `monitor stage` process, on a
real Kafka-protocol broker (Tansu) and an Elasticsearch-compatible server (osmem-server).
A killed extractor, and a link to the index or the broker cut for 10 s, lose nothing and
index nothing twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.index.base import SearchRequest
from monitor.index.elasticsearch import ElasticsearchIndex
from monitor.settings import ElasticsearchSettings
from tests.conftest import CORPUS, ROOT
from tests.support.osmem import Osmem, running_osmem
from tests.support.proxy import proxied
from tests.support.tansu import Tansu, free_port, tansu_broker

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def osmem(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Osmem]:
    with running_osmem(tmp_path_factory.mktemp("osmem")) as server:
        yield server


@pytest.fixture
def tansu(tmp_path: Path) -> Iterator[Tansu]:
    with tansu_broker(tmp_path / "tansu") as broker:
        yield broker


class Deployment:
    """`monitor stage` processes sharing one environment, with their logs kept for failures."""

    def __init__(self, tmp: Path, bootstrap: str, es_url: str) -> None:
        self.tmp = tmp
        self.prefix = f"t{uuid.uuid4().hex[:8]}"
        self.es_url = es_url
        self.env = {
            **os.environ,
            "MONITOR_DATA_DIR": str(tmp / "data"),
            "MONITOR_BUS": "kafka",
            "MONITOR_KAFKA__BOOTSTRAP": bootstrap,
            "MONITOR_KAFKA__PARTITIONS": "4",
            "MONITOR_KAFKA__SESSION_TIMEOUT_MS": "2000",
            "MONITOR_KAFKA__HEARTBEAT_INTERVAL_MS": "300",
            "MONITOR_KAFKA__MAX_POLL_INTERVAL_MS": "4000",
            "MONITOR_KAFKA__REQUEST_TIMEOUT_MS": "5000",
            "MONITOR_INDEX": "elasticsearch",
            "MONITOR_ELASTICSEARCH__URL": es_url,
            "MONITOR_ELASTICSEARCH__INDEX_PREFIX": self.prefix,
            "MONITOR_METRICS__PORT": "0",
            "MONITOR_PIPELINE__BATCH_SIZE": "50",
        }
        self.processes: list[tuple[str, subprocess.Popen[bytes], Path]] = []

    def start(self, stage: str, **env: str) -> subprocess.Popen[bytes]:
        log = self.tmp / f"{stage}-{len(self.processes)}.log"
        with log.open("wb") as out:  # the child keeps its own copy of the descriptor
            process = subprocess.Popen(
                [sys.executable, "-m", "monitor.cli", "stage", stage],
                cwd=ROOT,
                env={**self.env, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.processes.append((stage, process, log))
        return process

    def ingest(self, *paths: Path) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "monitor.cli", "ingest", *map(str, paths)],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert "the running stages index them" in done.stdout

    def index(self) -> ElasticsearchIndex:
        return ElasticsearchIndex(ElasticsearchSettings(url=self.es_url, index_prefix=self.prefix))

    def wait_for(self, count: int, timeout: float = 120) -> int:
        index = self.index()
        deadline = time.monotonic() + timeout
        seen = index.count()
        while seen < count and time.monotonic() < deadline:
            time.sleep(0.5)
            seen = index.count()
        index.close()
        return seen

    def logs(self) -> str:
        return "\n".join(
            f"--- {name} ({log.name})\n{log.read_text(errors='replace')[-3000:]}"
            for name, _, log in self.processes
        )

    def stop(self) -> None:
        for _, process, _ in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for _, process, _ in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def articles_file(tmp: Path, count: int, tag: str) -> Path:
    path = tmp / f"{tag}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            out.write(
                json.dumps(
                    {
                        "url": f"https://example.org/{tag}/{n}",
                        "title": f"Report {tag} {n}",
                        "body": f"Police in district {tag}{n} arrested {n + 3} suspects of fraud.",
                    }
                )
                + "\n"
            )
    return path


def assert_each_once(deployment: Deployment, expected: int, tags: list[str]) -> None:
    index = deployment.index()
    try:
        assert index.count() == expected
        for tag in tags:  # one sample of each batch of articles is there exactly once
            found = index.search(SearchRequest(query=f'"district {tag}7"', size=5))
            assert found.total == 1, f"district {tag}7 found {found.total} times"
    finally:
        index.close()


def test_killed_extractor_loses_and_duplicates_nothing(
    tmp_path: Path, tansu: Tansu, osmem: Osmem
) -> None:
    deployment = Deployment(tmp_path, tansu.bootstrap, osmem.url)
    corpus = sorted(CORPUS.glob("*.txt"))
    bulk = articles_file(tmp_path, 1500, "a")
    try:
        deployment.start("index")
        extractor = deployment.start("extract")
        deployment.ingest(*corpus, bulk)
        expected = len(corpus) + 1500
        assert deployment.wait_for(150) >= 150, deployment.logs()
        extractor.send_signal(signal.SIGKILL)
        extractor.wait()
        deployment.start("extract")
        assert deployment.wait_for(expected) == expected, deployment.logs()
        time.sleep(2)  # anything redelivered late would show up now
        assert_each_once(deployment, expected, ["a"])
        index = deployment.index()
        found = index.search(SearchRequest(query='"naked chat"'))
        index.close()
        assert found.total >= 1
    finally:
        deployment.stop()


def test_index_cut_off_from_elasticsearch_for_10s_catches_up(
    tmp_path: Path, tansu: Tansu, osmem: Osmem
) -> None:
    host, port = osmem.url.removeprefix("http://").split(":")
    with proxied(host, int(port)) as link:
        deployment = Deployment(tmp_path, tansu.bootstrap, osmem.url)
        try:
            deployment.start("extract")
            deployment.start("index", MONITOR_ELASTICSEARCH__URL=f"http://127.0.0.1:{link.port}")
            deployment.ingest(articles_file(tmp_path, 400, "b"))
            assert deployment.wait_for(50) >= 50, deployment.logs()
            link.cut()
            deployment.ingest(articles_file(tmp_path, 400, "c"))
            time.sleep(10)
            probe = deployment.index()
            during = probe.count()
            probe.close()
            link.restore()
            assert deployment.wait_for(800) == 800, deployment.logs()
            assert during < 800
            assert_each_once(deployment, 800, ["b", "c"])
            assert "holding the batch" in deployment.logs()
        finally:
            deployment.stop()


def test_stages_cut_off_from_the_broker_for_10s_catch_up(tmp_path: Path, osmem: Osmem) -> None:
    port = free_port()
    with (
        proxied("127.0.0.1", port) as link,
        tansu_broker(tmp_path / "tansu", port=port, advertised_port=link.port) as broker,
    ):
        deployment = Deployment(tmp_path, f"127.0.0.1:{link.port}", osmem.url)
        assert broker.port == port
        try:
            deployment.start("index")
            deployment.start("extract")
            deployment.ingest(articles_file(tmp_path, 1500, "d"))
            assert deployment.wait_for(50) >= 50, deployment.logs()
            link.cut()  # in the middle of the flow: batches in hand, produces and commits fail
            probe = deployment.index()
            during = probe.count()
            time.sleep(10)
            assert probe.count() - during < 200  # nothing flows while the broker is away
            probe.close()
            link.restore()
            deployment.ingest(articles_file(tmp_path, 400, "e"))
            assert deployment.wait_for(1900) == 1900, deployment.logs()
            time.sleep(2)
            assert_each_once(deployment, 1900, ["d", "e"])
        finally:
            deployment.stop()


def test_a_handful_of_articles_after_an_idle_start_are_indexed_within_a_minute(
    tmp_path: Path, tansu: Tansu, osmem: Osmem
) -> None:
    """Stages that sat idle while joining their groups (the lag report runs every few
    seconds when idle) still take the first articles: they once held no partitions for
    minutes, and five articles were never indexed."""
    deployment = Deployment(tmp_path, tansu.bootstrap, osmem.url)
    for timing in ("SESSION_TIMEOUT_MS", "HEARTBEAT_INTERVAL_MS", "MAX_POLL_INTERVAL_MS"):
        del deployment.env[f"MONITOR_KAFKA__{timing}"]  # a real deployment's group timing
    corpus = sorted(CORPUS.glob("*.txt"))
    try:
        deployment.start("extract")
        deployment.start("index")
        time.sleep(15)
        started = time.monotonic()
        deployment.ingest(*corpus)
        assert deployment.wait_for(len(corpus), timeout=60) == len(corpus), deployment.logs()
        assert time.monotonic() - started < 60
        assert "holds announcements.raw partitions" in deployment.logs()
    finally:
        deployment.stop()
