"""Many literal keywords found in one pass over a text (Aho-Corasick, via pyahocorasick).

Every gazetteer and word list of the extractor goes through this: a single C-speed scan per list
instead of a regular expression alternation tried at every position.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

import ahocorasick

V = TypeVar("V")


def fold(text: str) -> str:
    """Lower case and straight apostrophes, keeping every offset (one character for one)."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low.replace("’", "'")


def _word_char(c: str) -> bool:
    return c.isascii() and c.isalnum()


class Keywords(Generic[V]):
    """Keys mapped to values; `find` gives leftmost-longest, non-overlapping hits.

    A key that begins or ends with an ASCII letter or digit only matches as a whole word there.
    With `folded=True` keys are folded like `fold()`, and `find` expects folded text.
    """

    def __init__(self, items: Iterable[tuple[str, V]], *, folded: bool = True) -> None:
        self._automaton = ahocorasick.Automaton()
        self._empty = True
        for key, value in items:
            k = fold(key) if folded else key
            if k:
                self._automaton.add_word(k, (len(k), value))
                self._empty = False
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, V]]:
        if self._empty:
            return []
        out = []
        n = len(text)
        for last, (length, value) in self._automaton.iter_long(text):
            start, end = last - length + 1, last + 1
            if _word_char(text[start]) and start > 0 and _word_char(text[start - 1]):
                continue
            if _word_char(text[last]) and end < n and _word_char(text[end]):
                continue
            out.append((start, end, value))
        return out

    def count(self, text: str) -> int:
        return len(self.find(text))
