"""When to poll a source next: adaptive to how often it publishes, with floors, back-off and jitter.

Pure functions of the source, its recorded state and the last poll's outcome, so the
policy is tested without clocks or servers.
"""

from __future__ import annotations

import itertools
import random
import statistics
from collections.abc import Sequence

from monitor.feeds.sources import PollerLimits, Source

KEEP_PUB_TIMES = 20
_FLOOR_CAP = 24 * 3600.0  # a publisher asking for more than a day is not obeyed beyond it


def remember_publications(
    previous: Sequence[float], new: Sequence[float], now: float
) -> tuple[float, ...]:
    """The most recent publication times, including the ones just seen (none in the future)."""
    merged = sorted({t for t in (*previous, *new) if t <= now + 60})
    return tuple(merged[-KEEP_PUB_TIMES:])


def adaptive_interval(
    source: Source, limits: PollerLimits, pub_times: Sequence[float], now: float
) -> float:
    """Poll about twice per typical gap between publications, within the source's bounds.

    With fewer than three publications on record the configured interval stands; a
    source that has gone quiet for much longer than its usual gap is polled less.
    """
    low, high = source.bounds(limits)
    times = sorted(pub_times)
    if len(times) < 3:
        return min(max(source.interval, low), high)
    gaps = [b - a for a, b in itertools.pairwise(times) if b > a]
    if not gaps:
        return min(max(source.interval, low), high)
    wanted = statistics.median(gaps) / 2
    quiet = now - times[-1]
    wanted = max(wanted, quiet / 8)
    return min(max(wanted, low), high)


def success_delay(
    source: Source,
    limits: PollerLimits,
    pub_times: Sequence[float],
    now: float,
    floors: Sequence[float | None] = (),
) -> float:
    """Seconds until the next poll after a successful one.

    `floors` are the server's and publisher's wishes (Cache-Control max-age, RSS <ttl>,
    sy:updatePeriod, Retry-After): the delay is never shorter than any of them.
    """
    delay = adaptive_interval(source, limits, pub_times, now)
    floor = max((f for f in floors if f), default=0.0)
    return max(delay, min(floor, _FLOOR_CAP))


def failure_delay(
    source: Source,
    limits: PollerLimits,
    failures: int,
    *,
    retry_after: float | None = None,
    gone: bool = False,
) -> float:
    """Seconds until the next try after `failures` consecutive failures.

    Doubling from the configured interval up to the ceiling; a gone feed (410) goes
    straight to the ceiling. Never infinite: a source is never dropped.
    """
    ceiling = max(limits.backoff_ceiling, source.interval)
    delay = ceiling if gone else min(source.interval * 2 ** max(0, failures - 1), ceiling)
    if retry_after:
        delay = max(delay, min(retry_after, _FLOOR_CAP))
    return delay


def jittered(delay: float, jitter: float, rng: random.Random | None = None) -> float:
    """Spread polls of sources with the same interval so they do not arrive together."""
    if jitter <= 0:
        return delay
    r = (rng or random).uniform(-jitter, jitter)
    return max(0.5, delay * (1 + r))
