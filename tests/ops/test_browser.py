"""The ops page in Debian's Chromium (Playwright) against a real uvicorn: a failing source shows
with its error, and a poison message is sent back with the token and then indexed once its cause is
fixed. Screenshots go to tests/artifacts/ops*.png."""

from __future__ import annotations

import time
from collections.abc import Callable

from playwright.sync_api import expect

from monitor.bus.embedded import EmbeddedBus
from monitor.index.embedded import EmbeddedIndex
from monitor.ops.health import FeedHealthConfig
from monitor.ops.view import Ops
from monitor.settings import Settings
from monitor.web.app import create_app
from pipelines.stages import build_runner
from tests.conftest import make_article
from tests.ops.conftest import big_article, produce
from tests.web.browser import ARTIFACTS, chromium, serve

TOKEN = "s3cret-token"


def _work(settings: Settings, bus: EmbeddedBus, index: EmbeddedIndex, start: int) -> None:
    """Some traffic through the real stages, so the charts have something to draw."""
    for round_ in range(3):
        produce(bus, *(make_article(start + round_ * 10 + i) for i in range(10)))
        for name in ("extract", "index"):
            runner = build_runner(name, settings, bus, index)
            runner.drain()
            runner.close()
        time.sleep(0.3)


def test_the_ops_page_in_a_browser(
    scene: Settings,
    bus: EmbeddedBus,
    index: EmbeddedIndex,
    make_ops: Callable[..., Ops],
    make_settings: Callable[..., Settings],
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    ops = make_ops(scene, bus, health=FeedHealthConfig(failing_after=0), sample_every=0.2)
    ops.start()
    _work(make_settings(), bus, index, start=100)
    errors: list[str] = []
    with serve(create_app(index, token=TOKEN, ops=ops)) as url, chromium() as browser:
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            http_credentials={"username": "ops", "password": TOKEN},
        )
        page = context.new_page()
        page.on(
            "console", lambda m: errors.append(m.text) if m.type == "error" else None
        )  # a CSP violation is one
        page.goto(f"{url}/ops")
        failing = page.locator('tr[data-source="gd-police"]')
        expect(failing.locator(".badge")).to_have_text("Failing")
        expect(failing).to_contain_text("the server refused the connection")
        expect(page.locator('tr[data-source="mps-news"] .badge')).to_have_text("OK")
        dead = page.locator("table.dlq tbody tr")
        expect(dead).to_have_count(1)
        expect(dead).to_contain_text("larger than the limit of 1,024")
        expect(page.locator('figure[data-stage="index"] svg.spark')).to_have_count(2)
        page.screenshot(path=str(ARTIFACTS / "ops.png"), full_page=True)

        dead.locator("input[type=checkbox]").check()
        page.fill("input[name=token]", "wrong")
        page.click("text=Send picked back")
        expect(page.locator(".requeue-status")).to_contain_text("needs the monitor's token")
        page.fill("input[name=token]", TOKEN)
        page.click("text=Send picked back")
        expect(page.locator("p.done")).to_have_text("1 message sent back for another try.")
        expect(page.locator("text=The dead-letter queue is empty.")).to_be_visible()

        fixed = make_settings()  # the cause was a limit set too low
        for name in ("extract", "index"):
            runner = build_runner(name, fixed, bus, index)
            runner.drain()
            runner.close()
        assert index.get(big_article(1).id) is not None
        assert index.count() == 3 + 30 + 1  # the feed, the traffic, the requeued one
        page.reload()
        page.screenshot(path=str(ARTIFACTS / "ops-requeued.png"), full_page=True)
    assert [e for e in errors if "status of 401" not in e] == []  # the wrong token was ours
