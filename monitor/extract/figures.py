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
from dataclasses import replace

from monitor.extract import figures_en, figures_zh
from monitor.extract.keywords import fold
from monitor.extract.numbers import find_numbers
from monitor.extract.scope import Context, FigureIndex, Place, Places, Verbs, all_verbs, subjects
from monitor.extract.text import Spans
from monitor.models import Figure

__all__ = ["Context", "Place", "find_figures"]

# what stands between an amount and the same amount converted: " (", "（约合", ", or about "
_CONVERSION = re.compile(
    r"\s*(?:[(（]|[,，]?\s*or\b|[,，]\s*(?:about|approximately|roughly|around|equivalent to|"
    r"equal to|some)\b)\s*(?:约合|折合|合计|合|约|相当于|about|approximately|roughly|around|"
    r"equivalent to|equal to|some|or|nearly|over|more than)?\s*",
    re.IGNORECASE,
)


def find_figures(ctx: Context) -> list[Figure]:
    out: list[Figure] = []
    seen: set[tuple[float, str, str]] = set()
    if not ctx.folded:
        ctx = replace(ctx, folded=fold(ctx.text))
    english = ctx.lang == "en"
    finder = figures_en if english else figures_zh
    index = FigureIndex(
        verbs=Verbs(all_verbs(ctx), ctx.folded, english),
        nouns=finder.noun_scan(ctx.text, ctx.segments),
        regions=Places(subjects(ctx, ctx.regions)),
        campaigns=Places(ctx.campaigns),
        leads={},
    )
    ctx = replace(ctx, index=index)
    find = figures_en.english if english else figures_zh.chinese
    protected = Spans(ctx.protected)  # campaign mentions, in text order, apart
    money_end = -1  # where the last amount of money ended
    for number in find_numbers(ctx.text, ctx.lang, ctx.folded):
        if protected.covers(number.num_start):
            continue
        if number.currency:
            converted = money_end >= 0 and _CONVERSION.fullmatch(ctx.text, money_end, number.start)
            money_end = number.end
            if converted:
                continue  # "1 billion yuan ($140 million)": the same amount in another currency
        fields = find(ctx, number)
        if fields is None:
            continue
        key = (fields["value"], fields["unit"], fields["measure"])
        if key not in seen:  # a statement the text repeats is one figure
            seen.add(key)
            out.append(Figure(**fields))  # validating is faster than model_construct here
    return out
