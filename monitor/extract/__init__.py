"""Extraction: which campaigns an announcement belongs to and which figures it reports.

`Extractor.extract(article)` returns the `Extraction` of `monitor.models`. `is_known`
tells whether a canonical campaign name has been seen before (the index's campaign
registry); names neither in `config/campaigns.toml` nor known there get `known=False`.
Chinese in traditional script is read in simplified characters of the same length, so every
offset holds; quotes and mentions are taken from the article as written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from loguru import logger

from monitor.extract import compiled, entities, relevance
from monitor.extract.campaigns import CampaignFinder
from monitor.extract.config import digest, load_campaigns, load_crime_types, resolve
from monitor.extract.figures import Context, Place, find_figures
from monitor.extract.keywords import fold
from monitor.extract.numbers import fold_width
from monitor.extract.text import Segments, Simplifier, detect_lang, has_cjk, note_cjk
from monitor.models import Article, CampaignMention, Extraction

__all__ = ["EXTRACTOR_VERSION", "Extractor"]

_RULES_VERSION = "1.1.0"  # 1.1: traditional script read as simplified; campaign grammar
_PACKAGE = Path(__file__).resolve().parent


def _version(*config_files: Path) -> str:
    """Rules version plus a hash of the rule modules and the config files they were built from."""
    return f"{_RULES_VERSION}+{digest(*sorted(_PACKAGE.glob('*.py')), *config_files)}"


_GAZETTEER = (resolve(None, "regions.toml").resolve(), resolve(None, "agencies.toml").resolve())
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
        self.crime_types = entities.CrimeTypeFinder(crime_types)
        self.simplifier = Simplifier()
        entities.default_finder()  # the gazetteer's files are read and checked here
        self.version = _version(self.campaigns_file, self.crime_types_file, *_GAZETTEER)
        if compiled.stale():
            logger.warning("extractor {}", compiled.describe())

    def extract(self, article: Article) -> Extraction:
        # the rules read simplified Chinese with ASCII digits; every change keeps the length, so
        # offsets found in `text` are offsets into the article, which quotes are read from
        written = article.text
        text = self.simplifier.simplified(fold_width(written))
        folded = fold(text)
        note_cjk(folded, has_cjk(text))  # folding keeps every character's script
        lang = detect_lang(text)
        mentions = self.campaigns.find(text, folded)
        spans = [(m.start, m.end) for m in mentions]
        regions = entities.find_regions(text, spans)
        doc_region = entities.leading_region(text[: len(article.title)], regions)
        in_title = {m.canonical for m in mentions if m.end <= len(article.title)}
        ctx = Context(
            text=text,
            lang=lang,
            segments=Segments.of(text),
            protected=spans,
            regions=regions,
            campaigns=[Place(m.canonical, m.start, m.end) for m in mentions],
            doc_region=doc_region,
            folded=folded,
            doc_campaign=next(iter(in_title)) if len(in_title) == 1 else None,
            traditional=text != written,
        )
        figures = find_figures(ctx)
        if text != written:
            figures = [
                f
                if f.quote == (quote := written[f.start : f.end])
                else f.model_copy(update={"quote": quote})
                for f in figures
            ]
        home = doc_region or next((r.name for r in regions), None)
        agencies = entities.find_agencies(text, home, folded)
        crime_types = self.crime_types.find(text, folded)
        campaigns: list[CampaignMention] = []
        seen: set[str] = set()
        for m in mentions:
            mention = written[m.start : m.end]
            if mention not in seen:
                seen.add(mention)
                campaigns.append(
                    CampaignMention(
                        canonical=m.canonical,
                        mention=mention,
                        start=m.start,
                        end=m.end,
                        known=m.known,
                    )
                )
        rel = relevance.score(
            text,
            figures=len(figures),
            campaigns=len({m.canonical for m in mentions}),
            agencies=len(agencies),
            crime_types=len(crime_types),
            folded=folded,
        )
        if not rel.relevant:
            # a sports or economy item's numbers and "operations" must not reach the campaign
            # registry, the figures or the new-campaign alert
            campaigns, figures = [], []
        return Extraction(
            extractor_version=self.version,
            campaigns=tuple(campaigns),
            figures=tuple(figures),
            agencies=tuple(agencies),
            regions=tuple(dict.fromkeys(r.name for r in regions)),
            officials=tuple(entities.find_officials(text, folded)),
            crime_types=tuple(crime_types),
            relevance=rel,
        )
