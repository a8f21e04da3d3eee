"""The Kafka bus: kafka-python producers (acks=all, keyed), group consumers with manual commits.

Topics are created at start-up. kafka-python errors become `TransientError` (or, for a
refused setting, `ConfigError`) here, so nothing above this module sees `kafka.errors`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from kafka import (
    AsyncConsumerRebalanceListener,
    KafkaAdminClient,
    KafkaConsumer,
    KafkaProducer,
    OffsetAndMetadata,
    TopicPartition,
)
from kafka import errors as kafka_errors
from loguru import logger

from monitor.bus.base import TOPICS, Record
from monitor.errors import ConfigError, MonitorError, PermanentError, TransientError

_PRODUCER_DEFAULTS: dict[str, Any] = {
    "acks": "all",
    "compression_type": "gzip",  # the only codec kafka-python has without extra packages
    "linger_ms": 5,
    "max_block_ms": 10_000,  # send() waits this long for metadata or buffer space
}
_CONSUMER_DEFAULTS: dict[str, Any] = {"auto_offset_reset": "earliest"}
_CLOSE_TIMEOUT_MS = 10_000

# Settings the monitor owns; tuning may not override them.
_FIXED = {"bootstrap_servers", "client_id", "group_id", "enable_auto_commit"}

_CONFIG_ERRORS: tuple[type[Exception], ...] = (
    kafka_errors.KafkaConfigurationError,
    kafka_errors.AuthorizationError,
    kafka_errors.SaslAuthenticationFailedError,
    kafka_errors.UnsupportedVersionError,
)
# The message itself cannot be written, however often we try.
_MESSAGE_ERRORS: tuple[type[Exception], ...] = (
    kafka_errors.MessageSizeTooLargeError,
    kafka_errors.RecordListTooLargeError,
    kafka_errors.InvalidRecordError,
)
# Mistakes in the calling code, not the broker's weather: retrying will not help.
_USAGE_ERRORS: tuple[type[Exception], ...] = (
    kafka_errors.IllegalStateError,
    kafka_errors.IllegalArgumentError,
)
_TOPIC_ALREADY_EXISTS = kafka_errors.TopicAlreadyExistsError.errno


@contextmanager
def _translated(what: str) -> Iterator[None]:
    try:
        yield
    except _CONFIG_ERRORS as exc:
        raise ConfigError(f"Kafka refused to {what}: {exc}") from exc
    except _MESSAGE_ERRORS as exc:
        raise PermanentError(f"Kafka will not {what}: {exc}") from exc
    except _USAGE_ERRORS as exc:
        raise MonitorError(f"could not {what}: {exc}") from exc
    except (kafka_errors.KafkaError, OSError) as exc:
        # Broker away, leader moving, request timed out, bootstrap failed: all pass.
        raise TransientError(f"Kafka could not {what}: {exc}") from exc


def _split_tuning(tuning: Mapping[str, Any]) -> tuple[dict, dict, dict]:
    """kafka-python settings for producers, consumers and the admin client, each its own."""
    roles = (
        KafkaProducer.DEFAULT_CONFIG,
        KafkaConsumer.DEFAULT_CONFIG,
        KafkaAdminClient.DEFAULT_CONFIG,
    )
    for name in tuning:
        if name in _FIXED:
            raise ConfigError(f"Kafka setting {name!r} is set by the monitor and cannot be tuned")
        if not any(name in role for role in roles):
            raise ConfigError(f"unknown Kafka client setting {name!r}")
    split = tuple({k: v for k, v in tuning.items() if k in role} for role in roles)
    return split[0], split[1], split[2]


def _record(message: Any) -> Record:
    key = message.key.decode("utf-8", "replace") if message.key is not None else None
    headers = {k: (v or b"").decode("utf-8", "replace") for k, v in message.headers or ()}
    return Record(
        message.topic,
        message.partition,
        message.offset,
        key,
        message.value if message.value is not None else b"",
        headers,
        message.timestamp / 1000 if message.timestamp and message.timestamp > 0 else 0.0,
    )


class KafkaBus:
    """Producers and consumers on one Kafka cluster; `topics` exist once the constructor returns.

    `tuning` takes kafka-python settings by their names (`session_timeout_ms`,
    `max_poll_interval_ms`, `request_timeout_ms`, `bootstrap_timeout_ms`...); each goes to
    the clients that know it.
    """

    def __init__(
        self,
        bootstrap: str,
        *,
        partitions: int = 6,
        replication: int = 1,
        client_id: str = "announcement-monitor",
        topics: Sequence[str] = TOPICS,
        **tuning: Any,
    ) -> None:
        self.bootstrap = bootstrap
        self.partitions = partitions
        self.replication = replication
        producer, consumer, admin = _split_tuning(tuning)
        common = {
            "bootstrap_servers": [s.strip() for s in bootstrap.split(",") if s.strip()],
            "client_id": client_id,
        }
        self._producer_config = {**common, **_PRODUCER_DEFAULTS, **producer}
        self._consumer_config = {
            **common,
            **_CONSUMER_DEFAULTS,
            **consumer,
            "enable_auto_commit": False,
        }
        self._admin_config = {**common, **admin}
        self._lock = threading.Lock()
        self._inspector: KafkaConsumer | None = None
        self._admin: KafkaAdminClient | None = None
        self.ensure_topics(topics)

    # -- interface --------------------------------------------------------------
    def producer(self) -> KafkaBusProducer:
        return KafkaBusProducer(self._producer_config)

    def consumer(self, topic: str, group: str) -> KafkaGroupConsumer:
        return KafkaGroupConsumer(self, topic, group, self._consumer_config)

    def topic_size(self, topic: str) -> int:
        with self._lock, _translated(f"measure {topic}"):
            partitions = self._partitions(topic)
            begin, end = self._bounds(partitions)
        return sum(max(0, end[tp] - begin[tp]) for tp in partitions)

    def read(self, topic: str, limit: int = 100, after: int = -1) -> list[Record]:
        """Up to `limit` records, oldest first, from offset `after + 1` of each partition."""
        with self._lock, _translated(f"read {topic}"):
            partitions = self._partitions(topic)
            begin, end = self._bounds(partitions)
            start = {tp: max(begin[tp], after + 1) for tp in partitions}
            records = self._fetch(
                {tp: (start[tp], end[tp]) for tp in partitions if start[tp] < end[tp]}, limit
            )
        records.sort(key=lambda r: (r.timestamp, r.partition, r.offset))
        return records[:limit]

    def close(self) -> None:
        with self._lock:
            if self._inspector is not None:
                self._inspector.close(autocommit=False, timeout_ms=_CLOSE_TIMEOUT_MS)
                self._inspector = None
            if self._admin is not None:
                self._admin.close()
                self._admin = None

    # -- set-up -----------------------------------------------------------------
    def ensure_topics(self, topics: Iterable[str]) -> None:
        """Create the missing ones with the configured partitions; existing ones are left alone."""
        wanted = list(dict.fromkeys(topics))
        if not wanted:
            return
        with _translated("create its topics"):
            admin = KafkaAdminClient(**self._admin_config)
            try:
                missing = [t for t in wanted if t not in set(admin.list_topics())]
                if missing:
                    spec = {
                        "num_partitions": self.partitions,
                        "replication_factor": self.replication,
                    }
                    answer = admin.create_topics({t: spec for t in missing}, raise_errors=False)
                    for result in answer["topics"]:
                        code = result["error_code"]
                        if code not in (0, _TOPIC_ALREADY_EXISTS):  # a racing peer made it
                            error = kafka_errors.for_code(code)
                            raise error(f"{result['name']}: {result.get('error_message')}")
                    admin.wait_for_topics(missing)
            finally:
                admin.close()
        logger.info(
            "kafka topics ready: {} (created {}, partitions={}, replication={})",
            ", ".join(wanted),
            len(missing),
            self.partitions,
            self.replication,
        )

    # -- inspection, outside any group (callers hold self._lock) ------------------
    def _inspect(self) -> KafkaConsumer:
        if self._inspector is None:
            config = {
                k: v
                for k, v in self._consumer_config.items()
                if k not in ("group_id", "group_instance_id")
            }
            self._inspector = KafkaConsumer(**{**config, "fetch_max_wait_ms": 50})
        return self._inspector

    def _partitions(self, topic: str) -> list[TopicPartition]:
        ids = self._inspect().partitions_for_topic(topic) or set()
        return [TopicPartition(topic, p) for p in sorted(ids)]

    def _bounds(
        self, partitions: list[TopicPartition]
    ) -> tuple[dict[TopicPartition, int], dict[TopicPartition, int]]:
        """First offset and log end (the next offset to be written) of each partition."""
        if not partitions:
            return {}, {}
        inspector = self._inspect()
        begin = inspector.beginning_offsets(partitions)
        listed = inspector.end_offsets(partitions)
        # Tansu 0.6 answers ListOffsets(latest) with the last batch's base offset + 1, not
        # the log end; the high watermark in a fetch response is right. Fetching once from
        # the listed end costs one round trip on Kafka (where both agree) and fixes Tansu.
        inspector.assign([])
        inspector.assign(partitions)
        for tp in partitions:
            inspector.seek(tp, listed[tp])
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            highwater = {tp: inspector.highwater(tp) for tp in partitions}
            if all(v is not None for v in highwater.values()):
                break
            inspector.poll(timeout_ms=50, max_records=1)
        end = {tp: max(listed[tp], inspector.highwater(tp) or 0) for tp in partitions}
        inspector.assign([])
        return begin, end

    def _committed(
        self, group: str, partitions: list[TopicPartition]
    ) -> dict[TopicPartition, int | None]:
        """The offsets `group` has committed, read by an admin client outside the group.

        A member must not ask its own coordinator while it is joining: kafka-python's
        `committed()` then blocks for the whole join, and a member that does it between
        polls never completes the join (seen on Tansu: a stage idle at start-up held no
        partitions for minutes).
        """
        if not partitions:
            return {}
        if self._admin is None:
            self._admin = KafkaAdminClient(**self._admin_config)
        found = self._admin.list_group_offsets({group: partitions}).get(group, {})
        return {
            tp: found[tp].offset if tp in found and found[tp].offset >= 0 else None
            for tp in partitions
        }

    def _fetch(self, ranges: dict[TopicPartition, tuple[int, int]], limit: int) -> list[Record]:
        """Records in [start, end) of each partition, at most `limit` per partition."""
        if not ranges:
            return []
        inspector = self._inspect()
        inspector.assign(list(ranges))
        for tp, (start, _) in ranges.items():
            inspector.seek(tp, start)
        found: dict[TopicPartition, list[Record]] = {tp: [] for tp in ranges}
        open_ = set(ranges)
        deadline = time.monotonic() + 10
        while open_ and time.monotonic() < deadline:
            for tp, messages in inspector.poll(timeout_ms=200).items():
                end = ranges[tp][1]
                kept = [_record(m) for m in messages if m.offset < end]
                found[tp].extend(kept[: limit - len(found[tp])])
            open_ = {
                tp
                for tp in open_
                if len(found[tp]) < limit and inspector.position(tp) < ranges[tp][1]
            }
        inspector.assign([])
        return [r for records in found.values() for r in records]


class KafkaBusProducer:
    """`produce` does not fail for a broker that is away: what cannot be sent now waits
    in order (with everything produced after it, so one key stays in order) until `flush`."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        with _translated("start a producer"):
            self._producer = KafkaProducer(**config)
        self._lock = threading.Lock()
        # Produced since the last good flush: (kafka-python future, None until sent; message).
        self._queue: list[tuple[Any, tuple]] = []

    def produce(
        self,
        topic: str,
        value: bytes,
        key: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        message = (topic, value, key, dict(headers) if headers else None)
        with self._lock:
            waiting = any(future is None for future, _ in self._queue)
        future = None
        if not waiting:
            try:
                future = self._send(message)
            except TransientError as exc:
                logger.debug("kafka producer holds a message for {}: {}", topic, exc)
        with self._lock:
            self._queue.append((future, message))

    def flush(self, timeout: float | None = None) -> None:
        with self._lock:
            queue = self._queue
        for i, (future, message) in enumerate(queue):
            if future is None:
                queue[i] = (self._send(message), message)  # TransientError: the rest wait
        with _translated("deliver the queued messages"):
            self._producer.flush(timeout=timeout)
        with self._lock:
            # Another thread may have produced since; what is not done stays queued.
            sent = [(f, m) for f, m in self._queue if f is not None and f.is_done]
            self._queue = [(f, m) for f, m in self._queue if f is None or not f.is_done]
        failed = [(future, message) for future, message in sent if future.failed()]
        if not failed:
            return
        refused = [f.exception for f, _ in failed if isinstance(f.exception, _MESSAGE_ERRORS)]
        # Delivery gave up (delivery_timeout_ms): queue them again rather than lose them.
        retry = [(None, m) for f, m in failed if not isinstance(f.exception, _MESSAGE_ERRORS)]
        with self._lock:
            self._queue[:0] = retry
        first = failed[0][0].exception
        logger.warning(
            "kafka refused {} of {} messages; {} queued again: {}",
            len(failed),
            len(sent),
            len(retry),
            first,
        )
        if refused:
            raise PermanentError(f"Kafka will not take a message: {refused[0]}")
        raise TransientError(f"Kafka did not take {len(failed)} messages: {first}")

    def close(self) -> None:
        try:
            self.flush(timeout=_CLOSE_TIMEOUT_MS / 1000)
        finally:
            self._producer.close(timeout=_CLOSE_TIMEOUT_MS / 1000)

    def _send(self, message: tuple) -> Any:
        topic, value, key, headers = message
        with _translated(f"queue a message for {topic}"):
            return self._producer.send(
                topic,
                value=value,
                key=key.encode("utf-8") if key is not None else None,
                headers=[(k, v.encode("utf-8")) for k, v in headers.items()] if headers else None,
            )


class KafkaGroupConsumer:
    """One member of `group` on `topic`.

    `commit` is synchronous. Offsets it could not commit because the group was
    rebalancing are kept and committed by the next `commit`, or by the revocation
    listener before the partitions are given up (at a rebalance or at `close`).
    """

    def __init__(self, bus: KafkaBus, topic: str, group: str, config: Mapping[str, Any]) -> None:
        self.topic = topic
        self.group = group
        self._bus = bus
        self._lock = threading.Lock()
        self._pending: dict[TopicPartition, int] = {}  # next offset to commit, per partition
        with _translated(f"join group {group} on {topic}"):
            self._consumer = KafkaConsumer(**config, group_id=group)
            self._consumer.subscribe([topic], listener=_CommitOnRevoke(self))

    def poll(self, max_records: int, timeout: float) -> list[Record]:
        with _translated(f"poll {self.topic}"):
            batches = self._consumer.poll(
                timeout_ms=max(0, int(timeout * 1000)), max_records=max_records
            )
        return [_record(m) for messages in batches.values() for m in messages]

    def commit(self, records: Sequence[Record]) -> None:
        offsets: dict[TopicPartition, int] = {}
        for r in records:
            tp = TopicPartition(r.topic, r.partition)
            offsets[tp] = max(offsets.get(tp, 0), r.offset + 1)
        if not offsets:
            return
        owned = self._consumer.assignment()
        lost = sorted(tp.partition for tp in offsets if tp not in owned)
        if lost:
            raise TransientError(
                f"group {self.group} no longer holds {self.topic} partitions {lost}; "
                "their uncommitted records will be delivered again"
            )
        with self._lock:
            for tp, offset in offsets.items():
                self._pending[tp] = max(self._pending.get(tp, 0), offset)
            todo = dict(self._pending)
        with _translated(f"commit offsets of {self.topic}"):
            try:
                self._consumer.commit({tp: OffsetAndMetadata(o, "", -1) for tp, o in todo.items()})
            except kafka_errors.RebalanceInProgressError:
                logger.debug("group {} is rebalancing; commit of {} kept", self.group, todo)
                return
            except kafka_errors.CommitFailedError as exc:
                self._forget(todo)
                raise TransientError(
                    f"group {self.group} lost its partitions of {self.topic} before the commit; "
                    "the uncommitted records will be delivered again"
                ) from exc
        self._forget(todo)

    def lag(self) -> dict[int, int]:
        with _translated(f"measure the lag of {self.group} on {self.topic}"):
            with self._bus._lock:
                partitions = self._bus._partitions(self.topic)
                begin, end = self._bus._bounds(partitions)
                offsets = self._bus._committed(self.group, partitions)
            lag = {}
            for tp in partitions:
                committed = offsets[tp]
                start = begin[tp] if committed is None else max(committed, begin[tp])
                lag[tp.partition] = max(0, end[tp] - start)
        return lag

    def close(self) -> None:
        with _translated(f"leave group {self.group}"):
            self._consumer.close(autocommit=False, timeout_ms=_CLOSE_TIMEOUT_MS)

    # -- used by the rebalance listener, on kafka-python's IO thread ----------------
    def _take_pending(self, partitions: Iterable[TopicPartition]) -> dict[TopicPartition, int]:
        with self._lock:
            return {tp: self._pending.pop(tp) for tp in partitions if tp in self._pending}

    def _keep_pending(self, partitions: set[TopicPartition]) -> None:
        with self._lock:
            self._pending = {tp: o for tp, o in self._pending.items() if tp in partitions}

    def _forget(self, done: Mapping[TopicPartition, int]) -> None:
        with self._lock:
            for tp, offset in done.items():
                if self._pending.get(tp, -1) <= offset:
                    self._pending.pop(tp, None)


class _CommitOnRevoke(AsyncConsumerRebalanceListener):
    """Commits what was processed but not yet committed before partitions change hands.

    Async because kafka-python runs listeners on its IO thread, where a blocking
    `commit()` is refused; awaiting `commit_async` keeps heartbeats going.
    """

    def __init__(self, member: KafkaGroupConsumer) -> None:
        self._member = member

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        member = self._member
        offsets = member._take_pending(revoked)
        if offsets:
            try:
                await member._consumer.commit_async(
                    {tp: OffsetAndMetadata(o, "", -1) for tp, o in offsets.items()}
                )
            except kafka_errors.KafkaError as exc:
                logger.warning(
                    "group {} could not commit {} on revocation ({}); "
                    "those records will be delivered again",
                    member.group,
                    offsets,
                    exc,
                )
        if revoked:
            logger.info(
                "group {} gives up {} partitions {}",
                member.group,
                member.topic,
                sorted(tp.partition for tp in revoked),
            )

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        member = self._member
        member._keep_pending(assigned)
        logger.info(
            "group {} holds {} partitions {}",
            member.group,
            member.topic,
            sorted(tp.partition for tp in assigned),
        )

    async def on_partitions_lost(self, lost: set[TopicPartition]) -> None:
        self._member._take_pending(lost)
        if lost:
            logger.warning(
                "group {} was evicted from {} partitions {}; their uncommitted "
                "records go to the next owner",
                self._member.group,
                self._member.topic,
                sorted(tp.partition for tp in lost),
            )
