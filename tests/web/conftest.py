"""A small bilingual corpus indexed once per module and backend, and the app over it: a campaign
whose figures are repeated and grow, a regional figure, an article whose title is markup."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser

from monitor import issuer
from monitor.index.base import Index
from monitor.index.elasticsearch import ElasticsearchIndex
from monitor.index.embedded import EmbeddedIndex
from monitor.models import (
    CampaignMention,
    EnrichedArticle,
    Extraction,
    Figure,
    Level,
    Relevance,
)
from monitor.settings import ElasticsearchSettings
from monitor.web.app import create_app
from tests.conftest import make_article
from tests.support.osmem import Osmem, running_osmem
from tests.web.browser import ARTIFACTS, chromium

XSS_TITLE = "<img src=x onerror=alert(1)>"
CI = "Clean Internet 2021"
# the id of the source each name came from; people-daily is no longer in the sources file
SOURCE_IDS = {
    "Xinhua": "xinhua-en",
    "公安部": "mps",
    "China Daily": "chinadaily",
    "People's Daily": "people-daily",
    "<i>feed</i>": "odd-feed",
    "Zhejiang Police": "zj-police",
}
# the names the sources file gives them today
SOURCE_NAMES = {
    "xinhua-en": "Xinhua News Agency (English)",
    "mps": "公安部 警务要闻",
    "chinadaily": "China Daily",
    "odd-feed": "<b>feed</b> & co",
    "zj-police": "Zhejiang Public Security Department",
}
# the issuing level each declares (odd-feed declares none)
SOURCE_LEVELS: dict[str, Level] = {
    "xinhua-en": "press",
    "mps": "ministry",
    "chinadaily": "press",
    "zj-police": "province",
}


def _doc(
    n: int,
    title: str,
    body: str,
    *,
    lang: str = "en",
    source: str = "Xinhua",
    day: tuple[int, int, int] = (2021, 3, 1),
    campaigns: dict[str, str] | None = None,
    figures: list[dict[str, object]] | None = None,
    regions: tuple[str, ...] = (),
    agencies: tuple[str, ...] = (),
    crime_types: tuple[str, ...] = (),
    url: str | None = None,
    relevant: bool = True,
    chinese_police: bool = True,
) -> EnrichedArticle:
    art = make_article(
        n, title=title, body=body, lang=lang, source=source, published=datetime(*day, 8, tzinfo=UTC)
    ).model_copy(update={"feed_id": SOURCE_IDS.get(source, source)})
    if url is not None:
        art = art.model_copy(update={"url": url})
    text = art.text
    mentions = tuple(
        CampaignMention(
            canonical=canon,
            mention=m,
            start=max(text.find(m), 0),
            end=max(text.find(m), 0) + len(m),
        )
        for m, canon in (campaigns or {}).items()
    )
    figs = []
    for f in figures or ():
        quote = str(f["quote"])
        start = text.find(quote)
        assert start >= 0, quote
        figs.append(Figure(start=start, end=start + len(quote), **f))  # type: ignore[arg-type]
    # stamped with its source's declared level, as the extract stage does
    doc = EnrichedArticle.of(
        art,
        Extraction(
            extractor_version="test-1",
            campaigns=mentions,
            figures=tuple(figs),
            regions=regions,
            agencies=agencies,
            crime_types=crime_types,
            relevance=Relevance(
                score=1.0 if relevant else 0.0,
                relevant=relevant,
                about_chinese_police=chinese_police,
            ),
        ),
    )
    return issuer.stamped(doc, SOURCE_LEVELS)


def corpus() -> list[EnrichedArticle]:
    docs = [
        _doc(
            1,
            "公安部部署“净网2021”专项行动",
            "严厉打击电信网络诈骗犯罪，抓获犯罪嫌疑人1.7万名。\n\n江苏公安机关抓获犯罪嫌疑人1200名。",
            lang="zh",
            source="公安部",
            day=(2021, 3, 2),
            campaigns={"净网2021": CI},
            regions=("Jiangsu",),
            agencies=("Ministry of Public Security",),
            figures=[
                {
                    "value": 17000,
                    "unit": "people",
                    "measure": "arrested",
                    "quote": "抓获犯罪嫌疑人1.7万名",
                    "campaign": CI,
                },
                {
                    "value": 1200,
                    "unit": "people",
                    "measure": "arrested",
                    "quote": "抓获犯罪嫌疑人1200名",
                    "campaign": CI,
                    "region": "Jiangsu",
                },
            ],
        ),
        _doc(
            2,
            "Police crack down on naked chat extortion",
            "Under the Clean Internet 2021 campaign police arrested 17,000 criminal suspects. "
            "The naked chat gangs were destroyed.",
            day=(2021, 5, 1),
            campaigns={CI: CI},
            regions=("Beijing",),
            crime_types=("naked chat extortion",),
            figures=[
                {
                    "value": 17000,
                    "unit": "people",
                    "measure": "arrested",
                    "quote": "arrested 17,000 criminal suspects",
                    "campaign": CI,
                }
            ],
        ),
        _doc(
            3,
            "Clean Internet 2021 campaign results announced",
            "Police have arrested 25,000 criminal suspects and solved more than 6,000 cases "
            "since the campaign began, the ministry said.",
            source="China Daily",
            day=(2021, 9, 1),
            campaigns={CI: CI},
            agencies=("Ministry of Public Security",),
            figures=[
                {
                    "value": 25000,
                    "unit": "people",
                    "measure": "arrested",
                    "quote": "arrested 25,000 criminal suspects",
                    "campaign": CI,
                },
                {
                    "value": 6000,
                    "unit": "cases",
                    "measure": "cases_solved",
                    "approx": "more_than",
                    "quote": "solved more than 6,000 cases",
                    "campaign": CI,
                },
            ],
        ),
        _doc(
            4,
            "Blue Sword operation results",
            "The Blue Sword campaign busted 41 gangs in Guangdong and seized 2.99 billion yuan.",
            source="People's Daily",
            day=(2022, 1, 1),
            campaigns={"Blue Sword": "Blue Sword"},
            regions=("Guangdong",),
            figures=[
                {
                    "value": 41,
                    "unit": "gangs",
                    "measure": "gangs_destroyed",
                    "quote": "busted 41 gangs",
                    "campaign": "Blue Sword",
                    "region": "Guangdong",
                },
                {
                    "value": 2.99e9,
                    "unit": "CNY",
                    "measure": "money_seized",
                    "quote": "seized 2.99 billion yuan",
                    "campaign": "Blue Sword",
                },
            ],
        ),
        _doc(
            5,
            XSS_TITLE,
            "<script>alert(2)</script> Blue Sword police arrested 30 <b>suspects</b> "
            '=HYPERLINK("http://evil") fraud.',
            source="<i>feed</i>",
            day=(2022, 2, 1),
            campaigns={"Blue Sword": "Blue Sword"},
            url="javascript:alert(3)",
            figures=[
                {
                    "value": 30,
                    "unit": "people",
                    "measure": "arrested",
                    "quote": 'arrested 30 <b>suspects</b> =HYPERLINK("http://evil")',
                    "campaign": "Blue Sword",
                }
            ],
        ),
        _doc(6, "Football results", "The home side won 3-1.", relevant=False),
    ]
    docs += [
        _doc(
            10 + i,
            f"Telecom fraud case {i} solved",
            f"Police in Zhejiang solved telecom fraud case number {i}.",
            source="Zhejiang Police",
            day=(2021, 6, 1 + i),
            regions=("Zhejiang",),
        )
        for i in range(12)
    ]
    return docs


BACKENDS = ["embedded", "osmem"]


@pytest.fixture(scope="session")
def osmem_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Osmem]:
    with running_osmem(tmp_path_factory.mktemp("osmem")) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium for one test module's pages (screenshots go to tests/artifacts)."""
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium() as b:
        yield b


@contextmanager
def backend_index(backend: str, where: Path, osmem: Osmem | None, prefix: str) -> Iterator[Index]:
    """An empty index: embedded in the folder `where`, or ElasticsearchIndex on a real
    osmem-server under a fresh `prefix`-ed name, dropped after."""
    index: Index
    if backend == "embedded":
        index = EmbeddedIndex(where / "index.db")
    else:
        assert osmem is not None
        index = ElasticsearchIndex(
            ElasticsearchSettings(url=osmem.url, index_prefix=f"{prefix}-{uuid.uuid4().hex[:12]}")
        )
    try:
        yield index
    finally:
        if isinstance(index, ElasticsearchIndex):
            index.drop()
        index.close()


@pytest.fixture(scope="module", params=BACKENDS)
def filled_index(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Index]:
    """The corpus in the embedded index, or in ElasticsearchIndex on a real osmem-server."""
    osmem = request.getfixturevalue("osmem_server") if request.param == "osmem" else None
    with backend_index(request.param, tmp_path_factory.mktemp("embedded"), osmem, "web") as index:
        outcomes = index.upsert_many(corpus())
        assert outcomes == ["created"] * len(outcomes)
        yield index


def write_sources(
    path: Path, names: dict[str, str] = SOURCE_NAMES, levels: Mapping[str, str] = SOURCE_LEVELS
) -> Path:
    """A sources file naming these source ids, at these levels."""
    lines = []
    for source_id, name in names.items():
        lines += [
            "[[source]]",
            f"id = {json.dumps(source_id)}",
            f"name = {json.dumps(name, ensure_ascii=False)}",
            f'url = "https://{source_id}.example.cn/rss.xml"',
        ]
        if source_id in levels:
            lines.append(f"level = {json.dumps(levels[source_id])}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sources_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sources(tmp_path_factory.mktemp("sources") / "feeds.toml")


@pytest.fixture(scope="module")
def client(filled_index: Index, sources_file: Path) -> Iterator[TestClient]:
    with TestClient(create_app(filled_index, sources_file=sources_file)) as c:
        yield c
