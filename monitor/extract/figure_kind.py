"""What a figure covers: a running total restated as a campaign goes on (cumulative), the results
of one period (a year, a month, a campaign's phase), or one case or gang (case).

The words that say so are found once per text; a figure's kind is read from its sentence and
from its clause, `figure_clause`, which the figure finders read the figure from too. Chinese is
read in simplified script, so the traditional forms (累計, 以來, 該案) come free.
"""

from __future__ import annotations

import re
from typing import Final

from monitor.extract import lexicon as lx
from monitor.extract.keywords import Anchored, Keywords
from monitor.extract.text import Segments, bisect_left, bisect_right
from monitor.models import FigureKind

_MONTHS: Final = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
)
_CAMPAIGN: Final = r"(?:campaign|operation|action|crackdown|drive|initiative)"
# "so far", "to date", "as of the end of November", "since the campaign was launched", "since
# March": a total that runs on, restated as the campaign goes
_CUMULATIVE_EN: Final = re.compile(
    r"\b(?:so\s+far|to\s+date|thus\s+far|up\s+to\s+now|until\s+now|as\s+of\b|cumulative(?:ly)?\b|"
    r"in\s+total\s+since|running\s+total|accumulated|"
    r"since\s+(?:"
    rf"(?:the|its|their|this)\s+(?:[\w-]+\s+){{0,3}}?(?:{_CAMPAIGN}|launch|start|beginning|"
    r"outset|inception)\b|"
    rf"(?:it|they|the\s+(?:[\w-]+\s+){{0,3}}?{_CAMPAIGN})\s+(?:began|begun|was\s+launched|"
    r"were\s+launched|started|kicked\s+off)\b|"
    rf"(?:early\s+|late\s+|mid-?)?(?:{_MONTHS})\b|(?:19|20)\d\d\b|last\s+year\b|launch\b))"
)
# 累计, 截至目前, 截至5月16日, 至今, 自…以来, 开展以来, 今年以来 (共计 says it only beside these)
_CUMULATIVE_ZH: Final = re.compile(
    r"累计|截至|截止(?:目前|到|至)|至今|迄今|以来|到目前为止|目前已|目前共"
)
# "in one case", "the gang", "a card fraud gang", "the syndicate": one case or one gang. The
# words between the determiner and the noun describe that case or gang, so no preposition or
# determiner stands among them ("a crackdown on gang crime" names no gang), and a noun used as a
# modifier names none either ("gang crime", "a ring crackdown", "the case handling campaign")
_EN_NOT_FILLER: Final = (
    r"on|against|of|for|in|into|with|by|at|from|to|over|under|about|through|across|during|"
    r"after|before|among|between|including|targeting|involving|within|without|toward|towards|"
    r"the|this|that|these|those|a|an|one|another|each|its|their|his|her|which|who|whose"
)
# the nouns a case word modifies: a kind of crime or work, or the police unit or report it names
# ("the gang unit", "a special case team")
_EN_HEADS: Final = (
    r"crimes?|criminals?|activit(?:y|ies)|violence|crackdowns?|campaigns?|operations?|"
    r"offensives?|wars?|warfare|fight(?:s|ing)?|busting|handling|work|workloads?|loads?|"
    r"numbers?|counts?|clearance|rates?|files?|management|prevention|problems?|issues?|culture|"
    r"related|sweeps?|probes?|units?|squads?|teams?|task|departments?|divisions?|bureaus?|"
    r"officers?|investigators?|detectives?|police|prosecutors?|reports?|data|statistics|"
    r"figures|trends?|types?"
)
_CASE_EN: Final = re.compile(
    r"\b(?:the|this|that|one|a|another|a\s+single|each)\s+"
    rf"(?:(?!(?:{_EN_NOT_FILLER})\s)[\w-]+\s+){{0,3}}?"
    # a possessive names one too ("the syndicate's bosses"); a hyphen makes a modifier
    rf"(?:case|gang|ring|syndicate)\b(?!-|['’](?!s\b))(?!\s+(?:{_EN_HEADS})\b)"
    # nor one of two modifiers: "the gang and drug crackdown"
    rf"(?!,?\s+(?:and|or)\s+(?:[\w-]+\s+)?(?:{_EN_HEADS})\b)"
)
# 该案, 此案, 本案, 一案, 单案, 全案, 一起…案, 一宗…案, 该起案件, 专案组; 该团伙, 这个犯罪集团,
# 一个…团伙 (not 一个月, 一个个 "one after another"). Not where the word is part of another
# (统一案件, 基本案情, 安全案件, 方案中) nor a gang word used as a modifier: 团伙犯罪 and
# 团伙作案 are gang crime, 集团化 organised like a gang, 一个打击犯罪团伙的专项行动 a campaign
_GANG_ZH: Final = "团伙|集团|犯罪组织|诈骗组织|窝点"
_GANG_NOT_HEAD: Final = "(?!犯罪|作案|化|性|式|类)"
# 一起 is also "together" (一起参与案件侦办); a case handled is not a case named (案件侦办)
_TOGETHER: Final = (
    "参与|开展|推进|侦办|打击|办理|研究|会商|研判|分析|工作|努力|破获|侦破|查处|查办|做"
)
_HANDLING: Final = "(?!件?(?:侦办|办理|查办|查处|侦查|审理|处置|线索))"
_CASE_ZH: Final = re.compile(
    # the characters a match starts with, tested first: most positions start none
    r"(?=[该此这本一单全案专])"
    r"(?:(?<![基根应日])(?:该|此|这|本)(?:起|宗)?案|(?<![统同唯万])一案(?![件一双多两])|单案|(?<!安)全案|"
    r"(?<![方预档提草答图议备法文])案中|专案组|(?:该|此|本)专案|"
    rf"一起(?!{_TOGETHER})[^，。；、,;\d]{{0,12}}?案{_HANDLING}|一宗[^，。；、,;\d]{{0,12}}?案|"
    r"(?:该|此|这个|这一|这)(?:犯罪|诈骗|电诈|跨境|特大|黑恶|洗钱|网络|电信|涉诈)*"
    rf"(?:{_GANG_ZH}){_GANG_NOT_HEAD}|"
    rf"一个(?!多?月|个)[^，。；、,;\d是]{{0,40}}?(?:{_GANG_ZH}){_GANG_NOT_HEAD}"
    r"(?!的?(?:专项|行动|工作|活动|斗争|攻势|战役)))"
)
# a time of its own in the figure's clause: "累计…542人，近期又公开通缉100名", "so far ..., and
# 200 last month" count that time, not the running total
_PERIOD_EN: Final = re.compile(
    r"\b(?:last\s+(?:year|month|week)|this\s+month|recently|(?:that|the\s+same)\s+day|"
    r"in\s+the\s+(?:first|second)\s+(?:half|quarter)|in\s+(?:19|20)\d\d\b|"
    rf"in\s+(?:{_MONTHS})\b)"
)
_PERIOD_ZH: Final = re.compile(
    r"近期|近日|日前|去年|前年|上半年|下半年|本月|上月|当月|当天|当日|同日|季度"
)
_PERIOD_REACH: Final = 80  # the longest match of either, blanks and all, is shorter
# a case named after these is one of a list the figure sums up ("1,200 cases, including the
# case of ...", 其中, 包括)
_INCLUDING: Final = re.compile("|".join((*lx.EN_AMONG, *lx.ZH_AMONG)))

# the words (English) and characters (Chinese) each marker opens with: the markers are sought
# only where one of them stands, found in one scan of the text (a test checks them against the
# expressions' own search)
_CUMULATIVE_EN_OPENERS: Final = (
    "so", "to", "thus", "up", "until", "as", "cumulative", "cumulatively", "in", "running",
    "accumulated", "since",
)  # fmt: skip
_CUMULATIVE_EN_WORDS: Final = Anchored(
    [(_CUMULATIVE_EN, _CUMULATIVE_EN_OPENERS)], prefixes=["accumulated"]
)
# an English case word is sought from its noun, rarer than the determiners it opens with: the
# determiner stands at most five blanks before it ("a single" and three modifiers). The nouns,
# whole words, are read from the document's shared keyword scan
_CASE_NOUNS: Final = Keywords(((w, w) for w in ("case", "gang", "ring", "syndicate")), shared=True)


def _case_nouns(text: str) -> list[int]:
    """Where a case noun stands as a whole word (no ASCII letter or digit on either side)."""
    return [start for start, _, _ in _CASE_NOUNS.find(text)]


_DETERMINER: Final = re.compile(r"\b(?:the|this|that|one|a|another|each)\s")
_CASE_REACH: Final = 5


def _case_en(text: str) -> list[tuple[int, int]]:
    """`_CASE_EN.finditer(text)`'s spans, each tried only at a determiner shortly before a case
    noun."""
    starts: set[int] = set()
    for noun in _case_nouns(text):
        for det in _DETERMINER.finditer(text, _words_before(text, noun, _CASE_REACH), noun):
            starts.add(det.start())
    found: list[tuple[int, int]] = []
    after = 0
    for start in sorted(starts):
        if start >= after:
            m = _CASE_EN.match(text, start)
            if m is not None:
                found.append(m.span())
                after = m.end()
    return found


def _words_before(text: str, end: int, blanks: int) -> int:
    """How far back from `end` words (word characters and hyphens) separated by at most
    `blanks` runs of white space reach."""
    i = end
    runs = 0
    blank = False
    while i > 0:
        c = text[i - 1]
        if c.isspace():
            if not blank:
                runs += 1
                if runs > blanks:
                    break
                blank = True
        elif c.isalnum() or c == "_" or c == "-":
            blank = False
        else:
            break
        i -= 1
    return i


_MARKERS_ZH: Final = Anchored(
    (
        (_CUMULATIVE_ZH, "累截至迄以到目"),
        (_CASE_ZH, "该此这本一单全案专"),
    )
)


class KindMarkers:
    """The words of one text that make a figure cumulative or about one case. They are sought
    sentence by sentence, in the sentences figures stand in, when a figure first asks (most
    sentences of an announcement hold no figure); a word is sought within its sentence."""

    def __init__(self, text: str, english: bool, segments: Segments | None = None) -> None:
        self.text = text
        self.english = english
        # the sentences of the text as written (`text` may be its folded copy, same offsets)
        self._segments = segments if segments is not None else Segments.of(text)
        # sentence start -> the starts of its cumulative words and of its case words
        self._sentences: dict[int, tuple[list[int], list[int]]] = {}
        self._case_en: list[int] | None = None  # English case words, from the whole text
        # read only when a figure's kind turns on them, which few do
        self._periods: dict[tuple[int, int], bool] = {}  # clause -> whether it names a time
        self._including: list[int] | None = None
        self._blanks: tuple[list[int], list[int]] | None = None

    def _marks(self, start: int, end: int) -> tuple[list[int], list[int]]:
        """The starts of the cumulative and of the case words of the sentence text[start:end]."""
        found = self._sentences.get(start)
        if found is None:
            text = self.text
            if self.english:
                cumulative = [s for s, _ in _CUMULATIVE_EN_WORDS.spans(text, start, end)[0]]
                if self._case_en is None:  # found from their nouns, few: the whole text at once
                    self._case_en = [s for s, _ in _case_en(text)]
                words = self._case_en
                case = words[bisect_left(words, start) : bisect_left(words, end)]
            else:
                cumulative_spans, case_spans = _MARKERS_ZH.spans(text, start, end)
                cumulative = [s for s, _ in cumulative_spans]
                case = [s for s, _ in case_spans]
            found = self._sentences[start] = (cumulative, case)
        return found

    def _first(self, case: bool, start: int, end: int) -> int:
        """Where the first cumulative (or case) word within text[start:end] starts; -1: none."""
        while start < end:
            s_start, s_end = self._segments.sentence(start)
            starts = self._marks(s_start, s_end)[case]
            i = bisect_left(starts, start)
            if i < len(starts) and starts[i] < end:
                return starts[i]
            if s_end <= start:
                break  # past the text's end
            start = s_end
        return -1

    @property
    def blanks(self) -> tuple[list[int], list[int]]:
        """Where the blanks between a Chinese headline's clauses start, and where they end."""
        if self._blanks is None:
            self._blanks = _headline_blanks(self.text)
        return self._blanks

    @property
    def including(self) -> list[int]:
        if self._including is None:
            self._including = [m.start() for m in _INCLUDING.finditer(self.text)]
        return self._including

    def period_in(self, start: int, end: int) -> bool:
        """A time word starts within text[start:end] (a clause: the figures of one clause ask
        about the same span, so each clause is read once)."""
        found = self._periods.get((start, end))
        if found is None:
            pattern = _PERIOD_EN if self.english else _PERIOD_ZH
            # a match may run past the clause's end; none is longer than this
            m = pattern.search(self.text, start, min(len(self.text), end + _PERIOD_REACH))
            found = self._periods[start, end] = m is not None and m.start() < end
        return found

    def cumulative_in(self, start: int, end: int) -> bool:
        return self._first(False, start, end) >= 0

    def case_in(self, start: int, end: int, pos: int) -> bool:
        """A case word within text[start:end]; one after `pos` counts only when no 'including',
        其中 ... stands between (a case the figure's list names is not what the figure counts).
        Each lookup bisects lists built once per sentence, so a long sentence is not read again
        per figure."""
        first = self._first(True, start, end)
        if first < 0:
            return False
        if first < pos:
            return True
        # the first case word after the figure decides: an 'including' before it is before
        # every later one too
        including = self.including
        k = bisect_left(including, pos)
        return not (k < len(including) and including[k] < first)


# a run of blanks between Chinese characters: a headline's clauses (拘捕542人 7600多名嫌犯押解回国),
# a Chinese character or a closing mark before it and a Chinese character, an opening mark or a
# digit after it; or a digit before and no digit after
_BLANKS: Final = " \u3000"
_BEFORE_BLANK: Final = frozenset("」』”）")
_AFTER_BLANK: Final = frozenset("「『“（")
_DIGITS: Final = frozenset("0123456789")


def _cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _headline_blanks(text: str) -> tuple[list[int], list[int]]:
    """Where each run of blanks between a Chinese headline's clauses starts, and where it ends.
    Runs are found by looking for their characters, not by a pattern tried at every character."""
    starts: list[int] = []
    ends: list[int] = []
    n = len(text)
    space, wide = text.find(" "), text.find("\u3000")
    while space >= 0 or wide >= 0:
        start = wide if space < 0 or 0 <= wide < space else space
        end = start + 1
        while end < n and text[end] in _BLANKS:
            end += 1
        if start > 0 and end < n:
            before, after = text[start - 1], text[end]
            opens = _cjk(after) or after in _AFTER_BLANK
            if ((_cjk(before) or before in _BEFORE_BLANK) and (opens or after in _DIGITS)) or (
                before in _DIGITS and opens
            ):
                starts.append(start)
                ends.append(end)
        space = text.find(" ", end) if space >= 0 else -1
        wide = text.find("\u3000", end) if wide >= 0 else -1
    return starts, ends


def figure_clause(segments: Segments, markers: KindMarkers, pos: int) -> tuple[int, int]:
    """The clause of the number at `pos`, from which both its figure and its kind are read: not
    cut at the comma of a number written with one ("31,000", 1,180名), and cut also at a blank
    between Chinese characters, as Chinese headlines have."""
    text = markers.text
    start, end = segments.clause(pos)
    while start > 1 and text[start - 1] == "," and text[start - 2 : start - 1].isdigit():
        if not text[start : start + 1].isdigit():
            break
        start = segments.clause(start - 1)[0]
    while end < len(text) and text[end - 1] == "," and text[end : end + 1].isdigit():
        if not text[end - 2 : end - 1].isdigit():
            break
        end = segments.clause(end)[1]
    if markers.english:
        return start, end
    # the blanks nearest the number on either side, looked up, not searched for: a clause can
    # be the whole text, and a text thousands of figures long
    starts, ends = markers.blanks
    before = bisect_right(ends, pos) - 1
    if before >= 0 and starts[before] >= start:
        start = ends[before]
    after = bisect_right(starts, pos)
    if after < len(starts) and starts[after] < end and ends[after] <= end:
        return start, starts[after]
    return start, end


def figure_kind(segments: Segments, markers: KindMarkers, pos: int, leads: bool) -> FigureKind:
    """The kind of the figure whose number starts at `pos`. A case word in the figure's own
    clause makes it a case figure even in a running total ("截至目前，该案已抓获12人"); else a
    cumulative word in its clause, or earlier in its sentence when its clause names no time of its
    own ("近期", "last month"), makes it cumulative; else a case
    word earlier in the sentence ("该案涉案金额2000万元，抓获15人") makes it a case figure. A
    number that opens its sentence (其中, "Of them") reads the sentence before when its own says
    nothing."""
    clause_start, clause_end = figure_clause(segments, markers, pos)
    if markers.case_in(clause_start, clause_end, pos):
        return "case"
    sent_start, _ = segments.sentence(pos)
    if markers.cumulative_in(clause_start, clause_end) or (
        markers.cumulative_in(sent_start, clause_start)
        and not markers.period_in(clause_start, clause_end)
    ):
        return "cumulative"
    if markers.case_in(sent_start, clause_start, pos):
        return "case"
    if leads:
        p_start, p_end = segments.previous_sentence(pos)
        if p_end > p_start:
            if markers.cumulative_in(p_start, p_end):
                return "cumulative"
            if markers.case_in(p_start, p_end, p_end):
                return "case"
    return "period"
