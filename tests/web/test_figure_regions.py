"""A national announcement's sub-figures of one province, run through the real extractor and
index: the web app keeps each figure's region (`Figure.region`) wherever it shows them, so the
province's figures are the province's, never the nation's, on the campaign page, its totals,
its timeline and the figures export."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from html import unescape

import pytest
from fastapi.testclient import TestClient

from monitor.extract import Extractor
from monitor.models import EnrichedArticle
from monitor.web.app import create_app
from tests.conftest import make_article
from tests.web.conftest import BACKENDS, backend_index

CI20 = "Clean Internet 2020"
BODY = (
    "截至目前，全国公安机关累计抓获犯罪嫌疑人8000名，累计破获案件3000起。"
    "其中，广东公安机关累计抓获犯罪嫌疑人1500名。浙江公安机关累计破获案件400起。"
)


def announcement() -> EnrichedArticle:
    article = make_article(
        201,
        title="公安部通报“净网2020”专项行动阶段成果",
        body=BODY,
        lang="zh",
        source="公安部",
        published=datetime(2020, 3, 10, 8, tzinfo=UTC),
    )
    return EnrichedArticle.of(article, Extractor().extract(article))


@pytest.fixture(scope="module")
def extracted() -> EnrichedArticle:
    doc = announcement()
    # what the extractor gives: the national figures without a region, each province's with it
    assert {(f.value, f.measure, f.region) for f in doc.extraction.figures} == {
        (8000, "arrested", None),
        (3000, "cases_solved", None),
        (1500, "arrested", "Guangdong"),
        (400, "cases_solved", "Zhejiang"),
    }
    return doc


@pytest.fixture(scope="module", params=BACKENDS)
def client(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    extracted: EnrichedArticle,
) -> Iterator[TestClient]:
    osmem = request.getfixturevalue("osmem_server") if request.param == "osmem" else None
    where = tmp_path_factory.mktemp("regions")
    with backend_index(request.param, where, osmem, "regions") as index:
        index.upsert_many([extracted])
        with TestClient(create_app(index)) as c:
            yield c


def test_the_api_keeps_each_figure_in_its_province(client: TestClient) -> None:
    body = client.get("/api/campaigns/净网2020").json()
    assert body["canonical"] == CI20
    assert {(f["value"], f["region"]) for f in body["figures"]} == {
        (8000, None),
        (3000, None),
        (1500, "Guangdong"),
        (400, "Zhejiang"),
    }
    assert {(t["measure"], t["value"], t["region"]) for t in body["totals"]} == {
        ("arrested", 8000, None),
        ("cases_solved", 3000, None),
    }
    guangdong = client.get("/api/campaigns/净网2020", params={"region": "Guangdong"}).json()
    assert [(t["value"], t["region"]) for t in guangdong["totals"]] == [(1500, "Guangdong")]
    timeline = client.get("/api/campaigns/净网2020/timeline").json()
    scopes = {
        (m["measure"], s["scope"]): [p["value"] for p in s["points"]]
        for m in timeline["measures"]
        for s in m["series"]
    }
    assert scopes == {
        ("arrested", "national"): [8000],
        ("arrested", "Guangdong"): [1500],
        ("cases_solved", "national"): [3000],
        ("cases_solved", "Zhejiang"): [400],
    }
    csv = client.get("/api/figures", params={"campaign": CI20, "format": "csv"}).text
    assert re.search(r"\n[^\n]*,1500,people,exact,Guangdong,", csv)


def test_the_page_lists_each_figure_under_its_province(client: TestClient) -> None:
    html = unescape(client.get("/campaigns/净网2020").text)
    rows = re.findall(
        r'<td class="label">([\d,]+) [^<]*<q class="quote">[^<]*</q></td>\s*<td>([^<]+)</td>',
        html.split("<h2>Every figure reported</h2>")[1],
    )
    assert sorted(rows) == [
        ("1,500", "Guangdong"),
        ("3,000", "national"),
        ("400", "Zhejiang"),
        ("8,000", "national"),
    ]
    assert 'aria-label="Guangdong"' in html and 'aria-label="Zhejiang"' in html
    assert "?region=Guangdong#standing" in html and "?region=Zhejiang#standing" in html
