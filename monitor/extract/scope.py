"""What the English and Chinese figure finders share: the context of one text, verb lookups,
the region and campaign a figure falls under, and the fields of a Figure once a number's unit and
candidate verbs are known.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, Final

from monitor.extract import lexicon as lx
from monitor.extract.figure_kind import KindMarkers, figure_kind
from monitor.extract.keywords import Keywords
from monitor.extract.numbers import EN_CURRENCY_LAST, Number
from monitor.extract.text import ClauseScan, Segments, bisect_left, positions
from monitor.models import FigureKind

CLOSE_QUOTES: Final = '"”’」』'
OPEN_QUOTES: Final = '“"‘「『'


def is_phone(raw: str) -> bool:
    """Seven digits or more and nothing else: a phone number or an id, no count."""
    return len(raw) >= 7 and raw.isdecimal()


def is_year(raw: str) -> bool:
    """A year of this century or the last, written in four digits."""
    return len(raw) == 4 and raw.startswith(("19", "20")) and raw[2:].isdecimal()


DIGIT: Final = re.compile(r"\d")
_PLACE_AFTER: Final = re.compile(r"\b(?:at|to|from|visit(?:ed)?|via)\s+$", re.IGNORECASE)


class Place:
    """A named place (or campaign) at text[start:end]. A plain class, which the compiled extractor
    builds natively (a NamedTuple's or a dataclass's constructor runs as Python)."""

    name: str
    start: int
    end: int

    def __init__(self, name: str, start: int, end: int) -> None:
        self.name = name
        self.start = start
        self.end = end


class Context:
    """What the figure finders read of one text. A plain class the compiled extractor builds
    natively; treated as immutable: `replace` gives a changed copy."""

    text: str
    lang: str
    segments: Segments
    protected: Sequence[tuple[int, int]]  # campaign mentions: their numbers are names
    regions: Sequence[Place]
    campaigns: Sequence[Place]
    doc_region: str | None
    doc_campaign: str | None  # the one campaign a headline names
    traditional: bool  # written in traditional script (read here in simplified)
    folded: str  # keywords.fold(text)
    index: FigureIndex | None  # built by find_figures
    lead: tuple[int, int]  # the lead sentence: its subject is the story's region

    def __init__(
        self,
        text: str,
        lang: str,
        segments: Segments,
        protected: Sequence[tuple[int, int]],
        regions: Sequence[Place],
        campaigns: Sequence[Place],
        doc_region: str | None,
        doc_campaign: str | None = None,
        traditional: bool = False,
        folded: str = "",
        index: FigureIndex | None = None,
        lead: tuple[int, int] = (0, 0),
    ) -> None:
        self.text = text
        self.lang = lang
        self.segments = segments
        self.protected = protected
        self.regions = regions
        self.campaigns = campaigns
        self.doc_region = doc_region
        self.doc_campaign = doc_campaign
        self.traditional = traditional
        self.folded = folded
        self.index = index
        self.lead = lead

    def replace(
        self,
        *,
        folded: str | None = None,
        doc_region: str | None = None,
        index: FigureIndex | None = None,
    ) -> Context:
        """A copy with the fields given (not None) changed."""
        return Context(
            self.text,
            self.lang,
            self.segments,
            self.protected,
            self.regions,
            self.campaigns,
            self.doc_region if doc_region is None else doc_region,
            self.doc_campaign,
            self.traditional,
            self.folded if folded is None else folded,
            self.index if index is None else index,
            self.lead,
        )


class Noun:
    """What a number counts (unit and slug) and where its noun stands. A plain class, as `Place`."""

    unit: str
    slug: str
    start: int
    end: int

    def __init__(self, unit: str, slug: str, start: int, end: int) -> None:
        self.unit = unit
        self.slug = slug
        self.start = start
        self.end = end


_EN_VERBS: Final = Keywords(lx.EN_VERB_CLASS.items(), shared=True)
_ZH_VERBS: Final = Keywords(lx.ZH_VERB_CLASS.items(), folded=False, shared=True)
# "crack down on", "broke into"; but "cracked down on 1,032 criminal cases" solved them
_NOT_THE_VERB: Final = re.compile(
    r"\s+(?:down\b(?!\s+on\s+(?:more\s+than\s+|over\s+|nearly\s+|about\s+|some\s+)?\d)|"
    r"against\b|into\b)"
)
_AUXILIARIES: Final = frozenset(
    ["were", "was", "have been", "has been", "had been", "are", "is", "been", "being", "got"]
)
_ADVERBS: Final = frozenset(["also", "all", "successfully", "further", "then"])


def _auxiliary_before(folded: str, at: int) -> bool:
    """'were arrested', 'have been successfully detected': a passive auxiliary ends before `at`."""
    words = folded[max(0, at - 40) : at].rsplit(None, 3)[-3:]  # the last three words
    if words and (words[-1].endswith("ly") or words[-1] in _ADVERBS):
        words = words[:-1]
    return bool(words) and (words[-1] in _AUXILIARIES or " ".join(words[-2:]) in _AUXILIARIES)


# "14 million yuan involved": the bare participle says what an amount is only right after it
# ("seized assets involved in the case" is the seizing)
_AMOUNT_LAST: Final = EN_CURRENCY_LAST | {"thousand", "million", "billion", "trillion"}


def _verb_here(folded: str, start: int, end: int) -> bool:
    # one word: "crack down on", "broke into" ("criminal measures against 800 people" is one)
    if folded.find(" ", start, end) < 0 and _NOT_THE_VERB.match(folded, end):
        return False
    if end - start == 8 and folded.startswith("involved", start):
        before = folded[max(0, start - 24) : start].rsplit(None, 1)
        last = before[-1].rstrip(")") if before else ""
        return last in _AMOUNT_LAST or last[-1:].isdigit()
    return True


def all_verbs(ctx: Context) -> list[tuple[int, int, str]]:
    if ctx.lang == "zh":
        return _ZH_VERBS.find(ctx.text)
    return [(s, e, cls) for s, e, cls in _EN_VERBS.find(ctx.folded) if _verb_here(ctx.folded, s, e)]


_WALK: Final = 8  # verbs read one by one before the per-class lookup takes over
# characters: how far from a number the noun before it, or a passive verb after it, may stand. A
# figure's quote spans from one to the other, so without a bound a long clause of numbers that
# all reach one noun or verb gives quotes whose total length grows with the square of the clause
REACH: Final = 200
_CLASSES: Final = frozenset(lx.EN_VERB_CLASS.values()) | frozenset(lx.ZH_VERB_CLASS.values())


@lru_cache(maxsize=256)
def fitting(unit: str, slug: str) -> frozenset[str]:
    """The verb classes that give a measure for what a number counts."""
    return frozenset(c for c in _CLASSES if lx.measure(c, unit, slug) is not None)


class Verbs:
    """The verbs of one text, (start, end, class) in text order, and the lookups the figure
    finders make in a range: the nearest verb, and the nearest (or first) verb whose class fits
    a unit. A figure's verb is usually among the few nearest; past those the lookup bisects each
    fitting class's own list, so a long clause is not read through for every number in it."""

    def __init__(self, found: Sequence[tuple[int, int, str]], folded: str, english: bool) -> None:
        self.items = found
        self.starts = [v[0] for v in found]
        self._folded = folded
        self._english = english
        self._classes: dict[str, list[int]] | None = None
        self._passive_classes: dict[str, list[int]] | None = None

    def _range(self, start: int, end: int) -> tuple[int, int]:
        """The indexes of the verbs within text[start:end]; verbs do not overlap, so only the last
        one starting before `end` can run past it."""
        i = bisect_left(self.starts, start)
        j = bisect_left(self.starts, end)
        if j > i and self.items[j - 1][1] > end:
            j -= 1
        return i, j

    def nearest(self, start: int, end: int) -> tuple[str, int, int] | None:
        """The last verb within text[start:end], as (class, start, end)."""
        i, j = self._range(start, end)
        if j <= i:
            return None
        s, e, c = self.items[j - 1]
        return c, s, e

    def following(self, start: int, end: int) -> tuple[str, int, int] | None:
        """The first verb within text[start:end], as (class, start, end)."""
        i, j = self._range(start, end)
        if j <= i:
            return None
        s, e, c = self.items[i]
        return c, s, e

    def _passive(self, k: int) -> bool:
        return _auxiliary_before(self._folded, self.items[k][0])

    def _by_class(self, passive: bool) -> dict[str, list[int]]:
        built = self._passive_classes if passive else self._classes
        if built is None:
            built = {}
            for k, verb in enumerate(self.items):
                if not passive or self._passive(k):
                    built.setdefault(verb[2], []).append(k)
            if passive:
                self._passive_classes = built
            else:
                self._classes = built
        return built

    def first(
        self, start: int, end: int, fits: frozenset[str], *, forward: bool, passive: bool
    ) -> tuple[str, int, int] | None:
        """The first verb within text[start:end] whose class is in `fits`, reading from the start
        (`forward`) or from the end; with `passive`, in English, only verbs a passive auxiliary
        leads ('were arrested')."""
        i, j = self._range(start, end)
        if j <= i:
            return None
        aux = passive and self._english
        items = self.items
        near = range(i, min(j, i + _WALK)) if forward else range(j - 1, max(i, j - _WALK) - 1, -1)
        for k in near:
            s, e, c = items[k]
            if c in fits and (not aux or self._passive(k)):
                return c, s, e
        if j - i <= _WALK:
            return None
        lo, hi = (i + _WALK, j) if forward else (i, j - _WALK)
        classes = self._by_class(aux)
        best = -1
        for c in fits:
            ks = classes.get(c)
            if not ks:
                continue
            if forward:
                p = bisect_left(ks, lo)
                if p < len(ks) and ks[p] < hi and (best < 0 or ks[p] < best):
                    best = ks[p]
            else:
                p = bisect_left(ks, hi) - 1
                if p >= 0 and ks[p] >= lo and ks[p] > best:
                    best = ks[p]
        if best < 0:
            return None
        s, e, c = items[best]
        return c, s, e


class Places:
    """Places (regions or campaigns) in text order, and the distinct names of those starting in a
    range, in order of first appearance. The names of a range that extends the one asked before
    from the same start are read on from where that one stopped: the figures of one sentence ask
    for the places before each of them, and re-reading the sentence from its start every time
    made a long sentence quadratic."""

    def __init__(self, places: Sequence[Place]) -> None:
        self.places = places
        self._starts = [p.start for p in places]
        self._memo: dict[int, tuple[int, list[str], set[str]]] = {}

    def __bool__(self) -> bool:
        return bool(self.places)

    def names(self, start: int, end: int) -> list[str]:
        j = bisect_left(self._starts, end)
        memo = self._memo.get(start)
        names: list[str]
        seen: set[str]
        if memo is None or memo[0] > j:
            i, names, seen = bisect_left(self._starts, start), [], set()
        else:
            i, names, seen = memo
        for p in self.places[i:j]:
            if p.name not in seen:
                seen.add(p.name)
                names.append(p.name)
        self._memo[start] = (max(i, j), names, seen)
        return names

    def last_run(self, text: str, start: int, end: int) -> list[str]:
        """The names of the last run of places starting in text[start:end], a run being places
        only a list's joiners part ("广东、浙江", "Guangdong, Zhejiang and Fujian"): in
        "广东抓获1500名，浙江抓获900名" the 900 are Zhejiang's alone."""
        j = bisect_left(self._starts, end) - 1
        if j < 0 or self._starts[j] < start:
            return []
        i = j
        while (
            i > 0
            and self._starts[i - 1] >= start
            and _joiner(text[self.places[i - 1].end : self.places[i].start])
        ):
            i -= 1
        return self._run(i, j)

    def run_at(self, text: str, at: int) -> tuple[list[str], int]:
        """The names of the run of places that starts at `at` ("Maoming, Guangzhou and
        Beijing"), and where it ends; none when no place starts there."""
        i = bisect_left(self._starts, at)
        if i == len(self.places) or self._starts[i] != at:
            return [], at
        j = i
        while j + 1 < len(self.places) and _joiner(
            text[self.places[j].end : self.places[j + 1].start]
        ):
            j += 1
        return self._run(i, j), self.places[j].end

    def _run(self, i: int, j: int) -> list[str]:
        """The distinct names of places i to j, a run: an address is its innermost place."""
        return innermost(list(dict.fromkeys(p.name for p in self.places[i : j + 1])))


def innermost(names: list[str]) -> list[str]:
    """A run of places that is an address names one place, the innermost: 浙江杭州 and "Hangzhou,
    Zhejiang" are Hangzhou (the gazetteer puts one within the other), "Huan County, Qingyang" is
    Huan County (a county the gazetteer lacks, beside a city)."""
    if len(names) < 2:
        return names
    from monitor.extract.entities import default_finder  # entities imports this module's Place

    finder = default_finder()
    within, level = finder.within, finder.level
    outer: set[str] = set()
    for k, name in enumerate(names):
        up = within.get(name)
        for _ in range(4):  # district, city, province: a few steps up at most
            if up is None:
                break
            outer.add(up)
            up = within.get(up)
        if name not in level and name.endswith((" County", " District")):
            outer.update(n for n in names[max(0, k - 1) : k + 2] if level.get(n) == "city")
    return [n for n in names if n not in outer] or names


def _joiner(between: str) -> bool:
    """Whether the text between two places only lists them (China, never a region of its own,
    may stand in the list)."""
    words = "".join(between.split()).lower().strip("、,，/")
    if "china" in words or "中国" in words:
        words = words.replace("china", "").replace("中国", "").strip("、,，/")
    return words in _JOINERS


_JOINERS: Final = frozenset({"", "and", ",and", "or", "和", "及", "与", "以及", "或", "、以及"})


class FigureIndex:
    """What the figure finders look up for every number of one text, built once per text (a
    plain class the compiled extractor builds natively)."""

    verbs: Verbs
    nouns: ClauseScan[tuple[str, str]]  # (unit, slug) of the nouns of each clause
    regions: Places  # only those that scope what follows (see `subjects`)
    places: Places  # every region, for the place an English figure names after it
    campaigns: Places
    leads: dict[int, tuple[int, int, int]]  # Chinese sentence start -> where its words start
    # the words that make a figure cumulative or about one case (none: every figure a period's)
    kinds: KindMarkers
    parts: list[int]  # where the words that break a Chinese total down start (其中)
    # the spans of the words that make a figure national (全国, "nationwide"), in text order
    nationwide: Sequence[tuple[int, int]]

    def __init__(
        self,
        verbs: Verbs,
        nouns: ClauseScan[tuple[str, str]],
        regions: Places,
        places: Places,
        campaigns: Places,
        leads: dict[int, tuple[int, int, int]],
        kinds: KindMarkers | None = None,
        parts: list[int] | None = None,
        nationwide: Sequence[tuple[int, int]] = (),
    ) -> None:
        self.verbs = verbs
        self.nouns = nouns
        self.regions = regions
        self.places = places
        self.campaigns = campaigns
        self.leads = leads
        self.kinds = kinds if kinds is not None else KindMarkers("", english=True)
        self.parts = parts if parts is not None else []
        self.nationwide = nationwide


def index_of(ctx: Context) -> FigureIndex:
    assert ctx.index is not None, "find_figures builds the index"
    return ctx.index


def quoted_term(text: str, n: Number) -> bool:
    """A number opening a short quoted term (“两卡”, "Four Pipes") names something, not counts."""
    if text[n.start - 1 : n.start] not in OPEN_QUOTES or n.start == 0:
        return False
    # two characters in Chinese, a word or two in English ("two cards")
    return any(c in CLOSE_QUOTES for c in text[n.end : n.end + 12])


def figure_fields(
    ctx: Context,
    n: Number,
    unit: str,
    slug: str,
    noun: Noun | None,
    groups: Iterable[tuple[str, int, int]],
    leads: bool,
    part_of: tuple[str, FigureKind] | None = None,
) -> dict[str, Any] | None:
    """The fields of a Figure, or None when no verb says what was done with the count. `groups`
    are the places a verb is looked for, in the order they are trusted, as (where, start, end):
    "passive" (a verb a passive auxiliary leads) and "after" (any verb) read their range
    forward, the others from the number back. `part_of` is the measure and kind of the total a
    count without a verb of its own is a part of (其中…, 分别有…)."""
    chosen = None
    fits = fitting(unit, slug)
    verbs = index_of(ctx).verbs
    for where, g_start, g_end in groups:
        passive = where == "passive"
        forward = passive or where == "after"
        hit = verbs.first(g_start, g_end, fits, forward=forward, passive=passive)
        if hit is not None:
            cls, s, e = hit
            measure = lx.measure(cls, unit, slug)
            assert measure is not None  # `fits` holds only classes that give one
            chosen = (measure, s, e, where)
            break
    if chosen is None:
        measure = lx.measure(None, unit, slug) or (part_of[0] if part_of else None)
        if measure is None:
            return None
        chosen = (measure, n.start, n.start, "part" if part_of else "none")
    measure, vs, ve, where = chosen
    start, end = n.start, n.end
    if noun is not None:
        start, end = min(start, noun.start), max(end, noun.end)
    if where in ("passive", "after"):
        end = max(end, ve)
    elif (where == "clause" and vs >= n.start - 60 and not DIGIT.search(ctx.text, ve, n.start)) or (
        where == "previous" and noun is not None and noun.start < n.start
    ):
        start = min(start, vs)
    region, campaign = _scope(ctx, n.start, n.end, leads)
    if ctx.lang == "en":
        region = place_after(ctx, end)[0] or region
    if where == "part" and part_of is not None:
        kind = part_of[1]
    else:
        kind = figure_kind(ctx.segments, index_of(ctx).kinds, n.start, leads)
    return dict(
        kind=kind,
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


# what stands between an English figure and the place it happened: "32 were detained in
# Maoming", "detained 69 suspects in raids in Maoming, Guangzhou and Beijing", "across Zhejiang"
_IN_PLACE: Final = re.compile(
    r"\s+(?:(?:in|during)\s+(?:a\s+|the\s+)?[a-z]+(?:\s+[a-z]+)?\s+)?(?:in|across|throughout|from)\s+"
    r"(?:the\s+)?"
)


def place_after(ctx: Context, at: int) -> tuple[str | None, int]:
    """The place or list of places an English figure ending at `at` says it happened in, and
    where that ends (None, `at` when it names none)."""
    places = index_of(ctx).places
    m = _IN_PLACE.match(ctx.folded, at) if places else None
    if m is None:
        return None, at
    names, end = places.run_at(ctx.text, m.end())
    return (", ".join(names), end) if names else (None, at)


_POLICE_IN: Final = re.compile(
    r"(?:police|public\s+security|agencies|authorities|organs|bureaus?|departments?|officers|"
    r"prosecutors|courts?)\s+(?:in|of|from)\s+$",
    re.IGNORECASE,
)
_SECURITY: Final = re.compile("security", re.IGNORECASE)
_ZH_NOT_SUBJECT: Final = "在于赴到自往从"


def _back_over(text: str, lo: int, at: int, space: bool) -> int:
    """Where the run of white space (or, with `space` False, of other characters) that ends at
    `at` starts, reading back no further than `lo`."""
    while at > lo and text[at - 1].isspace() is space:
        at -= 1
    return at


def _police_in_window(text: str, lo: int, at: int) -> int:
    """Where a match of _POLICE_IN ending at `at` could start at the earliest (no earlier than
    `lo`): it is "<noun> <in|of|from> " with white space of any length between."""
    prep_end = _back_over(text, lo, at, True)
    prep_start = _back_over(text, max(lo, prep_end - 5), prep_end, False)
    noun_end = _back_over(text, lo, prep_start, True)
    start = noun_end - 11  # the longest noun without a space ("authorities", "prosecutors")
    if noun_end - 8 >= lo and _SECURITY.fullmatch(text, noun_end - 8, noun_end):
        start = min(start, _back_over(text, lo, noun_end - 8, True) - 6)  # "public  security"
    return max(lo, start)


def subjects(ctx: Context, places: Sequence[Place]) -> list[Place]:
    """The regions that lead their clause, or are the police of a region: they scope what
    follows. How each clause opens is read once, not once per region in it."""
    text = ctx.text
    # clause start -> its first non-blank offset (Chinese), or where its fourth word starts
    opening: dict[int, int] = {}
    out = []
    for place in places:
        clause_start, clause_end = ctx.segments.clause(place.start)
        known = opening.get(clause_start)
        if ctx.lang == "zh":
            if known is None:
                known = opening[clause_start] = _first_non_blank(text, clause_start, clause_end)
            # a blank between a headline's clauses opens a clause (…聯合行動 港警拘4320人)
            gap = max(
                text.rfind(" ", max(clause_start, place.start - _ZH_LEAD), place.start),
                text.rfind("\u3000", max(clause_start, place.start - _ZH_LEAD), place.start),
            )
            if _leads_zh(text, clause_start, known, place.start) or (
                gap > clause_start and _leads_zh(text, gap + 1, gap + 1, place.start)
            ):
                out.append(place)
            continue
        if known is None:
            known = opening[clause_start] = fourth_word(text, clause_start, clause_end)
        if _leads_en(text, clause_start, known, place.start):
            out.append(place)
    return out


def fourth_word(text: str, start: int, end: int) -> int:
    """Where the fourth word (a run of ASCII letters) of text[start:end] starts; `end` when it
    has fewer: the fourth match of `[A-Za-z]+` there, read without the pattern."""
    words = 0
    at = start
    while at < end:
        c = text[at]
        if ("a" <= c <= "z") or ("A" <= c <= "Z"):
            words += 1
            if words == 4:
                return at
            at += 1
            while at < end and (("a" <= text[at] <= "z") or ("A" <= text[at] <= "Z")):
                at += 1
        else:
            at += 1
    return end


_ZH_LEAD: Final = 8  # characters before a place its clause's opening words may take, and a blank


def _leads_zh(text: str, clause_start: int, first: int, at: int) -> bool:
    """At most six characters but blanks before `at` in its clause (whose first non-blank is at
    `first`), and not a preposition right before it (在, 到, 从 ...)."""
    last = _back_over(text, clause_start, at, True)
    if max(0, last - first) > 6:
        return False
    return not (at > clause_start and text[at - 1] in _ZH_NOT_SUBJECT)


# what may stand between "police in" and a place: "Police in the central Henan Province"
_PLACE_MODIFIER: Final = re.compile(
    r"(?:\bthe\s+)?\b(?:(?:north|south)(?:-?east|-?west)?(?:ern)?|(?:east|west)(?:ern)?|"
    r"central|coastal)\s+$",
    re.IGNORECASE,
)


# how the words _PLACE_MODIFIER ends with end, and the prepositions _POLICE_IN ends with: the
# patterns are tried only after one of these and blanks
_MODIFIER_ENDS: Final = frozenset(("rth", "uth", "ast", "est", "ern", "ral", "tal"))
_POLICE_IN_ENDS: Final = frozenset(("in", "of", "om"))


def _leads_en(text: str, clause_start: int, fourth: int, at: int) -> bool:
    """At most three words before `at` in its clause (whose fourth word starts at `fourth`) and
    not a preposition right before it ("to", "from"), or the police of the place ("police in");
    "the central", "southern" ... before the place count as the place's."""
    blank = _back_over(text, clause_start, at, True)
    if blank < at and text[max(0, blank - 3) : blank].lower() in _MODIFIER_ENDS:
        modifier = _PLACE_MODIFIER.search(text, max(clause_start, at - 24), at)
        if modifier is not None:
            at = modifier.start()
            blank = _back_over(text, clause_start, at, True)
    if fourth >= at and not (
        blank < at and _PLACE_AFTER.search(text[max(clause_start, blank - 8) : at])
    ):
        return True
    if blank == at or text[max(0, blank - 2) : blank].lower() not in _POLICE_IN_ENDS:
        return False
    return bool(_POLICE_IN.search(text[_police_in_window(text, clause_start, at) : at]))


def _first_non_blank(text: str, start: int, end: int) -> int:
    at = start
    while at < end and text[at].isspace():
        at += 1
    return at


def _scope(ctx: Context, pos: int, end: int, leads: bool) -> tuple[str | None, str | None]:
    """The region and the campaign a figure at text[pos:end] falls under: those named before it
    in its sentence, else (when the number leads its sentence) in the previous one, else the
    document's, unless its sentence says, before the figure's clause ends, that it is
    nationwide."""
    index = index_of(ctx)
    sent_start, _ = ctx.segments.sentence(pos)
    regions = index.regions.last_run(ctx.text, sent_start, pos) if index.regions else []
    campaigns = index.campaigns.names(sent_start, pos) if index.campaigns else []
    if leads and (not regions or not campaigns) and (index.regions or index.campaigns):
        p_start, p_end = ctx.segments.previous_sentence(pos)
        if not regions:
            regions = index.regions.names(p_start, p_end)
        if not campaigns:
            campaigns = index.campaigns.names(p_start, p_end)
    force = _force_of(ctx, pos) if ctx.lang == "en" else None
    if force is not None and not (
        index.regions and index.regions.last_run(ctx.text, ctx.segments.clause(pos)[0], pos)
    ):
        # "while Chinese police identified 1,200 suspects": the clause's own police say whose
        # figure it is (China's: national), not a place named in the sentence before
        return force or None, campaigns[-1] if campaigns else ctx.doc_campaign
    if regions:
        region: str | None = ", ".join(regions)
    elif ctx.doc_region is not None and _nationwide_in(
        index.nationwide, sent_start, ctx.segments.clause(end)[1]
    ):
        # "全国共抓获…", "Nationwide, police arrested …", "arrested 5,000 nationwide": not the
        # story's place
        region = None
    else:
        region = ctx.doc_region
    return region, campaigns[-1] if campaigns else ctx.doc_campaign


# a country's police by its adjective: "Thai police", "Korean authorities"
_FORCE: Final = re.compile(r"\b([A-Z][a-z]{2,})\s+(?:police|authorities|law\s+enforcement)\b")
_FORCE_WORDS: Final = ("police", "authorities", "enforcement")  # one of them stands in every match


def _force_of(ctx: Context, pos: int) -> str | None:
    """The country whose police the clause of the figure at `pos` names before it: "" for
    Chinese police (a national figure), None when it names none."""
    from monitor.extract.entities import default_finder  # entities imports this module's Place

    start = max(ctx.segments.clause(pos)[0], pos - REACH)  # bounded: a clause may be the text
    if all(ctx.folded.find(word, start, pos) < 0 for word in _FORCE_WORDS):
        return None
    found = None
    for m in _FORCE.finditer(ctx.text, start, pos):
        found = m.group(1)
    if found is None:
        return None
    if found == "Chinese":
        return ""
    finder = default_finder()
    return None if found in finder.level else finder.country_of(found)


def _nationwide_in(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """One of `spans` lies within text[start:end], looked up, not searched for: a sentence may
    be the whole text, and hold thousands of figures."""
    i = bisect.bisect_left(spans, (start, -1))
    return i < len(spans) and spans[i][1] <= end


def nationwide(folded: str) -> list[tuple[int, int]]:
    """The spans of the words that make a figure national in `folded`, in order: 全国 (not the
    全国同步 of Taiwan's joint operations), "nationwide", "across China" and "across, throughout
    or around the country". Found by literal search, which skips most of a text at C speed."""
    spans = [
        (at, at + len(word))
        for word in ("全国", "nationwide", "across china")
        for at in positions(folded, (word,))
        if word != "全国" or not folded.startswith("同步", at + 2)
    ]
    for at in positions(folded, ("the country",)):
        before = next(
            (w for w in _BEFORE_COUNTRY if at >= len(w) and folded.startswith(w, at - len(w))), ""
        )
        if before:
            spans.append((at - len(before), at + len("the country")))
    return sorted(spans)


_BEFORE_COUNTRY: Final = ("across ", "throughout ", "around ")
