"""Reading article files for `monitor ingest` and `monitor extract`: plain text (first line
title, rest body) or JSON lines of articles. Each file yields articles with stable ids, so
ingesting the same files again re-indexes them rather than adding copies.

A file that cannot be read raises `IngestError`; in JSON lines each bad line is refused on
its own (an `Entry` without an article, saying why) and the lines after it are still read.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote_from_bytes

from pydantic import ValidationError

from monitor.errors import MonitorError
from monitor.extract.text import detect_lang
from monitor.models import Article, article_id, content_hash

JSON_LINES = (".jsonl", ".ndjson", ".json")
_SNIFF = 8192  # bytes looked at to tell a binary file from text


class IngestError(MonitorError, ValueError):
    """A file that cannot be read as articles; the message names the file."""


@dataclass(frozen=True)
class Entry:
    """One article read from `where` ("file" or "file:line"), or why it was refused."""

    where: str
    article: Article | None = None
    refused: str = ""


def check_file(path: Path) -> None:
    """Raise `IngestError` saying in plain words why `path` is not a readable file."""
    if path.is_dir():
        raise IngestError(f"{path}: is a directory, not a file (give the files in it)")
    if not path.exists():
        raise IngestError(f"{path}: no such file")
    if not path.is_file():
        raise IngestError(f"{path}: not a regular file")


def _read_file(path: Path) -> tuple[bytes, float]:
    """The bytes of `path` and when it was last changed, from one opening of it: `check_file`
    runs only to say why a path could not be read. Opened without blocking, so that a pipe is
    refused rather than waited on."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        check_file(path)
        raise IngestError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            check_file(path)  # a directory
            raise IngestError(f"{path}: not a regular file")
        chunks = [os.read(fd, info.st_size + 1)]  # one read for a file that does not grow
        while chunks[-1]:
            chunks.append(os.read(fd, 1 << 16))
        return b"".join(chunks), info.st_mtime
    except OSError as exc:
        raise IngestError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def read_text(path: Path, *, source: str = "ingest") -> Article:
    """The article in a text file; GBK/GB18030 files (common for Chinese pages) are read too."""
    raw, changed = _read_file(path)
    if b"\x00" in raw[:_SNIFF]:
        raise IngestError(f"{path}: a binary file, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    text = text.strip()
    if not text:
        raise IngestError(f"{path}: empty file")
    title, _, body = text.partition("\n")
    title, body = title.strip(), body.strip()
    url = _file_uri(path)
    return Article(
        id=article_id(url),
        feed_id="ingest",
        source=source,
        url=url,
        guid=path.name,
        title=title,
        body=body,
        lang=detect_lang(text),  # type: ignore[arg-type]
        published_at=datetime.fromtimestamp(changed, UTC),
        content_hash=content_hash(title, "", body),
    )


@lru_cache(maxsize=256)
def _folder_uri(folder: str) -> str:
    return Path(folder).resolve().as_uri().rstrip("/") + "/"


def _file_uri(path: Path) -> str:
    """`path.resolve().as_uri()`, the folder's part looked up once for all the files read from
    it (an article's id is made from it, so a file read through a link is the file linked to)."""
    if ".." in path.parts or os.path.islink(path):
        return path.resolve().as_uri()  # ".." after a link leads where the link does, not back
    folder, name = os.path.split(os.path.abspath(path))
    return _folder_uri(folder) + quote_from_bytes(os.fsencode(name))


def read_jsonl(path: Path, *, source: str = "ingest") -> Iterator[Entry]:
    """Every line of `path`: an article, or the reason it was refused."""
    raw, _ = _read_file(path)
    if b"\x00" in raw[:_SNIFF]:
        raise IngestError(f"{path}: a binary file, not JSON lines")
    for number, line in enumerate(raw.removeprefix(b"\xef\xbb\xbf").split(b"\n"), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            yield Entry(where, article=_article(line, path, number, source))
        except ValueError as exc:
            yield Entry(where, refused=str(exc))


def _article(line: bytes, path: Path, number: int, source: str) -> Article:
    try:
        data = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg}, column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    for field in ("id", "url", "feed_id", "guid", "title", "summary", "body"):
        if data.get(field) is not None and not isinstance(data[field], str):
            raise ValueError(f"field {field!r}: must be a string")
    if not any(data.get(field) for field in ("title", "summary", "body")):
        raise ValueError("no title, summary or body")
    if not data.get("id"):
        data["id"] = article_id(
            data.get("url"),
            data.get("feed_id") or "ingest",
            data.get("guid") or f"{path.name}:{number}",
        )
    data.setdefault("source", source)
    if "lang" not in data:
        data["lang"] = detect_lang(f"{data.get('title') or ''} {data.get('body') or ''}")
    try:
        return Article.model_validate(data).with_hash()
    except ValidationError as exc:
        raise ValueError(_fields(exc)) from None


def _fields(exc: ValidationError) -> str:
    """Pydantic's errors on one line: "field 'lang': Input should be 'en' or 'zh'"."""
    parts: list[str] = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"])
        message: Any = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
        parts.append(f"field {field!r}: {str(message).removeprefix('Value error, ')}")
    return "; ".join(parts)


def read_articles(path: Path, *, source: str = "ingest") -> Iterator[Entry]:
    """The entries of a JSON-lines file, or the one article of a text file."""
    if path.suffix in JSON_LINES:
        yield from read_jsonl(path, source=source)
    else:
        yield Entry(str(path), article=read_text(path, source=source))
