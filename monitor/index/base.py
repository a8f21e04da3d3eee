"""The index interface: upsert enriched articles by id, get, search, and the campaign registry.

Contract, whichever backend is behind it (SQLite FTS5 or Elasticsearch):

* `upsert_many` is idempotent: a document is keyed by the article id, so writing the
  same article twice leaves one document. It returns one outcome per document, in
  order: "created", "updated", "unchanged" (same content and extractor version), or
  a `Rejected` carrying why that one document can never be indexed. When the index
  cannot take the batch at all it raises `TransientError` and nothing is promised.
* `search` raises `QuerySyntaxError` for a query that does not parse; any other
  failure is a bug or `TransientError`.
* Snippets and highlighted titles are HTML-safe: text is escaped, matches are
  wrapped in `<mark>`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from monitor import issuer
from monitor.index.query import FIELDS
from monitor.models import EnrichedArticle, Figure

FACETS = (
    "campaign",
    "measure",
    "region",
    "agency",
    "source",
    "lang",
    "crime_type",
    "chinese_police",
)
#: What an index filters by and counts: the facets and the issuing level (`monitor.issuer`),
#: which requests choose and check apart from the other facets (`source_names.chosen_levels`)
FILTERS = (*FACETS, "level")
#: Values of the `chinese_police` facet: led by Chinese police, or by foreign police or an
#: international body (INTERPOL, Europol), whoever took part.
CHINESE_POLICE = ("true", "false")


def facet_values(doc: EnrichedArticle) -> dict[str, set[str]]:
    """An article's value(s) for each facet: what filters and facet counts see.

    `source` is the id of the source in the sources file (names change, ids stay), so a
    page shows the name the file gives it today; `chinese_police` is "true" or "false";
    `level` is the issuing level, none for an article that has none.
    """
    ext = doc.extraction
    level = issuer.of(doc)
    return {
        "campaign": {c.canonical for c in ext.campaigns},
        "measure": {f.measure for f in ext.figures},
        "region": set(ext.regions),
        "agency": set(ext.agencies),
        "source": {doc.feed_id} if doc.feed_id else set(),
        "lang": {doc.lang},
        "crime_type": set(ext.crime_types),
        "chinese_police": {"true" if ext.relevance.about_chinese_police else "false"},
        "level": {level} if level else set(),
    }


def field_values(doc: EnrichedArticle) -> dict[str, set[str]]:
    """What `field:value` in a query searches, per field a query can name: the facet values,
    and for `source` the name the article came with beside its source id."""
    values = {name: v for name, v in facet_values(doc).items() if name in FIELDS}
    if doc.source:
        values["source"] = values["source"] | {doc.source}
    return values


@dataclass(frozen=True, slots=True)
class Rejected:
    reason: str


Outcome = Literal["created", "updated", "unchanged"] | Rejected


class SearchRequest(BaseModel):
    model_config = ConfigDict(frozen=True)

    query: str = ""
    filters: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    date_from: datetime | None = None
    date_to: datetime | None = None
    sort: Literal["relevance", "date"] = "relevance"
    page: int = Field(default=1, ge=1, le=1000)
    size: int = Field(default=20, ge=0, le=200)
    facets: bool = True
    histogram: Literal["auto", "day", "week", "month", "year"] | None = "auto"
    include_irrelevant: bool = False
    #: Texts of `query` that name a campaign, read by the caller's campaign registry (alias ->
    #: canonical names): each also matches the articles tagged with those campaigns (see
    #: `query.with_campaigns`). The index itself knows names only as the articles carry them.
    campaign_names: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _within_result_window(self) -> SearchRequest:
        # Elasticsearch serves at most 10,000 results deep; both backends keep that limit
        if self.page * self.size > 10_000:
            raise ValueError("page × size may not exceed 10,000: narrow the search instead")
        return self


class Hit(BaseModel):
    id: str
    title: str
    title_html: str
    snippet_html: str
    url: str
    source: str  # the name the article came with
    source_id: str = ""  # the id of its source, the value the source filter takes
    lang: str
    published_at: datetime | None
    score: float
    campaigns: list[str]
    figures: list[Figure]


class Bucket(BaseModel):
    key: str  # the value a filter takes
    count: int
    # how pages show the value, where it differs from the key: a source's name
    label: str | None = None


class HistogramBucket(BaseModel):
    start: str
    count: int


class SearchResult(BaseModel):
    total: int
    page: int
    size: int
    hits: list[Hit]
    facets: dict[str, list[Bucket]] = Field(default_factory=dict)
    histogram: list[HistogramBucket] = Field(default_factory=list)
    interval: str | None = None
    took_ms: float = 0.0


@dataclass(frozen=True, slots=True)
class Match:
    """One article a selection matches, as an export lists it (no text, no score)."""

    id: str
    url: str
    title: str
    source: str  # the name the article came with
    source_id: str
    published: str  # ISO 8601, UTC: published, else fetched (what date filters read)
    lang: str
    campaigns: tuple[str, ...]  # canonical names
    figures: tuple[dict[str, Any], ...]  # as stored: measure, value, unit, approx, region ...


class CampaignSummary(BaseModel):
    canonical: str
    mentions: list[str]
    first_seen: datetime | None
    first_article: str | None
    article_count: int
    sources: list[str]
    latest_figures: list[Figure]


class Index(Protocol):
    def upsert_many(self, docs: Sequence[EnrichedArticle]) -> list[Outcome]: ...

    def get(self, article_id: str) -> EnrichedArticle | None: ...

    def search(self, request: SearchRequest) -> SearchResult: ...

    def count(self) -> int: ...

    def iter_articles(self, batch: int = 500) -> Iterator[EnrichedArticle]:
        """Every stored article, in id order (for `monitor replay`)."""

    def matches(self, request: SearchRequest, batch: int = 1000) -> Iterator[list[Match]]:
        """Every article `request` selects (query, filters, dates, relevance), newest first, in
        lists of up to `batch`, however many there are (no result window); its page, size,
        sort, facets and histogram are ignored. A query that does not parse raises
        `QuerySyntaxError` at the first `next()`, before any article is read."""

    def campaign_known(self, canonical: str) -> bool:
        """True when an article naming this campaign is already indexed."""

    def campaigns(self) -> list[CampaignSummary]: ...

    def campaign(self, canonical: str) -> CampaignSummary | None: ...

    def close(self) -> None: ...
