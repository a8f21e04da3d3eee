"""Where a campaign stands: the latest running total per measure, nationally or in one region,
never a sum of restated totals; a period figure only where no running total was given, and a
case figure never. Through the API and on the campaign page, on both index backends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from html import unescape
from typing import Any

import pytest
from fastapi.testclient import TestClient

from monitor.index.base import Hit
from monitor.models import Figure, FigureKind
from monitor.web.totals import totals
from tests.web.conftest import BACKENDS, CI
from tests.web.running_totals import CI20, corpus, served

# where "arrested 14,000 suspects so far" starts in its announcement: the anchor of its sentence
AT = next(d for d in corpus() if d.id == "art-102").text.index("arrested 14,000 suspects so far")


@pytest.fixture(scope="module", params=BACKENDS)
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    with served(request, tmp_path_factory.mktemp("totals")) as c:
        yield c


def standing(client: TestClient, name: str, **params: str) -> dict[str, dict[str, Any]]:
    r = client.get(f"/api/campaigns/{name}", params=params)
    assert r.status_code == 200, r.text
    return {t["measure"]: t for t in r.json()["totals"]}


def test_the_later_running_totals_stand_not_their_sum(client: TestClient) -> None:
    # 8,000 then 14,000 arrested three months apart: the campaign stands at 14,000, not 22,000
    totals = standing(client, CI20)
    arrested = totals["arrested"]
    assert (arrested["value"], arrested["kind"], arrested["article_id"]) == (
        14000,
        "cumulative",
        "art-102",
    )
    assert arrested["as_of"].startswith("2020-06-15")
    assert arrested["quote"] == "arrested 14,000 suspects so far"
    assert arrested["title"] == "Clean Internet 2020: 14,000 suspects arrested so far"
    assert arrested["url"] == "https://example.org/102"
    assert arrested["link"] == f"/articles/art-102#fig-{AT}"
    assert arrested["region"] is None
    assert (totals["cases_solved"]["value"], totals["cases_solved"]["unit"]) == (5200, "cases")


def test_a_regional_report_does_not_replace_the_national_one(client: TestClient) -> None:
    # Guangdong's 2,600 and Zhejiang's 900 come after the national 14,000
    assert standing(client, CI20)["arrested"]["value"] == 14000
    guangdong = standing(client, CI20, region="guangdong")["arrested"]
    assert (guangdong["value"], guangdong["region"], guangdong["article_id"]) == (
        2600,
        "Guangdong",
        "art-103",
    )
    body = client.get(f"/api/campaigns/{CI20}", params={"region": "Zhejiang"}).json()
    assert body["region"] == "Zhejiang"
    assert [(t["measure"], t["value"]) for t in body["totals"]] == [("arrested", 900)]


def test_a_case_figure_never_becomes_a_total(client: TestClient) -> None:
    totals = standing(client, CI20)
    # the latest announcement gives 60 arrested, one gang, 5 million yuan, all in one case
    assert totals["arrested"]["value"] != 60
    assert "gangs_destroyed" not in totals
    # money: no running total was announced, so the latest period figure stands in, said so
    money = totals["money_seized"]
    assert (money["value"], money["kind"], money["amount"]) == (
        1.2e8,
        "period",
        "120 million yuan",
    )


def test_the_latest_figures_of_the_detail_are_its_national_standing(client: TestClient) -> None:
    # the newest announcement's 60 arrested and 5 million yuan are one case; Hubei's gang too
    for params in ({}, {"region": "Guangdong"}):
        body = client.get(f"/api/campaigns/{CI20}", params=params).json()
        latest = {
            f["measure"]: (f["value"], f["kind"], f["region"]) for f in body["latest_figures"]
        }
        assert latest == {
            "arrested": (14000, "cumulative", None),
            "cases_solved": (5200, "cumulative", None),
            "money_seized": (1.2e8, "period", None),
        }


def test_the_campaign_list_gives_each_campaign_its_standing(client: TestClient) -> None:
    """The list's latest figures (made in the index) are those the campaign page stands on."""

    def figures(body: dict[str, object]) -> set[tuple[object, ...]]:
        found = body["latest_figures"]
        assert isinstance(found, list)
        return {(f["measure"], f["unit"], f["value"], f["kind"], f["region"]) for f in found}

    listed = client.get("/api/campaigns").json()
    assert len(listed) > 1
    for campaign in listed:
        detail = client.get(f"/api/campaigns/{campaign['canonical']}").json()
        assert figures(campaign) == figures(detail), campaign["canonical"]
    (ci20,) = [c for c in listed if c["canonical"] == CI20]
    assert figures(ci20) == {
        ("arrested", "people", 14000, "cumulative", None),
        ("cases_solved", "cases", 5200, "cumulative", None),
        ("money_seized", "CNY", 1.2e8, "period", None),
    }
    page = unescape(client.get("/campaigns").text)
    assert "14,000" in page and ">60 arrested" not in page


def test_totals_of_an_unknown_region_are_empty_and_odd_regions_are_refused(
    client: TestClient,
) -> None:
    r = client.get(f"/api/campaigns/{CI20}", params={"region": "Atlantis"})
    assert r.status_code == 200 and r.json()["totals"] == []
    for region, words in (("Guang\x00dong", "control character"), ("x" * 500, "at most 100")):
        bad = client.get(f"/api/campaigns/{CI20}", params={"region": region})
        assert bad.status_code == 400, bad.text
        detail = bad.json()["detail"]
        assert words in detail and "\n" not in detail
        page = client.get(f"/campaigns/{CI20}", params={"region": region})
        assert page.status_code == 400 and "Traceback" not in page.text


def test_the_page_shows_where_it_stands_linked_to_the_sentence(client: TestClient) -> None:
    html = unescape(client.get("/campaigns/净网2020").text)
    assert '<h2 id="standing">Where it stands</h2>' in html
    assert f'<a class="total" href="/articles/art-102#fig-{AT}">14,000</a>' in html
    assert "22,000" not in html
    assert '<tr data-measure="money_seized" data-kind="period">' in html
    assert "one period, no running total" in html
    assert 'href="/campaigns/Clean%20Internet%202020?region=Guangdong#standing">Guangdong</a>' in (
        html
    )
    assert "region=Hubei" not in html  # Hubei reported one case: no standing of its own
    regional = unescape(client.get("/campaigns/净网2020", params={"region": "GUANGDONG"}).text)
    assert "Where it stands in Guangdong</h2>" in regional
    assert '<a class="total" href="/articles/art-103#fig-' in regional
    assert ">2,600</a>" in regional and ">14,000</a>" not in regional


@pytest.mark.parametrize("name", ["净网2021", "淨網2021", "Clean Internet 2021"])
def test_every_alias_opens_the_campaign_with_its_totals(client: TestClient, name: str) -> None:
    r = client.get(f"/api/campaigns/{name}")
    assert r.status_code == 200, r.text
    assert r.json()["canonical"] == CI
    assert {t["measure"]: t["value"] for t in r.json()["totals"]}["arrested"] == 25000
    page = client.get(f"/campaigns/{name}")
    assert page.status_code == 200 and f"<h1>{CI}" in page.text
    timeline = client.get(f"/api/campaigns/{name}/timeline")
    assert timeline.status_code == 200 and timeline.json()["campaign"] == CI


def _report(
    value: float, kind: FigureKind, day: int, region: str | None = None, article: str = ""
) -> tuple[Figure, Hit]:
    fig = Figure(
        value=value,
        unit="people",
        measure="arrested",
        quote=f"arrested {value}",
        start=day,
        end=day + 5,
        region=region,
        kind=kind,
    )
    hit = Hit(
        id=article or f"a{day}",
        title="",
        title_html="",
        snippet_html="",
        url="",
        source="",
        lang="en",
        published_at=datetime(2022, 1, day, tzinfo=UTC),
        score=0,
        campaigns=[],
        figures=[fig],
    )
    return fig, hit


def test_a_running_total_outranks_a_later_period_figure() -> None:
    reports = [
        _report(500, "cumulative", 1),
        _report(900, "cumulative", 10),
        _report(120, "period", 20),  # "in the last week": not the standing
        _report(7, "case", 25),
        _report(4000, "cumulative", 28, region="Hubei"),
    ]
    (national,) = totals(reports)
    assert (national.value, national.kind, national.article_id) == (900, "cumulative", "a10")
    (hubei,) = totals(reports, "hubei")
    assert (hubei.value, hubei.region) == (4000, "Hubei")
    # one announcement giving a total and a part of it: the total (running totals never shrink)
    same_day = [_report(900, "cumulative", 10), _report(150, "cumulative", 10, article="a10")]
    assert totals(same_day)[0].value == 900
    assert totals([_report(7, "case", 3)]) == []
