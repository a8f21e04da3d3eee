"""`render = "browser"` sources against a loopback site behind a script challenge: listed by
`feeds check`, polled with full text and searchable, the challenge passed once per host, a
killed browser started again, the address rules kept, and no browser said plainly."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from monitor.bus.embedded import EmbeddedBus
from monitor.feeds.browser import _tree
from monitor.feeds.cli import app as feeds_app
from monitor.index.base import SearchRequest
from monitor.index.embedded import EmbeddedIndex
from monitor.settings import load_settings
from pipelines.stages import build_runner
from tests.conftest import ROOT

from .challenge_site import ChallengeSite
from .conftest import item, produced, rss, write_feeds


@pytest.fixture
def site() -> Iterator[ChallengeSite]:
    s = ChallengeSite()
    yield s
    s.slow.set()
    s.close()


def browser_source(site: ChallengeSite, **extra: Any) -> dict[str, Any]:
    return {
        "id": "bureau",
        "name": "省公安厅 警务要闻",
        "kind": "html",
        "render": "browser",
        "lang": "zh",
        "url": site.url("/xwfb/"),
        "selectors": {"item": "#news li", "date": ".date"},
        **extra,
    }


def browser_processes() -> list[int]:
    """Chromium processes of a pool started by this test process (the pools mark them)."""
    mine = []
    for pid in _tree(os.getpid()):
        try:
            if b"--monitor-browser-pool=" in Path(f"/proc/{pid}/cmdline").read_bytes():
                mine.append(pid)
        except OSError:
            continue
    return mine


@pytest.fixture
def cli(tmp_path: Path):
    runner = CliRunner()
    env = {
        "COLUMNS": "200",
        "MONITOR_FEEDS": str(tmp_path / "feeds.toml"),
        "MONITOR_DATA_DIR": str(tmp_path / "data"),
    }

    def run(*args: str):
        return runner.invoke(feeds_app, list(args), env=env, catch_exceptions=False)

    return run


def test_feeds_check_lists_the_entries_behind_the_challenge(site, tmp_path, cli):
    write_feeds(
        tmp_path / "feeds.toml",
        [
            browser_source(site),
            # the same page through the plain client: it never gets past the challenge
            {**browser_source(site), "id": "plain", "render": "http"},
        ],
    )
    result = cli("check", "bureau")
    assert result.exit_code == 0, result.output
    assert "3 entries" in result.output
    assert "省公安厅通报“净网2021”专项行动第一阶段战果" in result.output
    assert "full text" in result.output and "summary only" not in result.output
    assert "(2021-03-14 16:00 UTC; full text" in result.output
    gc.collect()  # what a command leaves: its poller, and so its browser, are gone
    assert browser_processes() == []

    plain = cli("check", "plain")
    assert plain.exit_code == 1
    assert "The poll would fail: the server failed (521)" in plain.output


def test_polled_with_full_text_searchable_and_the_challenge_passed_once(
    site, tmp_path, bus: EmbeddedBus, make_poller
):
    poller = make_poller([browser_source(site)])
    report = poller.poll_all()
    assert report.by_source["bureau"].status == "new", report.by_source["bureau"].error
    articles = {a.title: a for a in produced(bus)}
    assert len(articles) == 3
    first = articles["省公安厅通报“净网2021”专项行动第一阶段战果"]
    assert "冻结涉案资金1.2亿元" in first.body
    assert first.source == "省公安厅 警务要闻"
    assert first.published_at == datetime(2021, 3, 1, 16, tzinfo=UTC)  # 2 March in Beijing

    site.served["list"] = 0
    again = poller.poll_all()  # the next poll: the list page again, with the kept cookie
    assert again.by_source["bureau"].status == "unchanged"
    assert site.served["list"] == 1
    # one challenge for the host, though four pages and two polls were loaded
    assert site.served["challenge"] == 1 and site.served["article"] == 3
    poller.close()

    settings = load_settings(data_dir=tmp_path / "data")
    index = EmbeddedIndex(tmp_path / "index.db")
    for stage in ("extract", "index"):
        runner = build_runner(stage, settings, bus, index)
        runner.drain()
        runner.close()
    found = index.search(SearchRequest(query="手机卡"))
    assert [h.title for h in found.hits] == ["“断卡”行动：警方捣毁一个跨境帮信团伙"]
    index.close()


def test_a_killed_browser_is_started_again_with_its_cookies(
    site, bus: EmbeddedBus, make_poller, logged
):
    poller = make_poller([browser_source(site)])
    assert poller.poll_all().by_source["bureau"].status == "new"
    for pid in browser_processes():
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    site.link_base = site.url("")  # the page changes, so the next poll reads it all again
    again = poller.poll_all().by_source["bureau"]
    assert again.status in ("new", "unchanged"), again.error
    assert again.entries == 3
    assert sum("browser started" in line for line in logged) == 2
    assert site.served["challenge"] == 1  # the new browser got the cookie back
    poller.close()
    assert browser_processes() == []


def test_no_browser_fails_that_source_alone_in_plain_words(
    site, httpserver: HTTPServer, make_poller, bus: EmbeddedBus, cli
):
    httpserver.expect_request("/feed").respond_with_data(rss([item(1)]), content_type="text/xml")
    poller = make_poller(
        [browser_source(site), {"id": "plain", "url": httpserver.url_for("/feed")}],
        browser_path="/opt/none/chromium",
    )
    report = poller.poll_all()
    assert report.by_source["plain"].status == "new"
    failed = report.by_source["bureau"]
    assert failed.status == "failed"
    assert failed.error == (
        "this source needs a browser (render = browser): no browser: /opt/none/chromium "
        "is not installed; install Debian's chromium (apt-get install chromium, "
        "or make system-deps)"
    )
    poller.close()
    listed = cli("list").output
    assert "failing (1x)" in listed and "/opt/none/chromium is not installed" in listed


def test_links_and_redirects_to_other_loopback_addresses_are_refused(
    site, make_poller, bus: EmbeddedBus
):
    # The list page is on 127.0.0.1 (the operator's address); its links lead to 127.0.0.2
    site.link_base = f"http://127.0.0.2:{site.port}"
    site.redirect_to = f"http://127.0.0.2:{site.port}/xwfb/"
    jump = browser_source(site, id="jump", url=site.url("/jump.html"))
    poller = make_poller([browser_source(site), jump])
    report = poller.poll_all()
    bureau = report.by_source["bureau"]
    assert bureau.status == "new"
    assert all(not a.body for a in produced(bus))  # the summaries were kept, no full text
    assert any(
        "not fetched: 127.0.0.2 is a loopback address, which a feed may not make the monitor "
        "reach" in p
        for p in bureau.problems
    )
    assert site.served["article"] == 0
    refused = report.by_source["jump"]
    assert refused.status == "failed"
    assert refused.error.startswith("not fetched: 127.0.0.2 is a loopback address")
    poller.close()


def test_a_stop_cuts_off_a_page_load_and_closes_the_browser(site, make_poller, logged):
    poller = make_poller([browser_source(site, url=site.url("/slow/"))], browser_timeout=60)
    poller.start()
    deadline = time.monotonic() + 20
    while not site.served["slow"]:
        assert time.monotonic() < deadline, "the page was never asked for"
        time.sleep(0.05)
    assert browser_processes()
    started = time.monotonic()
    poller.close(timeout=5)
    assert time.monotonic() - started < 3
    assert browser_processes() == []
    assert any("were cut off, not failed" in line and "bureau" in line for line in logged)


def test_render_browser_is_for_html_sources(tmp_path):
    from monitor.errors import ConfigError
    from monitor.feeds.sources import load_feeds

    path = write_feeds(
        tmp_path / "feeds.toml",
        [{"id": "f", "url": "http://example.org/feed", "render": "browser"}],
    )
    with pytest.raises(ConfigError, match=r"source 'f', field \(entry\): .*render = \"browser\""):
        load_feeds(path)


def test_a_hung_browser_is_killed_and_started_again(site, make_poller, bus: EmbeddedBus, logged):
    poller = make_poller([browser_source(site)], browser_timeout=3)
    assert poller.poll_all().by_source["bureau"].status == "new"
    for pid in browser_processes():
        os.kill(pid, signal.SIGSTOP)
    site.link_base = site.url("")  # the page changes, so the next poll reads it all again
    hung = poller.poll_all().by_source["bureau"]
    assert hung.status == "failed"
    assert hung.error == (
        "the browser did not finish the page in 3 s; "
        "the browser itself hung, so it was killed and starts again"
    )
    again = poller.poll_all().by_source["bureau"]
    assert again.status in ("new", "unchanged"), again.error
    assert sum("browser started" in line for line in logged) == 2
    poller.close()


def test_past_its_memory_ceiling_the_browser_is_restarted_between_pages(
    site, make_poller, bus: EmbeddedBus, logged
):
    # 128 MB is less than Chromium holds with one page open: it restarts after each load
    poller = make_poller([browser_source(site, fulltext="never")], browser_memory_mb=128)
    assert poller.poll_all().by_source["bureau"].status == "new"
    assert any("over browser_memory_mb = 128; restarting it" in line for line in logged)
    assert browser_processes() == []  # closed once no page was loading
    site.query = "?g=2"
    assert poller.poll_all().by_source["bureau"].status == "new"
    assert sum("browser started" in line for line in logged) == 2
    assert site.served["challenge"] == 1  # the cookies outlived the browser
    poller.close()


@pytest.mark.slow
def test_monitor_run_polls_it_its_full_text_is_searchable_and_a_stop_closes_the_browser(
    site, tmp_path: Path
):
    feeds = write_feeds(tmp_path / "feeds.toml", [browser_source(site)])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "MONITOR_FEEDS": str(feeds),
        "MONITOR_DATA_DIR": str(tmp_path / "data"),
        "MONITOR_WEB__PORT": str(port),
        "MONITOR_METRICS__PORT": "0",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor.cli", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    browsers: set[int] = set()
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None and time.monotonic() < deadline, "nothing was indexed"
            for pid in _tree(proc.pid):
                with contextlib.suppress(OSError):
                    if b"--monitor-browser-pool=" in Path(f"/proc/{pid}/cmdline").read_bytes():
                        browsers.add(pid)
            found = subprocess.run(
                [sys.executable, "-m", "monitor.cli", "search", "手机卡", "--json"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            if found.returncode == 0 and json.loads(found.stdout)["total"]:
                break
            time.sleep(0.5)
        hits = json.loads(found.stdout)["hits"]
        assert [h["title"] for h in hits] == ["“断卡”行动：警方捣毁一个跨境帮信团伙"]
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=30)
        took = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, output
    assert took < 6.0, f"monitor run took {took:.1f} s to stop:\n{output}"
    assert "Traceback" not in output, output
    assert browsers, "no browser was seen running"
    assert not [pid for pid in browsers if Path(f"/proc/{pid}").exists()]
    assert site.served["challenge"] == 1
