"""How pages, the API and alerts call the values of a facet: a source by the name the sources
file gives it today (the index keeps its id), whose operation an article reports in words."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import get_args

from loguru import logger

from monitor.errors import ConfigError
from monitor.feeds.sources import Level, load_feeds
from monitor.index.base import Bucket, SearchResult
from monitor.index.selection import BadInput

CHINESE_POLICE = {"true": "Chinese police", "false": "foreign or international operation"}
_LEVEL_LABELS = {"province": "provincial department", "city": "city or county bureau"}
#: The issuing levels (a source's declared one, an article's: `monitor.issuer`), as shown
LEVELS = {level: _LEVEL_LABELS.get(level, level) for level in get_args(Level)}


class SourceNames:
    """Source ids to names, read from the sources file and read again when it changes (`monitor
    feeds add` appends to it while the app runs). An id the file does not have (a source since
    removed, articles ingested from files) is shown as it is."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._stamp: tuple[float, int] | None = None
        self._names: dict[str, str] = {}

    def load(self) -> None:
        """Read the sources file now, not on the first search that shows a source: reading it
        checks every source, which costs a noticeable part of a second. It is read again when
        it changes all the same."""
        self._current()

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
    if field == "level":
        return LEVELS.get(value, value)
    return value


LABELLED = ("source", "chinese_police", "level")


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


def chosen_levels(values: list[str] | None) -> tuple[str, ...]:
    """The `level` filter's values, checked."""
    chosen = tuple(dict.fromkeys(v.strip().lower() for v in values or () if v.strip()))
    wrong = [v for v in chosen if v not in LEVELS]
    if wrong:
        raise BadInput(f"level must be {', '.join(LEVELS)}, not {wrong[0]!r}")
    return chosen


def at_levels(
    filters: dict[str, tuple[str, ...]], levels: tuple[str, ...]
) -> dict[str, tuple[str, ...]]:
    """`filters` narrowed to the articles issued at `levels` (`chosen_levels`), the level each
    article is indexed at (`monitor.issuer`)."""
    kept = {k: v for k, v in filters.items() if k != "level"}
    return {**kept, "level": levels} if levels else kept
