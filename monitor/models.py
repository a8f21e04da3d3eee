"""The messages the stages exchange: articles, extractions and enriched articles.

Every message is a frozen pydantic model with an explicit JSON round trip
(`to_json` / `from_json`) and a `schema_version`, so a consumer can refuse what it
cannot read instead of misreading it.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

SCHEMA_VERSION = 1

M = TypeVar("M", bound=BaseModel)

Approx = Literal["exact", "more_than", "about", "less_than"]
FigureKind = Literal["cumulative", "period", "case"]
#: Who issues an announcement: the Ministry, a provincial department, a city or county bureau,
#: or the press (a source's declared level, and an article's issuing level: monitor.issuer)
Level = Literal["ministry", "province", "city", "press"]


class SchemaError(ValueError):
    """A message that does not match the schema; the text says which field and why."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def content_hash(title: str, summary: str, body: str) -> str:
    """A short digest of what a reader sees; a changed hash means re-index."""
    digest = hashlib.sha256("\x1f".join((title, summary, body)).encode("utf-8"))
    return digest.hexdigest()[:32]


def article_id(canonical_url: str | None, feed_id: str = "", guid: str = "") -> str:
    """The stable id: a hash of the canonical URL, else of feed id + GUID."""
    seed = canonical_url if canonical_url else f"{feed_id}\x00{guid}"
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:24]


class Article(_Frozen):
    """A raw announcement on `announcements.raw`."""

    schema_version: int = SCHEMA_VERSION
    id: str = Field(min_length=1, max_length=200)
    feed_id: str = ""
    source: str = ""
    url: str = ""
    guid: str = ""
    title: str = ""
    summary: str = ""
    body: str = ""
    lang: Literal["en", "zh"] = "en"
    published_at: datetime | None = None
    fetched_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    content_hash: str = ""

    _normalise_published = field_validator("published_at")(_utc)

    @field_validator("fetched_at")
    @classmethod
    def _normalise_fetched(cls, value: datetime) -> datetime:
        return _utc(value) or value

    @field_validator("schema_version")
    @classmethod
    def _readable(cls, value: int) -> int:
        if value > SCHEMA_VERSION:
            raise ValueError(
                f"schema version {value} is newer than this monitor reads ({SCHEMA_VERSION})"
            )
        return value

    @property
    def text(self) -> str:
        """The text extraction offsets point into: title, a blank line, the body."""
        return f"{self.title}\n\n{self.body or self.summary}"

    def with_hash(self) -> Article:
        return self.model_copy(
            update={"content_hash": content_hash(self.title, self.summary, self.body)}
        )

    def to_json(self) -> bytes:
        return self.model_dump_json().encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes | str) -> Article:
        return _parse(cls, data)


class CampaignMention(_Frozen):
    canonical: str
    mention: str
    start: int
    end: int
    known: bool = True


class Figure(_Frozen):
    value: float
    unit: str
    measure: str
    approx: Approx = "exact"
    quote: str
    start: int
    end: int
    region: str | None = None
    campaign: str | None = None
    # what the figure covers: a running total restated as the campaign goes ("so far", 累计,
    # 截至目前), the figures of one period (a year, a month, a campaign's phase), or one case
    kind: FigureKind = "period"


class Official(_Frozen):
    name: str
    title: str = ""


class Relevance(_Frozen):
    score: float = 0.0
    relevant: bool = True
    # false for an operation led by foreign police or an international body (INTERPOL,
    # Europol ...), even with Chinese police taking part: not a Chinese announcement
    about_chinese_police: bool = True


class Extraction(_Frozen):
    extractor_version: str
    campaigns: tuple[CampaignMention, ...] = ()
    figures: tuple[Figure, ...] = ()
    agencies: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    officials: tuple[Official, ...] = ()
    crime_types: tuple[str, ...] = ()
    relevance: Relevance = Relevance()


class EnrichedArticle(Article):
    """An article plus what the extractor found, on `announcements.enriched`."""

    extraction: Extraction
    #: The level its source declares in the sources file when it is indexed (none for a source
    #: that declares none, or an article from a file): `monitor.issuer` reads the article's
    #: issuing level from it and the bodies the extraction names
    source_level: Level | None = None

    @classmethod
    def of(cls, article: Article, extraction: Extraction) -> EnrichedArticle:
        return cls(**article.model_dump(exclude={"extraction"}), extraction=extraction)

    @classmethod
    def from_json(cls, data: bytes | str) -> EnrichedArticle:
        return _parse(cls, data)


def _parse(model: type[M], data: bytes | str) -> M:
    try:
        return model.model_validate_json(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'message'}: {err['msg']}"
            for err in exc.errors()[:5]
        )
        raise SchemaError(f"not a valid {model.__name__}: {problems}") from None
