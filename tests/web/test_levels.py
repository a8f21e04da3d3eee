"""The issuing level: each article's is stored as it is indexed (its official source's declared
level, else the first mainland public-security body it names, else press for a press source);
a facet and a filter (`level`) on the API, the page and the exports, on each index backend."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from monitor.bus.base import RAW, Record
from monitor.extract import Extractor
from monitor.feeds.sources import load_feeds
from monitor.index.base import Index
from monitor.models import Article
from monitor.web.app import create_app
from pipelines.extract import ExtractStage
from tests.web.conftest import BACKENDS, backend_index, write_sources

NAMES = {
    "mps": "公安部 警务要闻",
    "js-police": "Jiangsu Public Security Department",
    "xinhua": "Xinhua",
    "ming-pao": "明報",
    "undeclared": "A site that declares no level",
}
DECLARED = {"mps": "ministry", "js-police": "province", "xinhua": "press", "ming-pao": "press"}
# (source, language, title, body): the level each is stored at is in the test below
ARTICLES = {
    # an official source: its declared level, whatever body it names
    "mps-1": ("mps", "zh", "公安部部署夏季行动", "公安部召开会议，部署全国公安机关开展夏季行动。"),
    "js-1": ("js-police", "zh", "南京警方破获诈骗案", "南京市公安局破获电信网络诈骗案件120起。"),
    # press: the first mainland public-security body named
    "xh-1": ("xinhua", "zh", "新华社电", "记者从公安部获悉，全国公安机关破获案件5万起。"),
    "xh-2": (
        "xinhua",
        "en",
        "Fraud ring broken up",
        "The Guangzhou Municipal Public Security Bureau arrested 25 suspects, the Ministry of"
        " Public Security said.",
    ),
    "xh-3": (
        "xinhua",
        "en",
        "Jiangsu police report",
        "The Jiangsu Provincial Public Security Department said police cracked 1,000 cases.",
    ),
    # traditional script: 廣州市公安局番禺區分局 is a city bureau's branch
    "mp-1": ("ming-pao", "zh", "廣州警方破案", "廣州市公安局番禺區分局搗毀詐騙團夥，拘捕25人。"),
    # Hong Kong's police is no mainland public-security body: press
    "mp-2": (
        "ming-pao",
        "zh",
        "警方搗破詐騙集團",
        "香港警務處網絡安全及科技罪案調查科搗破一個電話詐騙集團，拘捕10人，涉款逾500萬港元。",
    ),
    # no source level: the body named, else none
    "un-1": ("undeclared", "zh", "城步县警方", "城步县公安局开展净网行动，抓获嫌疑人3名。"),
    "un-2": ("undeclared", "en", "Police arrest ten", "Police arrested ten people in a raid."),
}
EXPECTED = {
    "mps-1": "ministry",
    "js-1": "province",
    "xh-1": "ministry",
    "xh-2": "city",
    "xh-3": "province",
    "mp-1": "city",
    "mp-2": "press",
    "un-1": "city",
    "un-2": None,
}


def _extracted(stage: ExtractStage) -> list[Any]:
    docs = []
    for n, (article_id, (source, lang, title, body)) in enumerate(ARTICLES.items()):
        article = Article(
            id=article_id,
            feed_id=source,
            source=NAMES[source],
            url=f"https://{source}.example.cn/{n}.html",
            title=title,
            body=body,
            lang=lang,  # type: ignore[arg-type]
            published_at=datetime(2024, 6, 1 + n, 8, tzinfo=UTC),
        ).with_hash()
        record = Record(topic=RAW, partition=0, offset=n, key=article.id, value=article.to_json())
        docs.append(stage.handle(record))
    return docs


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sources(tmp_path_factory.mktemp("sources") / "feeds.toml", NAMES, DECLARED)


@pytest.fixture(scope="module", params=BACKENDS)
def leveled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sources: Path
) -> Iterator[Index]:
    """The articles as the extract stage hands them on (with their sources' levels), indexed."""
    osmem = request.getfixturevalue("osmem_server") if request.param == "osmem" else None
    feeds = load_feeds(sources).source
    stage = ExtractStage(Extractor(), levels={s.id: s.level for s in feeds if s.level})
    with backend_index(request.param, tmp_path_factory.mktemp("levels"), osmem, "lv") as index:
        assert set(index.upsert_many(_extracted(stage))) == {"created"}
        yield index


@pytest.fixture(scope="module")
def client(leveled: Index, sources: Path) -> Iterator[TestClient]:
    with TestClient(create_app(leveled, sources_file=sources)) as c:
        yield c


def search(client: TestClient, **params: Any) -> dict[str, Any]:
    r = client.get("/api/search", params=params)
    assert r.status_code == 200, r.text
    return dict(r.json())


def levels(body: dict[str, Any]) -> dict[str, tuple[int, str]]:
    return {b["key"]: (b["count"], b["label"]) for b in body["facets"]["level"]}


def ids(body: dict[str, Any]) -> set[str]:
    return {h["id"] for h in body["hits"]}


def test_each_article_is_filtered_by_its_own_issuing_level(client: TestClient) -> None:
    for level in ("ministry", "province", "city", "press"):
        wanted = {i for i, lv in EXPECTED.items() if lv == level}
        assert ids(search(client, level=level)) == wanted, level


def test_level_facet_counts_articles_by_their_stored_level(client: TestClient) -> None:
    body = search(client)
    assert levels(body) == {
        "city": (3, "city or county bureau"),
        "ministry": (2, "ministry"),
        "province": (2, "provincial department"),
        "press": (1, "press"),
    }
    # down the issuing ladder, whatever the counts (city has the most); un-2 is at no level
    assert [b["key"] for b in body["facets"]["level"]] == ["ministry", "province", "city", "press"]
    assert body["total"] == 9
    # a filtered facet, counted again as if its filter were off, keeps that order
    chosen = search(client, level="press")["facets"]["level"]
    assert [b["key"] for b in chosen] == ["ministry", "province", "city", "press"]
    # and so does the search page
    page = client.get("/").text
    section = page[page.index('data-facet="level"') :]
    section = section[: section.index("</section>")]
    shown = ["ministry", "provincial department", "city or county bureau", "press"]
    assert [section.index(f">{label}</a>") for label in shown] == sorted(
        section.index(f">{label}</a>") for label in shown
    )


def test_a_press_source_splits_by_the_bodies_its_articles_name(client: TestClient) -> None:
    body = search(client, source="xinhua")
    assert levels(body) == {
        "ministry": (1, "ministry"),
        "city": (1, "city or county bureau"),
        "province": (1, "provincial department"),
    }


def test_level_filter_narrows_and_its_facet_stays_clickable(client: TestClient) -> None:
    body = search(client, level="city")
    assert ids(body) == {"xh-2", "mp-1", "un-1"}
    assert levels(body)["ministry"][0] == 2  # counted as if the level filter were off
    assert {b["key"] for b in body["facets"]["source"]} == {"xinhua", "ming-pao", "undeclared"}
    both = search(client, level=["press", "ministry"])
    assert ids(both) == {"mps-1", "xh-1", "mp-2"}
    assert search(client, level="city", source="mps")["total"] == 0
    assert ids(search(client, level="ministry", source="xinhua")) == {"xh-1"}
    assert ids(search(client, level="city", lang="en")) == {"xh-2"}


def test_level_filter_applies_to_exports_and_figures(client: TestClient) -> None:
    r = client.get("/api/search", params={"level": "city", "format": "jsonl"})
    assert r.status_code == 200
    lines = [line for line in r.text.splitlines() if line]
    assert len(lines) == 3 and not any('"source_id": "mps"' in line for line in lines)
    figures = client.get("/api/figures", params={"level": "ministry"})
    assert figures.status_code == 200
    for figure in figures.json()["figures"]:
        assert {rep["source"] for rep in figure["reports"]} <= {NAMES["mps"], NAMES["xinhua"]}


def test_a_wrong_level_is_a_400_that_names_the_levels(client: TestClient) -> None:
    for path in ("/api/search", "/api/figures"):
        r = client.get(path, params={"level": "county"})
        assert r.status_code == 400
        assert "level must be ministry, province, city, press, not 'county'" in r.text
    page = client.get("/", params={"level": "county"})
    assert page.status_code == 400 and "level must be" in page.text


def test_the_page_shows_the_level_facet_and_pill(client: TestClient) -> None:
    page = client.get("/", params={"level": "press"}).text
    assert '<section class="facet" data-facet="level"><h2>Issuing level</h2>' in page
    assert "city or county bureau</a>" in page
    assert "Issuing level: press" in page
    assert 'href="/api/search?level=press&amp;format=csv"' in page


def test_the_api_document_says_the_level_is_the_articles(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/search", "/api/figures"):
        [level] = [p for p in paths[path]["get"]["parameters"] if p["name"] == "level"]
        assert level["description"] == (
            "the article's issuing level: its source's declared level, or else the first"
            " mainland public-security body its text names; repeat to OR"
        ), path
