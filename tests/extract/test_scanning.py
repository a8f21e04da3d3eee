"""The fast scans give what the plain ones give: keyword lists searched through an ASCII copy of a
long text, and regex matches tried only where their first character stands."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.extract.keywords import Keywords, fold
from monitor.extract.numbers import fold_width
from monitor.extract.campaigns import _QUOTED, _quoted_names
from monitor.extract.text import Segments, has_cjk

_KEYS = ["police", "public security", "arrest", "arrested", "公安局", "公安", "café", "no. 9"]
_PIECES = ["police ", "public security", "arrested", "公安局", "“", "”", "café", "?", "no. 9", " "]


def _plain(keys: Keywords[str], text: str) -> list[tuple[int, int, str]]:
    """Keywords.find as it was: the str automaton over the whole text, then the word test."""
    assert keys._automaton is not None
    words = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    out = []
    for i, s, e in keys._automaton.find_matches_as_indexes(text):
        value, check_start, check_end = keys._values[i]
        if check_start and s > 0 and text[s - 1] in words:
            continue
        if check_end and e < len(text) and text[e] in words:
            continue
        out.append((s, e, value))
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=120))
def test_keywords_on_long_texts_match_the_plain_search(pieces: list[str]) -> None:
    text = fold("".join(pieces) * 3)  # long enough for the ASCII copy
    for keys in (
        Keywords((k, k) for k in _KEYS),  # mixed, with a non-Chinese non-ASCII key
        Keywords((k, k) for k in _KEYS if k != "café"),  # only Chinese beyond ASCII
        Keywords((k, k) for k in _KEYS if k.isascii()),
    ):
        assert keys.find(text) == _plain(keys, text)


def test_keywords_find_across_curly_quotes_and_chinese() -> None:
    keys = Keywords([("police", "P"), ("公安局", "B"), ("arrested", "A")])
    text = fold("“Police” arrested 12 people; 公安局 police. " * 20)
    hits = keys.find(text)
    assert [(text[s:e], v) for s, e, v in hits[:4]] == [
        ("police", "P"),
        ("arrested", "A"),
        ("公安局", "B"),
        ("police", "P"),
    ]


@given(st.text(alphabet='ab"“”‘’「」『』, .x\n\t', max_size=300))
def test_quoted_names_are_the_pattern_s_matches(text: str) -> None:
    expected = [m.span() for m in _QUOTED.finditer(text)]
    assert [m.span() for m in _quoted_names(text)] == expected


def test_sentences_and_clauses_of_a_text() -> None:
    text = "Police in No. 9 district arrested 5 people, seized 3 cars.\n\nIt ended; 会议结束。"
    seg = Segments.of(text)
    assert seg.sentence(text.index("seized"))[0] == 0
    assert text[seg.sentence(text.index("It"))[0] :].startswith("It ended;")
    assert text[seg.clause(text.index("seized"))[0] :].startswith(" seized")
    assert text[seg.sentence(text.index("会议"))[0] :].startswith(" 会议")


@given(st.text(alphabet="ab “”公安１２．％3", max_size=60))
def test_width_folding_and_the_chinese_test(text: str) -> None:
    folded = fold_width(text)
    assert folded == text.translate(str.maketrans("０１２３４５６７８９．％", "0123456789.%"))
    expected = re.search(r"[\u4e00-\u9fff]", text) is not None
    assert has_cjk(folded) is expected
    assert has_cjk(text) is expected
