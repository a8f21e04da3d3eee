"""The stage runner: consume a batch, handle each message, write, produce, commit; repeat.

Every message ends in one named outcome, counted in `Runner.counts`:

* ok            handled, its output is durable;
* duplicate     handled, nothing changed downstream (already indexed as it is);
* dropped       handled and deliberately not passed on (an off-topic item of a source
                that drops them);
* retried       a transient error was retried (counted per attempt, not an end state);
* dead_lettered the message itself is bad: it goes to the dead-letter topic with the
                reason, and the stage goes on with the rest of the batch.

The input offset is committed only after the batch's output is durable, so a crash
anywhere replays the batch, and downstream writes keyed by article id absorb it.
When the output cannot be written at all (the index or the bus is away), the runner
keeps the batch, backs off, says so every few seconds, and carries on by itself once
the server is back: nothing is committed in between, so nothing is lost.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from loguru import logger
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from monitor import metrics
from monitor.bus.base import DEAD_LETTER, Consumer, Producer, Record, dead_letter_headers
from monitor.errors import TransientError

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Output:
    topic: str
    key: str | None
    value: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Done:
    """What became of one handled message: its outputs, and ok or duplicate."""

    outputs: Sequence[Output] = ()
    outcome: str = "ok"


@dataclass(frozen=True, slots=True)
class Poison:
    """A message that can never be handled, and why."""

    reason: str


class Stage(Protocol, Generic[T]):
    """One job between two topics. `pipelines/extract.py` and `index.py` are examples."""

    name: str
    topic: str

    def handle(self, record: Record) -> T:
        """Turn one message into an item. Raise TransientError to retry it; any other
        exception marks the message as poison."""

    def write(self, items: Sequence[T]) -> Sequence[Done | Poison]:
        """Make a batch of items durable (or compute their outputs); one result per item.
        Raise TransientError when nothing could be written: the batch is tried again."""

    # A stage with background work (the alert stage's dispatcher) may also define
    # start() and close(); the runner calls them around its loop.


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently a transient error is retried before backing off."""

    attempts: int = 4
    initial: float = 0.05
    maximum: float = 2.0
    backoff_ceiling: float = 15.0  # the longest wait while a server is away

    def retrying(self, on_retry: Callable[[RetryCallState], None]) -> Retrying:
        return Retrying(
            stop=stop_after_attempt(max(1, self.attempts)),
            wait=wait_exponential(multiplier=self.initial, max=self.maximum),
            retry=retry_if_exception_type(TransientError),
            before_sleep=on_retry,
            reraise=True,
        )


BatchHook = Callable[[Sequence[Record], Sequence[Done | Poison]], None]


class Runner:
    """Drives one stage: start() in a thread or run() in the caller's; stop() asks to end."""

    def __init__(
        self,
        stage: Stage[Any],
        consumer: Consumer,
        producer: Producer,
        *,
        batch_size: int = 200,
        batch_timeout: float = 0.2,
        max_message_bytes: int = 5_000_000,
        retry: RetryPolicy | None = None,
        on_batch: BatchHook | None = None,
    ) -> None:
        self.stage = stage
        self.consumer = consumer
        self.producer = producer
        self.batch_size = batch_size
        self.batch_timeout = batch_timeout
        self.max_message_bytes = max_message_bytes
        self.retry = retry or RetryPolicy()
        self.on_batch = on_batch
        self.counts: Counter[str] = Counter()
        self.log = logger.bind(stage=stage.name)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lag_reported = 0.0

    # -- lifecycle -----------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name=f"stage-{self.stage.name}")
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        if hasattr(self.stage, "start"):
            self.stage.start()
        self.log.info(
            "stage {} consuming {} as group {}",
            self.stage.name,
            self.consumer.topic,
            self.consumer.group,
        )
        try:
            while not self._stop.is_set():
                self.run_once()
        except _Stopped:
            self.log.info(
                "stage {} stopped while waiting; its batch stays uncommitted and will "
                "be delivered again",
                self.stage.name,
            )
        finally:
            self.close()

    def run_once(self) -> int:
        """One batch: returns how many messages it took (0 when the topic was idle)."""
        records = self._patiently(
            "read from the bus", lambda: self.consumer.poll(self.batch_size, self.batch_timeout)
        )
        if not records:
            self._report_lag()
            return 0
        self.process(records)
        return len(records)

    def drain(self, idle_batches: int = 1) -> int:
        """Process until the topic has nothing left (for `monitor ingest` and tests)."""
        total, idle = 0, 0
        while idle < idle_batches and not self._stop.is_set():
            n = self.run_once()
            total += n
            idle = idle + 1 if n == 0 else 0
        return total

    def close(self) -> None:
        try:
            self.producer.flush()
        except TransientError as exc:
            self.log.warning("stage {} could not flush on close: {}", self.stage.name, exc)
        self.consumer.close()
        if hasattr(self.stage, "close"):
            self.stage.close()
        self.log.info("stage {} stopped ({})", self.stage.name, _summary(self.counts))

    # -- one batch -----------------------------------------------------------------
    def process(self, records: Sequence[Record]) -> None:
        started = time.perf_counter()
        results: list[Done | Poison | None] = [None] * len(records)
        items: list[Any] = []
        positions: list[int] = []
        for i, record in enumerate(records):
            reason = self._too_big(record)
            if reason is None:
                try:
                    items.append(
                        self._patiently(
                            f"handle message {record.offset}",
                            functools.partial(self.stage.handle, record),
                        )
                    )
                    positions.append(i)
                    continue
                except _Stopped:
                    raise
                except Exception as exc:
                    reason = _describe(exc)
            results[i] = Poison(reason)
        if items:
            written = self._patiently("write the batch", lambda: self.stage.write(items))
            for i, result in zip(positions, written, strict=True):
                results[i] = result
        final = [r for r in results if r is not None]
        for record, result in zip(records, final, strict=True):
            if isinstance(result, Poison):
                self.producer.produce(
                    DEAD_LETTER,
                    record.value,
                    record.key,
                    dead_letter_headers(record, self.stage.name, result.reason),
                )
                self.log.warning(
                    "dead-lettered {}@{} (key {}): {}",
                    record.topic,
                    record.offset,
                    record.key,
                    result.reason,
                )
                self.counts["dead_lettered"] += 1
            else:
                for out in result.outputs:
                    self.producer.produce(out.topic, out.value, out.key, out.headers)
                self.counts[result.outcome] += 1
        self._patiently("write to the bus", self.producer.flush)
        self._commit(records)
        if self.on_batch is not None:
            self.on_batch(records, final)
        batch = Counter("dead_lettered" if isinstance(r, Poison) else r.outcome for r in final)
        self._observe(records, batch, time.perf_counter() - started)
        self.log.info(
            "{} batch of {}: {} took={:.3f}s",
            self.stage.name,
            len(records),
            _summary(batch),
            time.perf_counter() - started,
        )

    def _commit(self, records: Sequence[Record]) -> None:
        """Commit after the output is durable. A commit that keeps failing (the group took
        the partitions away while the batch waited out an outage) is given up: the records
        come again, and the idempotent writes downstream absorb them."""
        try:
            self.retry.retrying(self._on_retry)(lambda: self.consumer.commit(records))
        except TransientError as exc:
            self.log.warning(
                "stage {} could not commit its offsets ({}); the batch will be "
                "delivered again and absorbed",
                self.stage.name,
                exc,
            )

    def _observe(self, records: Sequence[Record], batch: Counter[str], took: float) -> None:
        name = self.stage.name
        for outcome, n in batch.items():
            metrics.STAGE_MESSAGES.labels(name, outcome).inc(n)
        metrics.STAGE_BATCH_SECONDS.labels(name).observe(took)
        now = time.time()
        latency = metrics.STAGE_LATENCY.labels(name)
        for record in records:
            if record.timestamp:
                latency.observe(max(0.0, now - record.timestamp))
        self._report_lag()

    def _report_lag(self, every: float = 5.0) -> None:
        now = time.monotonic()
        if now - self._lag_reported < every:
            return
        self._lag_reported = now
        try:
            for partition, lag in self.consumer.lag().items():
                metrics.CONSUMER_LAG.labels(self.stage.name, str(partition)).set(lag)
        except TransientError:
            pass  # the next batch tries again

    def _too_big(self, record: Record) -> str | None:
        if len(record.value) > self.max_message_bytes:
            return (
                f"message of {len(record.value):,} bytes is larger than the limit of "
                f"{self.max_message_bytes:,} (pipeline.max_message_bytes)"
            )
        return None

    def _patiently(self, what: str, call: Callable[[], T]) -> T:
        """Retry transient errors per the policy, then keep backing off until they pass
        or the stage is asked to stop (the batch is then left uncommitted)."""
        wait = self.retry.initial
        last_said = 0.0
        while True:
            try:
                return self.retry.retrying(self._on_retry)(call)
            except TransientError as exc:
                if self._stop.is_set():
                    raise _Stopped() from exc
                now = time.monotonic()
                if now - last_said >= 5:
                    self.log.warning(
                        "stage {} cannot {} ({}); holding the batch, retrying",
                        self.stage.name,
                        what,
                        exc,
                    )
                    last_said = now
                wait = min(self.retry.backoff_ceiling, max(wait * 2, 0.5))
                self._stop.wait(wait)

    def _on_retry(self, state: RetryCallState) -> None:
        self.counts["retried"] += 1
        metrics.STAGE_MESSAGES.labels(self.stage.name, "retried").inc()
        exc = state.outcome.exception() if state.outcome else None
        self.log.debug("stage {} retrying after: {}", self.stage.name, exc)


class _Stopped(Exception):
    """Raised out of a backoff when the stage is asked to stop; the batch stays uncommitted."""


def _describe(exc: BaseException) -> str:
    text = str(exc) or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {text}" if not text.startswith("not a valid") else text


def _summary(counts: Counter[str]) -> str:
    keys = ("ok", "duplicate", "dropped", "dead_lettered", "retried")
    return " ".join(f"{k}={counts.get(k, 0)}" for k in keys)
