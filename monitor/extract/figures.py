"""Enforcement figures: a number, what it counts (unit), what was done (measure), and where.

`find_figures` runs the English or Chinese finder over every number that is not part of a
campaign name and keeps one figure per statement (value, unit and measure), however often the
text repeats it.

Every lookup a finder makes per number (verbs, the noun before it, the places of its sentence) goes
through the `FigureIndex` built here once per text, so that extraction time grows with the length
of the text, not with its square, however long its clauses and sentences are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final

from monitor.extract import figures_en, figures_zh
from monitor.extract import lexicon as lx
from monitor.extract.figure_kind import KindMarkers
from monitor.extract.keywords import fold
from monitor.extract.numbers import ZH_CURRENCIES, Number, find_numbers
from monitor.extract.scope import (
    Context,
    FigureIndex,
    Place,
    Places,
    Verbs,
    all_verbs,
    index_of,
    nationwide,
    place_after,
    subjects,
)
from monitor.extract.text import Spans
from monitor.models import Figure

__all__ = ["Context", "Place", "find_figures"]

_ZH_CURRENCY_WORDS: Final = "|".join(
    sorted((c for c in ZH_CURRENCIES if len(c) > 1), key=len, reverse=True)
)
# what stands between an amount and the same amount converted: " (", "（约合", ", or about ",
# "（港币，下同，约" (the amount's own currency named for the rest of the text, then converted)
_CONVERSION: Final = re.compile(
    rf"\s*(?:[(（](?:\s*(?:{_ZH_CURRENCY_WORDS})[，,]\s*下同[，,;；]?)?|[,，]?\s*or\b|[,，]\s*"
    r"(?:about|approximately|roughly|around|equivalent to|"
    r"equal to|some)\b)\s*(?:约合|折合|合计|合|约|相当于|about|approximately|roughly|around|"
    r"equivalent to|equal to|some|or|nearly|over|more than)?\s*"
    # the currency a Chinese conversion names before its number: （约新台币9800万元）
    rf"(?:{_ZH_CURRENCY_WORDS})?",
    re.IGNORECASE,
)


# the bracket that closes a conversion's, unless another opens or the line ends first
_CLOSE_BRACKET: Final = re.compile(r"[)）(（\n]")

# the most a court may fine: the law's penalty, no figure of the operation ("最高可被判罚款500万元",
# "liable to a maximum fine of $1 million")
_PENALTY: Final = re.compile(
    r"(?:最高|可被判|可判处?|可处)[^，。；,]{0,10}罚(?:款|金)\s*$|"
    r"(?:maximum|max\.?)\s+(?:fine|penalty)\s+of\s+(?:up\s+to\s+)?$|"
    r"fined?\s+(?:of\s+)?up\s+to\s+$|liable\s+to\s+a\s+fine\s+of\s+$|"
    # "charges carrying up to 14 years in prison and fines of HK$5 million"
    r"(?:carry|carries|carrying|punishable\s+by|faces?|facing)\b[^.;]{0,60}\bfines?\s+of\s+"
    r"(?:up\s+to\s+)?$",
    re.IGNORECASE,
)


# every match of _PENALTY ends with one of these, then blanks, and holds 罚 or "fine": cheap
# tests first
_PENALTY_LAST: Final = "fFoO款金"
_UP_TO: Final = re.compile(r"up\s+to\s+")


def _penalty_before(text: str, folded: str, at: int) -> bool:
    """A match of _PENALTY ends at `at` (after "up to" when the number's qualifier starts there),
    starting at most 90 characters before it (`folded` is `fold(text)`)."""
    up_to = _UP_TO.match(folded, at)  # the number's own qualifier: "fined up to $5,000"
    if up_to is not None:
        at = up_to.end()
    lo = max(0, at - 90)
    if text[lo:at].rstrip()[-1:] not in _PENALTY_LAST:
        return False
    if folded.find("fine", lo, at) < 0 and text.find("罚", lo, at) < 0:
        return False
    return _PENALTY.search(text, lo, at) is not None


# the currency a bare 元 or $ means in a release of each home
LOCAL_CURRENCY: Final = {"Hong Kong": "HKD", "Taiwan": "TWD", "Macau": "MOP"}
_REGIONAL: Final = frozenset(LOCAL_CURRENCY.values())
# what a Hong Kong, Taiwan or Macau release written in simplified script (or English) all but
# always names in its lead: a text with neither it nor traditional script is the mainland's, and
# pays one scan of its lead for its bare 元
_REGIONAL_MARK: Final = re.compile(
    r"香港|港元|港币|港警|本港|台湾|台币|澳门|本澳|司警|hong kong|taiwan|maca[uo]|hk\$|nt\$|mop"
)
_LEAD: Final = 1200


def local_currency(ctx: Context, numbers: list[Number]) -> str | None:
    """The currency a bare 元 (or $) of this text stands for: HKD, TWD or MOP for a Hong Kong,
    Taiwan or Macau release, None for the mainland's (the number's own default stands).

    As a reader decides: first by whose release it is (the bodies the headline and lead name
    and the words only one home's releases use, `entities.issuer_home`), then by the one
    regional currency the text's other amounts name when none is in yuan, then by where the
    story happens (the headline's place, else the home of most places the text names). A
    mainland release that names Hong Kong once is still the mainland's."""
    from monitor.extract import entities  # entities imports this module's Place

    folded = ctx.folded or fold(ctx.text)
    if not ctx.traditional and _REGIONAL_MARK.search(folded, 0, _LEAD) is None:
        return None  # a mainland text in simplified script or English: nothing more to read
    home = entities.issuer_home(folded)
    if home is not None:
        return LOCAL_CURRENCY.get(home)
    named = {n.currency for n in numbers if n.currency and not n.bare}
    regional = named & _REGIONAL
    if len(regional) == 1 and "CNY" not in named:
        return next(iter(regional))
    finder = entities.default_finder()
    if ctx.doc_region is not None:
        home = _home_of(ctx.doc_region, finder.within, finder.chinese_places)
        if home is not None:
            return LOCAL_CURRENCY.get(home)
    home = places_home(ctx.regions)
    return LOCAL_CURRENCY.get(home) if home is not None else None


def places_home(regions: Sequence[Place]) -> str | None:
    """The home ("China", "Hong Kong", "Macau", "Taiwan") of more than half the places named
    that have one (a foreign country says nothing of the yuan or the dollar), or None."""
    from monitor.extract import entities  # entities imports this module's Place

    finder = entities.default_finder()
    counts: dict[str, int] = {}
    for region in regions:
        home = _home_of(region.name, finder.within, finder.chinese_places)
        if home is not None:
            counts[home] = counts.get(home, 0) + 1
    if counts:
        top = max(counts, key=lambda h: counts[h])
        if counts[top] * 2 > sum(counts.values()):
            return top
    return None


def _home_of(place: str, within: dict[str, str], chinese: frozenset[str]) -> str | None:
    """ "Hong Kong", "Taiwan" or "Macau" for a place there, "China" for one of the mainland,
    None for a foreign one."""
    top = place
    for _ in range(4):  # district, city, province: a few steps up at most
        if top in LOCAL_CURRENCY:
            return top
        up = within.get(top)
        if up is None:
            break
        top = up
    return "China" if place in chinese or top in chinese else None


# "96 of whom", "52 of them", "five of those arrested", "30 of the arrests" (not "six of the 10
# leaders": the count that follows is the referent)
_OF_WHOM: Final = re.compile(r"\s+of\s+(?:whom|them|those|these|the(?!\s+\d))\b", re.IGNORECASE)
_NEXT_WORD: Final = re.compile(r"\s+([a-z]+)")
_IN_ONE: Final = re.compile(r"\bin\s+$")
_SUB_COUNT_REACH: Final = 300  # characters from the total a sub-count refers to


def _sub_count(ctx: Context, number: Number, total: Figure | None) -> dict[str, Any] | None:
    """A part of the count before it ("1,200 people were arrested, 96 of whom ..."): what the
    total counts and what was done with it, as the rules annotate sub-counts."""
    if total is None or number.start - total.end > _SUB_COUNT_REACH or number.currency:
        return None
    m = _OF_WHOM.match(ctx.text, number.end)
    if m is None or number.percent:
        return None
    if _IN_ONE.search(ctx.folded, max(0, number.start - 4), number.start):
        return None  # "In one of them, police ...": one of the cases told, not a count
    unit, measure, end = total.unit, total.measure, m.end()
    word = _NEXT_WORD.match(ctx.folded, end)
    if word is not None:  # "of those arrested", "of the arrests": the word says what they are
        said = word.group(1)
        noun = lx.EN_NOUNS.get(said)
        verb = lx.EN_VERB_CLASS.get(said)
        if noun is not None and (verb is None or ctx.folded.endswith("the", 0, m.end())):
            if noun[0] != unit:  # "of the arrests" among call centres: the arrests
                unit, measure = noun[0], lx.measure(None, *noun) or ""
            end = word.end()
        elif verb is not None:  # "of those arrested"
            measure = lx.measure(verb, unit, unit) or measure
            end = word.end()
        if not measure:
            return None
    # a place named between the total and its part is the part's ("Guangdong accounted for
    # 3,000 of the arrests"); else the part is where the total is
    regions = index_of(ctx).regions
    own = regions.last_run(ctx.text, total.end, number.start) if regions else []
    return dict(
        value=number.value,
        unit=unit,
        measure=measure,
        approx=number.approx,
        quote=ctx.text[number.start : end],
        start=number.start,
        end=end,
        region=", ".join(own) if own else total.region,
        campaign=total.campaign,
        kind=total.kind,  # a part of a running total runs on with it
    )


# "including 1,500 in Guangdong": a part of the total before it, a bare number of a list the
# total's sentence goes on with; "and 900 in Zhejiang" goes on with the list
_PARTS_OPEN: Final = re.compile(r"\b(?:including|among\s+them,?|of\s+which|of\s+whom)\s+")
_LIST_OPENS: Final = re.compile(_PARTS_OPEN.pattern + "$")
_LIST_GOES_ON: Final = re.compile(
    r"(?:\s+(?:province|city|county|district|region))?\s*,?\s*(?:and\s+)?"
)
_PART_PLACE: Final = re.compile(r"\s+(?:in|from)\s+")
_BARE_END: Final = re.compile(r"\s*(?:[,.;)]|and\b|in\b|from\b|$)")


def _listed_part(
    ctx: Context, number: Number, total: Figure | None, list_end: int
) -> dict[str, Any] | None:
    """A bare number listed after a total as one of its parts ("arrested 5,000 suspects,
    including 1,500 in Guangdong and 900 in Zhejiang"): what the total counts, where the place
    after it says (else where the total is). `list_end` is where the last such part ended."""
    if (
        total is None
        or number.currency
        or number.percent
        or number.start - total.end > _SUB_COUNT_REACH
        or ctx.segments.sentence(number.start)[0] != ctx.segments.sentence(total.start)[0]
        or not _BARE_END.match(ctx.folded, number.end)
    ):
        return None
    goes_on = _LIST_GOES_ON.match(ctx.folded, list_end) if list_end > total.start else None
    if goes_on is None and _PART_PLACE.match(ctx.text, number.end):
        # "32 were detained in Maoming and 20 in Beijing": the total's own place opens the list
        _, place_end = place_after(ctx, total.end)
        if place_end > total.end:
            goes_on = _LIST_GOES_ON.match(ctx.folded, place_end)
    if not (
        (goes_on is not None and goes_on.end() == number.start)
        or _LIST_OPENS.search(ctx.folded, max(0, number.start - 20), number.start)
    ):
        return None
    end, region = number.end, total.region
    at = _PART_PLACE.match(ctx.text, number.end)
    if at is not None:
        starts = (at.end(), at.end() + 4 if ctx.folded.startswith("the ", at.end()) else -1)
        place = next((r for r in ctx.regions if r.start in starts), None)
        if place is not None:
            end, region = place.end, place.name
    return dict(
        value=number.value,
        unit=total.unit,
        measure=total.measure,
        approx=number.approx,
        quote=ctx.text[number.start : end],
        start=number.start,
        end=end,
        region=region,
        campaign=total.campaign,
        kind=total.kind,
    )


# 另一个, "another 30": not the figure said before
_ANOTHER: Final = re.compile(r"(?:另|另外|another\s+)$")


def _same_sentence(ctx: Context, a: int, b: int) -> bool:
    return ctx.segments.sentence(a)[0] == ctx.segments.sentence(b)[0]


# a place's police right after its name: 臺中市政府警察局, 香港警方, 彰化縣警察局, 杭州市公安局
_POLICE_AFTER: Final = re.compile(
    r"[省市县区]?(?:政府)?(?:警方|警察局|警察|公安局|公安厅|公安机关|警务处|"
    # a district's precinct under the city: 台中市烏日警分局, 杭州市公安局西湖区分局
    r"[\u4e00-\u9fff]{1,3}?警?分局)"
)


def _lead_place(ctx: Context, scoping: list[Place]) -> str | None:
    """Where the story is when no place opens the headline: the place the lead sentence opens
    with ("Police in central Henan said", "Hong Kong police have arrested"); in Chinese, only a
    place whose police the lead names (臺中市政府警察局執行, 香港警方過去三星期): a Chinese lead
    opens with datelines (新华社北京…电) and reporters' sources (记者从…获悉) as often."""
    lead_start, lead_end = ctx.lead
    if ctx.lang == "en":
        # the places of a breakdown ("arrested 320, including 41 in Yunnan") are its parts'
        parts = _PARTS_OPEN.search(ctx.folded, lead_start, lead_end)
        lead_end = parts.start() if parts is not None else lead_end
        found = next((p.name for p in scoping if lead_start <= p.start < lead_end), None)
        return found if found is not None else _territory(ctx)
    for place in ctx.regions:
        if place.start >= lead_end:
            break
        if place.start >= lead_start and _POLICE_AFTER.match(ctx.text, place.end):
            return place.name
    return _territory(ctx)


def _territory(ctx: Context) -> str | None:
    """Hong Kong or Macau for a release of their police, which need not name the city: by whose
    release it is (警務處, 港警), else by where most places it names are (尖沙咀, 葵青)."""
    from monitor.extract import entities  # entities imports this module's Place

    home = entities.issuer_home(ctx.folded)
    if home is None:
        home = places_home(ctx.regions)
    return home if home in _TERRITORIES else None


_TERRITORIES: Final = frozenset(("Hong Kong", "Macau"))
# an English headline's "detain" is often the body's "arrest", and the other way round
_HELD: Final = {"arrested": "detained", "detained": "arrested"}


def find_figures(ctx: Context) -> list[Figure]:
    out: list[Figure] = []
    seen: dict[tuple[float, str, str], int] = {}  # where each statement stands in `out`
    total: Figure | None = None  # the last count, for the sub-counts of English
    if not ctx.folded:
        ctx = ctx.replace(folded=fold(ctx.text))
    english = ctx.lang == "en"
    finder = figures_en if english else figures_zh
    scoping = subjects(ctx, ctx.regions)
    if ctx.doc_region is None:
        lead = _lead_place(ctx, scoping)
        if lead is not None:
            ctx = ctx.replace(doc_region=lead)
    index = FigureIndex(
        verbs=Verbs(all_verbs(ctx), ctx.folded, english),
        nouns=finder.noun_scan(ctx.text, ctx.segments),
        regions=Places(scoping),
        places=Places(ctx.regions),
        campaigns=Places(ctx.campaigns),
        leads={},
        kinds=KindMarkers(ctx.folded if english else ctx.text, english, ctx.segments),
        parts=[] if english else figures_zh.part_words(ctx.text),
        nationwide=nationwide(ctx.folded) if ctx.doc_region is not None else (),
    )
    ctx = ctx.replace(index=index)
    find = figures_en.english if english else figures_zh.chinese
    protected = Spans(ctx.protected)  # campaign mentions, in text order, apart
    money_end = -1  # where the last amount of money ended
    converting = -1  # where the brackets of a conversion close
    list_end = -1  # where the last part listed after a total ended
    numbers = list(find_numbers(ctx.text, ctx.lang, ctx.folded))
    headline_end = ctx.text.find("\n")  # -1: no body, so nothing is restated
    local = ""  # the currency of a bare 元, decided at the first one
    for number in numbers:
        if protected.covers(number.num_start):
            continue
        if number.bare:
            if not local:
                local = local_currency(ctx, numbers) or number.currency
            number = number.with_currency(local)
        if number.currency:
            if _penalty_before(ctx.text, ctx.folded, number.start):
                continue
            if number.start < converting:
                money_end = number.end
                continue  # "(US$510,000 to US$7.5 million)": a range converted, both its ends
            converted = money_end >= 0 and _CONVERSION.fullmatch(ctx.text, money_end, number.start)
            if converted and ctx.text[money_end : number.start].lstrip()[:1] in "(（":
                close = _CLOSE_BRACKET.search(ctx.text, number.end, number.end + 80)
                converting = close.start() if close is not None and close.group() in ")）" else -1
            money_end = number.end
            if converted:
                continue  # "1 billion yuan ($140 million)": the same amount in another currency
        fields = _sub_count(ctx, number, total) if english else None
        if fields is None:
            fields = find(ctx, number) if english else figures_zh.chinese(ctx, number, total)
        listed = False
        if fields is None and english:
            fields = _listed_part(ctx, number, total, list_end)
            if fields is not None:
                list_end, listed = fields["end"], True
        if fields is None:
            continue
        key = (fields["value"], fields["unit"], fields["measure"])
        at = seen.get(key)
        if at is None and english and fields["measure"] in _HELD:
            # "Police detain 14" over "arrested 14 people": the headline's count is the body's
            held = seen.get((fields["value"], fields["unit"], _HELD[fields["measure"]]))
            if held is not None and out[held].start < headline_end <= fields["start"]:
                out[held] = Figure.model_validate(fields)  # the body's own words
                continue
        if at is not None and (
            _same_sentence(ctx, out[at].start, fields["start"])
            or _ANOTHER.search(ctx.folded, max(0, number.start - 9), number.start)
        ):
            # 笔电3台、平板电脑3台: two items of one list, not a statement said twice
            at = None
            key = (*key[:2], f"{key[2]}@{fields['start']}")
        if at is None:  # a statement the text repeats is one figure
            seen[key] = len(out)
            # validating the fields is faster than Figure(**fields) and than model_construct
            out.append(Figure.model_validate(fields))
            if not number.currency and not number.percent and not listed:
                total = out[-1]
        elif out[at].approx == "exact" and fields["approx"] != "exact":
            # the headline rounds what the body qualifies ("15,000 arrested", "about 15,000")
            out[at] = Figure.model_validate(fields)
        elif out[at].region is None and fields["region"] is not None and ctx.doc_region is None:
            # a story with no place of its own: the body says where the headline's figure is
            out[at] = out[at].model_copy(update={"region": fields["region"]})
    return out
