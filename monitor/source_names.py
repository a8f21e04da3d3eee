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
#: The issuing levels a source may declare in the sources file, in the facet's order, as shown
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
        self._levels: dict[str, str] = {}

    def load(self) -> None:
        """Read the sources file now, not on the first search that shows a source: reading it
        checks every source, which costs a noticeable part of a second. It is read again when
        it changes all the same."""
        self._current()

    def name(self, source_id: str) -> str:
        return self._current().get(source_id, source_id)

    def levels(self) -> dict[str, str]:
        """Source id -> the level the sources file declares for it (sources without one are
        left out)."""
        self._current()
        return self._levels

    def at_levels(self, levels: tuple[str, ...]) -> tuple[str, ...]:
        """The ids of the sources declared at any of `levels`."""
        return tuple(sorted(i for i, level in self.levels().items() if level in levels))

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
                    self._levels = {s.id: s.level for s in feeds.source if s.level}
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


#: The source filter of a level at which no source is declared: it selects nothing
NO_SOURCE = "(no source at this level)"


def chosen_levels(values: list[str] | None) -> tuple[str, ...]:
    """The `level` filter's values, checked."""
    chosen = tuple(dict.fromkeys(v.strip().lower() for v in values or () if v.strip()))
    wrong = [v for v in chosen if v not in LEVELS]
    if wrong:
        raise BadInput(f"level must be {', '.join(LEVELS)}, not {wrong[0]!r}")
    return chosen


def at_levels(
    filters: dict[str, tuple[str, ...]], levels: tuple[str, ...], sources: SourceNames
) -> dict[str, tuple[str, ...]]:
    """`filters` narrowed to the sources declared at `levels` (and to the chosen sources among
    them): an article's level is its source's, as the sources file declares it today."""
    if not levels:
        return filters
    ids = set(sources.at_levels(levels))
    if filters.get("source"):
        ids &= set(filters["source"])
    return {**filters, "source": tuple(sorted(ids)) or (NO_SOURCE,)}


def level_buckets(source_buckets: list[Bucket], sources: SourceNames) -> list[Bucket]:
    """The level facet, from counts of every source (each article has one source)."""
    levels = sources.levels()
    counts = dict.fromkeys(LEVELS, 0)
    for b in source_buckets:
        if b.key in levels:
            counts[levels[b.key]] += b.count
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], list(LEVELS).index(kv[0])))
    return [Bucket(key=k, count=n, label=LEVELS[k]) for k, n in ranked if n]
