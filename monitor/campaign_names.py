"""Which campaign a name in an address stands for: its canonical name, any alias of
config/campaigns.toml (净网2021 is "Clean Internet 2021"), any spelling the index has seen under
it, in either script (淨網2021 is read as 净网2021); and a yearly series' name without its year
(净网, Clean Internet) stands for the series' latest year seen."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import opencc
from loguru import logger

from monitor.errors import ConfigError
from monitor.extract.campaigns import CampaignFinder, fill
from monitor.extract.config import CampaignEntry, load_campaigns, resolve
from monitor.index.base import CampaignSummary, Index, SearchRequest
from monitor.index.query import campaign_candidates, parse

#: Texts of one query looked up as campaign names at most (a long query of plain words has
#: many runs of words; real names are found among the first).
MAX_LOOKUPS = 64
#: Years before this one a yearly series is looked for in (a few cheap look-ups each).
SERIES_YEARS = 40
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# a yearly campaign's name: its series' name, then the year (Clean Internet 2021, 净网2021)
_YEARLY = re.compile(r"^(?P<series>.*?[^\d\s-])[\s-]*(?P<year>(?:19|20)\d{2})$")


@cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(name: str) -> str:
    """`name` with traditional Chinese characters written in simplified ones."""
    return _to_simplified().convert(name) if not name.isascii() else name


def _key(name: str) -> str:
    return " ".join(simplified(name).casefold().split())


def yearly(canonical: str) -> tuple[str, int] | None:
    """The series and year of a yearly campaign's name: ("Clean Internet", 2021)."""
    m = _YEARLY.match(canonical)
    return (m.group("series"), int(m.group("year"))) if m else None


class CampaignNames:
    """The campaign entries' aliases, matched the way the extractor matches them."""

    def __init__(self, entries: Iterable[CampaignEntry]) -> None:
        self._finder = CampaignFinder(entries, (), lambda _: False)
        # a yearly entry under the name of the entry without its year ("Clean Internet" ->
        # "Clean Internet {year}"): config/campaigns.toml lists each series both ways
        self._yearly = {
            _key(e.name.replace("{year}", "")): e.name
            for e in self._finder.entries
            if "{year}" in e.name
        }

    @property
    def entries(self) -> tuple[CampaignEntry, ...]:
        """The campaign entries these names come from, in the order they are tried."""
        return tuple(self._finder.entries)

    @classmethod
    def load(cls, path: Path | None = None) -> CampaignNames:
        """The entries of `path` (default: config/campaigns.toml); a file that does not load
        leaves only canonical names and seen spellings to go by, and says so in the log."""
        file = resolve(path, "campaigns.toml")
        try:
            return cls(load_campaigns(file))
        except ConfigError as exc:
            logger.warning("campaign aliases are not available to the web app: {}", exc)
            return cls(())

    def canonical(self, name: str) -> str | None:
        """The canonical name that `name` is an alias of, if it is one."""
        entry = self._entry(name)
        return fill(entry.name, name.strip()) if entry is not None else None

    def _entry(self, name: str) -> CampaignEntry | None:
        return next(iter(self._entries(name)), None)

    def _entries(self, name: str) -> list[CampaignEntry]:
        """The entries `name` is an alias of: one, or several (雷霆 is Hong Kong's and Thunder)."""
        return [
            entry
            for entry, pattern in zip(self._finder.entries, self._finder.entry_res, strict=True)
            if pattern.fullmatch(name.strip())
        ]

    def named_in(self, query: str) -> dict[str, tuple[str, ...]]:
        """The texts of `query` that name a known campaign (text -> canonical names), in either
        script: a `"phrase"` or `campaign:` value that is an alias; plain words (one, or several
        in a row) only when they are an alias written in Chinese or one of an entry marked
        `bare` (a name that cannot mean anything else: `Clean Internet 2021`, not `Sharp Sword`
        nor `Clean Internet`, whose words also mean themselves). `query` has been checked."""
        found: dict[str, tuple[str, ...]] = {}
        for text, explicit in campaign_candidates(parse(query))[:MAX_LOOKUPS]:
            if text in found:
                continue
            plain = simplified(text.strip())
            entries = [e for e in self._entries(plain) if explicit or e.bare or _CJK.search(plain)]
            if entries:
                found[text] = tuple(dict.fromkeys(fill(e.name, plain) for e in entries))
        return found

    def expand(self, request: SearchRequest) -> SearchRequest:
        """`request` whose campaign names also match the articles tagged with the campaign."""
        named = self.named_in(request.query) if request.query else {}
        return request.model_copy(update={"campaign_names": named}) if named else request

    def series(self, name: str) -> list[str]:
        """The yearly templates ("Clean Internet {year}") of the series `name` names without a
        year, in either script (净网, 淨網, Jingwang, Clean Internet)."""
        found = []
        for candidate in dict.fromkeys((name.strip(), simplified(name.strip()))):
            for entry in self._entries(candidate):
                template = self._yearly.get(_key(entry.name))
                if template is not None and template not in found:
                    found.append(template)
        return found

    def series_named(self, name: str, canonical: str) -> str | None:
        """The series' name ("Clean Internet") when `name` names a yearly series without a year
        and `canonical` is one of its years: what a page asked for by the series says."""
        year = yearly(canonical)
        if year is None or yearly(name.strip()) is not None:
            return None
        if _key(name) == _key(year[0]):
            return year[0]
        for template in self.series(name):
            if _key(template.replace("{year}", str(year[1]))) == _key(canonical):
                return year[0]
        return None

    def latest_year(self, index: Index, name: str) -> CampaignSummary | None:
        """The latest year the index has seen of the registry's series `name` names."""
        templates = self.series(name)
        if not templates:
            return None
        this_year = datetime.now(UTC).year
        for year in range(this_year + 1, this_year - SERIES_YEARS, -1):
            for template in templates:
                canonical = template.replace("{year}", str(year))
                if index.campaign_known(canonical) and (found := index.campaign(canonical)):
                    return found
        return None

    def find(self, index: Index, name: str) -> CampaignSummary | None:
        """The campaign `name` stands for in `index`, or None. A yearly series' name without
        its year (净网, Clean Internet) stands for its latest year seen, unless the index has a
        campaign of that very name."""
        found = index.campaign(name)
        if found is not None:
            return found
        wanted = {name.strip(), simplified(name.strip())}
        for candidate in wanted:
            canonical = self.canonical(candidate)
            if canonical is not None and (found := index.campaign(canonical)) is not None:
                return found
        if (found := self.latest_year(index, name)) is not None:
            return found
        keys = {_key(n) for n in wanted}
        latest: tuple[int, CampaignSummary] | None = None
        for summary in index.campaigns():
            if any(_key(m) in keys for m in (summary.canonical, *summary.mentions)):
                return summary
            year = yearly(summary.canonical)
            if year is not None and _key(year[0]) in keys and (not latest or year[1] > latest[0]):
                latest = (year[1], summary)  # a series outside the registry (猎网2023)
        return latest[1] if latest else None
