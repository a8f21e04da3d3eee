"""The search query language, parsed once into a tree that each index backend translates.

    fraud                    a word (any field of the text)
    "naked chat"             a phrase
    fraud AND arrests        both (AND is implied between terms)
    fraud OR scam            either
    NOT sport, -sport        without
    (a OR b) c               grouping
    campaign:"Clean Internet 2021"   a field: title, body, campaign, region, agency,
                             source, crime_type, measure, lang
    詐騙 / 诈骗               Chinese needs no spaces: a run of characters is a phrase

A query that does not parse raises `QuerySyntaxError` saying what is wrong and where. Nesting
(parentheses and NOT or - in front of one another) is limited to `MAX_DEPTH` levels, so no walk
over a parsed tree, here or in a backend, can run out of stack.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from monitor.errors import QuerySyntaxError

FIELDS = (
    "title",
    "body",
    "campaign",
    "region",
    "agency",
    "source",
    "crime_type",
    "measure",
    "lang",
)
_OPERATORS = {"AND", "OR", "NOT"}
#: Levels of parentheses and NOT a query may nest; real queries use two or three.
MAX_DEPTH = 32
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<lparen>\() | (?P<rparen>\)) |
        (?P<field>[A-Za-z_]+):(?=\S) |
        (?P<bare>[A-Za-z_]+):(?=\s|$) |
        (?P<minus>-)(?=[^\s-]) |
        (?P<phrase>"[^"]*") |
        (?P<badquote>") |
        (?P<word>[^\s()"]+)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    field: str | None = None
    phrase: bool = False
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


Node = Term | And | Or | Not


def parse(text: str) -> Node | None:
    """The tree of `text`, or None for an empty query (match everything)."""
    tokens = _tokenize(text)
    if not tokens:
        return None
    parser = _Parser(tokens, text)
    node = parser.expression()
    if parser.peek() is not None:
        kind, value, pos = parser.peek()  # type: ignore[misc]
        if kind == "rparen":
            raise QuerySyntaxError(f"unbalanced parenthesis: ')' at position {pos + 1} has no '('")
        raise QuerySyntaxError(f"unexpected {value!r} at position {pos + 1}")
    return node


def terms(node: Node | None) -> list[Term]:
    """The positive terms of a query (what a highlighter should mark)."""
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, Term):
        return [node]
    return [t for item in node.items for t in terms(item)]


def _needs_value(field: str, pos: int) -> str:
    return (
        f"field {field}: at position {pos + 1} needs a value right after the colon,"
        f' like {field}:fraud or {field}:"naked chat"'
    )


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None:  # pragma: no cover - the word alternative matches anything else
            raise QuerySyntaxError(f"cannot read the query at position {pos + 1}")
        kind = m.lastgroup or "word"
        value = m.group(kind)
        start = m.start(kind)
        if kind == "bare":
            if value.lower() in FIELDS:
                raise QuerySyntaxError(_needs_value(value, start))
            kind, value = "word", value + ":"  # "Note: fraud" is the word "Note:", as before
        if kind == "badquote":
            raise QuerySyntaxError(
                f'unbalanced quotes: the " at position {start + 1} is never closed'
            )
        tokens.append((kind, value, start))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, int]], text: str) -> None:
        self.tokens = tokens
        self.i = 0
        self.text = text
        self.depth = 0

    def _enter(self, what: str, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError(
                f"the query nests too deeply: {what} at position {pos + 1} is level"
                f" {self.depth}; the most is {MAX_DEPTH} levels of parentheses and NOT"
            )

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def _is_op(self, name: str) -> bool:
        tok = self.peek()
        return tok is not None and tok[0] == "word" and tok[1] == name

    def expression(self) -> Node:
        items = [self.conjunction()]
        while self._is_op("OR"):
            op = self.take()
            if self.peek() is None or self.peek()[0] == "rparen":  # type: ignore[index]
                raise QuerySyntaxError(f"OR at position {op[2] + 1} has nothing after it")
            items.append(self.conjunction())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def conjunction(self) -> Node:
        items = [self.unary()]
        while True:
            tok = self.peek()
            if tok is None or tok[0] == "rparen" or self._is_op("OR"):
                break
            if self._is_op("AND"):
                op = self.take()
                nxt = self.peek()
                if nxt is None or nxt[0] == "rparen" or (nxt[0] == "word" and nxt[1] == "OR"):
                    raise QuerySyntaxError(f"AND at position {op[2] + 1} has nothing after it")
            items.append(self.unary())
        if all(isinstance(item, Not) for item in items):
            raise QuerySyntaxError(
                "a query cannot only exclude: add a word to search for before NOT or -"
            )
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise QuerySyntaxError("the query ends where a word was expected")
        kind, value, pos = tok
        if kind == "minus" or (kind == "word" and value == "NOT"):
            self.take()
            if self.peek() is None:
                raise QuerySyntaxError(f"{value} at position {pos + 1} has nothing after it")
            self._enter(repr(value), pos)
            node = Not(self.unary())
            self.depth -= 1
            return node
        return self.atom()

    def atom(self) -> Node:
        kind, value, pos = self.take()
        if kind == "lparen":
            if self.peek() is None:
                raise QuerySyntaxError(f"unbalanced parenthesis: '(' at position {pos + 1}")
            self._enter("'('", pos)
            node = self.expression()
            self.depth -= 1
            closing = self.peek()
            if closing is None or closing[0] != "rparen":
                raise QuerySyntaxError(
                    f"unbalanced parenthesis: '(' at position {pos + 1} is never closed"
                )
            self.take()
            return node
        if kind == "rparen":
            raise QuerySyntaxError(f"unbalanced parenthesis: ')' at position {pos + 1} has no '('")
        if kind == "field":
            name = value.lower()
            if name not in FIELDS:
                raise QuerySyntaxError(
                    f"unknown field {value!r} at position {pos + 1}; fields are {', '.join(FIELDS)}"
                )
            nxt = self.peek()
            if nxt is None or nxt[0] not in ("word", "phrase"):
                raise QuerySyntaxError(_needs_value(value, pos))
            node = self.atom()
            assert isinstance(node, Term)
            return Term(node.text, name, node.phrase, node.prefix)
        if kind == "phrase":
            inner = value[1:-1].strip()
            if not inner:
                raise QuerySyntaxError(f'empty phrase "" at position {pos + 1}')
            return Term(inner, phrase=True)
        if kind == "word" and value in _OPERATORS:
            raise QuerySyntaxError(f"{value} at position {pos + 1} needs a word before it")
        prefix = value.endswith("*") and len(value) > 1
        word = value.rstrip("*") if prefix else value
        if not any(ch.isalnum() for ch in word):
            raise QuerySyntaxError(f"{value!r} at position {pos + 1} has no letters or digits")
        return Term(word, prefix=prefix)


#: Words in a row a query may give as one campaign's name ("Clean Internet 2021" unquoted).
MAX_NAME_WORDS = 6


def _plain_word(node: Node) -> bool:
    return isinstance(node, Term) and node.field is None and not node.phrase and not node.prefix


def campaign_candidates(node: Node | None) -> list[tuple[str, bool]]:
    """Texts of a query that may be a campaign's name, each with whether it was given
    explicitly as one: a `"phrase"` or a `campaign:` value is explicit; a plain word, or plain
    words in a row (up to `MAX_NAME_WORDS`), are not. Terms under NOT are left out."""
    out: list[tuple[str, bool]] = []
    stack: list[Node] = [node] if node is not None else []
    while stack:
        item = stack.pop()
        if isinstance(item, Term):
            if not item.prefix and item.field in (None, "campaign"):
                out.append((item.text, item.phrase or item.field == "campaign"))
        elif isinstance(item, Or):
            stack.extend(item.items)
        elif isinstance(item, And):
            stack.extend(item.items)
            for start, end in _word_runs(item.items):
                out.append((" ".join(t.text for t in item.items[start:end]), False))  # type: ignore[union-attr]
    return out


def _named(canonical: tuple[str, ...]) -> tuple[Term, ...]:
    return tuple(Term(name, field="campaign", phrase=True) for name in canonical)


def _word_runs(items: tuple[Node, ...]) -> list[tuple[int, int]]:
    """Every span of two or more plain words in a row (at most MAX_NAME_WORDS of them)."""
    spans = []
    for start in range(len(items)):
        end = start
        while end < len(items) and end - start < MAX_NAME_WORDS and _plain_word(items[end]):
            end += 1
            if end - start >= 2:
                spans.append((start, end))
    return spans


def with_campaigns(node: Node | None, named: Mapping[str, tuple[str, ...]]) -> Node | None:
    """`node` where each text that `named` reads as a campaign's name (text -> canonical names)
    also matches the articles tagged with that campaign: `净网2021` becomes
    `净网2021 OR campaign:"Clean Internet 2021"`. Plain words in a row that together are a name
    are taken as one, longest first."""
    if node is None or not named:
        return node
    if isinstance(node, Term):
        canonical = named.get(node.text)
        if not canonical or node.prefix or node.field not in (None, "campaign"):
            return node
        return Or((node, *_named(canonical)))
    if isinstance(node, Or):
        return Or(tuple(with_campaigns(i, named) for i in node.items))  # type: ignore[misc]
    if isinstance(node, Not):
        return node  # excluding 净网2021 excludes the words, as written
    items: list[Node] = []
    i = 0
    while i < len(node.items):
        for end in range(min(len(node.items), i + MAX_NAME_WORDS), i + 1, -1):
            run = node.items[i:end]
            if all(_plain_word(t) for t in run):
                text = " ".join(t.text for t in run)  # type: ignore[union-attr]
                if named.get(text):
                    items.append(Or((And(run), *_named(named[text]))))
                    i = end
                    break
        else:
            items.append(with_campaigns(node.items[i], named))  # type: ignore[arg-type]
            i += 1
    return items[0] if len(items) == 1 else And(tuple(items))
