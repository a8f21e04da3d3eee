"""A yearly series asked for by its name without a year (净网, 淨網, Clean Internet, Jingwang):
the page and the API answer with its latest year seen, and the page says so and links every
year; each of the series' names the search box suggests answers, in either script."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from monitor.models import EnrichedArticle
from monitor.web.app import create_app
from tests.web.conftest import BACKENDS, CI, _doc, backend_index
from tests.web.conftest import corpus as shared_corpus
from tests.web.running_totals import CI19, CI20, _fig
from tests.web.running_totals import corpus as totals_corpus

# a yearly series the campaign registry does not list: known from the index alone
LW22, LW23 = "猎网2022", "猎网2023"


def hunting_net() -> list[EnrichedArticle]:
    return [
        _doc(
            400 + year % 100,
            f"“{name}”专项行动通报",
            f"“{name}”专项行动抓获犯罪嫌疑人{value}名。",
            lang="zh",
            source="公安部",
            day=(year, 4, 1),
            campaigns={name: name},
            figures=[_fig(value, f"抓获犯罪嫌疑人{value}名", "cumulative", campaign=name)],
        )
        for name, year, value in ((LW22, 2022, 300), (LW23, 2023, 450))
    ]


@pytest.fixture(scope="module", params=BACKENDS)
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    osmem = request.getfixturevalue("osmem_server") if request.param == "osmem" else None
    where: Path = tmp_path_factory.mktemp("series")
    with backend_index(request.param, where, osmem, "series") as index:
        index.upsert_many(totals_corpus() + shared_corpus() + hunting_net())
        with TestClient(create_app(index)) as c:
            yield c


def page(client: TestClient, name: str) -> str:
    r = client.get(f"/campaigns/{quote(name)}")
    assert r.status_code == 200, (name, r.status_code)
    return unescape(r.text)


@pytest.mark.parametrize("name", ["净网", "淨網", "Clean Internet", "clean  internet", "Jingwang"])
def test_a_series_name_shows_its_latest_year_and_links_every_year(
    client: TestClient, name: str
) -> None:
    html = page(client, name)
    assert f"<h1>{CI} " in html
    note = html.split('<p class="notice series">')[1].split("</p>")[0]
    assert note.startswith(f"{name} names the yearly series Clean Internet: this is its latest")
    # newest first, the year shown in bold, the others a link away
    assert re.sub(r"<[^>]+>", "", note.split("Every year: ")[1].split(".")[0]) == (
        f"{CI} · {CI20} · {CI19}"
    )
    assert f"<b>{CI}</b>" in note
    assert f'<a href="/campaigns/{quote(CI20)}">{CI20}</a>' in note
    search = re.search(r'<a href="(/\?campaign=[^"]+)">Search every year', note)
    assert search is not None
    r = client.get("/api/search", params=[("campaign", c) for c in (CI, CI20, CI19)])
    listed = client.get(search.group(1).replace("/?", "/api/search?"))
    assert listed.json()["total"] == r.json()["total"] >= 9


def test_a_year_asked_for_by_its_own_name_has_no_series_note(client: TestClient) -> None:
    for name in ("净网2020", CI20, "Blue Sword"):
        assert 'class="notice series"' not in page(client, name), name


def test_the_api_answers_a_series_name_with_its_latest_year(client: TestClient) -> None:
    for name in ("Clean Internet", "淨網", "净网"):
        detail = client.get(f"/api/campaigns/{quote(name)}")
        assert detail.status_code == 200, name
        assert detail.json()["canonical"] == CI
        timeline = client.get(f"/api/campaigns/{quote(name)}/timeline")
        assert timeline.status_code == 200, name
        body = timeline.json()
        assert body["campaign"] == CI and body["years"]["campaigns"] == [CI19, CI20, CI]


def test_every_series_name_the_search_box_suggests_answers(client: TestClient) -> None:
    offered = {s["c"]: s for s in client.get("/suggestions/campaigns.json").json()}
    names = [offered["Clean Internet"]["c"], *offered["Clean Internet"]["n"]]
    assert {"净网", "淨網", "Jingwang", "Clean Net"} <= set(names)
    for name in names:
        r = client.get(f"/api/campaigns/{quote(name)}")
        assert r.status_code == 200, name
        assert r.json()["canonical"] == CI, name


def test_a_series_the_registry_does_not_list_is_found_by_its_years_in_the_index(
    client: TestClient,
) -> None:
    for name in ("猎网", "獵網"):
        html = page(client, name)
        assert f"<h1>{LW23} " in html
        assert f"{name} names the yearly series 猎网: this is its latest year seen" in html
        assert f'<a href="/campaigns/{quote(LW22)}">{LW22}</a>' in html
        assert client.get(f"/api/campaigns/{quote(name)}").json()["canonical"] == LW23


def test_a_series_never_seen_and_unknown_names_are_not_found(client: TestClient) -> None:
    for name in ("Cloud Sword", "云剑", "Operation Nowhere"):
        assert client.get(f"/campaigns/{quote(name)}").status_code == 404, name
        assert client.get(f"/api/campaigns/{quote(name)}").status_code == 404, name
        assert client.get(f"/api/campaigns/{quote(name)}/timeline").status_code == 404, name


def test_a_campaign_named_without_its_year_links_the_series_latest_year(
    tmp_path: Path,
) -> None:
    """An announcement that names Clean Internet with no year makes a campaign of that name:
    its page (which 净网 then opens) links the series' latest year seen."""
    yearless = _doc(
        470,
        "Police sweep the web in the Clean Internet campaign",
        "The Clean Internet campaign closed 300 websites, the ministry said.",
        campaigns={"Clean Internet": "Clean Internet"},
    )
    with backend_index("embedded", tmp_path, None, "yearless") as index:
        index.upsert_many([*totals_corpus(), yearless])
        with TestClient(create_app(index)) as c:
            for name in ("净网", "Clean Internet"):
                html = page(c, name)
                assert "<h1>Clean Internet</h1>" in html or "<h1>Clean Internet <" in html
                note = html.split('<p class="notice series">')[1].split("</p>")[0]
                assert note == (
                    "Clean Internet is also a yearly series, named here without its year: its "
                    f'latest year seen is <a href="/campaigns/{quote(CI20)}">{CI20}</a>.'
                )
            assert '<p class="notice series">' not in page(c, CI20)
