"""Fixtures of the ops tests: a real feed server, a real SMTP server, the embedded bus and index,
settings that point at them, and the ops view over them."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from monitor.bus.base import RAW
from monitor.bus.embedded import EmbeddedBus
from monitor.index.embedded import EmbeddedIndex
from monitor.models import Article
from monitor.ops.view import Ops
from monitor.settings import Settings, load_settings
from tests.alerts.conftest import LocalSmtp
from tests.conftest import ROOT, make_article
from tests.feeds.conftest import item, rss, write_feeds

TO = "operator@example.org"


@pytest.fixture
def smtp() -> Iterator[LocalSmtp]:
    server = LocalSmtp()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def feed_server() -> Iterator[HTTPServer]:
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def serve_feed(server: HTTPServer, path: str = "/feed.xml", n: int = 3) -> str:
    base = server.url_for("/news")
    server.expect_request(path).respond_with_data(
        rss([item(i, base) for i in range(1, n + 1)]), content_type="application/rss+xml"
    )
    return server.url_for(path)


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    def make(sources: list[dict[str, Any]] | None = None, **overrides: Any) -> Settings:
        feeds = write_feeds(tmp_path / "feeds.toml", [dict(s) for s in sources or []])
        return load_settings(
            ROOT / "config" / "monitor.toml",
            data_dir=tmp_path / "data",
            feeds=feeds,
            **overrides,
        )

    return make


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[EmbeddedBus]:
    b = EmbeddedBus(tmp_path / "data" / "bus.db", session_timeout=2)
    yield b
    b.close()


@pytest.fixture
def index(tmp_path: Path) -> Iterator[EmbeddedIndex]:
    ix = EmbeddedIndex(tmp_path / "data" / "index.db")
    yield ix
    ix.close()


@pytest.fixture
def make_ops() -> Iterator[Callable[..., Ops]]:
    made: list[Ops] = []

    def make(settings: Settings, bus: EmbeddedBus | None = None, **options: Any) -> Ops:
        ops = Ops.of(settings, bus, **options)
        made.append(ops)
        return ops

    yield make
    for ops in made:
        ops.close()


def big_article(n: int, size: int = 3000) -> Article:
    """An article whose message is larger than a 1 KiB `pipeline.max_message_bytes`."""
    body = " ".join(f"Police arrested {i} suspects in Jiangsu." for i in range(size // 35))
    return make_article(n, title=f"Long announcement {n}", body=body)


def produce(bus: EmbeddedBus, *articles: Article) -> None:
    producer = bus.producer()
    for a in articles:
        producer.produce(RAW, a.to_json(), a.id)
    producer.close()


@pytest.fixture
def scene(
    feed_server: HTTPServer,
    bus: EmbeddedBus,
    index: EmbeddedIndex,
    make_settings: Callable[..., Settings],
) -> Settings:
    """Two sources polled once for real, one of them not answering; one poison message in the
    dead-letter queue (too big for a 1 KiB limit) and one article indexed."""
    from pipelines.poll import build_poller
    from pipelines.stages import build_runner

    good = serve_feed(feed_server)
    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]
    settings = make_settings(
        [
            {
                "id": "mps-news",
                "name": "Ministry of Public Security",
                "url": good,
                "interval": 600,
                "fulltext": "never",
            },
            {
                "id": "gd-police",
                "name": "Guangdong Public Security Department",
                "url": f"http://127.0.0.1:{dead_port}/rss.xml",
                "interval": 600,
            },
        ],
        pipeline={"max_message_bytes": 1024},
    )
    poller = build_poller(settings, bus.producer())
    poller.poll_all()
    poller.close(timeout=5)
    produce(bus, big_article(1))
    for name in ("extract", "index"):
        runner = build_runner(name, settings, bus, index)
        runner.drain()
        runner.close()
    return settings
