"""HTML-safe highlighting of query terms: a marked title and a snippet around the first match."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence

from monitor.index.query import Node, terms

SNIPPET_CHARS = 240
_TEXT_FIELDS = (None, "title", "body")


def fold(text: str) -> str:
    """What both the index and the query see: NFKC (full-width digits become ASCII)."""
    return unicodedata.normalize("NFKC", text)


def pattern(query: Node | None) -> re.Pattern[str] | None:
    """One regex matching any positive text term of the query, case-insensitively."""
    parts = []
    for term in terms(query):
        if term.field not in _TEXT_FIELDS:
            continue
        words = [re.escape(w) for w in fold(term.text).split()]
        body = r"\W+".join(words)
        if term.prefix:
            body += r"\w*"
        if body:
            parts.append(body)
    if not parts:
        return None
    parts.sort(key=len, reverse=True)
    return re.compile("|".join(parts), re.IGNORECASE)


def campaigns_asked(query: Node | None) -> list[str]:
    """The `campaign:` values of a query's positive terms, folded (what `for_campaigns` takes)."""
    return [_words(t.text) for t in terms(query) if t.field == "campaign" and not t.prefix]


def _words(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", fold(text).casefold()))


def for_campaigns(
    rx: re.Pattern[str] | None, asked: Sequence[str], mentions: Iterable[tuple[str, str]]
) -> re.Pattern[str] | None:
    """`rx` that also marks an article's own mentions (canonical name, text as written) of the
    campaigns a query asked for by name: 净网2021 asked marks "Cleaning the Internet 2021"."""
    if not asked:
        return rx
    extra = {
        mention
        for canonical, mention in mentions
        if mention.strip() and any(f" {a} " in f" {_words(canonical)} " for a in asked)
    }
    if not extra:
        return rx
    parts = [re.escape(m) for m in sorted(extra, key=len, reverse=True)]
    if rx is not None:
        parts.append(rx.pattern)
    return re.compile("|".join(parts), re.IGNORECASE)


def mark(text: str, rx: re.Pattern[str] | None) -> str:
    """`text` escaped, with every match wrapped in <mark>."""
    if rx is None:
        return html.escape(text)
    out, last = [], 0
    for m in rx.finditer(text):
        if m.end() == m.start():
            continue
        out.append(html.escape(text[last : m.start()]))
        out.append(f"<mark>{html.escape(m.group())}</mark>")
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(text: str, rx: re.Pattern[str] | None, size: int = SNIPPET_CHARS) -> str:
    """An escaped window of `text` around the first match (or its opening), marked."""
    text = " ".join(text.split())
    first = rx.search(text) if rx is not None else None
    if first is None:
        window = text[:size]
        return html.escape(window) + ("…" if len(text) > size else "")
    start = max(0, first.start() - size // 3)
    if start:
        space = text.find(" ", start, first.start())
        start = space + 1 if space != -1 else start
    end = min(len(text), start + size)
    prefix = "…" if start else ""
    suffix = "…" if end < len(text) else ""
    return prefix + mark(text[start:end], rx) + suffix


def strip_marks(snippet_html: str) -> str:
    """A snippet as plain text (for terminals)."""
    return html.unescape(snippet_html.replace("<mark>", "").replace("</mark>", ""))
