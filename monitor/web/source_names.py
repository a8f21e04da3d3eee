"""How pages and the API call the values of a facet: a source by the name the sources file gives
it today (the index keeps its id), whose operation an article reports in words."""

from __future__ import annotations

import threading
from pathlib import Path

from loguru import logger

from monitor.errors import ConfigError
from monitor.feeds.sources import load_feeds
from monitor.index.base import Bucket, SearchResult

CHINESE_POLICE = {"true": "Chinese police", "false": "foreign or international operation"}


class SourceNames:
    """Source ids to names, read from the sources file and read again when it changes (`monitor
    feeds add` appends to it while the app runs). An id the file does not have (a source since
    removed, articles ingested from files) is shown as it is."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._stamp: tuple[float, int] | None = None
        self._names: dict[str, str] = {}

    def name(self, source_id: str) -> str:
        return self._current().get(source_id, source_id)

    def _current(self) -> dict[str, str]:
        if self._path is None:
            return {}
        try:
            info = self._path.stat()
        except OSError:
            return {}
        stamp = (info.st_mtime, info.st_size)
        with self._lock:
            if stamp != self._stamp:
                self._stamp = stamp
                try:
                    feeds = load_feeds(self._path)
                except ConfigError as exc:  # the app keeps the names it had; ids stay usable
                    logger.warning("source names not read again: {}", exc)
                else:
                    self._names = {s.id: s.name for s in feeds.source}
            return self._names


def label(field: str, value: str, sources: SourceNames) -> str:
    """What a page shows for `value` of facet `field` (the value itself for most facets)."""
    if field == "source":
        return sources.name(value)
    if field == "chinese_police":
        return CHINESE_POLICE.get(value, value)
    return value


LABELLED = ("source", "chinese_police")


def labelled(result: SearchResult, sources: SourceNames) -> SearchResult:
    """`result` with a label on each bucket of the facets whose values are shown in words."""
    facets = {
        field: [
            Bucket(key=b.key, count=b.count, label=label(field, b.key, sources)) for b in buckets
        ]
        if field in LABELLED
        else buckets
        for field, buckets in result.facets.items()
    }
    return result.model_copy(update={"facets": facets})
