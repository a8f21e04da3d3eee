"""Dates as Chinese and English sites write them, to aware UTC datetimes.

A date without a zone is local time of the source (Asia/Shanghai unless it says otherwise).
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

SHANGHAI = "Asia/Shanghai"

_CN = re.compile(
    r"(?:(?P<y>\d{4})\s*[年\-/.]\s*)?(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?:T|\s)?\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})\s*分?"
    r"(?:\s*[:：]\s*(?P<S>\d{1,2})\s*秒?)?)?"
)


def from_struct(value: time.struct_time | None) -> datetime | None:
    """feedparser's parsed dates are UTC struct_times."""
    if value is None:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def parse_date(
    text: str | None, tz: str = SHANGHAI, now: datetime | None = None
) -> datetime | None:
    """The first date found in `text`, in UTC; None when there is none.

    A month and day without a year is the most recent such day not after today.
    """
    if not text:
        return None
    text = text.strip()
    zone = ZoneInfo(tz)
    iso = _iso(text)
    if iso is not None:
        return (iso if iso.tzinfo else iso.replace(tzinfo=zone)).astimezone(UTC)
    try:
        rfc = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        rfc = None
    if rfc is not None:
        return (rfc if rfc.tzinfo else rfc.replace(tzinfo=zone)).astimezone(UTC)
    for m in _CN.finditer(text):
        parsed = _from_match(m, zone, now)
        if parsed is not None:
            return parsed
    return None


def _iso(text: str) -> datetime | None:
    if not re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", text):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _from_match(m: re.Match[str], zone: ZoneInfo, now: datetime | None) -> datetime | None:
    g = m.groupdict()
    if g["y"] is None and g["H"] is None and not re.search(r"[月日\-/]", m.group(0)):
        return None  # "3.5" in running text is a number, not a date
    today = (now or datetime.now(UTC)).astimezone(zone)
    try:
        value = datetime(
            int(g["y"]) if g["y"] else today.year,
            int(g["m"]),
            int(g["d"]),
            int(g["H"] or 0),
            int(g["M"] or 0),
            int(g["S"] or 0),
            tzinfo=zone,
        )
    except ValueError:
        return None
    if g["y"] is None and value > today + timedelta(days=1):
        value = value.replace(year=value.year - 1)
    if not 1990 <= value.year <= today.year + 1:
        return None
    return value.astimezone(UTC)
