"""Throughput and lag of each stage over the last hour, sampled into a ring buffer.

In `monitor run` every stage counts into this process's Prometheus registry, so
`registry_reading` gives both throughput and lag. In the distributed deployment the web
process has no stage counters: `BusLag` reads each stage group's lag from the bus (the
embedded commits table, Kafka's committed against end offsets) and throughput history is
Prometheus's and Grafana's.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass

from loguru import logger
from prometheus_client import REGISTRY, CollectorRegistry

from monitor.bus.base import ENRICHED, RAW, Bus, Consumer
from monitor.errors import MonitorError

# The consumer stages, their input topic and group (pipelines/stages.py names groups by stage).
STAGE_TOPICS = {"extract": RAW, "index": ENRICHED, "alert": ENRICHED}
FINISHED = ("ok", "duplicate", "dropped", "dead_lettered")  # "retried" is an attempt, not a message


@dataclass(frozen=True, slots=True)
class Point:
    """One stage at one moment: messages finished so far (None: unknown here) and lag."""

    total: float | None
    lag: float | None


Reading = Callable[[], Mapping[str, Point]]


def registry_reading(registry: CollectorRegistry = REGISTRY) -> Reading:
    """Stage counters and lag gauges of this process (the runner fills them)."""

    def read() -> dict[str, Point]:
        totals: dict[str, float] = {}
        lags: dict[str, float] = {}
        for family in registry.collect():
            if family.name == "monitor_stage_messages":
                for s in family.samples:
                    if s.name.endswith("_total") and s.labels.get("outcome") in FINISHED:
                        stage = s.labels["stage"]
                        totals[stage] = totals.get(stage, 0.0) + s.value
            elif family.name == "monitor_consumer_lag":
                for s in family.samples:
                    stage = s.labels["stage"]
                    lags[stage] = lags.get(stage, 0.0) + s.value
        return {
            stage: Point(totals.get(stage, 0.0), lags.get(stage))
            for stage in (*STAGE_TOPICS, *(set(totals) - set(STAGE_TOPICS)))
        }

    return read


class BusLag:
    """Each stage group's lag, read from the bus without taking part in the group: the
    consumers are opened once and never poll, so they join nothing."""

    def __init__(self, bus: Callable[[], Bus], stages: Mapping[str, str] = STAGE_TOPICS) -> None:
        self.bus = bus  # opened on first use: the bus may be away when the web app starts
        self.stages = dict(stages)
        self._consumers: dict[str, Consumer] = {}
        self._lock = threading.Lock()

    def __call__(self) -> dict[str, Point]:
        out = {}
        with self._lock:
            for stage, topic in self.stages.items():
                try:
                    if stage not in self._consumers:
                        self._consumers[stage] = self.bus().consumer(topic, stage)
                    lag = float(sum(self._consumers[stage].lag().values()))
                except MonitorError as exc:
                    logger.debug("lag of {} unknown: {}", stage, exc)
                    lag = None
                out[stage] = Point(None, lag)
        return out

    def close(self) -> None:
        with self._lock:
            for consumer in self._consumers.values():
                with suppress(MonitorError):
                    consumer.close()
            self._consumers.clear()


@dataclass(frozen=True, slots=True)
class Series:
    """One stage over the window: per-minute throughput between samples, and lag."""

    stage: str
    times: tuple[float, ...]
    per_minute: tuple[float | None, ...]
    lag: tuple[float | None, ...]

    @property
    def current_lag(self) -> float | None:
        return next((v for v in reversed(self.lag) if v is not None), None)

    @property
    def finished(self) -> float | None:
        """Messages finished over the window (None: throughput is not known here)."""
        done, known = 0.0, False
        for i in range(1, len(self.times)):
            rate = self.per_minute[i]
            if rate is not None:
                done += rate * (self.times[i] - self.times[i - 1]) / 60
                known = True
        return done if known else None


class StageSampler:
    """Calls `reading` every `every` seconds and keeps `window` seconds of samples."""

    def __init__(
        self,
        reading: Reading,
        *,
        every: float = 10.0,
        window: float = 3600.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.reading = reading
        self.every = every
        self.clock = clock
        self._samples: deque[tuple[float, Mapping[str, Point]]] = deque(
            maxlen=max(2, int(window / every) + 1)
        )
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def sample(self) -> None:
        try:
            points = self.reading()
        except Exception as exc:  # a reading that fails once must not end the sampling
            logger.warning("stage sample failed: {}", exc)
            return
        with self._lock:
            self._samples.append((self.clock(), points))

    def start(self) -> None:
        if self._thread is not None:
            return
        self.sample()
        self._thread = threading.Thread(target=self._run, name="ops-sampler", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def series(self) -> list[Series]:
        with self._lock:
            samples = list(self._samples)
        stages = list(dict.fromkeys(s for _, points in samples for s in points))
        out = []
        for stage in stages:
            times, rates, lags = [], [], []
            prev: tuple[float, float | None] | None = None
            for t, points in samples:
                point = points.get(stage, Point(None, None))
                rate = None
                if prev is not None and point.total is not None and prev[1] is not None:
                    span = t - prev[0]
                    # a counter that went down means the process restarted: count from zero
                    done = point.total - prev[1] if point.total >= prev[1] else point.total
                    rate = done * 60 / span if span > 0 else None
                times.append(t)
                rates.append(rate)
                lags.append(point.lag)
                prev = (t, point.total)
            out.append(Series(stage, tuple(times), tuple(rates), tuple(lags)))
        return out
