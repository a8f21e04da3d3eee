"""A feed cannot make the monitor read a network only the monitor sees: entry links and
redirects to loopback, private, link-local or reserved addresses are refused (checked on the
address the host resolves to), except the address the feed itself came from, or with
`allow_private = true` on the source."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from monitor.feeds.cli import app as feeds_app
from monitor.feeds.transport import address_kind

from .conftest import produced, rss

SECRET = "<html><body><article><p>" + "Loopback-only secret, never to be indexed. " * 5
PAGE = "<html><body><article><p>" + "The article's own page, on the feed's host. " * 5


def _server(host: str) -> Iterator[HTTPServer]:
    server = HTTPServer(host=host, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def feed_host() -> Iterator[HTTPServer]:
    yield from _server("127.0.0.1")


@pytest.fixture
def other_port() -> Iterator[HTTPServer]:
    yield from _server("127.0.0.1")


@pytest.fixture
def other_loopback() -> Iterator[HTTPServer]:
    """127.0.0.2: on Linux the whole of 127/8 answers on the loopback interface."""
    yield from _server("127.0.0.2")


def _entry(n: int, link: str) -> dict[str, str]:
    return {"title": f"Entry {n}", "link": link, "guid": f"entry-{n}", "description": f"Sum {n}."}


def _serve_feed(feed_host: HTTPServer, other_port: HTTPServer, other: HTTPServer) -> None:
    other.expect_request("/secret").respond_with_data(SECRET, content_type="text/html")
    other_port.expect_request("/page").respond_with_data(PAGE, content_type="text/html")
    feed_host.expect_request("/own").respond_with_data(PAGE, content_type="text/html")
    feed_host.expect_request("/hop").respond_with_data(
        "", status=302, headers={"Location": f"http://127.0.0.2:{other.port}/secret"}
    )
    links = [
        f"http://127.0.0.2:{other.port}/secret",  # another loopback address
        "http://169.254.169.254/latest/meta-data/",  # the cloud metadata address
        f"http://[::ffff:127.0.0.2]:{other.port}/secret",  # the same, IPv4-mapped
        f"http://2130706434:{other.port}/secret",  # a name that resolves to 127.0.0.2
        feed_host.url_for("/hop"),  # allowed, then redirects to 127.0.0.2
        feed_host.url_for("/own"),  # the feed's own address: allowed
        other_port.url_for("/page"),  # the feed's own address, another port: allowed
    ]
    feed_host.expect_request("/feed").respond_with_data(
        rss([_entry(n, link) for n, link in enumerate(links)]), content_type="text/xml"
    )


def test_links_and_redirects_to_other_private_addresses_are_not_fetched(
    feed_host: HTTPServer,
    other_port: HTTPServer,
    other_loopback: HTTPServer,
    make_poller,
    bus,
    tmp_path: Path,
):
    _serve_feed(feed_host, other_port, other_loopback)
    poller = make_poller([{"id": "intranet", "url": feed_host.url_for("/feed")}])
    outcome = poller.poll_all().outcomes[0]
    poller.close()

    assert other_loopback.log == []  # 127.0.0.2 was never asked for anything
    articles = {a.title: a for a in produced(bus)}
    assert len(articles) == 7  # every entry is ingested, refused ones with their summary
    for n in range(5):
        assert articles[f"Entry {n}"].body == "" and articles[f"Entry {n}"].summary == f"Sum {n}."
    assert "own page" in articles["Entry 5"].body and "own page" in articles["Entry 6"].body
    assert not any("secret" in a.body for a in articles.values())
    refused = [p for p in outcome.problems if "may not make the monitor reach" in p]
    assert len(refused) == 5
    assert any("127.0.0.2 is a loopback address" in p for p in refused)
    assert any("169.254.169.254 is a link-local address" in p for p in refused)
    assert any("::ffff:127.0.0.2 is a loopback address" in p for p in refused)
    assert any("2130706434 (127.0.0.2) is a loopback address" in p for p in refused)
    assert [p for p in refused if "/hop" in p]  # refused at the redirect

    env = {
        "COLUMNS": "200",
        "MONITOR_FEEDS": str(tmp_path / "feeds.toml"),
        "MONITOR_DATA_DIR": str(tmp_path / "data"),
    }
    listed = CliRunner().invoke(feeds_app, ["list"], env=env, catch_exceptions=False)
    flat = " ".join(listed.output.replace("│", " ").split())
    assert listed.exit_code == 0 and "ok, with warnings" in flat
    assert (
        "169.254.169.254 is a link-local address, which a feed may not make the monitor "
        "reach (allow_private = true on the source allows it); the summary was kept"
    ) in flat


def test_allow_private_lets_a_source_reach_its_private_network(
    feed_host: HTTPServer, other_port: HTTPServer, other_loopback: HTTPServer, make_poller, bus
):
    _serve_feed(feed_host, other_port, other_loopback)
    poller = make_poller(
        [{"id": "intranet", "url": feed_host.url_for("/feed"), "allow_private": True}],
        fulltext_timeout=2,
    )
    poller.poll_all()
    poller.close()
    assert len(other_loopback.log) == 4  # direct, IPv4-mapped, by number, after the redirect
    bodies = [a.body for a in produced(bus)]
    assert sum("secret" in b for b in bodies) == 4


def test_a_feed_redirected_to_another_private_address_is_refused(
    feed_host: HTTPServer, other_loopback: HTTPServer, make_poller
):
    feed_host.expect_request("/moved").respond_with_data(
        "", status=301, headers={"Location": other_loopback.url_for("/feed")}
    )
    other_loopback.expect_request("/feed").respond_with_data(rss([]), content_type="text/xml")
    poller = make_poller([{"id": "moved", "url": feed_host.url_for("/moved")}])
    outcome = poller.poll_all().outcomes[0]
    assert outcome.status == "failed"
    assert "not fetched: 127.0.0.2 is a loopback address" in outcome.error
    assert other_loopback.log == []


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.2", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.1.2.3", "private"),
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 of 169.254.169.254
        ("2002:c0a8:0101::1", "private"),  # 6to4 of 192.168.1.1
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("100.64.0.1", "non-public"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("8.8.8.8", None),
        ("2001:4860:4860::8888", None),
        ("64:ff9b::808:808", None),  # NAT64 of a public address stays public
    ],
)
def test_address_kinds(address: str, kind: str | None):
    assert address_kind(ipaddress.ip_address(address)) == kind
