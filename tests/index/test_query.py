"""The query language: what parses into what, and the errors a user sees."""

import pytest

from monitor.errors import QuerySyntaxError
from monitor.index.query import MAX_DEPTH, And, Not, Or, Term, parse


def test_words_phrases_and_operators() -> None:
    assert parse("") is None
    assert parse("fraud") == Term("fraud")
    assert parse('"naked chat"') == Term("naked chat", phrase=True)
    assert parse("a b") == And((Term("a"), Term("b")))
    assert parse("a AND b OR c") == Or((And((Term("a"), Term("b"))), Term("c")))
    assert parse("a -b") == And((Term("a"), Not(Term("b"))))
    assert parse("a NOT b") == And((Term("a"), Not(Term("b"))))
    assert parse("(a OR b) c") == And((Or((Term("a"), Term("b"))), Term("c")))
    assert parse('campaign:"Clean Internet 2021"') == Term(
        "Clean Internet 2021", field="campaign", phrase=True
    )
    assert parse("suspect*") == Term("suspect", prefix=True)
    assert parse("Kunlun-2022") == Term("Kunlun-2022")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"naked chat', "unbalanced quotes"),
        ("AND", "AND at position 1 needs a word before it"),
        ("fraud AND", "AND at position 7 has nothing after it"),
        ("fraud OR", "OR at position 7 has nothing after it"),
        ("(fraud", "never closed"),
        ("fraud)", r"has no '\('"),
        ("NOT fraud", "cannot only exclude"),
        ("color:red", "unknown field 'color'"),
        ('""', "empty phrase"),
        ("***", "no letters or digits"),
    ],
)
def test_malformed_queries_say_what_is_wrong(query: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message):
        parse(query)


@pytest.mark.parametrize(
    "query",
    [
        "(" * 250 + "fraud" + ")" * 250,
        "fraud " + "NOT " * 240 + "scam",
        "fraud " + "-(" * 40 + "scam" + ")" * 40,
        "(fraud " * 300 + ")" * 300,
    ],
)
def test_deep_nesting_is_a_syntax_error_not_a_recursion_error(query: str) -> None:
    with pytest.raises(QuerySyntaxError, match="nests too deeply") as caught:
        parse(query)
    assert f"the most is {MAX_DEPTH} levels" in str(caught.value)


def test_nesting_up_to_the_limit_parses() -> None:
    assert parse("(" * MAX_DEPTH + "fraud" + ")" * MAX_DEPTH) == Term("fraud")
    assert parse("fraud " + "NOT " * (MAX_DEPTH - 1) + "scam") is not None


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("(" * 20 + "fraud", "never closed"),
        ("fraud" + ")" * 20, r"has no '\('"),
        ("(" * 300, "nests too deeply"),
        (")" * 300, r"has no '\('"),
    ],
)
def test_unbalanced_parentheses_in_bulk(query: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message):
        parse(query)


@pytest.mark.parametrize(
    ("query", "position"),
    [
        ("title:", 1),
        ("fraud title:", 7),
        ("(fraud body:)", 8),
        ("CAMPAIGN: 净网", 1),
        ("lang:-en", 1),
    ],
)
def test_a_field_without_a_value_is_refused(query: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError, match=f"at position {position} needs a value"):
        parse(query)


def test_a_word_ending_in_a_colon_is_still_a_word() -> None:
    assert parse("Note: fraud") == And((Term("Note:"), Term("fraud")))
