"""Enforcement figures: a number, what it counts (unit), what was done (measure), and where.

`find_figures` runs the English or Chinese finder over every number that is not part of a
campaign name and keeps one figure per statement (value, unit and measure), however often the
text repeats it.
"""

from __future__ import annotations

from dataclasses import replace

from monitor.extract.figures_en import english
from monitor.extract.figures_zh import chinese
from monitor.extract.keywords import fold
from monitor.extract.numbers import find_numbers
from monitor.extract.scope import Context, Place, all_verbs, is_subject
from monitor.models import Figure

__all__ = ["Context", "Place", "find_figures"]


def find_figures(ctx: Context) -> list[Figure]:
    out: list[Figure] = []
    seen: set[tuple[float, str, str]] = set()
    if not ctx.folded:
        ctx = replace(ctx, folded=fold(ctx.text))
    verbs = all_verbs(ctx)
    ctx = replace(
        ctx,
        regions=[p for p in ctx.regions if is_subject(ctx, p)],
        verbs=verbs,
        verb_starts=[v[0] for v in verbs],
    )
    finder = english if ctx.lang == "en" else chinese
    protected = ctx.protected
    for number in find_numbers(ctx.text, ctx.lang, ctx.folded):
        if protected and any(s <= number.num_start < e for s, e in protected):
            continue
        fields = finder(ctx, number)
        if fields is None:
            continue
        key = (fields["value"], fields["unit"], fields["measure"])
        if key not in seen:  # a statement the text repeats is one figure
            seen.add(key)
            out.append(Figure(**fields))  # validating is faster than model_construct here
    return out
