"""Many literal keywords found in one pass over a text (Aho-Corasick, via ahocorasick-rs).

Every gazetteer and word list of the extractor goes through this: a single C-speed scan per list
instead of a regular expression alternation tried at every position.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

import ahocorasick_rs

from monitor.extract.text import has_cjk

V = TypeVar("V")


def fold(text: str) -> str:
    """Lower case and straight apostrophes, keeping every offset (one character for one)."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low.replace("’", "'")


_LONG = 256  # shorter texts are searched directly: caching their ASCII copy would not pay
_ASCII_CACHE: dict[str, bytes] = {}


def _ascii(text: str) -> bytes:
    """`text` as ASCII bytes, every other character one "?": offsets stay those of `text`, and
    no key holds a "?". Cached: each list searches the same text and its folded form."""
    out = _ASCII_CACHE.get(text)
    if out is None:
        if len(_ASCII_CACHE) >= 8:
            _ASCII_CACHE.clear()
        out = _ASCII_CACHE[text] = text.encode("ascii", "replace")
    return out


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
        # a second automaton over the ASCII keys, run on an ASCII copy of a long text (see
        # `_ascii`): ahocorasick-rs maps byte offsets back to characters on every call, which on a
        # text with curly quotes or Chinese costs more than the search
        self._ascii_automaton = None
        self._ascii_index: list[int] = []
        others = [k for k in self._keys if not k.isascii()]
        if not any("?" in k for k in self._keys):
            self._ascii_index = [i for i, k in enumerate(self._keys) if k.isascii()]
            if self._ascii_index:
                self._ascii_automaton = ahocorasick_rs.BytesAhoCorasick(
                    [self._keys[i].encode() for i in self._ascii_index],
                    matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
                    implementation=ahocorasick_rs.Implementation.DFA,
                )
        # keys beyond ASCII cannot match a text without their characters: when they are all
        # Chinese, the ASCII automaton alone serves texts without Chinese
        self._others = bool(others)
        self._others_cjk = all(
            "\u4e00" <= c <= "\u9fff" for k in others for c in k if not c.isascii()
        )
        self._only_others = all(not k.isascii() for k in self._keys)

    def find(self, text: str) -> list[tuple[int, int, V]]:
        if self._automaton is None:
            return []
        out = []
        n = len(text)
        values = self._values
        word = _WORD_CHARS
        for index, start, end in self._matches(text):
            value, check_start, check_end = values[index]
            if check_start and start > 0 and text[start - 1] in word:
                continue
            if check_end and end < n and text[end] in word:
                continue
            out.append((start, end, value))
        return out

    def _matches(self, text: str) -> list[tuple[int, int, int]]:
        """Leftmost-longest (key index, start, end), by the cheaper automaton that gives the
        same answer for this text."""
        automaton = self._automaton
        assert automaton is not None  # find() returns early without keys
        if (
            self._ascii_automaton is not None
            and len(text) >= _LONG
            and (not self._others or text.isascii() or (self._others_cjk and not has_cjk(text)))
        ):
            found = self._ascii_automaton.find_matches_as_indexes(_ascii(text))
            if not self._others:
                return found  # the ASCII keys are all the keys, in the same order
            index = self._ascii_index
            return [(index[i], s, e) for i, s, e in found]
        if self._only_others and text.isascii():
            return []  # only non-ASCII keys: nothing to find in ASCII
        return automaton.find_matches_as_indexes(text)

    def count(self, text: str) -> int:
        return len(self.find(text))
