"""Saved searches in a real browser (Debian's Chromium through Playwright) against a real
uvicorn: save the search on show from the search page, find it on /saved, reopen it, rename it
and turn its email on; with a token, the forms send it as a header (saved.js)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from monitor.index.embedded import EmbeddedIndex
from monitor.saved.sqlite import SqliteSavedSearches
from monitor.web.app import create_app
from tests.web.browser import serve
from tests.web.conftest import CI, corpus
from tests.web.test_browser import Watched

TOKEN = "s3cret"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedIndex]:
    idx = EmbeddedIndex(tmp_path_factory.mktemp("saved-browser") / "index.db")
    idx.upsert_many(corpus())
    yield idx
    idx.close()


def _serve(index: EmbeddedIndex, tmp_path: Path, token: str | None = None) -> Iterator[str]:
    store = SqliteSavedSearches(tmp_path / "saved.db")
    with serve(create_app(index, token=token, saved=store)) as url:
        yield url
    store.close()


@pytest.fixture
def base_url(index: EmbeddedIndex, tmp_path: Path) -> Iterator[str]:
    yield from _serve(index, tmp_path)


@pytest.fixture
def guarded_url(index: EmbeddedIndex, tmp_path: Path) -> Iterator[str]:
    yield from _serve(index, tmp_path, TOKEN)


def save_from_search_page(page: Page, base: str, name: str) -> None:
    page.goto(f"{base}/?q=arrested")
    page.locator('.facet[data-facet="campaign"] a', has_text=CI).click()
    expect(page.locator(".total")).to_contain_text("3 announcements for")
    page.get_by_text("Save this search").click()
    form = page.locator("details.save-search form")
    form.get_by_label("Name").fill(name)
    form.get_by_role("button", name="Save").click()


def test_save_a_search_find_it_on_the_saved_page_and_reopen_it(
    browser: Browser, base_url: str
) -> None:
    desk = Watched(browser.new_page(viewport={"width": 1280, "height": 900}))
    page = desk.page
    save_from_search_page(page, base_url, "Clean Internet arrests")
    page.wait_for_url("**/saved?done=saved*")
    item = page.locator(".saved-search", has_text="Clean Internet arrests")
    expect(item).to_contain_text(f"campaign: {CI}")
    expect(item).to_contain_text("No email")
    desk.shot("saved")

    # rename it and have it emailed, from the page
    item.get_by_label("Name").fill("CI arrests")
    item.get_by_label("Email").select_option("immediate")
    item.get_by_label("to").fill("analyst@example.org")
    item.get_by_role("button", name="Change").click()
    page.wait_for_url("**/saved?done=changed*")
    item = page.locator(".saved-search", has_text="CI arrests")
    expect(item).to_contain_text("Emails each match at once to analyst@example.org")

    # the nav leads here, and the saved search reopens the same search
    page.goto(base_url)
    page.get_by_role("link", name="Saved", exact=True).click()
    page.get_by_role("link", name="CI arrests").click()
    expect(page.locator(".total")).to_contain_text("3 announcements for")
    expect(page.get_by_label("Search announcements")).to_have_value("arrested")
    expect(page.locator(".pill")).to_contain_text(f"Campaign: {CI}")

    page.goto(base_url + "/saved")
    page.locator(".saved-search", has_text="CI arrests").get_by_role(
        "button", name="Delete"
    ).click()
    page.wait_for_url("**/saved?done=deleted")
    expect(page.locator(".none")).to_have_text("No search is saved yet.")
    desk.clean()
    page.close()


def test_with_a_token_the_forms_send_it(browser: Browser, guarded_url: str) -> None:
    context = browser.new_context(http_credentials={"username": "me", "password": TOKEN})
    desk = Watched(context.new_page())
    page = desk.page
    page.goto(guarded_url + "/?q=arrested")
    page.get_by_text("Save this search").click()
    form = page.locator("details.save-search form")
    form.get_by_label("Name").fill("Guarded")
    form.get_by_label("Token").fill("wrong")
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".saved-status")).to_contain_text("needs the monitor's token")
    form.get_by_label("Token").fill(TOKEN)
    form.get_by_role("button", name="Save").click()
    page.wait_for_url("**/saved?done=saved*")
    # the page opens at the search just saved, as it does without a script
    search_id = page.url.rpartition("id=")[2].partition("#")[0]
    assert page.url.endswith(f"#saved-{search_id}") and len(search_id) == 32
    expect(page.locator(".saved-search")).to_contain_text("Guarded")
    assert [e for e in desk.errors if "401" not in e] == [] and desk.alerts == []
    context.close()
