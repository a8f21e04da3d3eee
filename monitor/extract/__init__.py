"""Extraction: which campaigns an announcement belongs to and which figures it reports.

`Extractor.extract(article)` returns the `Extraction` of `monitor.models`. `is_known`
tells whether a canonical campaign name has been seen before (the index's campaign
registry); names neither in `config/campaigns.toml` nor known there get `known=False`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from monitor.models import Article, Extraction

EXTRACTOR_VERSION = "0.0.1"


class Extractor:
    version = EXTRACTOR_VERSION

    def __init__(
        self,
        campaigns_file: Path | None = None,
        is_known: Callable[[str], bool] | None = None,
    ) -> None:
        self.campaigns_file = campaigns_file
        self.is_known = is_known or (lambda name: False)

    def extract(self, article: Article) -> Extraction:
        return Extraction(extractor_version=self.version)
