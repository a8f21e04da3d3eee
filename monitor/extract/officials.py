"""Officials named with their title ("Li Guozhong, deputy minister of public security", 公安部
新闻发言人张明), in both languages: the title words are found first, the patterns tried only there.
"""

from __future__ import annotations

import re
from typing import Final

from monitor.extract.en import officials as en
from monitor.extract.entities import default_finder
from monitor.extract.keywords import fold
from monitor.extract.text import has_cjk, word_char
from monitor.extract.zh import officials as zh
from monitor.models import Official


def _matches_from(
    pattern: re.Pattern[str],
    text: str,
    lo: int,
    hi: int,
    stop: int,
    firsts: frozenset[str],
    openings: frozenset[str] | None = None,
    titles: frozenset[str] | None = None,
) -> list[re.Match[str]]:
    """Non-overlapping matches of `pattern` starting in text[lo:hi + 1], each ending by `stop`,
    tried only where a character of `firsts` opens a word, where its first three characters are
    among `openings` when given, and, when `titles` is given, where a name of two or three words
    (letters and blanks only, within `en.NAME_REACH`) runs to a ", " with a character of
    `titles` after it: the finditer over text[lo:stop] restricted to those starts, without
    scanning the rest."""
    out = []
    after = lo  # where the last match ended
    for p in range(lo, min(hi, len(text) - 1) + 1):
        if p < after or text[p] not in firsts or (p > 0 and word_char(text[p - 1])):
            continue
        if openings is not None and text[p : p + 3] not in openings:
            continue
        if titles is not None:
            comma = text.find(", ", p, min(stop, p + en.NAME_REACH))
            if (
                comma < 0
                or not text[p:comma].replace(" ", "").isalpha()
                or not 1 <= text.count(" ", p, comma) <= 2
                or text[comma + 2 : comma + 3] not in titles
            ):
                continue
        m = pattern.match(text, p, stop)
        if m is not None:
            out.append(m)
            after = max(m.end(), p + 1)
    return out


# the patterns are tried only where a match can start for a title word found at `at`: "Name,
# (the) (Deputy) Title" starts with the name at most 60 characters before the title word,
# "(Deputy) Title (of ...) Name" at most 30 before it; the match may run on to 220 after it
_AFTER_TITLE: Final = 220


def name_then_title(text: str, at: int) -> list[re.Match[str]]:
    """The matches of "Name, (the) Title" for the title word at `at`."""
    stop = min(len(text), at + _AFTER_TITLE)
    return _matches_from(
        en.OFFICIAL_AFTER,
        text,
        max(0, at - 60),
        at,
        stop,
        en.NAME_FIRSTS,
        titles=en.AFTER_NAME_FIRSTS,
    )


def title_then_name(text: str, at: int) -> list[re.Match[str]]:
    """The matches of "Title (of ...) Name" for the title word at `at`."""
    stop = min(len(text), at + _AFTER_TITLE)
    return _matches_from(
        en.OFFICIAL_BEFORE, text, max(0, at - 30), at, stop, en.TITLE_FIRSTS, en.TITLE_OPENINGS
    )


def find_officials(text: str, folded: str | None = None) -> list[Official]:
    out: list[Official] = []
    names: set[str] = set()

    def add(name: str, title: str) -> None:
        if name in names or set(name.split()) & en.NOT_NAMES or name in default_finder().region_en:
            return
        names.add(name)
        out.append(Official(name=name, title=" ".join(title.split())))

    done: set[int] = set()
    for at, _, _ in en.TITLE_KEYS.find(fold(text) if folded is None else folded):
        for m in name_then_title(text, at):
            if m.start() not in done:
                done.add(m.start())
                add(m.group(1), m.group(2).removeprefix("the "))
        for m in title_then_name(text, at):
            if m.start() not in done:
                done.add(m.start())
                add(m.group(2), m.group(1))
    for at, _, _ in zh.TITLE_KEYS.find(text) if has_cjk(text) else ():
        for m in zh.OFFICIAL.finditer(text, max(0, at - 18), min(len(text), at + 12)):
            add(m.group(2), m.group(1))
    return out
