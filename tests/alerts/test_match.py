"""Which articles a rule matches; saved searches agree with the search index on every query."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.alerts.match import Matcher
from monitor.alerts.rules import FigureRule, NewCampaignRule, QueryRule, Schedule
from monitor.alerts.schedule import last_fire, next_fire
from monitor.index.base import SearchRequest
from monitor.index.embedded import EmbeddedIndex
from tests.alerts.conftest import CLEAN_INTERNET, article, figure

TO = ("a@example.org",)

GUANGDONG = article(
    "gd",
    title="广东警方破获特大电信网络诈骗案",
    body="广东省公安厅开展“雷霆”专项行动，打掉电信网络诈骗团伙32个，抓获犯罪嫌疑人1.1万名，"
    "缴获涉案资金12亿元。",
    source="广东公安",
    lang="zh",
    regions=("Guangdong",),
    crime_types=("telecom and network fraud",),
    campaigns=(("Thunder", "雷霆", True),),
    figures=(
        figure(11000, "people", "arrested", "抓获犯罪嫌疑人1.1万名"),
        figure(1.2e9, "CNY", "money_seized", "缴获涉案资金12亿元"),
    ),
)
JIANGSU = article(
    "js",
    title="Jiangsu police dismantle naked-chat extortion gangs",
    body="Police in Jiangsu arrested 320 suspects in the Kunlun 2021 operation against "
    "naked chat extortion and online routine loans.",
    source="Jiangsu Police",
    regions=("Jiangsu",),
    crime_types=("naked chat extortion", "online routine loans"),
    campaigns=(("Kunlun 2021", "Kunlun 2021", True),),
    figures=(figure(320, "people", "arrested", "arrested 320 suspects", "Kunlun 2021"),),
)
OFF_TOPIC = article(
    "off",
    title="Police football match raises money for charity",
    relevant=False,
    campaigns=(("Charity Cup", "Charity Cup", False),),
)
DOCS = (CLEAN_INTERNET, GUANGDONG, JIANGSU, OFF_TOPIC)

QUERIES = [
    "fraud",
    "诈骗",
    "电信网络诈骗",
    '"naked chat"',
    "naked-chat",
    "extort*",
    'campaign:"Kunlun 2021"',
    "region:Guangdong",
    "police -Jiangsu",
    "NOT Jiangsu police",
    "(Kunlun OR 净网) police",
    "Jiangsu AND Guangdong",
    'source:"Jiangsu Police"',
    "lang:zh",
    "measure:money_seized",
    "title:Clean",
    "body:Clean",
    'crime_type:"online routine loans"',
    "agency:ministry",
    "1.2",
    "CLEAN internet",
    "",
]


@pytest.mark.parametrize("query", QUERIES)
def test_a_saved_search_matches_what_the_index_finds(tmp_path: Path, query: str) -> None:
    index = EmbeddedIndex(tmp_path / "index.db")
    index.upsert_many(DOCS)
    found = {h.id for h in index.search(SearchRequest(query=query, size=50)).hits}
    index.close()
    matcher = Matcher([QueryRule(kind="query", name="q", query=query, to=TO)])
    matched = {d.id for d in DOCS if matcher.matches(d)}
    assert matched == found


def test_filters_narrow_a_search_like_the_search_api() -> None:
    rule = QueryRule(
        kind="query",
        name="gd",
        to=TO,
        filters={"crime_type": ("telecom and network fraud",), "region": ("Guangdong",)},
    )
    assert [d.id for d in DOCS if Matcher([rule]).matches(d)] == ["art-gd"]
    either = QueryRule(
        kind="query",
        name="regions",
        query="police OR 公安",
        to=TO,
        filters={"region": ("Guangdong", "Jiangsu")},
    )
    assert [d.id for d in DOCS if Matcher([either]).matches(d)] == ["art-gd", "art-js"]


def test_figures_over_a_threshold() -> None:
    billion = FigureRule(kind="figure", name="b", measure="money_seized", at_least=1e9, to=TO)
    arrests = FigureRule(kind="figure", name="a", measure="arrested", at_least=10_000, to=TO)
    kunlun = FigureRule(
        kind="figure", name="k", measure="arrested", at_least=100, campaign="kunlun 2021", to=TO
    )
    got = {
        rule.name: [d.id for d in DOCS if Matcher([rule]).matches(d)]
        for rule in (billion, arrests, kunlun)
    }
    assert got == {"b": ["art-1", "art-gd"], "a": ["art-1", "art-gd"], "k": ["art-js"]}
    [match] = Matcher([arrests]).matches(GUANGDONG)
    assert match.reason == "arrested 11,000 people ≥ 10,000"


def test_new_campaigns_only_unknown_and_relevant_and_rules_without_recipients_sleep() -> None:
    rule = NewCampaignRule(kind="new_campaign", name="n", to=TO)
    assert [(m.article.id, m.campaign) for d in DOCS for m in Matcher([rule]).matches(d)] == [
        ("art-1", "Clean Internet 2021")
    ]
    loud = rule.model_copy(update={"include_irrelevant": True})
    assert [m.campaign for m in Matcher([loud]).matches(OFF_TOPIC)] == ["Charity Cup"]
    assert Matcher([rule.model_copy(update={"to": ()})]).matches(CLEAN_INTERNET) == []
    assert Matcher([rule.model_copy(update={"enabled": False})]).matches(CLEAN_INTERNET) == []


def test_digest_schedules_daily_in_a_time_zone_and_hourly() -> None:
    daily = Schedule(every="day", at="08:00", timezone="Asia/Shanghai")  # 00:00 UTC
    now = datetime(2021, 6, 2, 23, 59, tzinfo=UTC)
    assert last_fire(daily, now) == datetime(2021, 6, 2, 0, 0, tzinfo=UTC)
    assert next_fire(daily, now) == datetime(2021, 6, 3, 0, 0, tzinfo=UTC)
    assert last_fire(daily, datetime(2021, 6, 3, 0, 0, tzinfo=UTC)) == datetime(
        2021, 6, 3, 0, 0, tzinfo=UTC
    )
    hourly = Schedule(every="hour", at="15")
    assert hourly.at == ":15"
    assert last_fire(hourly, datetime(2021, 6, 2, 10, 14, tzinfo=UTC)) == datetime(
        2021, 6, 2, 9, 15, tzinfo=UTC
    )
    assert next_fire(hourly, datetime(2021, 6, 2, 10, 15, tzinfo=UTC)) == datetime(
        2021, 6, 2, 11, 15, tzinfo=UTC
    )
