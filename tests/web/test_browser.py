"""The pages in a real browser (Debian's Chromium through Playwright) against a real uvicorn:
search, click a facet, open an article and see its figure highlighted, open a campaign and see
its chart, on a desktop and on a phone. Screenshots go to tests/artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, expect

from monitor.index.embedded import EmbeddedIndex
from monitor.web.app import create_app
from tests.web.browser import ARTIFACTS, serve
from tests.web.conftest import CI, XSS_TITLE, corpus

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    index = EmbeddedIndex(Path(tmp_path_factory.mktemp("browser")) / "index.db")
    index.upsert_many(corpus())
    with serve(create_app(index)) as url:
        yield url
    index.close()


class Watched:
    """A page that remembers alerts and console errors (a CSP violation is one)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.alerts: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", self._console)

    def _dialog(self, dialog: Dialog) -> None:
        self.alerts.append(dialog.message)
        dialog.dismiss()

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def clean(self) -> None:
        assert self.alerts == [] and self.errors == []


@pytest.fixture
def desk(browser: Browser) -> Iterator[Watched]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield Watched(page)
    page.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Watched]:
    page = browser.new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield Watched(page)
    page.close()


def test_search_then_click_a_facet(desk: Watched, base_url: str) -> None:
    page = desk.page
    page.goto(base_url)
    page.get_by_label("Search announcements").fill("arrested")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".total")).to_contain_text("4 announcements for")
    expect(page.locator(".hit mark").first).to_have_text("arrested")
    expect(page.locator(".chip", has_text="17,000 arrested").first).to_be_visible()
    expect(page.locator("svg.histogram rect.bar")).to_have_count(12)
    desk.shot("search")
    page.locator('.facet[data-facet="campaign"] a', has_text=CI).click()
    expect(page.locator(".total")).to_contain_text("3 announcements for")
    expect(page.locator(".pill")).to_contain_text(f"Campaign: {CI}")
    assert "campaign=Clean+Internet+2021" in page.url
    desk.shot("search-facet")
    page.locator("select[name=sort]").select_option("date")  # app.js submits the form
    page.wait_for_url("**sort=date**")
    expect(page.locator(".hit .title").first).to_have_text(
        "Clean Internet 2021 campaign results announced"
    )
    desk.clean()


def test_open_an_article_and_see_its_figures_highlighted(desk: Watched, base_url: str) -> None:
    page = desk.page
    page.goto(base_url + "/?q=净网")
    page.locator(".hit .title").first.click()
    expect(page.locator("h1")).to_have_text("公安部部署“净网2021”专项行动")
    mark = page.locator("mark.fig").first
    expect(mark).to_have_text("抓获犯罪嫌疑人1.7万名")
    expect(mark).to_be_visible()
    expect(page.locator("table.figures tbody tr")).to_have_count(2)
    page.locator("table.figures a", has_text="抓获犯罪嫌疑人1200名").click()
    assert page.url.endswith("#fig-53")  # the quote's offset in the text
    target = page.locator("mark.fig:target")
    expect(target).to_have_text("抓获犯罪嫌疑人1200名")
    desk.shot("article")
    desk.clean()


def test_open_a_campaign_and_see_its_chart(desk: Watched, base_url: str) -> None:
    page = desk.page
    page.goto(base_url + "/campaigns")
    card = page.locator(".card", has_text=CI)
    expect(card).to_contain_text("净网2021")
    expect(card).to_contain_text("25,000 arrested")
    desk.shot("campaigns")
    card.get_by_role("link", name=CI).click()
    expect(page.locator("h1")).to_contain_text(CI)
    chart = page.locator('[data-measure="arrested"] svg.chart')
    expect(chart).to_be_visible()
    expect(chart.locator("circle")).to_have_count(3)  # 1,200 (Jiangsu), 17,000, 25,000
    expect(chart.locator("polyline")).to_have_count(1)
    expect(page.locator('[data-measure="arrested"] figcaption')).to_contain_text("latest: 25,000")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 250 and box["height"] > 100
    expect(page.locator("table.figures")).to_contain_text("(2 reports)")
    desk.shot("campaign")
    desk.clean()


def test_markup_in_a_title_is_text_and_never_runs(desk: Watched, base_url: str) -> None:
    page = desk.page
    for path in ("/?q=onerror", "/articles/art-5", "/campaigns/Blue%20Sword"):
        page.goto(base_url + path)
        expect(page.get_by_text(XSS_TITLE, exact=True).first).to_be_visible()
        assert page.locator("img[src=x]").count() == 0
    expect(page.locator("body")).not_to_contain_text("alert(3)")
    desk.shot("markup-article")
    desk.clean()


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("search", "/?q=arrested"),
        ("article", "/articles/art-1"),
        ("campaigns", "/campaigns"),
        ("campaign", "/campaigns/Clean%20Internet%202021"),
        ("api", "/api"),
    ],
)
def test_pages_fit_a_phone(phone: Watched, base_url: str, name: str, path: str) -> None:
    page = phone.page
    page.goto(base_url + path)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{name} scrolls sideways by {overflow}px on a phone"
    expect(page.locator("form.search input")).to_be_visible()
    phone.shot(f"phone-{name}")
    phone.clean()
