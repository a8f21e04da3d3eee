"""Every article a search matches, streamed as CSV or JSON lines: one batch of the index's
matches at a time, so an export of 100,000 articles holds no more than one batch in memory."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from monitor.index.base import Match
from monitor.web.figures import cell, number

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}
COLUMNS = ("id", "url", "title", "source", "source_id", "published", "lang", "campaigns", "figures")


def figure_text(figure: dict[str, Any]) -> str:
    """A figure in a few words: `arrested 17000 people`, `cases_solved more_than 6000 cases`,
    `arrested 1200 people in Jiangsu`."""
    words = [str(figure.get("measure", ""))]
    if figure.get("approx") not in (None, "", "exact"):
        words.append(str(figure["approx"]))
    words += [number(float(figure.get("value", 0))), str(figure.get("unit", ""))]
    if figure.get("region"):
        words += ["in", str(figure["region"])]
    return " ".join(w for w in words if w)


def _row(match: Match) -> dict[str, Any]:
    return {
        "id": match.id,
        "url": match.url,
        "title": match.title,
        "source": match.source,
        "source_id": match.source_id,
        "published": match.published,
        "lang": match.lang,
        "campaigns": list(match.campaigns),
        "figures": [figure_text(f) for f in match.figures],
    }


def as_csv(batches: Iterable[list[Match]]) -> Iterator[str]:
    """A header, then one chunk of rows per batch; UTF-8 with a byte-order mark (spreadsheets
    read the Chinese), every text cell safe from being read as a formula; lists joined by '; '."""
    yield "\ufeff" + ",".join(COLUMNS) + "\r\n"
    for batch in batches:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        for match in batch:
            row = _row(match)
            writer.writerow(
                [
                    cell("; ".join(v) if isinstance(v, list) else v)
                    for v in (row[c] for c in COLUMNS)
                ]
            )
        yield buf.getvalue()


def as_jsonl(batches: Iterable[list[Match]]) -> Iterator[str]:
    """One JSON object per article and line; campaigns and figures are lists."""
    for batch in batches:
        yield "".join(json.dumps(_row(m), ensure_ascii=False) + "\n" for m in batch)


def primed(batches: Iterator[list[Match]]) -> Iterator[list[Match]]:
    """`batches` with its first batch read now, so a query the index refuses fails before a
    response has started (and can still be a 400)."""
    first = next(batches, None)

    def chain() -> Iterator[list[Match]]:
        if first is not None:
            yield first
            yield from batches

    return chain()
