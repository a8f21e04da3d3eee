"""The health of one source, from its recorded poll state: ok, failing (for longer than allowed),
silent (quiet for longer than its usual rhythm allows) or not polled yet. Pure functions."""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass
from typing import Literal

from monitor.feeds.state import SourceState
from monitor.settings import FeedHealthConfig

Status = Literal["ok", "failing", "silent", "waiting", "disabled"]


DEFAULT_HEALTH = FeedHealthConfig()


@dataclass(frozen=True, slots=True)
class Health:
    status: Status
    detail: str  # in plain words, for the page and the email
    since: float | None = None


def usual_gap(pub_times: tuple[float, ...]) -> float | None:
    """The median gap between the source's recent publications; None with fewer than three."""
    times = sorted(pub_times)
    gaps = [b - a for a, b in itertools.pairwise(times) if b > a]
    return statistics.median(gaps) if len(times) >= 3 and gaps else None


def items_per_day(pub_times: tuple[float, ...], now: float) -> float | None:
    """How many items a day the source published over the publications on record."""
    times = sorted(t for t in pub_times if t <= now)
    if len(times) < 2:
        return None
    span = max(now - times[0], 3600.0)
    return len(times) / (span / 86400)


def evaluate(
    state: SourceState | None,
    config: FeedHealthConfig,
    now: float,
    *,
    failing_since: float | None = None,
    enabled: bool = True,
) -> Health:
    """Health of a source with `state` (None: never polled). `failing_since` is when the
    current run of failures was first seen; without it the last success (or first attempt)
    stands in."""
    if not enabled:
        return Health("disabled", "switched off in the sources file")
    if state is None or state.last_attempt is None:
        return Health("waiting", "not polled yet")
    if state.failures:
        since = failing_since or state.last_success or state.last_attempt
        error = state.last_error or "the last poll failed"
        if now - since >= config.failing_after:
            return Health(
                "failing",
                f"failing for {duration(now - since)} ({state.failures} polls in a row): {error}",
                since,
            )
        return Health("ok", f"last poll failed, retrying: {error}", since)
    gap = usual_gap(state.pub_times)
    if gap is not None:
        # Quiet since a poll last found something new: a feed of years-old items polled fine
        # today is not silent. The dates give the rhythm; they give the last news only when
        # the monitor has seen none (or a date is later than what it saw).
        news = max(state.last_new or 0.0, max(state.pub_times))
        quiet = now - news
        allowed = max(config.silent_min, config.silent_factor * gap)
        if quiet > allowed:
            return Health(
                "silent",
                f"nothing new for {duration(quiet)}; it usually publishes every {duration(gap)}",
                news,
            )
    return Health("ok", "polled fine")


def duration(seconds: float) -> str:
    """3 days, 5 hours, 12 minutes, 40 seconds: the largest unit that fits, rounded."""
    seconds = max(0.0, seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = round(seconds / size)
            return f"{n} {unit}{'' if n == 1 else 's'}"
    n = round(seconds)
    return f"{n} second{'' if n == 1 else 's'}"
