"""Digest times: the most recent and the next time a digest schedule fires."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from monitor.alerts.rules import Schedule


def last_fire(schedule: Schedule, now: datetime) -> datetime:
    """The latest time at or before `now` (aware) at which `schedule` fires, in its zone."""
    local = now.astimezone(schedule.zone)
    if schedule.every == "hour":
        candidate = local.replace(minute=int(schedule.at[1:]), second=0, microsecond=0)
        return candidate if candidate <= local else candidate - timedelta(hours=1)
    at = time.fromisoformat(schedule.at)
    candidate = datetime.combine(local.date(), at, tzinfo=schedule.zone)
    if candidate > local:
        candidate = datetime.combine(local.date() - timedelta(days=1), at, tzinfo=schedule.zone)
    return candidate


def next_fire(schedule: Schedule, now: datetime) -> datetime:
    """The first time strictly after `now` at which `schedule` fires."""
    step = timedelta(hours=1) if schedule.every == "hour" else timedelta(days=1)
    last = last_fire(schedule, now)
    if schedule.every == "hour":
        return last + step
    at = time.fromisoformat(schedule.at)
    return datetime.combine(last.date() + step, at, tzinfo=schedule.zone)
