"""Query parameters turned into a `SearchRequest`, with a message for whatever is wrong; shared by
the API (which answers 400) and the pages (which show the message above the form)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta

from pydantic import ValidationError

from monitor.index.base import FACETS, SearchRequest

MAX_QUERY = 1000
#: Years a date filter may name; outside them a date is a typo, and UTC arithmetic overflows.
YEARS = (1900, 2200)


class BadInput(ValueError):
    """A parameter a reader got wrong; the text says which and how to fix it."""


def parse_date(value: str | None, name: str, *, end: bool = False) -> datetime | None:
    """`2021-03-01` or an ISO 8601 time; a bare date as an upper bound means its whole day."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            d = date.fromisoformat(text)
            moment = datetime.combine(d, time.min, UTC)
            if end:
                moment += timedelta(days=1, microseconds=-1)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
    except ValueError:
        raise BadInput(
            f"{name} must be a date like 2021-03-01 or a time like 2021-03-01T08:00:00Z,"
            f" not {value!r}"
        ) from None
    if not YEARS[0] <= moment.year <= YEARS[1]:
        raise BadInput(f"{name} must be between {YEARS[0]} and {YEARS[1]}, not {value!r}")
    return moment.astimezone(UTC)


def filters_from(values: Mapping[str, Sequence[str] | None]) -> dict[str, tuple[str, ...]]:
    return {
        f: tuple(dict.fromkeys(v for v in values.get(f) or () if v))
        for f in FACETS
        if any(values.get(f) or ())
    }


def search_request(
    q: str = "",
    filters: Mapping[str, Sequence[str] | None] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    sort: str = "relevance",
    page: int = 1,
    size: int = 20,
    include_irrelevant: bool = False,
) -> SearchRequest:
    if len(q) > MAX_QUERY:
        raise BadInput(f"the query is {len(q)} characters long; the most is {MAX_QUERY}")
    if sort not in ("relevance", "date"):
        raise BadInput(f"sort must be 'relevance' or 'date', not {sort!r}")
    start = parse_date(date_from, "date_from")
    stop = parse_date(date_to, "date_to", end=True)
    if start and stop and start > stop:
        raise BadInput(f"date_from ({date_from}) is after date_to ({date_to})")
    try:
        return SearchRequest(
            query=q,
            filters=filters_from(filters or {}),
            date_from=start,
            date_to=stop,
            sort=sort,  # type: ignore[arg-type]
            page=page,
            size=size,
            include_irrelevant=include_irrelevant,
        )
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise BadInput(problems) from None


def int_param(value: str | None, name: str, default: int, low: int, high: int) -> int:
    """An integer from a page's query string, where a reader may have typed anything."""
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadInput(f"{name} must be a whole number, not {value!r}") from None
    if not low <= number <= high:
        raise BadInput(f"{name} must be between {low} and {high}, not {number}")
    return number
