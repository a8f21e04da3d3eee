"""The sources file (`config/feeds.toml`): poller limits and the list of sources, validated at load.

A wrong file raises `ConfigError` naming the file, the source and the field.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from monitor.errors import ConfigError
from monitor.models import Level as Level

USER_AGENT = "announcement-monitor/0.1 (+https://github.com/announcement-monitor; feed poller)"

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PollerLimits(_Strict):
    """The `[poller]` table: limits shared by every source."""

    user_agent: str = USER_AGENT
    max_concurrent: int = Field(default=8, ge=1, le=256)
    per_host: int = Field(default=2, ge=1, le=64)
    timeout: float = Field(default=20.0, gt=0, le=300)
    max_bytes: int = Field(default=5_000_000, ge=1024)
    max_redirects: int = Field(default=5, ge=0, le=20)
    min_interval: float = Field(default=60.0, gt=0)
    max_interval: float = Field(default=3600.0, gt=0)
    backoff_ceiling: float = Field(default=6 * 3600.0, gt=0)
    jitter: float = Field(default=0.1, ge=0, le=0.5)
    fulltext_concurrency: int = Field(default=4, ge=1, le=64)
    fulltext_timeout: float = Field(default=15.0, gt=0, le=300)
    # the browser of `render = "browser"` sources: empty path = chromium found on PATH
    browser_path: str = ""
    browser_concurrency: int = Field(default=2, ge=1, le=16)  # pages loading at once
    browser_timeout: float = Field(default=30.0, gt=0, le=300)  # one page, challenge included
    browser_memory_mb: int = Field(default=1024, ge=128, le=65536)  # restarted when past it


class Selectors(_Strict):
    """CSS selectors for an `html` source: `item` finds each entry, the rest look inside it."""

    item: str
    link: str = "a"
    title: str = ""  # empty: the link's text
    date: str = ""  # empty: look for a date in the item's text

    @field_validator("item", "link", "title", "date")
    @classmethod
    def _css(cls, value: str) -> str:
        import soupsieve

        if value:
            try:
                soupsieve.compile(value)
            except soupsieve.SelectorSyntaxError as exc:
                raise ValueError(
                    f"{value!r} is not a valid CSS selector: {str(exc).splitlines()[0]}"
                ) from None
        return value


class Source(_Strict):
    id: str
    name: str
    url: str
    kind: Literal["feed", "html"] = "feed"
    lang: Literal["en", "zh", "auto"] = "auto"
    interval: float = Field(default=300.0, gt=0, le=7 * 86400)
    min_interval: float | None = Field(default=None, gt=0)
    max_interval: float | None = Field(default=None, gt=0)
    fulltext: Literal["auto", "always", "never"] = "auto"
    timezone: str = "Asia/Shanghai"
    selectors: Selectors | None = None
    enabled: bool = True
    # items the extractor judges not to be enforcement news (sport, weather): "hide" indexes
    # them hidden from searches, alerts and campaigns by default; "drop" does not index them
    irrelevant: Literal["hide", "drop"] = "hide"
    # entry links (full text) and redirects may lead to loopback, private or link-local
    # addresses; without it only to the address the feed itself was fetched from
    allow_private: bool = False
    # "browser": the list and article pages are loaded in headless Chromium, which runs the
    # site's script challenge; "http" (the default) fetches them with the plain client
    render: Literal["http", "browser"] = "http"
    # who issues what the source publishes: the Ministry, a provincial department, a city or
    # county bureau, or the press (a facet and filter in search); undeclared: unknown
    level: Level | None = None
    note: str = ""  # free text: where the source was checked, what could not be

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("use lower-case letters, digits, '.', '_' or '-' (at most 80)")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http(s) URL with a host")
        return value

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @model_validator(mode="after")
    def _html_needs_selectors(self) -> Source:
        if self.kind == "html" and self.selectors is None:
            raise ValueError("an html source needs [source.selectors] with at least `item`")
        if self.render == "browser" and self.kind != "html":
            raise ValueError(
                'render = "browser" is for html sources (a list page and its article pages); '
                "a feed is read by the plain client"
            )
        return self

    def bounds(self, limits: PollerLimits) -> tuple[float, float]:
        """The range the adaptive interval moves in.

        A source never polls faster than its configured interval allows nor more than
        twelve times slower, so a quiet feed still gets looked at.
        """
        low = self.min_interval or min(self.interval, limits.min_interval)
        high = self.max_interval or min(max(self.interval, limits.max_interval), 12 * self.interval)
        return low, max(low, high)


class FeedsFile(_Strict):
    poller: PollerLimits = PollerLimits()
    source: tuple[Source, ...] = ()


def load_feeds(path: Path | str) -> FeedsFile:
    """Read and validate the sources file; a missing file is an empty list of sources."""
    path = Path(path)
    if not path.is_file():
        return FeedsFile()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from None
    return parse_feeds(data, path)


def parse_feeds(data: dict[str, Any], path: Path | str = "feeds.toml") -> FeedsFile:
    try:
        feeds = FeedsFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, data, path)) from None
    seen: set[str] = set()
    for source in feeds.source:
        if source.id in seen:
            raise ConfigError(f"{path}: source {source.id!r} appears twice (field id)")
        seen.add(source.id)
    return feeds


def _describe(exc: ValidationError, data: dict[str, Any], path: Path | str) -> str:
    lines = []
    for err in exc.errors()[:10]:
        loc = list(err["loc"])
        where = "[poller]"
        if loc and loc[0] == "source" and len(loc) > 1 and isinstance(loc[1], int):
            raw = data.get("source", [])
            entry = raw[loc[1]] if loc[1] < len(raw) and isinstance(raw[loc[1]], dict) else {}
            where = f"source {entry.get('id') or '#' + str(loc[1] + 1)!r}"
            loc = loc[2:]
        elif loc and loc[0] != "poller":
            where = "top level"
        else:
            loc = loc[1:]
        field = ".".join(str(p) for p in loc) or "(entry)"
        msg = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
        lines.append(f"{path}: {where}, field {field}: {msg}")
    return "invalid feeds file:\n  " + "\n  ".join(lines)


def render_source(source: Source) -> str:
    """One `[[source]]` table as TOML text, for appending to the file without losing comments."""

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return f"{v:g}" if isinstance(v, float) else str(v)
        text = str(v).replace("\\", "\\\\").replace('"', '\\"')
        return f'"{text}"'

    lines = ["", "[[source]]"]
    dumped = source.model_dump(exclude_defaults=True, exclude={"selectors"})
    for key in ("id", "name", "kind", "url", "lang", "interval", "fulltext"):
        val = getattr(source, key)
        lines.append(f"{key} = {value(val)}")
        dumped.pop(key, None)
    lines += [f"{k} = {value(v)}" for k, v in dumped.items() if v is not None]
    if source.selectors:
        lines.append("[source.selectors]")
        sel = source.selectors.model_dump(exclude_defaults=True)
        lines += [f"{k} = {value(v)}" for k, v in sel.items()]
    return "\n".join(lines) + "\n"
