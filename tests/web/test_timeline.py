"""A campaign's timeline: each measure's values as first reported, a series per scope (national,
each region), each point with its announcement; a yearly campaign's years compared. The JSON of
/api/campaigns/{name}/timeline and the charts of the campaign page, on both index backends."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from monitor.index.base import Hit
from monitor.models import EnrichedArticle, Figure
from monitor.web.app import create_app
from monitor.web.charts import MAX_LINES, MAX_POINTS, timeline_charts
from monitor.web.timeline import measures, same_series
from monitor.web.totals import totals
from tests.web.conftest import BACKENDS, CI, _doc, backend_index
from tests.web.running_totals import CI19, CI20, _fig, served


@pytest.fixture(scope="module", params=BACKENDS)
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    with served(request, tmp_path_factory.mktemp("timeline")) as c:
        yield c


def timeline(client: TestClient, name: str, **params: str) -> dict[str, Any]:
    r = client.get(f"/api/campaigns/{name}/timeline", params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def series_of(body: dict[str, Any], measure: str) -> dict[str, list[tuple[Any, ...]]]:
    found = next(m for m in body["measures"] if m["measure"] == measure)
    return {
        s["scope"]: [(p["date"][:10], p["value"], p["kind"], p["on_line"]) for p in s["points"]]
        for s in found["series"]
    }


def test_each_scope_is_a_series_of_values_as_first_reported(client: TestClient) -> None:
    body = timeline(client, "净网2020")
    assert body["campaign"] == CI20 and body["region"] is None
    assert [m["measure"] for m in body["measures"]] == [
        "arrested",
        "cases_solved",
        "money_seized",
        "gangs_destroyed",
    ]
    arrested = series_of(body, "arrested")
    assert list(arrested) == ["national", "Guangdong", "Zhejiang"]
    assert arrested["national"] == [
        ("2020-03-10", 8000, "cumulative", True),
        ("2020-06-15", 14000, "cumulative", True),
        # the line joins running totals; a period and a case figure are points off it
        ("2020-06-15", 2100, "period", False),
        ("2020-06-15", 300, "case", False),
        ("2020-09-01", 60, "case", False),
    ]
    assert arrested["Guangdong"] == [
        ("2020-03-10", 1500, "cumulative", True),
        ("2020-07-01", 2600, "cumulative", True),
    ]
    assert arrested["Zhejiang"] == [("2020-08-01", 900, "cumulative", True)]
    national = body["measures"][0]["series"][0]
    assert national["line"] == "cumulative" and national["region"] is None
    point = next(p for p in national["points"] if p["value"] == 14000)
    assert point["article_id"] == "art-102" and point["url"] == "https://example.org/102"
    assert point["title"] == "Clean Internet 2020: 14,000 suspects arrested so far"
    assert point["quote"] == "arrested 14,000 suspects so far"
    assert point["link"] == f"/articles/art-102#fig-{point['start']}"


def test_a_value_repeated_by_later_announcements_is_one_point(client: TestClient) -> None:
    national = series_of(timeline(client, CI), "arrested")["national"]
    assert national == [
        ("2021-03-02", 17000, "period", True),
        ("2021-09-01", 25000, "period", True),
    ]
    first = timeline(client, CI)["measures"][0]["series"][0]["points"][0]
    assert (first["article_id"], first["also_reported_by"]) == ("art-1", ["art-2"])


def test_a_region_narrows_the_timeline_to_its_series(client: TestClient) -> None:
    body = timeline(client, CI20, region="guangdong")
    assert body["region"] == "Guangdong"  # as the figures spell it
    assert [(m["measure"], [s["scope"] for s in m["series"]]) for m in body["measures"]] == [
        ("arrested", ["Guangdong"])
    ]
    assert timeline(client, CI20, region="Atlantis")["measures"] == []
    bad = client.get(f"/api/campaigns/{CI20}/timeline", params={"region": "\x07"})
    assert bad.status_code == 400 and "control character" in bad.json()["detail"]


def test_the_years_of_a_yearly_campaign_are_compared_by_day_of_the_year(
    client: TestClient,
) -> None:
    years = timeline(client, "Clean Internet 2020")["years"]
    assert years["series"] == "Clean Internet"
    assert years["campaigns"] == [CI19, CI20, CI]
    arrested = next(m for m in years["measures"] if m["measure"] == "arrested")
    lines = {
        line["year"]: [(p["day"], p["value"]) for p in line["points"]] for line in arrested["lines"]
    }
    # national lines only: running totals where given (2019, 2020), else period figures (2021)
    assert lines == {
        2019: [(90, 5000), (273, 11000)],
        2020: [(69, 8000), (166, 14000)],
        2021: [(60, 17000), (243, 25000)],
    }
    assert timeline(client, "Blue Sword")["years"] is None


def test_unknown_campaigns_and_head_requests(client: TestClient) -> None:
    r = client.get("/api/campaigns/Operation Nowhere/timeline")
    assert r.status_code == 404 and r.json() == {"detail": "no campaign named 'Operation Nowhere'"}
    head = client.head(f"/api/campaigns/{CI20}/timeline")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == "application/json"
    assert client.head(f"/api/campaigns/{CI20}").status_code == 200
    assert client.head(f"/campaigns/{CI20}").status_code == 200
    assert client.head("/api/campaigns/nope/timeline").status_code == 404


def chart(html: str, measure: str) -> str:
    m = re.search(rf'<figure class="chart-box" data-measure="{measure}">.*?</figure>', html, re.S)
    assert m is not None, measure
    return m.group(0)


def test_the_page_draws_a_line_per_scope_each_point_a_link(client: TestClient) -> None:
    html = unescape(client.get(f"/campaigns/{CI20}").text)
    arrested = chart(html, "arrested")
    assert "latest: 14,000</figcaption>" in arrested
    assert re.findall(r'<g class="series (s\d)" aria-label="([^"]+)">', arrested) == [
        ("s0", "national"),
        ("s1", "Guangdong"),
        ("s2", "Zhejiang"),
    ]
    assert arrested.count("<polyline") == 2  # Zhejiang's one point has no line
    assert arrested.count('<circle class="point"') == 5 and arrested.count("point off") == 3
    assert re.findall(
        r'<li><span class="swatch (s\d)" aria-hidden="true"></span>([^<]+)</li>', arrested
    ) == [
        ("s0", "national"),
        ("s1", "Guangdong"),
        ("s2", "Zhejiang"),
    ]
    link = re.search(
        r'<a href="(/articles/art-102#fig-\d+)"><circle [^>]+/><title>([^<]+)</title></a>', arrested
    )
    assert link is not None
    assert link.group(2) == "2020-06-15, national: 14,000 arrested (running total), Xinhua"
    assert client.get(link.group(1).split("#")[0]).status_code == 200
    assert (
        'role="group" aria-label="arrested as reported over time: national, Guangdong' in arrested
    )
    years = html.split("<h2>Year by year</h2>")[1]
    assert '<svg class="chart years"' in years
    assert re.findall(r'<span class="swatch s\d" aria-hidden="true"></span>(\d+)</li>', years)[
        :3
    ] == [
        "2021",
        "2020",
        "2019",
    ]
    assert "<h2>Year by year</h2>" not in client.get("/campaigns/Blue Sword").text


def _report(region: str, value: float) -> tuple[Figure, Hit]:
    fig = Figure(
        value=value, unit="people", measure="arrested", quote="q", start=0, end=1, region=region
    )
    hit = Hit(
        id=f"{region}-{value}",
        title="",
        title_html="",
        snippet_html="",
        url="",
        source="",
        lang="en",
        published_at=datetime(2022, 3, 1, tzinfo=UTC),
        score=0,
        campaigns=[],
        figures=[fig],
    )
    return fig, hit


def test_a_chart_draws_the_regions_that_reported_most_and_counts_the_rest() -> None:
    reports = [_report(f"Region {n}", 100 + k) for n in range(12) for k in range(n + 1)]
    (drawn,) = timeline_charts(measures(reports))
    assert [entry.label for entry in drawn.legend] == [f"Region {n}" for n in range(11, 3, -1)]
    assert len(drawn.legend) == MAX_LINES and drawn.left_out == 12 - MAX_LINES
    assert [entry.css for entry in drawn.legend][:2] == ["s1", "s2"]


def test_a_yearly_series_is_read_from_the_names_of_its_years() -> None:
    known = {"Clean Internet 2019", "Clean Internet", "Clean Internet 2020 extra", "Kunlun 2020"}
    assert same_series("Clean Internet 2021", known.__contains__) == [
        (2019, "Clean Internet 2019"),
        (2021, "Clean Internet 2021"),
    ]
    assert same_series("猎网2023", {"猎网2022", "净网2022"}.__contains__) == [
        (2022, "猎网2022"),
        (2023, "猎网2023"),
    ]
    assert same_series("Blue Sword", {"Blue Sword 2020"}.__contains__) == []
    assert same_series("Kunlun 2020", {"Kunlun 2020"}.__contains__) == []
    # twenty years of a series: the ten compared hold the year asked for, the later ones first
    every = {f"Sky Net {y}" for y in range(2001, 2021)}.__contains__
    assert [y for y, _ in same_series("Sky Net 2015", every)] == list(range(2011, 2021))
    assert [y for y, _ in same_series("Sky Net 2003", every)] == list(range(2003, 2013))
    assert [y for y, _ in same_series("Sky Net 2020", every)] == list(range(2011, 2021))


def test_negative_and_unreadable_values_stay_on_the_chart_or_off_it() -> None:
    rise = Figure(value=-12.5, unit="percent", measure="decline_percent", quote="q", start=0, end=1)
    fall = rise.model_copy(update={"value": 30.0})
    broken = rise.model_copy(update={"value": float("nan")})
    _, hit = _report("x", 1)
    later = hit.model_copy(update={"id": "b", "published_at": datetime(2022, 5, 1, tzinfo=UTC)})
    reports = [(rise, hit), (fall, later), (broken, later)]
    assert totals(reports)[0].value == 30.0
    (drawn,) = timeline_charts(measures(reports))
    ys = [
        float(y) for y in re.findall(r'<circle class="point" cx="[\d.]+" cy="([-\d.]+)"', drawn.svg)
    ]
    assert len(ys) == 2 and all(14 <= y <= 190 - 24 for y in ys)
    assert ">-15</text>" in drawn.svg  # the axis reaches below zero


def test_a_chart_of_a_long_campaign_draws_points_spread_over_its_whole_span() -> None:
    reports = [_report("Hubei" if k % 2 else "Hunan", 100 + k) for k in range(2000)]
    for n, (_, hit) in enumerate(reports):
        hit.published_at = datetime(2022, 1, 1, tzinfo=UTC) + timedelta(hours=n)
    (drawn,) = timeline_charts(measures(reports))
    assert 0.9 * MAX_POINTS <= drawn.svg.count("<circle") <= MAX_POINTS
    # the latest of each line, and the first days as well as the last
    assert "Hubei: 2,099 arrested" in drawn.svg and "Hunan: 2,098 arrested" in drawn.svg
    assert "2022-01-0" in drawn.svg and "2022-03-25, " in drawn.svg


def test_a_running_total_equal_to_an_earlier_case_figure_is_on_the_line() -> None:
    one_case, hit = _report("", 12)
    one_case = one_case.model_copy(update={"region": None, "kind": "case"})
    total = one_case.model_copy(update={"kind": "cumulative"})
    later = hit.model_copy(update={"id": "later", "published_at": datetime(2022, 3, 5, tzinfo=UTC)})
    (timeline,) = measures([(one_case, hit), (total, later)])
    (national,) = timeline.series
    assert national.line == "cumulative"
    assert [(p.article_id, p.kind, p.on_line) for p in national.points] == [
        ("-12", "case", False),
        ("later", "cumulative", True),
    ]


def test_a_region_narrows_the_page_charts_as_it_narrows_the_totals(client: TestClient) -> None:
    html = unescape(client.get(f"/campaigns/{CI20}", params={"region": "guangdong"}).text)
    assert "Where it stands in Guangdong</h2>" in html
    assert "Figures over time in Guangdong</h2>" in html
    # Guangdong reported arrests only: one chart, its one line, labelled with its own standing
    assert re.findall(r'<figure class="chart-box" data-measure="([^"]+)">', html) == ["arrested"]
    arrested = chart(html, "arrested")
    assert re.findall(r'<g class="series (s\d)" aria-label="([^"]+)">', arrested) == [
        ("s1", "Guangdong")
    ]
    assert "latest: 2,600</figcaption>" in arrested
    assert "latest Guangdong 2,600" in arrested and "14,000" not in arrested
    assert re.search(r'<text class="value"[^>]*>2.6k</text>', arrested)
    assert f"/api/campaigns/{CI20.replace(' ', '%20')}/timeline?region=Guangdong" in html
    # the other scopes are still a click away, and the years compared are the nation's
    assert 'href="/campaigns/Clean%20Internet%202020?region=Zhejiang#standing">Zhejiang</a>' in html
    assert '<a href="/campaigns/Clean%20Internet%202020#over-time">' in html
    assert "<h2>Year by year</h2>" in html
    nowhere = unescape(client.get(f"/campaigns/{CI20}", params={"region": "Atlantis"}).text)
    assert "No figure has been reported under this campaign for Atlantis yet." in nowhere
    assert '<figure class="chart-box"' not in nowhere.split("<h2>Year by year</h2>")[0]


BUSY = "Clean Internet 2022"
OTHERS = ("Jiangsu", "Zhejiang", "Hubei", "Hunan", "Sichuan", "Fujian", "Henan", "Shandong")


def _busy_region_corpus() -> list[EnrichedArticle]:
    """Guangdong restating its running total on 60 days; eight other provinces once each."""
    guangdong = [
        _doc(
            300 + k,
            f"Guangdong police report on {BUSY}",
            f"Guangdong police have arrested {1000 + k * 10:,} suspects so far.",
            source="Guangdong Police",
            day=(2022, 1 + k // 28, 1 + k % 28),
            campaigns={BUSY: BUSY},
            regions=("Guangdong",),
            figures=[
                _fig(
                    1000 + k * 10,
                    f"arrested {1000 + k * 10:,} suspects",
                    "cumulative",
                    region="Guangdong",
                    campaign=BUSY,
                )
            ],
        )
        for k in range(60)
    ]
    text = " ".join(f"In {r} police arrested {100 + n} suspects." for n, r in enumerate(OTHERS))
    others = _doc(
        299,
        f"{BUSY} across the provinces",
        text,
        day=(2022, 1, 15),
        campaigns={BUSY: BUSY},
        regions=OTHERS,
        figures=[
            _fig(
                100 + n,
                f"In {r} police arrested {100 + n} suspects",
                "cumulative",
                region=r,
                campaign=BUSY,
            )
            for n, r in enumerate(OTHERS)
        ],
    )
    return [*guangdong, others]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_region_has_its_chart_to_itself(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    osmem = request.getfixturevalue("osmem_server") if backend == "osmem" else None
    with backend_index(backend, tmp_path, osmem, "busy") as index:
        index.upsert_many(_busy_region_corpus())
        with TestClient(create_app(index)) as client:
            # beside eight other lines Guangdong's is thinned to what a line of nine draws
            shared = chart(unescape(client.get(f"/campaigns/{BUSY}").text), "arrested")
            assert shared.count("Guangdong: ") < 60
            # alone, every one of its 60 running totals is drawn
            html = unescape(client.get(f"/campaigns/{BUSY}", params={"region": "guangdong"}).text)
            alone = chart(html, "arrested")
            assert alone.count('<circle class="point"') == alone.count("Guangdong: ") == 60
            # and every region is still a click away
            for region in OTHERS:
                assert f'?region={region}#standing">{region}</a>' in html, region
            # the JSON names the region as its figures spell it, as the campaign does
            body = timeline(client, BUSY, region="guangdong")
            assert body["region"] == "Guangdong"
            assert [len(s["points"]) for s in body["measures"][0]["series"]] == [60]
            detail = client.get(f"/api/campaigns/{BUSY}", params={"region": "guangdong"}).json()
            assert detail["region"] == "Guangdong"
