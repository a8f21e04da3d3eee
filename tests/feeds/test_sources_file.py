"""The shipped sources file: enough sources, each described, and every selector and feed
checked against a page of the same structure served on loopback.

The pages in tests/feeds/sites/ are written by the team in the markup of each site (list
classes, link forms, date formats, encodings); `expected.json` holds, per source, the entries
a user should get from it: title, link and publication date (the source's local day). For a
`render = "browser"` source the page is the document as the browser leaves it, which the
same list-page code reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from pytest_httpserver import HTTPServer

from monitor.feeds.encoding import decode
from monitor.feeds.fetch import fetch, make_client
from monitor.feeds.html_list import parse_list_page
from monitor.feeds.parse import Entry, NotAFeed, parse_feed
from monitor.feeds.sources import Source, load_feeds

ROOT = Path(__file__).resolve().parents[2]
SITES = Path(__file__).resolve().parent / "sites"
FEEDS = load_feeds(ROOT / "config" / "feeds.toml")
ENABLED = [s for s in FEEDS.source if s.enabled]
EXPECTED: dict[str, list[list[str]]] = json.loads(
    (SITES / "expected.json").read_text(encoding="utf-8")
)


def _fixture(source: Source) -> Path:
    return SITES / f"{source.id}.{'html' if source.kind == 'html' else 'xml'}"


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with make_client("sources-file-test", 10, 4, 3) as c:
        yield c


def _serve(httpserver: HTTPServer, source: Source, body: bytes, content_type: str) -> str:
    """Serve `body` at the path (and query) of the source's address; the loopback URL."""
    parts = urlsplit(source.url)
    path = parts.path or "/"
    httpserver.expect_request(path, query_string=parts.query or None).respond_with_data(
        body, content_type=content_type
    )
    return httpserver.url_for(path) + (f"?{parts.query}" if parts.query else "")


def _seen(entries: list[Entry], source: Source, origin: str) -> list[list[str | None]]:
    zone = ZoneInfo(source.timezone)
    return [
        [
            e.title,
            e.link.replace(origin, "", 1) if e.link.startswith(origin + "/") else e.link,
            e.published.astimezone(zone).date().isoformat() if e.published else None,
        ]
        for e in entries
    ]


def _wanted(source: Source, scheme: str) -> list[list[str]]:
    # "//host/..." links are scheme-relative: they take the scheme of the page they are on
    return [
        [title, f"{scheme}:{link}" if link.startswith("//") else link, day]
        for title, link, day in EXPECTED[source.id]
    ]


def test_the_file_ships_at_least_forty_described_sources():
    assert len(ENABLED) >= 40
    ids = [s.id for s in FEEDS.source]
    assert len(ids) == len(set(ids))
    urls = [s.url.rstrip("/").lower() for s in FEEDS.source]
    assert len(urls) == len(set(urls)), [u for u in urls if urls.count(u) > 1]
    for source in FEEDS.source:
        assert source.level is not None, source.id
        assert len(source.note) >= 40, f"{source.id}: the note should say how it was checked"
        assert "UNCHECKED" not in source.note, source.id


def test_the_file_covers_the_issuers_users_follow():
    hosts = {urlsplit(s.url).hostname for s in ENABLED}
    provinces = {urlsplit(s.url).hostname for s in ENABLED if s.level == "province"}
    assert len(provinces) >= 12, sorted(h or "" for h in provinces)
    ministry = [s for s in ENABLED if s.url.startswith("https://www.mps.gov.cn/")]
    assert len(ministry) >= 3
    # mps.gov.cn answers plain clients with a script challenge
    assert all(s.render == "browser" and s.level == "ministry" for s in ministry)
    assert any(s.level == "city" for s in ENABLED)
    for host in (
        "www.cac.gov.cn",
        "www.chinapeace.gov.cn",
        "www.legaldaily.com.cn",
        "www.cpd.com.cn",
        "www.xinhuanet.com",  # Chinese and English feeds
        "www.people.com.cn",
        "en.people.cn",
        "www.chinadaily.com.cn",
        "www.cgtn.com",
        "www.globaltimes.cn",
        "rthk.hk",
        "news.mingpao.com",
        "www.cna.com.tw",
        "news.ltn.com.tw",
    ):
        assert host in hosts, host
    xinhua = {s.lang for s in ENABLED if urlsplit(s.url).hostname == "www.xinhuanet.com"}
    assert xinhua == {"zh", "en"}
    traditional = {"Asia/Hong_Kong", "Asia/Taipei"}
    assert sum(s.timezone in traditional for s in ENABLED) >= 4


def test_every_source_has_a_page_of_its_structure_and_nothing_else_does():
    for source in FEEDS.source:
        assert _fixture(source).is_file(), f"no page for {source.id} in {SITES}"
        assert len(EXPECTED.get(source.id, [])) >= 2, source.id
    ids = {s.id for s in FEEDS.source}
    assert set(EXPECTED) == ids
    stray = {p.name.split(".")[0] for p in SITES.glob("*.*ml")} - ids
    assert stray <= {"js-police-news"}  # plus its page before rendering, tested below


@pytest.mark.parametrize("source", [s for s in ENABLED if s.kind == "html"], ids=lambda s: s.id)
def test_list_page_selectors_find_titles_links_and_dates(
    source: Source, httpserver: HTTPServer, client: httpx.Client
):
    assert source.selectors is not None
    url = _serve(httpserver, source, _fixture(source).read_bytes(), "text/html")
    result = fetch(client, url, max_bytes=FEEDS.poller.max_bytes)
    decoded = decode(result.content, result.content_type)
    entries = parse_list_page(decoded.text, result.url, source.selectors, source.timezone)
    origin = httpserver.url_for("/").rstrip("/")
    assert _seen(entries, source, origin) == _wanted(source, "http")
    assert all(e.link.startswith(("http://", "https://")) for e in entries)


@pytest.mark.parametrize("source", [s for s in ENABLED if s.kind == "feed"], ids=lambda s: s.id)
def test_feeds_parse_with_titles_links_and_dates(
    source: Source, httpserver: HTTPServer, client: httpx.Client
):
    url = _serve(httpserver, source, _fixture(source).read_bytes(), "application/rss+xml")
    result = fetch(client, url, max_bytes=FEEDS.poller.max_bytes)
    parsed = parse_feed(
        decode(result.content, result.content_type), result.url, result.content_type
    )
    assert parsed.problems == []
    origin = httpserver.url_for("/").rstrip("/")
    assert _seen(parsed.entries, source, origin) == _wanted(source, "https")


def test_a_list_kept_in_a_script_datastore_needs_the_browser(httpserver: HTTPServer, client):
    """Jiangsu's page as a plain client gets it: the records sit in a script, not in the page."""
    source = next(s for s in FEEDS.source if s.id == "js-police-news")
    assert source.render == "browser" and source.selectors is not None
    raw = (SITES / "js-police-news.unrendered.html").read_bytes()
    url = _serve(httpserver, source, raw, "text/html")
    result = fetch(client, url, max_bytes=FEEDS.poller.max_bytes)
    with pytest.raises(NotAFeed, match="matched nothing on the page"):
        parse_list_page(
            decode(result.content, result.content_type).text,
            result.url,
            source.selectors,
            source.timezone,
        )
