"""The fast scans give what the plain ones give: keyword lists searched through an ASCII copy of a
long text, and regex matches tried only where their first character stands."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from itertools import pairwise

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from monitor.extract import figure_kind, figures_en, figures_zh, keywords, numbers, scope
from monitor.extract import lexicon as lx
from monitor.extract import text as text_module
from monitor.extract.campaigns import _QUOTED, _quoted_names
from monitor.extract.entities import default_finder
from monitor.extract.figures_en import _TOKEN
from monitor.extract.keywords import Anchored, Keywords, Scanner, fold
from monitor.extract.numbers import fold_width
from monitor.extract.scope import (
    Context,
    FigureIndex,
    Place,
    Places,
    Verbs,
    _auxiliary_before,
    all_verbs,
    subjects,
)
from monitor.extract.text import Segments, detect_lang, has_cjk

_KEYS = ["police", "public security", "arrest", "arrested", "公安局", "公安", "café", "no. 9"]
_PIECES = ["police ", "public security", "arrested", "公安局", "“", "”", "café", "?", "no. 9", " "]


def _plain(keys: Keywords[str], text: str) -> list[tuple[int, int, str]]:
    """Keywords.find as it was: the str automaton over the whole text, then the word test."""
    assert keys._automaton is not None
    words = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    out = []
    for i, s, e in keys._automaton.find_matches_as_indexes(text):
        value, check_start, check_end = keys._values[i]
        if check_start and s > 0 and text[s - 1] in words:
            continue
        if check_end and e < len(text) and text[e] in words:
            continue
        out.append((s, e, value))
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=120))
def test_keywords_on_long_texts_match_the_plain_search(pieces: list[str]) -> None:
    text = fold("".join(pieces) * 3)  # long enough for the ASCII copy
    for keys in (
        Keywords((k, k) for k in _KEYS),  # mixed, with a non-Chinese non-ASCII key
        Keywords((k, k) for k in _KEYS if k != "café"),  # only Chinese beyond ASCII
        Keywords((k, k) for k in _KEYS if k.isascii()),
    ):
        assert keys.find(text) == _plain(keys, text)


def test_keywords_find_across_curly_quotes_and_chinese() -> None:
    keys = Keywords([("police", "P"), ("公安局", "B"), ("arrested", "A")])
    text = fold("“Police” arrested 12 people; 公安局 police. " * 20)
    hits = keys.find(text)
    assert [(text[s:e], v) for s, e, v in hits[:4]] == [
        ("police", "P"),
        ("arrested", "A"),
        ("公安局", "B"),
        ("police", "P"),
    ]


@given(st.text(alphabet='ab"“”‘’「」『』, .x\n\t', max_size=300))
def test_quoted_names_are_the_pattern_s_matches(text: str) -> None:
    expected = [(*m.span(), *m.span(1)) for m in _QUOTED.finditer(text)]
    assert _quoted_names(text) == expected


def test_sentences_and_clauses_of_a_text() -> None:
    text = "Police in No. 9 district arrested 5 people, seized 3 cars.\n\nIt ended; 会议结束。"
    seg = Segments.of(text)
    assert seg.sentence(text.index("seized"))[0] == 0
    assert text[seg.sentence(text.index("It"))[0] :].startswith("It ended;")
    assert text[seg.clause(text.index("seized"))[0] :].startswith(" seized")
    assert text[seg.sentence(text.index("会议"))[0] :].startswith(" 会议")


@given(st.text(alphabet="ab “”公安１２．％3", max_size=60))
def test_width_folding_and_the_chinese_test(text: str) -> None:
    folded = fold_width(text)
    assert folded == text.translate(str.maketrans("０１２３４５６７８９．％", "0123456789.%"))
    expected = re.search(r"[\u4e00-\u9fff]", text) is not None
    assert has_cjk(folded) is expected
    assert has_cjk(text) is expected


# --- the per-text indexes of the figure finders give what the plain scans gave --------------------

_ZH_PIECES = [
    *("犯罪嫌疑人", "嫌疑人", "人员", "团伙", "犯罪", "集团", "抓获", "卡", "电话卡", "，"),
    *("。", "、", "12", "名", "被", "其中", "共", " "),
]
_LEAD_PIECES = ["其中", "共", "累计", "，", "：", "_", "抓获", "12", "。", " "]
_EN_PIECES = [
    *("police ", "in ", "Jiangsu ", "Police in ", "public  security in ", "to ", "at "),
    *("suspects ", "were ", "arrested ", "seized ", "cases ", "5 ", ", ", ". ", "\n"),
    *("visited ", "more than ", "nearly ", "   ", "\n\n\n", "x"),
    *("cracked ", "fell ", "shut down ", "rescued ", "have been "),
]


def _context(text: str, lang: str) -> Context:
    return Context(
        text=text,
        lang=lang,
        segments=Segments.of(text),
        protected=(),
        regions=(),
        campaigns=(),
        doc_region=None,
        folded=fold(text),
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_ZH_PIECES + _EN_PIECES), max_size=60), st.booleans())
def test_the_noun_before_a_number_is_the_last_of_a_scan_from_its_clause(
    pieces: list[str], chinese: bool
) -> None:
    text = "".join(pieces)
    segments = Segments.of(text)
    keep: Callable[[str], tuple[str, str] | None]
    if chinese:
        pattern, keep = lx.ZH_NOUN_RE, lx.ZH_NOUNS.get
        scan = figures_zh.noun_scan(text, segments)
    else:
        pattern, keep = _TOKEN, figures_en._noun_of
        scan = figures_en.noun_scan(text, segments)
    for start in segments.clauses:
        for end in range(start, segments.clause(start)[1] + 1):
            plain = [
                (m.start(), m.end(), keep(m.group()))
                for m in pattern.finditer(text, start, end)
                if keep(m.group()) is not None
            ]
            assert scan.last(start, end) == (plain[-1] if plain else None)


_FITS = [frozenset(f) for f in (["arrest"], ["arrest", "seize"], ["solve", "close", "rescue"])]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(_EN_PIECES), max_size=60))
def test_verb_lookups_are_the_walk_through_every_verb(pieces: list[str]) -> None:
    text = "".join(pieces)
    ctx = _context(text, "en")
    found = all_verbs(ctx)
    verbs = Verbs(found, ctx.folded, english=True)
    bounds = sorted({0, len(text), *(v[0] for v in found), *(v[1] for v in found)})
    for start in bounds:
        for end in (b for b in bounds if b >= start):
            inside = [(c, s, e) for s, e, c in found if start <= s < end and e <= end]
            assert verbs.nearest(start, end) == (inside[-1] if inside else None)
            for fits in _FITS:
                for forward, passive in ((False, False), (True, False), (True, True)):
                    order = inside if forward else inside[::-1]
                    plain = next(
                        (
                            (c, s, e)
                            for c, s, e in order
                            if c in fits and (not passive or _auxiliary_before(ctx.folded, s))
                        ),
                        None,
                    )
                    got = verbs.first(start, end, fits, forward=forward, passive=passive)
                    assert got == plain


@given(
    st.lists(st.tuples(st.sampled_from("ABC"), st.integers(0, 50)), max_size=30),
    st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), max_size=30),
)
def test_places_before_are_the_plain_reading(
    raw: list[tuple[str, int]], queries: list[tuple[int, int]]
) -> None:
    places = [Place(name, start, start + 1) for name, start in sorted(raw, key=lambda p: p[1])]
    index = Places(places)
    for start, end in sorted(queries):  # figures ask in text order
        plain: list[str] = []
        for p in places:
            if start <= p.start < end and p.name not in plain:
                plain.append(p.name)
        assert index.names(start, end) == plain


_POLICE_IN_PLAIN = re.compile(
    r"(?:police|public\s+security|agencies|authorities|organs|bureaus?|departments?|officers|"
    r"prosecutors|courts?)\s+(?:in|of|from)\s+$",
    re.IGNORECASE,
)
_PLACE_AFTER_PLAIN = re.compile(r"\b(?:at|to|from|visit(?:ed)?|via)\s+$", re.IGNORECASE)


def _is_subject_plain(ctx: Context, place: Place) -> bool:
    clause_start, _ = ctx.segments.clause(place.start)
    before = ctx.text[clause_start : place.start]
    if ctx.lang == "zh":
        # the clause's opening, or what follows a blank of a headline within 8 characters
        after_blank = re.search(
            r"[ \u3000]([^ \u3000]*)$", ctx.text[clause_start + 1 : place.start]
        )
        openings = [before] + (
            [after_blank.group(1)]
            if after_blank and place.start - (clause_start + 1 + after_blank.start(1)) <= 7
            else []
        )
        return any(
            len(b.rstrip() if b is not before else b.strip()) <= 6
            and not b.endswith(tuple("在于赴到自往从"))
            for b in openings
        )
    # "the central", "southern" ... before the place are the place's
    modifier = scope._PLACE_MODIFIER.search(
        ctx.text, max(clause_start, place.start - 24), place.start
    )
    if modifier is not None:
        before = ctx.text[clause_start : modifier.start()]
    if len(re.findall(r"[A-Za-z]+", before)) <= 3 and not _PLACE_AFTER_PLAIN.search(before):
        return True
    return bool(_POLICE_IN_PLAIN.search(before))


_SUBJECT_PIECES = [
    *("police ", "Police", " in ", "Jiangsu", " ", "public  security", "to ", "visited", "x "),
    *(", ", "\n", "   ", "courts", " of ", "Departments", "在", "江苏", "从", "，", "the "),
    *("\u3000", "一二三四五", "the central ", "southern ", "xcentral "),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SUBJECT_PIECES), max_size=40))
@example(["x x x x police in Jiangsu"])
@example(["a b c d xpublic \n\t security   of  Jiangsu"])
@example(["one two three four visited   Jiangsu, five six seven eight Courts from Jiangsu"])
@example(["  \n  江苏", "，在江苏", "一二三四五六七江苏"])
def test_regions_that_scope_their_clause_are_the_plain_test(pieces: list[str]) -> None:
    text = "".join(pieces)
    for lang in ("en", "zh"):
        ctx = _context(text, lang)
        places = [Place(name, s, e) for s, e, name in default_finder().regions.find(text)]
        assert subjects(ctx, places) == [p for p in places if _is_subject_plain(ctx, p)]


def _qualifier_plain(folded: str, at: int) -> tuple[str, int]:
    """numbers._qualifier as it was, reading back to the last word however far."""
    if at < 3 or folded[at - 1] not in " \n\t":
        return "exact", at
    words = folded[:at].split()
    if (words[-1] if words else "") not in numbers._QUAL_LAST:
        return "exact", at
    return numbers._qualifier(folded, at)  # the rest is unchanged


_BLANK_PIECES = ["more ", "than", "nearly", "about ", " ", "\n", "\t", "\n" * 70, " " * 70, "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_BLANK_PIECES), max_size=30))
def test_qualifiers_read_back_only_as_far_as_they_can_reach(pieces: list[str]) -> None:
    folded = "".join(pieces) + "5"
    for at in range(len(folded) + 1):
        assert numbers._qualifier(folded, at) == _qualifier_plain(folded, at)


_ZH_LEADS_PLAIN = re.compile(r"[\W_]*(?:其中|共|累计|包括)?[\W_]*$")


@given(st.lists(st.sampled_from(_LEAD_PIECES), max_size=20))
def test_chinese_lead_words_are_the_plain_pattern(pieces: list[str]) -> None:
    text = "".join(pieces)
    ctx = _context(text, "zh")
    ctx = ctx.replace(
        index=FigureIndex(
            verbs=Verbs([], "", english=False),
            nouns=figures_zh.noun_scan(text, ctx.segments),
            regions=Places([]),
            places=Places([]),
            campaigns=Places([]),
            leads={},
        ),
    )
    for pos in range(len(text)):
        sentence = ctx.segments.sentence(pos)
        plain = bool(_ZH_LEADS_PLAIN.fullmatch(text[sentence[0] : pos]))
        assert figures_zh._leads(ctx, sentence, pos) is plain


_OPENED_EN = re.compile(
    r"\b(?:so\s+far|as\s+of\b|in\s+total|accumulated|the\s+(?:[\w-]+\s+)?gang\b)"
)
_OPENED_ZH = re.compile(r"(?<!基)(?:该|此)案|累计|一个[^，。]{0,6}?团伙")
_OPENED_PIECES = [
    "so", "far", "as", "of", "in", "total", "accumulated", "accumulatedness", "the", "gang",
    "card", "also", "é", "_", "-", "’", "该", "此", "基", "案", "累计", "一个", "团伙", "，",
    " ", "  ", "\n", ".",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_OPENED_PIECES), min_size=1, max_size=150))
def test_expressions_sought_at_their_opening_words_are_the_plain_search(
    pieces: list[str],
) -> None:
    text = "".join(pieces)
    english = Anchored(
        ((_OPENED_EN, ("so", "as", "in", "accumulated", "the")),), prefixes=("accumulated",)
    )
    chinese = Anchored(((_OPENED_ZH, "该此累一"), (re.compile("案"), "案")))
    assert english.spans(text) == [[m.span() for m in _OPENED_EN.finditer(text)]]
    assert chinese.spans(text) == [
        [m.span() for m in _OPENED_ZH.finditer(text)],
        [m.span() for m in re.finditer("案", text)],
    ]


def test_opening_words_that_could_hide_one_another_are_refused() -> None:
    with pytest.raises(ValueError, match="extends a prefix"):
        Anchored(((_OPENED_EN, ("accumulated", "accumulatedness")),), prefixes=("accumulated",))
    with pytest.raises(ValueError, match="single characters"):
        Anchored(((_OPENED_ZH, ("该案", "累")),))


_MARKER_PIECES = [
    "the", "a", "single", "another", "card", "fraud", "case", "gang", "ring", "syndicate",
    "crime", "unit", "and", "drug", "so", "far", "to", "date", "as", "of", "cumulatively", "in",
    "total", "since", "it", "began", "march", "accumulated", "accumulatedness", "last", "year",
    "including", "é", "-", "'s", "’", "该", "这", "基", "案", "一个", "一起", "参与", "团伙",
    "犯罪", "累计", "截至", "目前", "以来", "近期", "其中", "，", "。", " ", "  ", "\n", ",", ".",
]  # fmt: skip


def _starting_within(
    pattern: re.Pattern[str], text: str, start: int, end: int
) -> list[re.Match[str]]:
    """The matches `pattern.finditer` gives from `start` (each may run past `end`) that start
    before `end`."""
    out = []
    at = start
    while at <= len(text):
        m = pattern.search(text, at)
        if m is None or m.start() >= end:
            break
        out.append(m)
        at = max(m.end(), m.start() + 1)
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_MARKER_PIECES), min_size=1, max_size=120), st.booleans())
@example(["the", " ", "single", " ", "case"], True)
@example(["a", " ", "single", " ", "card", "  ", "fraud", "\n", "drug", " ", "gang"], True)
def test_figure_kind_markers_are_the_expressions_plain_search(
    pieces: list[str], english: bool
) -> None:
    text = " ".join(pieces) if english else "".join(pieces)
    segments = Segments.of(text)
    markers = figure_kind.KindMarkers(text, english, segments)
    cumulative = figure_kind._CUMULATIVE_EN if english else figure_kind._CUMULATIVE_ZH
    case = figure_kind._CASE_EN if english else figure_kind._CASE_ZH
    period = figure_kind._PERIOD_EN if english else figure_kind._PERIOD_ZH
    # cumulative words (and Chinese case words) are sought sentence by sentence: the matches
    # that start in each sentence, sought from its start; English case words in the whole text
    sentences = list(pairwise([*segments.sentences, len(text)]))
    cumulative_starts = [
        m.start() for s, e in sentences for m in _starting_within(cumulative, text, s, e)
    ]
    case_starts = [
        m.start()
        for s, e in ([(0, len(text))] if english else sentences)
        for m in _starting_within(case, text, s, e)
    ]
    for start in range(len(text) + 1):
        for end in (start, start + 3, segments.sentence(start)[1], len(text)):
            expected = any(start <= at < end for at in cumulative_starts)
            assert markers.cumulative_in(start, end) == expected, (start, end)
            expected = any(start <= at < end for at in case_starts)
            assert markers.case_in(start, end, end) == expected, (start, end)
    starts = [m.start() for m in period.finditer(text)]
    for start, end in ((0, len(text)), (len(text) // 2, len(text)), (3, 9), (0, 0)):
        assert markers.period_in(start, end) == any(start <= s < end for s in starts)
    assert markers.including == [m.start() for m in figure_kind._INCLUDING.finditer(text)]


_SHARED_PIECES = [
    *_PIECES,
    "Police ",
    "PUBLIC SECURITY",
    "Beijing",
    "beijing",
    "北京",
    "security bureau",
    "\U0001f600",  # beyond the Basic Multilingual Plane: two UTF-16 units, one character
    "\u6c41\u8951\u4e5b",  # the UTF-16 bytes of 公安 across the halves of three characters
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(_SHARED_PIECES), min_size=1, max_size=120),
    st.integers(min_value=0, max_value=2000),
)
def test_lists_read_from_one_shared_scan_find_what_each_finds_alone(
    pieces: list[str], cut: int
) -> None:
    """Lists whose keys overlap one another (within a list and across lists), folded or as
    written, read from one scan of a document, or of its start, find what each finds alone:
    offsets stay the text's past characters UTF-16 writes in two units, and no key is found
    across two characters' bytes."""
    written = "".join(pieces) * 3
    folded = fold(written)
    lists = [
        Keywords((k, k) for k in _KEYS),
        Keywords([("security", "s"), ("public security bureau", "b"), ("police", "p")]),
        Keywords([("Beijing", "B"), ("北京", "京"), ("公安", "G")], folded=False),  # as written
        Keywords([("北京", "京"), ("公安局", "J")], folded=False),  # uncased: read folded
    ]
    alone = {
        id(kw): [kw.find(t) for t in (folded, written, folded[:cut], written[:cut])] for kw in lists
    }
    scanner = Scanner(lists)
    scanner.share(folded, written)
    try:
        for kw in lists:
            texts = (folded, written, folded[:cut], written[:cut])
            assert [kw.find(t) for t in texts] == alone[id(kw)]
        late = Keywords([("police", "late")])  # not the scanner's: searches alone
        assert late.find(folded) == _plain(late, folded)
    finally:
        scanner.share("", "")


def test_a_shared_scan_serves_the_document_and_its_lead_only() -> None:
    written = "Beijing police arrested 12 people. " * 20
    folded = fold(written)
    regions = Keywords([("Beijing", "B")], folded=False)
    police = Keywords([("police", "P")])
    scanner = Scanner([regions, police])
    scanner.share(folded, written)
    try:
        shared = keywords._SHARED
        assert shared is not None
        assert shared.hits_of(police, folded[:100]) is not None  # the lead
        assert shared.hits_of(regions, written) is not None
        assert shared.hits_of(regions, folded) is None  # as written, not folded
        assert shared.hits_of(police, "another text entirely, police") is None
        assert police.find("another text entirely, police") == [(23, 29, "P")]
    finally:
        scanner.share("", "")
    assert keywords._SHARED is None  # a short text is searched list by list


# the blanks between a Chinese headline's clauses, as a pattern tried at every character
_PLAIN_HEADLINE_BLANK = re.compile(
    r"(?<=[\u4e00-\u9fff」』”）])[ \u3000]+(?=[\u4e00-\u9fff「『“（0-9])|"
    r"(?<=[0-9])[ \u3000]+(?=[\u4e00-\u9fff「『“（])"
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="拘捕人多名 \u3000」『“（）7a,", max_size=80))
def test_headline_blanks_are_the_plain_pattern_s_matches(text: str) -> None:
    spans = [m.span() for m in _PLAIN_HEADLINE_BLANK.finditer(text)]
    assert figure_kind._headline_blanks(text) == ([s for s, _ in spans], [e for _, e in spans])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["12", "3,400", "1.5", " ", "a", "x9", "9x", "”", "-", ",", "."]),
        max_size=200,
    )
)
def test_digit_runs_are_the_plain_pattern_s_matches(pieces: list[str]) -> None:
    text = "".join(pieces)
    plain = [m.span() for m in numbers._EN_DIGITS.finditer(text)]
    assert numbers._digit_runs(text) == plain


@given(st.lists(st.integers(0, 50), max_size=30), st.integers(-5, 55))
def test_offset_lookups_are_the_library_s_bisect(values: list[int], x: int) -> None:
    values.sort()
    assert text_module.bisect_left(values, x) == bisect.bisect_left(values, x)
    assert text_module.bisect_right(values, x) == bisect.bisect_right(values, x)


@given(st.text(alphabet="ab Z,.9é-", max_size=40), st.integers(0, 40), st.integers(0, 40))
def test_a_clause_s_fourth_word_is_the_pattern_s(text: str, start: int, end: int) -> None:
    end = min(max(start, end), len(text))
    words = list(re.compile("[A-Za-z]+").finditer(text, start, end))
    assert scope.fourth_word(text, start, end) == (words[3].start() if len(words) > 3 else end)


_PLAIN_NEXT_WORD = re.compile(r"[ \t]*([a-z]+)")


@given(st.text(alphabet=" \tab,Z9\u00e9", max_size=12), st.integers(0, 12))
def test_the_word_after_a_number_is_the_plain_pattern_s(text: str, at: int) -> None:
    m = _PLAIN_NEXT_WORD.match(text, at)
    assert numbers._next_word(text, at) == (m.span(1) if m else (-1, -1))


_PLAIN_NATIONWIDE = re.compile(
    r"全国(?!同步)|nationwide|across (?:the country|china)|(?:throughout|around) the country"
)
_NATIONWIDE_PIECES = [
    "全国", "同步", "nationwide", "across ", "throughout ", "around", " ", "the country", "china",
    "x", "nation",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_NATIONWIDE_PIECES), max_size=30))
def test_nationwide_words_are_the_plain_pattern_s_matches(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert scope.nationwide(text) == [m.span() for m in _PLAIN_NATIONWIDE.finditer(text)]


_OFFICIAL_PIECES = [
    "Li Ming", "Wang Xiaohong", ", ", " ", "the ", "Deputy ", "deputy ", "Vice ", "Director",
    "Director-General", "Minister", "Political Commissar", "Party Secretary", "Chief", "head",
    "Secretary", "of ", "Public Security", "Bureau", " said", " told", ".", "Sunday", "security",
    "police", "Spokesman", "Commissioner", "Mayor",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_OFFICIAL_PIECES), min_size=1, max_size=40))
def test_officials_patterns_are_tried_wherever_they_could_match(pieces: list[str]) -> None:
    """Trying the officials' patterns only at the words they can open with finds what trying
    them at every character finds, title word by title word."""
    from monitor.extract.en import officials as en
    from monitor.extract.officials import name_then_title, title_then_name

    def plain(pattern: re.Pattern[str], lo: int, hi: int, stop: int) -> list[tuple[int, int]]:
        out, p = [], lo
        while p <= hi:
            m = pattern.match(text, p, stop)
            if m is not None:
                out.append(m.span())
                p = max(m.end(), p + 1)
            else:
                p += 1
        return out

    text = "".join(pieces)
    for at, _, _ in en.TITLE_KEYS.find(fold(text)):
        stop = min(len(text), at + 220)
        after = name_then_title(text, at)
        assert [m.span() for m in after] == plain(en.OFFICIAL_AFTER, max(0, at - 60), at, stop)
        before = title_then_name(text, at)
        assert [m.span() for m in before] == plain(en.OFFICIAL_BEFORE, max(0, at - 30), at, stop)


_LAZY_OFFICIAL_AFTER = (
    r"\b({name}), ((?:the )?{title}\b[^,;.\n()]{{0,120}}?)"
    r"(?=,|\.|;| said| told| informed| noted| responded| stated| explained| added| introduced|"
    r" pointed out| announced| revealed)"
)
_TITLE_TAILS = [
    "Li Wei, ", "the ", "deputy ", "director", "Director-General", "head", " of ", "Bureau", " ",
    "Public Security", " said", " saidx", " pointed out", " pointed", ",", ".", ";", "\n", "(",
    ")", "x" * 30, "-",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TITLE_TAILS), max_size=30), st.integers(0, 400))
def test_a_title_read_possessively_ends_where_the_shortest_one_would(
    pieces: list[str], stop: int
) -> None:
    """The title after a name runs to its first comma, stop or verb of speech: read in one
    pass, it is what the lazy reading (shortest first, tried at every length) gives."""
    from monitor.extract.en import officials as en

    lazy = re.compile(_LAZY_OFFICIAL_AFTER.format(name=en.NAME, title=en.TITLE_WORDS))
    text = "Li Wei, " + "".join(pieces)
    for p in range(len(text)):
        plain, fast = lazy.match(text, p, stop), en.OFFICIAL_AFTER.match(text, p, stop)
        assert (plain and (plain.span(), plain.groups())) == (fast and (fast.span(), fast.groups()))


def test_lists_made_per_extractor_are_not_kept_once_it_is_gone() -> None:
    """Only the lists made at import are shared by every scanner: an extractor's own lists (and
    the campaign names the web app loads per request) die with it."""
    from monitor.campaign_names import CampaignNames

    before = len(keywords._SHARED_LISTS)
    for _ in range(3):
        CampaignNames.load()
    assert len(keywords._SHARED_LISTS) == before


_LANG_PIECES = [
    "police", "Li", " ", "公安", "局", "，", "。", "“", "é", "ß", "１", "\U0001f600", "\u3000",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_LANG_PIECES), max_size=700))
@example(["公安"] * 300 + ["police"] * 101)  # the 1,000-character sample cuts a word
def test_language_is_what_counting_letters_by_pattern_gives(pieces: list[str]) -> None:
    """Chinese when Chinese characters outnumber Latin letters in the first 1,000 characters."""
    text = "".join(pieces)
    sample = text[:1000]
    latin = len(re.findall("[A-Za-z]", sample))
    chinese = len(re.findall("[\u4e00-\u9fff]", sample))
    assert detect_lang(text) == ("zh" if chinese > latin else "en")


def test_the_line_breaks_a_text_opens_with_are_a_span_of_their_own() -> None:
    """An offset before the first sentence (an article with no title) is in the breaks, not in
    an empty or reversed span."""
    segments = Segments.of("\n\nPolice arrested 12 people. They seized 3 phones.")
    assert segments.sentences[0] == 2
    assert segments.sentence(0) == (0, 2)
    assert segments.clause(1) == (0, 2)
    assert segments.sentence(2) == (2, 28)
