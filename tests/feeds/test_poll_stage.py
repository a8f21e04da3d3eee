"""The poll stage end to end: real HTTP server, real embedded bus, state across restarts."""

from __future__ import annotations

import time

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from monitor.feeds.identity import canonical_url
from monitor.models import article_id

from .conftest import item, produced, rss

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom news</title><id>urn:x</id>
<updated>2021-02-16T08:00:00Z</updated>
<entry><title>Clean Internet 2021 launched</title><id>urn:uuid:1</id>
<link rel="alternate" href="http://example.org/atom/1"/>
<updated>2021-02-16T08:00:00Z</updated><summary>Police launched a campaign.</summary>
<content type="html">&lt;p&gt;The Ministry of Public Security launched Clean Internet 2021.
&lt;/p&gt;</content>
</entry></feed>"""

RDF = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://example.org/rdf"><title>RDF news</title><link>http://example.org/</link>
<description>d</description></channel>
<item rdf:about="http://example.org/rdf/1"><title>断卡行动</title><link>http://example.org/rdf/1</link>
<description>公安机关开展断卡行动，抓获犯罪嫌疑人1.7万名。</description><dc:date>2021-03-05T10:00:00+08:00</dc:date>
</item></rdf:RDF>""".encode()


def test_new_entries_are_emitted_once_even_after_restart(httpserver: HTTPServer, make_poller, bus):
    httpserver.expect_request("/feed").respond_with_data(
        rss([item(1), item(2)]), content_type="application/rss+xml"
    )
    source = {"id": "f1", "url": httpserver.url_for("/feed"), "lang": "en"}
    poller = make_poller([source])
    report = poller.poll_all()
    assert report.emitted == 2
    again = poller.poll_all()
    assert again.emitted == 0
    poller.close()

    restarted = make_poller([source])
    assert restarted.poll_all().emitted == 0
    articles = produced(bus)
    assert sorted(a.title for a in articles) == ["Announcement 1", "Announcement 2"]
    a1 = next(a for a in articles if a.title == "Announcement 1")
    assert a1.id == article_id(canonical_url("http://example.org/news/1.html"))
    assert a1.body == "Full text of announcement 1, long enough to stand alone."
    assert a1.summary == "Summary of announcement 1."
    assert a1.published_at.isoformat() == "2021-02-16T00:00:00+00:00"
    assert a1.feed_id == "f1" and a1.lang == "en" and a1.content_hash


def test_conditional_get_sends_back_validators(httpserver: HTTPServer, make_poller, bus):
    seen_headers: list[dict[str, str]] = []

    def handler(request: Request) -> Response:
        seen_headers.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(
            rss([item(1)]),
            content_type="application/rss+xml",
            headers={"ETag": '"v1"', "Last-Modified": "Tue, 16 Feb 2021 08:00:00 GMT"},
        )

    httpserver.expect_request("/feed").respond_with_handler(handler)
    poller = make_poller([{"id": "f1", "url": httpserver.url_for("/feed")}])
    assert poller.poll_all().emitted == 1
    second = poller.poll_all()
    assert second.outcomes[0].status == "not_modified"
    assert seen_headers[1]["If-None-Match"] == '"v1"'
    assert seen_headers[1]["If-Modified-Since"] == "Tue, 16 Feb 2021 08:00:00 GMT"
    assert "announcement-monitor" in seen_headers[0]["User-Agent"]
    assert "gzip" in seen_headers[0]["Accept-Encoding"]


def test_same_body_with_new_validators_counts_as_unchanged(httpserver: HTTPServer, make_poller):
    counter = iter(range(100))

    def handler(request: Request) -> Response:
        return Response(
            rss([item(1)]),
            content_type="application/rss+xml",
            headers={"ETag": f'"{next(counter)}"'},
        )

    httpserver.expect_request("/feed").respond_with_handler(handler)
    poller = make_poller([{"id": "f1", "url": httpserver.url_for("/feed")}])
    assert poller.poll_all().emitted == 1
    assert poller.poll_all().outcomes[0].status == "unchanged"


def test_changed_content_is_re_emitted_with_the_same_id(httpserver: HTTPServer, make_poller, bus):
    bodies = [rss([item(1)]), rss([item(1, description="Corrected: 17,000 suspects.")])]
    httpserver.expect_request("/feed").respond_with_handler(
        lambda r: Response(bodies[0], content_type="application/rss+xml")
    )
    poller = make_poller([{"id": "f1", "url": httpserver.url_for("/feed")}])
    poller.poll_all()
    bodies.pop(0)
    report = poller.poll_all()
    assert report.emitted == 1 and report.outcomes[0].changed == 1
    first, second = produced(bus)
    assert first.id == second.id
    assert second.summary == "Corrected: 17,000 suspects."
    assert first.content_hash != second.content_hash


def test_the_same_article_from_two_feeds_is_emitted_once(httpserver: HTTPServer, make_poller, bus):
    httpserver.expect_request("/a").respond_with_data(
        rss([item(1)]), content_type="application/rss+xml"
    )
    tracked = item(1)
    tracked["link"] = "https://WWW.example.org/news/1.html?utm_source=rss&spm=3#top"
    tracked["guid"] = "other-guid-1"
    httpserver.expect_request("/b").respond_with_data(
        rss([tracked]), content_type="application/rss+xml"
    )
    poller = make_poller(
        [
            {"id": "a", "url": httpserver.url_for("/a")},
            {"id": "b", "url": httpserver.url_for("/b")},
        ],
        max_concurrent=1,
    )
    report = poller.poll_all()
    assert report.emitted == 1
    assert sum(o.duplicates for o in report.outcomes) == 1
    assert len(produced(bus)) == 1


def test_atom_and_rdf_feeds(httpserver: HTTPServer, make_poller, bus):
    httpserver.expect_request("/atom").respond_with_data(ATOM, content_type="application/atom+xml")
    httpserver.expect_request("/rdf").respond_with_data(RDF, content_type="application/rdf+xml")
    poller = make_poller(
        [
            {"id": "atom", "url": httpserver.url_for("/atom")},
            {"id": "rdf", "url": httpserver.url_for("/rdf")},
        ]
    )
    assert poller.poll_all().emitted == 2
    by_feed = {a.feed_id: a for a in produced(bus)}
    assert by_feed["atom"].body == "The Ministry of Public Security launched Clean Internet 2021."
    assert by_feed["atom"].lang == "en"
    assert by_feed["rdf"].title == "断卡行动" and by_feed["rdf"].lang == "zh"
    assert by_feed["rdf"].published_at.isoformat() == "2021-03-05T02:00:00+00:00"


def test_entries_without_link_or_guid_and_future_dates(httpserver: HTTPServer, make_poller, bus):
    anonymous = {"title": "无链接的通报", "description": "没有链接也没有GUID的条目。"}
    future = item(2, pubDate="Wed, 01 Jan 2031 00:00:00 +0000")
    httpserver.expect_request("/feed").respond_with_data(
        rss([anonymous, future]), content_type="application/rss+xml"
    )
    poller = make_poller([{"id": "f1", "url": httpserver.url_for("/feed")}])
    report = poller.poll_all()
    assert report.emitted == 2
    problems = " ".join(report.outcomes[0].problems)
    assert "1 entries had neither link nor GUID" in problems
    assert "1 entries were dated in the future" in problems
    assert poller.poll_all().emitted == 0  # the stand-in GUID is stable
    dated = {a.title: a for a in produced(bus)}["Announcement 2"]
    assert dated.published_at.year < 2031
    assert "dated in the future" in poller._store.load("f1").notes  # shown by `feeds list`


def test_start_polls_at_once_and_then_every_interval(httpserver: HTTPServer, make_poller, bus):
    hits: list[float] = []

    def handler(request: Request) -> Response:
        hits.append(time.monotonic())
        return Response(rss([item(len(hits))]), content_type="application/rss+xml")

    httpserver.expect_request("/feed").respond_with_handler(handler)
    poller = make_poller([{"id": "demo", "url": httpserver.url_for("/feed"), "interval": 1}])
    started = time.monotonic()
    poller.start()
    deadline = time.monotonic() + 10
    while len(produced(bus)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    poller.stop()
    poller.close()
    assert hits and hits[0] - started < 1.0
    assert len(hits) >= 3
    assert len(produced(bus)) >= 3
