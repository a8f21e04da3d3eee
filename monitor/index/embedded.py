"""The embedded index: SQLite with FTS5 for text, plain tables for facets, figures and campaigns.

One file in the data folder. Writes go through one connection under a lock; searches
use a connection per thread, so the web app reads while the index stage writes (WAL).
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np

from monitor import issuer
from monitor.errors import QuerySyntaxError, TransientError
from monitor.index import columns, highlight, ranking
from monitor.index.base import (
    FILTERS,
    CampaignSummary,
    Hit,
    Match,
    Outcome,
    SearchRequest,
    SearchResult,
    facet_values,
    field_values,
)
from monitor.index.fts import COLUMNS, TOKENIZER, compile_query, index_text
from monitor.index.query import Node, parse, with_campaigns
from monitor.models import EnrichedArticle, Figure
from monitor.sqlite import connect

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS articles (
    rowid        INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    published    TEXT NOT NULL,
    source       TEXT NOT NULL,
    lang         TEXT NOT NULL,
    relevant     INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    version      TEXT NOT NULL,
    doc          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_by_date ON articles (relevant, published);
CREATE TABLE IF NOT EXISTS facets (
    article INTEGER NOT NULL,
    field   TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (field, value, article)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS facets_by_article ON facets (article, field, value);
CREATE TABLE IF NOT EXISTS figures (
    article   INTEGER NOT NULL,
    published TEXT NOT NULL,
    campaign  TEXT,
    measure   TEXT NOT NULL,
    figure    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS figures_by_article ON figures (article);
CREATE INDEX IF NOT EXISTS figures_by_campaign ON figures (campaign, published);
CREATE TABLE IF NOT EXISTS campaigns (
    canonical     TEXT PRIMARY KEY,
    first_seen    TEXT NOT NULL,
    first_article TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS stamps (
    article INTEGER PRIMARY KEY,
    seq     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS stamps_by_seq ON stamps (seq);
{columns.STORE};
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5 ({", ".join(COLUMNS)}, tokenize="{TOKENIZER}");
"""
#: SQLite page cache of the connection that writes, in KiB (readers keep SQLite's 2 MB)
WRITER_CACHE_KB = 65_536
#: `PRAGMA user_version` of a file whose facet rows are those `facet_values` makes today
_FACETS_VERSION = 1
# Version 1: the source facet holds source ids (it held names), and chinese_police exists.
# Both are read back from each article's stored JSON; a missing flag means true. `source:` in
# a query finds the id too (ids are plain ASCII, so they need no folding).
_MIGRATE_FACETS = (
    "DELETE FROM facets WHERE field IN ('source', 'chinese_police')",
    "INSERT OR IGNORE INTO facets (article, field, value)"
    " SELECT rowid, 'source', json_extract(doc, '$.feed_id') FROM articles"
    " WHERE coalesce(json_extract(doc, '$.feed_id'), '') != ''",
    "INSERT OR IGNORE INTO facets (article, field, value)"
    " SELECT rowid, 'chinese_police',"
    " CASE json_extract(doc, '$.extraction.relevance.about_chinese_police')"
    " WHEN 0 THEN 'false' ELSE 'true' END FROM articles",
    "UPDATE fts SET source = source || ' ; ' || ("
    " SELECT json_extract(a.doc, '$.feed_id') FROM articles a WHERE a.rowid = fts.rowid)"
    " WHERE rowid IN (SELECT rowid FROM articles"
    " WHERE coalesce(json_extract(doc, '$.feed_id'), '') != '')",
)


class _Rows:
    """Full-text, facet, figure and campaign rows of a batch, written with one statement each."""

    def __init__(self) -> None:
        self.articles: set[int] = set()
        self.fts: list[tuple[int | str, ...]] = []
        self.facets: list[tuple[int, str, str]] = []
        self.figures: list[tuple[int, str, str | None, str, str]] = []
        self.campaigns: list[tuple[str, str, str]] = []

    def clear(self) -> None:
        self.articles.clear()
        self.fts.clear()
        self.facets.clear()
        self.figures.clear()
        self.campaigns.clear()

    def write(self, conn: sqlite3.Connection) -> None:
        conn.executemany(
            f"INSERT INTO fts (rowid, {', '.join(COLUMNS)}) VALUES (?{', ?' * len(COLUMNS)})",
            self.fts,
        )
        # in key order, each value's rows land together at the end of its run of the table
        conn.executemany(
            "INSERT OR IGNORE INTO facets (article, field, value) VALUES (?, ?, ?)",
            sorted(self.facets, key=itemgetter(1, 2, 0)),
        )
        conn.executemany(
            "INSERT INTO figures (article, published, campaign, measure, figure)"
            " VALUES (?, ?, ?, ?, ?)",
            self.figures,
        )
        conn.executemany(
            "INSERT INTO campaigns (canonical, first_seen, first_article) VALUES (?, ?, ?)"
            " ON CONFLICT (canonical) DO UPDATE SET first_seen = excluded.first_seen,"
            " first_article = excluded.first_article WHERE excluded.first_seen < first_seen",
            self.campaigns,
        )
        self.clear()


# A campaign's standing per measure and unit (the rule of `totals.standings` in the web app):
# national figures only, never a case figure (one stored before kinds existed counts as a
# period figure); a running total before a period figure, then the newest article, then the
# larger value.
_STANDINGS = """
SELECT figure FROM (
    SELECT g.figure, g.measure, json_extract(g.figure, '$.unit') AS unit, row_number() OVER (
        PARTITION BY g.measure, json_extract(g.figure, '$.unit') ORDER BY
        coalesce(json_extract(g.figure, '$.kind'), 'period') = 'cumulative' DESC,
        g.published DESC, json_extract(g.figure, '$.value') DESC, g.rowid
    ) AS n
    FROM figures g JOIN articles a ON a.rowid = g.article
    WHERE g.campaign = ? AND a.relevant = 1
    AND coalesce(json_extract(g.figure, '$.kind'), 'period') != 'case'
    AND coalesce(json_extract(g.figure, '$.region'), '') = ''
    AND json_type(g.figure, '$.value') IN ('integer', 'real')
) WHERE n = 1 ORDER BY measure, unit
"""


# what decides whether a document is unchanged: its content, extractor and issuing level
_STORED = (
    "SELECT rowid, content_hash, version, (SELECT value FROM facets"
    " WHERE article = articles.rowid AND field = 'level') FROM articles WHERE id = ?"
)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_MATCHES = (
    "SELECT rowid, id, json_extract(doc, '$.url'), json_extract(doc, '$.title'), source,"
    " json_extract(doc, '$.feed_id'), published, lang, json_extract(doc, '$.extraction.campaigns'),"
    " json_extract(doc, '$.extraction.figures') FROM articles"
    " WHERE rowid IN (SELECT value FROM json_each(?))"
)


def _match(row: tuple[Any, ...]) -> Match:
    _, id_, url, title, source, feed_id, published, lang, campaigns, figures = row
    return Match(
        id=id_,
        url=url or "",
        title=title or "",
        source=source,
        source_id=feed_id or "",
        published=published,
        lang=lang,
        campaigns=tuple(dict.fromkeys(c["canonical"] for c in json.loads(campaigns or "[]"))),
        figures=tuple(json.loads(figures or "[]")),
    )


class EmbeddedIndex:
    def __init__(self, path: Path, *, score_cache: int = 16) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._columns = columns.Snapshots()
        self._scores = ranking.ScoreCache(score_cache)
        with self._translated("create its tables"):
            self._conn().executescript(_SCHEMA)
        with self._translated("bring its facets up to date"):
            self._migrate(self._conn())

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Facet rows of a file written by an older version, rewritten once, in place."""
        if conn.execute("PRAGMA user_version").fetchone()[0] >= _FACETS_VERSION:
            return
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                # another process may have done it while this one waited for the lock
                if conn.execute("PRAGMA user_version").fetchone()[0] < _FACETS_VERSION:
                    for statement in _MIGRATE_FACETS:
                        conn.execute(statement)
                    # stamped, so a reader's in-memory columns take the new rows
                    seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM stamps").fetchone()
                    conn.execute(
                        "INSERT OR REPLACE INTO stamps (article, seq)"
                        " SELECT rowid, ? FROM articles",
                        seq,
                    )
                    conn.execute(f"PRAGMA user_version = {_FACETS_VERSION}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    # -- connections ---------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path)
            conn.execute("PRAGMA temp_store=MEMORY")
            self._local.conn = conn
        return conn

    @contextmanager
    def _translated(self, what: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc) or "syntax" in str(exc):
                raise QuerySyntaxError(f"the search index could not read the query: {exc}") from exc
            raise TransientError(f"embedded index could not {what}: {exc}") from exc

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- writing -------------------------------------------------------------------
    def upsert_many(self, docs: Sequence[EnrichedArticle]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        conn = self._conn()
        if not getattr(self._local, "writes", False):
            # the id index and the facet tables take writes all over the file: a cache of a
            # few tens of MB keeps a large index's pages in memory between batches
            conn.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KB}")
            self._local.writes = True
        with self._write_lock, self._translated("write articles"):
            conn.execute("BEGIN IMMEDIATE")
            try:
                changed: list[int] = []
                rows = _Rows()
                for doc in docs:
                    outcome, rowid = self._upsert(conn, doc, rows)
                    outcomes.append(outcome)
                    if outcome != "unchanged":
                        changed.append(rowid)
                rows.write(conn)
                if changed:
                    # readers patch their in-memory columns from the articles stamped since
                    seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM stamps").fetchone()
                    conn.executemany(
                        "INSERT OR REPLACE INTO stamps (article, seq) VALUES (?, ?)",
                        [(rowid, seq[0]) for rowid in changed],
                    )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        with self._translated("store its columns"):
            self._columns.keep(conn, self._write_lock)
        return outcomes

    def _upsert(
        self, conn: sqlite3.Connection, doc: EnrichedArticle, rows: _Rows
    ) -> tuple[Outcome, int]:
        version = doc.extraction.extractor_version
        row = conn.execute(_STORED, (doc.id,)).fetchone()
        if row and (row[1], row[2], row[3]) == (doc.content_hash, version, issuer.of(doc)):
            return "unchanged", row[0]
        published = _iso(doc.published_at or doc.fetched_at)
        values = (
            doc.id,
            published,
            doc.source,
            doc.lang,
            int(doc.extraction.relevance.relevant),
            doc.content_hash,
            version,
            doc.model_dump_json(),
        )
        if row:
            rowid = row[0]
            if rowid in rows.articles:  # written earlier in this batch: its rows go first
                rows.write(conn)
            for table, column in (("facets", "article"), ("figures", "article"), ("fts", "rowid")):
                conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (rowid,))
            conn.execute(
                "UPDATE articles SET id = ?, published = ?, source = ?, lang = ?, relevant = ?,"
                " content_hash = ?, version = ?, doc = ? WHERE rowid = ?",
                (*values, rowid),
            )
        else:
            rowid = conn.execute(
                "INSERT INTO articles (id, published, source, lang, relevant, content_hash,"
                " version, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            ).lastrowid
        facets = facet_values(doc)
        rows.articles.add(rowid)
        rows.facets += [(rowid, field, value) for field, vals in facets.items() for value in vals]
        rows.figures += [
            (rowid, published, f.campaign, f.measure, f.model_dump_json())
            for f in doc.extraction.figures
        ]
        keyword = {name: " ; ".join(sorted(vals)) for name, vals in field_values(doc).items()}
        rows.fts.append(
            (
                rowid,
                index_text(doc.title),
                index_text(doc.body or doc.summary),
                *(index_text(keyword[c]) for c in COLUMNS[2:]),
            )
        )
        if doc.extraction.relevance.relevant:
            rows.campaigns += [(name, published, doc.id) for name in facets["campaign"]]
        return ("updated" if row else "created"), rowid

    # -- reading -------------------------------------------------------------------
    def get(self, article_id: str) -> EnrichedArticle | None:
        conn = self._conn()
        row = conn.execute("SELECT doc FROM articles WHERE id = ?", (article_id,)).fetchone()
        return EnrichedArticle.from_json(row[0]) if row else None

    def iter_articles(self, batch: int = 500) -> Iterator[EnrichedArticle]:
        last = ""
        while True:
            rows = (
                self._conn()
                .execute(
                    "SELECT id, doc FROM articles WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
                )
                .fetchall()
            )
            if not rows:
                return
            for _, doc in rows:
                yield EnrichedArticle.from_json(doc)
            last = rows[-1][0]

    def count(self) -> int:
        return int(self._conn().execute("SELECT count(*) FROM articles").fetchone()[0])

    def campaign_known(self, canonical: str) -> bool:
        row = (
            self._conn()
            .execute("SELECT 1 FROM campaigns WHERE canonical = ? COLLATE NOCASE", (canonical,))
            .fetchone()
        )
        return row is not None

    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        for field in request.filters:
            if field not in FILTERS:
                raise QuerySyntaxError(
                    f"unknown filter {field!r}; filters are {', '.join(FILTERS)}"
                )
        node, match = _compiled(request)
        conn = self._conn()
        offset = (request.page - 1) * request.size
        with self._translated("search"), self._columns.reading(conn) as cols:
            mask = _filtered(cols, request)
            if match:
                mask, page = ranking.select(conn, cols, self._scores, match, mask, request)
            else:
                order = cols.first_by_date(mask, offset + request.size)[offset:]
                page = [(rowid, 0.0) for rowid in order.tolist()]
            total = int(np.count_nonzero(mask))
            docs = self._docs(conn, [rowid for rowid, _ in page])
            facets = cols.facets(mask) if request.facets else {}
            interval, histogram = (
                cols.histogram(mask, request.histogram) if request.histogram else (None, [])
            )
        rx, asked = highlight.pattern(node), highlight.campaigns_asked(node)
        hits = [
            self._hit(EnrichedArticle.from_json(docs[rowid]), score, rx, asked)
            for rowid, score in page
        ]
        return SearchResult(
            total=total,
            page=request.page,
            size=request.size,
            hits=hits,
            facets=facets,
            histogram=histogram,
            interval=interval,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
        )

    def matches(self, request: SearchRequest, batch: int = 1000) -> Iterator[list[Match]]:
        _, match = _compiled(request)
        conn = self._conn()
        with self._translated("search"), self._columns.reading(conn) as cols:
            mask = _filtered(cols, request)
            if match:
                mask &= cols.by_rowids(ranking.matching(conn, match))
            order = cols.by_date[mask[cols.by_date]]
        # Each batch is its own statement, fetched whole: a streaming response may ask for the
        # next batch from another thread (and so another connection)
        for start in range(0, order.size, batch):
            chunk = order[start : start + batch].tolist()
            with self._translated("read matching articles"):
                rows = {row[0]: row for row in self._conn().execute(_MATCHES, (json.dumps(chunk),))}
            yield [_match(rows[rowid]) for rowid in chunk if rowid in rows]

    def _docs(self, conn: sqlite3.Connection, rowids: list[int]) -> dict[int, str]:
        if not rowids:
            return {}
        marks = ", ".join("?" * len(rowids))
        return dict(
            conn.execute(f"SELECT rowid, doc FROM articles WHERE rowid IN ({marks})", rowids)
        )

    def _hit(
        self, doc: EnrichedArticle, score: float, rx: re.Pattern[str] | None, asked: list[str]
    ) -> Hit:
        rx = highlight.for_campaigns(
            rx, asked, ((c.canonical, c.mention) for c in doc.extraction.campaigns)
        )
        return Hit(
            id=doc.id,
            title=doc.title,
            title_html=highlight.mark(doc.title, rx),
            snippet_html=highlight.snippet(doc.body or doc.summary, rx),
            url=doc.url,
            source=doc.source,
            source_id=doc.feed_id,
            lang=doc.lang,
            published_at=doc.published_at,
            score=round(score, 4),
            campaigns=sorted({c.canonical for c in doc.extraction.campaigns}),
            figures=list(doc.extraction.figures),
        )

    # -- campaigns -----------------------------------------------------------------
    def campaigns(self) -> list[CampaignSummary]:
        names = [
            r[0]
            for r in self._conn().execute(
                "SELECT canonical FROM campaigns ORDER BY first_seen DESC"
            )
        ]
        return [c for c in (self.campaign(n) for n in names) if c is not None]

    def campaign(self, canonical: str) -> CampaignSummary | None:
        conn = self._conn()
        row = conn.execute(
            "SELECT canonical, first_seen, first_article FROM campaigns"
            " WHERE canonical = ? COLLATE NOCASE",
            (canonical,),
        ).fetchone()
        if row is None:
            return None
        name = row[0]
        members = (
            "FROM facets f JOIN articles a ON a.rowid = f.article"
            " WHERE f.field = 'campaign' AND f.value = ? AND a.relevant = 1"
        )
        count = conn.execute(f"SELECT count(*) {members}", (name,)).fetchone()[0]
        sources = [  # the names the articles came with
            value
            for (value,) in conn.execute(
                f"SELECT DISTINCT a.source {members} AND a.source != '' ORDER BY a.source",
                (name,),
            )
        ]
        # the spellings, from the newest articles (an old one-off spelling may be left out)
        mentions = {
            c.mention
            for (doc,) in conn.execute(
                f"SELECT a.doc {members} ORDER BY a.published DESC LIMIT 100", (name,)
            )
            for c in EnrichedArticle.from_json(doc).extraction.campaigns
            if c.canonical == name
        }
        latest = [
            Figure.model_validate_json(figure) for (figure,) in conn.execute(_STANDINGS, (name,))
        ]
        return CampaignSummary(
            canonical=name,
            mentions=sorted(mentions),
            first_seen=datetime.fromisoformat(row[1]),
            first_article=row[2],
            article_count=count,
            sources=sources,
            latest_figures=latest,
        )


def _compiled(request: SearchRequest) -> tuple[Node | None, str | None]:
    """The request's query (with the campaigns its names stand for) and its FTS5 expression."""
    node = with_campaigns(parse(request.query), request.campaign_names)
    return node, compile_query(node) if node is not None else None


def _filtered(cols: columns.Columns, request: SearchRequest) -> np.ndarray:
    """The rows the request's filters, dates and relevance choice let through."""
    return cols.mask(
        include_irrelevant=request.include_irrelevant,
        filters={f: v for f, v in request.filters.items() if v},
        date_from=request.date_from,
        date_to=request.date_to,
    )
