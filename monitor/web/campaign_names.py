"""Which campaign a name in an address stands for: its canonical name, any alias of
config/campaigns.toml (净网2021 is "Clean Internet 2021"), any spelling the index has seen under
it, in either script (淨網2021 is read as 净网2021)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import opencc
from loguru import logger

from monitor.errors import ConfigError
from monitor.extract.campaigns import CampaignFinder, fill
from monitor.extract.config import CampaignEntry, load_campaigns, resolve
from monitor.index.base import CampaignSummary, Index


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
        for entry, pattern in zip(self._finder.entries, self._finder.entry_res, strict=True):
            if pattern.fullmatch(name.strip()):
                return fill(entry.name, name)
        return None

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
