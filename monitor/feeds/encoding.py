"""Turning feed and page bytes into text: HTTP header, XML prolog, meta tag, or detection.

Chinese sites often declare GB2312 and write GBK or GB18030, or send a header that
contradicts the document; the declarations are hints tried in turn, never trusted blindly.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_PROLOG = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)

# Decode with the superset the publisher almost certainly meant.
_WIDER = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "cp936": "gb18030",
    "big5": "big5hkscs",
    "cp950": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
}


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # the codec that decoded it
    how: str  # where the encoding came from, in plain words
    declared: str | None = None  # what the document or header claimed, when that was wrong


def _normal(name: str) -> str | None:
    try:
        codec = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return _WIDER.get(codec.replace("_", "-"), _WIDER.get(name.strip().lower(), codec))


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def declared_encodings(data: bytes, content_type: str | None) -> list[tuple[str, str]]:
    """(encoding, where) pairs the response claims, in the order they count."""
    found: list[tuple[str, str]] = []
    if content_type and (header := _HEADER.search(content_type)):
        found.append((header.group(1), "the HTTP header"))
    head = data[:2048]
    if prolog := _PROLOG.match(head):
        found.append((prolog.group(1).decode("ascii"), "the XML prolog"))
    if meta := _META.search(head):
        found.append((meta.group(1).decode("ascii"), "a meta tag"))
    return found


def decode(data: bytes, content_type: str | None = None) -> Decoded:
    """The text of a feed or page; never raises, replacing only what no codec can read."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(codec, errors="replace"), codec, "a byte-order mark")
    declared = declared_encodings(data, content_type)
    # Strict UTF-8 on GBK or Big5 bytes fails within a few characters, so a success is
    # trustworthy even when a header claims otherwise.
    if (utf8 := _try(data, "utf-8")) is not None:
        claims = [name for name, _ in declared if _normal(name) not in ("utf-8", None)]
        how = next((w for n, w in declared if _normal(n) == "utf-8"), "the bytes (valid UTF-8)")
        return Decoded(utf8, "utf-8", how, claims[0] if claims and not utf8.isascii() else None)
    for name, where in declared:
        named = _normal(name)
        if named and named != "utf-8" and (read := _try(data, named)) is not None:
            return Decoded(read, named, where)
    best = from_bytes(data[:65536]).best()
    wrong = declared[0][0] if declared else None
    if best is not None and best.encoding:
        detected = _normal(best.encoding) or best.encoding
        if (guessed := _try(data, detected)) is not None:
            return Decoded(guessed, detected, "detection from the bytes", wrong)
    # Mostly-Chinese sources: GB18030 reads any byte sequence, replacing only the odd byte.
    return Decoded(
        data.decode("gb18030", errors="replace"),
        "gb18030",
        "a fallback (no declaration decoded the bytes)",
        wrong,
    )


def as_utf8_xml(decoded: Decoded) -> bytes:
    """The feed re-encoded as UTF-8 with its prolog saying so, for the XML parser."""
    text = decoded.text.lstrip("\ufeff")
    text = re.sub(
        r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""", r'\1"utf-8"', text, count=1
    )
    return text.encode("utf-8")
