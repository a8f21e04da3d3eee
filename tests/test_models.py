"""Message schemas: JSON round trip, schema version, clear errors."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from monitor.models import Article, EnrichedArticle, Extraction, SchemaError, article_id
from tests.conftest import enrich, make_article


def test_article_round_trip() -> None:
    a = make_article(1, title="公安部部署“净网2021”专项行动", lang="zh")
    assert Article.from_json(a.to_json()) == a
    assert a.schema_version == 1
    assert a.content_hash


def test_enriched_round_trip_keeps_extraction() -> None:
    doc = enrich(make_article(2), campaigns=("Clean Internet 2021",), regions=("Jiangsu",))
    back = EnrichedArticle.from_json(doc.to_json())
    assert back == doc
    assert back.extraction.campaigns[0].canonical == "Clean Internet 2021"


def test_times_are_utc() -> None:
    shanghai = timezone(timedelta(hours=8))
    a = Article(id="x", published_at=datetime(2021, 3, 5, 10, 0, tzinfo=shanghai))
    assert a.published_at == datetime(2021, 3, 5, 2, 0, tzinfo=UTC)


def test_text_is_title_blank_line_body() -> None:
    a = Article(id="x", title="T", body="B")
    assert a.text == "T\n\nB"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"{not json", "Invalid JSON"),
        (b'{"title": "no id"}', "id: Field required"),
        (b'{"id": "x", "schema_version": 9}', "newer than this monitor reads"),
        (b'{"id": "x", "lang": "fr"}', "lang"),
    ],
)
def test_bad_messages_say_what_is_wrong(raw: bytes, expected: str) -> None:
    with pytest.raises(SchemaError, match=expected):
        Article.from_json(raw)


def test_ids_are_stable_and_distinct() -> None:
    assert article_id("https://a.org/1") == article_id("https://a.org/1")
    assert article_id("https://a.org/1") != article_id("https://a.org/2")
    assert article_id(None, "feed", "g1") != article_id(None, "feed", "g2")


def test_enriched_needs_extraction() -> None:
    with pytest.raises(SchemaError, match="extraction"):
        EnrichedArticle.from_json(make_article(3).to_json())
    assert Extraction(extractor_version="1").relevance.relevant
