"""The query language: what parses into what, and the errors a user sees."""

import pytest

from monitor.errors import QuerySyntaxError
from monitor.index.query import And, Not, Or, Term, parse


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
