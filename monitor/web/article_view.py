"""An article's text as HTML with each extracted figure's quote marked where it stands, every
piece of the text escaped (a feed can carry `<script>`)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from monitor.models import EnrichedArticle, Figure
from monitor.web.format import figure_label


@dataclass(frozen=True, slots=True)
class FigureRow:
    figure: Figure
    label: str
    anchor: str | None  # the id of the <mark> that shows its quote, if the quote was found


@dataclass(frozen=True, slots=True)
class ArticleView:
    title_html: Markup
    paragraphs: list[Markup]
    rows: list[FigureRow]


Span = tuple[int, int, int]


def _spans(text: str, figures: tuple[Figure, ...]) -> tuple[list[Span], list[str | None]]:
    """Non-overlapping (start, end, figure) spans, and each figure's anchor. Offsets are trusted
    only when they point at the quote; otherwise the quote is looked up in the text."""
    found = []
    for i, f in enumerate(figures):
        start, end = f.start, f.end
        if not (0 <= start < end <= len(text) and text[start:end] == f.quote):
            start = text.find(f.quote) if f.quote else -1
            if start < 0:
                continue
            end = start + len(f.quote)
        found.append((start, end, i))
    found.sort(key=lambda s: (s[0], -s[1]))
    anchors: list[str | None] = [None] * len(figures)
    kept: list[Span] = []
    for start, end, i in found:
        if kept and start < kept[-1][1]:  # inside an earlier quote: point at that one
            anchors[i] = f"fig-{kept[-1][2]}"
            continue
        kept.append((start, end, i))
        anchors[i] = f"fig-{i}"
    return kept, anchors


def _marked(text: str, lo: int, hi: int, spans: list[Span], labels: list[str]) -> Markup:
    out, pos = [], lo
    for start, end, i in spans:
        if end <= lo or start >= hi:
            continue
        s, e = max(start, lo), min(end, hi)
        out.append(escape(text[pos:s]))
        anchor = f' id="fig-{i}"' if start >= lo else ""
        out.append(
            Markup('<mark class="fig"{}{}>{}</mark>').format(
                Markup(anchor), Markup(' title="{}"').format(labels[i]), text[s:e]
            )
        )
        pos = e
    out.append(escape(text[pos:hi]))
    return Markup("").join(out)


def article_view(doc: EnrichedArticle) -> ArticleView:
    text = doc.text  # what the extractor's offsets point into: title, blank line, body
    figures = doc.extraction.figures
    labels = [figure_label(f) for f in figures]
    spans, anchors = _spans(text, figures)
    title_end = len(doc.title)
    paragraphs = []
    pos = title_end + 2
    for line in text[title_end + 2 :].split("\n"):
        end = pos + len(line)
        if line.strip():
            paragraphs.append(_marked(text, pos, end, spans, labels))
        pos = end + 1
    return ArticleView(
        title_html=_marked(text, 0, title_end, spans, labels),
        paragraphs=paragraphs,
        rows=[FigureRow(f, labels[i], anchors[i]) for i, f in enumerate(figures)],
    )
