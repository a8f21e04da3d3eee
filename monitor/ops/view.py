"""Everything the ops page shows, gathered from the feed state, the bus, the stage sampler and
this process's recent errors; and the readiness check behind `/readyz`."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from monitor.bus.base import DEAD_LETTER, Bus
from monitor.errors import MonitorError, TransientError
from monitor.feeds.sources import Source, load_feeds
from monitor.feeds.state import STATE_FILE, SqliteStateStore
from monitor.ops.deadletters import DeadLetter, DeadLetterQueue, Requeued
from monitor.ops.health import DEFAULT_HEALTH, FeedHealthConfig, evaluate, publication_rate
from monitor.ops.recent import RecentErrors
from monitor.ops.stages import BusLag, Series, StageSampler, registry_reading
from monitor.ops.store import OPS_FILE, OpsStore
from monitor.settings import Settings


@dataclass(frozen=True, slots=True)
class SourceRow:
    id: str
    name: str
    url: str
    status: str  # ok, failing, silent, waiting, disabled
    detail: str
    last_success: datetime | None
    last_attempt: datetime | None
    last_error: str
    failures: int
    next_poll: datetime | None
    rate: str  # how often it publishes, in words ("" with nothing to go by)
    items: int  # delivered, all time


@dataclass(frozen=True, slots=True)
class ErrorRow:
    at: datetime | None
    where: str
    message: str


def _polls(n: int) -> str:
    return f"{n} failed poll{'' if n == 1 else 's'}"


def _when(ts: float | None) -> datetime | None:
    return datetime.fromtimestamp(ts, UTC) if ts else None


class Ops:
    """Built once per web app (`Ops.of(settings, bus)`); `start()` begins sampling the stages,
    `close()` stops it. The bus may be given or opened on first use (`open_bus`)."""

    def __init__(
        self,
        *,
        sources: Sequence[Source],
        state_path: Path,
        store: OpsStore,
        open_bus: Callable[[], Bus],
        in_process: bool,
        health: FeedHealthConfig = DEFAULT_HEALTH,
        sample_every: float = 10.0,
        feeds_problem: str = "",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.sources_config = tuple(sources)
        self.state_path = state_path
        self.store = store
        self.health = health
        self.in_process = in_process
        self.feeds_problem = feeds_problem
        self.clock = clock
        self._open_bus = open_bus
        self._bus: Bus | None = None
        self._bus_lock = threading.Lock()
        self.bus_lag = None if in_process else BusLag(self.bus)
        reading = registry_reading() if in_process else self.bus_lag
        assert reading is not None
        self.sampler = StageSampler(reading, every=sample_every)
        self.errors = RecentErrors()

    @classmethod
    def of(cls, settings: Settings, bus: Bus | None = None, **options: Any) -> Ops:
        """The ops view for these settings. With `bus`, the stages run in this process
        (`monitor run`); without, the bus is opened from the settings when first needed."""
        try:
            sources, problem = load_feeds(settings.feeds).source, ""
        except MonitorError as exc:
            sources, problem = (), str(exc)
        if bus is None:
            from monitor.wiring import open_bus

            def opener() -> Bus:
                return open_bus(settings)
        else:

            def opener() -> Bus:
                return bus

        options.setdefault("in_process", bus is not None)
        options.setdefault("health", settings.feed_health)
        return cls(
            sources=sources,
            state_path=settings.data_dir / STATE_FILE,
            store=OpsStore(settings.data_dir / OPS_FILE),
            open_bus=opener,
            feeds_problem=problem,
            **options,
        )

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> None:
        self.errors.install()
        self.sampler.start()

    def close(self) -> None:
        self.sampler.close()
        self.errors.close()
        if self.bus_lag is not None:
            self.bus_lag.close()
        if self._bus is not None and not self.in_process:
            self._bus.close()  # opened here; a bus passed in belongs to the caller
        self.store.close()

    # -- the bus, opened once --------------------------------------------------------------
    def bus(self) -> Bus:
        """The bus; raises `TransientError` while it cannot be opened."""
        with self._bus_lock:
            if self._bus is None:
                try:
                    self._bus = self._open_bus()
                except MonitorError:
                    raise
                except Exception as exc:  # a backend's own error on open
                    raise TransientError(f"the bus cannot be opened: {exc}") from exc
            return self._bus

    # -- what the page shows ---------------------------------------------------------------
    def sources(self) -> list[SourceRow]:
        now = self.clock()
        store = SqliteStateStore(self.state_path, readonly=True)
        try:
            states = store.all()
        finally:
            store.close()
        try:
            reported = self.store.reported()
        except MonitorError:
            reported = {}
        rows = []
        for source in self.sources_config:
            state = states.get(source.id)
            since = reported[source.id].failing_since if source.id in reported else None
            health = evaluate(state, self.health, now, failing_since=since, enabled=source.enabled)
            rows.append(
                SourceRow(
                    id=source.id,
                    name=source.name,
                    url=source.url,
                    status=health.status,
                    detail=health.detail,
                    last_success=_when(state.last_success) if state else None,
                    last_attempt=_when(state.last_attempt) if state else None,
                    last_error=state.last_error if state and state.failures else "",
                    failures=state.failures if state else 0,
                    next_poll=_when(state.next_poll) if state and source.enabled else None,
                    rate=publication_rate(state.pub_times, now) if state else "",
                    items=state.items if state else 0,
                )
            )
        order = {"failing": 0, "silent": 1, "ok": 2, "waiting": 3, "disabled": 4}
        rows.sort(key=lambda r: (order.get(r.status, 9), r.id))
        return rows

    def stages(self) -> list[Series]:
        return self.sampler.series()

    def dead_letters(self, limit: int = 200) -> list[DeadLetter]:
        return DeadLetterQueue(self.bus(), self.store).list(limit)

    def requeue(self, refs: Sequence[str] | None) -> Requeued:
        return DeadLetterQueue(self.bus(), self.store).requeue(refs)

    def recent_errors(
        self, rows: Sequence[SourceRow], dead: Sequence[DeadLetter], limit: int = 30
    ) -> list[ErrorRow]:
        """Source errors, dead letters and this process's logged warnings, newest first."""
        found = [
            ErrorRow(
                r.last_attempt,
                r.id,
                f"{r.last_error} ({_polls(r.failures)} in a row)",
            )
            for r in rows
            if r.last_error
        ]
        found += [
            ErrorRow(d.failed_at, f"{d.stage} stage, dead letter {d.ref}", d.reason)
            for d in dead[:limit]
        ]
        found += [ErrorRow(e.at.astimezone(UTC), e.where, e.message) for e in self.errors.items()]
        oldest = datetime.fromtimestamp(0, UTC)
        found.sort(key=lambda e: e.at or oldest, reverse=True)
        seen: set[tuple[str, str]] = set()
        unique = []
        for e in found:  # the same failure logged again says nothing new
            if (e.where, e.message) not in seen:
                seen.add((e.where, e.message))
                unique.append(e)
        return unique[:limit]

    def ready(self) -> dict[str, str]:
        """Problems by component (bus), empty when the bus answers."""
        try:
            self.bus().topic_size(DEAD_LETTER)
        except Exception as exc:  # whatever the backend raises, the answer is "not ready"
            return {"bus": str(exc) or type(exc).__name__}
        return {}
