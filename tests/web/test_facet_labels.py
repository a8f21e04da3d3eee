"""The source facet by name and the whose-operation facet, on the search page and in the API, over
each index backend: sources are shown by the name the sources file gives them today and filtered by
id, and operations led abroad can be picked out or left out."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from monitor.index.base import Index
from monitor.index.elasticsearch import ElasticsearchIndex
from monitor.index.embedded import EmbeddedIndex
from monitor.settings import ElasticsearchSettings
from monitor.web.app import create_app
from tests.support.osmem import Osmem
from tests.web.conftest import BACKENDS, SOURCE_NAMES, _doc, corpus, write_sources

LED_ABROAD = _doc(
    30,
    "INTERPOL operation First Light seizes USD 50 million",
    "Police in 76 countries arrested some 2,000 suspects of telephone and online fraud in "
    "an operation coordinated by INTERPOL; Chinese police took part.",
    source="Xinhua",
    day=(2022, 6, 15),
    campaigns={"First Light 2022": "First Light 2022"},
    agencies=("INTERPOL",),
    chinese_police=False,
)


@pytest.fixture(scope="module", params=BACKENDS)
def index(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Index]:
    ix: Index
    if request.param == "embedded":
        ix = EmbeddedIndex(tmp_path_factory.mktemp("labels") / "index.db")
    else:
        server: Osmem = request.getfixturevalue("osmem_server")
        ix = ElasticsearchIndex(
            ElasticsearchSettings(url=server.url, index_prefix=f"labels-{uuid.uuid4().hex[:12]}")
        )
    ix.upsert_many([*corpus(), LED_ABROAD])
    yield ix
    if isinstance(ix, ElasticsearchIndex):
        ix.drop()
    ix.close()


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    return write_sources(tmp_path / "feeds.toml")


@pytest.fixture
def client(index: Index, sources: Path) -> TestClient:
    return TestClient(create_app(index, sources_file=sources))


def _facet(body: dict, name: str) -> dict[str, tuple[str | None, int]]:
    return {b["key"]: (b["label"], b["count"]) for b in body["facets"][name]}


def test_api_source_facet_keys_are_ids_and_labels_are_names(client: TestClient) -> None:
    body = client.get("/api/search").json()
    sources = _facet(body, "source")
    assert sources["xinhua-en"] == ("Xinhua News Agency (English)", 2)
    assert sources["mps"] == ("公安部 警务要闻", 1)
    assert sources["zj-police"] == ("Zhejiang Public Security Department", 12)
    # a source removed from the sources file is shown by its id
    assert sources["people-daily"] == ("people-daily", 1)
    hits = client.get("/api/search", params={"source": "zj-police", "size": 0}).json()
    assert hits["total"] == 12
    # a hit names its source as the article came and gives the id to filter by
    [hit] = client.get("/api/search", params={"q": "First Light"}).json()["hits"]
    assert (hit["source"], hit["source_id"]) == ("Xinhua", "xinhua-en")
    two = client.get("/api/search", params=[("source", "mps"), ("source", "people-daily")])
    assert {h["id"] for h in two.json()["hits"]} == {"art-1", "art-4"}


def test_api_whose_operation_facet_and_filter(client: TestClient) -> None:
    body = client.get("/api/search").json()
    assert _facet(body, "chinese_police") == {
        "true": ("Chinese police", 17),
        "false": ("foreign or international operation", 1),
    }
    abroad = client.get("/api/search", params={"chinese_police": "false"}).json()
    assert [h["id"] for h in abroad["hits"]] == ["art-30"]
    # the facet filtered on still offers the other value
    assert _facet(abroad, "chinese_police")["true"] == ("Chinese police", 17)
    at_home = client.get("/api/search", params={"chinese_police": "true", "size": 0}).json()
    assert at_home["total"] == 17
    assert client.get("/api/search", params={"chinese_police": "TRUE"}).json()["total"] == 17
    figures = client.get("/api/figures", params={"chinese_police": "false"}).json()
    assert figures["articles_read"] == 1

    wrong = client.get("/api/search", params={"chinese_police": "maybe"})
    assert wrong.status_code == 400
    assert (
        wrong.json()["detail"] == "bad request: chinese_police must be true or false, not 'maybe'"
    )


def _section(page: str, facet: str) -> str:
    found = re.search(rf'<section class="facet" data-facet="{facet}">(.*?)</section>', page, re.S)
    assert found, f"no {facet} facet on the page"
    return found.group(1)


def _links(section: str) -> dict[str, str]:
    """Shown text of each facet link -> its address."""
    return {
        html.unescape(re.sub(r"<[^>]+>", "", text)).strip(): html.unescape(href)
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', section, re.S)
    }


def test_page_shows_source_names_and_filters_by_id(client: TestClient) -> None:
    page = client.get("/").text
    links = _links(_section(page, "source"))
    assert links["Xinhua News Agency (English)"] == "/?source=xinhua-en"
    assert links["Zhejiang Public Security Department"] == "/?source=zj-police"
    assert links["people-daily"] == "/?source=people-daily"
    assert "Xinhua" not in links and "China Daily" in links
    # a name is text, never markup
    assert "&lt;b&gt;feed&lt;/b&gt; &amp; co" in _section(page, "source")
    assert "<b>feed</b>" not in page

    picked = client.get("/", params={"source": "zj-police"}).text
    assert 'title="remove this filter">Source: Zhejiang Public Security Department' in picked
    assert picked.count('class="hit"') == 12


def test_page_whose_operation_facet(client: TestClient) -> None:
    page = client.get("/").text
    section = _section(page, "chinese_police")
    assert "<h2>Whose operation</h2>" in section
    links = _links(section)
    assert links == {
        "Chinese police": "/?chinese_police=true",
        "foreign or international operation": "/?chinese_police=false",
    }
    abroad = client.get("/", params={"chinese_police": "false"}).text
    assert abroad.count('class="hit"') == 1 and "First Light" in abroad
    assert "Whose operation: foreign or international operation" in abroad
    bad = client.get("/", params={"chinese_police": "perhaps"})
    assert bad.status_code == 400 and "chinese_police must be true or false" in bad.text


def test_a_renamed_source_shows_its_new_name_at_once(client: TestClient, sources: Path) -> None:
    assert "Xinhua News Agency (English)" in client.get("/").text
    write_sources(sources, {**SOURCE_NAMES, "xinhua-en": "新华社英文"})
    page = client.get("/").text
    assert _links(_section(page, "source"))["新华社英文"] == "/?source=xinhua-en"
    assert "Xinhua News Agency (English)" not in page
