"""Which campaign a name in an address stands for: its canonical name, any alias of
config/campaigns.toml (净网2021 is "Clean Internet 2021"), any spelling the index has seen under
it, in either script (淨網2021 is read as 净网2021)."""

from __future__ import annotations

import re
from collections.abc import Iterable
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
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(name: str) -> str:
    """`name` with traditional Chinese characters written in simplified ones."""
    return _to_simplified().convert(name) if not name.isascii() else name


def _key(name: str) -> str:
    return " ".join(simplified(name).casefold().split())


class CampaignNames:
    """The campaign entries' aliases, matched the way the extractor matches them."""

    def __init__(self, entries: Iterable[CampaignEntry]) -> None:
        self._finder = CampaignFinder(entries, (), lambda _: False)

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

    def find(self, index: Index, name: str) -> CampaignSummary | None:
        """The campaign `name` stands for in `index`, or None."""
        found = index.campaign(name)
        if found is not None:
            return found
        wanted = {name.strip(), simplified(name.strip())}
        for candidate in wanted:
            canonical = self.canonical(candidate)
            if canonical is not None and (found := index.campaign(canonical)) is not None:
                return found
        keys = {_key(n) for n in wanted}
        for summary in index.campaigns():
            if any(_key(m) in keys for m in (summary.canonical, *summary.mentions)):
                return summary
        return None
