"""Sentence and clause boundaries of an announcement, computed once and looked up by offset.

Sentences end at a full stop, question or exclamation mark, semicolon or line break, in either
script; clauses also end at commas and enumeration commas.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LETTER = re.compile(r"[A-Za-z\u4e00-\u9fff]")

# patterns that open with one character class let the regex engine skip ahead quickly
_SENTENCE_END = re.compile(r"[.!?。！？；;\n]")
_AFTER_STOP = frozenset(' \t\r\n"”’')
# "No. 9", "Dec. 24", "U.S." do not end a sentence
_ABBREVIATIONS = frozenset(
    re.split(r"\s+", "No no Mr Dr St Jan Feb Aug Sept Sep Oct Nov Dec vs Co Inc Ltd Art Gen Gov")
)
_LAST_WORD = re.compile(r"(\w+)$")
_CLAUSE_END = re.compile(r"[,，、:：()（）]")


def detect_lang(text: str) -> str:
    """'zh' when most letters are Chinese characters, else 'en'."""
    if _CJK.search(text) is None:
        return "en"
    sample = text[:1000]
    letters = len(_LETTER.findall(sample))
    return "zh" if letters and len(_CJK.findall(sample)) * 2 > letters else "en"


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
        for m in _SENTENCE_END.finditer(text):
            c, end = m.group(), m.end()
            if c in ".!?":
                if end < n and text[end] not in _AFTER_STOP:
                    continue
                if c == ".":
                    word = _LAST_WORD.search(text, max(0, m.start() - 6), m.start())
                    if word and (
                        word.group() in _ABBREVIATIONS
                        or (len(word.group()) == 1 and word.group().isupper())
                    ):
                        continue
            elif c == "\n" and sentences[-1] == m.start():
                sentences[-1] = end  # a run of line breaks is one boundary
                continue
            sentences.append(end)
        clause_ends = [m.end() for m in _CLAUSE_END.finditer(text)]
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
