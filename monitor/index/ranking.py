"""The embedded index's full-text side: the rowids a MATCH finds and their bm25 scores as arrays,
the page they rank, and a small cache of scores per match and write sequence.

A relevance search of `DATE_ORDER_FROM` hits or more whose every phrase is in more than half
the archive lists its hits newest first, as a date sort does, with their bm25 scores: bm25
gives such a phrase an idf of 1e-6 (FTS5 clamps log((N - n + 0.5) / (n + 0.5)) <= 0 there), so
its scores say almost nothing, and computing them all would take over a second in a large
archive (about 2 µs a hit)."""

from __future__ import annotations

import json
import math
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

from monitor.index.base import SearchRequest
from monitor.index.columns import Columns, first_kept
from monitor.index.fts import WEIGHTS, phrases, words

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
#: Hits from which a relevance search whose every phrase weighs 1e-6 lists them by date
#: (scoring fewer takes under about 0.3 s)
DATE_ORDER_FROM = 100_000


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


def _rows(conn: sqlite3.Connection) -> int:
    """The article count bm25 reads: the first varint of FTS5's averages record."""
    row = conn.execute("SELECT block FROM fts_data WHERE id = 1").fetchone()
    count = 0
    for byte in row[0] if row else b"":
        count = (count << 7) | (byte & 0x7F)
        if byte < 0x80:
            break
    return count


def _clamped(rows: int, n: int) -> bool:
    """Whether FTS5 gives a phrase in `n` of `rows` articles its floor idf of 1e-6."""
    return math.log((rows - n + 0.5) / (n + 0.5)) <= 0


def uninformative(conn: sqlite3.Connection, match: str, rows: int, hits: Callable[[], int]) -> bool:
    """Whether bm25 weighs every phrase of `match` by 1e-6 (each is in more than half the
    `rows` articles); `hits()` counts the whole match's, when it is one phrase."""
    found = phrases(match)
    for phrase in found:
        for part in [*words(phrase), phrase]:  # the words first: cheaper, and often enough
            n = hits() if part == match else _count(conn, part)
            if not _clamped(rows, n):
                return False
    return bool(found)


def _count(conn: sqlite3.Connection, match: str) -> int:
    return int(conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0])


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
    ranked = (
        request.sort == "relevance"
        and size > 0
        and not cache.flag(
            "\0by date " + match, cols.seq, lambda: _by_date(conn, cache, match, cols.seq)
        )
    )
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
        scores = (
            hits.scores_of(order)
            if hits is not None
            else _shown(conn, cache, match, cols.seq, order)
        )
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


def _by_date(conn: sqlite3.Connection, cache: ScoreCache, match: str, seq: int) -> bool:
    """Whether a relevance search of `match` lists its hits by date: every phrase weighs 1e-6
    in bm25 and there are `DATE_ORDER_FROM` hits or more."""
    rows = _rows(conn)

    def hits() -> int:
        return int(_hits(conn, cache, match, seq).rowids.size)

    return (
        rows >= DATE_ORDER_FROM
        and uninformative(conn, match, rows, hits)
        and hits() >= DATE_ORDER_FROM
    )


def _shown(
    conn: sqlite3.Connection, cache: ScoreCache, match: str, seq: int, rowids: list[int]
) -> dict[int, float]:
    """bm25 of a few rowids (a date-ordered page still shows its scores), kept with those of
    the pages shown before: each scoring reads the whole doclist of every phrase, for its idf."""
    key = "\0shown " + match
    kept = cache.get(key, seq) or Hits(np.zeros(0, np.int64), np.zeros(0, np.int64))
    scores = kept.scores_of(rowids)
    missing = [rowid for rowid in rowids if rowid not in scores]
    if missing:
        found, new = scored(conn, match, np.array(missing, dtype=np.int64))
        both, at = np.unique(np.concatenate((kept.rowids, found)), return_index=True)
        kept = cache.put(key, seq, Hits(both, np.concatenate((kept.scores, new))[at]))
        scores = kept.scores_of(rowids)
    return scores


def _hits(conn: sqlite3.Connection, cache: ScoreCache, match: str, seq: int) -> Hits:
    """The match's scored hits when an earlier search kept them, else its rowids."""
    return cache.get(match, seq) or _matching(conn, cache, match, seq)


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
        self._flags: dict[tuple[str, int], bool] = {}

    def get(self, match: str, seq: int) -> Hits | None:
        with self._lock:
            hit = self._items.get((match, seq))
            if hit is not None:
                self._items.move_to_end((match, seq))
            return hit

    def flag(self, key: str, seq: int, compute: Callable[[], bool]) -> bool:
        """A yes or no about a match at one write sequence, computed once (kept even when the
        cache holds no scores: it costs a few counts, not a scoring)."""
        with self._lock:
            found = self._flags.get((key, seq))
        if found is None:
            found = compute()
            with self._lock:
                for stale in [k for k in self._flags if k[1] != seq]:
                    del self._flags[stale]
                while len(self._flags) >= 256:
                    del self._flags[next(iter(self._flags))]
                self._flags[(key, seq)] = found
        return found

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
