"""`monitor feeds verify`: every source polled once as the poller would, with nothing written.

Each source is polled twice at most, both as dry runs against a scratch state store (so the
real one is neither read nor written, and every entry counts as new): once without full
text, to count the entries and find the newest, then, when the source's `fulltext` setting
would fetch the newest entry's page, once more with only that entry left unseen, so exactly
one article page is fetched (in the browser for a `render = "browser"` source).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

from monitor.errors import TransientError
from monitor.feeds.fetch import make_client
from monitor.feeds.fulltext import FullTextFetcher
from monitor.feeds.source_poll import Outcome, SourcePoller
from monitor.feeds.sources import PollerLimits, Source
from monitor.feeds.state import Seen, SourceState
from monitor.models import Article

FullTextStatus = Literal["fetched", "failed", "in_feed", "off", "no_link", "no_entries"]


@dataclass(frozen=True, slots=True)
class Verified:
    """What one source gave when polled now."""

    source: Source
    ok: bool
    error: str = ""  # why the poll failed, in plain words
    entries: int = 0
    newest: datetime | None = None  # the newest entry's date; None when no entry is dated
    newest_title: str = ""
    full_text: FullTextStatus = "no_entries"
    full_text_chars: int = 0
    full_text_error: str = ""
    problems: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def browser(self) -> bool:
        return self.source.render == "browser"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.source.id,
            "name": self.source.name,
            "url": self.source.url,
            "kind": self.source.kind,
            "render": self.source.render,
            "browser": self.browser,
            "enabled": self.source.enabled,
            "ok": self.ok,
            "error": self.error or None,
            "entries": self.entries,
            "newest": self.newest.isoformat() if self.newest else None,
            "newest_title": self.newest_title or None,
            "full_text": self.full_text,
            "full_text_chars": self.full_text_chars,
            "full_text_error": self.full_text_error or None,
            "problems": list(self.problems),
            "seconds": round(self.seconds, 2),
        }


@dataclass
class ScratchStore:
    """A state store that holds nothing and writes nothing: every source is new to it.

    `only(source_id, article_id)` makes every other entry of that source look like another
    source's article, which the poller skips, so its next dry run builds just that one.
    """

    _only: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def only(self, source_id: str, article_id: str | None) -> None:
        with self._lock:
            if article_id is None:
                self._only.pop(source_id, None)
            else:
                self._only[source_id] = article_id

    def load(self, source_id: str) -> SourceState:
        return SourceState(source_id)

    def all(self) -> dict[str, SourceState]:
        return {}

    def seen(self, feed_id: str, article_ids: Sequence[str]) -> dict[str, Seen]:
        with self._lock:
            keep = self._only.get(feed_id)
        return {aid: Seen(None, keep is not None and aid != keep) for aid in article_ids}

    def record(self, state: SourceState, seen: Iterable[tuple[str, str]]) -> None:
        raise AssertionError("a verification never records")  # pragma: no cover

    def close(self) -> None:
        pass


def _dated(article: Article) -> bool:
    # the poller dates an undated entry with the time it was fetched
    return article.published_at is not None and article.published_at != article.fetched_at


def _newest(articles: Sequence[Article]) -> tuple[Article | None, datetime | None]:
    dated = [a for a in articles if _dated(a)]
    if dated:
        best = max(dated, key=lambda a: a.published_at or a.fetched_at)
        return best, best.published_at
    return (articles[0] if articles else None), None


class Verifier:
    """Polls sources concurrently within the poller's limits; `close()` ends its browser."""

    def __init__(self, limits: PollerLimits) -> None:
        self._limits = limits
        self._store = ScratchStore()
        self._stop = threading.Event()
        self._client = make_client(
            limits.user_agent,
            limits.timeout,
            limits.max_concurrent * 2,
            limits.max_redirects,
            cancel=self._stop,
        )
        self._poller = SourcePoller(
            client=self._client,
            store=self._store,
            producer=None,
            limits=limits,
            stopping=self._stop,
            fulltext=FullTextFetcher(
                self._client,
                concurrency=limits.fulltext_concurrency,
                timeout=limits.fulltext_timeout,
                max_bytes=limits.max_bytes,
            ),
        )

    def close(self) -> None:
        self._poller.close()
        self._client.close()

    def run(
        self, sources: Sequence[Source], done: Callable[[Verified], None] | None = None
    ) -> Iterable[Verified]:
        """Results in the order of `sources`, each as soon as it and those before it are done;
        `done` is called (from a worker thread) as each source finishes, in any order."""
        pool = ThreadPoolExecutor(
            max_workers=max(1, min(self._limits.max_concurrent, len(sources))),
            thread_name_prefix="verify",
        )
        try:
            futures = [pool.submit(self.verify, s) for s in sources]
            if done is not None:
                for f in futures:
                    f.add_done_callback(lambda f: f.cancelled() or done(f.result()))
            for f in futures:
                yield f.result()
        except BaseException:  # Ctrl+C: cut off the fetches in flight instead of awaiting them
            self._stop.set()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def verify(self, source: Source) -> Verified:
        started = time.monotonic()
        try:
            result = self._verify(source)
        except TransientError as exc:  # cannot come from the scratch store; kept honest
            result = Verified(source, ok=False, error=str(exc))
        return replace(result, seconds=time.monotonic() - started)

    def _verify(self, source: Source) -> Verified:
        listing = self._poller.poll(source.model_copy(update={"fulltext": "never"}), dry_run=True)
        if listing.status == "failed":
            return Verified(source, ok=False, error=listing.error)
        if listing.status == "stopped":
            return Verified(source, ok=False, error="stopped before the poll was done")
        newest, when = _newest(listing.articles)
        base = Verified(
            source,
            ok=True,
            entries=listing.entries,
            newest=when,
            newest_title=newest.title if newest else "",
            problems=listing.problems,
        )
        if newest is None:
            return base
        if source.fulltext == "never":
            return _with(base, "off")
        if source.fulltext == "auto" and newest.body:
            return _with(base, "in_feed", chars=len(newest.body))
        if not newest.url:
            return _with(base, "no_link", error="the entry has no link to fetch")
        return self._full_text(source, newest, base)

    def _full_text(self, source: Source, newest: Article, base: Verified) -> Verified:
        self._store.only(source.id, newest.id)
        try:
            again: Outcome = self._poller.poll(source, dry_run=True)
        finally:
            self._store.only(source.id, None)
        if again.status == "failed":
            return _with(base, "failed", error=f"the list could not be read again: {again.error}")
        article = next((a for a in again.articles if a.id == newest.id), None)
        if article is None:
            return _with(base, "failed", error="the newest entry was gone on a second look")
        prefix = f"full text of {newest.url}: "
        for problem in again.problems:
            if problem.startswith(prefix):
                reason = problem.removeprefix(prefix).removesuffix("; the summary was kept")
                return _with(base, "failed", error=reason)
        return _with(base, "fetched", chars=len(article.body))


def _with(base: Verified, status: FullTextStatus, *, chars: int = 0, error: str = "") -> Verified:
    return replace(base, full_text=status, full_text_chars=chars, full_text_error=error)
