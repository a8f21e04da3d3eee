"""The embedded index's columns kept in the index file: the writer refreshes the stored copy as
articles arrive, a process opening the file reads it (and patches in what was written since)
instead of every facet row, and what a search shows is the same either way."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.index import columns
from monitor.index.base import SearchRequest, SearchResult
from monitor.index.embedded import EmbeddedIndex
from monitor.models import EnrichedArticle
from tests.index.test_embedded_columns import corpus, shown, sql_facets, sql_histogram

REQUESTS = (
    SearchRequest(size=30, histogram="month"),
    SearchRequest(query="fraud", filters={"region": ("Jiangsu",)}, size=30),
    SearchRequest(query="police", sort="date", page=2, size=10, include_irrelevant=True),
)


@pytest.fixture(autouse=True)
def small_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    # the thresholds of a large index, scaled down to a test corpus
    monkeypatch.setattr(columns, "STORE_FROM", 100)
    monkeypatch.setattr(columns, "STORE_EVERY", 50)


@pytest.fixture
def full_loads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many times the columns were read whole from the facet rows."""
    calls: list[int] = []
    whole = columns._load_all

    def counted(conn: sqlite3.Connection, seq: int) -> columns.Columns:
        calls.append(seq)
        return whole(conn, seq)

    monkeypatch.setattr(columns, "_load_all", counted)
    yield calls


def stored_seq(path: Path) -> int | None:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT seq FROM stored_columns").fetchone()
    return row[0] if row else None


def seen(path: Path) -> list[SearchResult]:
    index = EmbeddedIndex(path)  # as a web process opening the file
    try:
        return [index.search(r).model_copy(update={"took_ms": 0.0}) for r in REQUESTS]
    finally:
        index.close()


def write(path: Path, docs: list[EnrichedArticle], batch: int = 40) -> None:
    writer = EmbeddedIndex(path)
    try:
        for i in range(0, len(docs), batch):
            writer.upsert_many(docs[i : i + batch])
    finally:
        writer.close()


def test_a_reader_opening_the_file_reads_the_stored_columns(
    tmp_path: Path, full_loads: list[int]
) -> None:
    path = tmp_path / "index.db"
    write(path, corpus(40, seed=1))
    assert stored_seq(path) is None  # too few articles to be worth it
    write(path, corpus(300, seed=1)[40:])
    assert stored_seq(path) is not None
    full_loads.clear()
    from_store = seen(path)
    assert full_loads == []
    assert shown(from_store[0]) == sql_facets(path)
    assert [(b.start, b.count) for b in from_store[0].histogram] == sql_histogram(path, "%Y-%m")
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM stored_columns")
    assert seen(path) == from_store  # the same as when read whole
    assert len(full_loads) == 1


def test_articles_written_since_the_stored_copy_are_patched_in(
    tmp_path: Path, full_loads: list[int]
) -> None:
    path = tmp_path / "index.db"
    write(path, corpus(200, seed=2))
    before = stored_seq(path)
    # fewer changes than STORE_EVERY: some new, some rewritten with other facets and dates
    write(path, corpus(230, seed=3, version="test-2")[190:], batch=40)
    assert stored_seq(path) == before
    full_loads.clear()
    result = seen(path)
    assert full_loads == []
    assert shown(result[0]) == sql_facets(path)
    with sqlite3.connect(path) as conn:
        relevant = conn.execute("SELECT count(*) FROM articles WHERE relevant = 1").fetchone()[0]
    assert result[0].total == relevant
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM stored_columns")
    assert seen(path) == result


def test_a_damaged_stored_copy_is_rebuilt_from_the_tables(
    tmp_path: Path, full_loads: list[int]
) -> None:
    path = tmp_path / "index.db"
    write(path, corpus(200, seed=4))
    good = seen(path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE stored_columns SET data = x'00ff00ff'")
    full_loads.clear()
    assert seen(path) == good
    assert len(full_loads) == 1
