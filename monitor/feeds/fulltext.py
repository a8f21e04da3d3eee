"""Full text of an article page, fetched (or rendered in the browser) under its own
concurrency limit and timeout; the main text is found by trafilatura.

A failure never loses the entry: the caller keeps the summary and records the reason.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
import trafilatura

from monitor.feeds.encoding import decode
from monitor.feeds.fetch import FetchError, FetchResult, fetch
from monitor.feeds.transport import Reach

if TYPE_CHECKING:
    from monitor.feeds.browser import BrowserPool

_MIN_CHARS = 40  # shorter "main text" is a cookie notice or a menu, not the article


@dataclass(frozen=True, slots=True)
class FullText:
    text: str
    error: str = ""  # why there is no text, in plain words


class FullTextFetcher:
    def __init__(
        self, client: httpx.Client, *, concurrency: int, timeout: float, max_bytes: int
    ) -> None:
        self._client = client
        self._slots = threading.BoundedSemaphore(concurrency)
        self._timeout = timeout
        self._max_bytes = max_bytes

    def get(
        self, url: str, reach: Reach | None = None, *, browser: BrowserPool | None = None
    ) -> FullText:
        """The main text of the page at `url`, a link a feed gave.

        `reach` says which non-public addresses the link may lead to (default: none), checked
        on the address each host resolves to, at every redirect. With `browser`, the page is
        loaded in it (a source with `render = "browser"`) instead of by the plain client.
        """
        if not url:
            return FullText("", "the entry has no link to fetch")
        started = time.monotonic()
        if not self._slots.acquire(timeout=self._timeout):
            return FullText("", "no full-text slot became free in time")
        try:
            remaining = max(1.0, self._timeout - (time.monotonic() - started))
            result: FetchResult
            if browser is not None:
                # The browser's own timeout applies: a challenge takes a page load or two.
                result = browser.load(url, reach=reach or Reach(), max_bytes=self._max_bytes)
            else:
                result = fetch(
                    self._client,
                    url,
                    max_bytes=self._max_bytes,
                    timeout=remaining,
                    accept="text/html, application/xhtml+xml, */*;q=0.5",
                    reach=reach or Reach(),
                )
        except FetchError as exc:
            return FullText("", f"the article page could not be fetched: {exc}")
        finally:
            self._slots.release()
        return extract_main_text(result.content, result.content_type, result.url)


def extract_main_text(content: bytes, content_type: str, url: str) -> FullText:
    decoded = decode(content, content_type)
    try:
        text = trafilatura.extract(
            decoded.text, url=url, include_comments=False, include_tables=True, favor_precision=True
        )
    except Exception as exc:  # trafilatura raises whatever lxml does on odd markup
        return FullText("", f"the main text could not be extracted ({type(exc).__name__})")
    text = (text or "").strip()
    if len(text) < _MIN_CHARS:
        return FullText("", "the article page has no recognisable main text")
    return FullText(text)
