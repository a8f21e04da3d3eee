"""An article's text as HTML with each extracted figure's quote and each campaign mention marked
where it stands, with an anchor a link can jump to (`#fig-<start>`, `#camp-<start>`, the start
being the extraction's own offset); every piece of the text is escaped (a feed can carry
`<script>`)."""

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
class CampaignLink:
    canonical: str
    mentions: list[tuple[str, str]]  # (the words the text names it by, the id of their <mark>)


@dataclass(frozen=True, slots=True)
class ArticleView:
    title_html: Markup
    paragraphs: list[Markup]
    rows: list[FigureRow]
    campaigns: list[CampaignLink]


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    kind: str  # "fig" or "camp", the class of the <mark>
    anchor: str
    title: str


def _locate(text: str, quote: str, start: int, end: int) -> tuple[int, int] | None:
    """Where `quote` stands: at its offsets when they point at it, else where the text has it."""
    if 0 <= start < end <= len(text) and text[start:end] == quote:
        return start, end
    found = text.find(quote) if quote else -1
    return (found, found + len(quote)) if found >= 0 else None


def _nested(marks: list[_Mark]) -> list[_Mark]:
    """The marks in text order, each cut short where it would cross the end of one it starts in,
    so they nest as HTML must (overlapping quotes are rare, and the start is what links need)."""
    marks = sorted(marks, key=lambda m: (m.start, -m.end))
    out: list[_Mark] = []
    open_ends: list[int] = []
    for m in marks:
        while open_ends and open_ends[-1] <= m.start:
            open_ends.pop()
        if open_ends and m.end > open_ends[-1]:
            m = _Mark(m.start, open_ends[-1], m.kind, m.anchor, m.title)
        out.append(m)
        open_ends.append(m.end)
    return out


def _marked(text: str, lo: int, hi: int, marks: list[_Mark]) -> Markup:
    """`text[lo:hi]` escaped, with the (nested, ordered) marks that reach into it; a mark that
    began before `lo` continues without its anchor, so each id is on the page once."""
    out: list[Markup] = []
    open_ends: list[int] = []  # where each open <mark> ends
    pos = lo
    for m in marks:
        if m.end <= lo or m.start >= hi:
            continue
        s, e = max(m.start, lo), min(m.end, hi)
        while open_ends and open_ends[-1] <= s:
            close = open_ends.pop()
            out += [escape(text[pos:close]), Markup("</mark>")]
            pos = close
        out.append(escape(text[pos:s]))
        anchor = Markup(' id="{}"').format(m.anchor) if m.start >= lo else Markup("")
        out.append(
            Markup('<mark class="{}"{} title="{}">').format(m.kind, anchor, m.title),
        )
        pos = s
        open_ends.append(e)
    while open_ends:
        close = open_ends.pop()
        out += [escape(text[pos:close]), Markup("</mark>")]
        pos = close
    out.append(escape(text[pos:hi]))
    return Markup("").join(out)


def article_view(doc: EnrichedArticle) -> ArticleView:
    text = doc.text  # what the extractor's offsets point into: title, blank line, body
    ext = doc.extraction
    marks: dict[str, _Mark] = {}  # by anchor: two figures at one offset share their mark
    rows = []
    for f in ext.figures:
        label = figure_label(f)
        span = _locate(text, f.quote, f.start, f.end)
        anchor = f"fig-{f.start}" if span else None
        if span and anchor and anchor not in marks:
            marks[anchor] = _Mark(span[0], span[1], "fig", anchor, label)
        rows.append(FigureRow(f, label, anchor))
    campaigns: dict[str, list[tuple[str, str]]] = {}
    for c in ext.campaigns:
        found = campaigns.setdefault(c.canonical, [])
        span = _locate(text, c.mention, c.start, c.end)
        if span is None:
            continue
        anchor = f"camp-{c.start}"
        if anchor not in marks:
            marks[anchor] = _Mark(span[0], span[1], "camp", anchor, f"campaign: {c.canonical}")
        if all(mention != c.mention for mention, _ in found):
            found.append((c.mention, anchor))
    ordered = _nested(list(marks.values()))
    title_end = len(doc.title)
    paragraphs = []
    pos = title_end + 2
    for line in text[title_end + 2 :].split("\n"):
        end = pos + len(line)
        if line.strip():
            paragraphs.append(_marked(text, pos, end, ordered))
        pos = end + 1
    return ArticleView(
        title_html=_marked(text, 0, title_end, ordered),
        paragraphs=paragraphs,
        rows=rows,
        campaigns=[CampaignLink(name, mentions) for name, mentions in campaigns.items()],
    )
