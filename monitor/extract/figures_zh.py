"""Chinese figures: a classifier (名, 起, 个 ...) and the noun after or before the number give the
unit; the verb before it in the clause (or after 被) gives the measure.
"""

from __future__ import annotations

import re
from typing import Any, Final

from monitor.extract import lexicon as lx
from monitor.extract.figure_kind import figure_clause
from monitor.extract.numbers import Number
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
from monitor.extract.text import ClauseScan, Segments, bisect_left
from monitor.models import Figure, FigureKind

_ZH_SKIP_AFTER: Final = re.compile(
    r"(?:年|月|日|号|时|点|岁|天|周|个月|小时|分钟|秒|届|次会议|批次|季度|倍|项|类|种|大|个省|省|个地市|"
    r"市|县|个部门|部门|家部门|层|级|期|版|位|号线|G|米|公里|千米)"
)
# one or two characters; the two-character ones win ("人次" before "人")
_ZH_CLASSIFIERS: Final = frozenset(
    (
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
        "枝",  # Taiwan's 支 (槍枝16枝)
        "只",  # 13只名贵手表
        "瓶",
        "颗",
        "辆",
        "盒",
        "套",
        "把",
        "次",
        "款",
        "枚",
        "处",
        "间",
        "栋",
        "吨",
        "公斤",
        "组",
    )
)
_ZH_SKIP_BEFORE: Final = re.compile(
    r"(?:电话|热线|专线|拨打|号码|编号|代码|邮编|QQ|微信|网址)[：:\s]*$"
)
# 被: a passive verb follows the noun (not 被害人, the victims); 及, 和, 与, 并: the next item of
# a list (3人及马籍犯嫌)
_NOUN_CUT: Final = re.compile(r"[，,。；;、：:（(\s\d及和与并]|被(?!害)")


# characters after a classifier the noun it counts may end within: modifiers run long
# (打掉一个特大跨境电信网络诈骗团伙)
_NOUN_AFTER: Final = 14
_NOUN_AFTER_DE: Final = 40  # with a 的 in it the modifier runs longer (打掉一个以“…”为幌子的…团伙)


def _zh_noun_after(text: str, pos: int) -> Noun | None:
    wide = text[pos : pos + _NOUN_AFTER_DE]
    cut = _NOUN_CUT.search(wide)
    if cut:
        wide = wide[: cut.start()]
    de = wide.rfind("的")
    if de >= 0:
        # 一个利用虚拟货币洗黑钱的集团: what 的 closes only describes the head after it
        head = None
        for head in lx.ZH_NOUN_RE.finditer(wide, de + 1):  # noqa: B007 - the last is the head
            pass
        if head is not None:
            unit, slug = lx.ZH_NOUNS[head.group()]
            return Noun(unit, slug, pos + head.start(), pos + head.end())
    # the narrow window cut at its first stop is the wide one's first characters
    window = wide[:_NOUN_AFTER]
    m = None
    for m in lx.ZH_NOUN_RE.finditer(window):  # noqa: B007 - the last noun is the head
        pass
    if m is None:
        return None
    unit, slug = lx.ZH_NOUNS[m.group()]
    return Noun(unit, slug, pos + m.start(), pos + m.end())


def noun_scan(text: str, segments: Segments) -> ClauseScan[tuple[str, str]]:
    """The nouns of each clause, for the noun before a number (see `ClauseScan`)."""
    return ClauseScan(lx.ZH_NOUN_RE, text, segments, lx.ZH_NOUNS.get)


def _zh_noun_before(ctx: Context, start: int, end: int) -> Noun | None:
    """The last noun of the clause that starts at `start`, before `end` and not further from it
    than REACH."""
    found = index_of(ctx).nouns.last(start, end)
    if found is None or found[0] < end - REACH:
        return None
    s, e, (unit, slug) = found
    if _DIGITS.search(ctx.text, e, end):
        return None  # 犯嫌名下市值5000万元的豪宅及4笔土地: another count stands between
    return Noun(unit, slug, s, e)


_DIGITS: Final = re.compile(r"[0-9]")


# 其中有, 其中, 共, 累计 ...: the longer words first
_LEAD_WORDS: Final = tuple(
    sorted((*(w + "有" for w in lx.ZH_AMONG), *lx.ZH_AMONG, "共", "累计"), key=len, reverse=True)
)


def _leads(ctx: Context, sentence: tuple[int, int], pos: int) -> bool:
    r"""Whether only punctuation and one of 其中, 共, 累计, 包括 stand between the start of the
    sentence and `pos` (what `[\W_]*(?:其中|共|累计|包括)?[\W_]*` matches in full). Where
    the sentence's words start is found once per sentence, not once per number in it."""
    sent_start, sent_end = sentence
    memo = index_of(ctx).leads
    found = memo.get(sent_start)
    if found is None:
        text = ctx.text
        first = sent_start
        while first < sent_end and not text[first].isalnum():
            first += 1
        lead_end = after = first
        for word in _LEAD_WORDS:
            if text.startswith(word, first):
                lead_end = after = first + len(word)
                while after < sent_end and not text[after].isalnum():
                    after += 1
                break
        found = memo[sent_start] = (first, lead_end, after)
    first, lead_end, after = found
    return pos <= first or (first < lead_end <= pos <= after)


_COUNTED: Final = ("people", "cases")


def _slug_of(classifier: str | None, decisive: str) -> str:
    return lx.ZH_CLASSIFIER_SLUGS.get(classifier or "", decisive)


# what 件 counts when the noun before it names it; cases otherwise (Taiwan's 受理2738件)
_OBJECTS: Final = frozenset(("devices", "cards", "items", "other", "websites", "accounts", "units"))
_ZH_NUMERALS: Final = frozenset("0123456789零〇一二两三四五六七八九十百千万")


def _gendered(text: str, n: Number) -> str | None:
    """People for each number of 8男3女, 16男1女 (men and women, counted apart)."""
    mark = text[n.end : n.end + 1]
    if mark == "男" and text[n.end + 1 : n.end + 2] in _ZH_NUMERALS:
        return "people"
    if mark == "女" and text[n.num_start - 1 : n.num_start] == "男":
        return "people"
    return None


# words that break a total down into its parts: 其中, 当中 (Hong Kong), 包括, 分别有, 区分, 其次
_PARTS: Final = re.compile("|".join((*lx.ZH_AMONG, "分别", "区分", "其次")))
_PART_REACH: Final = 200  # characters from the total to its part


def _part_of(
    ctx: Context, n: Number, unit: str, total: Figure | None
) -> tuple[str, FigureKind, int] | None:
    """The measure and kind of the total a count is a part of, and where the word that breaks
    the total down stands: the last count before it, of the same unit, close by (a paragraph may
    open with the breakdown), with 其中, 分别 ... before the count in its sentence."""
    if total is None or total.unit != unit or n.start - total.end > _PART_REACH:
        return None
    sent_start, _ = ctx.segments.sentence(n.start)
    parts = index_of(ctx).parts
    at = bisect_left(parts, n.start)  # the last breakdown word before the count, if any
    if at == 0 or parts[at - 1] < sent_start:
        return None
    return total.measure, total.kind, parts[at - 1]


def part_words(text: str) -> list[int]:
    """Where the words that break a total down start, found once per text (see `_part_of`)."""
    return [m.start() for m in _PARTS.finditer(text)]


def chinese(ctx: Context, n: Number, total: Figure | None = None) -> dict[str, Any] | None:
    """The fields of the figure of number `n`, or None; `total` is the last count before it,
    which a part of it without a verb of its own takes its measure from."""
    text, seg = ctx.text, ctx.segments
    if text[n.start - 1 : n.start] == "第" or _ZH_SKIP_AFTER.match(text, n.end):
        return None
    if (
        text[n.num_start : n.end].isdigit()
        and text[n.end : n.end + 1] not in _ZH_CLASSIFIERS
        and _ZH_SKIP_BEFORE.search(text, max(0, n.start - 6), n.start)
    ):
        return None  # 举报电话110, 热线96110: numbers to dial (not 诈骗电话1.2亿次)
    if text[n.end : n.end + 1] in CLOSE_QUOTES and text[n.end : n.end + 1]:
        return None
    if quoted_term(text, n):
        return None
    raw = text[n.num_start : n.end]
    if is_phone(raw):
        return None
    clause_start, clause_end = figure_clause(ctx.segments, index_of(ctx).kinds, n.start)
    noun: Noun | None = None
    if n.percent:
        unit, slug = "percent", "percent"
    elif n.currency:
        unit, slug = n.currency, "money"
    else:
        two = text[n.end : n.end + 2]
        classifier = (
            two if two in _ZH_CLASSIFIERS else two[:1] if two[:1] in _ZH_CLASSIFIERS else None
        )
        after_pos = n.end + (len(classifier) if classifier else 0)
        noun = _zh_noun_after(text, after_pos) if classifier else None
        decisive = lx.ZH_CLASSIFIERS.get(classifier or "")
        if classifier is None:
            decisive = _gendered(text, n)
            after_pos += decisive is not None  # the 男 or 女 is the quote's classifier
        if (
            noun is not None
            and decisive in _COUNTED
            and noun.unit != decisive
            and classifier != "件"
        ):
            noun = None  # 51宗网上理财户口...报案: 宗 counts cases whatever noun follows
        if noun is None and decisive in _COUNTED:
            unit, slug = lx.UNIT_OF_KIND.get(decisive, decisive), _slug_of(classifier, decisive)
            named = _zh_noun_before(ctx, clause_start, n.start)
            if named is not None and named.unit == decisive:
                slug = named.slug  # 受害人1200余名: victims
            elif classifier == "件" and named is not None and named.unit in _OBJECTS:
                unit, slug, noun = named.unit, named.slug, named  # 涉案物品300件: objects
        else:
            if noun is None:
                noun = _zh_noun_before(ctx, clause_start, n.start)
            if noun is not None:
                unit, slug = noun.unit, noun.slug
            elif decisive:
                unit, slug = lx.UNIT_OF_KIND.get(decisive, decisive), _slug_of(classifier, decisive)
            else:
                return None
        if after_pos > n.end and (noun is None or noun.start < n.start):
            noun = Noun(unit, slug, n.end, after_pos)
    if is_year(raw) and slug != "money" and (noun is None or noun.start < n.start):
        return None  # 通报了2023重庆“夏季行动”: a year, not a count of what was named before it
    sentence = seg.sentence(n.start)
    sent_start = sentence[0]
    leads = _leads(ctx, sentence, n.start)
    tail = noun.end if noun and noun.start >= n.end else n.end
    groups: list[tuple[str, int, int]] = []
    if text.startswith("被", tail):  # 被抓获: the verb after the noun
        groups.append(("passive", tail, min(clause_end, tail + REACH)))
    groups.append(("clause", clause_start, n.start))
    # 近500名犯罪嫌疑人落网, 4人均因涉嫌诈骗罪被刑事拘留: a verb after the noun in its clause,
    # when none stands before the number
    groups.append(("after", tail, min(clause_end, tail + REACH)))
    groups.append(("sentence", sent_start, clause_start))
    if leads:
        p_start, p_end = seg.previous_sentence(n.start)
        groups.append(("previous", p_start, p_end))
    part = _part_of(ctx, n, unit, total) if not (n.currency or n.percent) else None
    if part is None:
        return figure_fields(ctx, n, unit, slug, noun, groups, leads)
    # a part's verb is one after its 其中 (其中境内抓获1105名); the verb before it is the total's,
    # whose measure the part takes (逃犯到案1222名，其中境内1105名: fugitives)
    measure, kind, split = part
    groups = [(w, max(s, split), e) for w, s, e in groups if w != "previous" and e > split]
    return figure_fields(ctx, n, unit, slug, noun, groups, leads, (measure, kind))
