"""`monitor feeds verify` as a user runs it, against sources served on loopback: a good feed,
a feed whose newest page fails, a broken feed, an unreachable one and a list page."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from monitor.feeds.cli import app

from .challenge_site import ChallengeSite
from .conftest import item, rss, write_feeds
from .test_html_sources import ARTICLE, LIST_PAGE

ARTICLE_EN = """<html><head><title>Police break up a phone-card ring</title></head><body>
<nav>Home | News | Contact</nav><article><h1>Police break up a phone-card ring</h1>
<p>Police in Wenzhou broke up a gang that sold bank accounts and phone cards to fraud rings
abroad, arresting 46 suspects and seizing more than 2,000 phone cards in the raids.</p>
<p>The case was handled under the national card-cutting campaign, the city bureau said.</p>
</article><footer>Copyright</footer></body></html>"""


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _summaries(base: str, dates: list[str]) -> bytes:
    """A feed of summaries only, so full text comes from the article pages."""
    entries = []
    for n, date in enumerate(dates, 1):
        entry = item(n, base=base, pubDate=date)
        del entry["content"]
        entries.append(entry)
    return rss(entries)


@pytest.fixture
def sources(httpserver: HTTPServer, tmp_path: Path) -> Path:
    base = httpserver.url_for("/wz")
    httpserver.expect_request("/wz/feed").respond_with_data(
        _summaries(
            base,
            [
                "Mon, 01 Nov 2021 08:00:00 +0800",
                "Fri, 05 Nov 2021 09:30:00 +0800",  # the newest, though not first
                "Wed, 03 Nov 2021 08:00:00 +0800",
            ],
        ),
        content_type="application/rss+xml",
    )
    httpserver.expect_request("/wz/2.html").respond_with_data(
        ARTICLE_EN, content_type="text/html; charset=utf-8"
    )
    httpserver.expect_request("/hb/feed").respond_with_data(
        _summaries(httpserver.url_for("/hb"), ["Tue, 02 Nov 2021 08:00:00 +0800"]),
        content_type="application/rss+xml",
    )
    httpserver.expect_request("/hb/1.html").respond_with_data("", status=404)
    httpserver.expect_request("/cn/feed").respond_with_data(
        rss([item(1), item(2)]), content_type="text/xml"
    )
    httpserver.expect_request("/broken").respond_with_data(
        b"\x00\x01 this is not XML at all {", content_type="text/plain"
    )
    httpserver.expect_request("/n1/index.html").respond_with_data(
        LIST_PAGE.encode("gbk"), content_type="text/html"
    )
    httpserver.expect_request("/n1/c1001/content.html").respond_with_data(
        ARTICLE.encode("gbk"), content_type="text/html"
    )
    return write_feeds(
        tmp_path / "feeds.toml",
        [
            {"id": "wenzhou", "name": "Wenzhou police", "url": httpserver.url_for("/wz/feed")},
            {"id": "hubei", "url": httpserver.url_for("/hb/feed")},
            {"id": "with-text", "url": httpserver.url_for("/cn/feed")},
            {"id": "broken", "url": httpserver.url_for("/broken")},
            {"id": "away", "url": f"http://127.0.0.1:{_closed_port()}/feed.xml"},
            {
                "id": "mps-page",
                "kind": "html",
                "url": httpserver.url_for("/n1/index.html"),
                "lang": "zh",
                "selectors": {"item": "div.list li", "link": "a", "date": "span"},
            },
            {"id": "sleeping", "url": httpserver.url_for("/never"), "enabled": False},
        ],
    )


def _verify(tmp_path: Path, *args: str):
    env = {
        "COLUMNS": "200",
        "MONITOR_FEEDS": str(tmp_path / "feeds.toml"),
        "MONITOR_DATA_DIR": str(tmp_path / "data"),
    }
    return CliRunner().invoke(app, ["verify", *args], env=env, catch_exceptions=False)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_one_line_per_source_and_exit_1_when_one_fails(
    sources: Path, tmp_path: Path, httpserver: HTTPServer
) -> None:
    result = _verify(tmp_path)
    assert result.exit_code == 1, result.output
    lines = {line.split()[1]: line for line in result.stdout.splitlines()}
    assert list(lines) == ["wenzhou", "hubei", "with-text", "broken", "away", "mps-page"]

    assert lines["wenzhou"].startswith("ok ")
    assert "3 entries, newest 2021-11-05 01:30 UTC" in lines["wenzhou"]
    assert "full text yes (" in lines["wenzhou"] and lines["wenzhou"].endswith("[http]")
    assert lines["hubei"].startswith("ok ")
    assert "full text NO: the article page could not be fetched" in lines["hubei"]
    assert "404" in lines["hubei"]
    assert "2 entries" in lines["with-text"] and "full text in the feed" in lines["with-text"]
    assert lines["broken"].startswith("FAIL ")
    assert "not a feed" in lines["broken"]
    assert lines["away"].startswith("FAIL ")
    assert "connect" in lines["away"]
    assert lines["mps-page"].startswith("ok ")
    assert "2 entries, newest 2021-03-04 16:00 UTC, full text yes (" in lines["mps-page"]
    assert "sleeping" not in result.stdout

    # only the newest entry's page is fetched: the other two Wenzhou pages are never asked for
    asked = [r.path for r, _ in httpserver.log]
    assert asked.count("/wz/2.html") == 1
    assert "/wz/1.html" not in asked and "/wz/3.html" not in asked

    assert "Polling 6 sources once" in result.stderr and "(1 disabled not polled.)" in result.stderr
    assert "[6/6]" in result.stderr
    assert "4 of 6 sources work; failing: broken, away" in result.stderr


def test_json_for_machines_and_a_chosen_source(sources: Path, tmp_path: Path) -> None:
    result = _verify(tmp_path, "--json", "--source", "wenzhou", "--source", "broken")
    assert result.exit_code == 1
    good, bad = (json.loads(line) for line in result.stdout.splitlines())
    assert good["id"] == "wenzhou" and good["name"] == "Wenzhou police"
    assert good["ok"] is True and good["error"] is None
    assert good["entries"] == 3 and good["newest"] == "2021-11-05T01:30:00+00:00"
    assert good["full_text"] == "fetched" and good["full_text_chars"] > 100
    assert good["render"] == "http" and good["browser"] is False
    assert bad["id"] == "broken" and bad["ok"] is False and "not a feed" in bad["error"]
    assert bad["entries"] == 0

    alone = _verify(tmp_path, "--source", "mps-page")
    assert alone.exit_code == 0, alone.output
    assert alone.stdout.startswith("ok    mps-page  2 entries")
    unknown = _verify(tmp_path, "--source", "nope")
    assert unknown.exit_code == 2 and "nope" in unknown.stderr


def test_nothing_is_written(sources: Path, tmp_path: Path, make_poller) -> None:
    # a real poll first, so there is feed state (and a bus) that must stay as it is
    listed = sources.read_text(encoding="utf-8")
    url = next(line for line in listed.splitlines() if "/cn/feed" in line).split('"')[1]
    poller = make_poller([{"id": "with-text", "url": url}])  # rewrites feeds.toml
    poller.poll_all()
    poller.close()
    sources.write_text(listed, encoding="utf-8")
    before = _files(tmp_path / "data")
    bus_before = (tmp_path / "bus.db").read_bytes()
    assert any(name.endswith("feeds.db") for name in before)

    assert _verify(tmp_path).exit_code == 1

    assert _files(tmp_path / "data") == before
    assert (tmp_path / "bus.db").read_bytes() == bus_before
    assert sources.read_text(encoding="utf-8") == listed


def test_a_source_behind_a_script_challenge_is_read_in_the_browser(tmp_path: Path) -> None:
    site = ChallengeSite()
    try:
        source = {
            "id": "bureau",
            "name": "省公安厅 警务要闻",
            "kind": "html",
            "render": "browser",
            "lang": "zh",
            "url": site.url("/xwfb/"),
            "selectors": {"item": "#news li", "date": ".date"},
        }
        write_feeds(tmp_path / "feeds.toml", [source, {**source, "id": "plain", "render": "http"}])
        result = _verify(tmp_path, "--json")
        browser, plain = (json.loads(line) for line in result.stdout.splitlines())
        assert result.exit_code == 1
        assert browser["ok"] is True and browser["browser"] is True
        assert browser["entries"] == 3 and browser["newest"] == "2021-03-14T16:00:00+00:00"
        assert browser["full_text"] == "fetched" and browser["full_text_chars"] > 100
        # through the plain client the same page never gets past the challenge
        assert plain["ok"] is False and plain["browser"] is False
        assert "(521)" in plain["error"]
        # one article page, the newest, was rendered
        assert site.served["article"] == 1
        text = _verify(tmp_path, "--source", "bureau").stdout
        assert text.startswith(
            "ok    bureau  3 entries, newest 2021-03-14 16:00 UTC, full text yes"
        )
        assert text.rstrip().endswith("[browser]")
    finally:
        site.slow.set()
        site.close()


def test_ctrl_c_stops_at_once_while_sources_do_not_answer(tmp_path: Path) -> None:
    silent = socket.socket()  # accepts connections and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    port = silent.getsockname()[1]
    try:
        write_feeds(
            tmp_path / "feeds.toml",
            [{"id": f"slow{i}", "url": f"http://127.0.0.1:{port}/feed{i}"} for i in range(3)],
            timeout=60,
        )
        env = {
            **os.environ,
            "MONITOR_FEEDS": str(tmp_path / "feeds.toml"),
            "MONITOR_DATA_DIR": str(tmp_path / "data"),
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "monitor.cli", "feeds", "verify"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stderr is not None
        assert "Polling 3 sources" in proc.stderr.readline()  # under way
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        asked = time.monotonic()
        _, err = proc.communicate(timeout=20)
        assert time.monotonic() - asked < 5
        assert proc.returncode == 130
        assert "Stopped; the sources not listed above were not verified." in err
        assert "Traceback" not in err
    finally:
        silent.close()
