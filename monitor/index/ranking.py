"""The embedded index's full-text side: the rowids a MATCH finds and their bm25 scores as arrays,
the page they rank, and a small cache of scores per match and write sequence."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict

import numpy as np

from monitor.index.base import SearchRequest
from monitor.index.columns import Columns, first_kept
from monitor.index.fts import WEIGHTS

_BM25 = f"bm25(fts, {', '.join(map(str, WEIGHTS))})"
# Scores travel as integers: SQLite prints and numpy parses them several times faster than
# floats, and 1e-15 is far below any difference bm25 makes between two articles
_SCALE = 1e15
_SCORED = (
    "SELECT group_concat(rowid), group_concat(score) FROM (SELECT rowid,"
    f" CAST({_BM25} * -{_SCALE:.0e} AS INTEGER) AS score FROM fts WHERE fts MATCH ?{{only}}"
    " ORDER BY rowid)"
)

Scored = tuple[np.ndarray, np.ndarray]  # rowids, scores (higher is better)


def _ints(text: str | None) -> np.ndarray:
    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, np.int64)


def matching(conn: sqlite3.Connection, match: str) -> np.ndarray:
    """Every rowid the match finds, in one string parsed in C (not one Python row per hit)."""
    row = conn.execute("SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?", (match,))
    return _ints(row.fetchone()[0])


def scored(conn: sqlite3.Connection, match: str, only: np.ndarray | None = None) -> Scored:
    """bm25 of every hit, or of the hits among `only` (bm25 costs ~1 µs a hit: skip the rest)."""
    if only is not None and not only.size:
        return only, only
    if only is None:
        row = conn.execute(_SCORED.format(only=""), (match,)).fetchone()
    else:
        # FTS5 skips to the rowid range; `+rowid` then tests each hit against the list (a bare
        # rowid IN would make FTS5 run the whole match once per listed rowid)
        row = conn.execute(
            _SCORED.format(
                only=" AND rowid BETWEEN ? AND ? AND +rowid IN (SELECT value FROM json_each(?))"
            ),
            (match, int(only.min()), int(only.max()), json.dumps(only.tolist())),
        ).fetchone()
    return _ints(row[0]), _ints(row[1])


def page_scores(conn: sqlite3.Connection, match: str, rowids: list[int]) -> dict[int, float]:
    """bm25 of a few rowids (a date-sorted page still shows its scores)."""
    if not rowids:
        return {}
    found, scores = scored(conn, match, np.array(rowids, dtype=np.int64))
    return dict(zip(found.tolist(), (scores / _SCALE).tolist(), strict=True))


class Hits:
    """A match's hits (rowids ascending) with their scores (empty when only the rowids were
    asked for), and what searches at the same write sequence reuse: the hits as a mask over
    the columns, and their ranking order (score, then newest first)."""

    def __init__(self, rowids: np.ndarray, scores: np.ndarray) -> None:
        self.rowids, self.scores = rowids, scores
        self._mask: np.ndarray | None = None
        self._order: np.ndarray | None = None

    def mask(self, cols: Columns) -> np.ndarray:
        if self._mask is None or self._mask.size != cols.size:
            self._mask = cols.by_rowids(self.rowids)
        return self._mask

    def order(self, cols: Columns) -> np.ndarray:
        if self._order is None:
            keep = self.rowids < cols.size
            rowids, scores = self.rowids[keep], self.scores[keep]
            self._order = rowids[np.lexsort((cols.date_rank[rowids], -scores))]
        return self._order

    def scores_of(self, rowids: list[int] | np.ndarray) -> dict[int, float]:
        """The scores of `rowids` among these hits (those not among them are left out)."""
        if not self.rowids.size:
            return {}
        at = np.searchsorted(self.rowids, rowids).clip(0, self.rowids.size - 1)
        return {
            int(rowid): float(self.scores[i]) / _SCALE
            for rowid, i in zip(np.asarray(rowids).tolist(), at.tolist(), strict=True)
            if self.rowids[i] == rowid
        }


def select(
    conn: sqlite3.Connection,
    cols: Columns,
    cache: ScoreCache,
    match: str,
    mask: np.ndarray,
    request: SearchRequest,
) -> tuple[np.ndarray, list[tuple[int, float]]]:
    """`mask` (what the request's filters keep) narrowed to the match's hits, and the page of
    them with their scores."""
    size, offset = request.size, (request.page - 1) * request.size
    ranked = request.sort == "relevance" and size > 0
    # the scores of every hit serve any sort and filter, when an earlier search fetched them
    hits = cache.get(match, cols.seq)
    if hits is None and ranked and 2 * np.count_nonzero(mask) >= cols.present.sum():
        # few filters: nearly every hit needs its score, so fetch them all at once
        hits = cache.put(match, cols.seq, Hits(*scored(conn, match)))
    found = hits if hits is not None else _matching(conn, cache, match, cols.seq)
    mask = mask & found.mask(cols)
    total = int(np.count_nonzero(mask))
    if not size or offset >= total:
        return mask, []
    if not ranked:
        order = cols.first_by_date(mask, offset + size)[offset:].tolist()
        scores = hits.scores_of(order) if hits is not None else page_scores(conn, match, order)
        return mask, [(rowid, scores.get(rowid, 0.0)) for rowid in order]
    if hits is None:
        if 2 * total < found.rowids.size:  # selective filters: score only the hits they keep
            filters = sorted((f, v) for f, v in request.filters.items() if v)
            key = repr(
                (match, filters, request.date_from, request.date_to, request.include_irrelevant)
            )
            hits = cache.get(key, cols.seq) or cache.put(
                key, cols.seq, Hits(*scored(conn, match, np.flatnonzero(mask)))
            )
        else:
            hits = cache.put(match, cols.seq, Hits(*scored(conn, match)))
    return mask, top(cols, hits, mask, offset, size)


def _matching(conn: sqlite3.Connection, cache: ScoreCache, match: str, seq: int) -> Hits:
    """The match's rowids, kept like scores (paging, refining, the API's facet searches ask
    for the same match again)."""
    key = "\0rowids " + match
    kept = cache.get(key, seq)
    if kept is None:
        rowids = matching(conn, match)
        kept = cache.put(key, seq, Hits(rowids, rowids[:0]))
    return kept


def top(
    cols: Columns, hits: Hits, mask: np.ndarray, offset: int, size: int
) -> list[tuple[int, float]]:
    """The page of `mask`'s hits by score, ties newest first (as a date sort orders them)."""
    page = first_kept(hits.order(cols), mask, offset + size)[offset:]
    scores = hits.scores_of(page)
    return [(rowid, scores[rowid]) for rowid in page.tolist()]


class ScoreCache:
    """The scores of the last few matches (paging, refining by facets, the API's extra
    facet searches), each valid for one write sequence."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[str, int], Hits] = OrderedDict()

    def get(self, match: str, seq: int) -> Hits | None:
        with self._lock:
            hit = self._items.get((match, seq))
            if hit is not None:
                self._items.move_to_end((match, seq))
            return hit

    def put(self, match: str, seq: int, value: Hits) -> Hits:
        if self.size <= 0:
            return value
        with self._lock:
            for key in [k for k in self._items if k[1] != seq]:
                del self._items[key]  # written since: no longer true
            self._items[(match, seq)] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value
