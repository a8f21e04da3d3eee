"""What the Elasticsearch backend sends and reads: documents as indexed, parsed queries as
query DSL, and aggregations turned back into facets and a histogram like the embedded index's.

User text never reaches `query_string`: every term becomes a `multi_match` phrase, so the
query language means the same on both backends.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from monitor.errors import QuerySyntaxError
from monitor.index import highlight
from monitor.index.base import (
    FILTERS,
    Bucket,
    CampaignSummary,
    HistogramBucket,
    Hit,
    Match,
    SearchRequest,
    facet_values,
)
from monitor.index.highlight import fold
from monitor.index.query import And, Node, Not, Or, Term
from monitor.models import EnrichedArticle, Figure

FACET_SIZE = 25
# ES refuses from + size beyond index.max_result_window (10,000 by default).
MAX_WINDOW = 10_000
_KEYWORDS = ("campaign", "region", "agency", "source", "crime_type", "measure", "lang")
# The document field behind a facet whose name differs from it. A facet's value is the same
# as on the embedded index (`facet_values`); `missing` is what a document without the field
# counts as (one indexed before the field existed).
_FACET_FIELD = {"source": "feed_id"}
_MISSING = {"chinese_police": "true"}
# `source:` in a query finds the source's name or its id
_ALSO_SEARCHED = {"source": ("feed_id.text",)}
# The English analyser indexes CJK one character per token, so a phrase over it finds two
# characters only side by side; the `cjk` bigram sub-fields add the better-ranked match.
_TEXT = {
    "title": ("title^6", "title.cjk^6"),
    "body": ("body", "body.cjk", "summary", "summary.cjk"),
}
_WEIGHTS = {
    "campaign": 4,
    "region": 2,
    "agency": 2,
    "crime_type": 2,
    "source": 1,
    "measure": 1,
    "lang": 0.5,
}
# Prefixes go to unstemmed fields: "destr*" must not depend on what the stemmer made of it.
_PREFIX_TEXT = {"title": ("title.cjk^6",), "body": ("body.cjk", "summary.cjk")}
# top_hits returns at most index.max_inner_result_window (100) documents per campaign
_CAMPAIGN_DOCS = 100
_CAMPAIGN_SOURCE = ["id", "source", "published", "extraction.campaigns", "extraction.figures"]
CAMPAIGN_AGGS: dict[str, Any] = {
    "campaigns": {
        "terms": {"field": "campaign", "size": 10_000},
        "aggs": {
            "first": {
                "top_hits": {
                    "size": 1,
                    "_source": ["id", "published"],
                    "sort": [{"published": "asc"}, {"id": "asc"}],
                }
            },
            "latest": {
                "top_hits": {
                    "size": _CAMPAIGN_DOCS,
                    "_source": _CAMPAIGN_SOURCE,
                    "sort": [{"published": "desc"}, {"id": "asc"}],
                }
            },
            "sources": {"terms": {"field": "source", "size": 1000}},
        },
    }
}
_HISTOGRAM_FORMATS = {"day": "%Y-%m-%d", "week": "%Y-W%W", "month": "%Y-%m", "year": "%Y"}


def iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_source(doc: EnrichedArticle) -> dict[str, Any]:
    """The stored document: the article as JSON (so `get` rebuilds it) plus flat fields to
    filter and aggregate on, whose names are the facet names."""
    source = doc.model_dump(mode="json")
    keywords = {k: sorted(v) for k, v in facet_values(doc).items() if k not in ("source", "lang")}
    # `source` and `lang` are fields of the article itself (source: the name it came with)
    source.update(
        keywords,
        published=iso(doc.published_at or doc.fetched_at),
        relevant=doc.extraction.relevance.relevant,
    )
    return source


def _fields(field: str | None, prefix: bool) -> list[str]:
    if field in _KEYWORDS:
        return [f"{field}.text", *_ALSO_SEARCHED.get(field, ())]
    texts = _PREFIX_TEXT if prefix else _TEXT
    if field in texts:
        return list(texts[field])
    everything = [*texts["title"], *texts["body"]]
    return everything + [f"{name}.text^{weight}" for name, weight in _WEIGHTS.items()]


def compile_query(node: Node) -> dict[str, Any]:
    """The query DSL for a parsed query; the same shapes are refused as by the embedded index."""
    if isinstance(node, Term):
        text = fold(node.text)
        if not any(ch.isalnum() for ch in text):
            raise QuerySyntaxError(f"{node.text!r} has nothing to search for")
        return {
            "multi_match": {
                "query": text,
                "type": "phrase_prefix" if node.prefix else "phrase",
                "fields": _fields(node.field, node.prefix),
            }
        }
    if isinstance(node, Or):
        if any(isinstance(item, Not) for item in node.items):
            raise QuerySyntaxError(
                "NOT cannot stand inside OR: write 'a OR b NOT c' as '(a OR b) NOT c'"
            )
        return {
            "bool": {"should": [compile_query(i) for i in node.items], "minimum_should_match": 1}
        }
    if isinstance(node, And):
        positive = [compile_query(i) for i in node.items if not isinstance(i, Not)]
        negative = [compile_query(i.item) for i in node.items if isinstance(i, Not)]
        if not positive:
            raise QuerySyntaxError("a query cannot only exclude: add a word to search for")
        clause: dict[str, Any] = {"must": positive}
        if negative:
            clause["must_not"] = negative
        return {"bool": clause}
    raise QuerySyntaxError("a query cannot only exclude: add a word to search for")


def filters(request: SearchRequest) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if not request.include_irrelevant:
        out.append({"term": {"relevant": True}})
    for field, values in request.filters.items():
        if field not in FILTERS:
            raise QuerySyntaxError(f"unknown filter {field!r}; filters are {', '.join(FILTERS)}")
        if values:
            out.append(_facet_filter(field, values))
    dates = {}
    if request.date_from:
        dates["gte"] = iso(request.date_from)
    if request.date_to:
        dates["lte"] = iso(request.date_to)
    if dates:
        out.append({"range": {"published": dates}})
    return out


def _facet_filter(field: str, values: tuple[str, ...]) -> dict[str, Any]:
    name = _FACET_FIELD.get(field, field)
    clause: dict[str, Any] = {"terms": {name: list(values)}}
    if _MISSING.get(field) in values:
        missing = {"bool": {"must_not": {"exists": {"field": name}}}}
        return {"bool": {"should": [clause, missing], "minimum_should_match": 1}}
    return clause


def _facet_agg(name: str) -> dict[str, Any]:
    terms: dict[str, Any] = {
        "field": _FACET_FIELD.get(name, name),
        "size": FACET_SIZE,
        "order": [{"_count": "desc"}, {"_key": "asc"}],
    }
    if name in _MISSING:
        terms["missing"] = _MISSING[name]
    return {"terms": terms}


def search_body(request: SearchRequest, node: Node | None) -> dict[str, Any]:
    must = [compile_query(node)] if node is not None else []
    start = (request.page - 1) * request.size
    size = request.size if start + request.size <= MAX_WINDOW else 0
    by_date = [{"published": {"order": "desc"}}, {"id": {"order": "asc"}}]
    sort = by_date if node is None or request.sort == "date" else [{"_score": "desc"}, *by_date]
    body: dict[str, Any] = {
        "query": {"bool": {"must": must or [{"match_all": {}}], "filter": filters(request)}},
        "from": start if size else 0,
        "size": size,
        "sort": sort,
        "track_total_hits": True,
        "track_scores": True,
    }
    aggs: dict[str, Any] = {}
    if request.facets:
        aggs.update({name: _facet_agg(name) for name in FILTERS})
    if request.histogram:
        # Days are rolled up here, so week labels are the embedded index's (%Y-W%W).
        aggs["days"] = {
            "date_histogram": {
                "field": "published",
                "calendar_interval": "day",
                "min_doc_count": 1,
                "format": "yyyy-MM-dd",
            }
        }
        aggs["first_published"] = {"min": {"field": "published"}}
        aggs["last_published"] = {"max": {"field": "published"}}
    if aggs:
        body["aggs"] = aggs
    return body


MATCH_SOURCE = [
    "id",
    "url",
    "title",
    "source",
    "feed_id",
    "published",
    "lang",
    "extraction.campaigns.canonical",
    "extraction.figures",
]


def matches_body(request: SearchRequest, node: Node | None, batch: int) -> dict[str, Any]:
    """Every match, newest first, one batch after another (`search_after` the last's sort)."""
    must = [compile_query(node)] if node is not None else []
    return {
        "query": {"bool": {"must": must or [{"match_all": {}}], "filter": filters(request)}},
        "size": batch,
        "sort": [{"published": {"order": "desc"}}, {"id": {"order": "asc"}}],
        "_source": MATCH_SOURCE,
        "track_total_hits": False,
    }


def read_match(raw: dict[str, Any]) -> Match:
    doc = raw["_source"]
    extraction = doc.get("extraction") or {}
    return Match(
        id=doc["id"],
        url=doc.get("url") or "",
        title=doc.get("title") or "",
        source=doc.get("source") or "",
        source_id=doc.get("feed_id") or "",
        published=doc.get("published") or "",
        lang=doc.get("lang") or "",
        campaigns=tuple(dict.fromkeys(c["canonical"] for c in extraction.get("campaigns") or ())),
        figures=tuple(extraction.get("figures") or ()),
    )


def read_facets(aggs: dict[str, Any]) -> dict[str, list[Bucket]]:
    return {
        name: [
            Bucket(key=str(b["key"]), count=b["doc_count"])
            for b in aggs.get(name, {}).get("buckets", [])
            if b["key"] != ""  # an article without a source id has no source facet
        ]
        for name in FILTERS
    }


def read_histogram(aggs: dict[str, Any], interval: str) -> tuple[str, list[HistogramBucket]]:
    if interval == "auto":
        first, last = aggs.get("first_published"), aggs.get("last_published")
        interval = auto_interval(_date(first), _date(last))
    fmt = _HISTOGRAM_FORMATS[interval]
    counts: Counter[str] = Counter()
    for bucket in aggs.get("days", {}).get("buckets", []):
        day = datetime.strptime(bucket["key_as_string"], "%Y-%m-%d")
        counts[day.strftime(fmt)] += bucket["doc_count"]
    return interval, [HistogramBucket(start=k, count=n) for k, n in sorted(counts.items())]


def _date(agg: dict[str, Any] | None) -> datetime | None:
    if not agg or agg.get("value") is None:
        return None
    return datetime.fromtimestamp(agg["value"] / 1000, UTC)


def auto_interval(first: datetime | None, last: datetime | None) -> str:
    """The embedded index's rule: days up to two months, months up to two years, then years."""
    if first is None or last is None:
        return "month"
    span = last - first
    if span.days <= 62:
        return "day"
    if span.days <= 730:
        return "month"
    return "year"


def campaign_query(canonical: str) -> dict[str, Any]:
    return {
        "bool": {"filter": [{"term": {"relevant": True}}, {"term": {"campaign.folded": canonical}}]}
    }


def _stands(fig: Figure, campaign: str) -> bool:
    """Whether `fig` may give the campaign's standing (the rule of `totals.standings` in the web
    app): a national figure of the campaign that is not one case's (an unkinded one counts as a
    period figure). Of those, per measure and unit, a running total comes before a period
    figure, then the newest document, then the larger value."""
    return (
        fig.campaign == campaign
        and fig.kind != "case"
        and not fig.region
        and math.isfinite(fig.value)
    )


def read_summary(bucket: dict[str, Any]) -> CampaignSummary:
    name = bucket["key"]
    first = bucket["first"]["hits"]["hits"][0]["_source"]
    docs = [h["_source"] for h in bucket["latest"]["hits"]["hits"]]
    mentions = sorted(
        {
            c["mention"]
            for d in docs
            for c in d.get("extraction", {}).get("campaigns", [])
            if c.get("canonical") == name
        }
    )
    latest: dict[tuple[str, str], tuple[tuple[bool, str, float], Figure]] = {}
    for doc in docs:
        for raw in doc.get("extraction", {}).get("figures", []):
            fig = Figure.model_validate(raw)
            if not _stands(fig, name):
                continue
            rank = (fig.kind == "cumulative", doc.get("published", ""), fig.value)
            key = (fig.measure, fig.unit)
            if key not in latest or rank > latest[key][0]:
                latest[key] = (rank, fig)
    return CampaignSummary(
        canonical=name,
        mentions=mentions,
        first_seen=datetime.fromisoformat(first["published"]),
        first_article=first["id"],
        article_count=bucket["doc_count"],
        sources=sorted(b["key"] for b in bucket["sources"]["buckets"] if b["key"]),
        latest_figures=[latest[key][1] for key in sorted(latest)],
    )


def read_hit(raw: dict[str, Any], rx: re.Pattern[str] | None, asked: Sequence[str] = ()) -> Hit:
    doc = EnrichedArticle.model_validate(raw["_source"])
    rx = highlight.for_campaigns(
        rx, asked, ((c.canonical, c.mention) for c in doc.extraction.campaigns)
    )
    return Hit(
        id=doc.id,
        title=doc.title,
        title_html=highlight.mark(doc.title, rx),
        snippet_html=highlight.snippet(doc.body or doc.summary, rx),
        url=doc.url,
        source=doc.source,
        source_id=doc.feed_id,
        lang=doc.lang,
        published_at=doc.published_at,
        score=round(float(raw.get("_score") or 0.0), 4),
        campaigns=sorted({c.canonical for c in doc.extraction.campaigns}),
        figures=list(doc.extraction.figures),
    )
