"""The last warnings and errors this process logged, kept in memory for the ops page, so an
operator sees what went wrong without reading the logs."""

from __future__ import annotations

import threading
from collections import deque
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

from loguru import logger


@dataclass(frozen=True, slots=True)
class LoggedError:
    at: datetime
    level: str
    where: str  # the stage or feed the log line was bound to, else the module
    message: str


class RecentErrors:
    """A loguru sink at WARNING and above; `install()` adds it, `close()` removes it."""

    def __init__(self, keep: int = 100) -> None:
        self._items: deque[LoggedError] = deque(maxlen=keep)
        self._lock = threading.Lock()
        self._sink_id: int | None = None

    def install(self) -> RecentErrors:
        if self._sink_id is None:
            self._sink_id = logger.add(self._sink, level="WARNING", format="{message}")
        return self

    def _sink(self, message: object) -> None:
        record = message.record  # type: ignore[attr-defined]
        extra = record["extra"]
        where = extra.get("feed") or extra.get("stage") or record["name"] or ""
        item = LoggedError(
            record["time"], record["level"].name, str(where), str(record["message"])[:1000]
        )
        with self._lock:
            self._items.append(item)

    def items(self) -> list[LoggedError]:
        """Newest first."""
        with self._lock:
            return list(reversed(self._items))

    def close(self) -> None:
        if self._sink_id is not None:
            with suppress(ValueError):  # removed already (logs.setup() resets every sink)
                logger.remove(self._sink_id)
            self._sink_id = None
