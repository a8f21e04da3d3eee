"""What a search selects, read from what a reader typed: the search page's query string, the
API's parameters or the command line. Every entry point validates here, so the limits and the
words of every refusal are the same wherever a search is made; only the parameter names differ
(`date_from` on the web, `--from` in the terminal).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from pydantic import ValidationError

from monitor.index.base import CHINESE_POLICE, FACETS, SearchRequest
from monitor.index.query import parse

MAX_QUERY = 1000
PAGES = (1, 1000)
SIZES = (0, 100)
SORTS = ("relevance", "date")
#: Results a search may page through (Elasticsearch's default window; both backends keep it).
WINDOW = 10_000
#: Years a date filter may name; outside them a date is a typo, and UTC arithmetic overflows.
YEARS = (1900, 2200)


class BadInput(ValueError):
    """A parameter a reader got wrong; the text says which and how to fix it."""


@dataclass(frozen=True, slots=True)
class Names:
    """What an entry point calls each parameter, so a message names what the reader typed."""

    date_from: str = "date_from"
    date_to: str = "date_to"
    sort: str = "sort"
    page: str = "page"
    size: str = "size"


WEB = Names()
CLI = Names(date_from="--from", date_to="--to", sort="--sort", page="--page", size="--size")


@dataclass(frozen=True, slots=True)
class Selection:
    """A checked query (it parses) with its filters and dates: what search and figures share."""

    query: str
    filters: dict[str, tuple[str, ...]]
    date_from: datetime | None
    date_to: datetime | None


def check_query(q: str) -> str:
    """`q` when it is short enough and parses; `QuerySyntaxError` says what is wrong and where."""
    if len(q) > MAX_QUERY:
        raise BadInput(f"the query is {len(q):,} characters long; the most is {MAX_QUERY:,}")
    parse(q)
    return q


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


def whole_number(value: str | int | None, name: str, default: int, bounds: tuple[int, int]) -> int:
    """An integer from wherever a reader may have typed anything."""
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadInput(f"{name} must be a whole number, not {value!r}") from None
    low, high = bounds
    if not low <= number <= high:
        raise BadInput(f"{name} must be between {low} and {high}, not {number}")
    return number


def filters_from(values: Mapping[str, Sequence[str] | None]) -> dict[str, tuple[str, ...]]:
    chosen = {
        f: tuple(dict.fromkeys(v for v in values.get(f) or () if v))
        for f in FACETS
        if any(values.get(f) or ())
    }
    if "chinese_police" in chosen:
        flags = tuple(dict.fromkeys(v.strip().lower() for v in chosen["chinese_police"]))
        wrong = [v for v in flags if v not in CHINESE_POLICE]
        if wrong:
            raise BadInput(f"chinese_police must be true or false, not {wrong[0]!r}")
        chosen["chinese_police"] = flags
    return chosen


def select(
    q: str = "",
    filters: Mapping[str, Sequence[str] | None] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    names: Names = WEB,
) -> Selection:
    """The checked selection; `BadInput` or `QuerySyntaxError` for the first thing wrong."""
    check_query(q)
    start = parse_date(date_from, names.date_from)
    stop = parse_date(date_to, names.date_to, end=True)
    if start and stop and start > stop:
        raise BadInput(f"{names.date_from} ({date_from}) is after {names.date_to} ({date_to})")
    return Selection(q, filters_from(filters or {}), start, stop)


def search_request(
    q: str = "",
    filters: Mapping[str, Sequence[str] | None] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    sort: str | None = None,
    page: str | int | None = None,
    size: str | int | None = None,
    include_irrelevant: bool = False,
    *,
    default_size: int = 20,
    names: Names = WEB,
) -> SearchRequest:
    chosen = select(q, filters, date_from, date_to, names)
    order = sort or SORTS[0]
    if order not in SORTS:
        raise BadInput(f"{names.sort} must be 'relevance' or 'date', not {sort!r}")
    number = whole_number(page, names.page, 1, PAGES)
    per_page = whole_number(size, names.size, default_size, SIZES)
    if number * per_page > WINDOW:
        raise BadInput(
            f"{names.page} × {names.size} may not exceed {WINDOW:,}"
            f" ({number} × {per_page}): narrow the search instead"
        )
    try:
        return SearchRequest(
            query=chosen.query,
            filters=chosen.filters,
            date_from=chosen.date_from,
            date_to=chosen.date_to,
            sort=order,  # type: ignore[arg-type]
            page=number,
            size=per_page,
            include_irrelevant=include_irrelevant,
        )
    except ValidationError as exc:  # pragma: no cover - every field is checked above
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise BadInput(problems) from None
