"""The extractor's passes over one `Document`, in the order `Extractor.extract` runs them:
normalise, segment, names (campaigns, regions, bodies, crime types, officials), figures,
relevance. Each reads what earlier passes wrote and fills in its own fields.
"""

from __future__ import annotations

from monitor.extract import entities, relevance
from monitor.extract.agencies import find_agencies as agencies_in
from monitor.extract.campaigns import CampaignFinder
from monitor.extract.crime_types import CrimeTypeFinder
from monitor.extract.document import Document
from monitor.extract.figures import Context, Place, find_figures
from monitor.extract.keywords import Scanner, fold
from monitor.extract.numbers import fold_width
from monitor.extract.officials import find_officials
from monitor.extract.text import Segments, Simplifier, detect_lang, has_cjk, note_cjk
from monitor.models import CampaignMention, Extraction


def normalise(doc: Document, simplifier: Simplifier, scanner: Scanner) -> None:
    """Simplified Chinese with ASCII digits, and its folded form. Every change keeps the length,
    so offsets found in `text` are offsets into the article, which quotes are read from. The
    keyword lists of the passes that follow read their hits from one scan of each."""
    doc.text = simplifier.simplified(fold_width(doc.written))
    doc.folded = fold(doc.text)
    note_cjk(doc.folded, has_cjk(doc.text))  # folding keeps every character's script
    scanner.share(doc.folded, doc.text)
    doc.lang = detect_lang(doc.text)
    doc.traditional = doc.text != doc.written


def segment(doc: Document) -> None:
    doc.segments = Segments.of(doc.text)


def find_campaigns(doc: Document, finder: CampaignFinder) -> None:
    doc.mentions = finder.find(doc.text, doc.folded)
    in_title = {m.canonical for m in doc.mentions if m.end <= doc.title_length}
    doc.doc_campaign = next(iter(in_title)) if len(in_title) == 1 else None


def find_regions(doc: Document) -> None:
    """Places of activity, outside campaign names (so campaigns come first)."""
    doc.regions = entities.find_regions(doc.text, [(m.start, m.end) for m in doc.mentions])
    doc.doc_region = entities.leading_region(doc.text[: doc.title_length], doc.regions)


def find_agencies(doc: Document) -> None:
    doc.agencies = agencies_in(doc.text, doc.home, doc.folded)


def find_crime_types(doc: Document, finder: CrimeTypeFinder) -> None:
    doc.crime_types = finder.find(doc.text, doc.folded)


def find_people(doc: Document) -> None:
    doc.officials = find_officials(doc.text, doc.folded)


def _lead(doc: Document) -> tuple[int, int]:
    """The body's first sentence, past the lines a byline, a section name or a dateline take
    (which end in a letter, not a stop), within its first 400 characters."""
    segments, text = doc.segments, doc.text
    at = doc.title_length
    while at < min(len(text), doc.title_length + 400):
        start, end = segments.sentence(at)
        last = text[start:end].rstrip()[-1:]
        if start >= doc.title_length and last and not last.isalnum():
            return start, end
        at = max(end, at + 1)
    return 0, 0


def attach_figures(doc: Document) -> None:
    """The numbers of the text and, for each, what it counts and the measure, region and
    campaign it belongs to."""
    mentions = doc.mentions
    figures = find_figures(
        Context(
            text=doc.text,
            lang=doc.lang,
            segments=doc.segments,
            protected=[(m.start, m.end) for m in mentions],
            regions=doc.regions,
            campaigns=[Place(m.canonical, m.start, m.end) for m in mentions],
            doc_region=doc.doc_region,
            folded=doc.folded,
            doc_campaign=doc.doc_campaign,
            traditional=doc.traditional,
            lead=_lead(doc),
        )
    )
    if doc.traditional:
        written = doc.written
        figures = [
            f
            if f.quote == (quote := written[f.start : f.end])
            else f.model_copy(update={"quote": quote})
            for f in figures
        ]
    doc.figures = figures


def judge_relevance(doc: Document) -> None:
    """Whether this is an enforcement announcement at all. A sports or economy item's numbers and
    "operations" must not reach the campaign registry, the figures or the new-campaign alert, so
    an irrelevant document loses its campaigns and figures here."""
    doc.relevance = relevance.score(
        doc.text,
        figures=len(doc.figures),
        campaigns=len({m.canonical for m in doc.mentions}),
        agencies=len(doc.agencies),
        crime_types=len(doc.crime_types),
        folded=doc.folded,
    )
    if not doc.relevance.relevant:
        doc.mentions, doc.figures = [], []


def extraction(doc: Document, version: str) -> Extraction:
    """What the passes found, as the extraction the rest of the monitor stores: one campaign
    mention per written form, read from the article as written."""
    campaigns: list[CampaignMention] = []
    seen: set[str] = set()
    for m in doc.mentions:
        mention = doc.written[m.start : m.end]
        if mention not in seen:
            seen.add(mention)
            campaigns.append(
                CampaignMention(
                    canonical=m.canonical, mention=mention, start=m.start, end=m.end, known=m.known
                )
            )
    assert doc.relevance is not None, "judge_relevance runs before the extraction is read"
    return Extraction(
        extractor_version=version,
        campaigns=tuple(campaigns),
        figures=tuple(doc.figures),
        agencies=tuple(doc.agencies),
        regions=tuple(dict.fromkeys(r.name for r in doc.regions)),
        officials=tuple(doc.officials),
        crime_types=tuple(doc.crime_types),
        relevance=doc.relevance,
    )
