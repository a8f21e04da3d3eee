"""The embedded index as a user sees it: results, Chinese search, facets, histogram,
highlights, paging, idempotent upserts, the campaign registry."""

from datetime import UTC, datetime

import pytest

from monitor.errors import QuerySyntaxError
from monitor.index.base import SearchRequest
from monitor.index.embedded import EmbeddedIndex
from monitor.models import Figure
from tests.conftest import enrich, make_article


@pytest.fixture
def filled(index: EmbeddedIndex) -> EmbeddedIndex:
    docs = [
        enrich(make_article(1, title="公安部部署“净网2021”专项行动", lang="zh",
                            body="严厉打击电信网络诈骗犯罪，抓获犯罪嫌疑人1.7万名。"),
               campaigns=("Clean Internet 2021",), regions=("Jiangsu",),
               figures=(Figure(value=17000, unit="people", measure="arrested", quote="抓获犯罪嫌疑人1.7万名",
                               start=30, end=41, campaign="Clean Internet 2021"),)),
        enrich(make_article(2, title="Police crack down on naked chat extortion",
                            body="Police arrested 1,065 people. The naked chat gangs were destroyed.",
                            published=datetime(2021, 5, 1, tzinfo=UTC)),
               campaigns=("Clean Internet 2021",), regions=("Beijing",)),
        enrich(make_article(3, title="Blue Sword operation results",
                            body="The Blue Sword campaign busted 41 gangs in Guangdong.",
                            published=datetime(2022, 1, 1, tzinfo=UTC)),
               campaigns=("Blue Sword",), regions=("Guangdong",)),
        enrich(make_article(4, title="Football results", body="The home side won 3-1."),
               relevant=False),
    ]
    assert index.upsert_many(docs) == ["created"] * 4
    return index


def search(ix: EmbeddedIndex, q: str = "", **kw: object) -> list[str]:
    return [h.id for h in ix.search(SearchRequest(query=q, **kw)).hits]  # type: ignore[arg-type]


def test_two_character_chinese_queries_find_their_articles(filled: EmbeddedIndex) -> None:
    assert search(filled, "诈骗") == ["art-1"]
    assert search(filled, "净网") == ["art-1"]
    assert search(filled, "净网2021") == ["art-1"]
    assert search(filled, "网诈") == []  # the characters exist, but not side by side


def test_english_words_phrases_and_operators(filled: EmbeddedIndex) -> None:
    assert search(filled, '"naked chat"') == ["art-2"]
    assert search(filled, '"chat naked"') == []
    assert sorted(search(filled, "naked OR sword")) == ["art-2", "art-3"]
    assert search(filled, "police -naked") == []
    assert search(filled, 'campaign:"blue sword"') == ["art-3"]
    assert search(filled, "region:guangdong") == ["art-3"]
    assert search(filled, "destr*") == ["art-2"]


def test_irrelevant_items_are_hidden_unless_asked(filled: EmbeddedIndex) -> None:
    assert search(filled, "football") == []
    assert search(filled, "football", include_irrelevant=True) == ["art-4"]
    assert filled.count() == 4


def test_filters_facets_and_histogram(filled: EmbeddedIndex) -> None:
    result = filled.search(SearchRequest(filters={"campaign": ("Clean Internet 2021",)}))
    assert {h.id for h in result.hits} == {"art-1", "art-2"}
    regions = {b.key: b.count for b in result.facets["region"]}
    assert regions == {"Jiangsu": 1, "Beijing": 1}
    assert {b.key: b.count for b in result.facets["lang"]} == {"en": 1, "zh": 1}
    assert result.interval == "day"
    assert sum(b.count for b in result.histogram) == 2
    everything = filled.search(SearchRequest())
    assert everything.interval == "month"
    assert [b.start for b in everything.histogram] == ["2021-03", "2021-05", "2022-01"]
    dated = filled.search(SearchRequest(date_from=datetime(2021, 4, 1, tzinfo=UTC),
                                        date_to=datetime(2021, 12, 31, tzinfo=UTC)))
    assert [h.id for h in dated.hits] == ["art-2"]


def test_highlights_are_marked_and_escaped(index: EmbeddedIndex) -> None:
    evil = enrich(make_article(9, title="<img src=x onerror=alert(1)> fraud",
                               body="A <script>alert(1)</script> fraud story"))
    index.upsert_many([evil])
    hit = index.search(SearchRequest(query="fraud")).hits[0]
    assert "<img" not in hit.title_html and "&lt;img" in hit.title_html
    assert "<script>" not in hit.snippet_html
    assert "<mark>fraud</mark>" in hit.title_html and "<mark>fraud</mark>" in hit.snippet_html


def test_paging_and_date_sort(index: EmbeddedIndex) -> None:
    index.upsert_many([enrich(make_article(n)) for n in range(25)])
    first = index.search(SearchRequest(query="police", size=10, page=1, sort="date"))
    third = index.search(SearchRequest(query="police", size=10, page=3, sort="date"))
    assert first.total == 25 and len(first.hits) == 10 and len(third.hits) == 5
    dates = [h.published_at for h in first.hits]
    assert dates == sorted(dates, reverse=True)


def test_upserts_are_idempotent_and_updates_replace(index: EmbeddedIndex) -> None:
    doc = enrich(make_article(1))
    assert index.upsert_many([doc]) == ["created"]
    assert index.upsert_many([doc]) == ["unchanged"]
    changed = enrich(make_article(1, body="Police seized 29.95 billion yuan."))
    assert index.upsert_many([changed]) == ["updated"]
    assert index.count() == 1
    assert search(index, "yuan") == ["art-1"]
    assert search(index, "arrested") == []


def test_campaign_registry(filled: EmbeddedIndex) -> None:
    assert filled.campaign_known("Clean Internet 2021")
    assert filled.campaign_known("blue sword")
    assert not filled.campaign_known("Kunlun 2022")
    c = filled.campaign("Clean Internet 2021")
    assert c is not None and c.article_count == 2
    assert c.first_article == "art-1"
    assert [f.value for f in c.latest_figures] == [17000]
    assert [s.canonical for s in filled.campaigns()] == ["Blue Sword", "Clean Internet 2021"]


@pytest.mark.parametrize("query", ['"naked chat', "AND", "fraud OR", "a OR -b", "(x"])
def test_bad_queries_are_clear_errors(filled: EmbeddedIndex, query: str) -> None:
    with pytest.raises(QuerySyntaxError):
        filled.search(SearchRequest(query=query))


def test_unknown_filter_is_an_error(filled: EmbeddedIndex) -> None:
    with pytest.raises(QuerySyntaxError, match="unknown filter 'colour'"):
        filled.search(SearchRequest(filters={"colour": ("red",)}))
