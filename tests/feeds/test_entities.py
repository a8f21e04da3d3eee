"""Entity references in feed text: real ones decoded, ones the XML never resolved dropped."""

from __future__ import annotations

from pathlib import Path

from pytest_httpserver import HTTPServer

from .conftest import produced

FEED = Path(__file__).parent / "data" / "entities.xml"


def test_unresolved_entities_are_dropped_and_real_ones_decoded(
    httpserver: HTTPServer, make_poller, bus
):
    httpserver.expect_request("/feed").respond_with_data(
        FEED.read_bytes(), content_type="application/rss+xml"
    )
    poller = make_poller([{"id": "ent", "url": httpserver.url_for("/feed"), "fulltext": "never"}])
    outcome = poller.poll_all().outcomes[0]
    assert outcome.status == "new"
    articles = {a.url.rsplit("/", 1)[1]: a for a in produced(bus)}
    first, second = articles["1.html"], articles["2.html"]
    assert first.title == "Police arrest 17 suspects & seize phones"
    assert first.summary == "Summary with entities: café 中国 été."
    assert second.title == "中国 <净网2021> campaign"
    assert second.summary == "In CDATA too: R&D équipe"
    for article in (first, second):
        for text in (article.title, article.summary, article.body):
            assert "&xxe;" not in text and "&lol" not in text and "&unknown" not in text
