"""What only the Kafka backend has: partitions, topic set-up, settings, a broker that goes away."""

from __future__ import annotations

import gc
import os
import signal
import threading
import time
import uuid
import warnings

import pytest
from kafka import KafkaAdminClient

from monitor.bus.kafka import KafkaBus
from monitor.errors import ConfigError, TransientError
from tests.bus.backends import TANSU_TUNING, poll_for, poll_until, values
from tests.support.tansu import free_port, start_tansu


def fresh_topic() -> str:
    return f"test.{uuid.uuid4().hex[:10]}"


@pytest.fixture
def refused_connections():
    """kafka-python 3.0 leaves a socket open when connect() is refused (kafka/net/inet.py,
    sock_connect); collect them here, where their ResourceWarning is expected."""
    yield
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def flush_until_delivered(producer, seconds: float) -> int:
    """Retry a failing flush as the stage runner does; returns the failed attempts."""
    failures = 0
    deadline = time.monotonic() + seconds
    while True:
        try:
            producer.flush(timeout=5)
            return failures
        except TransientError:
            failures += 1
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_topics_get_the_configured_partitions_and_setting_up_twice_is_fine(tansu):
    topic = fresh_topic()
    KafkaBus(tansu.bootstrap, partitions=4, topics=[topic], **TANSU_TUNING).close()
    KafkaBus(tansu.bootstrap, partitions=4, topics=[topic], **TANSU_TUNING).close()

    admin = KafkaAdminClient(bootstrap_servers=tansu.bootstrap)
    try:
        [described] = admin.describe_topics([topic])
    finally:
        admin.close()
    assert len(described["partitions"]) == 4


def test_one_article_always_lands_in_one_partition(tansu):
    topic = fresh_topic()
    bus = KafkaBus(tansu.bootstrap, partitions=6, topics=[topic], **TANSU_TUNING)
    producer = bus.producer()
    for round_ in range(3):
        for n in range(20):
            producer.produce(topic, f"{n}:{round_}".encode(), key=f"article-{n}")
        producer.flush(timeout=10)
    producer.close()

    records = bus.read(topic, limit=1000)
    bus.close()

    assert len(records) == 60
    partitions_of = {}
    for r in records:
        partitions_of.setdefault(r.key, set()).add(r.partition)
    assert all(len(p) == 1 for p in partitions_of.values())
    assert len({r.partition for r in records}) > 1, "20 keys spread over several partitions"


def test_an_unreachable_broker_is_a_transient_error(refused_connections):
    started = time.monotonic()
    with pytest.raises(TransientError, match="Kafka could not"):
        KafkaBus(f"127.0.0.1:{free_port()}", bootstrap_timeout_ms=500)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    "setting", [{"no_such_setting": 1}, {"group_id": "mine"}, {"enable_auto_commit": True}]
)
def test_a_setting_kafka_python_does_not_take_is_a_config_error(setting):
    with pytest.raises(ConfigError):
        KafkaBus("127.0.0.1:9", **setting)


def test_a_broker_that_stops_answering_loses_nothing_produced(tmp_path):
    broker = start_tansu(tmp_path)
    topic, unseen = fresh_topic(), fresh_topic()
    try:
        bus = KafkaBus(
            broker.bootstrap, partitions=2, topics=[topic], **TANSU_TUNING, max_block_ms=1000
        )
        producer = bus.producer()
        bus.ensure_topics([unseen])  # after the producer looked at the cluster
        producer.produce(topic, b"before", key="a")
        producer.flush(timeout=10)
        consumer = bus.consumer(topic, f"{topic}.index")
        before = poll_until(consumer, 1)
        assert values(before) == ["before"]
        consumer.commit(before)

        os.kill(broker.process.pid, signal.SIGSTOP)  # hung, as a broker behind a partition
        try:
            producer.produce(topic, b"while away", key="a")
            # No metadata for this topic yet: the message waits in the producer.
            producer.produce(unseen, b"to a topic not yet looked up", key="a")
            with pytest.raises(TransientError):
                producer.flush(timeout=2)
            assert consumer.poll(max_records=10, timeout=1) == []
        finally:
            os.kill(broker.process.pid, signal.SIGCONT)

        flush_until_delivered(producer, 20)
        assert values(poll_until(consumer, 1, timeout=30)) == ["while away"]
        assert values(bus.read(unseen)) == ["to a topic not yet looked up"]
        producer.close()
        consumer.close()
        bus.close()
    finally:
        broker.stop()


def test_a_commit_made_while_the_group_rebalances_is_not_lost(tansu):
    topic = fresh_topic()
    bus = KafkaBus(tansu.bootstrap, partitions=4, topics=[topic], **TANSU_TUNING)
    producer = bus.producer()
    for n in range(12):
        producer.produce(topic, f"v{n}".encode(), key=f"article-{n}")
    producer.flush(timeout=10)
    producer.close()
    first = bus.consumer(topic, f"{topic}.index")
    done = poll_until(first, 12)
    assert len(done) == 12

    second_got = []
    second = bus.consumer(topic, f"{topic}.index")
    stop = threading.Event()

    def run_second() -> None:
        while not stop.is_set():
            second_got.extend(second.poll(max_records=100, timeout=0.2))

    joiner = threading.Thread(target=run_second)
    joiner.start()
    try:
        time.sleep(0.5)  # the second member has asked to join: the group is rebalancing
        first.commit(done)
        again = poll_for(first, 5)
    finally:
        stop.set()
        joiner.join()
    assert second.lag() == {p: 0 for p in range(4)}
    second.close()
    first.close()
    bus.close()

    assert again == [] and second_got == []


def test_offsets_kept_during_a_rebalance_are_committed_when_partitions_are_revoked(tansu):
    topic = fresh_topic()
    bus = KafkaBus(tansu.bootstrap, partitions=4, topics=[topic], **TANSU_TUNING)
    producer = bus.producer()
    for n in range(16):
        producer.produce(topic, f"v{n}".encode(), key=f"article-{n}")
    producer.flush(timeout=10)
    producer.close()
    first = bus.consumer(topic, f"{topic}.index")
    done = poll_until(first, 16)
    second = bus.consumer(topic, f"{topic}.index")
    second_got: list = []
    stop = threading.Event()

    def run_second() -> None:
        while not stop.is_set():
            second_got.extend(second.poll(max_records=100, timeout=0.2))

    joiner = threading.Thread(target=run_second)
    joiner.start()
    try:
        # Poll briefly until this member has given up its partitions and waits on its
        # JoinGroup: a commit now cannot reach the broker and must be kept.
        coordinator = first._consumer._coordinator
        deadline = time.monotonic() + 10
        while not coordinator.rebalance_in_progress() and time.monotonic() < deadline:
            first.poll(max_records=10, timeout=0.05)
        assert coordinator.rebalance_in_progress()
        first.commit(done)
        assert first._pending, "the commit was kept, not sent"
        while coordinator.rebalance_in_progress() and time.monotonic() < deadline + 10:
            first.poll(max_records=10, timeout=0.1)
        kept = {tp.partition for tp in first._consumer.assignment()}
        assert kept
        first.close()  # revokes `kept`: the listener commits what was kept for them
        while len(second._consumer.assignment()) < 4 and time.monotonic() < deadline + 20:
            time.sleep(0.1)
        assert len(second._consumer.assignment()) == 4
        time.sleep(1)
    finally:
        stop.set()
        joiner.join()
    second.close()
    bus.close()

    redelivered = {(r.partition, r.offset) for r in second_got}
    expected = {(r.partition, r.offset) for r in done if r.partition not in kept}
    assert redelivered == expected
