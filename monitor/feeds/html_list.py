"""List pages without a feed (ministry and bureau news pages): CSS selectors to entries.

The entries are the same `Entry` values a feed gives, so dedupe, state and health
do not care which kind of source they came from.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import soupsieve
from bs4 import BeautifulSoup, Tag

from monitor.errors import ConfigError
from monitor.feeds.dates import parse_date
from monitor.feeds.parse import Entry, NotAFeed
from monitor.feeds.sources import Selectors


def parse_list_page(
    html: str, url: str, selectors: Selectors, tz: str = "Asia/Shanghai"
) -> list[Entry]:
    """The entries of a list page; raise `NotAFeed` when the item selector finds nothing."""
    soup = BeautifulSoup(html, "lxml")
    base = url
    if (tag := soup.find("base", href=True)) is not None and isinstance(tag, Tag):
        base = urljoin(url, str(tag["href"]))
    try:
        items = soup.select(selectors.item)
    except soupsieve.SelectorSyntaxError as exc:
        raise ConfigError(f"selector {selectors.item!r} is not valid CSS: {exc}") from None
    if not items:
        raise NotAFeed(
            f"the item selector {selectors.item!r} matched nothing on the page "
            "(the page layout may have changed)"
        )
    entries, seen = [], set()
    for item in items:
        entry = _entry(item, base, selectors, tz)
        if entry is not None and entry.link not in seen:
            seen.add(entry.link)
            entries.append(entry)
    if not entries:
        raise NotAFeed(
            f"the item selector {selectors.item!r} matched {len(items)} elements "
            f"but none had a link matching {selectors.link!r}"
        )
    return entries


def _entry(item: Tag, base: str, selectors: Selectors, tz: str) -> Entry | None:
    link_tag = item if item.name == "a" and item.get("href") else item.select_one(selectors.link)
    if link_tag is None:
        # Some CMS templates wrap the whole <li> in the <a>.
        link_tag = item.find_parent("a", href=True)
    if link_tag is None or not link_tag.get("href"):
        return None
    href = str(link_tag["href"]).strip()
    if href.startswith(("javascript:", "#", "mailto:")):
        return None
    title_tag = item.select_one(selectors.title) if selectors.title else link_tag
    title = _text(title_tag) if title_tag is not None else ""
    if len(title) < 4 and link_tag.get("title"):
        title = str(link_tag["title"]).strip()
    if selectors.date:
        date_tag = item.select_one(selectors.date)
        raw_date = _text(date_tag) if date_tag is not None else ""
    else:
        raw_date = _text(item).replace(title, " ")
    return Entry(
        guid="",
        link=urljoin(base, href),
        title=title,
        summary="",
        content="",
        published=parse_date(raw_date, tz),
        raw_date=raw_date,
    )


def _text(tag: Tag) -> str:
    return re.sub(r"\s+", " ", tag.get_text(" ", strip=True)).strip()
