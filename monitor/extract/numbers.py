"""Numbers as written in English and Chinese announcements, parsed to values with a qualifier.

`find_numbers(text, lang)` yields every number with its span and `approx`; Chinese numerals go
through cn2an. Full-width digits are folded by `fold_width`, which keeps offsets unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from typing import Final

import cn2an

from monitor.extract.keywords import Keywords, ascii_copy, fold
from monitor.extract.lexicon import ZH_VERB_CLASS
from monitor.extract.text import Spans, note_cjk

_FULL_WIDTH: Final = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


def fold_width(text: str) -> str:
    """Full-width digits and signs to ASCII, one character for one, so offsets stay valid."""
    # str.translate is slow on long non-ASCII strings: only translate when there is something to
    if text.isascii():
        return text
    # one scan answers both questions for an English text with curly quotes, the common case;
    # a Chinese text is searched on for full-width signs from its first Chinese character
    first = _WIDE_OR_CJK.search(text)
    if first is None:
        note_cjk(text, False)
        return text
    if first.group() not in _WIDE:  # a Chinese character comes first
        note_cjk(text, True)
        if _HAS_FULL_WIDTH.search(text, first.start()) is None:
            return text
    return text.translate(_FULL_WIDTH)


_WIDE: Final = "０１２３４５６７８９．％"
_HAS_FULL_WIDTH: Final = re.compile("[０-９．％]")
_WIDE_OR_CJK: Final = re.compile("[０-９．％\u4e00-\u9fff]")


class Number:
    """One number of a text: a plain class, which the compiled extractor makes and reads as a
    native object (thousands are made per second)."""

    value: float
    start: int  # of the qualifier when there is one, else of the number
    end: int
    num_start: int  # of the number itself
    approx: str  # exact | more_than | about | less_than
    percent: bool
    currency: str  # the ISO code of the currency it carries (元, yuan, US$, 美元 ...)
    # the currency is only implied (a bare 元 or $): the issuer's locale decides (see figures)
    bare: bool

    def __init__(
        self,
        value: float,
        start: int,
        end: int,
        num_start: int,
        approx: str,
        percent: bool = False,
        currency: str = "",
        bare: bool = False,
    ) -> None:
        self.value = value
        self.start = start
        self.end = end
        self.num_start = num_start
        self.approx = approx
        self.percent = percent
        self.currency = currency
        self.bare = bare

    def with_currency(self, currency: str) -> Number:
        return Number(
            self.value,
            self.start,
            self.end,
            self.num_start,
            self.approx,
            self.percent,
            currency,
            self.bare,
        )

    def __repr__(self) -> str:
        return (
            f"Number({self.value!r}, {self.start}, {self.end}, {self.num_start}, "
            f"{self.approx!r}, percent={self.percent}, currency={self.currency!r}, "
            f"bare={self.bare})"
        )


# --- English ---------------------------------------------------------------

_EN_WORDS: Final = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a dozen": 12,
    "dozen": 12,
    "a hundred": 100,
    "hundred": 100,
    "a thousand": 1000,
}
_EN_SCALES: Final = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "mln": 1_000_000,
    "billion": 1_000_000_000,
    "bln": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
# "nearly", "almost", 近, 将近 say the count is close to the number, not that it stays under it:
# `about`, like "around"; `less_than` is for a bound ("under", "up to", 不到)
EN_QUALIFIERS: Final = {
    "more than": "more_than",
    "over": "more_than",
    "above": "more_than",
    "at least": "more_than",
    "in excess of": "more_than",
    "upwards of": "more_than",
    "a total of more than": "more_than",
    "a total of over": "more_than",
    "nearly": "about",
    "almost": "about",
    "close to": "about",
    "less than": "less_than",
    "fewer than": "less_than",
    "under": "less_than",
    "up to": "less_than",
    "below": "less_than",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "some": "about",
    "an estimated": "about",
    "estimated at": "about",
    "nearly about": "about",
}


# thousands by commas, also as South Asian outlets group them ("1,18,000", lakhs and crores)
_EN_DIGITS: Final = re.compile(
    r"[0-9](?:[0-9]|,(?=[0-9]{3}(?![0-9]))|,(?=[0-9]{2}(?:,[0-9]{2})*,[0-9]{3}(?![0-9])))*"
    r"(?:\.[0-9]+)?"
)
_QUAL_LAST: Final = frozenset(q.split()[-1] for q in EN_QUALIFIERS)
_QUAL_FIRST: Final = frozenset(q.split()[0] for q in EN_QUALIFIERS)
_QUAL_LONGEST: Final = max(len(q.split()) for q in EN_QUALIFIERS)
_WORDS_BEFORE: Final = re.compile(r"[a-z]+")


def _word_before(folded: str, at: int) -> str:
    """The last word before `at` (the last word of a qualifier when the number has one), when
    only blanks follow it. Read back at most 64 characters: a text without spaces (numbers one a
    line) is not read back to its start for every number."""
    lo = max(0, at - 64)
    words = folded[lo:at].rsplit(None, 1)  # the last word, and whether there is another
    if not words:
        return ""
    if len(words) == 1 and lo > 0 and not folded[lo].isspace() and not folded[lo - 1].isspace():
        return ""  # one word that runs on before the window: not a qualifier
    return words[-1]


_PARTICLE_VERB: Final = re.compile(
    r"\b(?:hand|hands|handed|handing|turn|turns|turned|took|take|taken)\s+$"
)


def _qualifier(folded: str, at: int) -> tuple[str, int]:
    """The qualifier that ends right before `at` ('more than 400'), and where it starts."""
    if at < 3 or folded[at - 1] not in " \n\t":
        return "exact", at
    if _word_before(folded, at) not in _QUAL_LAST:
        return "exact", at
    window = folded[max(0, at - 24) : at]
    words = list(_WORDS_BEFORE.finditer(window))[-_QUAL_LONGEST:]
    if not words or window[words[-1].end() :].strip():
        return "exact", at
    texts = [w.group() for w in words]
    for i, first in enumerate(texts):
        if first not in _QUAL_FIRST:
            continue  # cheaper than joining a phrase that cannot be a qualifier
        if words[i].start() and window[words[i].start() - 1].isalpha():
            continue
        phrase = " ".join(texts[i:])
        if phrase in EN_QUALIFIERS:
            start = at - len(window) + words[i].start()
            if phrase == "over" and _PARTICLE_VERB.search(folded, max(0, start - 12), start):
                return "exact", at  # "hands over 2,300 suspects": a verb's particle
            return EN_QUALIFIERS[phrase], start
    return "exact", at


_ONES: Final = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
_TENS: Final = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}


def parse_en_number(text: str) -> float:
    """'17,000' -> 17000, '3.83 million' -> 3830000, 'twenty-one' -> 21, 'a dozen' -> 12."""
    s = " ".join(text.lower().split())
    scale = 1.0
    for word, factor in _EN_SCALES.items():
        if s.endswith(" " + word) and s != word and not s.startswith("a "):
            s, scale = s[: -len(word) - 1], float(factor)
            break
    if s in _EN_WORDS:
        return _EN_WORDS[s] * scale
    if "-" in s:
        tens, ones = s.split("-", 1)
        return (_EN_WORDS[tens] + _EN_WORDS[ones]) * scale
    return float(s.replace(",", "")) * scale


# vague amounts: "dozens of" is at least two dozen, "hundreds of" at least two hundred
_EN_VAGUE: Final = {
    "dozens of": 24,
    "scores of": 40,
    "hundreds of": 200,
    "thousands of": 2_000,
    "tens of thousands of": 20_000,
    "hundreds of thousands of": 200_000,
    "millions of": 2_000_000,
    "tens of millions of": 20_000_000,
    "hundreds of millions of": 200_000_000,
    "billions of": 2_000_000_000,
}
_EN_WORD_KEYS: Final = Keywords(
    ((w, float(v)) for w, v in (*_EN_WORDS.items(), *_EN_VAGUE.items())), shared=True
)

# (start, end, value, vague)
_Candidate = tuple[int, int, float, bool]

# a currency code glued to the digits ("RM500", "USD3m")
_GLUED_CODE: Final = re.compile(r"(?<![A-Za-z])(?:RM|USD|HKD|EUR|GBP|TWD|MOP|SGD|AUD|RMB|CNY)$")


_HYPHEN_PERCENT: Final = re.compile(r"-per\s?cent\b", re.IGNORECASE)  # "a 24-percent decrease"
_SHORT_SCALE: Final = re.compile(r"(bn|mn|m|b|k)(?![A-Za-z0-9])")
_SHORT_SCALES: Final = {"bn": 1e9, "b": 1e9, "mn": 1e6, "m": 1e6, "k": 1e3}


# every ASCII digit a "0", every other byte a blank: the digits of a text's ASCII copy are then
# found by a plain search for one byte, not a pattern tried at every character
_DIGITS_AS_ZERO: Final = bytes(48 if 48 <= c <= 57 else 32 for c in range(256))


def _digit_runs(text: str) -> list[tuple[int, int]]:
    """The spans `_EN_DIGITS.finditer(text)` gives: every match opens at the first digit after
    the last, so each is tried only there, and one that no comma or point follows is its run of
    digits, read without the pattern."""
    if len(text) < 256:
        return [m.span() for m in _EN_DIGITS.finditer(text)]
    out = []
    n = len(text)
    digits = ascii_copy(text).translate(_DIGITS_AS_ZERO)
    at = digits.find(b"0")
    while at >= 0:
        end = at + 1
        while end < n and digits[end] == 48:
            end += 1
        if end < n and (text[end] == "," or text[end] == "."):
            m = _EN_DIGITS.match(text, at)
            assert m is not None  # a digit always opens a match
            end = m.end()
        out.append((at, end))
        at = digits.find(b"0", end)
    return out


def _en_candidates(text: str, folded: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    n = len(text)
    for s, e in _digit_runs(text):
        if (
            s
            and (text[s - 1].isalnum() or text[s - 1] in "_.,/:-")
            and not (text[s - 1].isalpha() and _GLUED_CODE.search(text, max(0, s - 4), s))
        ):
            continue
        value = float(text[s:e].replace(",", ""))
        if e < n and text[e].isalpha():
            # "US$3m", "$1.2bn": a short scale only after a currency sign ("3m" is a length)
            short = _SHORT_SCALE.match(text, e)
            if short is None or not _currency_before(text, s)[0]:
                continue
            value *= _SHORT_SCALES[short.group(1)]
            e = short.end()
        if (
            e < n
            and (text[e].isalnum() or text[e] in "_/:-")
            and not _HYPHEN_PERCENT.match(text, e)
        ):
            continue
        if e + 1 < n and text[e] in ".," and text[e + 1].isdigit():
            continue
        found.append((s, e, value, False))
    for s, e, value in _EN_WORD_KEYS.find(folded):
        word = folded[s:e]
        if word in _TENS and folded[e : e + 1] == "-":
            ones = _HYPHEN_WORD.match(folded[e : e + 7])
            if ones and ones.group(1) in _ONES:
                e += len(ones.group(0))
                value += _EN_WORDS[ones.group(1)]
        if folded[e : e + 1] == "-" or folded[s - 1 : s] == "-":
            continue  # "three-year", "one-time", the "one" of "twenty-one" already taken
        if word == "one" and _word_before(folded, s) in ("in", "on"):
            continue  # "In one case, ...", "on one occasion": which one, not how many
        found.append((s, e, float(value), word in _EN_VAGUE))
    found.sort()
    return found


_HYPHEN_WORD: Final = re.compile(r"-([a-z]+)")

# currency words after a number (folded text) -> ISO code
_EN_CURRENCY_AFTER: Final = {
    "yuan": "CNY",
    "rmb": "CNY",
    "renminbi": "CNY",
    "cny": "CNY",
    "chinese yuan": "CNY",
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "american dollars": "USD",
    "dollars": "USD",
    "usd": "USD",
    "hong kong dollars": "HKD",
    "hk dollars": "HKD",
    "hkd": "HKD",
    "new taiwan dollars": "TWD",
    "taiwan dollars": "TWD",
    "nt dollars": "TWD",
    "twd": "TWD",
    "singapore dollars": "SGD",
    "sgd": "SGD",
    "australian dollars": "AUD",
    "aud": "AUD",
    "canadian dollars": "CAD",
    "euros": "EUR",
    "euro": "EUR",
    "eur": "EUR",
    "pounds sterling": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "british pounds": "GBP",
    "gbp": "GBP",
    "yen": "JPY",
    "japanese yen": "JPY",
    "won": "KRW",
    "korean won": "KRW",
    "baht": "THB",
    "thai baht": "THB",
    "pesos": "PHP",
    "philippine pesos": "PHP",
    "ringgit": "MYR",
    "patacas": "MOP",
    "mop": "MOP",
    "rupees": "INR",
    "rupiah": "IDR",
    "dong": "VND",
    "kyat": "MMK",
    "riel": "KHR",
    "roubles": "RUB",
    "rubles": "RUB",
    "dirhams": "AED",
    "usdt": "USDT",
    "tether": "USDT",
}
_CURRENCY_FIRST: Final = frozenset(re.split(r"[ .]", w)[0] for w in _EN_CURRENCY_AFTER)
#: the last word of an English amount's currency ("14 million yuan", "5 million US dollars")
EN_CURRENCY_LAST: Final = frozenset(w.rsplit(" ", 1)[-1] for w in _EN_CURRENCY_AFTER)
_EN_CURRENCY_RE: Final = re.compile(
    r"[ \t]*("
    + "|".join(re.escape(w) for w in sorted(_EN_CURRENCY_AFTER, key=len, reverse=True))
    + r")(?![a-z])"
)
# currency signs and codes before a number (text as written) -> ISO code
_EN_CURRENCY_BEFORE: Final = {
    "US$": "USD",
    "U.S.$": "USD",
    "US $": "USD",
    "USD": "USD",
    "$": "USD",
    "HK$": "HKD",
    "HKD": "HKD",
    "NT$": "TWD",
    "TWD": "TWD",
    "MOP$": "MOP",
    "MOP": "MOP",
    "S$": "SGD",
    "SGD": "SGD",
    "A$": "AUD",
    "AU$": "AUD",
    "AUD": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "€": "EUR",
    "EUR": "EUR",
    "£": "GBP",
    "GBP": "GBP",
    "¥": "CNY",
    "￥": "CNY",
    "RMB": "CNY",
    "CNY": "CNY",
    "Rmb": "CNY",
    "yuan": "CNY",
    "₩": "KRW",
    "KRW": "KRW",
    "₱": "PHP",
    "PHP": "PHP",
    "฿": "THB",
    "THB": "THB",
    "RM": "MYR",
    "MYR": "MYR",
    "JPY": "JPY",
}
_EN_CURRENCY_BEFORE_RE: Final = re.compile(
    r"(?<![A-Za-z$])("
    + "|".join(re.escape(w) for w in sorted(_EN_CURRENCY_BEFORE, key=len, reverse=True))
    + r")[ \t]?$"
)


_CURRENCY_ENDS: Final = frozenset(k[-1] for k in _EN_CURRENCY_BEFORE)


def _currency_before(text: str, s: int) -> tuple[str, int]:
    """The currency sign or code right before a number at `s` ("US$", "HK$ ", "EUR "), and
    where it starts; ("", s) when there is none."""
    if s == 0:
        return "", s
    last = text[s - 1] if text[s - 1] not in " \t" or s < 2 else text[s - 2]
    if last not in _CURRENCY_ENDS:
        return "", s  # most numbers: no sign or code can end here
    m = _EN_CURRENCY_BEFORE_RE.search(text, max(0, s - 6), s)
    if m is None:
        return "", s
    return _EN_CURRENCY_BEFORE[m.group(1)], m.start()


def _next_word(folded: str, at: int) -> tuple[int, int]:
    """The span of the word (ASCII letters) after the blanks and tabs at `at`, as the pattern
    `[ \\t]*([a-z]+)` matched there would give it; (-1, -1) when none follows."""
    n = len(folded)
    while at < n and (folded[at] == " " or folded[at] == "\t"):
        at += 1
    end = at
    while end < n and "a" <= folded[end] <= "z":
        end += 1
    return (at, end) if end > at else (-1, -1)


def _en_tail(folded: str, e: int) -> tuple[float, bool, str, int, bool]:
    """What follows a number: a scale word, a percent, a currency, where the number ends, and
    whether the currency is only implied ("dollars" alone)."""
    scale = 1.0
    percent = False
    currency = ""
    w_start, w_end = _next_word(folded, e)
    word = folded[w_start:w_end] if w_start >= 0 else ""
    if word in _EN_SCALES and w_start > e:
        scale, e = float(_EN_SCALES[word]), w_end
        w_start, w_end = _next_word(folded, e)
        word = folded[w_start:w_end] if w_start >= 0 else ""
    hyphen = _HYPHEN_PERCENT.match(folded, e) if folded.startswith("-", e) else None
    if hyphen is not None:
        percent, e = True, hyphen.end()
    elif folded.startswith("%", e) or folded.startswith(" %", e):
        percent, e = True, folded.index("%", e) + 1
    elif word == "percentage" and folded.startswith(" point", w_end):
        percent = True  # "3.5 percentage points", as 3.5个百分点
        e = w_end + 6 + (folded[w_end + 6 : w_end + 7] == "s")
    elif word == "percent" or (
        word == "per" and (folded.startswith("cent", w_end + 1) or folded.startswith("cent", w_end))
    ):
        percent = True
        e = w_end if word == "percent" else folded.index("cent", w_end) + 4
    elif word and w_start > e and word in _CURRENCY_FIRST:
        cur = _EN_CURRENCY_RE.match(folded, e)
        if cur is not None:
            currency, e = _EN_CURRENCY_AFTER[cur.group(1)], cur.end()
            return scale, percent, currency, e, cur.group(1) == "dollars"
    return scale, percent, currency, e, False


def _en_numbers(text: str, folded: str) -> Iterator[Number]:
    for s, e, value, vague in _en_candidates(text, folded):
        scale, percent, currency, end, bare = _en_tail(folded, e)
        before, first = _currency_before(text, s)
        if before and not percent:
            currency = before  # "HK$3 million": the sign says which dollar
            bare = text[first] == "$"
        else:
            first = s
        approx, start = _qualifier(folded, first)
        if vague:
            approx = "more_than"
        yield Number(_clean(value * scale), start, end, s, approx, percent, currency, bare)


# --- Chinese ---------------------------------------------------------------

ZH_QUALIFIERS_BEFORE: Final = {
    "超过": "more_than",
    "超": "more_than",
    "逾": "more_than",
    "多达": "more_than",
    "高达": "more_than",
    "达": "exact",
    "近": "about",
    "将近": "about",
    "接近": "about",
    "突破": "more_than",  # 突破11.3亿元: past the mark
    "不到": "less_than",
    "不足": "less_than",
    "约": "about",
    "大约": "about",
    "约为": "about",
}
# 上亿元, 上千人, 过百支 (Hong Kong): past a round number
_ROUND_PAST: Final = frozenset("上过")
# 数十个, 几百名, 数千万元, 数以万计: several of a unit alone (not 数十一, a count's 数 before
# eleven)
_SEVERAL: Final = frozenset(("数", "几", "数以"))
ZH_QUALIFIERS_AFTER: Final = {
    "余": "more_than",
    "多": "more_than",
    "以上": "more_than",
    "左右": "about",
    "上下": "about",
    "以下": "less_than",
}
# currency words (simplified script) -> ISO code
ZH_CURRENCIES: Final = {
    "元": "CNY",
    "块": "CNY",
    "人民币": "CNY",
    "元人民币": "CNY",
    "美元": "USD",
    "美金": "USD",
    "欧元": "EUR",
    "港元": "HKD",
    "港币": "HKD",
    "新台币": "TWD",
    "台币": "TWD",
    "澳门元": "MOP",
    "澳门币": "MOP",
    "澳币": "MOP",
    "葡币": "MOP",
    "澳元": "AUD",
    "英镑": "GBP",
    "日元": "JPY",
    "日圆": "JPY",
    "日币": "JPY",
    "韩币": "KRW",
    "韩元": "KRW",
    "泰铢": "THB",
    "菲律宾比索": "PHP",
    "比索": "PHP",
    "林吉特": "MYR",
    "马币": "MYR",
    "令吉": "MYR",
    "新加坡元": "SGD",
    "新元": "SGD",
    "加元": "CAD",
    "越南盾": "VND",
    "印尼盾": "IDR",
    "卢比": "INR",
    "缅元": "MMK",
    "瑞尔": "KHR",
    "卢布": "RUB",
    "迪拉姆": "AED",
    "泰达币": "USDT",
    "USDT": "USDT",
}
# ○ (a white circle) is the zero Taiwan writes in numbers read digit by digit (二○七二)
# 廿 and 卅, twenty and thirty in one character, as Hong Kong and Macau headlines write them
_ZH_RUN: Final = "0-9零〇○一二两三四五六七八九十廿卅百千万亿"
ZH_NUMBER: Final = re.compile(
    rf"(?P<num>[{_ZH_RUN}](?:[{_ZH_RUN}]|[.,点](?=[{_ZH_RUN}]))*)"
    r"(?P<mid>余|多)?(?P<mult>[十百千万亿]+)?"
    r"(?P<after>余|多|以上|左右|上下|以下)?"
    # the currencies' first characters looked ahead for first: most numbers have no currency
    r"(?P<pct>%|个百分点)?(?P<cur>(?=["
    + re.escape("".join(sorted({c[0] for c in ZH_CURRENCIES})))
    + "])(?:"
    + "|".join(sorted(ZH_CURRENCIES, key=len, reverse=True))
    + "))?"
)
_ZH_CURRENCY_BEFORE: Final = re.compile(
    "(?:" + "|".join(sorted((c for c in ZH_CURRENCIES if len(c) > 1), key=len, reverse=True)) + ")$"
)
ZH_PERCENT: Final = re.compile(
    r"百分之(?P<num>[零〇一二两三四五六七八九十百点]+|[0-9]+(?:\.[0-9]+)?)"
)


_ZH_LONGEST: Final = 40  # characters: 一千二百三十四亿五千六百七十八万九千零一十二 is 22

# Arabic digits with at most one unit after them (1.7万, 2995, 29.95亿), most of the numbers of a
# Chinese announcement: read as cn2an's smart mode reads them, without the Python-level
# preprocessing it runs first on every input (5 % of a Chinese article's extraction)
_ARABIC: Final = re.compile(r"([0-9]+(?:\.[0-9]+)?)([十百千万亿]?)")
_UNITS: Final = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


@lru_cache(maxsize=4096)
def parse_zh_number(text: str) -> float:
    """'1.7万' -> 17000, '一千七百' -> 1700, '两千' -> 2000, '千' -> 1000 (cn2an does the work)."""
    s = text.replace(",", "").replace("○", "〇").replace("廿", "二十").replace("卅", "三十")
    if len(s) > _ZH_LONGEST:
        # no count is written this long; cn2an takes time growing with the square of the length
        raise ValueError(f"not a Chinese number (over {_ZH_LONGEST} characters): {text[:20]!r}")
    arabic = _ARABIC.fullmatch(s)
    if arabic is not None:
        digits, unit = arabic.group(1), arabic.group(2)
        return float(int(Decimal(digits) * _UNITS[unit])) if unit else float(digits)
    if s and s[0] in "十百千万亿" and s[0] != "十":
        s = "一" + s
    try:
        return float(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, IndexError, TypeError, OverflowError):
        pass
    try:
        return _by_sections(s)
    except (ValueError, KeyError, IndexError, TypeError, OverflowError):
        raise ValueError(f"not a Chinese number: {text!r}") from None


def _by_sections(s: str) -> float:
    """What cn2an refuses, read section by section: 2亿082万 (a zero kept before a section),
    一亿七二四四万 (a section read digit by digit, as Taiwan writes)."""
    total = 0.0
    rest = s
    for mark, scale in (("亿", 1e8), ("万", 1e4)):
        if mark in rest:
            head, rest = rest.split(mark, 1)
            if not head or "亿" in head or "万" in head:
                raise ValueError(s)
            total += _section(head) * scale
    return total + (_section(rest) if rest else 0.0)


def _section(part: str) -> float:
    if part.isdigit():
        return float(part)
    return float(cn2an.cn2an(part.lstrip("零〇") or "零", "smart"))


def _zh_verb_before(text: str, at: int) -> bool:
    """Whether a verb of the lexicon (打掉, 捣毁 ...) ends at `at`, a 了 after it allowed."""
    end = at - 1 if text[at - 1 : at] == "了" else at
    return any(text[max(0, end - k) : end] in ZH_VERB_CLASS for k in (2, 3, 4))


def _counted_one(text: str, at: int) -> bool:
    """Whether the 一 of 一个 at `at` counts: after a verb (打掉一个团伙), after 另 and a verb
    (瓦解另一个集团), or after 和, 及, 与 that join it to a counted 一个 just before
    (捣破一个…集团和一个…集团). Not 一个个, "one after another" (打掉一个个犯罪团伙)."""
    if text.startswith("个个", at + 1):
        return False
    if _zh_verb_before(text, at):
        return True
    before = text[at - 1 : at]
    if before == "另":
        return _zh_verb_before(text, at - 1)
    if before in ("和", "及", "与"):
        lo = max(0, at - 30)
        first = text.rfind("一个", lo, at - 1)
        return first >= 0 and not _ZH_STOPS.search(text, first, at) and _zh_verb_before(text, first)
    return False


_ZH_STOPS: Final = re.compile("[。；;！？!?\n]")
# what an amount in 万 or 亿 without 元 may count: money (8万赃款, 200万现金)
_MONEY_NOUNS: Final = ("赃款", "现金", "款项", "资金", "赌资", "涉案资金", "涉案款")
_ZH_CURRENCY_ENDS: Final = frozenset(c[-1] for c in ZH_CURRENCIES if len(c) > 1)


# currency words that name no currency: 元 alone is the yuan, the Hong Kong or the Taiwan dollar
# or the pataca, as the issuer's locale has it
_BARE_ZH: Final = frozenset(("元", "块"))
_TOKENS: Final = frozenset("颗枚个")


def _zh_currency(text: str, start: int, after: str | None) -> tuple[str, bool]:
    """The currency of a Chinese number, named before it (港元200万元, 美元3000, 人民币5万元)
    or after, and whether it is only implied: a bare 元, or a dollar sign as Hong Kong writes
    it before Chinese numbers ($587万, 港币$83万元)."""
    sign = text[start - 1 : start] == "$"
    at = start - 1 if sign else start
    before = (
        _ZH_CURRENCY_BEFORE.search(text, max(0, at - 5), at)
        if text[at - 1 : at] in _ZH_CURRENCY_ENDS
        else None
    )
    if before is not None:
        return ZH_CURRENCIES[before.group()], False
    if after and after not in _BARE_ZH:
        return ZH_CURRENCIES[after], False
    if sign:
        return "USD", True
    if after:
        return ZH_CURRENCIES[after], True
    return "", False


def _zh_numbers(text: str) -> Iterator[Number]:
    percents = []
    if "百分之" in text:
        for m in ZH_PERCENT.finditer(text):
            try:
                value = parse_zh_number(m.group("num"))
            except ValueError:
                continue
            percents.append(
                Number(_clean(value), m.start(), m.end(), m.start(), "exact", percent=True)
            )
    numbers = list(percents)
    in_percent = Spans([(p.start, p.end) for p in percents])  # in text order, apart
    for m in ZH_NUMBER.finditer(text):
        start, end = m.span()
        # a match of one character is its number alone (most are 一): read without its groups
        single = end - start == 1
        if (percents and in_percent.covers(start)) or text.startswith(
            "分之", end if single else m.end("num")
        ):
            continue
        raw = text[start:end] if single else m.group("num") + (m.group("mult") or "")
        after = text[end : end + 1]
        if (
            raw == "一"
            and after not in ("名", "人")
            and not (after in "个处" and _counted_one(text, start))
        ):
            # "一" alone is mostly an article ("一批", "一是", "一起", "一个重要"), not a count;
            # after a verb, 一个/一处 counts (打掉一个团伙)
            continue
        try:
            value = parse_zh_number(raw)
        except ValueError:
            continue
        # the qualifiers are one or two characters: the two before, else the one before
        lead = m.start() - (text[m.start() - 1 : m.start()] == "$")  # 逾$587万
        before = text[max(0, lead - 2) : lead]
        qual = (
            before
            if before in ZH_QUALIFIERS_BEFORE
            else before[-1:]
            if before[-1:] in ZH_QUALIFIERS_BEFORE
            else before[-1:]
            if before[-1:] in _ROUND_PAST and raw[0] in "百千万亿"
            else before
            if before in _SEVERAL and raw.strip("十百千万亿") == ""
            else before[-1:]
            if before[-1:] in _SEVERAL and raw.strip("十百千万亿") == ""
            else None
        )
        if qual in _SEVERAL:
            value *= 2  # 数十, 几百: at least two of the unit, as "dozens of" is two dozen
        approx = ZH_QUALIFIERS_BEFORE.get(qual, "more_than") if qual else "exact"
        for part in (m.group("mid"), m.group("after")):
            if part:
                approx = ZH_QUALIFIERS_AFTER[part]
        currency, bare = _zh_currency(text, m.start(), m.group("cur"))
        if not currency and raw[-1] in "万亿" and text.startswith(_MONEY_NOUNS, m.end()):
            currency, bare = ZH_CURRENCIES["元"], True  # 8万赃款, 200万现金: an amount of 元
        if currency and not m.group("cur") and text[m.end() : m.end() + 1] in _TOKENS:
            currency = ""  # 泰达币3万颗: coins counted, not an amount
        numbers.append(
            Number(
                _clean(value),
                lead - len(qual or ""),
                m.end(),
                m.start(),
                approx,
                percent=bool(m.group("pct")),
                currency=currency,
                bare=bare,
            )
        )
    numbers.sort(key=lambda n: n.start)
    yield from numbers


def _clean(value: float) -> float:
    """The value rounded to six decimals (a whole number, most of them, as it is)."""
    return value if value.is_integer() else float(round(value, 6))


def find_numbers(text: str, lang: str, folded: str | None = None) -> Iterator[Number]:
    """Every number in `text` (already width-folded), in order. `folded` is `fold(text)`,
    passed in when the caller has it already."""
    if lang == "zh":
        yield from _zh_numbers(text)
    else:
        yield from _en_numbers(text, fold(text) if folded is None else folded)
