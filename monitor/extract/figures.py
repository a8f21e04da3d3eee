"""Enforcement figures: a number, what it counts (unit), what was done (measure), and where.

For each number the noun after it (or before it, in Chinese word order and in clumsy
translations) gives the unit; the nearest verb that makes sense with that unit gives the
measure: passive after the noun, then active in the clause, then in the sentence, then at the
end of the previous sentence when the number opens its sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from monitor.extract import lexicon as lx
from monitor.extract.keywords import Keywords, fold
from monitor.extract.numbers import Number, find_numbers
from monitor.extract.text import Segments
from monitor.models import Figure

_CLOSE_QUOTES = '"”’」』'
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d+|[^\sA-Za-z\d]")
_QUOTES = set("\"“”‘’'「」『』")
_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# a number right after these is a name, a date or a phone number, not a count
_NAME_WORDS = frozenset(
    re.split(
        r"\s+",
        "no article art number room line route hotline dial dialing call calling january "
        "february march april may june july august september october november december jan "
        "feb mar apr jun jul aug sep sept oct nov dec",
    )
)
_MONEY_BEFORE = ("rmb", "cny", "¥", "￥", "yuan")
_LEADS = re.compile(
    r"[\W_]*(?:(?:in|and|with|of|there\s+are|there\s+were|including)\b[\W_]*)?$", re.IGNORECASE
)
_ZH_SKIP_AFTER = re.compile(
    r"(?:年|月|日|号|时|点|岁|天|周|个月|小时|分钟|秒|届|次会议|批次|季度|倍|项|类|种|大|个省|省|个地市|"
    r"市|县|个部门|部门|家部门|层|级|期|版|位|号线|G|米|公里|千米)"
)
# longest first: "人次" before "人"
_ZH_CLASSIFIERS = (
    "人次",
    "万条",
    "名",
    "人",
    "起",
    "宗",
    "个",
    "张",
    "部",
    "台",
    "家",
    "条",
    "件",
    "支",
    "辆",
    "盒",
    "套",
    "把",
)
_ENDS_CLAUSE = re.compile(r"\s*(?:[,，.;；:)）]|$)")
_OPEN_QUOTES = '“"‘「『'
_PHONE = re.compile(r"\d{7,}")
_YEAR = re.compile(r"(?:19|20)\d{2}")
_DIGIT = re.compile(r"\d")
_ZH_SKIP_BEFORE = re.compile(r"(?:电话|热线|专线|拨打|号码|编号|代码|邮编|QQ|微信|网址)[：:\s]*$")


def _leads(text: str, start: int, end: int) -> bool:
    m = _LEADS.match(text, start, end)
    return m is not None and m.end() == end


_ZH_LEADS = re.compile(r"[\W_]*(?:其中|共|累计|包括)?[\W_]*$")


@dataclass(frozen=True, slots=True)
class Place:
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


@dataclass(frozen=True, slots=True)
class _Noun:
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


def _all_verbs(ctx: Context) -> list[tuple[int, int, str]]:
    if ctx.lang == "zh":
        return _ZH_VERBS.find(ctx.text)
    return [
        (s, e, cls)
        for s, e, cls in _EN_VERBS.find(ctx.folded)
        if not _NOT_THE_VERB.match(ctx.folded, e)
    ]


def find_figures(ctx: Context) -> list[Figure]:
    out: list[Figure] = []
    seen: set[tuple[float, str, str]] = set()
    if not ctx.folded:
        ctx = replace(ctx, folded=fold(ctx.text))
    verbs = _all_verbs(ctx)
    ctx = replace(
        ctx,
        regions=[p for p in ctx.regions if _is_subject(ctx, p)],
        verbs=verbs,
        verb_starts=[v[0] for v in verbs],
    )
    finder = _english if ctx.lang == "en" else _chinese
    for number in find_numbers(ctx.text, ctx.lang, ctx.folded):
        if any(s <= number.num_start < e for s, e in ctx.protected):
            continue
        fields = finder(ctx, number)
        if fields is None:
            continue
        key = (fields["value"], fields["unit"], fields["measure"])
        if key not in seen:  # a statement the text repeats is one figure
            seen.add(key)
            out.append(Figure(**fields))  # validating is faster than model_construct here
    return out


# --- English -------------------------------------------------------------------------------


_FIRST_WORDS = {n.split(" ")[0] for n in lx.EN_NOUNS if " " in n}


def _noun_after(text: str, pos: int) -> _Noun | None:
    """The head noun of the phrase after a number: the last known noun before a stop word."""
    # tokens up to the first stop (plus two for multi-word nouns), read lazily: most phrases
    # end within three words
    tokens: list[tuple[str, int, int]] = []
    stop_at = 8
    for m in _TOKEN.finditer(text, pos, min(len(text), pos + 80)):
        tok = m.group()
        if tok in _QUOTES:
            continue
        low = tok.lower()
        tokens.append((low, m.start(), m.end()))
        if len(tokens) >= stop_at:
            break
        if stop_at == 8 and (not low[0].isalpha() or low in lx.EN_STOP or low in lx.EN_VERB_CLASS):
            stop_at = len(tokens) + 2
    found: _Noun | None = None
    i = 0
    limit = min(len(tokens), 8)
    while i < limit:
        low, start, _ = tokens[i]
        if not low[0].isalpha():
            break
        hit = None
        if low in _FIRST_WORDS:
            for n in range(min(lx.EN_NOUN_MAX_WORDS, len(tokens) - i), 1, -1):
                phrase = " ".join(t[0] for t in tokens[i : i + n])
                if phrase in lx.EN_NOUNS:
                    hit = (n, lx.EN_NOUNS[phrase])
                    break
        if hit is None and low in lx.EN_NOUNS:
            hit = (1, lx.EN_NOUNS[low])
        if hit:
            n, (unit, slug) = hit
            found = _Noun(unit, slug, start, tokens[i + n - 1][2])
            i += n
            continue
        if low in lx.EN_STOP or low in lx.EN_VERB_CLASS:
            break
        i += 1
    return found


def _noun_before(text: str, start: int, end: int) -> _Noun | None:
    found = None
    for m in _TOKEN.finditer(text, start, end):
        unit_slug = lx.EN_NOUNS.get(m.group().lower())
        if unit_slug:
            found = _Noun(unit_slug[0], unit_slug[1], m.start(), m.end())
    return found


def _verbs(ctx: Context, start: int, end: int) -> list[tuple[str, int, int]]:
    """Verb classes within text[start:end], nearest (last) first."""
    i = bisect_left(ctx.verb_starts, start)
    j = bisect_left(ctx.verb_starts, end)
    return [(c, s, e) for s, e, c in reversed(ctx.verbs[i:j]) if e <= end]


def _passive(ctx: Context, start: int, end: int) -> list[tuple[str, int, int]]:
    """Verbs after the counted noun that a passive auxiliary leads ('were arrested'), in order."""
    if ctx.lang == "zh":
        if not ctx.text.startswith("被", start):
            return []
        return _verbs(ctx, start, end)[::-1]
    return [v for v in _verbs(ctx, start, end)[::-1] if _auxiliary_before(ctx.folded, v[1])]


def _english(ctx: Context, n: Number) -> dict[str, Any] | None:
    text, seg = ctx.text, ctx.segments
    word_number = not text[n.num_start].isdigit()
    if text[n.end : n.end + 1] in _CLOSE_QUOTES and text[n.end : n.end + 1]:
        return None  # "web 110": a number that ends a quoted name
    if _quoted_term(text, n):
        return None
    before = ctx.folded[max(0, n.start - 14) : n.start].rstrip().rstrip(".")
    if before.endswith("#") or before[before.rfind(" ") + 1 :] in _NAME_WORDS:
        return None
    raw = text[n.num_start : n.end]
    if _PHONE.fullmatch(raw):
        return None  # phone numbers and ids
    year_like = bool(_YEAR.fullmatch(raw))

    unit: str | None
    noun: _Noun | None = None
    if n.percent:
        unit, slug = "percent", "percent"
    elif n.money or ctx.folded[max(0, n.start - 6) : n.start].rstrip().endswith(_MONEY_BEFORE):
        unit, slug = "CNY", "money"
    else:
        noun = _noun_after(text, n.end)
        if noun is None and year_like:
            return None
        if noun is None and not word_number and _ENDS_CLAUSE.match(text, n.end):
            # "gangs. More than 400," / "the information of more than 20.8": the number closes
            # its clause, so what it counts was named before it
            noun = _noun_before_number(ctx, n)
        unit, slug = (noun.unit, noun.slug) if noun else (None, "")
    if year_like and noun is None and unit != "CNY":
        return None

    tail = noun.end if noun and noun.start > n.end else n.end
    clause_start, _ = seg.clause(n.start)
    sent_start, _ = seg.sentence(n.start)
    # a number leads its sentence when at most "In", "and", "including" ... stand before it
    leads = n.start - sent_start < 24 and _leads(text, sent_start, n.start)
    if unit is None:
        direct = next(iter(_verbs(ctx, clause_start, n.start)), None)
        if direct is None or text[direct[2] : n.start].strip() or direct[0] not in lx.IMPLIED_UNIT:
            return None
        unit = slug = lx.IMPLIED_UNIT[direct[0]]
    candidates = _english_candidates(ctx, n, tail, clause_start, sent_start, leads, word_number)
    return _figure(ctx, n, unit, slug, noun, candidates, leads)


def _english_candidates(
    ctx: Context,
    n: Number,
    tail: int,
    clause_start: int,
    sent_start: int,
    leads: bool,
    word_number: bool,
) -> Iterator[tuple[str, int, int, str]]:
    """Verbs in the order they are trusted, produced lazily: the first that fits is taken."""
    seg = ctx.segments
    passive_end = seg.clause(max(tail - 1, n.start))[1]
    for c, s, e in _passive(ctx, tail, passive_end):
        yield c, s, e, "passive"
    in_sentence = False
    for c, s, e in _verbs(ctx, clause_start, n.start):
        in_sentence = True
        yield c, s, e, "clause"
    if not word_number or not in_sentence:
        for c, s, e in _verbs(ctx, sent_start, clause_start):
            in_sentence = True
            yield c, s, e, "sentence"
    if leads or not in_sentence:
        p_start, p_end = seg.previous_sentence(n.start)
        if "\n" not in ctx.text[p_end:sent_start].strip(" "):
            for c, s, e in _verbs(ctx, p_start, p_end):
                yield c, s, e, "previous"


def _quoted_term(text: str, n: Number) -> bool:
    """A number opening a short quoted term (“两卡”, "Four Pipes") names something, not counts."""
    if text[n.start - 1 : n.start] not in _OPEN_QUOTES or n.start == 0:
        return False
    return any(c in _CLOSE_QUOTES for c in text[n.end : n.end + 6])


def _noun_before_number(ctx: Context, n: Number) -> _Noun | None:
    seg, text = ctx.segments, ctx.text
    clause_start, _ = seg.clause(n.start)
    noun = _noun_before(text, clause_start, n.start)
    sent_start, _ = seg.sentence(n.start)
    if noun is None and clause_start == sent_start:
        p_start, p_end = seg.previous_sentence(n.start)
        if p_end > p_start:
            noun = _noun_before(text, seg.clause(p_end - 1)[0], p_end)
    return noun


def _figure(
    ctx: Context,
    n: Number,
    unit: str,
    slug: str,
    noun: _Noun | None,
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
    elif (
        where == "clause" and vs >= n.start - 60 and not _DIGIT.search(ctx.text, ve, n.start)
    ) or (where == "previous" and noun is not None and noun.start < n.start):
        start = min(start, vs)
    return dict(
        value=n.value,
        unit=unit,
        measure=measure,
        approx=n.approx,
        quote=ctx.text[start:end],
        start=start,
        end=end,
        region=_region(ctx, n.start, leads),
        campaign=_campaign(ctx, n.start, leads),
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


def _is_subject(ctx: Context, place: Place) -> bool:
    """A region that leads its clause, or the police of a region: it scopes what follows."""
    clause_start, _ = ctx.segments.clause(place.start)
    before = ctx.text[clause_start : place.start]
    if ctx.lang == "zh":
        return len(before.strip()) <= 6 and not before.endswith(tuple(_ZH_NOT_SUBJECT))
    if len(re.findall(r"[A-Za-z]+", before)) <= 3 and not re.search(
        r"\b(?:at|to|from|visit(?:ed)?|via)\s+$", before, re.IGNORECASE
    ):
        return True
    return bool(_POLICE_IN.search(before))


def _region(ctx: Context, pos: int, leads: bool) -> str | None:
    sent_start, _ = ctx.segments.sentence(pos)
    subjects = ctx.regions  # find_figures kept only the regions that scope their clause
    names = _places_before(subjects, sent_start, pos)
    if not names and leads:
        p_start, p_end = ctx.segments.previous_sentence(pos)
        names = _places_before(subjects, p_start, p_end)
    if names:
        return ", ".join(names)
    return ctx.doc_region


def _campaign(ctx: Context, pos: int, leads: bool) -> str | None:
    sent_start, _ = ctx.segments.sentence(pos)
    names = _places_before(ctx.campaigns, sent_start, pos)
    if not names and leads:
        p_start, p_end = ctx.segments.previous_sentence(pos)
        names = _places_before(ctx.campaigns, p_start, p_end)
    return names[-1] if names else ctx.doc_campaign


# --- Chinese -------------------------------------------------------------------------------


def _zh_noun_after(text: str, pos: int) -> _Noun | None:
    window = text[pos : pos + 10]
    cut = re.search(r"[，,。；;、：:（(\s\d]", window)
    if cut:
        window = window[: cut.start()]
    m = None
    for m in lx.ZH_NOUN_RE.finditer(window):  # noqa: B007 - the last noun is the head
        pass
    if m is None:
        return None
    unit, slug = lx.ZH_NOUNS[m.group()]
    return _Noun(unit, slug, pos + m.start(), pos + m.end())


def _zh_noun_before(text: str, start: int, end: int) -> _Noun | None:
    found = None
    for m in lx.ZH_NOUN_RE.finditer(text, start, end):
        unit, slug = lx.ZH_NOUNS[m.group()]
        found = _Noun(unit, slug, m.start(), m.end())
    return found


def _chinese(ctx: Context, n: Number) -> dict[str, Any] | None:
    text, seg = ctx.text, ctx.segments
    if text[n.start - 1 : n.start] == "第" or _ZH_SKIP_AFTER.match(text, n.end):
        return None
    if _ZH_SKIP_BEFORE.search(text, max(0, n.start - 6), n.start):
        return None  # 举报电话110, 热线96110: numbers to dial
    if text[n.end : n.end + 1] in _CLOSE_QUOTES and text[n.end : n.end + 1]:
        return None
    if _quoted_term(text, n):
        return None
    raw = text[n.num_start : n.end]
    if _PHONE.fullmatch(raw):
        return None
    clause_start, clause_end = seg.clause(n.start)
    noun: _Noun | None = None
    if n.percent:
        unit, slug = "percent", "percent"
    elif n.money:
        unit, slug = "CNY", "money"
    else:
        classifier = next(
            (c for c in _ZH_CLASSIFIERS if text.startswith(c, n.end)),
            None,
        )
        after_pos = n.end + (len(classifier) if classifier else 0)
        noun = _zh_noun_after(text, after_pos) if classifier else None
        decisive = lx.ZH_CLASSIFIERS.get(classifier or "")
        if noun is None and decisive in ("people", "cases"):
            unit, slug = decisive, decisive
        else:
            if noun is None:
                noun = _zh_noun_before(text, clause_start, n.start)
            if noun is not None:
                unit, slug = noun.unit, noun.slug
            elif decisive:
                unit, slug = decisive, decisive
            else:
                return None
        if classifier and (noun is None or noun.start < n.start):
            noun = _Noun(unit, slug, n.end, after_pos)
    if _YEAR.fullmatch(raw) and unit not in ("CNY",) and noun is None:
        return None
    sent_start, _ = seg.sentence(n.start)
    leads = bool(_ZH_LEADS.fullmatch(text[sent_start : n.start]))
    tail = noun.end if noun and noun.start >= n.end else n.end
    candidates: list[tuple[str, int, int, str]] = []
    candidates += [(c, s, e, "passive") for c, s, e in _passive(ctx, tail, clause_end)]
    candidates += [(c, s, e, "clause") for c, s, e in _verbs(ctx, clause_start, n.start)]
    candidates += [(c, s, e, "sentence") for c, s, e in _verbs(ctx, sent_start, clause_start)]
    if leads:
        p_start, p_end = seg.previous_sentence(n.start)
        candidates += [(c, s, e, "previous") for c, s, e in _verbs(ctx, p_start, p_end)]
    return _figure(ctx, n, unit, slug, noun, candidates, leads)


def iter_numbers(text: str, lang: str) -> Iterator[Number]:
    """The raw numbers, for tests and the benchmark."""
    return find_numbers(text, lang)
