"""Source health from its poll state: failing for too long, silent for longer than usual."""

from __future__ import annotations

from monitor.feeds.state import SourceState
from monitor.ops.health import (
    FeedHealthConfig,
    duration,
    evaluate,
    items_per_day,
    publication_rate,
)

DAY = 86400.0
NOW = 1_800_000_000.0
CONFIG = FeedHealthConfig(failing_after=3600, silent_factor=3, silent_min=12 * 3600)


def daily(last: float, n: int = 10) -> tuple[float, ...]:
    return tuple(last - i * DAY for i in reversed(range(n)))


def test_a_source_never_polled_is_waiting() -> None:
    assert evaluate(None, CONFIG, NOW).status == "waiting"


def test_a_short_failure_is_not_yet_reported_but_a_long_one_is() -> None:
    state = SourceState(
        "mps",
        last_attempt=NOW,
        last_success=NOW - 600,
        failures=2,
        last_error="the server did not answer within 20 s",
    )
    brief = evaluate(state, CONFIG, NOW, failing_since=NOW - 600)
    assert brief.status == "ok" and "retrying" in brief.detail
    long = evaluate(state, CONFIG, NOW, failing_since=NOW - 2 * 3600)
    assert long.status == "failing"
    assert long.detail == (
        "failing for 2 hours (2 polls in a row): the server did not answer within 20 s"
    )


def test_a_daily_ministry_page_silent_for_three_days_is_silent() -> None:
    state = SourceState("mps", last_attempt=NOW, last_success=NOW, pub_times=daily(NOW - 3.5 * DAY))
    health = evaluate(state, CONFIG, NOW)
    assert health.status == "silent"
    assert health.detail == "nothing new for 4 days; it usually publishes every 1 day"
    fresh = SourceState("mps", last_attempt=NOW, last_success=NOW, pub_times=daily(NOW - 2 * DAY))
    assert evaluate(fresh, CONFIG, NOW).status == "ok"


def test_a_busy_feed_is_not_silent_overnight() -> None:
    hourly = tuple(NOW - 8 * 3600 - i * 600 for i in range(20))
    state = SourceState("wire", last_attempt=NOW, last_success=NOW, pub_times=hourly)
    assert evaluate(state, CONFIG, NOW).status == "ok"  # quiet 8 h < silent_min of 12 h


def test_items_per_day_and_durations_read_plainly() -> None:
    assert items_per_day(daily(NOW), NOW) == 10 / 9
    assert publication_rate(daily(NOW), NOW) == "1.1 a day"
    # less than a day on record: what was seen in it, not a day's rate guessed from it
    assert items_per_day((NOW - 7200, NOW - 600), NOW) is None
    assert publication_rate((NOW - 7200, NOW - 600), NOW) == "2 in the last 2 hours"
    assert publication_rate((NOW,), NOW) == "1 in the last 1 minute"
    assert publication_rate((), NOW) == ""
    # a slow source reads as a week's or a month's count, never as 0.0 a day
    assert publication_rate((NOW - 20 * DAY, NOW - 6 * DAY, NOW), NOW) == "1.1 a week"
    assert publication_rate((NOW - 60 * DAY, NOW), NOW) == "1 a month"
    assert publication_rate((NOW - 900 * DAY,), NOW) == "fewer than 1 a month"
    assert publication_rate(tuple(NOW - i * 300 for i in range(20)), NOW) == (
        "20 in the last 2 hours"
    )
    assert publication_rate(tuple(NOW - 2 * DAY + i * 60 for i in range(20)), NOW) == "10 a day"
    assert duration(59) == "59 seconds"
    assert duration(3600) == "1 hour"
    assert duration(3 * DAY + 100) == "3 days"
