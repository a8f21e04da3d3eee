"""A long campaign's page stays light: each chart draws a bounded number of points spread over
the whole campaign (not only its latest), the figures table lists the newest and counts the
rest, and the timeline's JSON still has every point."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from monitor.index.embedded import EmbeddedIndex
from monitor.models import Figure
from monitor.web.app import create_app
from monitor.web.charts import MAX_POINTS
from tests.conftest import enrich, make_article

PER_YEAR = 300
YEARS = (2019, 2020, 2021)
MEASURES = (("arrested", "people"), ("cases_solved", "cases"))
REGIONS = (None, None, None, "Jiangsu", "Zhejiang", "Guangdong")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    rng = random.Random(7)
    docs = []
    for n in range(PER_YEAR * len(YEARS)):
        year = YEARS[n % len(YEARS)]
        campaign = f"Clean Internet {year}"
        published = datetime(year, 1, 1, tzinfo=UTC) + timedelta(
            days=n // len(YEARS) * 360 // PER_YEAR
        )
        figures = tuple(
            Figure(
                value=n * 10 + i + 100,  # each figure distinct
                unit=unit,
                measure=measure,
                quote=f"{measure} {n}",
                start=i * 10,
                end=i * 10 + 5,
                region=rng.choice(REGIONS),
                campaign=campaign,
                kind="cumulative",
            )
            for i, (measure, unit) in enumerate(MEASURES)
        )
        docs.append(
            enrich(make_article(n, published=published), campaigns=(campaign,), figures=figures)
        )
    index = EmbeddedIndex(Path(tmp_path_factory.mktemp("weight")) / "index.db")
    index.upsert_many(docs)
    with TestClient(create_app(index)) as c:
        yield c
    index.close()


def test_each_chart_draws_a_bounded_spread_of_points(client: TestClient) -> None:
    page = client.get("/campaigns/Clean Internet 2021")
    assert page.status_code == 200
    charts = re.findall(r"<svg class=\"chart[^\"]*\".*?</svg>", page.text, re.S)
    assert len(charts) == 4  # two measures over time, two year by year
    for svg in charts:
        assert 0 < svg.count("<circle") <= MAX_POINTS
    over_time = charts[0]
    # its first weeks as well as its latest figure
    assert re.search(r"<title>2021-01-\d\d, national", over_time)
    assert "2021-12-" in over_time
    years = charts[2]
    for year in YEARS:
        assert re.search(rf"<title>{year}-01-\d\d, {year}:", years), year

    body = client.get("/api/campaigns/Clean Internet 2021/timeline").json()
    series = body["measures"][0]["series"]
    assert sum(len(s["points"]) for s in series) == PER_YEAR  # every point


def test_the_figures_table_lists_the_newest_and_counts_them_all(client: TestClient) -> None:
    page = client.get("/campaigns/Clean Internet 2021").text
    table = page[
        page.index('<table class="figures">') : page.index(
            "</table>", page.index('<table class="figures">')
        )
    ]
    assert table.count("<tr>") == 1 + 100
    assert "The 100 figures first reported most recently are shown, newest first" in page
    assert f"all {PER_YEAR * len(MEASURES)} as CSV" in page
    first_rows = re.findall(r'<td class="date">([^<]+)</td>', table)[:3]
    assert first_rows == sorted(first_rows, reverse=True) and first_rows[0].startswith("2021-12")
    detail = client.get("/api/campaigns/Clean Internet 2021").json()
    assert len(detail["figures"]) == PER_YEAR * len(MEASURES)
