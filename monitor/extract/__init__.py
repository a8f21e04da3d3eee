"""Extraction: which campaigns an announcement belongs to and which figures it reports.

`Extractor.extract(article)` returns the `Extraction` of `monitor.models`. `is_known`
tells whether a canonical campaign name has been seen before (the index's campaign
registry); names neither in `config/campaigns.toml` nor known there get `known=False`.
Chinese in traditional script is read in simplified characters of the same length, so every
offset holds; quotes and mentions are taken from the article as written.

An extraction is a list of passes over one `Document` (`monitor.extract.passes`): normalise,
segment, names (campaigns, regions, bodies, crime types, officials), figures, relevance. The
rules for each language live in `monitor.extract.en` and `monitor.extract.zh`; the lists a user
extends are the config files (campaigns, crime types, regions, agencies, relevance words).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from loguru import logger

from monitor.extract import compiled, passes, relevance
from monitor.extract.agencies import default_agency_finder
from monitor.extract.campaigns import CampaignFinder
from monitor.extract.config import digest, load_campaigns, load_crime_types, resolve
from monitor.extract.crime_types import CrimeTypeFinder
from monitor.extract.document import Document
from monitor.extract.entities import default_finder
from monitor.extract.keywords import Scanner
from monitor.extract.text import Simplifier
from monitor.models import Article, Extraction

__all__ = ["EXTRACTOR_VERSION", "Extractor"]

_RULES_VERSION = "1.1.0"  # 1.1: traditional script read as simplified; campaign grammar
_PACKAGE = Path(__file__).resolve().parent


def _version(*config_files: Path) -> str:
    """Rules version plus a hash of the rule modules and the config files they were built from."""
    return f"{_RULES_VERSION}+{digest(*sorted(_PACKAGE.rglob('*.py')), *config_files)}"


# the files read from their default place only (not given to the Extractor)
_GAZETTEER = (
    resolve(None, "regions.toml").resolve(),
    resolve(None, "agencies.toml").resolve(),
    resolve(None, "relevance.toml").resolve(),
)
EXTRACTOR_VERSION = _version(
    resolve(None, "campaigns.toml"), resolve(None, "crime_types.toml"), *_GAZETTEER
)


class Extractor:
    """Built once (reads and compiles the config); `extract` is then pure and fast."""

    version: str

    def __init__(
        self,
        campaigns_file: Path | None = None,
        is_known: Callable[[str], bool] | None = None,
        crime_types_file: Path | None = None,
    ) -> None:
        self.campaigns_file = resolve(campaigns_file, "campaigns.toml")
        self.crime_types_file = resolve(crime_types_file, "crime_types.toml")
        self.is_known = is_known or (lambda name: False)
        crime_types = load_crime_types(self.crime_types_file)
        self.campaigns = CampaignFinder(
            load_campaigns(self.campaigns_file),
            [w for t in crime_types for w in (*t.en, *t.zh)],
            self.is_known,
        )
        self.crime_types = CrimeTypeFinder(crime_types)
        self.simplifier = Simplifier()
        agencies = default_agency_finder()  # the gazetteer's files are read and checked here
        places = default_finder()
        # every keyword list of the passes in one automaton, built at the first extraction
        self.scanner = Scanner(
            (
                self.campaigns.stems,
                self.campaigns.crime_keys,
                self.crime_types.keywords,
                places.regions,
                places.issuers,
                agencies.agencies,
                agencies.abbreviations,
                relevance.vocabulary(),
                relevance.whose_words(),
            )
        )
        self.version = _version(self.campaigns_file, self.crime_types_file, *_GAZETTEER)
        # one document through each pass in turn; see monitor.extract.passes
        self.passes: tuple[Callable[[Document], None], ...] = (
            partial(passes.normalise, simplifier=self.simplifier, scanner=self.scanner),
            passes.segment,
            partial(passes.find_campaigns, finder=self.campaigns),
            passes.find_regions,  # outside campaign names
            passes.find_agencies,  # an unnamed "municipal" is the headline's region's
            partial(passes.find_crime_types, finder=self.crime_types),
            passes.find_people,
            passes.attach_figures,  # to the regions and campaigns around each number
            passes.judge_relevance,  # from all the above
        )
        if compiled.stale():
            logger.warning("extractor {}", compiled.describe())

    def extract(self, article: Article) -> Extraction:
        doc = Document(written=article.text, title_length=len(article.title))
        for run in self.passes:
            run(doc)
        return passes.extraction(doc, self.version)
