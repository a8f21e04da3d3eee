"""Every stage in one process: the embedded deployment of `monitor run` and `monitor demo`."""

from __future__ import annotations

from loguru import logger

from monitor.bus.base import Bus
from monitor.index.base import Index
from monitor.settings import Settings
from pipelines.poll import build_poller
from pipelines.runner import BatchHook, Runner
from pipelines.stages import CONSUMER_STAGES, build_runner


class Pipeline:
    """Starts the poller and every consumer stage in threads; stop() then close()."""

    def __init__(
        self,
        settings: Settings,
        bus: Bus,
        index: Index,
        *,
        poll: bool = True,
        stages: tuple[str, ...] = CONSUMER_STAGES,
        on_batch: dict[str, BatchHook] | None = None,
    ) -> None:
        hooks = on_batch or {}
        self.runners: list[Runner] = [
            build_runner(name, settings, bus, index, on_batch=hooks.get(name)) for name in stages
        ]
        self.poller = build_poller(settings, bus.producer()) if poll else None

    def start(self) -> None:
        for runner in self.runners:
            runner.start()
        if self.poller is not None:
            self.poller.start()
        logger.info(
            "pipeline started: {}{}",
            ", ".join(r.stage.name for r in self.runners),
            " and the poller" if self.poller is not None else "",
        )

    def stop(self) -> None:
        if self.poller is not None:
            self.poller.stop()
        for runner in self.runners:
            runner.stop()

    def close(self, timeout: float = 10.0) -> None:
        if self.poller is not None:
            self.poller.close()
        for runner in self.runners:
            runner.join(timeout)
