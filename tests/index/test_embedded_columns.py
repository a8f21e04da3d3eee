"""The embedded index's in-memory columns against plain SQL over the same file: facet counts,
histograms, totals and order agree, and stay right when another writer (thread or index
instance, as another process would) changes articles between and during searches."""

from __future__ import annotations

import random
import sqlite3
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from monitor.index import columns
from monitor.index.base import SearchRequest
from monitor.index.embedded import EmbeddedIndex
from monitor.index.fts import WEIGHTS, compile_query
from monitor.index.query import parse
from monitor.models import EnrichedArticle
from tests.conftest import enrich, make_article

CAMPAIGNS = ("Blue Sword", "Kunlun 2022", "Clean Internet 2021", "净网2021")
REGIONS = ("Jiangsu", "Beijing", "Guangdong", "Henan")
WORDS = ("fraud", "gangs", "accounts", "yuan", "seized")


def corpus(count: int, seed: int, version: str = "test-1") -> list[EnrichedArticle]:
    rng = random.Random(seed)
    start = datetime(2020, 11, 1, tzinfo=UTC)
    docs = []
    for n in range(count):
        words = " ".join(rng.sample(WORDS, k=rng.randint(1, 3)))
        article = make_article(
            n,
            title=f"Report {n} {rng.choice(WORDS)}",
            body=f"Police {words} in operation {n}.",
            lang=rng.choice(("en", "en", "zh")),
            source=rng.choice(("mps", "cctv", "xinhua")),
            published=start + timedelta(hours=rng.randint(0, 24 * 800)),
        )
        article = article.model_copy(update={"feed_id": article.source})  # id = name here
        docs.append(
            enrich(
                article,
                campaigns=tuple(rng.sample(CAMPAIGNS, k=rng.randint(0, 2))),
                regions=tuple(rng.sample(REGIONS, k=rng.randint(0, 2))),
                relevant=rng.random() > 0.1,
                version=version,
            )
        )
    return docs


def sql_facets(path: Path, where: str = "1", params: tuple = ()) -> dict[str, dict[str, int]]:
    """What the facets of a match-everything search must be, counted by SQL alone."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT f.field, f.value, count(*) FROM facets f JOIN articles a ON a.rowid = f.article"
            f" WHERE a.relevant = 1 AND {where} GROUP BY f.field, f.value",
            params,
        ).fetchall()
    out: dict[str, dict[str, int]] = {}
    for field, value, n in rows:
        out.setdefault(field, {})[value] = n
    return out


def shown(result) -> dict[str, dict[str, int]]:  # type: ignore[no-untyped-def]
    return {f: {b.key: b.count for b in bs} for f, bs in result.facets.items() if bs}


def sql_histogram(path: Path, fmt: str) -> list[tuple[str, int]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            f"SELECT strftime('{fmt}', published) AS b, count(*) FROM articles WHERE relevant = 1"
            " GROUP BY b ORDER BY b"
        ).fetchall()


@pytest.fixture
def index(tmp_path: Path):  # type: ignore[no-untyped-def]
    ix = EmbeddedIndex(tmp_path / "index.db")
    yield ix
    ix.close()


def test_facets_histogram_and_order_agree_with_sql(index: EmbeddedIndex) -> None:
    index.upsert_many(corpus(400, seed=1))
    result = index.search(SearchRequest(size=50, histogram="day"))
    assert shown(result) == sql_facets(index.path)
    assert [(b.start, b.count) for b in result.histogram] == sql_histogram(index.path, "%Y-%m-%d")
    for interval, fmt in (("week", "%Y-W%W"), ("month", "%Y-%m"), ("year", "%Y")):
        hist = index.search(SearchRequest(histogram=interval)).histogram  # type: ignore[arg-type]
        assert [(b.start, b.count) for b in hist] == sql_histogram(index.path, fmt)
    dates = [h.published_at for h in result.hits]
    assert dates == sorted(dates, reverse=True)  # no query: newest first
    assert result.total == sum(b.count for b in result.facets["lang"])


def test_word_filters_and_dates_agree_with_sql(index: EmbeddedIndex) -> None:
    index.upsert_many(corpus(400, seed=2))
    result = index.search(
        SearchRequest(
            query="fraud",
            filters={"region": ("Jiangsu", "Henan"), "lang": ("en",)},
            date_from=datetime(2021, 6, 1, tzinfo=UTC),
            date_to=datetime(2022, 6, 1, tzinfo=UTC),
            size=200,
        )
    )
    where = (
        "a.rowid IN (SELECT rowid FROM fts WHERE fts MATCH 'fraud')"
        " AND a.rowid IN (SELECT article FROM facets WHERE field = 'region'"
        "  AND value IN ('Jiangsu', 'Henan'))"
        " AND a.lang = 'en' AND a.published >= '2021-06-01T00:00:00Z'"
        " AND a.published <= '2022-06-01T00:00:00Z'"
    )
    assert shown(result) == sql_facets(index.path, where)
    with sqlite3.connect(index.path) as conn:
        ids = {
            r[0]
            for r in conn.execute(f"SELECT id FROM articles a WHERE a.relevant = 1 AND {where}")
        }
    assert {h.id for h in result.hits} == ids and result.total == len(ids) > 0
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_relevance_ties_are_newest_first_and_pages_follow_on(index: EmbeddedIndex) -> None:
    index.upsert_many(
        [
            enrich(
                make_article(
                    n,
                    title="Weekly bulletin",
                    body="Police report.",
                    published=datetime(2021, 1, 1, tzinfo=UTC) + timedelta(days=n),
                )
            )
            for n in range(30)
        ]
    )
    first = index.search(SearchRequest(query="police", size=10))
    second = index.search(SearchRequest(query="police", size=10, page=2))
    ids = [h.id for h in first.hits + second.hits]
    assert ids == [f"art-{n}" for n in range(29, 9, -1)]


def test_writes_by_another_instance_are_seen_by_the_next_search(index: EmbeddedIndex) -> None:
    index.upsert_many(corpus(100, seed=3))
    before = index.search(SearchRequest())
    writer = EmbeddedIndex(index.path)  # as the index stage in another process would
    try:
        changed = corpus(100, seed=4, version="test-2")[:60]  # same ids, new facets and dates
        writer.upsert_many(changed)
        writer.upsert_many([enrich(make_article(500), campaigns=("Spring Action",))])
    finally:
        writer.close()
    after = index.search(SearchRequest(histogram="month"))
    with sqlite3.connect(index.path) as conn:
        relevant = conn.execute("SELECT count(*) FROM articles WHERE relevant = 1").fetchone()[0]
    assert after.total == relevant
    assert shown(after) == sql_facets(index.path)
    assert [(b.start, b.count) for b in after.histogram] == sql_histogram(index.path, "%Y-%m")
    assert after.total != before.total or shown(after) != shown(before)
    assert [b.key for b in after.facets["campaign"]].count("Spring Action") == 1


def test_searches_stay_consistent_while_another_thread_writes(index: EmbeddedIndex) -> None:
    docs = corpus(1200, seed=5)
    index.upsert_many(docs[:200])
    done = threading.Event()
    failures: list[BaseException] = []

    def write() -> None:
        try:
            for i in range(200, len(docs), 100):
                index.upsert_many(docs[i : i + 100])
        except BaseException as exc:  # pragma: no cover - reported by the assertion below
            failures.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=write)
    thread.start()
    totals = []
    while not done.is_set() or len(totals) < 3:
        result = index.search(SearchRequest(query="police", size=5))
        # every article has one language: the facet must account for every hit of this snapshot
        assert result.total == sum(b.count for b in result.facets["lang"])
        assert result.total == sum(b.count for b in result.histogram)
        totals.append(result.total)
    thread.join()
    assert not failures
    assert totals == sorted(totals)
    final = index.search(SearchRequest(query="police"))
    assert final.total == sum(d.extraction.relevance.relevant for d in docs)


@pytest.mark.parametrize("query", ["police", "fraud", "fraud OR yuan", "seized -gangs"])
def test_relevance_pages_agree_with_bm25_in_sql(index: EmbeddedIndex, query: str) -> None:
    index.upsert_many(corpus(300, seed=6))
    match = compile_query(parse(query))
    with sqlite3.connect(index.path) as conn:
        expected = [
            r[0]
            for r in conn.execute(
                f"SELECT a.id FROM fts JOIN articles a ON a.rowid = fts.rowid WHERE fts MATCH ?"
                f" AND a.relevant = 1 ORDER BY bm25(fts, {', '.join(map(str, WEIGHTS))}),"
                " a.published DESC, a.rowid",
                (match,),
            )
        ]
    pages = [index.search(SearchRequest(query=query, size=7, page=p)).hits for p in (1, 2, 5)]
    assert [h.id for h in pages[0] + pages[1]] == expected[:14]
    assert [h.id for h in pages[2]] == expected[28:35]


def test_an_article_written_twice_in_one_batch_keeps_only_its_last_facets(
    index: EmbeddedIndex,
) -> None:
    first = enrich(make_article(1), campaigns=("Blue Sword",), regions=("Henan",))
    second = enrich(make_article(1), campaigns=("Kunlun 2022",), version="test-2")
    assert index.upsert_many([first, second]) == ["created", "updated"]
    result = index.search(SearchRequest())
    assert shown(result) == sql_facets(index.path)
    assert [b.key for b in result.facets["campaign"]] == ["Kunlun 2022"]
    assert result.facets["region"] == []
    assert index.search(SearchRequest(query='campaign:"blue sword"')).total == 0


def test_a_filtered_ranking_agrees_with_bm25_in_sql(index: EmbeddedIndex) -> None:
    index.upsert_many(corpus(300, seed=7))
    request = SearchRequest(query="fraud OR seized", filters={"source": ("cctv",)}, size=200)
    match = compile_query(parse(request.query))
    with sqlite3.connect(index.path) as conn:
        expected = [
            r[0]
            for r in conn.execute(
                f"SELECT a.id FROM fts JOIN articles a ON a.rowid = fts.rowid WHERE fts MATCH ?"
                f" AND a.relevant = 1 AND a.source = 'cctv'"
                f" ORDER BY bm25(fts, {', '.join(map(str, WEIGHTS))}), a.published DESC, a.rowid",
                (match,),
            )
        ]
    result = index.search(request)
    assert 0 < result.total < 150  # few enough that only the kept hits are scored
    assert [h.id for h in result.hits] == expected


def test_a_file_from_before_source_ids_and_chinese_police_is_brought_up_to_date(
    tmp_path: Path,
) -> None:
    path = tmp_path / "index.db"
    first = EmbeddedIndex(path)
    docs = corpus(40, seed=3)
    first.upsert_many(docs)
    first.close()
    # as the previous version left it: sources by name, no chinese_police, no flag stored
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM facets WHERE field IN ('source', 'chinese_police')")
        conn.execute(
            "INSERT INTO facets (article, field, value) SELECT rowid, 'source', source || ' (name)'"
            " FROM articles"
        )
        conn.execute(
            "UPDATE articles SET doc ="
            " json_remove(doc, '$.extraction.relevance.about_chinese_police')"
        )
        conn.execute("UPDATE fts SET source = 'Old Name'")  # the name only, not the id
        conn.execute("PRAGMA user_version = 0")

    index = EmbeddedIndex(path)
    try:
        result = index.search(SearchRequest(include_irrelevant=True))
        by_source = {b.key: b.count for b in result.facets["source"]}
        assert by_source == dict(Counter(d.feed_id for d in docs))
        assert {b.key: b.count for b in result.facets["chinese_police"]} == {"true": 40}
        # source: finds the id as well as the name the article came with
        for source in ("cctv", "xinhua"):
            wanted = sorted(d.id for d in docs if d.feed_id == source)
            found = index.search(
                SearchRequest(query=f"source:{source}", include_irrelevant=True, size=100)
            )
            assert sorted(h.id for h in found.hits) == wanted
        assert shown(index.search(SearchRequest())) == sql_facets(index.path)
    finally:
        index.close()


def test_a_date_sorted_page_shows_the_scores_a_relevance_search_gives(tmp_path: Path) -> None:
    rare = [  # few enough that the word weighs something in bm25
        enrich(make_article(1000 + n, title=f"Bulletin {n}", body="Smuggling " * (1 + n % 4)))
        for n in range(20)
    ]
    docs = corpus(200, seed=8) + rare

    def date_page(ix: EmbeddedIndex) -> dict[str, float]:
        hits = ix.search(SearchRequest(query="smuggling", sort="date", size=5, page=2)).hits
        return {h.id: h.score for h in hits}

    cold = EmbeddedIndex(tmp_path / "cold.db")  # no scores fetched yet: the page's own
    warm = EmbeddedIndex(tmp_path / "warm.db")  # after a relevance search: the kept ones
    try:
        for ix in (cold, warm):
            ix.upsert_many(docs)
        relevance = warm.search(SearchRequest(query="smuggling", size=50)).hits
        by_relevance = {h.id: h.score for h in relevance}
        cold_page, warm_page = date_page(cold), date_page(warm)
        assert len(cold_page) == 5 and all(s > 0 for s in cold_page.values())
        assert cold_page == warm_page == {i: by_relevance[i] for i in cold_page}
    finally:
        cold.close()
        warm.close()


@pytest.mark.parametrize("keep_one_in", [1, 7, 5000, 10**9])
@pytest.mark.parametrize("count", [0, 20, 4097, 30_000])
def test_a_page_read_a_slice_at_a_time_is_the_page_of_the_whole_order(
    keep_one_in: int, count: int
) -> None:
    rng = np.random.default_rng(keep_one_in + count)
    order = rng.permutation(25_000)
    mask = rng.integers(0, keep_one_in, 25_000) == 0
    assert columns.first_kept(order, mask, count).tolist() == order[mask[order]][:count].tolist()
