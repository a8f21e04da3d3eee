"""The campaign page in a real browser (Debian's Chromium through Playwright, against a real
uvicorn): where it stands, the timeline's lines and points, a point followed to the sentence it
came from, the years compared; on a desktop and on a phone. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from monitor.index.embedded import EmbeddedIndex
from monitor.web.app import create_app
from tests.web.browser import ARTIFACTS, serve
from tests.web.conftest import corpus as shared_corpus
from tests.web.running_totals import CI20, corpus

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    index = EmbeddedIndex(Path(tmp_path_factory.mktemp("campaign-browser")) / "index.db")
    index.upsert_many(corpus() + shared_corpus())
    with serve(create_app(index)) as url:
        yield url
    index.close()


def watched(page: Page) -> list[str]:
    """Console errors of `page` as they come (a style or script the page's policy refuses)."""
    errors: list[str] = []

    def seen(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", seen)
    return errors


def test_the_timeline_links_each_point_to_its_sentence(browser: Browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = watched(page)
    page.goto(base_url + "/campaigns/净网2020")
    expect(page.locator("h1")).to_contain_text(CI20)

    standing = page.locator("table.totals")
    arrested = standing.locator('tr[data-measure="arrested"]')
    expect(arrested.locator("a.total")).to_have_text("14,000")  # the later total, not 22,000
    expect(arrested).to_contain_text("2020-06-15")
    expect(standing).not_to_contain_text("22,000")
    expect(standing.locator('tr[data-measure="money_seized"]')).to_contain_text(
        "one period, no running total"
    )

    chart = page.locator('[data-measure="arrested"] svg.chart')
    expect(chart).to_be_visible()
    expect(chart.locator("g.series")).to_have_count(3)
    expect(chart.locator("polyline")).to_have_count(2)  # the nation and Guangdong
    expect(chart.locator("circle")).to_have_count(8)
    legend = page.locator('[data-measure="arrested"] .legend li')
    expect(legend).to_have_text(["national", "Guangdong", "Zhejiang"])
    # the lines are drawn in different colours, as their legend says
    colours = chart.locator("polyline").evaluate_all(
        "lines => lines.map(l => getComputedStyle(l).stroke)"
    )
    assert len(set(colours)) == 2
    box = chart.bounding_box()
    assert box is not None and box["width"] > 250 and box["height"] > 100

    years = page.locator('[data-years-measure="arrested"] svg.chart.years')
    expect(years).to_be_visible()
    expect(page.locator('[data-years-measure="arrested"] .legend li')).to_have_text(
        ["2021", "2020", "2019"]
    )
    page.screenshot(path=str(ARTIFACTS / "campaign-timeline.png"), full_page=True)

    # a point is a link named by what it shows
    point = chart.get_by_role("link", name="2020-06-15, national: 14,000 arrested (running total)")
    expect(point).to_have_count(1)
    point.click()
    expect(page).to_have_url(re.compile(r"/articles/art-102#fig-\d+$"))
    expect(page.locator("h1")).to_contain_text("14,000 suspects arrested so far")
    expect(page.locator("mark.fig:target")).to_have_text("arrested 14,000 suspects so far")
    assert errors == []
    page.close()


def test_the_standing_of_a_region_opens_from_the_page(browser: Browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/campaigns/Clean%20Internet%202020")
    page.locator(".scopes").get_by_role("link", name="Guangdong").click()
    expect(page.locator("h2#standing")).to_have_text("Where it stands in Guangdong")
    expect(page.locator('table.totals tr[data-measure="arrested"] a.total')).to_have_text("2,600")
    page.close()


def test_the_campaign_page_fits_a_phone(browser: Browser, base_url: str) -> None:
    page = browser.new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    errors = watched(page)
    page.goto(base_url + "/campaigns/淨網2020")
    chart = page.locator('[data-measure="arrested"] svg.chart')
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and 300 < box["width"] <= PHONE["width"]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    # the standing reads without scrolling sideways
    standing = page.locator(".scroll:has(table.totals)")
    assert standing.evaluate("box => box.scrollWidth - box.clientWidth") <= 0
    # a point is big enough to tap
    radius = chart.locator("circle").first.evaluate("c => c.getBoundingClientRect().width")
    assert radius >= 10
    page.screenshot(path=str(ARTIFACTS / "campaign-timeline-phone.png"), full_page=True)
    assert errors == []
    page.close()
