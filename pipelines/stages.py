"""Builds a runner for a stage by name, wired to the bus and index the settings choose."""

from __future__ import annotations

from typing import Any

from monitor.bus.base import Bus
from monitor.extract import Extractor
from monitor.feeds.sources import load_feeds
from monitor.index.base import Index
from monitor.settings import Settings
from pipelines.extract import ExtractStage, KnownCampaigns
from pipelines.index import IndexStage
from pipelines.runner import BatchHook, RetryPolicy, Runner, Stage

# The poll stage is a source, not a consumer: see pipelines/poll.py.
CONSUMER_STAGES = ("extract", "index", "alert")


def build_stage(name: str, settings: Settings, index: Index) -> Stage[Any]:
    if name == "extract":
        known = KnownCampaigns(index.campaign_known)
        sources = load_feeds(settings.feeds).source
        drop = frozenset(s.id for s in sources if s.irrelevant == "drop")
        levels = {s.id: s.level for s in sources if s.level}
        extractor = Extractor(settings.campaigns, is_known=known)
        return ExtractStage(extractor, drop_irrelevant=drop, levels=levels)
    if name == "index":
        return IndexStage(index)
    if name == "alert":
        from pipelines.alert import build_alert_stage

        return build_alert_stage(settings)
    raise ValueError(f"unknown stage {name!r}; stages are poll, {', '.join(CONSUMER_STAGES)}")


def build_runner(
    name: str,
    settings: Settings,
    bus: Bus,
    index: Index,
    on_batch: BatchHook | None = None,
) -> Runner:
    stage = build_stage(name, settings, index)
    p = settings.pipeline
    return Runner(
        stage,
        bus.consumer(stage.topic, group=name),
        bus.producer(),
        batch_size=p.batch_size,
        batch_timeout=p.batch_timeout,
        max_message_bytes=p.max_message_bytes,
        retry=RetryPolicy(attempts=p.retries),
        on_batch=on_batch,
    )
