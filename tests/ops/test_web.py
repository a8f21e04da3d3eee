"""The ops page, the requeue endpoints behind the token, and the probes, through the real app."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from fastapi.testclient import TestClient
from pytest_httpserver import HTTPServer

from monitor.bus.base import DEAD_LETTER, RAW
from monitor.bus.embedded import EmbeddedBus
from monitor.index.embedded import EmbeddedIndex
from monitor.ops.health import FeedHealthConfig
from monitor.ops.view import Ops
from monitor.settings import Settings
from monitor.web.app import create_app
from tests.feeds.conftest import item, rss

TOKEN = "s3cret-token"


def test_probes_say_alive_and_ready_then_not_ready_when_the_bus_is_gone(
    scene: Settings, bus: EmbeddedBus, index: EmbeddedIndex, make_ops: Callable[..., Ops]
) -> None:
    client = TestClient(create_app(index, ops=make_ops(scene, bus)))
    assert client.get("/healthz").json() == {"status": "alive"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"index": "ok", "bus": "ok"}}
    bus.close()
    gone = client.get("/readyz")
    assert gone.status_code == 503
    assert gone.json()["status"] == "not ready" and gone.json()["checks"]["index"] == "ok"
    assert "closed" in gone.json()["checks"]["bus"]


def test_probes_without_the_ops_view(index: EmbeddedIndex) -> None:
    client = TestClient(create_app(index))
    assert client.get("/readyz").json() == {"status": "ready", "checks": {"index": "ok"}}
    page = client.get("/ops")
    assert page.status_code == 200 and "not set up" in page.text


def test_the_page_shows_the_failing_source_with_its_error_and_the_dead_letter(
    scene: Settings, bus: EmbeddedBus, index: EmbeddedIndex, make_ops: Callable[..., Ops]
) -> None:
    ops = make_ops(scene, bus, health=FeedHealthConfig(failing_after=0))
    ops.start()
    page = TestClient(create_app(index, ops=ops)).get("/ops").text
    assert "1 failing</b>" in page
    failing = page.split('data-source="gd-police"')[1].split("</tr>")[0]
    assert "Failing" in failing
    assert "the server refused the connection" in failing
    assert "1 failed poll in a row" in failing
    fine = page.split('data-source="mps-news"')[1].split("</tr>")[0]
    assert ">OK<" in fine and "never" not in fine.split('class="date"')[1]
    assert "larger than the limit of 1,024" in page
    assert 'data-stage="extract"' in page and 'data-stage="index"' in page
    assert '<a href="/ops">Ops</a>' in page


def test_requeue_needs_the_token_and_refuses_other_sites(
    scene: Settings, bus: EmbeddedBus, index: EmbeddedIndex, make_ops: Callable[..., Ops]
) -> None:
    client = TestClient(create_app(index, token=TOKEN, ops=make_ops(scene, bus)))
    [dead] = client.get("/api/ops/dead-letters", headers={"X-Monitor-Token": TOKEN}).json()[
        "dead_letters"
    ]
    assert dead["stage"] == "extract" and dead["topic"] == RAW
    url = "/api/ops/dead-letters/requeue"
    assert client.post(url, json={"refs": [dead["ref"]]}).status_code == 401
    cross = client.post(
        url,
        json={"all": True},
        headers={"X-Monitor-Token": TOKEN, "Origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    assert (
        client.post(url, json={"nothing": 1}, headers={"X-Monitor-Token": TOKEN}).status_code == 400
    )
    done = client.post(
        url, json={"refs": [dead["ref"]]}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert done.json() == {"requeued": 1, "skipped": []}
    assert bus.topic_size(DEAD_LETTER) == 0
    assert client.get("/api/ops/dead-letters", headers={"X-Monitor-Token": TOKEN}).json() == {
        "dead_letters": []
    }


def test_the_plain_form_requeues_when_no_token_is_set(
    scene: Settings, bus: EmbeddedBus, index: EmbeddedIndex, make_ops: Callable[..., Ops]
) -> None:
    client = TestClient(create_app(index, ops=make_ops(scene, bus)))
    answer = client.post("/ops/requeue", data={"all": "1"}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/ops?requeued=1#dead-letters"
    page = client.get(answer.headers["location"]).text
    assert "1 message sent back for another try." in page
    assert "The dead-letter queue is empty." in page


def _dated_feed(server: HTTPServer, path: str, ages: list[float]) -> str:
    """A feed of one item per age (seconds before now), newest first."""
    base = server.url_for(path.removesuffix(".xml"))
    now = datetime.now(UTC)
    items = [
        item(i, base, pubDate=format_datetime(now - timedelta(seconds=age)))
        for i, age in enumerate(sorted(ages), start=1)
    ]
    server.expect_request(path).respond_with_data(rss(items), content_type="application/rss+xml")
    return server.url_for(path)


def test_a_source_polled_once_says_how_often_it_publishes_not_zero_a_day(
    feed_server: HTTPServer,
    bus: EmbeddedBus,
    index: EmbeddedIndex,
    make_settings: Callable[..., Settings],
    make_ops: Callable[..., Ops],
) -> None:
    from pipelines.poll import build_poller

    hour, day = 3600.0, 86400.0
    sources = {
        # a provincial bureau: three items over two months, the last one today
        "slow": [hour, 30 * day, 60 * day],
        # a wire whose first items are all from the last three hours
        "fresh": [600, hour, 3 * hour],
        # an archive's two items, years old
        "old": [3 * 365 * day, 4 * 365 * day],
    }
    settings = make_settings(
        [
            {"id": sid, "url": _dated_feed(feed_server, f"/{sid}.xml", ages), "fulltext": "never"}
            for sid, ages in sources.items()
        ]
    )
    poller = build_poller(settings, bus.producer())
    poller.poll_all()
    poller.close(timeout=5)
    page = TestClient(create_app(index, ops=make_ops(settings, bus))).get("/ops").text
    assert "Publishes</th>" in page

    def rate(source: str) -> str:
        row = page.split(f'data-source="{source}"')[1].split("</tr>")[0]
        return " ".join(re.sub(r"<[^>]+>", " ", row.split('class="num rate">')[1]).split())

    assert rate("slow") == "1.5 a month 3 delivered"
    assert rate("fresh") == "3 in the last 3 hours 3 delivered"
    assert rate("old") == "fewer than 1 a month 2 delivered"
    assert "0.0" not in page
