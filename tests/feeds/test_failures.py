"""Every way a source fails: the error a user reads, the failure count, the next poll time."""

from __future__ import annotations

import socket
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from .conftest import item, produced, rss


def _poll_once(make_poller, url: str, **limits):
    poller = make_poller([{"id": "src", "url": url, "interval": 60}], **limits)
    started = time.time()
    outcome = poller.poll_all().outcomes[0]
    return poller, outcome, outcome.next_poll - started if outcome.next_poll else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (404, "the page was not found (404)"),
        (500, "the server failed (500 Internal Server Error)"),
        (503, "the server is unavailable (503"),
    ],
)
def test_http_errors(httpserver: HTTPServer, make_poller, status, words):
    httpserver.expect_request("/feed").respond_with_data("nope", status=status)
    poller, outcome, delay = _poll_once(make_poller, httpserver.url_for("/feed"))
    assert outcome.status == "failed" and words in outcome.error
    state = poller._store.load("src")
    assert state.failures == 1 and state.last_error == outcome.error
    assert 59 < delay < 62  # first retry after the configured interval


def test_backoff_doubles_to_the_ceiling_and_never_drops(httpserver: HTTPServer, make_poller):
    httpserver.expect_request("/feed").respond_with_data("down", status=500)
    poller = make_poller(
        [{"id": "src", "url": httpserver.url_for("/feed"), "interval": 60}], backoff_ceiling=300
    )
    delays = []
    for _ in range(6):
        now = time.time()
        delays.append(round(poller.poll_all().outcomes[0].next_poll - now))
    assert delays == [60, 120, 240, 300, 300, 300]
    assert poller._store.load("src").failures == 6
    httpserver.clear()
    httpserver.expect_request("/feed").respond_with_data(rss([item(1)]), content_type="text/xml")
    assert poller.poll_all().emitted == 1
    state = poller._store.load("src")
    assert state.failures == 0 and state.last_error == "" and state.last_success


def test_410_gone_waits_the_ceiling(httpserver: HTTPServer, make_poller):
    httpserver.expect_request("/feed").respond_with_data("", status=410)
    _, outcome, delay = _poll_once(make_poller, httpserver.url_for("/feed"), backoff_ceiling=7200)
    assert "gone for good (410 Gone)" in outcome.error
    assert 7199 < delay < 7300


def test_429_honours_retry_after(httpserver: HTTPServer, make_poller):
    httpserver.expect_request("/feed").respond_with_data(
        "", status=429, headers={"Retry-After": "900"}
    )
    _, outcome, delay = _poll_once(make_poller, httpserver.url_for("/feed"))
    assert "429 Too Many Requests" in outcome.error and "wait 900 s" in outcome.error
    assert 899 < delay < 1000


def test_timeout(httpserver: HTTPServer, make_poller):
    def slow(request: Request) -> Response:
        time.sleep(2)
        return Response(rss([item(1)]), content_type="text/xml")

    httpserver.expect_request("/feed").respond_with_handler(slow)
    _, outcome, _ = _poll_once(make_poller, httpserver.url_for("/feed"), timeout=0.5)
    assert outcome.error == "timed out waiting for data after 0.5 s"


def test_connection_refused(make_poller):
    _, outcome, _ = _poll_once(make_poller, f"http://127.0.0.1:{_free_port()}/feed")
    assert outcome.error.startswith("the server refused the connection")


def test_dns_failure(make_poller):
    _, outcome, _ = _poll_once(make_poller, "http://no-such-host.invalid/feed")
    assert outcome.error == "the host name could not be resolved (DNS failure)"


def test_redirect_loop(httpserver: HTTPServer, make_poller):
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    _, outcome, _ = _poll_once(make_poller, httpserver.url_for("/a"))
    assert outcome.error.startswith("too many redirects")


def test_redirect_is_followed(httpserver: HTTPServer, make_poller, bus):
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": "/new"}
    )
    httpserver.expect_request("/new").respond_with_data(rss([item(1)]), content_type="text/xml")
    _, outcome, _ = _poll_once(make_poller, httpserver.url_for("/old"))
    assert outcome.emitted == 1


def test_response_larger_than_the_cap(httpserver: HTTPServer, make_poller, bus):
    huge = rss([item(n, description="x" * 500) for n in range(200)])
    httpserver.expect_request("/feed").respond_with_data(huge, content_type="text/xml")
    _, outcome, _ = _poll_once(make_poller, httpserver.url_for("/feed"), max_bytes=20_000)
    assert "larger than the 20,000-byte cap" in outcome.error
    assert produced(bus) == []


def test_gzip_bomb_is_capped_after_decompression(httpserver: HTTPServer, make_poller):
    import gzip

    body = gzip.compress(b"<rss>" + b" " * 5_000_000 + b"</rss>")
    httpserver.expect_request("/feed").respond_with_data(
        body, content_type="text/xml", headers={"Content-Encoding": "gzip"}
    )
    _, outcome, _ = _poll_once(make_poller, httpserver.url_for("/feed"), max_bytes=100_000)
    assert "larger than the 100,000-byte cap" in outcome.error


def test_html_instead_of_a_feed_names_the_advertised_feed(httpserver: HTTPServer, make_poller):
    page = (
        "<!DOCTYPE html><html><head><title>公安部</title>"
        '<link rel="alternate" type="application/rss+xml" href="/rss/news.xml">'
        "</head><body><p>欢迎</p></body></html>"
    )
    httpserver.expect_request("/").respond_with_data(page, content_type="text/html")
    _, outcome, _ = _poll_once(make_poller, httpserver.url_for("/"))
    assert outcome.error == (
        "the URL returned an HTML page, not a feed; the page "
        f"advertises a feed at {httpserver.url_for('/rss/news.xml')}"
    )


def test_html_without_a_feed_link(httpserver: HTTPServer, make_poller):
    httpserver.expect_request("/").respond_with_data(
        "<html><body>hi</body></html>", content_type="text/html"
    )
    _, outcome, _ = _poll_once(make_poller, httpserver.url_for("/"))
    assert "advertises no feed" in outcome.error


def test_malformed_xml_keeps_its_entries(httpserver: HTTPServer, make_poller, bus):
    broken = rss([item(1), item(2)]).replace(b"</channel></rss>", b"<item><title>cut")
    httpserver.expect_request("/feed").respond_with_data(broken, content_type="text/xml")
    poller, outcome, _ = _poll_once(make_poller, httpserver.url_for("/feed"))
    assert outcome.status == "new" and outcome.emitted >= 2
    assert any("not well-formed XML" in p for p in outcome.problems)
    assert "not well-formed XML" in poller._store.load("src").notes


def test_empty_feed(httpserver: HTTPServer, make_poller):
    httpserver.expect_request("/feed").respond_with_data(rss([]), content_type="text/xml")
    poller, outcome, _ = _poll_once(make_poller, httpserver.url_for("/feed"))
    assert outcome.status == "unchanged" and outcome.problems == ("the feed has no entries",)
    assert poller._store.load("src").failures == 0


def test_empty_body(httpserver: HTTPServer, make_poller):
    httpserver.expect_request("/feed").respond_with_data(b"", content_type="text/xml")
    _, outcome, _ = _poll_once(make_poller, httpserver.url_for("/feed"))
    assert outcome.error == "the response was empty"


def test_floors_from_ttl_and_max_age(httpserver: HTTPServer, make_poller):
    httpserver.expect_request("/ttl").respond_with_data(
        rss([item(1)], channel="<ttl>30</ttl>"), content_type="text/xml"
    )
    httpserver.expect_request("/sy").respond_with_data(
        rss(
            [item(2)],
            channel="<sy:updatePeriod>daily</sy:updatePeriod>"
            "<sy:updateFrequency>4</sy:updateFrequency>",
        ),
        content_type="text/xml",
    )
    httpserver.expect_request("/cc").respond_with_data(
        rss([item(3)]), content_type="text/xml", headers={"Cache-Control": "max-age=2400"}
    )
    poller = make_poller(
        [{"id": s, "url": httpserver.url_for(f"/{s}"), "interval": 60} for s in ("ttl", "sy", "cc")]
    )
    now = time.time()
    delays = {o.source_id: o.next_poll - now for o in poller.poll_all().outcomes}
    assert 1799 < delays["ttl"] < 1810
    assert 21599 < delays["sy"] < 21610
    assert 2399 < delays["cc"] < 2410


def test_retry_after_survives_a_restart(httpserver: HTTPServer, make_poller):
    httpserver.expect_request("/slow-down").respond_with_data(
        "", status=429, headers={"Retry-After": "900"}
    )
    httpserver.expect_request("/fine").respond_with_data(rss([item(1)]), content_type="text/xml")
    sources = [
        {"id": "busy", "url": httpserver.url_for("/slow-down")},
        {"id": "fine", "url": httpserver.url_for("/fine")},
    ]
    first = make_poller(sources)
    first.poll_all()
    first.close()
    second = make_poller(sources)
    second.start()
    try:
        jobs = {job.id: job.next_run_time.timestamp() for job in second._scheduler.get_jobs()}
    finally:
        second.stop()
    now = time.time()
    assert 850 < jobs.get("busy", 0) - now < 1000  # still waiting as the server asked
    assert "fine" not in jobs or jobs["fine"] - now < 60  # polled at once on start
