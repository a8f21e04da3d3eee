"""Both languages as one: a campaign's name in a query, in either language and script, finds
the articles tagged with that campaign and marks each one's own mention of it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from monitor.campaign_names import CampaignNames
from monitor.index.query import campaign_candidates, parse, with_campaigns


def search(client: TestClient, q: str) -> dict[str, dict[str, Any]]:
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 200, r.text
    return {h["id"]: h for h in r.json()["hits"]}


def test_chinese_name_finds_english_reports_and_marks_their_mention(client: TestClient) -> None:
    for q in ("净网2021", "淨網2021", "campaign:净网2021", 'campaign:"淨網2021"'):
        hits = search(client, q)
        assert set(hits) == {"art-1", "art-2", "art-3"}, q
        assert "<mark>Clean Internet 2021</mark>" in hits["art-2"]["snippet_html"], q
        assert hits["art-3"]["title_html"].startswith("<mark>Clean Internet 2021</mark>"), q
        assert "<mark>净网2021</mark>" in hits["art-1"]["title_html"], q


def test_english_name_finds_chinese_reports(client: TestClient) -> None:
    for q in ('"Clean Internet 2021"', "Clean Internet 2021", "campaign:Jingwang-2021"):
        hits = search(client, q)
        assert set(hits) == {"art-1", "art-2", "art-3"}, q
        assert hits["art-1"]["title_html"] == "公安部部署“<mark>净网2021</mark>”专项行动", q


def test_a_name_among_other_words_and_under_not(client: TestClient) -> None:
    assert set(search(client, "净网2021 江苏")) == {"art-1"}
    assert set(search(client, "Clean Internet 2021 arrested naked")) == {"art-2"}
    assert set(search(client, "arrested NOT 净网2021")) == {"art-2", "art-3", "art-5"}


def test_which_texts_are_read_as_names() -> None:
    names = CampaignNames.load()
    assert names.named_in('"Clean Internet"') == {"Clean Internet": ("Clean Internet",)}
    assert names.named_in("Clean Internet") == {}  # a yearless English name: only quoted
    assert names.named_in("Sharp Sword fraud") == {}
    assert names.named_in("断卡 诈骗") == {"断卡": ("Card Breaking",)}
    assert names.named_in("cleaning the internet 2021 arrests") == {
        "cleaning the internet 2021": ("Clean Internet 2021",)
    }
    assert names.named_in("police fraud") == {}


def test_a_query_of_many_words_is_read_in_bounded_time() -> None:
    words = " ".join(f"w{i}" for i in range(400))
    assert len(campaign_candidates(parse(words))) < 400 * 6
    node = with_campaigns(parse("a b c"), {"b c": ("Campaign",)})
    assert str(node).count("Campaign") == 1


def test_the_names_give_their_entries_to_read_only() -> None:
    names = CampaignNames.load()
    entries = names.entries
    assert isinstance(entries, tuple)
    assert any(e.name.startswith("Clean Internet") for e in entries)
    with pytest.raises(AttributeError):
        names.entries = ()  # type: ignore[misc]
