"""Query trees and text turned into what SQLite FTS5 reads.

Chinese, Japanese and Korean characters are indexed one character per token, and a
run of them in a query becomes a phrase of single characters: 诈骗 matches exactly
where the two characters stand side by side, whatever a word segmenter would have
made of the sentence (the approach of Lucene's CJK analysers). Everything else is
unicode61 words, case and diacritics folded.
"""

from __future__ import annotations

import re

from monitor.errors import QuerySyntaxError
from monitor.index.highlight import fold
from monitor.index.query import FIELDS, And, Node, Not, Or, Term

COLUMNS = FIELDS  # one FTS5 column per field a query can name
TOKENIZER = "unicode61 remove_diacritics 2"
# bm25 weights, in COLUMNS order: a match in the title or a campaign name counts most
WEIGHTS = (6.0, 1.0, 4.0, 2.0, 2.0, 1.0, 2.0, 1.0, 0.5)

# runs, not single characters: one substitution per run is several times cheaper to index
_CJK_RUN = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002ffff]+"
)
_TOKEN = re.compile(r"[^\W_]+")
# a phrase as `compile_query` writes it (its column if it names one, its quoted tokens, its
# `*`), and the parentheses and NOT around it (tokens are lower case: NOT is only ever the operator)
_PARTS = re.compile(r'\(|\)|NOT|(?:\w+ : )?"[^"]*"\*?')


def index_text(text: str) -> str:
    """Text as stored in the FTS table: folded, each CJK character its own token."""
    return _CJK_RUN.sub(_spaced, fold(text))


def _spaced(run: re.Match[str]) -> str:
    return " " + " ".join(run.group()) + " "


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(index_text(text).lower())


def compile_query(node: Node) -> str:
    """An FTS5 MATCH expression for a parsed query."""
    if isinstance(node, Term):
        return _term(node)
    if isinstance(node, Or):
        if any(isinstance(item, Not) for item in node.items):
            raise QuerySyntaxError(
                "NOT cannot stand inside OR: write 'a OR b NOT c' as '(a OR b) NOT c'"
            )
        return "(" + " OR ".join(compile_query(item) for item in node.items) + ")"
    if isinstance(node, And):
        positive = [compile_query(i) for i in node.items if not isinstance(i, Not)]
        negative = [compile_query(i.item) for i in node.items if isinstance(i, Not)]
        if not positive:
            raise QuerySyntaxError("a query cannot only exclude: add a word to search for")
        expr = "(" + " AND ".join(positive) + ")"
        for neg in negative:
            expr = f"({expr} NOT {neg})"
        return expr
    raise QuerySyntaxError("a query cannot only exclude: add a word to search for")


def _term(term: Term) -> str:
    tokens = _tokens(term.text)
    if not tokens:
        raise QuerySyntaxError(f"{term.text!r} has nothing to search for")
    expr = '"' + " ".join(tokens) + '"'
    if term.prefix:
        expr += "*"
    if term.field:
        expr = f"{term.field} : {expr}"
    return expr


def phrases(match: str) -> list[str]:
    """The phrases of an expression `compile_query` wrote that a hit can hold, each with its
    column (not those after NOT): what FTS5's bm25 adds up, each weighed by how many articles
    hold it."""
    found: list[str] = []
    excluding, depth = False, 0  # within the operand of a NOT; its parentheses still open
    for part in _PARTS.findall(match):
        if part == "NOT":
            excluding = True
        elif excluding:
            depth += {"(": 1, ")": -1}.get(part, 0)
            excluding = depth > 0  # the operand ends with its phrase or its last parenthesis
        elif part not in ("(", ")"):
            found.append(part)
    return found


def words(phrase: str) -> list[str]:
    """Each word of a phrase of several words as a phrase of its own, with the phrase's column
    (none for one word or a prefix): no more articles hold the phrase than hold any of them."""
    head, _, quoted = phrase.partition('"')
    if quoted.endswith("*") or " " not in quoted:
        return []
    return [f'{head}"{word}"' for word in quoted.rstrip('"').split()]
