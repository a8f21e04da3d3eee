"""A campaign whose figures were all reported on one day: its charts set the day's points side by
side in the order reported (not in one column), the value they label is the standing the caption
gives, and the time axis names the day itself; a measure of one point is one labelled point."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from monitor.models import EnrichedArticle
from monitor.web.app import create_app
from tests.web.conftest import BACKENDS, _doc, backend_index
from tests.web.running_totals import _fig
from tests.web.test_timeline import chart

SB = "Spring Breeze 2023"
DAY = (2023, 5, 10)


def corpus() -> list[EnrichedArticle]:
    # all published at 08:00 on one day; the later id restates a smaller, older total
    return [
        _doc(
            301,
            "Spring Breeze 2023: 5,200 suspects arrested so far",
            "Police have arrested 5,200 suspects so far and solved 12 cases.",
            day=DAY,
            campaigns={SB: SB},
            figures=[
                _fig(5200, "arrested 5,200 suspects so far", "cumulative", campaign=SB),
                _fig(
                    12,
                    "solved 12 cases",
                    "cumulative",
                    measure="cases_solved",
                    unit="cases",
                    campaign=SB,
                ),
            ],
        ),
        _doc(
            302,
            "Spring Breeze 2023 in the provinces",
            "By the end of April police had arrested 3,000 suspects. "
            "Guangdong police have arrested 800 suspects so far.",
            day=DAY,
            campaigns={SB: SB},
            figures=[
                _fig(3000, "arrested 3,000 suspects", "cumulative", campaign=SB),
                _fig(
                    800,
                    "arrested 800 suspects so far",
                    "cumulative",
                    region="Guangdong",
                    campaign=SB,
                ),
            ],
        ),
        _doc(
            303,
            "Spring Breeze 2023: a gang broken up",
            "In one case police arrested 40 suspects.",
            day=DAY,
            campaigns={SB: SB},
            figures=[_fig(40, "police arrested 40 suspects", "case", campaign=SB)],
        ),
    ]


@pytest.fixture(scope="module", params=BACKENDS)
def page(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    osmem = request.getfixturevalue("osmem_server") if request.param == "osmem" else None
    where = tmp_path_factory.mktemp("one-day")
    with backend_index(request.param, where, osmem, "oneday") as index:
        index.upsert_many(corpus())
        with TestClient(create_app(index)) as client:
            r = client.get(f"/campaigns/{SB}")
    assert r.status_code == 200, r.text
    return unescape(r.text)


def points(svg: str) -> list[tuple[str, float, float, str]]:
    """(line, x, y, tip) of each point, in the order drawn."""
    found = []
    for css, group in re.findall(r'<g class="series (s\d)"[^>]*>(.*?)</g>', svg, re.S):
        for cx, cy, tip in re.findall(
            r'<circle class="point[^"]*" cx="([\d.]+)" cy="([\d.]+)" r="4"/><title>([^<]+)', group
        ):
            found.append((css, float(cx), float(cy), tip))
    return found


def axis_days(svg: str) -> list[str]:
    return re.findall(r'<text class="axis" x="[\d.]+" y="184" text-anchor="middle">([^<]+)<', svg)


def test_a_day_of_figures_stands_side_by_side_labelled_with_the_standing(page: str) -> None:
    arrested = chart(page, "arrested")
    drawn = points(arrested)
    assert len(drawn) == 4
    xs = [x for _, x, _, _ in drawn]
    assert len(set(xs)) == 4, "each point has its own place, not one column"
    assert max(xs) - min(xs) <= 3 * 28 + 0.5  # a short spread, not the chart's width
    national = sorted((x, tip) for css, x, _, tip in drawn if css == "s0")
    # the running totals rise to the one the caption gives, rightmost
    assert [tip.split(": ")[1].split(" (")[0] for _, tip in national] == [
        "40 arrested",
        "3,000 arrested",
        "5,200 arrested",
    ]
    label = re.search(r'<text class="value" x="([\d.]+)"[^>]*>([^<]+)</text>', arrested)
    assert label is not None and label.group(2) == "5.2k"
    assert abs(float(label.group(1)) + 6 - national[-1][0]) < 0.5  # beside the 5,200 point
    # the polyline joins the totals left to right
    line = re.search(r'<polyline class="line" points="([^"]+)"', arrested)
    assert line is not None
    assert [float(p.split(",")[0]) for p in line.group(1).split()] == [x for x, _ in national[1:]]
    assert axis_days(arrested) == ["2023-05-10"]
    assert " · latest: 5,200<br>" in arrested
    assert "all reported 2023-05-10: side by side in the order reported" in arrested


def test_one_point_is_one_labelled_point_over_its_own_day(page: str) -> None:
    solved = chart(page, "cases_solved")
    assert " · latest: 12</figcaption>" in solved  # nothing side by side to explain
    ((line, x, _, tip),) = points(solved)
    assert line == "s0" and tip.startswith("2023-05-10, national: 12 cases solved")
    assert axis_days(solved) == ["2023-05-10"]
    assert re.search(r'<text class="value"[^>]*>12</text>', solved)
    assert abs(x - (46 + (360 - 46 - 14) / 2)) < 0.5  # in the middle of the plot
