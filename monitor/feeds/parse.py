"""Feed bytes to entries: RSS 2.0, RSS 1.0/RDF and Atom through feedparser, after our own decoding.

Malformed XML that still yields entries is kept, with the problem named; an HTML page
where a feed was expected is an error that names the feed link the page advertises.
"""

from __future__ import annotations

import html.entities
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

import feedparser
import lxml.html
from lxml import etree

from monitor.errors import MonitorError
from monitor.feeds.dates import from_struct, parse_date
from monitor.feeds.encoding import Decoded, as_utf8_xml

_PERIODS = {
    "hourly": 3600.0,
    "daily": 86400.0,
    "weekly": 7 * 86400.0,
    "monthly": 30 * 86400.0,
    "yearly": 365 * 86400.0,
}


class NotAFeed(MonitorError):
    """The response is not a feed; the message says what it is instead."""

    def __init__(self, message: str, feed_link: str | None = None) -> None:
        super().__init__(message)
        self.feed_link = feed_link


@dataclass(frozen=True, slots=True)
class Entry:
    guid: str
    link: str
    title: str
    summary: str  # plain text
    content: str  # plain text of the entry's full content, when the feed carries it
    published: datetime | None
    raw_date: str = ""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    entries: list[Entry]
    title: str = ""
    language: str = ""
    format: str = ""
    problems: list[str] = field(default_factory=list)
    min_interval: float | None = None  # from <ttl> and sy:updatePeriod, seconds


_ENTITY_REF = re.compile(r"&([A-Za-z][A-Za-z0-9._:-]*);")


def _drop_unknown_entities(value: str) -> str:
    """Remove entity references that name no HTML entity.

    feedparser leaves a reference its parser could not resolve (`&xxe;` from a DOCTYPE that
    declares an external entity, `&lol9;` from a billion-laughs one) verbatim in the text;
    such a name is the feed's markup, never its words. Known ones (&amp; &eacute;) and
    numeric ones (&#20013;) are decoded afterwards.
    """
    return _ENTITY_REF.sub(
        lambda m: m.group(0) if m.group(1) + ";" in html.entities.html5 else "", value
    )


def html_text(value: str) -> str:
    """Visible text of an HTML fragment, whitespace folded, unresolvable entities dropped."""
    if not value:
        return ""
    if "&" in value:
        value = _drop_unknown_entities(value)
    if "<" in value or "&" in value:
        try:
            root = lxml.html.fragment_fromstring(value, create_parent="div")
            for bad in root.xpath("//script|//style"):
                bad.drop_tree()
            value = root.text_content()
        except (etree.ParserError, ValueError):
            value = html.unescape(re.sub(r"<[^>]+>", " ", value))
    return re.sub(r"\s+", " ", value).strip()


def looks_like_html(text: str, content_type: str = "") -> bool:
    head = text[:2048].lower()
    return "text/html" in content_type.lower() or "<html" in head or "<!doctype html" in head


def advertised_feed(text: str, base_url: str) -> str | None:
    """The first RSS/Atom link a page advertises in its head, as an absolute URL."""
    for m in re.finditer(r"<link\b[^>]*>", text[:200_000], re.IGNORECASE):
        tag = m.group(0)
        if re.search(r"""rel\s*=\s*["']?alternate""", tag, re.I) and re.search(
            r"""type\s*=\s*["']?application/(rss|atom|rdf)\+xml""", tag, re.I
        ):
            href = re.search(r"""href\s*=\s*["']([^"']+)["']""", tag, re.I)
            if href:
                return urljoin(base_url, href.group(1).strip())
    return None


def parse_feed(
    decoded: Decoded, url: str, content_type: str = "", tz: str = "Asia/Shanghai"
) -> ParsedFeed:
    """Entries of a feed; raise `NotAFeed` when the bytes hold no feed."""
    if not decoded.text.strip():
        raise NotAFeed("the response was empty")
    # Entries become plain text (html_text), so feedparser's HTML sanitiser and
    # relative-URI rewriting would be work thrown away; they are most of its cost.
    d = feedparser.parse(
        io.BytesIO(as_utf8_xml(decoded)),
        response_headers={
            "content-type": "application/xml; charset=utf-8",
            "content-location": url,
        },
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    problems: list[str] = []
    version = d.get("version") or ""
    if not d.entries and (d.bozo or not version):
        if looks_like_html(decoded.text, content_type):
            link = advertised_feed(decoded.text, url)
            hint = (
                f"; the page advertises a feed at {link}"
                if link
                else "; the page advertises no feed (an html source with selectors may fit)"
            )
            raise NotAFeed("the URL returned an HTML page, not a feed" + hint, link)
        why = _bozo(d) or "no RSS, RDF or Atom root element"
        raise NotAFeed(f"the response is not a feed that can be read ({why})")
    if d.bozo and _bozo(d):
        problems.append(
            f"the feed is not well-formed XML ({_bozo(d)}); "
            f"{len(d.entries)} entries were read anyway"
        )
    if not d.entries:
        problems.append("the feed has no entries")
    entries = [_entry(e, url, tz) for e in d.entries]
    return ParsedFeed(
        entries=entries,
        title=html_text(d.feed.get("title", "")),
        language=(d.feed.get("language") or "").lower(),
        format=version or "unknown",
        problems=problems,
        min_interval=_floor(d.feed),
    )


def _bozo(d: feedparser.FeedParserDict) -> str:
    exc = d.get("bozo_exception")
    if exc is None or isinstance(exc, feedparser.CharacterEncodingOverride):
        return ""
    text = str(getattr(exc, "getMessage", lambda: exc)())
    return re.sub(r"^<unknown>:", "line ", text).strip() or type(exc).__name__


def _entry(e: feedparser.FeedParserDict, base: str, tz: str) -> Entry:
    raw_date = e.get("published") or e.get("updated") or e.get("dc_date") or ""
    published = parse_date(raw_date, tz) if raw_date else None
    if published is None:
        published = from_struct(e.get("published_parsed") or e.get("updated_parsed"))
    content = ""
    if e.get("content"):
        content = html_text(max((c.get("value", "") for c in e.content), key=len))
    summary = html_text(e.get("summary", ""))
    if content and content == summary and "content" in e and "summary_detail" not in e:
        summary = ""
    link = (e.get("link") or "").strip()
    return Entry(
        guid=(e.get("id") or "").strip(),
        link=urljoin(base, link) if link else "",
        title=html_text(e.get("title", "")),
        summary=summary,
        content=content,
        published=published,
        raw_date=raw_date,
    )


def _floor(feed: feedparser.FeedParserDict) -> float | None:
    """The publisher's own minimum polling interval: RSS <ttl> (minutes), sy:updatePeriod."""
    floors = []
    ttl = str(feed.get("ttl", "")).strip()
    if ttl.isdigit() and int(ttl) > 0:
        floors.append(int(ttl) * 60.0)
    period = _PERIODS.get(str(feed.get("sy_updateperiod", "")).strip().lower())
    if period:
        freq = str(feed.get("sy_updatefrequency", "1")).strip()
        floors.append(period / max(1, int(freq) if freq.isdigit() else 1))
    return max(floors) if floors else None
