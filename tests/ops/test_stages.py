"""Stage throughput and lag over the last hour: sampled from this process's Prometheus registry
when the stages run here, read from the bus's consumer groups when they run elsewhere."""

from __future__ import annotations

from collections.abc import Callable

from monitor.bus.embedded import EmbeddedBus
from monitor.index.embedded import EmbeddedIndex
from monitor.ops.stages import BusLag, Point, StageSampler, registry_reading
from monitor.settings import Settings
from pipelines.stages import build_runner
from tests.conftest import make_article
from tests.ops.conftest import produce


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_throughput_per_minute_from_the_stage_counters(
    bus: EmbeddedBus, index: EmbeddedIndex, make_settings: Callable[..., Settings]
) -> None:
    clock = Clock()
    sampler = StageSampler(registry_reading(), every=10, clock=clock)
    sampler.sample()
    produce(bus, *(make_article(i) for i in range(12)))
    runner = build_runner("extract", make_settings(), bus, index)
    runner.drain()
    runner.close()
    clock.now += 30
    sampler.sample()
    extract = {s.stage: s for s in sampler.series()}["extract"]
    assert extract.per_minute == (None, 24.0)  # 12 messages in 30 s
    assert extract.finished == 12


def test_a_counter_that_went_down_counts_from_zero() -> None:
    clock = Clock()
    readings = iter([{"index": Point(500, 0)}, {"index": Point(20, 3)}])
    sampler = StageSampler(lambda: next(readings), every=10, clock=clock)
    sampler.sample()
    clock.now += 60
    sampler.sample()
    [series] = sampler.series()
    assert series.per_minute == (None, 20.0) and series.current_lag == 3


def test_the_window_keeps_an_hour_of_samples() -> None:
    clock = Clock()
    sampler = StageSampler(lambda: {"extract": Point(0, 0)}, every=60, clock=clock)
    for _ in range(100):
        sampler.sample()
        clock.now += 60
    [series] = sampler.series()
    assert len(series.times) == 61


def test_lag_of_each_group_read_from_the_bus_without_joining(
    bus: EmbeddedBus, index: EmbeddedIndex, make_settings: Callable[..., Settings]
) -> None:
    produce(bus, *(make_article(i) for i in range(5)))
    lag = BusLag(lambda: bus)
    try:
        assert lag()["extract"] == Point(None, 5)
        runner = build_runner("extract", make_settings(), bus, index)
        runner.drain()
        runner.close()
        now = lag()
        assert now["extract"] == Point(None, 0)
        assert now["index"] == Point(None, 5) and now["alert"] == Point(None, 5)
    finally:
        lag.close()
