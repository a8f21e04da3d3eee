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
DAY = 86400.0


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
    """How many items a day the source published, from the earliest publication on record to
    `now`; None when the record spans less than a day (a day's rate from an hour's items
    would be a guess) or holds no date."""
    times = sorted(t for t in pub_times if t <= now)
    if not times or now - times[0] < DAY:
        return None
    return len(times) / ((now - times[0]) / DAY)


def publication_rate(pub_times: tuple[float, ...], now: float) -> str:
    """How often the source publishes, in words a reader takes at face value: "12 a day",
    "2.5 a week", "fewer than 1 a month"; over less than a day, what was seen in it ("3 in the
    last 2 hours"); "" without a date to go by."""
    times = sorted(t for t in pub_times if t <= now)
    rate = items_per_day(pub_times, now)
    if rate is None:
        return f"{len(times)} in the last {duration(max(now - times[0], 60.0))}" if times else ""
    for per, size in (("day", 1), ("week", 7), ("month", 30)):
        n = rate * size
        if n >= 10:
            return f"{round(n)} a {per}"
        if n >= 1:
            return f"{n:.1f} a {per}".replace(".0 ", " ")
    return "fewer than 1 a month"


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
