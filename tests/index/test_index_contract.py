"""The index contract as a user sees it, on every backend (tests/index/conftest.py): results,
Chinese search, facets, histogram, highlights, paging, idempotent upserts, the campaign registry."""

from datetime import UTC, datetime

import pytest

from monitor.errors import QuerySyntaxError
from monitor.index.base import Index, SearchRequest
from monitor.models import EnrichedArticle, Figure
from tests.conftest import enrich, make_article


@pytest.fixture
def filled(index: Index) -> Index:
    docs = [
        enrich(
            make_article(
                1,
                title="公安部部署“净网2021”专项行动",
                lang="zh",
                body="严厉打击电信网络诈骗犯罪，抓获犯罪嫌疑人1.7万名。",
            ),
            campaigns=("Clean Internet 2021",),
            regions=("Jiangsu",),
            figures=(
                Figure(
                    value=17000,
                    unit="people",
                    measure="arrested",
                    quote="抓获犯罪嫌疑人1.7万名",
                    start=30,
                    end=41,
                    campaign="Clean Internet 2021",
                ),
            ),
        ),
        enrich(
            make_article(
                2,
                title="Police crack down on naked chat extortion",
                body="Police arrested 1,065 people. The naked chat gangs were destroyed.",
                published=datetime(2021, 5, 1, tzinfo=UTC),
            ),
            campaigns=("Clean Internet 2021",),
            regions=("Beijing",),
        ),
        enrich(
            make_article(
                3,
                title="Blue Sword operation results",
                body="The Blue Sword campaign busted 41 gangs in Guangdong.",
                published=datetime(2022, 1, 1, tzinfo=UTC),
            ),
            campaigns=("Blue Sword",),
            regions=("Guangdong",),
        ),
        enrich(
            make_article(4, title="Football results", body="The home side won 3-1."), relevant=False
        ),
    ]
    assert index.upsert_many(docs) == ["created"] * 4
    return index


def search(ix: Index, q: str = "", **kw: object) -> list[str]:
    return [h.id for h in ix.search(SearchRequest(query=q, **kw)).hits]  # type: ignore[arg-type]


def test_two_character_chinese_queries_find_their_articles(filled: Index) -> None:
    assert search(filled, "诈骗") == ["art-1"]
    assert search(filled, "净网") == ["art-1"]
    assert search(filled, "净网2021") == ["art-1"]
    assert search(filled, "网诈") == []  # the characters exist, but not side by side


def test_english_words_phrases_and_operators(filled: Index) -> None:
    assert search(filled, '"naked chat"') == ["art-2"]
    assert search(filled, '"chat naked"') == []
    assert sorted(search(filled, "naked OR sword")) == ["art-2", "art-3"]
    assert search(filled, "police -naked") == []
    assert search(filled, 'campaign:"blue sword"') == ["art-3"]
    assert search(filled, "region:guangdong") == ["art-3"]
    assert search(filled, "destr*") == ["art-2"]


def test_irrelevant_items_are_hidden_unless_asked(filled: Index) -> None:
    assert search(filled, "football") == []
    assert search(filled, "football", include_irrelevant=True) == ["art-4"]
    assert filled.count() == 4


def test_filters_facets_and_histogram(filled: Index) -> None:
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
    dated = filled.search(
        SearchRequest(
            date_from=datetime(2021, 4, 1, tzinfo=UTC), date_to=datetime(2021, 12, 31, tzinfo=UTC)
        )
    )
    assert [h.id for h in dated.hits] == ["art-2"]


def test_highlights_are_marked_and_escaped(index: Index) -> None:
    evil = enrich(
        make_article(
            9,
            title="<img src=x onerror=alert(1)> fraud",
            body="A <script>alert(1)</script> fraud story",
        )
    )
    index.upsert_many([evil])
    hit = index.search(SearchRequest(query="fraud")).hits[0]
    assert "<img" not in hit.title_html and "&lt;img" in hit.title_html
    assert "<script>" not in hit.snippet_html
    assert "<mark>fraud</mark>" in hit.title_html and "<mark>fraud</mark>" in hit.snippet_html


def test_paging_and_date_sort(index: Index) -> None:
    index.upsert_many([enrich(make_article(n)) for n in range(25)])
    first = index.search(SearchRequest(query="police", size=10, page=1, sort="date"))
    third = index.search(SearchRequest(query="police", size=10, page=3, sort="date"))
    assert first.total == 25 and len(first.hits) == 10 and len(third.hits) == 5
    dates = [h.published_at for h in first.hits]
    assert dates == sorted(dates, reverse=True)


def test_upserts_are_idempotent_and_updates_replace(index: Index) -> None:
    doc = enrich(make_article(1))
    assert index.upsert_many([doc]) == ["created"]
    assert index.upsert_many([doc]) == ["unchanged"]
    changed = enrich(make_article(1, body="Police seized 29.95 billion yuan."))
    assert index.upsert_many([changed]) == ["updated"]
    assert index.count() == 1
    assert search(index, "yuan") == ["art-1"]
    assert search(index, "arrested") == []


def test_campaign_registry(filled: Index) -> None:
    assert filled.campaign_known("Clean Internet 2021")
    assert filled.campaign_known("blue sword")
    assert not filled.campaign_known("Kunlun 2022")
    c = filled.campaign("Clean Internet 2021")
    assert c is not None and c.article_count == 2
    assert c.first_article == "art-1"
    assert [f.value for f in c.latest_figures] == [17000]
    assert [s.canonical for s in filled.campaigns()] == ["Blue Sword", "Clean Internet 2021"]


@pytest.mark.parametrize("query", ['"naked chat', "AND", "fraud OR", "a OR -b", "(x"])
def test_bad_queries_are_clear_errors(filled: Index, query: str) -> None:
    with pytest.raises(QuerySyntaxError):
        filled.search(SearchRequest(query=query))


def test_unknown_filter_is_an_error(filled: Index) -> None:
    with pytest.raises(QuerySyntaxError, match="unknown filter 'colour'"):
        filled.search(SearchRequest(filters={"colour": ("red",)}))


# -- beyond the first suite: what else a user relies on, on every backend ----------------


def test_get_returns_the_stored_article_whole(filled: Index) -> None:
    doc = filled.get("art-1")
    assert doc is not None
    assert doc.title == "公安部部署“净网2021”专项行动"
    assert doc.extraction.figures[0].value == 17000
    assert doc.extraction.figures[0].campaign == "Clean Internet 2021"
    assert doc.extraction.regions == ("Jiangsu",)
    assert filled.get("art-404") is None


def test_chinese_matches_are_marked_and_single_characters_found(filled: Index) -> None:
    hit = filled.search(SearchRequest(query="诈骗")).hits[0]
    assert "<mark>诈骗</mark>" in hit.snippet_html
    assert "<mark>净网</mark>" in filled.search(SearchRequest(query="净网")).hits[0].title_html
    assert search(filled, "骗") == ["art-1"]
    assert search(filled, "诈骗 naked") == []  # AND across languages
    assert sorted(search(filled, "诈骗 OR naked")) == ["art-1", "art-2"]


def test_full_width_digits_match_ascii_ones(
    index: Index, backend: str, request: pytest.FixtureRequest
) -> None:
    if backend == "osmem":
        request.applymarker(
            pytest.mark.xfail(
                strict=True,
                reason="osmem-server's standard tokenizer drops full-width digits; "
                "Elasticsearch folds them (cjk_width)",
            )
        )
    doc = enrich(make_article(7, title="“净网２０２１”专项行动", lang="zh", body="抓获嫌疑人。"))
    index.upsert_many([doc])
    assert search(index, "净网2021") == ["art-7"]


def test_field_queries_reach_only_their_field(filled: Index) -> None:
    assert search(filled, "title:sword") == ["art-3"]
    assert search(filled, "body:guangdong") == ["art-3"]
    assert search(filled, "title:guangdong") == []
    assert sorted(search(filled, 'campaign:"Clean Internet 2021"')) == ["art-1", "art-2"]
    assert search(filled, "lang:zh") == ["art-1"]
    assert search(filled, "campaign:sword region:beijing") == []
    assert search(filled, "(naked OR sword) -guangdong") == ["art-2"]


def test_a_title_match_ranks_above_a_body_match(index: Index) -> None:
    index.upsert_many(
        [
            enrich(
                make_article(
                    1,
                    title="Weekly bulletin",
                    body="Officers seized counterfeit goods.",
                    published=datetime(2021, 6, 2, tzinfo=UTC),
                )
            ),
            enrich(
                make_article(
                    2,
                    title="Counterfeit goods seized",
                    body="Officers acted.",
                    published=datetime(2021, 6, 1, tzinfo=UTC),
                )
            ),
        ]
    )
    assert search(index, "counterfeit") == ["art-2", "art-1"]
    assert search(index, "counterfeit", sort="date") == ["art-1", "art-2"]


def test_filters_combine_and_values_of_one_filter_widen(filled: Index) -> None:
    either = filled.search(SearchRequest(filters={"region": ("Beijing", "Guangdong")}))
    assert sorted(h.id for h in either.hits) == ["art-2", "art-3"]
    both = filled.search(
        SearchRequest(filters={"region": ("Beijing", "Guangdong"), "campaign": ("Blue Sword",)})
    )
    assert [h.id for h in both.hits] == ["art-3"]
    assert search(filled, "police", filters={"lang": ("zh",)}) == []
    measures = filled.search(SearchRequest()).facets["measure"]
    assert [(b.key, b.count) for b in measures] == [("arrested", 1)]
    campaigns = filled.search(SearchRequest()).facets["campaign"]
    assert [(b.key, b.count) for b in campaigns] == [("Clean Internet 2021", 2), ("Blue Sword", 1)]


def test_histogram_intervals_and_switches(filled: Index) -> None:
    yearly = filled.search(SearchRequest(histogram="year"))
    assert yearly.interval == "year"
    assert [(b.start, b.count) for b in yearly.histogram] == [("2021", 2), ("2022", 1)]
    weekly = filled.search(SearchRequest(histogram="week", query="naked"))
    assert [(b.start, b.count) for b in weekly.histogram] == [("2021-W17", 1)]
    bare = filled.search(SearchRequest(histogram=None, facets=False))
    assert bare.interval is None and bare.histogram == [] and bare.facets == {}
    assert bare.total == 3


def test_pages_past_the_end_are_empty_but_counted(index: Index) -> None:
    index.upsert_many([enrich(make_article(n)) for n in range(12)])
    past = index.search(SearchRequest(query="police", size=10, page=3))
    assert past.total == 12 and past.hits == []
    far = index.search(SearchRequest(query="police", size=200, page=50))
    assert far.total == 12 and far.hits == []
    with pytest.raises(ValueError, match="may not exceed 10,000"):
        SearchRequest(query="police", size=200, page=51)
    counted = index.search(SearchRequest(size=0))
    assert counted.total == 12 and counted.hits == []


def test_an_update_replaces_facets_and_a_new_version_rewrites(index: Index) -> None:
    index.upsert_many([enrich(make_article(1), campaigns=("Blue Sword",))])
    assert index.upsert_many([enrich(make_article(1), campaigns=("Kunlun 2022",))]) == [
        "unchanged"  # same content and extractor version: nothing to write
    ]
    assert index.upsert_many(
        [enrich(make_article(1), campaigns=("Kunlun 2022",), version="test-2")]
    ) == ["updated"]
    facets = index.search(SearchRequest()).facets["campaign"]
    assert [b.key for b in facets] == ["Kunlun 2022"]
    assert search(index, 'campaign:"blue sword"') == []
    assert index.campaign_known("Kunlun 2022")


def test_irrelevant_articles_name_no_campaign(index: Index) -> None:
    index.upsert_many([enrich(make_article(1), campaigns=("Kunlun 2022",), relevant=False)])
    assert not index.campaign_known("Kunlun 2022")
    assert index.campaign("Kunlun 2022") is None
    assert index.campaigns() == []


def test_campaign_summary_in_full(filled: Index) -> None:
    c = filled.campaign("clean internet 2021")
    assert c is not None
    assert c.canonical == "Clean Internet 2021"
    assert c.mentions == ["Clean Internet 2021"]
    assert c.first_seen == datetime(2021, 3, 2, tzinfo=UTC)
    assert c.sources == ["test"]
    assert filled.campaign("Kunlun 2022") is None


def test_every_stored_article_can_be_read_back_in_id_order(index: Index) -> None:
    docs = [enrich(make_article(n)) for n in range(23)]
    index.upsert_many(docs)
    seen = [doc.id for doc in index.iter_articles(batch=5)]
    assert seen == sorted(d.id for d in docs)


def _from(doc: EnrichedArticle, feed_id: str, *, chinese_police: bool = True) -> EnrichedArticle:
    """`doc` as polled from the source `feed_id`, led at home or abroad."""
    relevance = doc.extraction.relevance.model_copy(update={"about_chinese_police": chinese_police})
    extraction = doc.extraction.model_copy(update={"relevance": relevance})
    return doc.model_copy(update={"feed_id": feed_id, "extraction": extraction})


@pytest.fixture
def sourced(index: Index) -> Index:
    docs = [
        _from(
            enrich(
                make_article(1, title="Jiangsu police bust a fraud ring", source="Jiangsu Police")
            ),
            "js-police",
        ),
        _from(
            enrich(
                make_article(2, title="Card-cutting results in Nanjing", source="Jiangsu Police")
            ),
            "js-police",
        ),
        _from(
            enrich(
                make_article(
                    3,
                    title="INTERPOL operation HAECHI seizes fraud proceeds",
                    body="An INTERPOL operation across 34 countries arrested 3,500 people.",
                    source="Xinhua English",
                ),
                campaigns=("HAECHI IV",),
            ),
            "xinhua-en",
            chinese_police=False,
        ),
        _from(
            enrich(
                make_article(4, title="Weather for the weekend", source="Xinhua English"),
                relevant=False,
            ),
            "xinhua-en",
        ),
    ]
    assert index.upsert_many(docs) == ["created"] * 4
    return index


def test_the_source_facet_counts_source_ids_and_filters_by_them(sourced: Index) -> None:
    result = sourced.search(SearchRequest())
    assert {b.key: b.count for b in result.facets["source"]} == {"js-police": 2, "xinhua-en": 1}
    assert search(sourced, filters={"source": ("xinhua-en",)}) == ["art-3"]
    assert search(sourced, filters={"source": ("Xinhua English",)}) == []  # names do not filter
    # in a query, source: finds the name the article came with, or its source id
    assert sorted(search(sourced, 'source:"Jiangsu Police"')) == ["art-1", "art-2"]
    assert search(sourced, "source:xinhua") == ["art-3"]
    # a campaign lists its sources by name
    summary = sourced.campaign("HAECHI IV")
    assert summary is not None and summary.sources == ["Xinhua English"]


def test_operations_led_abroad_are_a_facet_and_a_filter(sourced: Index) -> None:
    result = sourced.search(SearchRequest())
    assert {b.key: b.count for b in result.facets["chinese_police"]} == {"true": 2, "false": 1}
    assert search(sourced, filters={"chinese_police": ("false",)}) == ["art-3"]
    assert sorted(search(sourced, filters={"chinese_police": ("true",)})) == ["art-1", "art-2"]
    both = sourced.search(SearchRequest(filters={"chinese_police": ("true", "false")}))
    assert both.total == 3
    hidden = sourced.search(
        SearchRequest(include_irrelevant=True, filters={"chinese_police": ("true",)})
    )
    assert hidden.total == 3  # the weather item is not foreign: it counts as true
    # "true" or "false" are not words of an article
    assert search(sourced, "true") == [] and search(sourced, "false") == []
