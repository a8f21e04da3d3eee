"""Sentence and clause boundaries of an announcement, computed once and looked up by offset.

Sentences end at a full stop, question or exclamation mark, semicolon or line break, in either
script; clauses also end at commas and enumeration commas.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

V = TypeVar("V")

_CJK: Final = re.compile(r"[\u4e00-\u9fff]")
LETTER: Final = re.compile(r"[A-Za-z\u4e00-\u9fff]")  # a Latin letter or a Chinese character

_SENTENCE_CHARS: Final = ".!?。！？；;\n"
_AFTER_STOP: Final = frozenset(' \t\r\n"”’')
# "No. 9", "Dec. 24", "U.S." do not end a sentence
_ABBREVIATIONS: Final = frozenset(
    re.split(r"\s+", "No no Mr Dr St Jan Feb Aug Sept Sep Oct Nov Dec vs Co Inc Ltd Art Gen Gov")
)
_CLAUSE_CHARS: Final = ",，、:：()（）"


def positions(text: str, chars: Iterable[str]) -> list[int]:
    """Offsets of any of `chars` (characters, or words that do not overlap themselves) in
    `text`, in order. str.find per character is several times faster than a regex character
    class or alternation, which tests every position (and more so on texts with curly quotes
    or Chinese, which Python stores two bytes a character)."""
    out: list[int] = []
    for c in chars:
        at = text.find(c)
        while at >= 0:
            out.append(at)
            at = text.find(c, at + len(c))
    out.sort()
    return out


def bisect_left(a: list[int], x: int) -> int:
    """`bisect.bisect_left` over a list of offsets. Compiled here it runs natively; the library's
    function, called from compiled code, boxes its arguments and compares Python ints, about four
    times the work, and the figure finders make hundreds of these lookups per text."""
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def bisect_right(a: list[int], x: int) -> int:
    """`bisect.bisect_right` over a list of offsets (see `bisect_left`)."""
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if x < a[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _merged(a: list[int], b: list[int]) -> list[int]:
    """The offsets of two sorted lists in order, each once."""
    out: list[int] = []
    i = j = 0
    while i < len(a) or j < len(b):
        if j == len(b) or (i < len(a) and a[i] <= b[j]):
            value = a[i]
            i += 1
        else:
            value = b[j]
            j += 1
        if not out or out[-1] != value:
            out.append(value)
    return out


def word_char(c: str) -> bool:
    """What regex \\w matches: a letter or digit of any script, or "_"."""
    return c.isalnum() or c == "_"


def _last_word(text: str, lo: int, at: int) -> str:
    """The run of word characters (as regex \\w: letters, digits, "_") ending at `at`, reading
    back no further than `lo`; "" when there is none. As with `(\\w+)$`, a line break right
    before `at` is stepped over."""
    if at > lo and text[at - 1] == "\n":
        at -= 1
    k = at
    while k > lo and word_char(text[k - 1]):
        k -= 1
    return text[k:at]


def _long_word_before(text: str, at: int) -> bool:
    """Five letters or digits end at `at` (or at a line break right before it): the word
    `_last_word` would read there is no abbreviation and no initial, known without reading it
    (most full stops end a long word)."""
    k = at - 1 if at > 0 and text[at - 1] == "\n" else at
    return k >= 5 and text[k - 5 : k].isalnum()


_CJK_SEEN: dict[str, bool] = {}


def has_cjk(text: str) -> bool:
    """Whether `text` holds a Chinese character. Remembered for the last few texts: language
    detection and several finders ask it of the same text, and on a long non-ASCII text the
    scan costs tens of microseconds."""
    if text.isascii():
        return False
    seen = _CJK_SEEN.get(text)
    if seen is None:
        seen = _CJK.search(text) is not None
        note_cjk(text, seen)
    return seen


def note_cjk(text: str, cjk: bool) -> None:
    """Record what `has_cjk(text)` is, known without a scan (a folded copy of a text holds
    Chinese exactly when the text does)."""
    if len(_CJK_SEEN) >= 16:
        _CJK_SEEN.clear()
    _CJK_SEEN[text] = cjk


# the bytes that are not ASCII letters; the high bytes of UTF-16 code units outside U+4E00-U+9FFF
_NOT_LATIN: Final = bytes(c for c in range(256) if not chr(c).isascii() or not chr(c).isalpha())
_NOT_CJK_HIGH: Final = bytes(c for c in range(256) if not 0x4E <= c <= 0x9F)


def detect_lang(text: str) -> str:
    """'zh' when most letters (Latin letters and Chinese characters) of the first 1,000
    characters are Chinese, else 'en'. Counted by C-speed byte operations: the ASCII letters,
    and the UTF-16 code units whose high byte falls in the Chinese block."""
    if not has_cjk(text):
        return "en"
    sample = text[:1000]
    latin = len(sample.encode("ascii", "ignore").translate(None, _NOT_LATIN))
    cjk = len(sample.encode("utf-16-be", "surrogatepass")[::2].translate(None, _NOT_CJK_HIGH))
    return "zh" if cjk > latin else "en"


@dataclass(frozen=True, slots=True)
class Segments:
    """Sentence starts and clause starts of one text, for offset lookups."""

    text: str
    sentences: list[int]
    clauses: list[int]

    @classmethod
    def of(cls, text: str) -> Segments:
        sentences = [0]
        n = len(text)
        for at in positions(text, _SENTENCE_CHARS):
            c, end = text[at], at + 1
            if c in ".!?":
                if end < n and text[end] not in _AFTER_STOP:
                    continue
                if c == "." and not _long_word_before(text, at):
                    word = _last_word(text, max(0, at - 6), at)
                    if word in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):
                        continue
            elif c == "\n" and sentences[-1] == at:
                sentences[-1] = end  # a run of line breaks is one boundary
                continue
            sentences.append(end)
        clause_ends = [at + 1 for at in positions(text, _CLAUSE_CHARS)]
        dashes = []
        for dash in (" - ", " – ", " — "):
            at = text.find(dash)
            while at >= 0:
                dashes.append(at + 2)
                at = text.find(dash, at + 1)
        if dashes:
            clause_ends = sorted(clause_ends + dashes)
        return cls(text, sentences, _merged(sentences, clause_ends))

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect_right(self.sentences, pos) - 1
        if i < 0:
            return 0, self.sentences[0]  # the line breaks the text opens with
        end = self.sentences[i + 1] if i + 1 < len(self.sentences) else len(self.text)
        return self.sentences[i], end

    def previous_sentence(self, pos: int) -> tuple[int, int]:
        start, _ = self.sentence(pos)
        if start == 0:
            return 0, 0
        return self.sentence(start - 1)[0], start

    def clause(self, pos: int) -> tuple[int, int]:
        i = bisect_right(self.clauses, pos) - 1
        if i < 0:
            return 0, self.clauses[0]
        end = self.clauses[i + 1] if i + 1 < len(self.clauses) else len(self.text)
        return self.clauses[i], end

    def paragraph_start(self, pos: int) -> int:
        return self.text.rfind("\n", 0, pos) + 1


class Spans:
    """Sorted, non-overlapping spans (campaign mentions, percentages): whether an offset falls in
    one, by bisection rather than by trying every span."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self._starts = [s for s, _ in spans]
        self._ends = [e for _, e in spans]

    def covers(self, pos: int) -> bool:
        i = bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self._ends[i]


class ClauseScan(Generic[V]):
    """The matches of `pattern` in each clause of a text, found by one scan of the clause when it
    is first asked about, and kept when `keep` gives them a value.

    `last(start, end)` is the last kept match of `pattern.finditer(text, start, end)` (`start` a
    clause start, `end` within that clause): the figure finders ask it for every number of a
    clause, and scanning the clause from its start each time made a long clause quadratic. The
    pattern must have no look-behind, anchor or word boundary, so that a scan resumed at an
    offset finds what a scan that reached it would.
    """

    def __init__(
        self,
        pattern: re.Pattern[str],
        text: str,
        segments: Segments,
        keep: Callable[[str], V | None],
    ) -> None:
        self._pattern = pattern
        self._text = text
        self._segments = segments
        self._keep = keep
        # clause start -> (clause end, starts and ends of all matches, kept matches, their ends)
        self._clauses: dict[
            int, tuple[int, list[int], list[int], list[tuple[int, int, V]], list[int]]
        ] = {}

    def _kept(self, start: int, end: int) -> list[tuple[int, int, V]]:
        out = []
        for m in self._pattern.finditer(self._text, start, end):
            value = self._keep(m.group())
            if value is not None:
                out.append((m.start(), m.end(), value))
        return out

    def last(self, start: int, end: int) -> tuple[int, int, V] | None:
        scan = self._clauses.get(start)
        if scan is None:
            clause_end = self._segments.clause(start)[1]
            starts, ends, kept = [], [], []
            for m in self._pattern.finditer(self._text, start, clause_end):
                starts.append(m.start())
                ends.append(m.end())
                value = self._keep(m.group())
                if value is not None:
                    kept.append((m.start(), m.end(), value))
            scan = (clause_end, starts, ends, kept, [k[1] for k in kept])
            self._clauses[start] = scan
        clause_end, starts, ends, kept, kept_ends = scan
        if end > clause_end:  # not within the clause: scan as asked
            found = self._kept(start, end)
            return found[-1] if found else None
        # the scan to `end` finds what the scan of the whole clause finds, up to the first match
        # that runs past `end`; from that match's start it is scanned again, up to `end`
        i = bisect_right(ends, end)
        if i < len(starts) and starts[i] < end:
            tail = self._kept(starts[i], end)
            if tail:
                return tail[-1]
        k = bisect_right(kept_ends, end) - 1
        return kept[k] if k >= 0 else None


# --- traditional script -------------------------------------------------------------------------

# the Chinese characters OpenCC is asked about once, when a normaliser is built: the unified
# ideographs, extension A and the compatibility ideographs
_IDEOGRAPHS: Final = "".join(
    chr(c)
    for lo, hi in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
    for c in range(lo, hi)
)
# words Taiwan and Hong Kong write where the mainland, whose words the rules know, writes another
# of the same length (after the characters are simplified): 網路詐騙 is 网络诈骗, 詐欺集團 诈骗集团
_REGIONAL_WORDS: Final = (
    ("网路", "网络"),
    ("诈欺", "诈骗"),
    ("资讯", "信息"),
    ("简讯", "短信"),
    ("软体", "软件"),
    ("影片", "视频"),
    ("帐号", "账号"),
    ("帐户", "账户"),
)
# corner brackets are the quotation marks of Hong Kong and Taiwan; the rules read curly quotes
_QUOTES_TO_CURLY: Final = str.maketrans("「」『』", "“”‘’")


def _each(converter: Callable[[str], str], chars: str) -> list[str]:
    """What `converter` makes of each character alone (one call: a line break ends every
    phrase, so no character is read in the context of its neighbours)."""
    out = converter("\n".join(chars)).split("\n")
    return out if len(out) == len(chars) else [converter(c) for c in chars]


class Simplifier:
    """Traditional Chinese (Hong Kong or Taiwan forms) written in simplified characters, one
    character for one, so that every offset into the result is an offset into the original:
    the rules are written for simplified Chinese, while quotes and mentions are read from the
    text as it was written.

    OpenCC's Hong Kong converter does the work (its phrases choose between readings: 乾隆 stays,
    乾淨 becomes 干净); Taiwan forms it leaves (痺 for 痹) come from OpenCC's Taiwan converter, and
    a few words of Taiwan and Hong Kong are written as the mainland writes them (網路 网络, 詐欺
    诈骗). A text with no character that OpenCC would simplify is returned as it is, found
    by one scan: simplified texts, the common case, pay nothing more. Where a phrase would change
    the length, the text is converted character by character instead."""

    def __init__(self) -> None:
        import opencc  # imported here: only an extractor needs the dictionaries

        self._hk = opencc.OpenCC("hk2s").convert
        self._tw = opencc.OpenCC("tw2s").convert
        t2s = _each(opencc.OpenCC("t2s").convert, _IDEOGRAPHS)
        hk = _each(self._hk, _IDEOGRAPHS)
        tw = _each(self._tw, _IDEOGRAPHS)
        self._table: dict[int, str] = {}
        traditional: list[str] = []
        tw_only: list[str] = []
        # characters simplified texts write for a traditional one (么 for 麼)
        written = {s for c, s in zip(_IDEOGRAPHS, t2s, strict=True) if s != c}
        for c, s, h, t in zip(_IDEOGRAPHS, t2s, hk, tw, strict=True):
            if s != c:
                traditional.append(c)  # a character no simplified text writes
            if len(h) == 1 and h != c:
                self._table[ord(c)] = h
            elif len(t) == 1 and t != c and c not in written:
                # a Taiwan form: 著 for the particle 着; not 么, which Taiwan writes for 幺 but
                # simplified texts for 麼
                tw_only.append(c)
                self._table[ord(c)] = t
        self._traditional = re.compile(f"[{''.join(traditional)}]")
        self._tw_only = re.compile(f"[{''.join(tw_only)}]")

    def is_traditional(self, text: str) -> bool:
        return not text.isascii() and self._traditional.search(text) is not None

    def simplified(self, text: str) -> str:
        """`text` in simplified characters and curly quotes, of the same length."""
        if text.isascii() or not has_cjk(text):  # remembered: no scan for an English text
            return text
        if "「" in text or "『" in text:
            text = text.translate(_QUOTES_TO_CURLY)
        if self._traditional.search(text) is None:
            return text
        out = self._hk(text)
        if len(out) == len(text) and self._tw_only.search(out) is not None:
            tw = self._tw(text)
            if len(tw) == len(text):
                out = "".join(
                    t if h != t and self._tw_only.match(h) else h
                    for h, t in zip(out, tw, strict=True)
                )
        if len(out) != len(text):
            out = text.translate(self._table)
        for regional, mainland in _REGIONAL_WORDS:
            if regional in out:
                out = out.replace(regional, mainland)
        return out
