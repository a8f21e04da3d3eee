"""Reading article files for `monitor ingest`: plain text (first line title, rest body) or
JSON lines of articles. Each file yields articles with stable ids, so ingesting the same
files again re-indexes them rather than adding copies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from monitor.extract.text import detect_lang
from monitor.models import Article, article_id


class IngestError(ValueError):
    """A file or line that is not an article; the message names the file and line."""


def read_text(path: Path, *, source: str = "ingest") -> Article:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    text = text.replace("\r\n", "\n").strip()
    title, _, body = text.partition("\n")
    url = path.resolve().as_uri()
    return Article(
        id=article_id(url),
        feed_id="ingest",
        source=source,
        url=url,
        guid=path.name,
        title=title.strip(),
        body=body.strip(),
        lang=detect_lang(text),  # type: ignore[arg-type]
        published_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
    ).with_hash()


def read_jsonl(path: Path, *, source: str = "ingest") -> Iterator[Article]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                if not isinstance(data, dict):
                    raise ValueError("a line must be a JSON object")
                if not data.get("id"):
                    data["id"] = article_id(
                        data.get("url"),
                        data.get("feed_id", "ingest"),
                        data.get("guid") or f"{path.name}:{number}",
                    )
                data.setdefault("source", source)
                if "lang" not in data:
                    data["lang"] = detect_lang(f"{data.get('title', '')} {data.get('body', '')}")
                yield Article.model_validate(data).with_hash()
            except (ValueError, ValidationError) as exc:
                raise IngestError(f"{path}, line {number}: {exc}") from None


def read_articles(path: Path, *, source: str = "ingest") -> Iterator[Article]:
    if path.suffix in (".jsonl", ".ndjson", ".json"):
        yield from read_jsonl(path, source=source)
    else:
        yield read_text(path, source=source)
