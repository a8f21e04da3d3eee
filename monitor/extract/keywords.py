"""Many literal keywords found in one pass over a text.

Every gazetteer and word list of the extractor goes through this: a single C-speed scan per list
(Aho-Corasick, via ahocorasick-rs) instead of a regular expression alternation tried at every
position. A `Scanner` goes further: it holds every list's keys in one Hyperscan database, so that
a document is scanned once for all the lists (`Scanner.share`), and each list reads its own hits
from that scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Final, Generic, TypeVar

import ahocorasick_rs
import hyperscan

from monitor.extract.text import has_cjk

V = TypeVar("V")


def fold(text: str) -> str:
    """Lower case and straight apostrophes, keeping every offset (one character for one). A text
    folding leaves as it is (most Chinese) is given back itself, so the scans of both share
    what is cached per text object (its UTF-8 form, its ASCII copy)."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    low = low.replace("’", "'")
    return text if low == text else low


_LONG: Final = 256  # shorter texts are searched directly: caching their ASCII copy would not pay
_ASCII_CACHE: dict[str, bytes] = {}


def ascii_copy(text: str) -> bytes:
    """`text` as ASCII bytes, every other character one "?": offsets stay those of `text`, and
    no key holds a "?". Cached: each list searches the same text and its folded form."""
    out = _ASCII_CACHE.get(text)
    if out is None:
        if len(_ASCII_CACHE) >= 8:
            _ASCII_CACHE.clear()
        out = _ASCII_CACHE[text] = text.encode("ascii", "replace")
    return out


# the characters a word is made of, for whole-word matches
WORD_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _word_char(c: str) -> bool:
    return c in WORD_CHARS


def _whole(text: str, start: int, end: int, check_start: bool, check_end: bool) -> bool:
    """Whether text[start:end] is not part of a longer word at the ends that are checked."""
    if check_start and start > 0 and text[start - 1] in WORD_CHARS:
        return False
    return not (check_end and end < len(text) and text[end] in WORD_CHARS)


def _fold_fixed(key: str) -> bool:
    """Whether `key` is found at the same places in a text and in its folded form: no character
    of it is cased or an apostrophe, so folding neither changes it nor makes another character
    into one of its own (Chinese keys are)."""
    return all(c.lower() == c == c.upper() and c not in "'’" for c in key)


# the lists made once per process (at import: `shared=True`), read from every `Scanner`
_SHARED_LISTS: list[Keywords[Any]] = []


class Keywords(Generic[V]):
    """Keys mapped to values; `find` gives leftmost-longest, non-overlapping hits.

    A key that begins or ends with an ASCII letter or digit only matches as a whole word there.
    With `folded=True` keys are folded like `fold()`, and `find` expects folded text.
    """

    def __init__(
        self, items: Iterable[tuple[str, V]], *, folded: bool = True, shared: bool = False
    ) -> None:
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
        # `ascii_copy`): ahocorasick-rs maps byte offsets back to characters on every call, which
        # on a text with curly quotes or Chinese costs more than the search
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
        # which text of a shared scan the keys are sought in: the folded one, or as written
        self._folded = folded
        self._as_written = not folded and not all(_fold_fixed(k) for k in self._keys)
        if shared:
            _SHARED_LISTS.append(self)

    def find(self, text: str) -> list[tuple[int, int, V]]:
        if self._automaton is None:
            return []
        out = []
        n = len(text)
        values = self._values
        shared = _SHARED
        hits = shared.hits_of(self, text) if shared is not None else None
        if hits is not None:
            # the shared scan's hits, overlapping: leftmost-longest, apart, within `text` (the
            # first key to start, the longest there), read in the same loop as the word test
            after = 0
            for hit in hits:
                start = hit >> 32
                end = start + _WIDEST - (hit >> 16 & _WIDEST)
                if start < after or end > n:
                    continue
                after = end
                value, check_start, check_end = values[hit & _WIDEST]
                if _whole(text, start, end, check_start, check_end):
                    out.append((start, end, value))
            return out
        for index, start, end in self._matches(text):
            value, check_start, check_end = values[index]
            if _whole(text, start, end, check_start, check_end):
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
            found = self._ascii_automaton.find_matches_as_indexes(ascii_copy(text))
            if not self._others:
                return found  # the ASCII keys are all the keys, in the same order
            index = self._ascii_index
            return [(index[i], s, e) for i, s, e in found]
        if self._only_others and text.isascii():
            return []  # only non-ASCII keys: nothing to find in ASCII
        return automaton.find_matches_as_indexes(text)

    def count(self, text: str) -> int:
        return len(self.find(text))


_WIDEST: Final = 0xFFFF  # keys and lists in a group are shorter than this (see `Scanner`)


class _Group:
    """The keys of several lists in one Hyperscan database, found overlapping: a list's
    leftmost-longest hits are read back from all its keys' places (`Keywords.find`).

    Hyperscan's literal matcher keeps its tables in a few hundred kilobytes where an
    Aho-Corasick DFA over the same 2,600 keys takes 17 MB, which every article's scan walked
    through. A text is scanned as UTF-16 (two bytes a character, see `_units`), or, when it has
    no Chinese, as its ASCII copy for the ASCII keys alone. python-hyperscan holds a lock while
    it scans, so the database's own scratch space serves every thread.
    """

    def __init__(self, lists: list[Keywords[Any]]) -> None:
        self.lists = lists  # held: a slot's list lives as long as the group
        self.slots = {id(kw): slot for slot, kw in enumerate(lists)}
        # key -> its lists' slots and its index in each, one int apiece: slot << 16 | index
        owners: dict[str, list[int]] = {}
        for slot, kw in enumerate(lists):
            for i, key in enumerate(kw._keys):
                owners.setdefault(key, []).append(slot << 16 | i)
        keys = list(owners)
        self.owners = [owners[k] for k in keys]
        self.widths = [len(k) for k in keys]
        self.database = _database([k.encode("utf-16-le", "surrogatepass") for k in keys])
        # as in `Keywords`: an ASCII copy of a text without Chinese is searched for the ASCII keys
        others = [k for k in keys if not k.isascii()]
        ascii_index = [i for i, k in enumerate(keys) if k.isascii()]
        self.ascii_owners = [self.owners[i] for i in ascii_index]
        self.ascii_widths = [self.widths[i] for i in ascii_index]
        self.ascii_database = (
            _database([keys[i].encode() for i in ascii_index])
            if ascii_index and not any("?" in k for k in keys)
            else None
        )
        self.others_cjk = all(
            "\u4e00" <= c <= "\u9fff" for k in others for c in k if not c.isascii()
        )
        self.others = bool(others)

    def hits(self, text: str) -> list[list[int]]:
        """Each slot's hits in `text`, overlapping, in order of start, then the longest first:
        each one int, `_hit(start, end, key index)`, sorted faster than tuples."""
        found: list[list[int]] = [[] for _ in self.lists]
        if self.ascii_database is not None and (
            not self.others or text.isascii() or (self.others_cjk and not has_cjk(text))
        ):
            into = _Hits(found, self.ascii_owners, self.ascii_widths, 0)
            self.ascii_database.scan(ascii_copy(text), match_event_handler=_matched, context=into)
        elif self.database is not None:
            into = _Hits(found, self.owners, self.widths, 1)
            self.database.scan(_units(text), match_event_handler=_matched, context=into)
        for hits in found:
            if len(hits) > 1:
                hits.sort()
        return found


def _database(keys: list[bytes]) -> Any:
    """A Hyperscan block-mode database finding every occurrence of every key (its id the key's
    index), or None without keys. Each key is compiled as an expression of escaped bytes: the
    UTF-16 forms hold NUL bytes, which the literal compiler does not take."""
    if not keys:
        return None
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(
        expressions=[b"".join(b"\\x%02x" % c for c in key) for key in keys],
        ids=list(range(len(keys))),
        elements=len(keys),
        flags=0,
    )
    return database


class _Hits:
    """Where one scan puts its matches: each slot's hits, and the group's tables for the text's
    form (all keys over UTF-16, `shift` 1: two bytes a character; ASCII keys over the ASCII copy,
    `shift` 0)."""

    def __init__(
        self, found: list[list[int]], owners: list[list[int]], widths: list[int], shift: int
    ) -> None:
        self.found = found
        self.owners = owners
        self.widths = widths
        self.shift = shift


def _matched(key: int, start: int, end: int, flags: int, into: _Hits) -> None:
    """Hyperscan's match handler: the match put in the slot of each list the key is in, as
    `_Group.hits` gives them."""
    shift = into.shift
    if end & shift:
        return  # UTF-16: a key's bytes across the halves of two characters
    end >>= shift
    width = into.widths[key]
    at = (end - width) << 32 | (_WIDEST - width) << 16
    found = into.found
    for owner in into.owners[key]:
        found[owner >> 16].append(at | owner & _WIDEST)


_ASTRAL: Final = re.compile("[\U00010000-\U0010ffff]")


def _units(text: str) -> bytes:
    """`text` in UTF-16 (little-endian), two bytes for each character: a character beyond the
    Basic Multilingual Plane (which UTF-16 writes as two units) is given as U+FFFD, so that
    byte offsets halve to the text's own. No key has such characters (`Scanner` keeps them out)."""
    data = text.encode("utf-16-le", "surrogatepass")
    if len(data) != 2 * len(text):
        data = _ASTRAL.sub("\ufffd", text).encode("utf-16-le", "surrogatepass")
    return data


class _Scan:
    """One document's text, folded and as written, scanned by a `Scanner`'s groups when a list
    first asks for its hits there."""

    def __init__(self, scanner: Scanner, folded: str, written: str) -> None:
        self.scanner = scanner
        self.folded = folded
        self.written = written
        self._folded_hits: list[list[int]] | None = None
        self._written_hits: list[list[int]] | None = None

    def hits_of(self, kw: Keywords[Any], text: str) -> list[int] | None:
        """The hits of `kw`'s keys (overlapping, see `_Group.hits`) in `text` when `text` is the
        document's text (or the start of it) as that list reads it; None otherwise."""
        scanner = self.scanner
        if kw._as_written:
            slot = scanner.written.slots.get(id(kw), -1)
            if slot < 0 or not (text is self.written or self.written.startswith(text)):
                return None
            if self._written_hits is None:
                self._written_hits = scanner.written.hits(self.written)
            return self._written_hits[slot]
        slot = scanner.folded.slots.get(id(kw), -1)
        if slot < 0:
            return None
        if not (text is self.folded or self.folded.startswith(text)) and (
            kw._folded or not self.written.startswith(text)
        ):
            return None
        if self._folded_hits is None:
            self._folded_hits = scanner.folded.hits(self.folded)
        return self._folded_hits[slot]


# the document being extracted, scanned once for every list (see `Scanner.share`)
_SHARED: _Scan | None = None


class Scanner:
    """The keys of the lists made once per process (`shared=True`) and of `lists` (an
    extractor's own) in two automata, one for the folded text and one for the text as written,
    built at the first `share`. Any other list searches on its own."""

    def __init__(self, lists: Iterable[Keywords[Any]] = ()) -> None:
        self._lists = list(lists)
        self._groups: tuple[_Group, _Group] | None = None

    @property
    def folded(self) -> _Group:
        return self._built()[0]

    @property
    def written(self) -> _Group:
        return self._built()[1]

    def _built(self) -> tuple[_Group, _Group]:
        if self._groups is None:
            lists = [
                kw
                for kw in dict.fromkeys([*_SHARED_LISTS, *self._lists])
                if kw._keys
                and len(kw._keys) < _WIDEST
                and max(map(len, kw._keys)) < _WIDEST
                and not any(_ASTRAL.search(k) for k in kw._keys)
            ]
            self._groups = (
                _Group([kw for kw in lists if not kw._as_written]),
                _Group([kw for kw in lists if kw._as_written]),
            )
        return self._groups

    def share(self, folded: str, written: str) -> None:
        """From now on every list reads its hits in `folded` (and `written`, the same text
        unfolded), or at the start of either, from one scan of each (a short text is searched
        list by list: one scan for all would cost more)."""
        global _SHARED
        self._built()
        _SHARED = _Scan(self, folded, written) if len(folded) >= _LONG else None


# every byte but an ASCII letter or digit read as a blank: a word of a text's ASCII copy then
# begins just after a blank
_BLANKS: Final = bytes(c if chr(c).isascii() and chr(c).isalnum() else 32 for c in range(256))


class Anchored:
    """Regular expressions sought only where a word one of them opens with begins: one scan of
    the text for all those words, then each expression matched at its words' places, instead of
    each tried at every character.

    Gives what `finditer` gives as long as every match of an expression opens with one of its
    words. Words are either all ASCII letters, each beginning a word of the text (its expression
    opens with `\\b`) and ending one too, unless it is among the `prefixes` (its expression may
    go on inside the word: "accumulated" opens "accumulatedness"); or all single characters.
    """

    def __init__(
        self,
        expressions: Sequence[tuple[re.Pattern[str], Iterable[str]]],
        prefixes: Iterable[str] = (),
    ) -> None:
        masks: dict[str, int] = {}
        for i, (_, words) in enumerate(expressions):
            for word in words:
                masks[word] = masks.get(word, 0) | 1 << i
        open_ended = set(prefixes)
        self._letters = all(w.isascii() and w.isalpha() for w in masks)
        if not self._letters and any(len(w) != 1 for w in masks):
            raise ValueError("opening words are all ASCII letters or all single characters")
        for word in masks:  # a longer word found at the same place would hide a prefix
            if any(word != p and word.startswith(p) for p in open_ended):
                raise ValueError(f"an opening word extends a prefix: {word!r}")
        self._expressions = [pattern for pattern, _ in expressions]
        words = list(masks)
        self._values = [(masks[w], w not in open_ended) for w in words]
        # letters: each word with a blank before it, sought in the text's ASCII copy with every
        # other character a blank (`_BLANKS`), so that only words' beginnings are found and no
        # two hits overlap; single characters cannot overlap either
        self._bytes = ahocorasick_rs.BytesAhoCorasick(
            [b" " + w.encode() for w in words] if self._letters else [b"-"],
            matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
            implementation=ahocorasick_rs.Implementation.DFA,
        )
        self._chars = ahocorasick_rs.AhoCorasick(
            words if not self._letters else ["-"],
            matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
            implementation=ahocorasick_rs.Implementation.DFA,
        )

    def _hits(self, text: str, lo: int, hi: int) -> list[tuple[int, int, int]]:
        """(word index, start, end) of each opening word in text[lo:hi]."""
        if not self._letters:
            window = text[lo:hi] if lo or hi < len(text) else text
            found = self._chars.find_matches_as_indexes(window)
            return [(i, s + lo, e + lo) for i, s, e in found] if lo else found
        # the window with the character before it (a blank before the text): a word of it
        # begins after a blank, and every offset of the copy is `lo` - 1 more than the text's
        copy = ascii_copy(text)
        blanked = (copy[lo - 1 : hi] if lo else b" " + copy[:hi]).translate(_BLANKS)
        size = len(blanked)
        values = self._values
        out = []
        for index, start, end in self._bytes.find_matches_as_indexes(blanked):
            if values[index][1] and end < size and blanked[end] != 32:
                continue  # goes on inside a word
            out.append((index, start + lo, end - 1 + lo))
        return out

    def spans(self, text: str, lo: int = 0, hi: int = -1) -> list[list[tuple[int, int]]]:
        """Each expression's matches (start, end) starting in text[lo:hi] (the whole text by
        default; a window no word runs out of), in text order, not overlapping."""
        hi = len(text) if hi < 0 else hi
        expressions = self._expressions
        found: list[list[tuple[int, int]]] = [[] for _ in expressions]
        after = [lo] * len(expressions)  # where each expression's last match ended
        values = self._values
        for index, start, _ in self._hits(text, lo, hi):
            mask = values[index][0]
            for i in range(len(expressions)):
                if mask >> i & 1 and start >= after[i]:
                    m = expressions[i].match(text, start)
                    if m is not None:
                        found[i].append((start, m.end()))
                        after[i] = m.end()
        return found
