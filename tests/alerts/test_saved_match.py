"""A saved search matches an article as the search page would find it: its issuing levels
(from the sources file as it is now), its dates, and campaign names in either language."""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.alerts.match import Matcher
from monitor.campaign_names import CampaignNames
from monitor.saved.base import SavedSearch, SavedSearchDraft
from tests.alerts.conftest import CLEAN_INTERNET, ROOT, article


def rule(**search: object) -> object:
    draft = SavedSearchDraft(name="s", email={"to": "a@example.org"}, **search)  # type: ignore[arg-type]
    return SavedSearch(**draft.model_dump(), id="a" * 32, created_at=0, updated_at=0).rule()


def names(matcher: Matcher, doc: object) -> list[str]:
    return [m.rule.title for m in matcher.matches(doc)]  # type: ignore[arg-type]


XINHUA = article(
    "x", title="Fraud ring broken up", source="Xinhua", published=datetime(2021, 6, 1, tzinfo=UTC)
)
MPS = article(
    "m", title="Fraud ring broken up in Hebei", published=datetime(2021, 6, 1, tzinfo=UTC)
)


def test_the_issuing_level_is_read_from_the_sources_as_they_are_now() -> None:
    levels = {"xinhua": "press", "ministry-of-public-security": "ministry"}
    matcher = Matcher([rule(q="fraud", filters={"level": ["press"]})], lambda: levels)  # type: ignore[list-item]
    assert names(matcher, XINHUA) == ["s"]
    assert names(matcher, MPS) == []
    levels["ministry-of-public-security"] = "press"  # the sources file changed
    assert names(matcher, MPS) == ["s"]


def test_the_dates_of_a_saved_search_bound_the_publication_time() -> None:
    inside = rule(q="fraud", date_from="2021-06-01", date_to="2021-06-01")
    before = rule(q="fraud", date_to="2021-05-31")
    after = rule(q="fraud", date_from="2021-06-02T00:00:00Z")
    for r, expected in ((inside, ["s"]), (before, []), (after, [])):
        assert names(Matcher([r]), XINHUA) == expected  # type: ignore[list-item]


def test_a_campaign_name_in_either_language_finds_the_campaigns_articles() -> None:
    english = article(
        "en",
        title="Police report results of the internet clean-up",
        campaigns=(("Clean Internet 2021", "Cleaning the Internet 2021", True),),
    )
    campaign_names = CampaignNames.load(ROOT / "config" / "campaigns.toml").named_in
    for query in ("净网2021", "淨網2021", 'campaign:"净网2021"'):
        matcher = Matcher([rule(q=query)], campaign_names=campaign_names)  # type: ignore[list-item]
        assert names(matcher, english) == ["s"], query
        assert names(matcher, CLEAN_INTERNET) == ["s"], query
    plain = Matcher([rule(q="净网2021")])  # type: ignore[list-item]
    assert names(plain, english) == []


def test_a_preset_counts_back_from_when_the_article_is_matched() -> None:
    week = rule(q="fraud", preset="7d")
    assert "published in the last 7 days" in week.describe()  # type: ignore[attr-defined]
    for now, expected in (
        (datetime(2021, 6, 7, 23, 0, tzinfo=UTC), ["s"]),  # 1 June is the first of 7 days
        (datetime(2021, 6, 8, 0, 30, tzinfo=UTC), []),  # found late: published 8 days ago
        (datetime(2021, 5, 20, tzinfo=UTC), ["s"]),  # no end: as the search page's preset
    ):
        assert names(Matcher([week], now=lambda at=now: at), XINHUA) == expected, now  # type: ignore[list-item]
    day = rule(q="fraud", preset="24h")
    assert names(Matcher([day], now=lambda: datetime(2021, 6, 1, 23, tzinfo=UTC)), XINHUA) == ["s"]  # type: ignore[list-item]
    assert names(Matcher([day], now=lambda: datetime(2021, 6, 2, 1, tzinfo=UTC)), XINHUA) == []  # type: ignore[list-item]
