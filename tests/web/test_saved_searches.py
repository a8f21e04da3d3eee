"""Saved searches in the web app: the JSON API, the /saved page and its forms, what a mistake
is told, and the token (reading them needs it too: they hold email addresses)."""

from __future__ import annotations

import asyncio
import base64
import json
import sqlite3
from collections.abc import Iterator, MutableMapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from monitor.errors import TransientError
from monitor.index.embedded import EmbeddedIndex
from monitor.saved.sqlite import SqliteSavedSearches
from monitor.web.app import create_app
from tests.web.conftest import CI, corpus, write_sources

TOKEN = "s3cret"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedIndex]:
    idx = EmbeddedIndex(tmp_path_factory.mktemp("saved-web") / "index.db")
    idx.upsert_many(corpus())
    yield idx
    idx.close()


def make_client(index: EmbeddedIndex, tmp_path: Path, token: str | None = None) -> TestClient:
    store = SqliteSavedSearches(tmp_path / "saved.db")
    sources = write_sources(tmp_path / "feeds.toml")
    return TestClient(create_app(index, token=token, saved=store, sources_file=sources))


@pytest.fixture
def client(index: EmbeddedIndex, tmp_path: Path) -> TestClient:
    return make_client(index, tmp_path)


SEARCH: dict[str, Any] = {
    "name": "Clean Internet, press",
    "q": "arrested",
    "filters": {"campaign": [CI], "level": ["press"]},
    "date_from": "2021-01-01",
    "date_to": "2021-12-31",
    "sort": "date",
}


def test_a_search_is_saved_listed_reopened_changed_and_deleted(client: TestClient) -> None:
    created = client.post("/api/saved", json=SEARCH)
    assert created.status_code == 201
    saved = created.json()
    assert saved["name"] == "Clean Internet, press" and saved["email"] is None
    assert saved["url"] == (
        "/?q=arrested&campaign=Clean+Internet+2021&level=press"
        "&date_from=2021-01-01&date_to=2021-12-31&sort=date"
    )
    # reopening it is the search page with exactly those parameters
    reopened = client.get(saved["url"])
    assert reopened.status_code == 200
    api = client.get("/api/search" + saved["url"][1:]).json()
    assert api["total"] > 0 and f"<b>{api['total']}</b> announcement" in reopened.text

    assert client.get("/api/saved").json() == {"saved_searches": [saved], "unreadable": []}
    assert client.get(f"/api/saved/{saved['id']}").json() == saved

    email = {"to": "analyst@example.org", "delivery": "daily", "at": "7:30"}
    bad = client.put(f"/api/saved/{saved['id']}", json={**SEARCH, "email": email})
    assert bad.status_code == 400
    assert bad.json() == {"detail": "bad request: email.at: '7:30' is not a time of day (HH:MM)"}
    email["at"] = "07:30"
    changed = client.put(f"/api/saved/{saved['id']}", json={**SEARCH, "name": "CI", "email": email})
    assert changed.status_code == 200
    assert changed.json()["name"] == "CI"
    assert changed.json()["email"] == {**email, "timezone": "UTC"}
    assert changed.json()["created_at"] == saved["created_at"]

    assert client.delete(f"/api/saved/{saved['id']}").status_code == 204
    gone = client.get(f"/api/saved/{saved['id']}")
    assert gone.status_code == 404
    assert gone.json() == {"detail": f"there is no saved search with id {saved['id']}"}
    assert client.delete(f"/api/saved/{saved['id']}").status_code == 404
    assert client.put(f"/api/saved/{saved['id']}", json=SEARCH).status_code == 404


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"name": ""}, "name: the name must be 1 to 100 characters"),
        ({"name": "x" * 101}, "name: the name must be 1 to 100 characters"),
        ({"name": None}, "name: Input should be a valid string"),
        ({"name": "\u0000x"}, "name: the name holds a control character"),
        ({"name": "a\u202eb"}, "name: the name holds a control character"),
        (
            {"email": {"to": "someone"}},
            "email.to: 'someone' is not a plain e-mail address (name@domain)",
        ),
        (
            {"email": {"to": "a@example.org\r\nBcc: b@example.org"}},
            "email.to: 'a@example.org\\r\\nBcc: b@example.org' is not a plain e-mail address"
            " (name@domain)",
        ),
        (
            {"email": {"to": "a@example.org", "delivery": "weekly"}},
            "email.delivery: Input should be 'immediate' or 'daily'",
        ),
        ({"filters": {"colour": ["red"]}}, "filters: unknown filter 'colour'; filters are"),
        ({"filters": {"level": ["moon"]}}, "filters: level must be ministry, province, city,"),
        ({"filters": {"chinese_police": ["maybe"]}}, "chinese_police must be true or false"),
        ({"date_from": "yesterday"}, "date_from must be a date like 2021-03-01"),
        ({"date_from": "2022-01-01"}, "date_from (2022-01-01) is after date_to (2021-12-31)"),
        ({"sort": "random"}, "sort: Input should be 'relevance' or 'date'"),
        ({"page": 2}, "page: unknown field"),
    ],
)
def test_a_mistake_is_one_plain_line(
    client: TestClient, change: dict[str, Any], detail: str
) -> None:
    response = client.post("/api/saved", json={**SEARCH, **change})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith(f"bad request: {detail}")
    assert "\n" not in body["detail"] and "Traceback" not in response.text


def test_the_query_is_checked_as_the_search_checks_it(client: TestClient) -> None:
    for q in ['"unclosed', "(fraud", "x" * 1001]:
        searched = client.get("/api/search", params={"q": q})
        saved = client.post("/api/saved", json={**SEARCH, "q": q})
        assert searched.status_code == saved.status_code == 400
        assert saved.json()["detail"] == searched.json()["detail"]


def test_bodies_that_are_not_a_saved_search_are_refused(client: TestClient) -> None:
    for body in (b"{", b"[1, 2]", b"null"):
        response = client.post("/api/saved", content=body)
        assert response.status_code == 400
        assert response.json()["detail"] in (
            "bad request: the body is not JSON",
            "bad request: send a JSON object with at least a name",
        )
    huge = client.post("/api/saved", json={**SEARCH, "q": "x " * 40_000})
    assert huge.status_code == 413
    assert client.get("/api/saved").json() == {"saved_searches": [], "unreadable": []}


def _receive(chunks: int, size: int, asked: list[int]) -> Any:
    async def receive() -> dict[str, Any]:
        asked.append(1)
        more = len(asked) < chunks
        return {"type": "http.request", "body": b"x" * size, "more_body": more}

    return receive


def test_a_body_over_the_limit_is_refused_without_reading_it_all(client: TestClient) -> None:
    app = client.app

    async def post(headers: list[tuple[bytes, bytes]], asked: list[int]) -> int:
        status: list[int] = []

        async def send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/api/saved",
            "raw_path": b"/api/saved",
            "root_path": "",
            "query_string": b"",
            "headers": [(b"host", b"localhost"), (b"content-type", b"application/json"), *headers],
            "client": ("127.0.0.1", 1),
            "server": ("localhost", 80),
        }
        await app(scope, _receive(1000, 16_384, asked), send)
        return status[0]

    streamed: list[int] = []
    assert asyncio.run(post([], streamed)) == 413
    assert len(streamed) <= 5  # 64 KB in 16 KB chunks, not the 16 MB sent
    declared: list[int] = []
    assert asyncio.run(post([(b"content-length", b"16384000")], declared)) == 413
    assert declared == []  # refused on its Content-Length, before reading


def test_an_id_that_is_not_an_id_is_refused_without_echoing_it(client: TestClient) -> None:
    long_id = "a" * 5000
    for response in (
        client.get(f"/api/saved/{long_id}"),
        client.put(f"/api/saved/{long_id}", json=SEARCH),
        client.delete(f"/api/saved/{long_id}"),
        client.post(f"/saved/{long_id}/delete"),
        client.post(f"/saved/{long_id}", data={"name": "x"}),
    ):
        assert response.status_code == 400
        assert long_id not in response.text and "32 hex digits" in response.text


def test_a_stored_search_that_cannot_be_read_is_shown_apart_and_can_be_deleted(
    index: EmbeddedIndex, tmp_path: Path
) -> None:
    client = make_client(index, tmp_path)
    kept = client.post("/api/saved", json=SEARCH).json()
    broken = client.post("/api/saved", json={**SEARCH, "name": "broken"}).json()
    # as a later version (or a query the parser now refuses) leaves it
    db = sqlite3.connect(tmp_path / "saved.db")
    doc = json.loads(
        db.execute("SELECT doc FROM saved_searches WHERE id = ?", (broken["id"],)).fetchone()[0]
    )
    db.execute(
        "UPDATE saved_searches SET doc = ? WHERE id = ?",
        (json.dumps({**doc, "q": "(fraud"}), broken["id"]),
    )
    db.commit()
    db.close()

    listed = client.get("/api/saved")
    assert listed.status_code == 200
    assert listed.json() == {"saved_searches": [kept], "unreadable": [broken["id"]]}
    page = client.get("/saved")
    assert page.status_code == 200
    assert "Clean Internet, press" in page.text
    assert "1 saved search could not be read" in page.text
    assert client.get(f"/api/saved/{broken['id']}").status_code == 404
    assert client.post(f"/saved/{broken['id']}/delete").status_code == 200  # after the redirect
    assert client.get("/api/saved").json() == {"saved_searches": [kept], "unreadable": []}
    assert "could not be read" not in client.get("/saved").text


def test_the_page_saves_renames_emails_and_deletes_with_plain_forms(client: TestClient) -> None:
    empty = client.get("/saved")
    assert empty.status_code == 200 and "No search is saved yet." in empty.text
    query = "q=arrested&campaign=Clean+Internet+2021&sort=date&page=2"
    saved = client.post(
        "/saved",
        data={"name": "Arrests", "search": query, "delivery": "off"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert saved.headers["location"].startswith("/saved?done=saved&id=")
    search_id = saved.headers["location"].rpartition("#saved-")[2]
    assert saved.headers["location"] == f"/saved?done=saved&id={search_id}#saved-{search_id}"
    page = client.get(saved.headers["location"])
    assert "Saved." in page.text and "Arrests" in page.text
    assert 'href="/?q=arrested&amp;campaign=Clean+Internet+2021&amp;sort=date"' in page.text
    assert "No email" in page.text

    changed = client.post(
        f"/saved/{search_id}",
        data={"name": "Big arrests", "delivery": "immediate", "email": "me@example.org"},
    )
    assert changed.status_code == 200 and "Changed." in changed.text
    assert "Emails each match at once to me@example.org" in changed.text
    [one] = client.get("/api/saved").json()["saved_searches"]
    assert (one["name"], one["q"], one["filters"], one["sort"]) == (
        "Big arrests",
        "arrested",
        {"campaign": [CI]},
        "date",
    )

    wrong = client.post(f"/saved/{search_id}", data={"name": "x", "delivery": "daily", "email": ""})
    assert wrong.status_code == 400
    assert "email.to: &#39;&#39; is not a plain e-mail address" in wrong.text

    deleted = client.post(f"/saved/{search_id}/delete")
    assert deleted.status_code == 200 and "Deleted." in deleted.text
    assert client.post(f"/saved/{search_id}/delete").status_code == 404
    bad = client.post("/saved", data={"name": "x", "search": "q=%22open"})
    assert bad.status_code == 400 and "unbalanced quotes" in bad.text


def test_the_search_page_offers_to_save_what_it_shows(client: TestClient) -> None:
    page = client.get("/", params={"q": "arrested", "campaign": CI, "page": "1"})
    assert 'action="/saved"' in page.text
    assert (
        'name="search" value="q=arrested&amp;campaign=Clean+Internet+2021&amp;page=1"' in page.text
    )
    assert "data-token" not in page.text  # without a token, a plain form


def test_other_sites_cannot_save_change_or_delete(client: TestClient) -> None:
    evil = {"Origin": "https://evil.example"}
    assert client.post("/api/saved", json=SEARCH, headers=evil).status_code == 403
    assert client.post("/saved", data={"name": "x"}, headers=evil).status_code == 403
    assert client.get("/api/saved").json() == {"saved_searches": [], "unreadable": []}


def _basic(password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"me:{password}".encode()).decode()}


def test_with_a_token_saved_searches_are_private_and_changes_need_it(
    index: EmbeddedIndex, tmp_path: Path
) -> None:
    client = make_client(index, tmp_path, token=TOKEN)
    refused = client.post("/api/saved", json=SEARCH)
    assert refused.status_code == 401 and "token" in refused.json()["detail"]
    created = client.post("/api/saved", json=SEARCH, headers=BEARER)
    assert created.status_code == 201
    search_id = created.json()["id"]
    for path in ("/api/saved", f"/api/saved/{search_id}"):
        denied = client.get(path)
        assert denied.status_code == 401 and denied.headers["www-authenticate"] == "Bearer"
        assert "token" in denied.json()["detail"]
        assert client.get(path, headers=BEARER).status_code == 200
        assert client.get(path, headers={"X-Monitor-Token": TOKEN}).status_code == 200
    page = client.get("/saved")
    assert page.status_code == 401
    assert page.headers["www-authenticate"].startswith("Basic")
    assert client.get("/saved", headers=_basic("wrong")).status_code == 401
    shown = client.get("/saved", headers=_basic(TOKEN))
    assert shown.status_code == 200 and "Clean Internet, press" in shown.text
    assert 'data-token="needed"' in shown.text and 'name="token"' in shown.text
    # a browser's remembered password reads, never changes (another site can make it send it)
    put = client.put(f"/api/saved/{search_id}", json=SEARCH, headers=_basic(TOKEN))
    assert put.status_code == 401
    assert client.post(f"/saved/{search_id}/delete", headers=_basic(TOKEN)).status_code == 401
    assert client.delete(f"/api/saved/{search_id}").status_code == 401
    assert client.post(f"/saved/{search_id}/delete", headers=BEARER).status_code == 200
    listed = client.get("/api/saved", headers=BEARER).json()
    assert listed == {"saved_searches": [], "unreadable": []}
    # the search page stays open; its save form asks for the token
    search = client.get("/", params={"q": "arrested"})
    assert search.status_code == 200 and 'data-token="needed"' in search.text


def test_without_a_store_the_page_says_so(index: EmbeddedIndex) -> None:
    client = TestClient(create_app(index))
    response = client.get("/api/saved")
    assert response.status_code == 503
    assert response.json() == {"detail": "saved searches are not available in this app"}
    assert client.get("/saved").status_code == 503


def test_a_search_saved_with_a_preset_keeps_rolling(client: TestClient) -> None:
    # from the page's link ("7 days") and from its form, which sends back the dates it showed
    today = datetime.now(UTC).date()
    shown = (today - timedelta(days=6)).isoformat()
    for search in ("q=arrested&preset=7d", f"q=arrested&preset=7d&date_from={shown}&date_to="):
        saved = client.post(
            "/saved", data={"name": "This week", "search": search}, follow_redirects=False
        )
        assert saved.status_code == 303
    listing = client.get("/api/saved").json()["saved_searches"]
    assert [(s["preset"], s["date_from"], s["date_to"]) for s in listing] == [
        ("7d", None, None)
    ] * 2
    assert listing[0]["url"] == "/?q=arrested&preset=7d"
    reopened = client.get(listing[0]["url"])
    assert reopened.status_code == 200
    assert f'id="date-from" name="date_from" value="{shown}"' in reopened.text
    page = client.get("/saved")
    assert "<q>arrested</q> · last 7 days" in page.text
    renamed = client.post(f"/saved/{listing[0]['id']}", data={"name": "Week", "delivery": "off"})
    assert renamed.status_code == 200
    assert client.get(f"/api/saved/{listing[0]['id']}").json()["preset"] == "7d"

    # other dates beside the preset are the reader's own dates
    custom = client.post(
        "/saved",
        data={"name": "Custom", "search": "q=arrested&preset=7d&date_from=2021-01-01"},
        follow_redirects=False,
    )
    assert custom.status_code == 303
    last = client.get("/api/saved").json()["saved_searches"][-1]
    assert (last["preset"], last["date_from"]) == (None, "2021-01-01")


def test_a_preset_is_checked(client: TestClient) -> None:
    unknown = client.post("/api/saved", json={"name": "x", "preset": "week"})
    assert unknown.status_code == 400
    assert unknown.json() == {
        "detail": "bad request: preset: must be one of 24h, 7d, 30d, year, not 'week'"
    }
    both = client.post("/api/saved", json={"name": "x", "preset": "7d", "date_from": "2021-01-01"})
    assert both.status_code == 400
    assert both.json() == {"detail": "bad request: give either a preset or dates, not both"}
    form = client.post("/saved", data={"name": "x", "search": "preset=week&date_from=2021-01-01"})
    assert form.status_code == 400
    assert "preset: must be one of 24h, 7d, 30d, year, not &#39;week&#39;" in form.text
    made = client.post("/api/saved", json={"name": "this year", "preset": "year"})
    assert made.status_code == 201 and made.json()["url"] == "/?preset=year"


def test_a_store_out_of_reach_says_a_change_may_have_been_made(
    index: EmbeddedIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SqliteSavedSearches(tmp_path / "saved.db")

    def lost(*args: Any) -> None:
        raise TransientError("saved searches in Elasticsearch could not save a search (504)")

    monkeypatch.setattr(store, "create", lost)
    client = TestClient(create_app(index, saved=store))
    response = client.post("/api/saved", json=SEARCH)
    assert response.status_code == 503
    assert response.json()["detail"] == (
        "saved searches cannot be reached: saved searches in Elasticsearch could not save a"
        " search (504); the change may have been made: look at /saved before trying again"
    )
    monkeypatch.setattr(store, "list", lost)
    monkeypatch.setattr(store, "listing", lost)
    read = client.get("/api/saved")
    assert read.status_code == 503 and "may have been made" not in read.text
    store.close()


def test_the_page_names_sources_and_levels_by_their_labels(client: TestClient) -> None:
    search = {
        "name": "Press and Zhejiang",
        "filters": {"source": ["zj-police", "gone-feed"], "level": ["province"]},
    }
    assert client.post("/api/saved", json=search).status_code == 201
    page = client.get("/saved").text
    what = page.split('<p class="what">', 1)[1].split("</p>", 1)[0]
    assert what == (
        "every announcement · source: Zhejiang Public Security Department or gone-feed"
        " · level: provincial department"
    )
