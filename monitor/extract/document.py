"""One article as the extractor's passes see it: the text as written, its normalised form, and
what each pass has found so far (`monitor.extract.passes` fills it in, in order).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from monitor.extract.campaigns import Mention
from monitor.extract.scope import Place
from monitor.extract.text import Segments
from monitor.models import Figure, Official, Relevance

_NO_SEGMENTS: Final = Segments("", [0], [0])


@dataclass(slots=True)
class Document:
    """Filled in by the passes, each its own fields; a pass reads only what earlier ones wrote.

    Offsets into `text` are offsets into `written`: normalising keeps every character's place,
    so quotes and mentions are read from the article as it was written.
    """

    written: str  # the article's text as written (title, a line break, the body)
    title_length: int
    # normalise
    text: str = ""  # simplified Chinese, ASCII digits: what the rules read
    folded: str = ""  # `text` lower-cased (keywords.fold)
    lang: str = "en"
    traditional: bool = False  # written in traditional script (or with regional forms)
    # segment
    segments: Segments = _NO_SEGMENTS
    # names
    mentions: list[Mention] = field(default_factory=list)  # campaign mentions, in text order
    regions: list[Place] = field(default_factory=list)  # places of activity, in text order
    doc_region: str | None = None  # the region the headline opens with
    doc_campaign: str | None = None  # the one campaign the headline names
    agencies: list[str] = field(default_factory=list)
    crime_types: list[str] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    # figures
    figures: list[Figure] = field(default_factory=list)
    # relevance
    relevance: Relevance | None = None

    @property
    def home(self) -> str | None:
        """The region an unnamed 'municipal' or 省公安厅 belongs to: the headline's, else the
        first the text names."""
        if self.doc_region is not None:
            return self.doc_region
        return self.regions[0].name if self.regions else None
