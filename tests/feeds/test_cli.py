"""`monitor feeds list | add | check` as a user runs them, against a local HTTP server."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from monitor.feeds.cli import app
from monitor.feeds.sources import load_feeds

from .conftest import item, rss, write_feeds


@pytest.fixture
def cli(tmp_path: Path):
    runner = CliRunner()
    env = {
        "COLUMNS": "160",
        "MONITOR_FEEDS": str(tmp_path / "feeds.toml"),
        "MONITOR_DATA_DIR": str(tmp_path / "data"),
    }

    def run(*args: str):
        return runner.invoke(app, list(args), env=env, catch_exceptions=False)

    return run


def test_list_shows_health_items_and_next_poll(httpserver: HTTPServer, tmp_path, make_poller, cli):
    httpserver.expect_request("/good").respond_with_data(
        rss([item(1), item(2)]), content_type="text/xml"
    )
    httpserver.expect_request("/bad").respond_with_data("", status=404)
    sources = [
        {"id": "good", "url": httpserver.url_for("/good")},
        {"id": "bad", "url": httpserver.url_for("/bad")},
        {"id": "later", "url": httpserver.url_for("/later"), "enabled": False},
    ]
    poller = make_poller(sources)
    poller.poll_all()
    poller.close()
    result = cli("list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    good = next(line for line in lines if "│ good" in line)
    assert "ok" in good and "s ago" in good and "│ 2 " in good and "in " in good
    bad = "\n".join(lines)
    assert "failing (1x)" in bad and "the page was not found (404)" in bad
    assert "disabled" in bad


def test_list_says_how_each_source_is_read_its_level_and_how_many_are_enabled(tmp_path, cli):
    write_feeds(
        tmp_path / "feeds.toml",
        [
            {
                "id": "ministry",
                "name": "Ministry news",
                "kind": "html",
                "render": "browser",
                "level": "ministry",
                "url": "https://ministry.example/news/",
                "selectors": {"item": "ul.list > li"},
            },
            {
                "id": "paper",
                "name": "A paper",
                "level": "press",
                "url": "https://paper.example/rss",
            },
            {"id": "off", "url": "https://off.example/rss", "enabled": False},
        ],
    )
    result = cli("list")
    assert result.exit_code == 0, result.output
    assert "Ministry news (html, in the browser, ministry)" in result.output
    assert "A paper (feed, press)" in result.output
    assert "off (feed)" in result.output
    assert "2 of 3 sources enabled" in result.output


def test_the_shipped_sources_file_lists_at_least_40_enabled_sources(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[2] / "config" / "feeds.toml"
    env = {"COLUMNS": "160", "MONITOR_FEEDS": str(shipped), "MONITOR_DATA_DIR": str(tmp_path)}
    result = CliRunner().invoke(app, ["list"], env=env)
    assert result.exit_code == 0, result.output
    enabled, _, total = result.output.split(" sources enabled")[0].split()[-3:]
    assert int(enabled) >= 40 and int(enabled) <= int(total)
    assert result.output.count("in the browser") >= 5


def test_check_is_a_dry_run(httpserver: HTTPServer, tmp_path, cli):
    httpserver.expect_request("/feed").respond_with_data(
        rss([item(1), item(2, pubDate="Wed, 01 Jan 2031 00:00:00 +0000")]), content_type="text/xml"
    )
    write_feeds(tmp_path / "feeds.toml", [{"id": "f", "url": httpserver.url_for("/feed")}])
    result = cli("check", "f")
    assert result.exit_code == 0, result.output
    assert "It would emit 2 articles: 2 new, 0 changed" in result.output
    assert "Announcement 1" in result.output
    assert "dated in the future" in result.output
    assert not (tmp_path / "data" / "feeds.db").exists()

    by_url = cli("check", httpserver.url_for("/feed"))
    assert "It would emit 2 articles" in by_url.output


def test_check_reports_failure_in_plain_words(httpserver: HTTPServer, tmp_path, cli):
    httpserver.expect_request("/gone").respond_with_data("", status=410)
    write_feeds(tmp_path / "feeds.toml", [])
    result = cli("check", httpserver.url_for("/gone"))
    assert result.exit_code == 1
    assert "The poll would fail: the server says the feed is gone for good" in result.output


def test_add_a_feed_and_a_page_that_advertises_one(httpserver: HTTPServer, tmp_path, cli):
    feeds = write_feeds(tmp_path / "feeds.toml", [])
    httpserver.expect_request("/rss.xml").respond_with_data(
        rss([item(1)], title="公安要闻", channel="<language>zh-cn</language>"),
        content_type="application/rss+xml",
    )
    httpserver.expect_request("/page").respond_with_data(
        '<html><head><link rel="alternate" type="application/atom+xml" href="/rss.xml">'
        "</head><body>首页</body></html>",
        content_type="text/html",
    )
    result = cli("add", httpserver.url_for("/rss.xml"), "--id", "gaj", "--interval", "600")
    assert result.exit_code == 0, result.output
    assert "Added gaj (feed)" in result.output
    (source,) = load_feeds(feeds).source
    assert (source.name, source.lang, source.interval) == ("公安要闻", "zh", 600)

    again = cli("add", httpserver.url_for("/page"))
    assert again.exit_code == 1 and "is already a source" in again.output


def test_add_a_list_page(httpserver: HTTPServer, tmp_path, cli):
    feeds = write_feeds(tmp_path / "feeds.toml", [])
    page = (
        '<html><body><ul class="news"><li><a href="/a/1.html">通报一</a>'
        "<span>2021-03-05</span></li></ul></body></html>"
    )
    httpserver.expect_request("/list").respond_with_data(page, content_type="text/html")
    refused = cli("add", httpserver.url_for("/list"))
    assert refused.exit_code == 1
    assert "advertises no feed" in refused.output and "--item" in refused.output

    result = cli(
        "add",
        httpserver.url_for("/list"),
        "--item",
        "ul.news li",
        "--date",
        "span",
        "--name",
        "某省公安厅",
    )
    assert result.exit_code == 0, result.output
    assert "the selectors found 1 items" in result.output
    (source,) = load_feeds(feeds).source
    assert source.kind == "html" and source.selectors and source.selectors.date == "span"


def test_a_bad_sources_file_exits_2(tmp_path, cli):
    (tmp_path / "feeds.toml").write_text('[[source]]\nid = "x"\n')
    result = cli("list")
    assert result.exit_code == 2
    assert "source 'x', field name: Field required" in result.output


def test_add_refuses_what_is_not_a_web_address(tmp_path, cli):
    (tmp_path / "feeds.toml").write_text("")
    for target in ("/some/path", "ftp://example.org/feed.xml", "example.org/feed.xml"):
        result = cli("add", target)
        assert result.exit_code == 2, result.output
        assert "is not a web address; give an http(s) URL" in result.output
        assert (tmp_path / "feeds.toml").read_text() == ""
