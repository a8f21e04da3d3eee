"""One poll of one source: fetch, parse, identify, dedupe, full text, produce, flush, then record.

Seen ids and validators are recorded only after the bus flushed, so a crash in between
re-emits (absorbed by the idempotent index) and never loses an article.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

import httpx
from loguru import logger

from monitor.bus.base import RAW, Producer
from monitor.errors import MonitorError, TransientError
from monitor.feeds import schedule
from monitor.feeds.browser import BrowserPool
from monitor.feeds.encoding import decode
from monitor.feeds.fetch import FetchError, FetchResult, HostLimiter, fetch
from monitor.feeds.fulltext import FullTextFetcher
from monitor.feeds.html_list import parse_list_page
from monitor.feeds.identity import entry_id, fallback_guid
from monitor.feeds.parse import Entry, NotAFeed, parse_feed
from monitor.feeds.sources import PollerLimits, Source
from monitor.feeds.state import SourceState, StateStore
from monitor.feeds.transport import Reach
from monitor.models import Article

_log = logger.bind(stage="poll")

Status = Literal["new", "unchanged", "not_modified", "failed", "stopped"]
_FUTURE_SLACK = timedelta(hours=1)  # clocks and time zones disagree by less than this


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one poll of one source did, as `feeds list`, `feeds check` and the report show it."""

    source_id: str
    status: Status
    emitted: int = 0  # articles produced (new and changed)
    changed: int = 0  # of those, re-emitted because their content changed
    duplicates: int = 0  # entries another source had already emitted
    entries: int = 0  # entries the feed or page held
    error: str = ""
    problems: tuple[str, ...] = ()
    next_poll: float | None = None
    encoding: str = ""
    articles: tuple[Article, ...] = field(default=(), repr=False)  # filled on dry runs


@dataclass(frozen=True, slots=True)
class _Candidate:
    entry: Entry
    guid: str
    id: str
    hash: str
    published: datetime | None


class SourcePoller:
    """Polls sources one at a time; safe to call from many threads at once."""

    def __init__(
        self,
        *,
        client: httpx.Client,
        fulltext: FullTextFetcher,
        store: StateStore,
        producer: Producer | None,
        limits: PollerLimits,
        hosts: HostLimiter | None = None,
        stopping: threading.Event | None = None,
        browser: BrowserPool | None = None,
    ) -> None:
        """`browser` loads the pages of `render = "browser"` sources; without one, a pool
        with the limits' browser settings is made, and started only when such a source
        is polled. `close()` ends it."""
        self._client = client
        self._fulltext = fulltext
        self._store = store
        self._producer = producer
        self._limits = limits
        self._hosts = hosts or HostLimiter(limits.per_host)
        self._stopping = stopping or threading.Event()
        self._ledger = threading.Lock()
        self._browser = browser or BrowserPool(
            path=limits.browser_path,
            concurrency=limits.browser_concurrency,
            timeout=limits.browser_timeout,
            memory_mb=limits.browser_memory_mb,
            max_redirects=limits.max_redirects,
            stopping=self._stopping,
        )

    def close(self) -> None:
        """End the browser, if one was started; polls still running fail as cancelled."""
        self._browser.close()

    def poll(self, source: Source, *, dry_run: bool = False) -> Outcome:
        """Poll `source` once; on a dry run nothing is produced or recorded.

        Raises only `TransientError` from the state store; anything the source's bytes
        provoke is recorded on the source as a failure.
        """
        now = time.time()
        state = self._store.load(source.id)
        try:
            return self._poll(source, state, now, dry_run)
        except TransientError:
            raise
        except MonitorError as exc:
            return self._failed(source, state, now, "config", str(exc), dry_run)
        except Exception as exc:  # a parser crash on odd bytes, or a bug of ours
            _log.bind(feed=source.id).opt(exception=True).error("poll of {} crashed", source.id)
            return self._failed(
                source,
                state,
                now,
                "internal",
                f"internal error while reading the source: {type(exc).__name__}: {exc}",
                dry_run,
            )

    def _poll(self, source: Source, state: SourceState, now: float, dry_run: bool) -> Outcome:
        log = _log.bind(feed=source.id)
        try:
            # A dry run shows what the source holds now, so it asks unconditionally.
            with self._hosts.slot(source.url):
                result = (
                    self._render(source)
                    if source.render == "browser"
                    else fetch(
                        self._client,
                        source.url,
                        max_bytes=self._limits.max_bytes,
                        etag=None if dry_run else state.etag,
                        last_modified=None if dry_run else state.last_modified,
                        reach=Reach.of_url(source.url, allow_private=source.allow_private),
                    )
                )
        except FetchError as exc:
            if exc.kind == "cancelled":  # the monitor is stopping; the source did nothing wrong
                return Outcome(source.id, "stopped")
            return self._failed(
                source,
                state,
                now,
                exc.kind,
                str(exc),
                dry_run,
                retry_after=exc.retry_after,
                gone=exc.kind == "gone",
            )
        body_hash = hashlib.sha256(result.content).hexdigest()[:32]
        if result.not_modified or (body_hash == state.body_hash and not dry_run):
            return self._unchanged(source, state, now, result, dry_run)
        decoded = decode(result.content, result.content_type)
        problems: list[str] = []
        if decoded.declared:
            problems.append(
                f"declared {decoded.declared} but is {decoded.encoding} "
                f"(read as {decoded.encoding})"
            )
        floor = None
        try:
            if source.kind == "html":
                assert source.selectors is not None
                entries = parse_list_page(
                    decoded.text, result.url, source.selectors, source.timezone
                )
            else:
                parsed = parse_feed(decoded, result.url, result.content_type, source.timezone)
                entries, floor = parsed.entries, parsed.min_interval
                problems += parsed.problems
        except NotAFeed as exc:
            return self._failed(source, state, now, "not_a_feed", str(exc), dry_run)
        candidates = self._candidates(source, entries, now, problems)
        fresh, _, _ = self._classify(source.id, candidates)
        # A feed's links may lead to the address it was served from, not to another host of
        # a network only the monitor sees (see `Reach`).
        links = Reach(
            own=frozenset({result.address} if result.address else ()),
            allow_private=source.allow_private,
        )
        # Full text is fetched outside the ledger lock: it is the slow part.
        built = {c.id: self._article(source, c, now, problems, links) for c in fresh}
        if self._stopping.is_set() and not dry_run:
            return Outcome(source.id, "stopped", entries=len(entries))
        pub_times = schedule.remember_publications(
            state.pub_times, [c.published.timestamp() for c in candidates if c.published], now
        )
        delay = schedule.success_delay(
            source, self._limits, pub_times, now, (floor, result.max_age)
        )
        next_poll = now + schedule.jittered(delay, 0 if dry_run else self._limits.jitter)
        # One source at a time from the second look at the ledger to the record, so two
        # feeds carrying the same article cannot both find it unseen and both emit it.
        with self._ledger:
            fresh, changed, duplicates = self._classify(source.id, candidates)
            articles = [built[c.id] for c in fresh if c.id in built]
            outcome = Outcome(
                source.id,
                "new" if articles else "unchanged",
                len(articles),
                changed,
                len(duplicates),
                len(entries),
                "",
                tuple(problems),
                next_poll,
                decoded.encoding,
                tuple(articles) if dry_run else (),
            )
            if dry_run:
                return outcome
            if articles:
                try:
                    self._emit(articles)
                except TransientError as exc:
                    return self._failed(
                        source,
                        state,
                        now,
                        "bus",
                        f"the bus did not take the articles: {exc}",
                        False,
                    )
            new_state = state.evolve(
                etag=result.etag,
                last_modified=result.last_modified,
                body_hash=body_hash,
                last_attempt=now,
                last_success=now,
                last_error="",
                error_kind="",
                failures=0,
                next_poll=next_poll,
                interval=delay,
                items=state.items + len(articles),
                # news is news to this feed even when another feed carried it first
                last_new=now if articles or duplicates else state.last_new,
                notes="; ".join(problems),
                pub_times=pub_times,
            )
            emitted = [(c.id, c.hash) for c in fresh if c.id in built]
            self._store.record(new_state, emitted + [(c.id, c.hash) for c in duplicates])
        if articles or problems:
            # Per source, so DEBUG; the poller logs one summary a minute. Problems stand out.
            log.log(
                "INFO" if problems else "DEBUG",
                "polled {}: emitted={} changed={} duplicates={} entries={} problems={}",
                source.id,
                len(articles),
                changed,
                len(duplicates),
                len(entries),
                len(problems),
            )
        return outcome

    def _classify(
        self, feed_id: str, candidates: list[_Candidate]
    ) -> tuple[list[_Candidate], int, list[_Candidate]]:
        """(to emit, how many of those changed, duplicates of another source's articles)."""
        seen = self._store.seen(feed_id, [c.id for c in candidates])
        fresh, changed, duplicates = [], 0, []
        for c in candidates:
            known = seen[c.id]
            if known.own_hash == c.hash:
                continue
            if known.own_hash is None and known.anywhere:
                duplicates.append(c)
                continue
            changed += known.own_hash is not None
            fresh.append(c)
        return fresh, changed, duplicates

    # -- steps -----------------------------------------------------------------------
    def _render(self, source: Source) -> FetchResult:
        """The list page as the browser rendered it, done when the item selector matches."""
        return self._browser.load(
            source.url,
            reach=Reach.of_url(source.url, allow_private=source.allow_private),
            max_bytes=self._limits.max_bytes,
            wait_for=source.selectors.item if source.selectors else "",
        )

    def _candidates(
        self, source: Source, entries: list[Entry], now: float, problems: list[str]
    ) -> list[_Candidate]:
        out: dict[str, _Candidate] = {}
        anonymous = empty = future = 0
        limit = datetime.fromtimestamp(now, UTC) + _FUTURE_SLACK
        for e in entries:
            if not (e.title or e.summary or e.content or e.link):
                empty += 1
                continue
            guid = e.guid
            if not e.link and not guid:
                anonymous += 1
                guid = fallback_guid(e.title, e.summary or e.content, e.raw_date)
            published = e.published
            if published and published > limit:
                future += 1
                published = None
            cid = entry_id(source.id, e.link, guid)
            digest = hashlib.sha256(
                "\x1f".join((e.title, e.summary, e.content, e.link)).encode("utf-8")
            ).hexdigest()[:32]
            out.setdefault(cid, _Candidate(e, guid, cid, digest, published))
        if empty:
            problems.append(f"{empty} entries had no title, text or link and were skipped")
        if anonymous:
            problems.append(
                f"{anonymous} entries had neither link nor GUID; "
                "they are identified by their title and text"
            )
        if future:
            problems.append(
                f"{future} entries were dated in the future; "
                "their date was replaced by the time they were fetched"
            )
        return list(out.values())

    def _article(
        self, source: Source, c: _Candidate, now: float, problems: list[str], links: Reach
    ) -> Article:
        e = c.entry
        body = e.content
        wants = source.fulltext == "always" or (source.fulltext == "auto" and not e.content)
        if wants and e.link and not self._stopping.is_set():
            with self._hosts.slot(e.link):
                got = self._fulltext.get(
                    e.link, links, browser=self._browser if source.render == "browser" else None
                )
            if got.text:
                body = got.text
            else:
                problems.append(f"full text of {e.link}: {got.error}; the summary was kept")
        fetched = datetime.fromtimestamp(now, UTC)
        return Article(
            id=c.id,
            feed_id=source.id,
            source=source.name,
            url=e.link,
            guid=c.guid,
            title=e.title,
            summary=e.summary,
            body=body,
            lang=_language(source.lang, e.title + e.summary + body[:500]),
            published_at=c.published or fetched,
            fetched_at=fetched,
        ).with_hash()

    def _emit(self, articles: list[Article]) -> None:
        assert self._producer is not None
        for article in articles:
            self._producer.produce(RAW, article.to_json(), key=article.id)
        self._producer.flush()

    def _unchanged(
        self, source: Source, state: SourceState, now: float, result: FetchResult, dry_run: bool
    ) -> Outcome:
        delay = schedule.success_delay(
            source, self._limits, state.pub_times, now, (result.max_age,)
        )
        next_poll = now + schedule.jittered(delay, 0 if dry_run else self._limits.jitter)
        status: Status = "not_modified" if result.not_modified else "unchanged"
        if not dry_run:
            # Validators are kept from the response that last changed (see miniflux):
            # a 304 carries none worth keeping, an identical body may carry bogus ones.
            self._store.record(
                state.evolve(
                    last_attempt=now,
                    last_success=now,
                    last_error="",
                    error_kind="",
                    failures=0,
                    next_poll=next_poll,
                    interval=delay,
                ),
                [],
            )
        return Outcome(source.id, status, next_poll=next_poll)

    def _failed(
        self,
        source: Source,
        state: SourceState,
        now: float,
        kind: str,
        message: str,
        dry_run: bool,
        *,
        retry_after: float | None = None,
        gone: bool = False,
    ) -> Outcome:
        failures = state.failures + 1
        delay = schedule.failure_delay(
            source, self._limits, failures, retry_after=retry_after, gone=gone
        )
        next_poll = now + schedule.jittered(delay, 0 if dry_run else self._limits.jitter / 2)
        if not dry_run:
            self._store.record(
                state.evolve(
                    last_attempt=now,
                    last_error=message,
                    error_kind=kind,
                    failures=failures,
                    next_poll=next_poll,
                    interval=delay,
                ),
                [],
            )
            _log.bind(feed=source.id).warning(
                "poll of {} failed ({} in a row, next try in {:.0f} s): {}",
                source.id,
                failures,
                delay,
                message,
            )
        return Outcome(source.id, "failed", error=message, next_poll=next_poll)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _language(hint: str, sample: str) -> Literal["en", "zh"]:
    if hint in ("en", "zh"):
        return hint  # type: ignore[return-value]
    letters = sum(ch.isalpha() for ch in sample) or 1
    return "zh" if len(_CJK.findall(sample)) / letters > 0.2 else "en"
