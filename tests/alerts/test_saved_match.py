"""A saved search matches an article as the search page would find it: its issuing levels
(the article's own, as the extract stage stores it), its dates, and campaign names in either
language."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from monitor.alerts.match import Matcher
from monitor.alerts.rules import SavedSearchRule
from monitor.campaign_names import CampaignNames
from monitor.index.base import SearchRequest
from monitor.index.embedded import EmbeddedIndex
from monitor.models import EnrichedArticle
from monitor.saved.base import SavedSearch, SavedSearchDraft
from tests.alerts.conftest import BUREAU, CLEAN_INTERNET, ROOT, article, extracted


def rule(name: str = "s", **search: Any) -> SavedSearchRule:
    draft = SavedSearchDraft(name=name, email={"to": "a@example.org"}, **search)  # type: ignore[arg-type]
    search_id = name.encode().hex().ljust(32, "0")
    found = SavedSearch(**draft.model_dump(), id=search_id, created_at=0, updated_at=0).rule()
    assert found is not None
    return found


def names(matcher: Matcher, doc: EnrichedArticle) -> list[str]:
    return [m.rule.title for m in matcher.matches(doc)]


XINHUA = article(
    "x", title="Fraud ring broken up", source="Xinhua", published=datetime(2021, 6, 1, tzinfo=UTC)
)


def test_the_issuing_level_is_the_articles_as_the_search_filters_by_it(tmp_path: Path) -> None:
    # a press source reporting a city bureau's operation is at city level; the Ministry's own
    # announcement is at its declared level, whatever bureau it names
    press = extracted("xinhua", "Guangzhou police break up a fraud ring", BUREAU)
    ministry = extracted("mps", "Ministry reports fraud arrests", f"{BUREAU} The ministry said so.")
    city = rule("city", q="fraud", filters={"level": ["city"]})
    ministerial = rule("ministry", q="fraud", filters={"level": ["ministry"]})
    matcher = Matcher([city, ministerial])
    assert "issued at city level" in city.describe()
    assert names(matcher, press) == ["city"]
    assert names(matcher, ministry) == ["ministry"]
    # the search finds what the saved search's email is sent for
    index = EmbeddedIndex(tmp_path / "index.db")
    try:
        index.upsert_many([press, ministry])
        for level, doc in (("city", press), ("ministry", ministry)):
            found = index.search(SearchRequest(query="fraud", filters={"level": (level,)}))
            assert [h.id for h in found.hits] == [doc.id], level
    finally:
        index.close()


def test_the_dates_of_a_saved_search_bound_the_publication_time() -> None:
    inside = rule(q="fraud", date_from="2021-06-01", date_to="2021-06-01")
    before = rule(q="fraud", date_to="2021-05-31")
    after = rule(q="fraud", date_from="2021-06-02T00:00:00Z")
    for r, expected in ((inside, ["s"]), (before, []), (after, [])):
        assert names(Matcher([r]), XINHUA) == expected


def test_a_campaign_name_in_either_language_finds_the_campaigns_articles() -> None:
    english = article(
        "en",
        title="Police report results of the internet clean-up",
        campaigns=(("Clean Internet 2021", "Cleaning the Internet 2021", True),),
    )
    campaign_names = CampaignNames.load(ROOT / "config" / "campaigns.toml").named_in
    for query in ("净网2021", "淨網2021", 'campaign:"净网2021"'):
        matcher = Matcher([rule(q=query)], campaign_names=campaign_names)
        assert names(matcher, english) == ["s"], query
        assert names(matcher, CLEAN_INTERNET) == ["s"], query
    plain = Matcher([rule(q="净网2021")])
    assert names(plain, english) == []


def test_a_preset_counts_back_from_when_the_article_is_matched() -> None:
    week = rule(q="fraud", preset="7d")
    assert "published in the last 7 days" in week.describe()
    for now, expected in (
        (datetime(2021, 6, 7, 23, 0, tzinfo=UTC), ["s"]),  # 1 June is the first of 7 days
        (datetime(2021, 6, 8, 0, 30, tzinfo=UTC), []),  # found late: published 8 days ago
        (datetime(2021, 5, 20, tzinfo=UTC), ["s"]),  # no end: as the search page's preset
    ):
        assert (
            names(Matcher([week], now=functools.partial(lambda at: at, now)), XINHUA) == expected
        ), now
    day = rule(q="fraud", preset="24h")
    assert names(Matcher([day], now=lambda: datetime(2021, 6, 1, 23, tzinfo=UTC)), XINHUA) == ["s"]
    assert names(Matcher([day], now=lambda: datetime(2021, 6, 2, 1, tzinfo=UTC)), XINHUA) == []
