"""Chinese campaign names: the words that make a name an operation's (专项行动, 专案, 代号), and
names dated by their year (净网2021).
"""

from __future__ import annotations

import re

TRIGGER = r"(?:系列|专项|集中|统一|联合|同步|收网)*(?:行动|专项|专案|战役|会战|攻坚|整治|打击)"

# a year before 专项/行动/”, found first (a digit is rare in Chinese text); the name is the run of
# two to four Chinese characters right before it (or before its hyphen): 净网2021, 昆仑-2022
YEAR_NAMED = re.compile(r"(?:19|20)\d{2}(?=专项|行动|”)")


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
INNER_TRIGGER = re.compile(
    r"^((?:(?!和|及|与|、|或|会战|战役|行动|专项)[^\s]){2,12}?)"
    r"(?:专项行动|专案行动|专案|行动|战役|会战)$"
)

SUFFIXES = ("行动", "专案", "战役", "会战")

CODE_WORDS = ("代号", "代号为", "名为", "称为")
