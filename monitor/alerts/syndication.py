"""Syndicated copies: the same announcement carried by several sources, recognised by the
same title and nearly the same text, so it makes one alert that lists every source."""

from __future__ import annotations

import hashlib

from monitor.alerts.match import tokens
from monitor.models import Article

SHINGLE = 4
SIMILAR = 0.8  # Jaccard similarity of word shingles above which two texts are one story


def title_key(article: Article) -> str:
    """Equal for titles that differ only in case, width, punctuation or spacing."""
    normal = " ".join(tokens(article.title))
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:24]


def shingles(text: str) -> frozenset[str]:
    words = tokens(text)
    if len(words) <= SHINGLE:
        return frozenset([" ".join(words)])
    return frozenset(" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))


def same_story(a: Article, b: Article) -> bool:
    """True when `b` is a copy of `a`: same title key and nearly the same text."""
    if title_key(a) != title_key(b):
        return False
    sa, sb = shingles(a.body or a.summary), shingles(b.body or b.summary)
    if not sa or not sb:
        return True
    return len(sa & sb) / len(sa | sb) >= SIMILAR
