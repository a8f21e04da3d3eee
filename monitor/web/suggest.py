"""The campaign names the search box suggests: the campaigns most announcements name and every
entry of the campaign registry, each under all its names (canonical, aliases, a series' aliases
for the year seen) in simplified and traditional script, as a small JSON document app.js
fetches once (`/suggestions/campaigns.json`, cached by the browser for a minute).

The index is asked for its campaigns in a worker thread, never on the event loop: the
route is a plain function, which FastAPI runs in its thread pool."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import opencc
from fastapi import APIRouter
from fastapi.responses import Response
from loguru import logger

from monitor.extract import campaigns
from monitor.extract.config import CampaignEntry
from monitor.index.base import Index, SearchRequest

#: Campaigns suggested at most; the registry has ~60.
MAX_CAMPAIGNS = 400
#: Seconds the list is kept before the index is asked again: new campaigns are rare.
REFRESH = 60.0
#: The address app.js fetches the list from.
PATH = "/suggestions/campaigns.json"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@cache
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


@dataclass(slots=True)
class Suggestion:
    canonical: str
    chinese: str = ""
    names: list[str] = field(default_factory=list)
    count: int = 0

    def add(self, *names: str) -> None:
        for name in names:
            if "{" in name or not name.strip():
                continue
            written = [name]
            if _CJK.search(name):  # a reader may type either script
                written.append(_to_traditional().convert(name))
                self.chinese = self.chinese or name
            for n in written:
                if n != self.canonical and n not in self.names:
                    self.names.append(n)


def _template(name: str) -> re.Pattern[str] | None:
    """The names a templated entry stands for ("Clean Internet {year}"), as the extractor
    finds them."""
    if "{" not in name:
        return None
    return re.compile(campaigns._alias_pattern(name), re.IGNORECASE)  # the extractor's own


def _fill(alias: str, canonical: str) -> str:
    """A templated alias ("净网{year}") for one campaign of the series ("Clean Internet 2021")."""
    year = campaigns.fill("{year}", canonical)
    return campaigns.fill(alias.replace("{yy}", year[2:]) if year else alias, canonical)


def seen_campaigns(index: Index) -> list[tuple[str, int]]:
    """The campaigns most announcements name, with how many: the campaign facet of everything,
    one cheap query (reading every campaign's summary would take seconds on a large index)."""
    found = index.search(SearchRequest(size=0, histogram=None))
    return [(b.key, b.count) for b in found.facets.get("campaign", [])]


def suggestions(
    entries: Iterable[CampaignEntry], seen: Iterable[tuple[str, int]]
) -> list[Suggestion]:
    """Seen campaigns first, most announcements first, then the registry's other entries."""
    entries = list(entries)
    templated = [(e, p) for e in entries if (p := _template(e.name)) is not None]
    out: dict[str, Suggestion] = {}
    for canonical, count in sorted(seen, key=lambda s: -s[1])[:MAX_CAMPAIGNS]:
        s = out.setdefault(canonical, Suggestion(canonical, count=count))
        s.add(canonical)  # a campaign not in the registry may be named in Chinese
        for entry, pattern in templated:
            if pattern.fullmatch(canonical):
                s.add(*(_fill(alias, canonical) for alias in entry.aliases))
    for entry in entries:
        if "{" in entry.name:
            continue  # a series: its instances are the ones the index has seen
        s = out.setdefault(entry.name, Suggestion(entry.name))
        s.add(*entry.aliases)
    return list(out.values())[:MAX_CAMPAIGNS]


def as_json(found: list[Suggestion]) -> str:
    """[{"c": canonical, "z": Chinese name, "n": other names, "k": announcements}, ...]"""
    return json.dumps(
        [{"c": s.canonical, "z": s.chinese, "n": s.names, "k": s.count} for s in found],
        ensure_ascii=False,
        separators=(",", ":"),
    )


class Suggestions:
    """The JSON app.js fetches, remade at most every `REFRESH` seconds; it never fails (an index
    that cannot be read leaves the registry's names). Blocking: call it off the event loop."""

    def __init__(self, entries: Iterable[CampaignEntry], index: Index) -> None:
        self._entries = tuple(entries)
        self._index = index
        self._lock = threading.Lock()
        self._made = -REFRESH
        self._json = ""

    def __call__(self) -> str:
        with self._lock:
            if time.monotonic() - self._made >= REFRESH:
                try:
                    seen = seen_campaigns(self._index)
                except Exception as exc:  # a suggestion list must never cost a page
                    logger.warning("campaign suggestions without the index's campaigns: {}", exc)
                    seen = []
                self._json = as_json(suggestions(self._entries, seen))
                self._made = time.monotonic()
            return self._json


def suggest_router(suggestions: Suggestions) -> APIRouter:
    router = APIRouter()

    @router.get(PATH, include_in_schema=False)
    def campaign_suggestions() -> Response:
        # a plain function: FastAPI runs it in a worker thread, so the index's facet query
        # (once a minute) never holds up the event loop and the other requests on it
        return Response(
            suggestions(),
            media_type="application/json",
            headers={"Cache-Control": f"max-age={int(REFRESH)}"},
        )

    return router
