"""How figures, numbers, dates and links read on the pages: "17,000 arrested", "2.995 billion
yuan seized", "more than 1,000 cases solved", "nearly 2,000 arrested"; and which links are safe
to render. A figure is shown with every digit it has: rounding 29.95亿元 to "3 billion" would
misreport it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Protocol
from urllib.parse import quote, urlsplit

from monitor.models import Figure


class ReportedFigureLike(Protocol):
    approx: str
    value: float
    unit: str
    quote: str


_MEASURES = {
    "arrested": "arrested",
    "detained": "detained",
    "cases_solved": "cases solved",
    "gangs_destroyed": "gangs destroyed",
    "money_seized": "seized",
    "money_involved": "involved",
    "websites_closed": "websites closed",
    "accounts_closed": "accounts closed",
    "information_removed": "items removed",
    "victims_rescued": "people rescued",
    "punished_units": "units punished",
    "decline_percent": "decline",
}
_APPROX = {"exact": "", "more_than": "more than ", "about": "about ", "less_than": "under "}
# "Nearly" is an `about` (or, in announcements extracted before 近 was read so, a `less_than`)
# whose own words say nearly: 近/将近/接近 before the number, not 最近 (recently).
_NEARLY = re.compile(
    r"(?<!最)近(?=\s*[0-9０-９一二两三四五六七八九十百千万亿])|将近|接近|\bnearly\b|\balmost\b",
    re.IGNORECASE,
)
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def measure_label(measure: str) -> str:
    """`cases_solved` -> "cases solved", `other:cards_seized` -> "cards seized"."""
    if measure in _MEASURES:
        return _MEASURES[measure]
    return measure.removeprefix("other:").replace("_", " ")


_NAMES = {
    "money_seized": "money seized",
    "money_involved": "money involved",
    "decline_percent": "decline (%)",
}


def measure_name(measure: str) -> str:
    """A measure standing alone, as in a facet: "money seized" where a chip says "seized"."""
    return _NAMES.get(measure) or measure_label(measure)


def _digits(value: Decimal) -> str:
    text = f"{value.normalize():,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def number(value: float) -> str:
    """Every digit of `value` and no more, grouped: 17,000, 2.995, 0.125."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return _digits(Decimal(repr(value)))


def amount(value: float, unit: str) -> str:
    """A value with its unit as a reader says it: "2.995 billion yuan", "35%", "17,000"."""
    if unit == "percent":
        return f"{number(value)}%"
    if unit == "CNY":
        for scale, word in _SCALES:
            if abs(value) >= scale:
                return f"{_digits(Decimal(repr(value)) / scale)} {word} yuan"
        return f"{number(value)} yuan"
    return number(value)


def qualifier(figure: Figure | ReportedFigureLike) -> str:
    """The words before a figure's number: "", "more than ", "about ", "nearly ", "under "."""
    if figure.approx in ("about", "less_than") and _NEARLY.search(figure.quote):
        return "nearly "
    return _APPROX.get(figure.approx, "")


def figure_amount(figure: Figure | ReportedFigureLike) -> str:
    """A figure without its measure: "more than 6,000", "2.995 billion yuan"."""
    return f"{qualifier(figure)}{amount(figure.value, figure.unit)}"


def figure_label(figure: Figure) -> str:
    """The chip text of a figure: "more than 17,000 arrested"."""
    return f"{figure_amount(figure)} {measure_label(figure.measure)}"


def chips(figures: Iterable[Figure], limit: int = 6) -> list[tuple[str, str]]:
    """Up to `limit` distinct figure labels of an article, each with the quote it came from."""
    seen: dict[str, str] = {}
    for figure in figures:
        seen.setdefault(figure_label(figure), figure.quote)
    return list(seen.items())[:limit]


def compact(value: float) -> str:
    """An axis tick: 17k, 2.9M, 1.2B."""
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            return f"{value / scale:.3g}{suffix}"
    return f"{value:.3g}"


def day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def safe_url(url: str | None) -> str | None:
    """The URL if a browser may follow it from our page (http or https), else None:
    a feed can carry `javascript:` links."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def path_part(value: str) -> str:
    """A value quoted for one segment of a path (campaign names carry spaces, slashes, 汉字)."""
    return quote(value, safe="")


def html_lang(lang: str) -> str:
    """The lang attribute for content: simplified Chinese glyphs, not Japanese ones."""
    return "zh-CN" if lang == "zh" else (lang or "en")


def chinese_name(mentions: list[str]) -> str | None:
    """The campaign's name as written in Chinese, when an article wrote it so."""
    written = [m for m in mentions if _CJK.search(m)]
    return min(written, key=len) if written else None
