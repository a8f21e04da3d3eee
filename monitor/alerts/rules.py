"""Alert rules from `config/alerts.toml`: their model, validation at load, and recipients.

A rule that is wrong stops start-up with a `ConfigError` naming the file, the rule and
the field. The built-in `new_campaign` rule is on unless the file switches it off.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from datetime import datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from monitor.errors import ConfigError, QuerySyntaxError
from monitor.index.base import CHINESE_POLICE, FILTERS
from monitor.index.query import parse
from monitor.presets import PERIODS, Preset
from monitor.source_names import chosen_levels

DEFAULT_RULE = "new_campaign"

# A plain addr-spec and nothing else: no display name, no comma, no CR/LF, so an
# address can never smuggle a second recipient or a header into a message.
_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")


def check_address(value: str) -> str:
    """`value` if it is one plain e-mail address; ValueError otherwise."""
    if not isinstance(value, str) or not _ADDRESS.fullmatch(value):
        raise ValueError(f"{value!r} is not a plain e-mail address (name@domain)")
    return value


def split_addresses(text: str) -> list[str]:
    return [a.strip() for a in text.split(",") if a.strip()]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Schedule(_Model):
    """When a digest goes out: every hour at minute `at` (":15"), or every day at `at`
    ("08:00") in `timezone`."""

    every: Literal["hour", "day"] = "day"
    at: str = "08:00"
    timezone: str = "UTC"

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a time zone (e.g. Asia/Shanghai, UTC)") from None
        return value

    @field_validator("at")
    @classmethod
    def _at(cls, value: str, info: Any) -> str:
        every = info.data.get("every", "day")
        if every == "hour":
            minute = value.lstrip(":")
            if not minute.isdigit() or not 0 <= int(minute) < 60:
                raise ValueError(f'{value!r} is not a minute past the hour (":00" to ":59")')
            return f":{int(minute):02d}"
        try:
            parsed = clock_time.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a time of day (HH:MM)") from None
        return parsed.strftime("%H:%M")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def describe(self) -> str:
        if self.every == "hour":
            return f"hourly at {self.at}"
        return f"daily at {self.at} {self.timezone}"


class _Rule(_Model):
    name: Annotated[str, Field(pattern=_NAME.pattern)]
    title: str = ""
    enabled: bool = True
    to: tuple[str, ...] = ()
    delivery: Literal["immediate", "digest"] = "immediate"
    schedule: Schedule | None = None
    include_irrelevant: bool = False

    @field_validator("to", mode="before")
    @classmethod
    def _to(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = split_addresses(value)
        if isinstance(value, list | tuple):
            for item in value:
                check_address(item)
        return value

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: Schedule | None, info: Any) -> Schedule | None:
        if value is not None and info.data.get("delivery") == "immediate":
            raise ValueError('a schedule only applies to delivery = "digest"')
        return value

    @property
    def label(self) -> str:
        return self.title or self.name

    @property
    def digest_schedule(self) -> Schedule:
        return self.schedule or Schedule()

    def with_recipients(self, default: Sequence[str]) -> _Rule:
        return self if self.to else self.model_copy(update={"to": tuple(default)})


class NewCampaignRule(_Rule):
    """A campaign name the monitor has never seen before: one alert per campaign."""

    kind: Literal["new_campaign"]

    def describe(self) -> str:
        return "a campaign the monitor has never seen"


class QueryRule(_Rule):
    """A saved search: query text and the filters of the search API, the issuing `level`
    among them (the article's: `monitor.issuer`)."""

    kind: Literal["query"]
    query: str = ""
    filters: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @field_validator("query")
    @classmethod
    def _query(cls, value: str) -> str:
        try:
            parse(value)
        except QuerySyntaxError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("filters", mode="before")
    @classmethod
    def _filters(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        unknown = sorted(set(value) - set(FILTERS))
        if unknown:
            raise ValueError(f"unknown filter {unknown[0]!r}; filters are {', '.join(FILTERS)}")
        filters = {k: [v] if isinstance(v, str | bool) else v for k, v in value.items()}
        if isinstance(filters.get("level"), list | tuple):
            # the article's issuing level, as the search filters by it
            filters["level"] = list(chosen_levels([str(v) for v in filters["level"]]))
        if "chinese_police" in filters and isinstance(filters["chinese_police"], list | tuple):
            # written as TOML booleans or as the words the search API takes
            flags = [str(v).strip().lower() for v in filters["chinese_police"]]
            wrong = [v for v in flags if v not in CHINESE_POLICE]
            if wrong:
                raise ValueError(f"chinese_police must be true or false, not {wrong[0]!r}")
            filters["chinese_police"] = flags
        return filters

    def describe(self) -> str:
        parts = [f"“{self.query}”"] if self.query else []
        parts += [f"{k} is {' or '.join(v)}" for k, v in sorted(self.filters.items()) if v]
        return "search " + ", ".join(parts) if parts else "every article"


class SavedSearchRule(QueryRule):
    """The email of a search saved in the web app: a query rule whose name ("saved:<id>")
    no rule of config/alerts.toml can take, with the search's issuing levels (the article's,
    as the search filters by it: `monitor.issuer`) and dates (the article's publication time):
    fixed ones, or a preset's (the last 7 days ...) counted back from when the article is
    matched."""

    name: Annotated[str, Field(pattern=r"saved:[a-f0-9]{32}")]
    levels: tuple[str, ...] = ()
    date_from: datetime | None = None
    date_to: datetime | None = None
    preset: Preset | None = None

    @staticmethod
    def name_of(search_id: str) -> str:
        return f"saved:{search_id}"

    def describe(self) -> str:
        text = super().describe()
        if self.levels:
            text += f", issued at {' or '.join(self.levels)} level"
        if self.date_from or self.date_to:
            start = self.date_from.date().isoformat() if self.date_from else "…"
            stop = self.date_to.date().isoformat() if self.date_to else "…"
            text += f", published {start} to {stop}"
        if self.preset:
            period = PERIODS[self.preset]
            text += f", published {'in the ' if period.startswith('last') else ''}{period}"
        return text


class FigureRule(_Rule):
    """A reported figure at or above a threshold, optionally for one campaign."""

    kind: Literal["figure"]
    measure: Annotated[str, Field(min_length=1)]
    at_least: Annotated[float, Field(gt=0)]
    unit: str | None = None
    campaign: str | None = None

    def describe(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        scope = f" in {self.campaign}" if self.campaign else ""
        return f"{self.measure} of at least {self.at_least:,.0f}{unit}{scope}"


Rule = Annotated[NewCampaignRule | QueryRule | FigureRule, Field(discriminator="kind")]
_RULE = TypeAdapter(Rule)
AnyRule = NewCampaignRule | QueryRule | FigureRule


class Delivery(_Model):
    """How emails go out. `gather_seconds`: how long an immediate alert waits for
    syndicated copies from other sources before it is sent; a failed send is retried
    after `retry_initial` seconds, doubling up to `retry_max`, and never given up."""

    gather_seconds: Annotated[float, Field(ge=0, le=3600)] = 1.0
    retry_initial: Annotated[float, Field(gt=0, le=3600)] = 2.0
    retry_max: Annotated[float, Field(gt=0, le=86400)] = 300.0
    smtp_timeout: Annotated[float, Field(gt=0, le=600)] = 20.0


class AlertsConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: Path
    rules: tuple[AnyRule, ...]
    delivery: Delivery = Delivery()


def load_rules(path: Path | str, default_to: Sequence[str] = ()) -> list[AnyRule]:
    """Every rule in `path` (recipients filled from `default_to` where a rule names none),
    plus the built-in new-campaign rule unless the file configures or disables it.
    A missing file means the built-in rule only. Raises `ConfigError`."""
    return list(load_alerts(path, default_to).rules)


def load_alerts(path: Path | str, default_to: Sequence[str] = ()) -> AlertsConfig:
    """The rules (as `load_rules`) and the [delivery] table of `path`."""
    path = Path(path)
    delivery = Delivery()
    default = tuple(default_to)
    for address in default:
        try:
            check_address(address)
        except ValueError as exc:
            raise ConfigError(f"alerts.to (MONITOR_ALERTS__TO): {exc}") from None
    entries: list[Any] = []
    problems: list[str] = []
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}") from None
        extra = sorted(set(data) - {"rule", "delivery"})
        if extra:
            raise ConfigError(f"{path}: unknown section {extra[0]!r}; rules are [[rule]] tables")
        try:
            delivery = Delivery.model_validate(data.get("delivery", {}))
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"])
                message = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
                problems.append(f"[delivery]: field {field!r}: {message}")
        entries = data.get("rule", [])
        if not isinstance(entries, list):
            raise ConfigError(f"{path}: 'rule' must be a list of [[rule]] tables")
    rules: list[AnyRule] = []
    for i, entry in enumerate(entries, 1):
        rule, wrong = _validate(i, entry)
        problems += wrong
        if rule is not None:
            rules.append(rule.with_recipients(default))  # type: ignore[arg-type]
    names = [r.name for r in rules]
    for name in sorted({n for n in names if names.count(n) > 1}, key=names.index):
        problems.append(f"rule {name!r}: field 'name': used by more than one rule")
    if len(problems) == 1:
        raise ConfigError(f"{path}: {problems[0]}")
    if problems:
        raise ConfigError(f"{path}: {len(problems)} problems:\n  " + "\n  ".join(problems))
    if not any(isinstance(r, NewCampaignRule) for r in rules):
        rules.insert(
            0,
            NewCampaignRule(
                kind="new_campaign", name=DEFAULT_RULE, title="New campaigns", to=default
            ),
        )
    return AlertsConfig(path=path, rules=tuple(rules), delivery=delivery)


def list_rules(path: Path | str, default_to: Sequence[str] = ()) -> list[AnyRule]:
    """The rules as the web view shows them (same as `load_rules`)."""
    return load_rules(path, default_to)


def _validate(i: int, entry: Any) -> tuple[AnyRule | None, list[str]]:
    """The rule, or None and every problem of it ("rule 'x': field 'y': what is wrong")."""
    name = entry.get("name") if isinstance(entry, dict) else None
    who = f"rule {name!r}" if isinstance(name, str) and name else f"rule #{i}"
    if not isinstance(entry, dict):
        return None, [f"{who}: must be a table"]
    try:
        return _RULE.validate_python(entry), []
    except ValidationError as exc:
        return None, [f"{who}: {_problem(err)}" for err in exc.errors()]


def _problem(err: Any) -> str:
    loc = [str(p) for p in err["loc"]]
    if loc and loc[0] in ("new_campaign", "query", "figure"):
        loc = loc[1:]  # the discriminator tag pydantic puts first
    field = ".".join(loc) or "kind"
    if err["type"] == "union_tag_invalid" or err["type"] == "union_tag_not_found":
        field = "kind"
        message = "must be one of new_campaign, query, figure"
    elif err["type"] == "extra_forbidden":
        message = "unknown field"
    else:
        message = err["msg"].removeprefix("Value error, ")
    return f"field {field!r}: {message}"
