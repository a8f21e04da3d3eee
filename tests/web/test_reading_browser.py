"""Faster reading in a real browser (Debian's Chromium through Playwright, a real uvicorn): pick a
date preset, click and focus histogram bars, choose a suggested campaign name typed in either
script, and follow a figure's link to its sentence, highlighted and scrolled into view."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from monitor.index.embedded import EmbeddedIndex
from monitor.web.app import create_app
from tests.web.browser import ARTIFACTS, serve
from tests.web.conftest import CI
from tests.web.reading_corpus import LONG_FIGURE, LONG_ID, LONG_MENTION, reading_corpus
from tests.web.test_browser import Watched


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    index = EmbeddedIndex(Path(tmp_path_factory.mktemp("reading-browser")) / "index.db")
    index.upsert_many(reading_corpus(datetime.now(UTC)))
    with serve(create_app(index)) as url:
        yield url
    index.close()


@pytest.fixture
def desk(browser: Browser) -> Iterator[Watched]:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    yield Watched(page)
    page.close()


def test_pick_a_date_preset(desk: Watched, base_url: str) -> None:
    page = desk.page
    page.goto(base_url + "/?q=fraud")
    presets = page.get_by_role("navigation", name="Dates")
    expect(presets.locator(".on")).to_have_text("any time")
    presets.get_by_role("link", name="7 days").click()
    page.wait_for_url(re.compile(r"preset=7d"))
    assert "q=fraud" in page.url
    expect(presets.locator(".on")).to_have_text("7 days")
    expect(page.locator(".total")).to_contain_text("2 announcements for")  # 2 hours, 3 days ago
    expect(page.locator(".pill", has_text="7 days: since")).to_be_visible()
    desk.shot("reading-preset")
    # "custom" puts the cursor in the From box
    presets.get_by_text("custom").click()
    expect(page.locator("#date-from")).to_be_focused()
    desk.clean()


def test_click_a_histogram_bar_and_reach_one_by_keyboard(desk: Watched, base_url: str) -> None:
    page = desk.page
    page.goto(base_url + "/?date_from=2021-01-01&date_to=2021-12-31")
    june = page.locator("svg.histogram a", has=page.locator("title", has_text="2021-06:"))
    count = june.locator("text.count")
    expect(count).to_have_text("12")
    expect(count).to_be_visible()  # seven bars: every count fits
    desk.shot("reading-histogram")
    june.click()
    page.wait_for_url(re.compile(r"date_from=2021-06-01&date_to=2021-06-30"))
    expect(page.locator(".total")).to_contain_text("12 announcements")
    # per day now; the keyboard reaches the bars, a focused bar shows its count, Enter opens it
    bars = page.locator("svg.histogram a")
    expect(bars).to_have_count(12)
    page.locator(".exports a").last.focus()  # the link just before the histogram
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('svg.histogram') !== null"):
            break
    focused = page.locator("svg.histogram a:focus")
    expect(focused).to_have_count(1)
    expect(focused.locator("text.count")).to_be_visible()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"date_from=2021-06-01&date_to=2021-06-01"))
    expect(page.locator(".total")).to_contain_text("1 announcement")
    desk.clean()


@pytest.mark.parametrize("typed", ["淨網", "净网", "clean int", "Jingwang 20"])
def test_choose_a_suggested_campaign(desk: Watched, base_url: str, typed: str) -> None:
    page = desk.page
    page.goto(base_url + "/campaigns")
    box = page.get_by_label("Search announcements")
    box.press_sequentially(typed)
    listbox = page.get_by_role("listbox", name="Campaigns")
    expect(listbox).to_be_visible()
    option = listbox.get_by_role("option").filter(has_text=CI)
    expect(option).to_have_count(1)
    if typed.isascii():
        # the keyboard: down to the campaign, Enter
        for _ in range(8):
            page.keyboard.press("ArrowDown")
            if option.get_attribute("aria-selected") == "true":
                break
        expect(option).to_have_attribute("aria-selected", "true")
        page.keyboard.press("Enter")
    else:
        expect(option).to_contain_text("净网2021")
        desk.shot("reading-suggest")
        option.click()
    page.wait_for_url(re.compile(r"q=campaign"))
    expect(box).to_have_value(f'campaign:"{CI}"')
    expect(page.locator(".total")).to_contain_text("4 announcements for")
    expect(listbox).to_be_hidden()
    desk.clean()


def test_a_figure_link_opens_its_sentence_highlighted_in_view(desk: Watched, base_url: str) -> None:
    page = desk.page
    page.goto(f"{base_url}/articles/{LONG_ID}")
    target = page.locator("mark.fig", has_text=LONG_FIGURE)
    expect(target).not_to_be_in_viewport()  # far below the fold
    page.locator("table.figures a", has_text=LONG_FIGURE).click()
    assert re.search(r"#fig-\d+$", page.url)
    marked = page.locator("mark:target")
    expect(marked).to_have_text(LONG_FIGURE)
    expect(marked).to_be_in_viewport()
    page.wait_for_timeout(1700)  # the landing animation ends
    assert marked.evaluate("m => getComputedStyle(m).backgroundColor") == "rgb(255, 229, 138)"
    assert page.locator(".body p:has(mark:target)").evaluate(
        "p => getComputedStyle(p).backgroundColor"
    ) not in ("rgba(0, 0, 0, 0)", "transparent")
    page.screenshot(path=str(ARTIFACTS / "reading-figure-link.png"))  # the screen as it landed
    # the campaign's mention, from the list at the top
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("a.jump", has_text=LONG_MENTION).click()
    camp = page.locator("mark.camp:target")
    expect(camp).to_have_text(LONG_MENTION)
    expect(camp).to_be_in_viewport()
    desk.clean()


def test_counts_show_where_they_fit_and_on_the_bar_pointed_at(
    browser: Browser, base_url: str
) -> None:
    # 45 days, 13 with an announcement: wide enough on a desktop for every count, not on a phone
    path = "/?date_from=2021-06-01&date_to=2021-07-31"
    for width, shown in ((1280, 13), (390, 1)):
        watched = Watched(browser.new_page(viewport={"width": width, "height": 800}))
        page = watched.page
        page.goto(base_url + path)
        labels = page.locator("svg.histogram text.count")
        expect(labels).to_have_count(45)
        visible = labels.evaluate_all(
            "ls => ls.filter(l => getComputedStyle(l).visibility === 'visible').length"
        )
        assert visible == shown, width
        # an empty day: its bar is a sliver, but its column takes the pointer and shows its 0
        empty = page.locator("svg.histogram a", has=page.locator("title", has_text="2021-06-20:"))
        expect(empty.locator("text.count")).to_be_hidden()
        empty.hover()
        expect(empty.locator("text.count")).to_be_visible()
        expect(empty.locator("text.count")).to_have_text("0")
        empty.click()
        page.wait_for_url(re.compile(r"date_from=2021-06-20&date_to=2021-06-20"))
        expect(page.locator(".total")).to_contain_text("0 announcements")
        watched.clean()
        page.close()
