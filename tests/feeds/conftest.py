"""Fixtures for the poll stage: a real embedded bus, feeds.toml writers and feed bytes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from loguru import logger
from pytest_httpserver import HTTPServer

from monitor.bus.base import RAW
from monitor.bus.embedded import EmbeddedBus
from monitor.models import Article
from monitor.settings import load_settings
from pipelines.poll import Poller, build_poller


def rss(
    items: list[dict[str, str]],
    *,
    encoding: str = "utf-8",
    declare: str | None = None,
    channel: str = "",
    title: str = "Test feed",
) -> bytes:
    """RSS 2.0 bytes in `encoding`; the prolog declares `declare` (default: `encoding`)."""
    parts = []
    for it in items:
        fields = "".join(
            f"<{k}>{v}</{k}>"
            if k != "content"
            else f"<content:encoded><![CDATA[{v}]]></content:encoded>"
            for k, v in it.items()
        )
        parts.append(f"<item>{fields}</item>")
    prolog = "" if declare == "" else f'<?xml version="1.0" encoding="{declare or encoding}"?>\n'
    text = (
        f'{prolog}<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">'
        f"<channel><title>{title}</title><link>http://example.org/</link>"
        f"<description>d</description>{channel}{''.join(parts)}</channel></rss>"
    )
    return text.encode(encoding)


def item(n: int, base: str = "http://example.org/news", **extra: str) -> dict[str, str]:
    return {
        "title": f"Announcement {n}",
        "link": f"{base}/{n}.html",
        "guid": f"{base}/{n}.html",
        "pubDate": "Tue, 16 Feb 2021 08:00:00 +0800",
        "description": f"Summary of announcement {n}.",
        "content": f"<p>Full text of announcement {n}, long enough to stand alone.</p>",
        **extra,
    }


def write_feeds(path: Path, sources: list[dict[str, Any]], **poller: Any) -> Path:
    """A feeds.toml with these sources (JSON values are valid TOML scalars)."""
    lines = ["[poller]"]
    opts = {"jitter": 0, "timeout": 5, "fulltext_timeout": 5, **poller}
    lines += [f"{k} = {json.dumps(v)}" for k, v in opts.items()]
    for src in sources:
        lines.append("[[source]]")
        selectors = src.pop("selectors", None)
        src.setdefault("name", src["id"])
        lines += [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in src.items()]
        if selectors:
            lines.append("[source.selectors]")
            lines += [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in selectors.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def threaded_server() -> Iterator[HTTPServer]:
    """A local HTTP server that answers requests in parallel (the default one queues them)."""
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def logged() -> Iterator[list[str]]:
    """Every line the monitor logs during the test (with its traceback, if it has one)."""
    lines: list[str] = []
    sink = logger.add(
        lambda line: lines.append(line.rstrip("\n")), level="DEBUG", format="{level} {message}"
    )
    yield lines
    logger.remove(sink)


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[EmbeddedBus]:
    b = EmbeddedBus(tmp_path / "bus.db")
    yield b
    b.close()


def produced(bus: EmbeddedBus) -> list[Article]:
    return [Article.from_json(r.value) for r in bus.read(RAW, limit=100_000)]


@pytest.fixture
def make_poller(tmp_path: Path, bus: EmbeddedBus) -> Iterator[Callable[..., Poller]]:
    made: list[Poller] = []

    def make(sources: list[dict[str, Any]], **poller: Any) -> Poller:
        feeds = write_feeds(tmp_path / "feeds.toml", [dict(s) for s in sources], **poller)
        settings = load_settings(feeds=feeds, data_dir=tmp_path / "data")
        p = build_poller(settings, bus.producer())
        made.append(p)
        return p

    yield make
    for p in made:
        p.close(timeout=5)
