"""Announcements of a yearly campaign that restate running totals as it goes: 净网2020 with
national and provincial totals, a period figure, case figures and a measure never totalled;
净网2019 for the year-by-year comparison. Each figure's kind is given, as the extractor sets it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from monitor.index.base import Index
from monitor.models import EnrichedArticle
from monitor.web.app import create_app
from tests.support.osmem import Osmem
from tests.web.conftest import _doc, backend_index
from tests.web.conftest import corpus as shared_corpus

CI20 = "Clean Internet 2020"
CI19 = "Clean Internet 2019"


def _fig(
    value: float,
    quote: str,
    kind: str,
    *,
    measure: str = "arrested",
    unit: str = "people",
    region: str | None = None,
    campaign: str = CI20,
) -> dict[str, object]:
    return {
        "value": value,
        "unit": unit,
        "measure": measure,
        "quote": quote,
        "kind": kind,
        "region": region,
        "campaign": campaign,
    }


def corpus() -> list[EnrichedArticle]:
    return [
        _doc(
            101,
            "公安部通报“净网2020”专项行动阶段成果",
            "截至目前，全国公安机关累计抓获犯罪嫌疑人8000名，累计破获案件3000起。"
            "其中，广东公安机关累计抓获犯罪嫌疑人1500名。",
            lang="zh",
            source="公安部",
            day=(2020, 3, 10),
            campaigns={"净网2020": CI20},
            figures=[
                _fig(8000, "累计抓获犯罪嫌疑人8000名", "cumulative"),
                _fig(
                    3000, "累计破获案件3000起", "cumulative", measure="cases_solved", unit="cases"
                ),
                _fig(1500, "累计抓获犯罪嫌疑人1500名", "cumulative", region="Guangdong"),
            ],
        ),
        _doc(
            102,
            "Clean Internet 2020: 14,000 suspects arrested so far",
            "Police have arrested 14,000 suspects so far and solved 5,200 cases in total. "
            "In June alone police arrested 2,100 suspects. "
            "In one telecom fraud case police arrested 300 suspects.",
            day=(2020, 6, 15),
            campaigns={CI20: CI20},
            figures=[
                _fig(14000, "arrested 14,000 suspects so far", "cumulative"),
                _fig(
                    5200, "solved 5,200 cases", "cumulative", measure="cases_solved", unit="cases"
                ),
                _fig(2100, "In June alone police arrested 2,100 suspects", "period"),
                _fig(300, "police arrested 300 suspects", "case"),
            ],
        ),
        _doc(
            103,
            "广东公安“净网2020”专项行动战果",
            "广东公安机关累计抓获犯罪嫌疑人2600名，上半年查扣涉案资金1.2亿元。",
            lang="zh",
            source="Guangdong Police",
            day=(2020, 7, 1),
            campaigns={"净网2020": CI20},
            regions=("Guangdong",),
            figures=[
                _fig(2600, "累计抓获犯罪嫌疑人2600名", "cumulative", region="Guangdong"),
                _fig(
                    1.2e8,
                    "上半年查扣涉案资金1.2亿元",
                    "period",
                    measure="money_seized",
                    unit="CNY",
                ),
            ],
        ),
        _doc(
            104,
            "Zhejiang police and Clean Internet 2020",
            "Zhejiang police have arrested 900 suspects under the campaign so far.",
            source="Zhejiang Police",
            day=(2020, 8, 1),
            campaigns={CI20: CI20},
            regions=("Zhejiang",),
            figures=[_fig(900, "arrested 900 suspects", "cumulative", region="Zhejiang")],
        ),
        _doc(
            105,
            "净网2020：一起网络诈骗案告破",
            "警方破获一个诈骗团伙，抓获犯罪嫌疑人60名，查扣涉案资金500万元。",
            lang="zh",
            source="公安部",
            day=(2020, 9, 1),
            campaigns={"净网2020": CI20},
            figures=[
                _fig(60, "抓获犯罪嫌疑人60名", "case"),
                _fig(
                    1,
                    "破获一个诈骗团伙",
                    "case",
                    measure="gangs_destroyed",
                    unit="gangs",
                    region="Hubei",
                ),
                _fig(5e6, "查扣涉案资金500万元", "case", measure="money_seized", unit="CNY"),
            ],
        ),
        _doc(
            106,
            "“净网2019”专项行动开局",
            "截至目前，共抓获犯罪嫌疑人5000名。",
            lang="zh",
            source="公安部",
            day=(2019, 4, 1),
            campaigns={"净网2019": CI19},
            figures=[_fig(5000, "共抓获犯罪嫌疑人5000名", "cumulative", campaign=CI19)],
        ),
        _doc(
            107,
            "Clean Internet 2019 results so far",
            "Police have arrested 11,000 suspects since the campaign began.",
            day=(2019, 10, 1),
            campaigns={CI19: CI19},
            figures=[_fig(11000, "arrested 11,000 suspects", "cumulative", campaign=CI19)],
        ),
    ]


@contextmanager
def indexed(backend: str, where: Path, osmem: Osmem | None) -> Iterator[Index]:
    """This corpus and the shared one in the embedded index, or on a real osmem-server."""
    with backend_index(backend, where, osmem, "totals") as index:
        index.upsert_many(corpus() + shared_corpus())
        yield index


@contextmanager
def served(request: pytest.FixtureRequest, where: Path) -> Iterator[TestClient]:
    """The web app over `indexed`, on the backend a fixture parametrised by BACKENDS is at."""
    osmem = request.getfixturevalue("osmem_server") if request.param == "osmem" else None
    with indexed(request.param, where, osmem) as index, TestClient(create_app(index)) as c:
        yield c
