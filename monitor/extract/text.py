"""Sentence and clause boundaries of an announcement, computed once and looked up by offset.

Sentences end at a full stop, question or exclamation mark, semicolon or line break, in either
script; clauses also end at commas and enumeration commas.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_CJK = re.compile(r"[\u4e00-\u9fff]")
LETTER = re.compile(r"[A-Za-z\u4e00-\u9fff]")  # a Latin letter or a Chinese character
# runs, not single characters: the counts are the summed lengths of far fewer matches
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LETTER_RUN = re.compile(r"[A-Za-z\u4e00-\u9fff]+")

_SENTENCE_CHARS = ".!?。！？；;\n"
_AFTER_STOP = frozenset(' \t\r\n"”’')
# "No. 9", "Dec. 24", "U.S." do not end a sentence
_ABBREVIATIONS = frozenset(
    re.split(r"\s+", "No no Mr Dr St Jan Feb Aug Sept Sep Oct Nov Dec vs Co Inc Ltd Art Gen Gov")
)
_CLAUSE_CHARS = ",，、:：()（）"


def _positions(text: str, chars: str) -> list[int]:
    """Offsets of any of `chars` in `text`, in order. str.find per character is several times
    faster than a regex character class, which tests every position (and more so on texts
    with curly quotes or Chinese, which Python stores two bytes a character)."""
    out: list[int] = []
    for c in chars:
        at = text.find(c)
        while at >= 0:
            out.append(at)
            at = text.find(c, at + 1)
    out.sort()
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


def find_iter(pattern: re.Pattern[str], text: str, firsts: str) -> list[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern whose every match is non-empty and opens with one of
    `firsts`: tries the pattern only where one of them stands (see `_positions`)."""
    out = []
    end = 0
    for at in _positions(text, firsts):
        if at >= end and (m := pattern.match(text, at)) is not None:
            out.append(m)
            end = m.end()
    return out


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


def detect_lang(text: str) -> str:
    """'zh' when most letters are Chinese characters, else 'en'."""
    if not has_cjk(text):
        return "en"
    sample = text[:1000]
    letters = sum(map(len, _LETTER_RUN.findall(sample)))
    return "zh" if letters and sum(map(len, _CJK_RUN.findall(sample))) * 2 > letters else "en"


@dataclass(frozen=True, slots=True)
class Segments:
    """Sentence starts and clause starts of one text, for offset lookups."""

    text: str
    sentences: tuple[int, ...]
    clauses: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> Segments:
        sentences = [0]
        n = len(text)
        for at in _positions(text, _SENTENCE_CHARS):
            c, end = text[at], at + 1
            if c in ".!?":
                if end < n and text[end] not in _AFTER_STOP:
                    continue
                if c == ".":
                    word = _last_word(text, max(0, at - 6), at)
                    if word in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):
                        continue
            elif c == "\n" and sentences[-1] == at:
                sentences[-1] = end  # a run of line breaks is one boundary
                continue
            sentences.append(end)
        clause_ends = [at + 1 for at in _positions(text, _CLAUSE_CHARS)]
        for dash in (" - ", " – ", " — "):
            at = text.find(dash)
            while at >= 0:
                clause_ends.append(at + 2)
                at = text.find(dash, at + 1)
        clauses = sorted(set(sentences + clause_ends))
        return cls(text, tuple(sentences), tuple(clauses))

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect_right(self.sentences, pos) - 1
        end = self.sentences[i + 1] if i + 1 < len(self.sentences) else len(self.text)
        return self.sentences[i], end

    def previous_sentence(self, pos: int) -> tuple[int, int]:
        start, _ = self.sentence(pos)
        if start == 0:
            return 0, 0
        return self.sentence(start - 1)[0], start

    def clause(self, pos: int) -> tuple[int, int]:
        i = bisect_right(self.clauses, pos) - 1
        end = self.clauses[i + 1] if i + 1 < len(self.clauses) else len(self.text)
        return self.clauses[i], end

    def paragraph_start(self, pos: int) -> int:
        return self.text.rfind("\n", 0, pos) + 1
