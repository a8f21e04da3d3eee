"""The embedded index's per-article columns held in memory: presence, relevance, date and facet
values (one bitset per value), so filters, facet counts, date order and histograms cost a few
vector operations instead of an SQL join per hit. A snapshot is immutable and tagged with the
write sequence it reflects; a newer one is patched from the articles written since. The writer
keeps a copy in the index file (`STORE`), so a process opening a large index reads one row
instead of every facet row (seconds at a million articles)."""

from __future__ import annotations

import io
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

import numpy as np

from monitor.index.base import FILTERS, Bucket, HistogramBucket

TOP_BUCKETS = 25
# Past this many changed articles a full reload is about as cheap as patching
_FULL_RELOAD = 20_000
_CHUNK = 500
#: The stored copy of the columns: one row, replaced as the writer refreshes it
STORE = (
    "CREATE TABLE IF NOT EXISTS stored_columns ("
    " id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, data BLOB NOT NULL)"
)
#: Articles from which the stored copy is kept (below, rebuilding takes milliseconds)
STORE_FROM = 50_000
#: Articles changed since the stored copy after which the writer refreshes it; a reader
#: opening the file patches at most about this many (well under `_FULL_RELOAD`)
STORE_EVERY = 10_000
_WORD = np.dtype("<u8")  # bit r of a bitset is bit r % 64 of word r // 64
_INTERVALS = {"day": "%Y-%m-%d", "week": "%Y-W%W", "month": "%Y-%m", "year": "%Y"}


def _epoch_seconds(value: datetime) -> int:
    # the same truncation to whole seconds as the stored ISO strings
    return int(value.astimezone(UTC).replace(microsecond=0).timestamp())


def _ints(text: str | None, dtype: type = np.int64) -> np.ndarray:
    if not text:
        return np.zeros(0, dtype=dtype)
    return np.fromstring(text, dtype=dtype, sep=",")


@lru_cache(maxsize=65_536)
def _label(day: int, fmt: str) -> str:
    return (date(1970, 1, 1) + timedelta(days=day)).strftime(fmt)


def _words(size: int) -> int:
    return (size + 63) // 64


def _bit_masks(rowids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return rowids >> 6, np.left_shift(np.uint64(1), (rowids & 63).astype(np.uint64))


def first_kept(order: np.ndarray, mask: np.ndarray, count: int) -> np.ndarray:
    """The first `count` of `order` (rowids) that `mask` keeps, read a growing slice at a time:
    a page near the top costs a few thousand lookups, not one per article."""
    found: list[np.ndarray] = []
    got, start, step = 0, 0, 4096
    while got < count and start < order.size:
        chunk = order[start : start + step]
        kept = chunk[mask[chunk]]
        found.append(kept)
        got += kept.size
        start, step = start + step, step * 4
    return np.concatenate(found)[:count] if found else order[:0]


class Columns:
    """Every article's columns at write sequence `seq`, indexed by rowid."""

    def __init__(
        self,
        seq: int,
        present: np.ndarray,
        relevant: np.ndarray,
        published: np.ndarray,
        values: list[tuple[str, str]],
        bits: np.ndarray,
    ) -> None:
        self.seq = seq
        self.size = present.size
        self.present = present
        self.relevant = relevant
        self.published = published
        self.day = published // 86_400
        self.values = values
        self.value_ids = {v: i for i, v in enumerate(values)}
        self.bits = bits
        rows = np.flatnonzero(present)
        # newest first, then rowid (a stable sort keeps rowid order among equal dates): the
        # order of a date sort and of ties in relevance
        self.by_date = rows[np.argsort(-published[rows], kind="stable")]
        self.date_rank = np.zeros(self.size, dtype=np.int64)
        self.date_rank[self.by_date] = np.arange(self.by_date.size)
        self._first_day = int(self.day[rows].min()) if rows.size else 0
        self._bucket_cache: dict[str, tuple[np.ndarray, list[str]]] = {}
        self._run_cache: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = {}

    # -- selecting ---------------------------------------------------------------------
    def mask(
        self,
        *,
        include_irrelevant: bool,
        filters: Mapping[str, Iterable[str]],
        date_from: datetime | None,
        date_to: datetime | None,
    ) -> np.ndarray:
        """The articles a search may return before its full-text match (bool per rowid)."""
        mask = self.present.copy() if include_irrelevant else self.present & self.relevant
        for field, values in filters.items():
            ids = [self.value_ids[(field, v)] for v in values if (field, v) in self.value_ids]
            mask &= self._unpack(np.bitwise_or.reduce(self.bits[ids], axis=0)) if ids else False
        if date_from is not None:
            mask &= self.published >= _epoch_seconds(date_from)
        if date_to is not None:
            mask &= self.published <= _epoch_seconds(date_to)
        return mask

    def by_rowids(self, rowids: np.ndarray) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[rowids[rowids < self.size]] = True
        return mask

    def _unpack(self, words: np.ndarray) -> np.ndarray:
        bits = np.unpackbits(words.astype(_WORD).view(np.uint8), bitorder="little")
        return bits[: self.size].view(bool)

    # -- counting ----------------------------------------------------------------------
    def facets(self, mask: np.ndarray) -> dict[str, list[Bucket]]:
        """Per field, the 25 values most found among `mask`'s articles (count, then value)."""
        out: dict[str, list[Bucket]] = {name: [] for name in FILTERS}
        if not self.values:
            return out
        packed = np.packbits(mask, bitorder="little")
        packed = np.pad(packed, (0, self.bits.shape[1] * 8 - packed.size)).view(_WORD)
        counts = np.bitwise_count(self.bits & packed).sum(axis=1, dtype=np.int64)
        ranked = sorted(
            (
                (field, -int(n), value)
                for (field, value), n in zip(self.values, counts, strict=True)
                if n
            ),
        )
        for field, n, value in ranked:
            if field in out and len(out[field]) < TOP_BUCKETS:
                out[field].append(Bucket(key=value, count=-n))
        return out

    def first_by_date(self, mask: np.ndarray, count: int) -> np.ndarray:
        """The first `count` rowids of `mask`, newest first (a date-sorted page)."""
        return first_kept(self.by_date, mask, count)

    def histogram(self, mask: np.ndarray, interval: str) -> tuple[str, list[HistogramBucket]]:
        """Counts of `mask`'s articles per calendar bucket; "auto" picks day, month or year by
        their span. Read in date order, where each bucket is one run of positions: a sum per
        run, not a lookup per article."""
        ordered = mask[self.by_date]  # newest first
        newest = int(np.argmax(ordered)) if ordered.size else 0
        if not ordered.size or not ordered[newest]:
            return ("month" if interval == "auto" else interval), []
        if interval == "auto":
            oldest = ordered.size - 1 - int(np.argmax(ordered[::-1]))
            span = int(self.published[self.by_date[newest]] - self.published[self.by_date[oldest]])
            days = span // 86_400
            interval = "day" if days <= 62 else "month" if days <= 730 else "year"
        starts, run_bucket, labels = self._runs(interval)
        per_run = np.add.reduceat(ordered.view(np.uint8), starts, dtype=np.int64)
        counts = np.bincount(run_bucket, weights=per_run, minlength=len(labels)).astype(np.int64)
        return interval, [
            HistogramBucket(start=labels[i], count=int(counts[i])) for i in np.flatnonzero(counts)
        ]

    def _runs(self, interval: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Where each bucket's run starts in date order, the bucket of each run, the labels."""
        if interval not in self._run_cache:
            bucket_of_day, labels = self._buckets(interval)
            bucket = bucket_of_day[self.day[self.by_date] - self._first_day]
            starts = np.concatenate(([0], np.flatnonzero(np.diff(bucket)) + 1))
            self._run_cache[interval] = (starts, bucket[starts], labels)
        return self._run_cache[interval]

    def _buckets(self, interval: str) -> tuple[np.ndarray, list[str]]:
        """Per day since the first article's, the index of its bucket; the buckets' labels."""
        if interval not in self._bucket_cache:
            fmt = _INTERVALS[interval]
            days = self.day[self.present]
            first = int(days.min()) if days.size else 0
            last = int(days.max()) if days.size else 0
            names = [_label(d, fmt) for d in range(first, last + 1)]
            labels, index = np.unique(np.array(names), return_inverse=True)
            self._bucket_cache[interval] = (index, labels.tolist())
        return self._bucket_cache[interval]


class Snapshots:
    """The newest columns, shared by every thread that searches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: Columns | None = None

    @contextmanager
    def reading(self, conn: sqlite3.Connection) -> Iterator[Columns]:
        """One read transaction on `conn`, and the columns as of its snapshot."""
        conn.execute("BEGIN")
        try:
            yield self._at(conn)
        finally:
            conn.execute("COMMIT")

    def _at(self, conn: sqlite3.Connection) -> Columns:
        for _ in range(5):
            seq = conn.execute("SELECT coalesce(max(seq), 0) FROM stamps").fetchone()[0]
            with self._lock:
                current = self._current
                if current is not None and current.seq == seq:
                    return current
                if current is None or current.seq < seq:
                    self._current = load(conn, seq, current or stored(conn, seq))
                    return self._current
            # another thread already holds a newer snapshot: read from a newer one too
            conn.execute("COMMIT")
            conn.execute("BEGIN")
        return load(conn, seq)

    def keep(self, conn: sqlite3.Connection, write_lock: threading.Lock) -> None:
        """Refresh the stored copy when `STORE_EVERY` articles changed since it (or there is
        none and the index holds `STORE_FROM`): the writer calls this after each batch."""
        row = conn.execute("SELECT seq FROM stored_columns WHERE id = 1").fetchone()
        if row is None:
            last = conn.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0]
            if last < STORE_FROM:
                return
        else:
            behind = conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM stamps WHERE seq > ? LIMIT ?)",
                (row[0], STORE_EVERY),
            ).fetchone()[0]
            if behind < STORE_EVERY:
                return
        conn.execute("BEGIN")
        try:
            seq = conn.execute("SELECT coalesce(max(seq), 0) FROM stamps").fetchone()[0]
            with self._lock:
                current = self._current
            # not kept in memory: a writer that never searches need not hold them
            cols = current if current is not None and current.seq == seq else None
            if cols is None:
                base = current if current is not None and current.seq < seq else None
                cols = load(conn, seq, base or stored(conn, seq))
        finally:
            conn.execute("COMMIT")
        data = _packed(cols)
        with write_lock:
            conn.execute(
                "INSERT INTO stored_columns (id, seq, data) VALUES (1, ?, ?) ON CONFLICT (id)"
                " DO UPDATE SET seq = excluded.seq, data = excluded.data"
                " WHERE excluded.seq > stored_columns.seq",
                (cols.seq, data),
            )


# -- storing -------------------------------------------------------------------------


def _packed(cols: Columns) -> bytes:
    out = io.BytesIO()
    np.savez(
        out,
        present=np.packbits(cols.present, bitorder="little"),
        relevant=np.packbits(cols.relevant, bitorder="little"),
        published=cols.published,
        values=np.frombuffer(json.dumps(cols.values, ensure_ascii=False).encode(), np.uint8),
        bits=cols.bits,
    )
    return out.getvalue()


def stored(conn: sqlite3.Connection, seq: int) -> Columns | None:
    """The stored copy, read in `conn`'s transaction, when there is one not newer than `seq`
    and it reads back (else None: the columns are read whole)."""
    row = conn.execute("SELECT seq, data FROM stored_columns WHERE id = 1").fetchone()
    if row is None or row[0] > seq:
        return None
    try:
        with np.load(io.BytesIO(row[1]), allow_pickle=False) as data:
            published = data["published"]
            size = published.size
            present = np.unpackbits(data["present"], count=size, bitorder="little").view(bool)
            relevant = np.unpackbits(data["relevant"], count=size, bitorder="little").view(bool)
            values = [(f, v) for f, v in json.loads(data["values"].tobytes())]
            bits = data["bits"]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # written by another version, or damaged: rebuilt from the tables
    if bits.shape != (len(values), _words(size)) or bits.dtype != _WORD:
        return None
    return Columns(int(row[0]), present, relevant, published.astype(np.int64), values, bits)


# -- loading ---------------------------------------------------------------------------


def load(conn: sqlite3.Connection, seq: int, previous: Columns | None = None) -> Columns:
    """The columns at `seq`, read in `conn`'s current transaction: patched from `previous`
    when few articles changed since it, else read whole."""
    if previous is not None:
        changed = _ints(
            conn.execute(
                "SELECT group_concat(article) FROM stamps WHERE seq > ?", (previous.seq,)
            ).fetchone()[0]
        )
        if changed.size <= _FULL_RELOAD:
            return _patch(conn, seq, previous, np.unique(changed))
    return _load_all(conn, seq)


def _load_all(conn: sqlite3.Connection, seq: int) -> Columns:
    rowids, relevant, published = conn.execute(
        "SELECT group_concat(rowid), group_concat(relevant),"
        " group_concat(strftime('%s', published)) FROM articles"
    ).fetchone()
    ids = _ints(rowids)
    size = int(ids.max()) + 1 if ids.size else 0
    present = np.zeros(size, dtype=bool)
    present[ids] = True
    rel = np.zeros(size, dtype=bool)
    rel[ids] = _ints(relevant).astype(bool)
    pub = np.zeros(size, dtype=np.int64)
    pub[ids] = _ints(published)
    values: list[tuple[str, str]] = []
    rows = conn.execute(
        "SELECT field, value, group_concat(article) FROM facets GROUP BY field, value"
    ).fetchall()
    bits = np.zeros((len(rows), _words(size)), dtype=_WORD)
    for i, (field, value, articles) in enumerate(rows):
        values.append((field, value))
        words, masks = _bit_masks(_ints(articles))
        np.bitwise_or.at(bits[i], words, masks)
    return Columns(seq, present, rel, pub, values, bits)


def _patch(conn: sqlite3.Connection, seq: int, old: Columns, changed: np.ndarray) -> Columns:
    size = max(old.size, int(changed.max()) + 1 if changed.size else 0)
    present = np.zeros(size, dtype=bool)
    present[: old.size] = old.present
    rel = np.zeros(size, dtype=bool)
    rel[: old.size] = old.relevant
    pub = np.zeros(size, dtype=np.int64)
    pub[: old.size] = old.published
    values = list(old.values)
    value_ids = dict(old.value_ids)
    facet_rows: list[tuple[int, str, str]] = []
    for start in range(0, changed.size, _CHUNK):
        chunk = changed[start : start + _CHUNK].tolist()
        marks = ", ".join("?" * len(chunk))
        for rowid, relevant, published in conn.execute(
            f"SELECT rowid, relevant, strftime('%s', published) FROM articles"
            f" WHERE rowid IN ({marks})",
            chunk,
        ):
            present[rowid] = True
            rel[rowid] = bool(relevant)
            pub[rowid] = int(published)
        facet_rows += conn.execute(
            f"SELECT article, field, value FROM facets WHERE article IN ({marks})", chunk
        ).fetchall()
    for _, field, value in facet_rows:
        if (field, value) not in value_ids:
            value_ids[(field, value)] = len(values)
            values.append((field, value))
    bits = np.zeros((len(values), _words(size)), dtype=_WORD)
    bits[: old.bits.shape[0], : old.bits.shape[1]] = old.bits
    if changed.size:
        words, masks = _bit_masks(changed)
        clear = np.zeros(bits.shape[1], dtype=_WORD)
        np.bitwise_or.at(clear, words, masks)
        bits &= ~clear
    if facet_rows:
        articles = np.array([r[0] for r in facet_rows], dtype=np.int64)
        ids = np.array([value_ids[(r[1], r[2])] for r in facet_rows], dtype=np.int64)
        words, masks = _bit_masks(articles)
        np.bitwise_or.at(bits, (ids, words), masks)
    return Columns(seq, present, rel, pub, values, bits)
