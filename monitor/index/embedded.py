"""The embedded index: SQLite with FTS5 for text, plain tables for facets, figures and campaigns.

One file in the data folder. Writes go through one connection under a lock; searches
use a connection per thread, so the web app reads while the index stage writes (WAL).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from monitor.errors import QuerySyntaxError, TransientError
from monitor.index import highlight
from monitor.index.base import (
    FACETS,
    Bucket,
    CampaignSummary,
    HistogramBucket,
    Hit,
    Outcome,
    SearchRequest,
    SearchResult,
)
from monitor.index.fts import COLUMNS, TOKENIZER, WEIGHTS, compile_query, index_text
from monitor.index.query import parse
from monitor.models import EnrichedArticle, Figure

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
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5 ({", ".join(COLUMNS)}, tokenize="{TOKENIZER}");
"""

_INTERVALS = {
    "day": "%Y-%m-%d",
    "week": "%Y-W%W",
    "month": "%Y-%m",
    "year": "%Y",
}


def _facet_values(doc: EnrichedArticle) -> dict[str, set[str]]:
    ext = doc.extraction
    return {
        "campaign": {c.canonical for c in ext.campaigns},
        "measure": {f.measure for f in ext.figures},
        "region": set(ext.regions),
        "agency": set(ext.agencies),
        "source": {doc.source} if doc.source else set(),
        "lang": {doc.lang},
        "crime_type": set(ext.crime_types),
    }


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class EmbeddedIndex:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        with self._translated("create its tables"):
            self._conn().executescript(_SCHEMA)

    # -- connections ---------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
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
        with self._write_lock, self._translated("write articles"):
            conn.execute("BEGIN IMMEDIATE")
            try:
                for doc in docs:
                    outcomes.append(self._upsert(conn, doc))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return outcomes

    def _upsert(self, conn: sqlite3.Connection, doc: EnrichedArticle) -> Outcome:
        version = doc.extraction.extractor_version
        row = conn.execute(
            "SELECT rowid, content_hash, version FROM articles WHERE id = ?", (doc.id,)
        ).fetchone()
        if row and row[1] == doc.content_hash and row[2] == version:
            return "unchanged"
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
        facets = _facet_values(doc)
        conn.executemany(
            "INSERT OR IGNORE INTO facets (article, field, value) VALUES (?, ?, ?)",
            [(rowid, field, value) for field, vals in facets.items() for value in vals],
        )
        conn.executemany(
            "INSERT INTO figures (article, published, campaign, measure, figure)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (rowid, published, f.campaign, f.measure, f.model_dump_json())
                for f in doc.extraction.figures
            ],
        )
        keyword = {name: " ; ".join(sorted(vals)) for name, vals in facets.items()}
        conn.execute(
            f"INSERT INTO fts (rowid, {', '.join(COLUMNS)}) VALUES (?{', ?' * len(COLUMNS)})",
            (
                rowid,
                index_text(doc.title),
                index_text(doc.body or doc.summary),
                *(index_text(keyword[c]) for c in COLUMNS[2:]),
            ),
        )
        if doc.extraction.relevance.relevant:
            conn.executemany(
                "INSERT INTO campaigns (canonical, first_seen, first_article) VALUES (?, ?, ?)"
                " ON CONFLICT (canonical) DO UPDATE SET first_seen = excluded.first_seen,"
                " first_article = excluded.first_article WHERE excluded.first_seen < first_seen",
                [(name, published, doc.id) for name in facets["campaign"]],
            )
        return "updated" if row else "created"

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
        node = parse(request.query)
        match = compile_query(node) if node is not None else None
        where, params = self._where(request, match)
        conn = self._conn()
        with self._translated("search"):
            conn.execute("DROP TABLE IF EXISTS temp.hits")
            # CROSS JOIN keeps the full-text match as the outer loop: one MATCH, then a lookup
            # per hit (the planner would otherwise run the MATCH once per article)
            source = "fts CROSS JOIN articles a ON a.rowid = fts.rowid" if match else "articles a"
            score = f"bm25(fts, {', '.join(map(str, WEIGHTS))})" if match else "0.0"
            conn.execute(
                f"CREATE TEMP TABLE hits AS SELECT a.rowid AS rowid, {score} AS score,"
                f" a.published AS published FROM {source} WHERE {where}",
                params,
            )
            total = conn.execute("SELECT count(*) FROM temp.hits").fetchone()[0]
            order = (
                "h.score, h.published DESC"
                if match and request.sort == "relevance"
                else ("h.published DESC")
            )
            rows = conn.execute(
                f"SELECT a.doc, h.score FROM temp.hits h JOIN articles a ON a.rowid = h.rowid"
                f" ORDER BY {order} LIMIT ? OFFSET ?",
                (request.size, (request.page - 1) * request.size),
            ).fetchall()
            facets = self._facets(conn) if request.facets else {}
            interval, histogram = (
                self._histogram(conn, request.histogram) if request.histogram else (None, [])
            )
        rx = highlight.pattern(node)
        hits = [self._hit(EnrichedArticle.from_json(doc), -score, rx) for doc, score in rows]
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

    def _where(self, request: SearchRequest, match: str | None) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if match:
            clauses.append("fts MATCH ?")
            params.append(match)
        if not request.include_irrelevant:
            clauses.append("a.relevant = 1")
        for field, values in request.filters.items():
            if field not in FACETS:
                raise QuerySyntaxError(f"unknown filter {field!r}; filters are {', '.join(FACETS)}")
            if not values:
                continue
            marks = ", ".join("?" * len(values))
            clauses.append(
                f"a.rowid IN (SELECT article FROM facets WHERE field = ? AND value IN ({marks}))"
            )
            params.extend([field, *values])
        if request.date_from:
            clauses.append("a.published >= ?")
            params.append(_iso(request.date_from))
        if request.date_to:
            clauses.append("a.published <= ?")
            params.append(_iso(request.date_to))
        return " AND ".join(clauses) or "1", params

    def _facets(self, conn: sqlite3.Connection) -> dict[str, list[Bucket]]:
        rows = conn.execute(
            "SELECT f.field, f.value, count(*) AS n FROM temp.hits h"
            " JOIN facets f ON f.article = h.rowid GROUP BY f.field, f.value"
            " ORDER BY f.field, n DESC, f.value"
        ).fetchall()
        out: dict[str, list[Bucket]] = {name: [] for name in FACETS}
        for field, value, n in rows:
            if len(out[field]) < 25:
                out[field].append(Bucket(key=value, count=n))
        return out

    def _histogram(
        self, conn: sqlite3.Connection, interval: str
    ) -> tuple[str, list[HistogramBucket]]:
        if interval == "auto":
            first, last = conn.execute(
                "SELECT min(published), max(published) FROM temp.hits"
            ).fetchone()
            interval = _auto_interval(first, last)
        fmt = _INTERVALS[interval]
        rows = conn.execute(
            f"SELECT strftime('{fmt}', published) AS b, count(*) FROM temp.hits"
            " GROUP BY b ORDER BY b"
        ).fetchall()
        return interval, [HistogramBucket(start=b, count=n) for b, n in rows if b]

    def _hit(self, doc: EnrichedArticle, score: float, rx: object) -> Hit:
        return Hit(
            id=doc.id,
            title=doc.title,
            title_html=highlight.mark(doc.title, rx),  # type: ignore[arg-type]
            snippet_html=highlight.snippet(doc.body or doc.summary, rx),  # type: ignore[arg-type]
            url=doc.url,
            source=doc.source,
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
        docs = [
            EnrichedArticle.from_json(d)
            for (d,) in conn.execute(
                "SELECT a.doc FROM facets f JOIN articles a ON a.rowid = f.article"
                " WHERE f.field = 'campaign' AND f.value = ? AND a.relevant = 1"
                " ORDER BY a.published DESC",
                (name,),
            )
        ]
        mentions = sorted(
            {c.mention for d in docs for c in d.extraction.campaigns if c.canonical == name}
        )
        latest: dict[str, Figure] = {}
        for doc in docs:  # newest first: the first figure seen per measure is the latest
            for fig in doc.extraction.figures:
                if fig.campaign == name and fig.measure not in latest:
                    latest[fig.measure] = fig
        return CampaignSummary(
            canonical=name,
            mentions=mentions,
            first_seen=datetime.fromisoformat(row[1]),
            first_article=row[2],
            article_count=len(docs),
            sources=sorted({d.source for d in docs if d.source}),
            latest_figures=list(latest.values()),
        )


def _auto_interval(first: str | None, last: str | None) -> str:
    if not first or not last:
        return "month"
    span = datetime.fromisoformat(last) - datetime.fromisoformat(first)
    if span.days <= 62:
        return "day"
    if span.days <= 730:
        return "month"
    return "year"
