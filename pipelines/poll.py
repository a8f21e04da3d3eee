"""The poll stage: one APScheduler job per source, feeding new and changed articles
to `announcements.raw`.

Lifecycle: `start()` schedules every source (the first poll at once) and returns;
`stop()` asks, and cuts off the fetches in flight (a poll cut off by a stop is not a
failure of its source: it records nothing and is done again at the next start);
`close()` waits for the polls to end, flushes the producer and closes the state store
last. With feed-health alerts (`build_poller` makes them when there are recipients), one
more job checks every source's health every `check_every` seconds.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime

from apscheduler.executors.pool import ThreadPoolExecutor as SchedulerPool
from apscheduler.schedulers.background import BackgroundScheduler
from loguru import logger

from monitor import metrics
from monitor.alerts.smtp import Mailer, SmtpServer
from monitor.bus.base import Producer
from monitor.errors import MonitorError
from monitor.feeds.fetch import HostLimiter, make_client
from monitor.feeds.fulltext import FullTextFetcher
from monitor.feeds.source_poll import Outcome, SourcePoller
from monitor.feeds.sources import FeedsFile, Source, load_feeds
from monitor.feeds.state import STATE_FILE, SqliteStateStore, StateStore
from monitor.ops.feed_alerts import FeedHealthAlerts
from monitor.ops.health import FeedHealthConfig
from monitor.ops.store import OPS_FILE, OpsStore
from monitor.settings import Settings

log = logger.bind(stage="poll")

SUMMARY_EVERY = 60.0  # seconds between summary log lines of scheduled polls


@dataclass(frozen=True, slots=True)
class PollReport:
    """One round over the sources: what each did, and the totals."""

    outcomes: tuple[Outcome, ...] = ()
    seconds: float = 0.0
    by_source: dict[str, Outcome] = field(default_factory=dict, repr=False)

    @property
    def emitted(self) -> int:
        return sum(o.emitted for o in self.outcomes)

    @property
    def failed(self) -> int:
        return sum(o.status == "failed" for o in self.outcomes)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    def summary(self) -> str:
        # A window of scheduled polls can hold several polls of one source: both are counted.
        sources = len({o.source_id for o in self.outcomes})
        return (
            f"sources={sources} polls={len(self.outcomes)} emitted={self.emitted} "
            f"new={self.count('new')} unchanged={self.count('unchanged')} "
            f"not_modified={self.count('not_modified')} failed={self.failed} "
            f"took={self.seconds:.2f}s"
        )


class Poller:
    def __init__(
        self,
        feeds: FeedsFile,
        store: StateStore,
        producer: Producer,
        *,
        health: FeedHealthAlerts | None = None,
    ) -> None:
        limits = feeds.poller
        self.health = health  # checked on its own schedule, emails each change of state
        self.sources = {s.id: s for s in feeds.source if s.enabled}
        self._disabled = len(feeds.source) - len(self.sources)
        self.limits = limits
        self._store = store
        self._producer = producer
        self._stopping = threading.Event()
        self._client = make_client(
            limits.user_agent,
            limits.timeout,
            limits.max_concurrent + limits.fulltext_concurrency,
            limits.max_redirects,
            cancel=self._stopping,
        )
        fulltext = FullTextFetcher(
            self._client,
            concurrency=limits.fulltext_concurrency,
            timeout=limits.fulltext_timeout,
            max_bytes=limits.max_bytes,
        )
        self._source_poller = SourcePoller(
            client=self._client,
            fulltext=fulltext,
            store=store,
            producer=producer,
            limits=limits,
            hosts=HostLimiter(limits.per_host),
            stopping=self._stopping,
        )
        self._scheduler: BackgroundScheduler | None = None
        self._in_flight = 0
        self._cut_off: list[str] = []  # sources whose poll a stop interrupted
        self._window: list[Outcome] = []
        self._window_started = time.monotonic()
        # A scheduled job and poll_all() must not poll one source at the same time.
        self._source_locks = {sid: threading.Lock() for sid in self.sources}
        self._idle = threading.Condition()
        self._closed = False

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> None:
        """Schedule one job per source, each first run now (or after a recorded back-off)."""
        scheduler = BackgroundScheduler(
            executors={"default": SchedulerPool(self.limits.max_concurrent)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=UTC,
        )
        now = time.time()
        states = self._store.all()
        for source in self.sources.values():
            state = states.get(source.id)
            first = now
            if state and state.failures and state.next_poll and state.next_poll > now:
                first = state.next_poll  # a server's Retry-After survives a restart
            self._schedule(scheduler, source.id, first)
        if self.health is not None:
            scheduler.add_job(
                self._check_health,
                "interval",
                seconds=self.health.config.check_every,
                id="feed-health",
                name="feed-health",
                next_run_time=datetime.fromtimestamp(now, UTC),
            )
        scheduler.start()
        self._scheduler = scheduler
        log.info(
            "poller started with {} sources{}, at most {} fetches at a time",
            len(self.sources),
            f" ({self._disabled} disabled)" if self._disabled else "",
            self.limits.max_concurrent,
        )

    def poll_all(self) -> PollReport:
        """Poll every source once, now, with the same concurrency limits; block until done."""
        started = time.monotonic()
        outcomes: list[Outcome] = []
        with ThreadPoolExecutor(self.limits.max_concurrent, "poll") as pool:
            futures = [pool.submit(self._poll, s) for s in self.sources.values()]
            for future in as_completed(futures):
                outcomes.append(future.result())
        report = PollReport(
            tuple(outcomes), time.monotonic() - started, {o.source_id: o for o in outcomes}
        )
        log.info("poll round: {}", report.summary())
        return report

    def poll_one(self, source_id: str) -> Outcome:
        return self._poll(self.sources[source_id])

    def stop(self) -> None:
        """Ask the poller to stop: no new polls start; fetches in flight are cut off at once."""
        self._stopping.set()
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def close(self, timeout: float = 10.0) -> None:
        """Stop, wait up to `timeout` s for the polls to end, flush, then close the client,
        the browser, the feed-health store and, last, the state store the polls write to."""
        if self._closed:
            return
        self.stop()
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._in_flight and time.monotonic() < deadline:
                self._idle.wait(min(0.1, max(0.0, deadline - time.monotonic())))
            in_flight, cut_off = self._in_flight, sorted(set(self._cut_off))
        if cut_off:
            log.info(
                "stopping: the polls of {} in flight were cut off, not failed; "
                "they are done again at the next start",
                ", ".join(cut_off),
            )
        if in_flight:
            log.warning(
                "poller closing with {} polls still running; they will be redone on the next start",
                in_flight,
            )
        try:
            self._producer.flush()
        except MonitorError as exc:
            log.warning("could not flush the producer on close: {}", exc)
        self._client.close()
        self._source_poller.close()  # the browser, if a source needed one
        if self.health is not None:
            self.health.store.close()
        self._store.close()
        self._closed = True

    # -- jobs ------------------------------------------------------------------------
    def _schedule(self, scheduler: BackgroundScheduler, source_id: str, when: float) -> None:
        scheduler.add_job(
            self._run_job,
            "date",
            args=[source_id],
            id=source_id,
            name=source_id,
            replace_existing=True,
            run_date=datetime.fromtimestamp(when, UTC),
        )

    def _run_job(self, source_id: str) -> None:
        outcome = self._poll(self.sources[source_id])  # never raises: see _poll
        self._tally(outcome)
        scheduler = self._scheduler
        if self._stopping.is_set() or scheduler is None or not scheduler.running:
            return
        when = outcome.next_poll or time.time() + self.sources[source_id].interval
        try:
            self._schedule(scheduler, source_id, when)
        except Exception as exc:  # the scheduler shut down between the check and the add
            log.debug("not rescheduling {}: {}", source_id, exc)

    def _check_health(self) -> None:
        if self._stopping.is_set():
            return
        with self._idle:  # it reads the state store: close() waits for it as for a poll
            self._in_flight += 1
        try:
            self.health.check()  # type: ignore[union-attr]
        except Exception:  # the next check tries again; polling goes on regardless
            log.exception("feed-health check failed")
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def _tally(self, outcome: Outcome) -> None:
        """One summary line a minute for scheduled polls, not one per poll."""
        if outcome.status == "stopped":
            return  # said once, on close
        with self._idle:
            self._window.append(outcome)
            now = time.monotonic()
            if now - self._window_started < SUMMARY_EVERY:
                return
            window, self._window = PollReport(tuple(self._window)), []
            took, self._window_started = now - self._window_started, now
        log.info("polls in the last {:.0f} s: {}", took, window.summary().rsplit(" took", 1)[0])

    def _poll(self, source: Source) -> Outcome:
        if self._stopping.is_set():
            return Outcome(source.id, "stopped")
        with self._idle:
            self._in_flight += 1
        started = time.perf_counter()
        try:
            with self._source_locks[source.id]:
                outcome = self._source_poller.poll(source)
            _count(outcome, time.perf_counter() - started)
            if outcome.status == "stopped":
                with self._idle:
                    self._cut_off.append(source.id)
            return outcome
        except MonitorError as exc:
            # The state store or bus failed, not the source; the next poll retries.
            log.bind(feed=source.id).warning("poll of {} could not finish: {}", source.id, exc)
            return Outcome(
                source.id, "failed", error=str(exc), next_poll=time.time() + source.interval
            )
        except Exception as exc:
            # A bug or a parser crash on odd bytes must not unschedule the source for good.
            log.bind(feed=source.id).exception("poll of {} crashed", source.id)
            return Outcome(
                source.id,
                "failed",
                error=f"internal error: {type(exc).__name__}: {exc}",
                next_poll=time.time() + max(source.interval, 60),
            )
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()


def _count(outcome: Outcome, took: float) -> None:
    """The poll's figures on /metrics: one poll by outcome, its time, the entries it found."""
    source = outcome.source_id
    metrics.POLLS.labels(source, outcome.status).inc()
    metrics.FETCH_SECONDS.labels(source).observe(took)
    for kind, n in (
        ("new", outcome.emitted - outcome.changed),
        ("changed", outcome.changed),
        ("duplicate", outcome.duplicates),
    ):
        if n:
            metrics.FEED_ARTICLES.labels(source, kind).inc(n)


def build_poller(
    settings: Settings, producer: Producer, *, health: FeedHealthConfig | None = None
) -> Poller:
    """The poll stage for these settings; raises `ConfigError` for a bad sources file.

    Feed-health emails go to `health.recipients`, else `alerts.to`; with neither, none.
    """
    feeds = load_feeds(settings.feeds)
    store = SqliteStateStore(settings.data_dir / STATE_FILE)
    config = health or settings.feed_health
    recipients = config.recipients or tuple(settings.alerts.recipients)
    alerts = None
    if recipients:
        alerts = FeedHealthAlerts(
            store.all,
            feeds.source,
            OpsStore(settings.data_dir / OPS_FILE),
            Mailer(SmtpServer.of(settings.smtp)),
            sender=settings.smtp.from_,
            recipients=recipients,
            config=config,
            ops_url=f"{settings.web.base_url}/ops",
        )
    return Poller(feeds, store, producer, health=alerts)
