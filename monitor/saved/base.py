"""Saved searches: what a reader saved (the search page's query string under a name, and
optionally an email for it) and the interface of the store that keeps them.

Contract, whichever backend is behind it (SQLite in the data folder; Elasticsearch in the
distributed deployment):

* `create` gives the search a new id; `update` replaces everything but the id and the
  creation time and returns None for an unknown id; `delete` is False for an unknown id.
* `revision()` changes whenever anything was created, changed or deleted, by this process or
  any other sharing the store, and is cheap: the alert stage asks it once per batch and reads
  the list again only when it changed.
* Failures to reach the store raise `TransientError`.
* A stored search that no longer validates (saved by another version of the monitor, or
  with a query a later parser refuses) is left out of `list()` and `get()`, logged once by
  id, and counted in `listing().unreadable`, so it can still be deleted or saved over.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Protocol
from urllib.parse import urlencode

from loguru import logger
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from monitor.alerts.rules import SavedSearchRule, Schedule, check_address
from monitor.errors import QuerySyntaxError
from monitor.index.base import FILTERS
from monitor.index.selection import SORTS, BadInput, select
from monitor.presets import PERIODS, Preset, check_preset, choose
from monitor.source_names import chosen_levels

MAX_NAME = 100
MAX_ADDRESS = 254
#: Values one filter may hold in a saved search (the page builds them one click at a time).
MAX_VALUES = 50
_ID = re.compile(r"[a-f0-9]{32}")


def valid_id(value: str) -> bool:
    return bool(_ID.fullmatch(value))


class EmailAlert(BaseModel):
    """Email the matches of a saved search to `to`: each at once, or once a day at `at`
    (HH:MM) in `timezone`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    to: str
    delivery: Literal["immediate", "daily"] = "immediate"
    at: str = "08:00"
    timezone: str = "UTC"

    @field_validator("to")
    @classmethod
    def _to(cls, value: str) -> str:
        value = value.strip()
        if len(value) > MAX_ADDRESS:
            raise ValueError(f"the address is longer than {MAX_ADDRESS} characters")
        return check_address(value)

    @model_validator(mode="after")
    def _schedule(self) -> EmailAlert:
        # checked (and written back in its usual form) by the digest schedule itself
        schedule = Schedule(every="day", at=self.at, timezone=self.timezone)
        object.__setattr__(self, "at", schedule.at)
        return self

    @property
    def schedule(self) -> Schedule | None:
        if self.delivery != "daily":
            return None
        return Schedule(every="day", at=self.at, timezone=self.timezone)


class SavedSearchDraft(BaseModel):
    """What a reader sends to save a search: a name, the search page's query string
    parameters (`q`, the filters, `date_from` and `date_to` or a `preset`, `sort`) and an
    optional email. The search is checked as the search page checks it. A preset (the last
    7 days ...) is kept as such: the dates it stands for move on with the clock."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    q: str = ""
    filters: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    date_from: str | None = None
    date_to: str | None = None
    preset: Preset | None = None
    sort: Literal["relevance", "date"] = "relevance"
    email: EmailAlert | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = " ".join(value.split())
        if not 1 <= len(value) <= MAX_NAME:
            raise ValueError(f"the name must be 1 to {MAX_NAME} characters")
        if not value.isprintable():  # it shows on /saved, in JSON and in email subjects
            raise ValueError("the name holds a control character")
        return value

    @field_validator("date_from", "date_to")
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator("preset", mode="before")
    @classmethod
    def _preset(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip() or None
        if isinstance(value, str):
            try:
                check_preset(value)
            except BadInput as exc:
                raise ValueError(str(exc).removeprefix("preset ")) from None
        return value

    @field_validator("filters", mode="before")
    @classmethod
    def _filters(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        unknown = sorted(set(value) - set(FILTERS))
        if unknown:
            raise ValueError(f"unknown filter {unknown[0]!r}; filters are {', '.join(FILTERS)}")
        out: dict[str, list[str]] = {}
        for field, values in value.items():
            items = [values] if isinstance(values, str) else values
            if not isinstance(items, list | tuple) or not all(isinstance(v, str) for v in items):
                raise ValueError(f"filter {field!r} must be a list of words")
            if len(items) > MAX_VALUES:
                raise ValueError(f"filter {field!r} has more than {MAX_VALUES} values")
            kept = list(dict.fromkeys(v.strip() for v in items if v.strip()))
            if kept:
                out[field] = kept
        if "level" in out:
            out["level"] = list(chosen_levels(out["level"]))
        return out

    @model_validator(mode="after")
    def _search(self) -> SavedSearchDraft:
        facets = {k: v for k, v in self.filters.items() if k != "level"}
        if self.preset and (self.date_from or self.date_to):
            raise ValueError("give either a preset or dates, not both")
        try:
            chosen = select(self.q, facets, self.date_from, self.date_to)
        except (BadInput, QuerySyntaxError) as exc:
            raise ValueError(str(exc)) from None
        checked = dict(chosen.filters)
        if "level" in self.filters:
            checked["level"] = self.filters["level"]
        object.__setattr__(self, "filters", checked)
        return self

    def pairs(self) -> list[tuple[str, str]]:
        """The search page's query string parameters of this search, in a stable order."""
        pairs = [("q", self.q)] if self.q else []
        for field in FILTERS:
            pairs += [(field, v) for v in self.filters.get(field, ())]
        dates = (("date_from", self.date_from), ("date_to", self.date_to))
        pairs += [(k, v) for k, v in dates if v]
        if self.preset:
            pairs.append(("preset", self.preset))
        if self.sort != SORTS[0]:
            pairs.append(("sort", self.sort))
        return pairs

    @property
    def period(self) -> str | None:
        """The preset's span in words ("last 7 days"), if the search has one."""
        return PERIODS[self.preset] if self.preset else None

    @property
    def url(self) -> str:
        """The search page showing this search."""
        pairs = self.pairs()
        return "/?" + urlencode(pairs) if pairs else "/"


class SavedSearch(SavedSearchDraft):
    id: Annotated[str, Field(pattern=_ID.pattern)]
    created_at: float
    updated_at: float

    @property
    def rule_name(self) -> str:
        return SavedSearchRule.name_of(self.id)

    def rule(self) -> SavedSearchRule | None:
        """The alert rule of this search when its email is on: matched and delivered through
        the same ledger as the rules of config/alerts.toml."""
        if self.email is None:
            return None
        dates = select("", None, self.date_from, self.date_to)
        return SavedSearchRule(
            kind="query",
            name=self.rule_name,
            title=self.name,
            to=(self.email.to,),
            delivery="immediate" if self.email.delivery == "immediate" else "digest",
            schedule=self.email.schedule,
            query=self.q,
            filters={k: v for k, v in self.filters.items() if k != "level"},
            levels=self.filters.get("level", ()),
            date_from=dates.date_from,
            date_to=dates.date_to,
            preset=self.preset,
        )

    def public(self) -> dict[str, Any]:
        """The JSON the API answers with."""
        return {**self.model_dump(mode="json"), "url": self.url}


def draft_from_pairs(
    name: str,
    pairs: Sequence[tuple[str, str]],
    now: datetime | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A draft's fields from the search page's query string (`q=...&campaign=...`); parameters
    that are not part of a search (page, size) are left out. A preset with the dates it
    showed at `now` (the page's form sends both) is the preset; with other dates, the dates."""
    filters: dict[str, list[str]] = {}
    fields: dict[str, Any] = {"name": name}
    for key, value in pairs:
        if key in FILTERS:
            filters.setdefault(key, []).append(value)
        elif key in ("q", "date_from", "date_to", "preset") or (key == "sort" and value):
            fields[key] = value
    if fields.get("preset"):
        try:
            chosen = choose(
                fields["preset"],
                fields.get("date_from"),
                fields.get("date_to"),
                now or datetime.now(UTC),
            )
        except BadInput:
            pass  # the draft says what is wrong with it
        else:
            if chosen.preset is None:
                del fields["preset"]
            else:
                fields.pop("date_from", None)
                fields.pop("date_to", None)
    return {**fields, "filters": filters, **extra}


@dataclass(frozen=True, slots=True)
class Listing:
    """The saved searches that can be read, oldest first, and the ids of those that cannot."""

    searches: list[SavedSearch]
    unreadable: list[str]


class Reader:
    """Stored documents as saved searches; one that does not validate is left out and logged
    once per id (the alert stage and the page read the list often)."""

    def __init__(self, where: str) -> None:
        self.where = where
        self._told: set[str] = set()
        self._lock = threading.Lock()

    def read(self, search_id: str, doc: str | dict[str, Any]) -> SavedSearch | None:
        try:
            if isinstance(doc, str):
                return SavedSearch.model_validate_json(doc)
            return SavedSearch.model_validate(doc)
        except ValidationError as exc:
            with self._lock:
                first = search_id not in self._told
                self._told.add(search_id)
            if first:
                logger.warning(
                    "saved search {} in {} cannot be read and is left out ({});"
                    " delete it or save it again",
                    search_id,
                    self.where,
                    problem(exc),
                )
            return None

    def listing(self, rows: Iterable[tuple[str, str | dict[str, Any]]]) -> Listing:
        searches: list[SavedSearch] = []
        unreadable: list[str] = []
        for search_id, doc in rows:
            saved = self.read(search_id, doc)
            if saved is None:
                unreadable.append(search_id)
            else:
                searches.append(saved)
        return Listing(searches, unreadable)


class SavedSearches(Protocol):
    def list(self) -> list[SavedSearch]:
        """Every saved search that can be read, oldest first."""

    def listing(self) -> Listing:
        """The same, with the ids of the stored searches that cannot be read."""

    def get(self, search_id: str) -> SavedSearch | None: ...

    def create(self, draft: SavedSearchDraft, now: float) -> SavedSearch: ...

    def update(self, search_id: str, draft: SavedSearchDraft, now: float) -> SavedSearch | None: ...

    def delete(self, search_id: str) -> bool: ...

    def revision(self) -> str:
        """A value that changes whenever the store's content does (see the module's contract)."""

    def close(self) -> None: ...


def problem(exc: ValidationError) -> str:
    """The first thing wrong with a draft, in one plain line ("email.to: ...")."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    if err["type"] == "extra_forbidden":
        message = "unknown field"
    elif err["type"] == "missing":
        message = "is missing"
    else:
        message = str(err["msg"]).removeprefix("Value error, ")
    message = " ".join(message.split())
    return f"{where}: {message}" if where else message
