"""What the English and Chinese figure finders share: the context of one text, verb lookups,
the region and campaign a figure falls under, and the fields of a Figure once a number's unit and
candidate verbs are known.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from monitor.extract import lexicon as lx
from monitor.extract.keywords import Keywords
from monitor.extract.numbers import Number
from monitor.extract.text import Segments

CLOSE_QUOTES = '"”’」』'
OPEN_QUOTES = '“"‘「『'
PHONE = re.compile(r"\d{7,}")
YEAR = re.compile(r"(?:19|20)\d{2}")
DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[A-Za-z]+")
_PLACE_AFTER = re.compile(r"\b(?:at|to|from|visit(?:ed)?|via)\s+$", re.IGNORECASE)


class Place(NamedTuple):  # tuples: made per match, and a frozen dataclass is slow to build
    name: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Context:
    text: str
    lang: str
    segments: Segments
    protected: Sequence[tuple[int, int]]  # campaign mentions: their numbers are names
    regions: Sequence[Place]
    campaigns: Sequence[Place]
    doc_region: str | None
    doc_campaign: str | None = None  # the one campaign a headline names
    folded: str = ""  # keywords.fold(text)
    verbs: Sequence[tuple[int, int, str]] = ()  # (start, end, class), in text order
    verb_starts: Sequence[int] = ()


class Noun(NamedTuple):
    unit: str
    slug: str
    start: int
    end: int


_EN_VERBS = Keywords(lx.EN_VERB_CLASS.items())
_ZH_VERBS = Keywords(lx.ZH_VERB_CLASS.items(), folded=False)
_NOT_THE_VERB = re.compile(r"\s+(?:down\b|against\b|into\b)")  # "crack down on", "broke into"
_AUXILIARIES = frozenset(
    ["were", "was", "have been", "has been", "had been", "are", "is", "been", "being", "got"]
)
_ADVERBS = frozenset(["also", "all", "successfully", "further", "then"])


def _auxiliary_before(folded: str, at: int) -> bool:
    """'were arrested', 'have been successfully detected': a passive auxiliary ends before `at`."""
    words = folded[max(0, at - 40) : at].split()[-3:]
    if words and (words[-1].endswith("ly") or words[-1] in _ADVERBS):
        words = words[:-1]
    return bool(words) and (words[-1] in _AUXILIARIES or " ".join(words[-2:]) in _AUXILIARIES)


def all_verbs(ctx: Context) -> list[tuple[int, int, str]]:
    if ctx.lang == "zh":
        return _ZH_VERBS.find(ctx.text)
    return [
        (s, e, cls)
        for s, e, cls in _EN_VERBS.find(ctx.folded)
        if not _NOT_THE_VERB.match(ctx.folded, e)
    ]


def verbs(ctx: Context, start: int, end: int) -> list[tuple[str, int, int]]:
    """Verb classes within text[start:end], nearest (last) first."""
    i = bisect_left(ctx.verb_starts, start)
    j = bisect_left(ctx.verb_starts, end)
    return [(c, s, e) for s, e, c in reversed(ctx.verbs[i:j]) if e <= end]


def passive(ctx: Context, start: int, end: int) -> list[tuple[str, int, int]]:
    """Verbs after the counted noun that a passive auxiliary leads ('were arrested'), in order."""
    if ctx.lang == "zh":
        if not ctx.text.startswith("被", start):
            return []
        return verbs(ctx, start, end)[::-1]
    return [v for v in verbs(ctx, start, end)[::-1] if _auxiliary_before(ctx.folded, v[1])]


def quoted_term(text: str, n: Number) -> bool:
    """A number opening a short quoted term (“两卡”, "Four Pipes") names something, not counts."""
    if text[n.start - 1 : n.start] not in OPEN_QUOTES or n.start == 0:
        return False
    return any(c in CLOSE_QUOTES for c in text[n.end : n.end + 6])


def figure_fields(
    ctx: Context,
    n: Number,
    unit: str,
    slug: str,
    noun: Noun | None,
    candidates: Iterable[tuple[str, int, int, str]],
    leads: bool,
) -> dict[str, Any] | None:
    """The fields of a Figure, or None when no verb says what was done with the count."""
    chosen = None
    for cls, s, e, where in candidates:
        measure = lx.measure(cls, unit, slug)
        if measure is not None:
            chosen = (measure, s, e, where)
            break
    if chosen is None:
        measure = lx.measure(None, unit, slug)
        if measure is None:
            return None
        chosen = (measure, n.start, n.start, "none")
    measure, vs, ve, where = chosen
    start, end = n.start, n.end
    if noun is not None:
        start, end = min(start, noun.start), max(end, noun.end)
    if where == "passive":
        end = max(end, ve)
    elif (where == "clause" and vs >= n.start - 60 and not DIGIT.search(ctx.text, ve, n.start)) or (
        where == "previous" and noun is not None and noun.start < n.start
    ):
        start = min(start, vs)
    region, campaign = _scope(ctx, n.start, leads)
    return dict(
        value=n.value,
        unit=unit,
        measure=measure,
        approx=n.approx,
        quote=ctx.text[start:end],
        start=start,
        end=end,
        region=region,
        campaign=campaign,
    )


def _places_before(places: Sequence[Place], start: int, end: int) -> list[str]:
    names: list[str] = []
    for p in places:
        if p.start >= end:
            break  # places are in text order
        if start <= p.start and p.name not in names:
            names.append(p.name)
    return names


_POLICE_IN = re.compile(
    r"(?:police|public\s+security|agencies|authorities|organs|bureaus?|departments?|officers|"
    r"prosecutors|courts?)\s+(?:in|of|from)\s+$",
    re.IGNORECASE,
)
_ZH_NOT_SUBJECT = "在于赴到自往从"


def is_subject(ctx: Context, place: Place) -> bool:
    """A region that leads its clause, or the police of a region: it scopes what follows."""
    clause_start, _ = ctx.segments.clause(place.start)
    before = ctx.text[clause_start : place.start]
    if ctx.lang == "zh":
        return len(before.strip()) <= 6 and not before.endswith(tuple(_ZH_NOT_SUBJECT))
    if len(_WORD.findall(before)) <= 3 and not _PLACE_AFTER.search(before):
        return True
    return bool(_POLICE_IN.search(before))


def _scope(ctx: Context, pos: int, leads: bool) -> tuple[str | None, str | None]:
    """The region and the campaign a figure at `pos` falls under: those named before it in its
    sentence, else (when the number leads its sentence) in the previous one, else the
    document's."""
    sent_start, _ = ctx.segments.sentence(pos)
    # find_figures kept only the regions that scope their clause
    regions = _places_before(ctx.regions, sent_start, pos) if ctx.regions else []
    campaigns = _places_before(ctx.campaigns, sent_start, pos) if ctx.campaigns else []
    if leads and (not regions or not campaigns) and (ctx.regions or ctx.campaigns):
        p_start, p_end = ctx.segments.previous_sentence(pos)
        if not regions:
            regions = _places_before(ctx.regions, p_start, p_end)
        if not campaigns:
            campaigns = _places_before(ctx.campaigns, p_start, p_end)
    return (
        ", ".join(regions) if regions else ctx.doc_region,
        campaigns[-1] if campaigns else ctx.doc_campaign,
    )
