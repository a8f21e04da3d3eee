"""Relevance order in the embedded index: bm25 as SQLite computes it, except for a search of
`DATE_ORDER_FROM` hits or more whose every phrase is in more than half the archive (bm25
weighs such a phrase 1e-6): it lists its hits newest first, as a date sort does, still
showing each hit's bm25 score. These archives are small: the threshold is lowered to 50 hits,
as if they were large, except where a test says otherwise."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.index import ranking
from monitor.index.base import SearchRequest, SearchResult
from monitor.index.embedded import EmbeddedIndex
from monitor.index.fts import WEIGHTS, compile_query, phrases, words
from monitor.index.query import parse
from monitor.models import EnrichedArticle
from tests.conftest import enrich, make_article

START = datetime(2022, 1, 1, tzinfo=UTC)


def bulletin(n: int, title: str, body: str) -> EnrichedArticle:
    # dates do not follow the order of writing, so date order and rowid order differ
    published = START + timedelta(hours=(n * 37) % 240)
    return enrich(make_article(n, title=title, body=body, published=published))


def archive(count: int) -> list[EnrichedArticle]:
    """`fraud` in seven articles of ten, now in the title, now repeated in a short or a long
    body; `smuggling` in one of five; `gangs` in one of three."""
    docs = []
    for n in range(count):
        words = ["Police", "report", "number", str(n)]
        if n % 10 < 7:
            words += ["fraud"] * (1 + n % 3) + ["case"] * (n % 11)
        if n % 5 == 0:
            words.append("smuggling")
        if n % 3 == 0:
            words.append("gangs")
        title = f"Fraud ring {n} broken" if n % 10 == 1 else f"Bulletin {n}"
        docs.append(bulletin(n, title, " ".join(words) + "."))
    return docs


@pytest.fixture(autouse=True)
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ranking, "DATE_ORDER_FROM", 50)


@pytest.fixture
def index(tmp_path: Path) -> Iterator[EmbeddedIndex]:
    index = EmbeddedIndex(tmp_path / "index.db")
    index.upsert_many(archive(120))
    yield index
    index.close()


def compiled(query: str) -> str:
    node = parse(query)
    assert node is not None
    return compile_query(node)


def by_bm25(path: Path, query: str) -> list[tuple[str, float]]:
    """Ids and scores as SQLite's bm25 orders them, ties newest first (what a relevance
    search shows when the query's words weigh something)."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            f"SELECT a.id, -bm25(fts, {', '.join(map(str, WEIGHTS))}) AS score FROM fts"
            " JOIN articles a ON a.rowid = fts.rowid WHERE fts MATCH ? AND a.relevant = 1"
            " ORDER BY score DESC, a.published DESC, a.rowid",
            (compiled(query),),
        ).fetchall()
    return [(id_, round(score, 4)) for id_, score in rows]


def shown(result: SearchResult) -> list[tuple[str, float]]:
    return [(hit.id, hit.score) for hit in result.hits]


def test_a_word_in_most_articles_lists_them_newest_first_with_their_scores(
    index: EmbeddedIndex,
) -> None:
    ranked = index.search(SearchRequest(query="fraud", size=100))
    by_date = index.search(SearchRequest(query="fraud", sort="date", size=100))
    assert ranked.total == by_date.total == 84
    assert shown(ranked) == shown(by_date)
    published = [hit.published_at or START for hit in ranked.hits]
    assert published == sorted(published, reverse=True)
    # the scores shown are bm25's, tiny as they are (its idf of 1e-6 times at most 2.2)
    assert dict(shown(ranked)) == dict(by_bm25(index.path, "fraud"))
    # the second page carries on where the first stopped
    second = index.search(SearchRequest(query="fraud", page=2, size=50))
    assert shown(second) == shown(by_date)[50:84]


def test_a_word_in_fewer_than_half_keeps_its_bm25_order(index: EmbeddedIndex) -> None:
    for query in ("smuggling", "gangs", "fraud AND smuggling", "fraud OR gangs"):
        result = index.search(SearchRequest(query=query, size=100))
        assert shown(result) == by_bm25(index.path, query), query
        assert result.hits[0].score > 0  # what the user sees: the order the scores give


def test_words_all_in_most_articles_list_newest_first_together(index: EmbeddedIndex) -> None:
    # a word after NOT is in no hit, so it weighs nothing however rare it is
    for query, total in (
        ("fraud OR police", 120),
        ("fraud NOT gangs", 56),
        ("fraud NOT smuggling", 60),
    ):
        request = SearchRequest(query=query, size=100)
        result = index.search(request)
        assert result.total == total, query
        by_date = index.search(request.model_copy(update={"sort": "date"}))
        assert shown(result) == shown(by_date), query
        assert set(shown(result)) <= set(by_bm25(index.path, query)), query


def test_a_word_becomes_uninformative_once_it_is_in_more_than_half(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ranking, "DATE_ORDER_FROM", 10)
    index = EmbeddedIndex(tmp_path / "index.db")
    try:
        rare = [bulletin(n, f"Bulletin {n}", "Smuggling " * (1 + n % 4)) for n in range(20)]
        plain = [bulletin(100 + n, f"Notice {n}", "Police notice.") for n in range(30)]
        index.upsert_many(rare + plain)  # smuggling in 20 of 50: ranked by bm25
        request = SearchRequest(query="smuggling", size=100)
        assert shown(index.search(request)) == by_bm25(index.path, "smuggling")
        assert shown(index.search(request)) != shown(
            index.search(request.model_copy(update={"sort": "date"}))
        )
        index.upsert_many([bulletin(200 + n, f"Seizure {n}", "Smuggling.") for n in range(20)])
        # 40 of 70 now: the next search (a new write) lists them newest first
        result = index.search(request)
        assert result.total == 40
        assert shown(result) == shown(index.search(request.model_copy(update={"sort": "date"})))
    finally:
        index.close()


def test_below_the_threshold_a_common_word_keeps_its_bm25_order(
    index: EmbeddedIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ranking, "DATE_ORDER_FROM", 100)
    ranked = index.search(SearchRequest(query="fraud", size=100))  # 84 hits
    assert shown(ranked) == by_bm25(index.path, "fraud")
    assert shown(ranked) != shown(index.search(SearchRequest(query="fraud", sort="date", size=100)))
    # 120 hits: by date
    request = SearchRequest(query="fraud OR police", size=100)
    assert shown(index.search(request)) == shown(
        index.search(request.model_copy(update={"sort": "date"}))
    )


def test_a_field_counts_only_where_it_names(index: EmbeddedIndex) -> None:
    # the title holds "fraud" in one article of ten: a title search ranks by bm25
    result = index.search(SearchRequest(query="title:fraud", size=100))
    assert result.total == 12
    assert shown(result) == by_bm25(index.path, "title:fraud")


def test_phrases_are_read_from_the_compiled_query() -> None:
    match = compiled('(gangs OR fraud*) AND "naked chat" NOT title:loans')
    assert phrases(match) == ['"gangs"', '"fraud"*', '"naked chat"']  # loans is in no hit
    nested = compiled("x AND (a NOT (b OR (c AND d))) OR y")
    assert phrases(nested) == ['"x"', '"a"', '"y"']
    assert phrases(compiled("诈骗")) == ['"诈 骗"']
    # a phrase is in no more articles than any of its words
    assert words('title : "naked chat"') == ['title : "naked"', 'title : "chat"']
    assert words('"naked chat"*') == words('"fraud"') == []
