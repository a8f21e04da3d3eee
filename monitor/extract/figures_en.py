"""English figures: the noun after a number (or, in clumsy translations, before it) gives the
unit; the nearest verb that fits the unit gives the measure, in this order: passive after the
noun, active in the clause, in the sentence, then at the end of the previous sentence when the
number opens its sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final

from monitor.extract import lexicon as lx
from monitor.extract.numbers import Number, parse_en_number
from monitor.extract.scope import (
    CLOSE_QUOTES,
    REACH,
    Context,
    Noun,
    figure_fields,
    index_of,
    is_phone,
    is_year,
    quoted_term,
)
from monitor.extract.text import ClauseScan, Segments

_TOKEN: Final = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d+|[^\sA-Za-z\d]")
_QUOTES: Final = set("\"“”‘’'「」『』")
# a number right after these is a name, a date or a phone number, not a count
_NAME_WORDS: Final = frozenset(
    re.split(
        r"\s+",
        "no article art number room line route hotline dial dialing call calling january "
        "february march april may june july august september october november december jan "
        "feb mar apr jun jul aug sep sept oct nov dec",
    )
)
_AGES: Final = re.compile(
    r"\b(?:aged|ages|age)\s+(?:(?:between|from)\s+)?(?:\d+\s*(?:to|-|and)\s*)?$"
)
_MONEY_BEFORE: Final = ("rmb", "cny", "¥", "￥", "yuan")
_LEADS: Final = re.compile(
    r"[\W_]*(?:(?:in|and|with|of|there\s+are|there\s+were|including)\b[\W_]*)?$", re.IGNORECASE
)
_AFTER: Final = 40  # characters: how far a participle right after the noun may end
_CONVERSION_AFTER: Final = re.compile(r"\s*[(（][^()（）\n]{1,40}[)）]")
# "six of the 10 leaders": the whole a part is taken from, and the part
_WHOLE_BEFORE: Final = re.compile(r"\b([a-z]+|\d[\d,]*)\s+of\s+the\s+$")
_PART_OF: Final = re.compile(r"\s+of\s+the\s+([A-Za-z]+|\d[\d,]*)\b")
_AUXILIARY_AFTER: Final = re.compile(r"\s+(?:were|was|have\s+been|had\s+been|has\s+been)\s+")
_LIST_ITEM: Final = re.compile(
    r"\s*(?:and\s+|or\s+)?(?:(?:more\s+than|over|about|nearly|some|around|at\s+least)\s+)?\d",
    re.IGNORECASE,
)
_LIST_ITEMS: Final = 8  # list items read past at most
_DASH_OPENS: Final = frozenset((" -", " –", " —"))  # how a clause that a spaced dash ends, ends
_ASIDE: Final = 120  # characters: the longest aside between dashes read past


def _is_number(word: str) -> bool:
    try:
        parse_en_number(word)
    except (ValueError, KeyError):
        return False
    return True


_EXAMPLES: Final = re.compile(r"\b(?:typical|example|sample|representative)\b", re.IGNORECASE)
_ENDS_CLAUSE: Final = re.compile(r"\s*(?:[,，.;；:)）]|$)")


def _leads(text: str, start: int, end: int) -> bool:
    m = _LEADS.match(text, start, end)
    return m is not None and m.end() == end


_FIRST_WORDS: Final = {n.split(" ")[0] for n in lx.EN_NOUNS if " " in n}


_ENDS_PHRASE: Final = lx.EN_STOP | frozenset(lx.EN_VERB_CLASS)


# a list of three nouns and their modifiers ("computers, voice gateways and ...")
_MAX_TOKENS: Final = 12
# a number's own phrase has none: "Two planes carrying the suspects" counts planes, not suspects
_ARTICLES: Final = frozenset(("the", "a", "an"))
_JOINS: Final = frozenset(("and", "or"))


def _ends_phrase(lows: list[str], i: int) -> bool:
    low = lows[i]
    if low == "such":  # "300 such cases", not "such as"
        return i + 1 < len(lows) and lows[i + 1] == "as"
    return low in _ENDS_PHRASE or low in _ARTICLES


def _noun_after(text: str, pos: int) -> Noun | None:
    """The head noun of the phrase after a number: the last known noun before a stop word. A list
    ("computers, voice gateways and other devices") is read to its last noun of the same unit;
    after "and", "or" or a comma a noun of another unit ("accounts and guided domestic internet
    companies") starts another phrase."""
    # tokens up to the first stop (plus two for multi-word nouns), read lazily: most phrases
    # end within three words
    lows: list[str] = []
    matches: list[re.Match[str]] = []
    stop_at = _MAX_TOKENS
    for m in _TOKEN.finditer(text, pos, min(len(text), pos + 110)):
        tok = m.group()
        if tok in _QUOTES:
            continue
        low = tok.lower()
        lows.append(low)
        matches.append(m)
        if len(lows) >= stop_at:
            break
        if stop_at == _MAX_TOKENS and low != "," and (not low[0].isalpha() or low in _ENDS_PHRASE):
            stop_at = len(lows) + 2
    found: Noun | None = None
    joined = False  # past "and", "or" or a comma that follows a noun
    i = 0
    count = len(lows)
    nouns = lx.EN_NOUNS
    while i < count:
        low = lows[i]
        if low == "," and found is not None:
            joined = True
            i += 1
            continue
        if not low[0].isalpha():
            break
        hit = None
        if low in _FIRST_WORDS:
            for n in range(min(lx.EN_NOUN_MAX_WORDS, count - i), 1, -1):
                phrase = " ".join(lows[i : i + n])
                if phrase in nouns:
                    hit = (n, nouns[phrase])
                    break
        if hit is None and low in nouns:
            hit = (1, nouns[low])
            if low in lx.EN_ADJECTIVAL_NATIONALS and i + 1 < count:
                after = lows[i + 1]
                if after[0].isalpha() and after not in _ENDS_PHRASE and after not in _JOINS:
                    hit = None  # modifies the word after it
        if hit:
            n, (unit, slug) = hit
            if joined and found is not None and unit != found.unit:
                break
            found = Noun(unit, slug, matches[i].start(), matches[i + n - 1].end())
            i += n
            continue
        if low in _JOINS and found is not None:
            joined = True
        elif _ends_phrase(lows, i):
            break
        i += 1
    return found


def _noun_of(token: str) -> tuple[str, str] | None:
    return lx.EN_NOUNS.get(token.lower())


def noun_scan(text: str, segments: Segments) -> ClauseScan[tuple[str, str]]:
    """The noun tokens of each clause, for the noun before a number (see `ClauseScan`)."""
    return ClauseScan(_TOKEN, text, segments, _noun_of)


def _noun_before(ctx: Context, start: int, end: int) -> Noun | None:
    """The last noun of the clause that starts at `start`, before `end` and not further from it
    than REACH."""
    found = index_of(ctx).nouns.last(start, end)
    if found is None or found[0] < end - REACH:
        return None
    s, e, (unit, slug) = found
    return Noun(unit, slug, s, e)


def english(ctx: Context, n: Number) -> dict[str, Any] | None:
    text, seg = ctx.text, ctx.segments
    word_number = not text[n.num_start].isdigit()
    if text[n.end : n.end + 1] in CLOSE_QUOTES and text[n.end : n.end + 1]:
        return None  # "web 110": a number that ends a quoted name
    if quoted_term(text, n):
        return None
    lo = max(0, n.start - 30)
    # every match of _WHOLE_BEFORE ends with "the" and blanks: a cheap test first
    whole = (
        _WHOLE_BEFORE.search(ctx.folded, lo, n.start)
        if ctx.folded[lo : n.start].rstrip().endswith("the")
        else None
    )
    if whole is not None and _is_number(whole.group(1)):
        return None  # the 10 of "Six of the 10 leaders ... were arrested": what the six are among
    before = ctx.folded[max(0, n.start - 14) : n.start].rstrip().rstrip(".")
    if before.endswith("#") or before[before.rfind(" ") + 1 :] in _NAME_WORDS:
        return None
    lo = max(0, n.start - 24)
    if ctx.folded.find("age", lo, n.start) >= 0 and _AGES.search(ctx.folded, lo, n.start):
        return None  # "aged 14 to 89": ages, not counts
    raw = text[n.num_start : n.end]
    if is_phone(raw):
        return None  # phone numbers and ids
    year_like = is_year(raw)

    unit: str | None
    noun: Noun | None = None
    if n.percent:
        unit, slug = "percent", "percent"
    elif n.currency:
        unit, slug = n.currency, "money"
    elif ctx.folded[max(0, n.start - 6) : n.start].rstrip().endswith(_MONEY_BEFORE):
        unit, slug = "CNY", "money"
    else:
        noun = _noun_after(text, n.end)
        part = _PART_OF.match(text, n.end) if noun is None else None
        if part is not None and _is_number(part.group(1).lower()):
            noun = _noun_after(text, part.end())  # "Six of the 10 leaders": six leaders
        if noun is None and year_like:
            return None
        if noun is None and not word_number and _ENDS_CLAUSE.match(text, n.end):
            # "gangs. More than 400," / "the information of more than 20.8": the number closes
            # its clause, so what it counts was named before it
            noun = _noun_before_number(ctx, n)
        unit, slug = (noun.unit, noun.slug) if noun else (None, "")
    if year_like and noun is None and slug != "money":
        return None
    if noun is not None and noun.start > n.end and _EXAMPLES.search(text, n.end, noun.start):
        return None  # "Ten typical cases are attached": examples told, not results counted

    tail = noun.end if noun and noun.start > n.end else n.end
    converted = False
    if slug == "money":
        conversion = _CONVERSION_AFTER.match(text, tail)
        if conversion is not None:  # "2 billion yuan (US$280 million) was seized"
            tail, converted = conversion.end(), True
    clause_start, _ = seg.clause(n.start)
    sent_start, _ = seg.sentence(n.start)
    # a number leads its sentence when at most "In", "and", "including" ... stand before it
    leads = n.start - sent_start < 24 and _leads(text, sent_start, n.start)
    if unit is None:
        unit = _implied_unit(ctx, n, clause_start)
        if unit is None:
            return None
        slug = unit
    groups = _english_groups(ctx, n, tail, clause_start, sent_start, leads, word_number, converted)
    return figure_fields(ctx, n, unit, slug, noun, groups, leads)


def _implied_unit(ctx: Context, n: Number, clause_start: int) -> str | None:
    """What a number without a noun counts, from an arrest verb right before it ("arrested 45")
    or right after it and its auxiliary ("32 were detained in Maoming")."""
    verbs = index_of(ctx).verbs
    direct = verbs.nearest(clause_start, n.start)
    if direct is not None and not ctx.text[direct[2] : n.start].strip():
        return lx.IMPLIED_UNIT.get(direct[0])
    aux = _AUXILIARY_AFTER.match(ctx.folded, n.end)
    if aux is None:
        return None
    after = verbs.following(aux.end(), aux.end() + 40)
    if after is None or after[1] != aux.end():
        return None
    return lx.IMPLIED_UNIT.get(after[0])


def _english_groups(
    ctx: Context,
    n: Number,
    tail: int,
    clause_start: int,
    sent_start: int,
    leads: bool,
    word_number: bool,
    converted: bool,
) -> Iterator[tuple[str, int, int]]:
    """Where a verb is looked for, in the order trusted, produced lazily (the first that fits is
    taken): passive after the noun, in the clause, in the sentence (for a number in digits, or
    when the clause has no verb), then the end of the previous sentence (when the number leads
    its sentence, or no verb stands before it in its own)."""
    seg, verbs = ctx.segments, index_of(ctx).verbs
    if n.percent:  # "a 12.5 percent drop", "20% up on last year"
        yield "after", n.end, min(seg.clause(n.end - 1)[1], n.end + 12)
    # after a conversion in brackets the clause that goes on is the one after the bracket
    passive_end = seg.clause(tail if converted else max(tail - 1, n.start))[1]
    if verbs.nearest(clause_start, n.start) is None:
        # "A total of 80 platforms, 47 sites and 27 outfits have been taken down": the verb
        # after a list of counts is every item's (when none stands before the first)
        for _ in range(_LIST_ITEMS):
            if ctx.text[passive_end - 1 : passive_end] != "," or not _LIST_ITEM.match(
                ctx.text, passive_end
            ):
                break
            passive_end = seg.clause(passive_end)[1]
    dash = ctx.text[passive_end - 2 : passive_end]
    if dash in _DASH_OPENS:
        # "71 suspects - 52 of them Chinese nationals and 19 Thais - were arrested": the verb
        # after an aside set off by dashes is the count's, and the counts' of the aside
        reach = min(seg.sentence(n.start)[1], passive_end + _ASIDE)
        close = ctx.text.find(dash + " ", passive_end, reach)
        passive_end = seg.clause(close + 3 if close >= 0 else passive_end)[1]
    yield "passive", tail, min(passive_end, tail + REACH)
    # "11,000 phone cards seized": a participle right after what is counted, no auxiliary
    if ctx.text[tail + 1 : tail + 2].isalpha() and ctx.text[tail : tail + 1].isspace():
        after = verbs.following(tail, min(len(ctx.text), tail + _AFTER))
        if after is not None and not ctx.text[tail : after[1]].strip():
            yield "after", tail, after[2]
    # "USD 300 million in seized assets": the participle of what the amount is in
    if n.currency and ctx.folded.startswith(" in ", tail):
        after = verbs.following(tail + 4, min(len(ctx.text), tail + 4 + _AFTER))
        if after is not None and after[1] == tail + 4:
            yield "after", tail, after[2]
    in_sentence = verbs.nearest(clause_start, n.start) is not None
    yield "clause", clause_start, n.start
    if not word_number or not in_sentence:
        in_sentence = in_sentence or verbs.nearest(sent_start, clause_start) is not None
        yield "sentence", sent_start, clause_start
    # an amount inside a sentence without a verb is the amount involved, not what the sentence
    # before did
    if leads or (not in_sentence and not n.currency):
        p_start, p_end = seg.previous_sentence(n.start)
        if "\n" not in ctx.text[p_end:sent_start].strip(" "):
            yield "previous", p_start, p_end


def _noun_before_number(ctx: Context, n: Number) -> Noun | None:
    seg = ctx.segments
    clause_start, _ = seg.clause(n.start)
    noun = _noun_before(ctx, clause_start, n.start)
    sent_start, _ = seg.sentence(n.start)
    if noun is None and clause_start == sent_start:
        p_start, p_end = seg.previous_sentence(n.start)
        if p_end > p_start:
            noun = _noun_before(ctx, seg.clause(p_end - 1)[0], p_end)
    return noun
