"""A source that stops answering gives one feed-health email, and one more when it answers again:
a real feed server on loopback, the real poller and a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import time
from collections.abc import Callable

from pytest_httpserver import HTTPServer

from monitor.bus.embedded import EmbeddedBus
from monitor.ops.health import FeedHealthConfig
from monitor.settings import Settings
from pipelines.poll import build_poller
from tests.alerts.conftest import LocalSmtp
from tests.ops.conftest import TO, serve_feed


def _settings(make_settings: Callable[..., Settings], url: str, smtp: LocalSmtp) -> Settings:
    source = {
        "id": "mps-news",
        "name": "Ministry of Public Security: news",
        "url": url,
        "kind": "feed",
        "lang": "en",
        "interval": 1,
        "fulltext": "never",
    }
    return make_settings(
        [source],
        smtp={"host": "127.0.0.1", "port": smtp.port, "from": "monitor@example.org"},
        alerts={"to": TO},
        web={"base_url": "https://monitor.example.org"},
    )


def test_one_email_when_a_source_stops_answering_and_one_when_it_is_back(
    feed_server: HTTPServer,
    smtp: LocalSmtp,
    bus: EmbeddedBus,
    make_settings: Callable[..., Settings],
) -> None:
    url = serve_feed(feed_server)
    settings = _settings(make_settings, url, smtp)
    poller = build_poller(settings, bus.producer(), health=FeedHealthConfig(failing_after=0))
    assert poller.health is not None
    try:
        poller.poll_all()
        assert poller.health.check() == []  # fine from the start: nothing to say
        feed_server.stop()  # the source stops answering
        poller.poll_all()
        poller.poll_all()
        changes = poller.health.check()
        assert [(c.source_id, c.before, c.after, c.sent) for c in changes] == [
            ("mps-news", "ok", "failing", True)
        ]
        assert poller.health.check() == []  # one email per change, not one per check
        poller.poll_all()
        assert poller.health.check() == []
        mails = smtp.sink.wait_for(1)
        assert len(mails) == 1
        failing = mails[0]
        assert failing.recipients == [TO]
        assert failing.subject == "Source failing: Ministry of Public Security: news"
        text = failing.part("plain")
        assert "failing for" in text and "(2 polls in a row)" in text
        assert "the server refused the connection" in text
        assert url in text and "https://monitor.example.org/ops" in text

        feed_server.start()  # it answers again
        poller.poll_all()
        changes = poller.health.check()
        assert [(c.before, c.after) for c in changes] == [("failing", "ok")]
        mails = smtp.sink.wait_for(2)
        assert len(mails) == 2
        assert mails[1].subject == "Source recovered: Ministry of Public Security: news"
        assert poller.health.check() == []
        time.sleep(0.2)
        assert len(smtp.sink.received) == 2
    finally:
        poller.close(timeout=5)


def test_the_running_poller_checks_health_on_its_own_schedule(
    feed_server: HTTPServer,
    smtp: LocalSmtp,
    bus: EmbeddedBus,
    make_settings: Callable[..., Settings],
) -> None:
    url = serve_feed(feed_server)
    feed_server.stop()  # down from the start
    settings = _settings(make_settings, url, smtp)
    config = FeedHealthConfig(failing_after=0, check_every=0.2)
    poller = build_poller(settings, bus.producer(), health=config)
    poller.start()
    try:
        mails = smtp.sink.wait_for(1, timeout=10)
        assert [m.subject for m in mails] == ["Source failing: Ministry of Public Security: news"]
        feed_server.start()
        mails = smtp.sink.wait_for(2, timeout=15)  # the next poll comes after a back-off
        assert [m.subject for m in mails][1:] == [
            "Source recovered: Ministry of Public Security: news"
        ]
    finally:
        poller.close(timeout=5)
    assert len(smtp.sink.received) == 2


def test_without_recipients_the_poller_sends_nothing(
    feed_server: HTTPServer,
    bus: EmbeddedBus,
    make_settings: Callable[..., Settings],
) -> None:
    url = serve_feed(feed_server)
    settings = make_settings([{"id": "a", "url": url, "interval": 60}])
    poller = build_poller(settings, bus.producer())
    try:
        assert poller.health is None
    finally:
        poller.close(timeout=5)
