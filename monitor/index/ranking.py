"""The embedded index's full-text side: the rowids a MATCH finds and their bm25 scores as arrays,
the page they rank, and a small cache of scores per match and write sequence."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict

import numpy as np

from monitor.index.base import SearchRequest
from monitor.index.columns import Columns
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
    if hits is None and ranked and 2 * mask.sum() >= cols.present.sum():
        # few filters: nearly every hit needs its score, so fetch them all at once
        hits = cache.put(match, cols.seq, scored(conn, match))
    found = hits[0] if hits is not None else _matching(conn, cache, match, cols.seq)
    mask = mask & cols.by_rowids(found)
    total = int(mask.sum())
    if not size or offset >= total:
        return mask, []
    if not ranked:
        order = cols.by_date[mask[cols.by_date]][offset : offset + size].tolist()
        scores = _known(hits, order) if hits is not None else page_scores(conn, match, order)
        return mask, [(rowid, scores.get(rowid, 0.0)) for rowid in order]
    if hits is None:
        if 2 * total < found.size:  # selective filters: score only the hits they keep
            filters = sorted((f, v) for f, v in request.filters.items() if v)
            key = repr(
                (match, filters, request.date_from, request.date_to, request.include_irrelevant)
            )
            hits = cache.get(key, cols.seq) or cache.put(
                key, cols.seq, scored(conn, match, np.flatnonzero(mask))
            )
        else:
            hits = cache.put(match, cols.seq, scored(conn, match))
    return mask, top(cols, hits, mask, offset, size)


def _matching(conn: sqlite3.Connection, cache: ScoreCache, match: str, seq: int) -> np.ndarray:
    """The match's rowids, kept with the scores (paging, refining, the API's facet searches
    ask for the same match again)."""
    key = "\0rowids " + match
    kept = cache.get(key, seq)
    if kept is None:
        rowids = matching(conn, match)
        kept = cache.put(key, seq, (rowids, rowids[:0]))
    return kept[0]


def _known(hits: Scored, rowids: list[int]) -> dict[int, float]:
    """The scores of `rowids` among the hits (sorted by rowid) already scored."""
    found, scores = hits
    at = np.searchsorted(found, rowids).clip(0, max(found.size - 1, 0))
    return {
        rowid: float(scores[i]) / _SCALE
        for rowid, i in zip(rowids, at.tolist(), strict=True)
        if found.size and found[i] == rowid
    }


def top(
    cols: Columns, hits: Scored, mask: np.ndarray, offset: int, size: int
) -> list[tuple[int, float]]:
    """The page of `mask`'s hits by score, ties newest first (as a date sort orders them)."""
    rowids, scores = hits
    keep = rowids < cols.size
    keep[keep] = mask[rowids[keep]]
    rowids, scores = rowids[keep], scores[keep]
    want = min(offset + size, rowids.size)
    if want <= offset:
        return []
    cut = -np.partition(-scores, want - 1)[want - 1]  # the want-th best score
    better = scores > cut
    ahead, ahead_scores = rowids[better], scores[better]
    order = np.lexsort((cols.date_rank[ahead], -ahead_scores))
    # hits tied at the cut (often thousands for a common word) are taken in date order
    tied = np.zeros(cols.size, dtype=bool)
    tied[rowids[scores == cut]] = True
    level = cols.by_date[tied[cols.by_date]][: want - ahead.size]
    ranked = np.concatenate((ahead[order], level))[offset : offset + size]
    ranked_scores = np.concatenate((ahead_scores[order], np.full(level.size, cut)))
    return list(
        zip(ranked.tolist(), (ranked_scores[offset : offset + size] / _SCALE).tolist(), strict=True)
    )


class ScoreCache:
    """The scores of the last few matches (paging, refining by facets, the API's extra
    facet searches), each valid for one write sequence."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[str, int], Scored] = OrderedDict()

    def get(self, match: str, seq: int) -> Scored | None:
        with self._lock:
            hit = self._items.get((match, seq))
            if hit is not None:
                self._items.move_to_end((match, seq))
            return hit

    def put(self, match: str, seq: int, value: Scored) -> Scored:
        if self.size <= 0:
            return value
        with self._lock:
            for key in [k for k in self._items if k[1] != seq]:
                del self._items[key]  # written since: no longer true
            self._items[(match, seq)] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value
