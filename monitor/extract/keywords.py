"""Many literal keywords found in one pass over a text (Aho-Corasick, via ahocorasick-rs).

Every gazetteer and word list of the extractor goes through this: a single C-speed scan per list
instead of a regular expression alternation tried at every position.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

import ahocorasick_rs

V = TypeVar("V")


def fold(text: str) -> str:
    """Lower case and straight apostrophes, keeping every offset (one character for one)."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low.replace("’", "'")


_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _word_char(c: str) -> bool:
    return c in _WORD_CHARS


class Keywords(Generic[V]):
    """Keys mapped to values; `find` gives leftmost-longest, non-overlapping hits.

    A key that begins or ends with an ASCII letter or digit only matches as a whole word there.
    With `folded=True` keys are folded like `fold()`, and `find` expects folded text.
    """

    def __init__(self, items: Iterable[tuple[str, V]], *, folded: bool = True) -> None:
        table: dict[str, V] = {}
        for key, value in items:
            k = fold(key) if folded else key
            if k:
                table[k] = value
        self._keys = list(table)
        self._values = [(table[k], _word_char(k[0]), _word_char(k[-1])) for k in self._keys]
        self._automaton = (
            ahocorasick_rs.AhoCorasick(
                self._keys,
                matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
                # a DFA scans about a third faster than the default NFA; the lists are small
                implementation=ahocorasick_rs.Implementation.DFA,
            )
            if self._keys
            else None
        )

    def find(self, text: str) -> list[tuple[int, int, V]]:
        if self._automaton is None:
            return []
        out = []
        n = len(text)
        values = self._values
        word = _WORD_CHARS
        for index, start, end in self._automaton.find_matches_as_indexes(text):
            value, check_start, check_end = values[index]
            if check_start and start > 0 and text[start - 1] in word:
                continue
            if check_end and end < n and text[end] in word:
                continue
            out.append((start, end, value))
        return out

    def count(self, text: str) -> int:
        return len(self.find(text))
