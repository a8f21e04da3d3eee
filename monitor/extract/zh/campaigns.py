"""Chinese campaign names: the words that make a name an operation's (专项行动, 专案, 代号), and
names dated by their year (净网2021).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

TRIGGER: Final = (
    r"(?:系列|专项|集中|统一|联合|同步|收网)*(?:行动|专项|专案|战役|会战|攻坚|整治|打击|收网)"
)

# a year before 专项/行动/”, found first (a digit is rare in Chinese text); the name is the run of
# two to four Chinese characters right before it (or before its hyphen): 净网2021, 昆仑-2022
YEAR_NAMED: Final = re.compile(r"(?:19|20)\d{2}(?=专项|行动|”)")


def names_with_year(text: str) -> list[tuple[str, int, int]]:
    out = []
    for year in YEAR_NAMED.finditer(text):
        end = year.start() - (text[year.start() - 1 : year.start()] == "-")
        start = end
        while start > 0 and end - start < 5 and "\u4e00" <= text[start - 1] <= "\u9fff":
            start -= 1
        if 2 <= end - start <= 4:
            out.append((f"{text[start:end]}{year.group()}", start, year.end()))
    return out


# (the name holds no join nor a second suffix: “区域会战和集群战役” names kinds of operation)
INNER_TRIGGER: Final = re.compile(
    r"^((?:(?!和|及|与|、|或|会战|战役|行动|专项)[^\s]){2,12}?)"
    r"(?:专项行动|专案行动|专案|行动|战役|会战)$"
)

SUFFIXES: Final = ("行动", "专案", "战役", "会战")

CODE_WORDS: Final = ("代号", "代号为", "名为", "称为")


# what a name no list knows ends with: a number with 号 (飓风57号, 净源一号), else a year (护网2021)
_NUMBERED_END: Final = re.compile(r"[-—·]?([0-9]+|[一二三四五六七八九十百]+)号$")
_YEAR_END: Final = re.compile(r"[-—·]?((?:19|20)[0-9]{2})$")
_WORD_BREAKS: Final = re.compile(r"[\s·•・\-—]+")


def english_name(name: str, known: Callable[[str], str | None]) -> str:
    """The English canonical of a Chinese name no list knows, as the annotation rules and
    config/campaigns.toml want: its words in pinyin, a number with 号 as "No. N", a year after
    it: 威楚·净源一号 -> "Weichu Jingyuan No. 1", 云电 -> "Yundian", 护网2021 -> "Huwang 2021".
    The name's words are its parts between dots or dashes, a run of four or six characters read
    as words of two (威楚净源 -> "Weichu Jingyuan"). A known name numbered or dated keeps the
    English name `known` gives it: 猎鹰1号 -> "Falcon No. 1"."""
    from monitor.extract.entities import romanise  # entities reads this package's rules
    from monitor.extract.numbers import parse_zh_number

    tail = ""
    numbered = _NUMBERED_END.search(name)
    year = _YEAR_END.search(name) if numbered is None else None
    if numbered is not None:
        tail = f"No. {int(parse_zh_number(numbered.group(1)))}"
        name = name[: numbered.start()]
    elif year is not None:
        tail, name = year.group(1), name[: year.start()]
    english = known(name) if name else None
    if english is not None:  # a known name numbered or dated: 猎鹰1号
        return f"{english} {tail}".strip()
    words: list[str] = []
    for part in _WORD_BREAKS.split(name):
        cjk = all("\u4e00" <= c <= "\u9fff" for c in part)
        if cjk and len(part) in (4, 6):
            words += [romanise(part[i : i + 2]) for i in range(0, len(part), 2)]
        elif part:
            words.append(romanise(part) if cjk else part)
    return " ".join([*words, tail]).strip() or name
