"""The number parsers: English and Chinese numerals, qualifiers, and round trips."""

from __future__ import annotations

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.extract.numbers import find_numbers, fold_width, parse_en_number, parse_zh_number


@pytest.mark.parametrize(
    ("text", "value", "approx"),
    [
        ("17,000", 17000, "exact"),
        ("3.83 million", 3830000, "exact"),
        ("29.95 billion yuan", 29950000000, "exact"),
        ("three", 3, "exact"),
        ("a dozen", 12, "exact"),
        ("twenty-one", 21, "exact"),
        ("more than 8,800", 8800, "more_than"),
        ("over 1,400", 1400, "more_than"),
        ("nearly 400,000", 400000, "about"),
        ("almost 400", 400, "about"),
        ("close to 400", 400, "about"),
        ("fewer than 400", 400, "less_than"),
        ("about 1.2 million", 1200000, "about"),
        ("up to 86%", 86, "less_than"),
        ("1,18,000", 118000, "exact"),  # grouped in lakhs, as South Asian outlets print them
        ("more than 12,34,56,789", 123456789, "more_than"),
    ],
)
def test_english_numbers_and_qualifiers(text: str, value: float, approx: str) -> None:
    """Each English form parses to its full value, and its qualifier maps to `approx`."""
    (number,) = list(find_numbers(f"police said {text} were found", "en"))
    assert (number.value, number.approx) == (value, approx)


@pytest.mark.parametrize(
    ("text", "value", "approx"),
    [
        ("1.7万名", 17000, "exact"),
        ("29.95亿元", 2995000000, "exact"),
        ("8万余名", 80000, "more_than"),
        ("一千七百余人", 1700, "more_than"),
        ("两千起", 2000, "exact"),
        ("百分之八十六", 86, "exact"),
        ("逾千名", 1000, "more_than"),
        ("超过300个", 300, "more_than"),
        ("近2亿元", 200000000, "about"),
        ("将近两千人", 2000, "about"),
        ("接近300名", 300, "about"),
        ("不到300名", 300, "less_than"),
        ("约5000人", 5000, "about"),
        ("３２０名", 320, "exact"),
        ("廿三人", 23, "exact"),  # 廿 and 卅 as Hong Kong and Macau headlines write them
        ("卅多万元", 300000, "more_than"),
        # several of a unit is at least two of it, as "dozens of" is two dozen
        ("数十个", 20, "more_than"),
        ("几百名", 200, "more_than"),
        ("数千万元", 20000000, "more_than"),
        ("数十一人", 11, "exact"),  # a count's 数 before eleven: not "several tens"
        ("数以万计", 20000, "more_than"),
    ],
)
def test_chinese_numbers_and_qualifiers(text: str, value: float, approx: str) -> None:
    """Chinese numerals, 万/亿 multipliers, 余/逾/超过/近/约 and full-width digits."""
    (number,) = list(find_numbers(fold_width(f"共抓获{text}，"), "zh"))
    assert (number.value, number.approx) == (value, approx)


def test_fold_width_keeps_offsets() -> None:
    """Folding full-width digits changes no lengths, so offsets into the original stay valid."""
    text = "抓获１２３名，下降８６％"
    assert len(fold_width(text)) == len(text)
    assert fold_width(text) == "抓获123名，下降86%"


def test_money_and_percent_flags() -> None:
    """A currency or a percent sign travels with the number, so figures know their unit."""
    numbers = list(
        find_numbers(
            "seized 2 billion yuan, a drop of 12.5 percent and of 3 percentage points", "en"
        )
    )
    assert [(n.value, n.currency, n.percent) for n in numbers] == [
        (2e9, "CNY", False),
        (12.5, "", True),
        (3, "", True),  # as 个百分点
    ]


_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _words(n: int) -> str:
    if n < 10:
        return _ONES[n]
    if n < 20:
        return _TEENS[n - 10]
    return _TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else "")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_english_digits_round_trip(n: int) -> None:
    """Any integer written with or without thousands separators parses back to itself."""
    assert parse_en_number(f"{n:,}") == n
    assert parse_en_number(str(n)) == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=99_999), st.sampled_from(["million", "billion"]))
def test_english_scaled_round_trip(hundredths: int, scale: str) -> None:
    """'3.83 million' style: a decimal times a scale word gives the full value."""
    written = f"{hundredths / 100:.2f}".rstrip("0").rstrip(".") + f" {scale}"
    factor = 10**6 if scale == "million" else 10**9
    assert parse_en_number(written) == pytest.approx(hundredths / 100 * factor)
    (number,) = list(find_numbers(f"they seized {written} yuan", "en"))
    assert number.value == pytest.approx(hundredths / 100 * factor)


@given(st.integers(min_value=1, max_value=99))
def test_english_words_round_trip(n: int) -> None:
    """Numbers written out in words, hyphenated tens included, parse back to themselves."""
    (number,) = list(find_numbers(f"police busted {_words(n)} gangs", "en"))
    assert number.value == n


def write_zh(n: int) -> str:
    """`n` in standard Chinese numerals. cn2an's an2cn drops the 零 that marks an empty 万
    group after 亿 (100001000 as 一亿一千, which reads as 1.1亿); the standard form keeps it."""
    written = cn2an.an2cn(n)
    if n >= 10**8 and (n // 10**4) % 10**4 == 0 and n % 10**4:
        head, _, tail = written.partition("亿")
        if not tail.startswith("零"):
            written = f"{head}亿零{tail}"
    return written


def test_write_zh_keeps_the_zero_of_an_empty_wan_group() -> None:
    assert write_zh(100001000) == "一亿零一千"
    assert write_zh(100000001) == "一亿零一"
    assert write_zh(110001000) == "一亿一千万一千"


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_chinese_numerals_round_trip(n: int) -> None:
    """Any integer written in Chinese numerals (cn2an's an2cn) parses back to itself."""
    written = write_zh(n)
    assert parse_zh_number(written) == n
    numbers = list(find_numbers(f"抓获{written}名", "zh"))
    assert numbers and numbers[0].value == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=99_999_999), st.sampled_from(["万", "亿"]))
def test_chinese_multiplier_round_trip(hundredths: int, unit: str) -> None:
    """'1.7万' / '29.95亿' style: digits with a multiplier give the full value."""
    written = f"{hundredths / 100:.2f}".rstrip("0").rstrip(".") + unit
    factor = 10**4 if unit == "万" else 10**8
    (number,) = list(find_numbers(f"查扣{written}元", "zh"))
    assert number.value == pytest.approx(hundredths / 100 * factor)


@settings(max_examples=300, deadline=None)
@given(
    st.from_regex(r"\A[0-9]{1,12}(\.[0-9]{1,6})?\Z"),
    st.sampled_from(["", "十", "百", "千", "万", "亿"]),
)
def test_arabic_digits_with_a_unit_read_as_cn2an_reads_them(digits: str, unit: str) -> None:
    """Digits with at most one unit are read without cn2an, to the value it gives."""
    assert parse_zh_number(digits + unit) == float(cn2an.cn2an(digits + unit, "smart"))


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_full_width_digits_round_trip(n: int) -> None:
    """Full-width digits fold to ASCII and parse to the same value."""
    full = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    (number,) = list(find_numbers(fold_width(f"抓获{full}名"), "zh"))
    assert number.value == n


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_never_raises(text: str) -> None:
    """Any text, in either mode, yields numbers or nothing, never an exception."""
    for lang in ("en", "zh"):
        for number in find_numbers(fold_width(text), lang):
            assert number.start <= number.num_start < number.end <= len(text)


@pytest.mark.parametrize(
    ("text", "value", "currency", "quote"),
    [
        ("seized US$3 million", 3e6, "USD", "US$3 million"),
        ("seized $3 million", 3e6, "USD", "$3 million"),
        ("froze 3 million US dollars", 3e6, "USD", "3 million US dollars"),
        ("losses of HK$1.2 billion", 1.2e9, "HKD", "HK$1.2 billion"),
        ("losses of HK$ 1.2 billion", 1.2e9, "HKD", "HK$ 1.2 billion"),
        ("NT$450 million", 4.5e8, "TWD", "NT$450 million"),
        ("about 2.3 million euros", 2.3e6, "EUR", "about 2.3 million euros"),
        ("seized £500,000", 5e5, "GBP", "£500,000"),
        ("EUR 10 million", 1e7, "EUR", "EUR 10 million"),
        ("EUR10 million", 1e7, "EUR", "EUR10 million"),
        ("20 million baht", 2e7, "THB", "20 million baht"),
        ("RM500,000", 5e5, "MYR", "RM500,000"),
        ("US$2.5m", 2.5e6, "USD", "US$2.5m"),
        ("1.2 billion Hong Kong dollars", 1.2e9, "HKD", "1.2 billion Hong Kong dollars"),
        ("RMB 3 million", 3e6, "CNY", "RMB 3 million"),
    ],
)
def test_english_amounts_carry_their_currency(
    text: str, value: float, currency: str, quote: str
) -> None:
    """A sign or code before the number, or a currency word after it, gives the ISO code; the
    number's span takes the sign in."""
    (n,) = find_numbers(text, "en")
    assert (n.value, n.currency, text[n.start : n.end]) == (value, currency, quote)


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("冻结资金3亿元", 3e8, "CNY"),
        ("涉案金额5000万美元", 5e7, "USD"),
        ("查获港元200万元", 2e6, "HKD"),
        ("扣押新台币300万元", 3e6, "TWD"),
        ("缴获欧元50万", 5e5, "EUR"),
        ("损失2.6亿港元", 2.6e8, "HKD"),
        ("骗取澳门币80万元", 8e5, "MOP"),
        ("冻结1200万泰铢", 1.2e7, "THB"),
    ],
)
def test_chinese_amounts_carry_their_currency(text: str, value: float, currency: str) -> None:
    """美元, 港元, 新台币 ... after the number or before it (港元200万元) give the ISO code."""
    (n,) = find_numbers(text, "zh")
    assert (n.value, n.currency) == (value, currency)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("dozens of suspects", 24),
        ("hundreds of websites", 200),
        ("thousands of accounts", 2000),
        ("tens of thousands of cards", 20000),
    ],
)
def test_vague_counts_are_at_least_two_of_their_unit(text: str, value: float) -> None:
    """'dozens of' is more than 24, 'hundreds of' more than 200; the span ends after 'of'."""
    (n,) = find_numbers(text, "en")
    assert (n.value, n.approx, text[n.end :]) == (value, "more_than", " " + text.split(" of ")[-1])


def test_hyphenated_percent_and_a_qualifier_after_a_blank_line() -> None:
    """'a 24-percent decrease' is a percent; 'Nearly' opening a paragraph qualifies."""
    (n,) = find_numbers("a 24-percent decrease", "en")
    assert (n.value, n.percent) == (24, True)
    (n,) = find_numbers("Police figures\n\nNearly 500 suspects", "en")
    assert n.approx == "about"


def test_chinese_counts_with_scale_and_classifier() -> None:
    """1.2万个, 300余件, 1.2亿次, 300余部, 50多台, and 近 reads about."""
    got = [
        (n.value, n.approx)
        for n in find_numbers("1.2万个，300余件，1.2亿次，300余部，50多台，近500名", "zh")
    ]
    assert got == [
        (12000, "exact"),
        (300, "more_than"),
        (1.2e8, "exact"),
        (300, "more_than"),
        (50, "more_than"),
        (500, "about"),
    ]


def test_an_amount_estimated_at_is_about() -> None:
    from monitor.extract.numbers import find_numbers

    text = "losses estimated at 40 million baht"
    assert [n.approx for n in find_numbers(text, "en")] == ["about"]
