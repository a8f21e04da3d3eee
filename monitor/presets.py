"""The date presets of searches (the last 24 hours, 7 days, 30 days, this year), on the search
page, in saved searches and their alerts: a preset is a name in the address, turned into a date
filter on the server, in UTC, when the page is asked for, so a bookmarked "last 7 days" keeps
meaning the last seven days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from monitor.index.selection import BadInput

Preset = Literal["24h", "7d", "30d", "year"]
#: Each preset's value in the address and its words on the page, in the order they are shown.
PRESETS = {"24h": "last 24 hours", "7d": "7 days", "30d": "30 days", "year": "this year"}
#: Each preset as a span of time in a sentence ("saved: fraud, last 7 days").
PERIODS = {"24h": "last 24 hours", "7d": "last 7 days", "30d": "last 30 days", "year": "this year"}


@dataclass(frozen=True, slots=True)
class Dates:
    """The dates a search filters by ('' for no bound) and the preset they came from, if any."""

    preset: str | None
    date_from: str
    date_to: str

    @property
    def custom(self) -> bool:
        return self.preset is None and bool(self.date_from or self.date_to)


def check_preset(name: str) -> str:
    """`name` when it is a preset; else `BadInput` saying which there are."""
    if name not in PRESETS:
        shown = name if len(name) <= 40 else name[:40] + "…"
        raise BadInput(f"preset must be one of {', '.join(PRESETS)}, not {shown!r}")
    return name


def preset_since(name: str, now: datetime) -> datetime:
    """The moment preset `name` begins at `now` (UTC), as `preset_start` gives it."""
    start = preset_start(name, now)
    if len(start) == 10:
        return datetime.fromisoformat(start).replace(tzinfo=UTC)
    return datetime.strptime(start, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def preset_start(name: str, now: datetime) -> str:
    """Where preset `name` begins at `now` (UTC): a moment for the last 24 hours, else a day;
    "7 days" is today and the six days before it."""
    today = now.date()
    if name == "24h":
        return (now - timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M:%SZ")
    if name == "7d":
        return (today - timedelta(days=6)).isoformat()
    if name == "30d":
        return (today - timedelta(days=29)).isoformat()
    return date(today.year, 1, 1).isoformat()


def choose(preset: str | None, date_from: str | None, date_to: str | None, now: datetime) -> Dates:
    """The dates to search: the preset's, unless the reader set other dates beside it (the form
    sends the preset back with the dates it showed; dates changed there are custom dates).
    An unknown preset is `BadInput`."""
    given_from, given_to = (date_from or "").strip(), (date_to or "").strip()
    if not preset:
        return Dates(None, given_from, given_to)
    check_preset(preset)
    start = preset_start(preset, now)
    if (given_from or given_to) and (given_from[:10], given_to) != (start[:10], ""):
        return Dates(None, given_from, given_to)
    return Dates(preset, start, "")
