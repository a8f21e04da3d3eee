"""Restarts, concurrency limits, the sources file, and the adaptive schedule."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from monitor.errors import ConfigError
from monitor.feeds import schedule
from monitor.feeds.sources import PollerLimits, Source, load_feeds

from .conftest import item, produced, rss


def test_restart_in_the_middle_of_a_round_loses_and_duplicates_nothing(
    threaded_server: HTTPServer, make_poller, bus
):
    def handler(request: Request) -> Response:
        time.sleep(0.15)
        n = int(request.path.strip("/").removeprefix("f"))
        items = [item(n * 10 + k, base=f"http://example.org/{n}") for k in range(3)]
        return Response(rss(items), content_type="application/rss+xml")

    for n in range(24):
        threaded_server.expect_request(f"/f{n}").respond_with_handler(handler)
    sources = [
        {"id": f"s{n}", "url": threaded_server.url_for(f"/f{n}"), "interval": 600}
        for n in range(24)
    ]
    first = make_poller(sources, max_concurrent=4, per_host=4)
    first.start()
    time.sleep(0.5)  # a few sources done, four in flight, the rest not started
    first.stop()
    first.close(timeout=5)
    emitted_before = len(produced(bus))
    assert 0 < emitted_before < 72

    second = make_poller(sources, max_concurrent=8, per_host=8)
    report = second.poll_all()
    articles = produced(bus)
    ids = [a.id for a in articles]
    assert len(ids) == len(set(ids)) == 72
    assert report.emitted == 72 - emitted_before


def test_feeds_sharing_articles_polled_at_once_emit_each_once(
    threaded_server: HTTPServer, make_poller, bus
):
    # Summary-only entries: each mirror fetches full text before emitting, which leaves
    # every mirror time to find the articles unseen.
    def article(request: Request) -> Response:
        time.sleep(0.1)
        return Response(
            "<html><body><article><p>" + "公安机关通报。" * 20 + "</p></article></body></html>",
            content_type="text/html",
        )

    entries = []
    for n in range(5):
        entry = item(n, base=threaded_server.url_for("/a"))
        del entry["content"]
        entries.append(entry)
    threaded_server.expect_request("/feed").respond_with_data(rss(entries), content_type="text/xml")
    threaded_server.expect_request(re.compile(r"^/a/")).respond_with_handler(article)
    sources = [
        {"id": f"mirror{n}", "url": threaded_server.url_for("/feed") + f"?m={n}"} for n in range(4)
    ]
    poller = make_poller(sources, max_concurrent=4, per_host=8, fulltext_concurrency=8)
    report = poller.poll_all()
    assert report.emitted == 5
    assert sum(o.duplicates for o in report.outcomes) == 15
    assert len(produced(bus)) == 5


def test_per_host_limit(threaded_server: HTTPServer, make_poller):
    active, peak, lock = [0], [0], threading.Lock()

    def handler(request: Request) -> Response:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.1)
        with lock:
            active[0] -= 1
        return Response(rss([item(1)]), content_type="application/rss+xml")

    threaded_server.expect_request("/feed").respond_with_handler(handler)
    sources = [{"id": f"s{n}", "url": threaded_server.url_for("/feed")} for n in range(8)]
    poller = make_poller(sources, max_concurrent=8, per_host=2)
    poller.poll_all()
    assert peak[0] == 2


def test_a_bad_sources_file_names_file_source_and_field(tmp_path: Path):
    path = tmp_path / "feeds.toml"
    path.write_text(
        '[[source]]\nid = "mps"\nname = "MPS"\nurl = "ftp://x"\n'
        '[[source]]\nid = "ok"\nname = "OK"\nurl = "http://x/"\nintervall = 3\n'
    )
    with pytest.raises(ConfigError) as err:
        load_feeds(path)
    text = str(err.value)
    assert f"{path}: source 'mps', field url:" in text
    assert f"{path}: source 'ok', field intervall: unknown field" in text

    path.write_text('[[source]]\nid = "p"\nname = "P"\nkind = "html"\nurl = "http://x/"\n')
    with pytest.raises(ConfigError, match=r"source 'p'.*needs \[source.selectors\]"):
        load_feeds(path)
    path.write_text(
        '[[source]]\nid = "p"\nname = "P"\nkind = "html"\nurl = "http://x/"\n'
        '[source.selectors]\nitem = "ul li["\n'
    )
    with pytest.raises(ConfigError, match=r"source 'p', field selectors.item: .*not a valid CSS"):
        load_feeds(path)
    path.write_text("[[source]\n")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_feeds(path)
    path.write_text("[poller]\nper_host = 0\n")
    with pytest.raises(ConfigError, match=r"\[poller\], field per_host"):
        load_feeds(path)


def test_the_shipped_sources_file_loads():
    feeds = load_feeds(Path(__file__).resolve().parents[2] / "config" / "feeds.toml")
    assert any(s.kind == "feed" for s in feeds.source)
    assert any(s.kind == "html" for s in feeds.source)


def test_adaptive_interval_follows_publication_rate():
    limits = PollerLimits(min_interval=60, max_interval=3600)
    source = Source(id="s", name="s", url="http://x/", interval=300)
    now = 1_000_000.0
    busy = [now - 600 * k for k in range(10)]  # every ten minutes
    assert schedule.adaptive_interval(source, limits, busy, now) == 300  # half of 600
    hourly = [now - 3600 * k for k in range(10)]
    assert schedule.adaptive_interval(source, limits, hourly, now) == 1800
    frantic = [now - 30 * k for k in range(10)]
    assert schedule.adaptive_interval(source, limits, frantic, now) == 60  # the floor
    quiet = [now - 86400 * (30 + k) for k in range(10)]
    assert schedule.adaptive_interval(source, limits, quiet, now) == 3600  # the ceiling
    assert schedule.adaptive_interval(source, limits, busy[:2], now) == 300  # too little data
    demo = Source(id="d", name="d", url="http://x/", interval=5)
    assert schedule.adaptive_interval(demo, limits, quiet, now) == 60  # never 12x slower


def test_success_delay_honours_floors_and_jitter_spreads():
    limits = PollerLimits()
    source = Source(id="s", name="s", url="http://x/", interval=300)
    assert schedule.success_delay(source, limits, [], 0, (None, 1200.0)) == 1200
    assert schedule.success_delay(source, limits, [], 0, (10 * 86400.0,)) == 86400
    spread = {round(schedule.jittered(300, 0.1), 3) for _ in range(50)}
    assert len(spread) > 1 and all(270 <= d <= 330 for d in spread)


def test_the_summary_line_counts_sources_and_polls_apart(
    threaded_server: HTTPServer, make_poller, logged, monkeypatch
):
    import pipelines.poll

    monkeypatch.setattr(pipelines.poll, "SUMMARY_EVERY", 1.0)
    threaded_server.expect_request("/feed").respond_with_data(
        rss([item(1)]), content_type="text/xml"
    )
    url = threaded_server.url_for("/feed")
    poller = make_poller(
        [
            {"id": "a", "url": url + "?a", "interval": 0.2},
            {"id": "b", "url": url + "?b", "interval": 0.2},
            {"id": "off", "url": url + "?off", "enabled": False},
        ]
    )
    poller.start()
    deadline = time.monotonic() + 10
    while not any("polls in the last" in line for line in logged):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    poller.close()
    assert "INFO poller started with 2 sources (1 disabled), at most 8 fetches at a time" in logged
    line = next(line for line in logged if "polls in the last" in line)
    found = re.search(r"sources=(\d+) polls=(\d+) emitted=\d+ new=(\d+) unchanged=(\d+)", line)
    assert found, line
    sources, polls, new, unchanged = map(int, found.groups())
    assert sources == 2  # a window holds several polls of each source, counted as polls
    assert polls > sources and polls == new + unchanged
