"""Silence is what the monitor saw: how long since a poll last found something new in the feed,
against the source's usual rhythm; never the age of the newest article's date."""

from __future__ import annotations

import time
from collections.abc import Callable

from pytest_httpserver import HTTPServer

from monitor.bus.embedded import EmbeddedBus
from monitor.ops.view import Ops
from monitor.settings import Settings
from pipelines.poll import build_poller
from tests.alerts.conftest import LocalSmtp
from tests.feeds.conftest import item, rss
from tests.ops.conftest import TO

DAY = 86400.0


def _old_daily_items() -> bytes:
    """Five announcements published a day apart, in February 2021."""
    return rss([item(n, pubDate=f"Tue, {10 + n:02d} Feb 2021 08:00:00 +0800") for n in range(1, 6)])


def test_a_source_with_years_old_articles_that_polls_fine_is_not_silent(
    feed_server: HTTPServer,
    smtp: LocalSmtp,
    bus: EmbeddedBus,
    make_settings: Callable[..., Settings],
    make_ops: Callable[..., Ops],
) -> None:
    feed_server.expect_request("/feed").respond_with_data(
        _old_daily_items(), content_type="application/rss+xml"
    )
    source = {"id": "archive", "name": "Archive", "url": feed_server.url_for("/feed")}
    settings = make_settings(
        [{**source, "fulltext": "never"}],
        smtp={"host": "127.0.0.1", "port": smtp.port, "from": "monitor@example.org"},
        alerts={"to": TO},
    )
    poller = build_poller(settings, bus.producer())
    assert poller.health is not None
    try:
        first = poller.poll_all().outcomes[0]
        again = poller.poll_all().outcomes[0]
        assert (first.status, again.status) == ("new", "unchanged")
        assert poller.health.check() == []  # no "silent" email
    finally:
        poller.close()
    assert smtp.sink.received == []

    polled = time.time()
    (row,) = make_ops(settings).sources()
    assert (row.status, row.detail) == ("ok", "polled fine")

    # Still silent when it is: nothing new for five days, from a source that publishes daily.
    later = make_ops(settings, clock=lambda: polled + 5 * DAY)
    (row,) = later.sources()
    assert row.status == "silent"
    assert row.detail == "nothing new for 5 days; it usually publishes every 1 day"
