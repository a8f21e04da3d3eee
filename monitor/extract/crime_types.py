"""Crime types named in an announcement, from the taxonomy of config/crime_types.toml."""

from __future__ import annotations

from collections.abc import Iterable

from monitor.extract.config import CrimeType
from monitor.extract.keywords import Keywords, fold


class CrimeTypeFinder:
    def __init__(self, types: Iterable[CrimeType]) -> None:
        self.lookup: dict[str, str] = {}
        for t in types:
            for w in (*t.en, *t.zh):
                self.lookup[w] = t.name
        self.keywords = Keywords(self.lookup.items())

    def find(self, text: str, folded: str | None = None) -> list[str]:
        folded = fold(text) if folded is None else folded
        return list(dict.fromkeys(name for _, _, name in self.keywords.find(folded)))
