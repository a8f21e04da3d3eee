"""On Kafka (a real Tansu broker) a requeued dead letter cannot be deleted: it is remembered in
ops.db and no longer shown; the stage groups' lag is read without joining them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.bus.base import DEAD_LETTER, RAW
from monitor.bus.kafka import KafkaBus
from monitor.ops.deadletters import DeadLetterQueue
from monitor.ops.stages import BusLag
from monitor.ops.store import OpsStore
from tests.bus.backends import TANSU_TUNING
from tests.support.tansu import tansu_broker


@pytest.fixture(scope="module")
def kafka(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaBus]:
    with tansu_broker(tmp_path_factory.mktemp("tansu")) as broker:
        bus = KafkaBus(broker.bootstrap, partitions=2, **TANSU_TUNING)
        yield bus
        bus.close()


def test_requeue_on_kafka_is_remembered_and_the_group_lag_is_read(
    kafka: KafkaBus, tmp_path: Path
) -> None:
    producer = kafka.producer()
    for key in ("a1", "a2"):
        producer.produce(
            DEAD_LETTER,
            b'{"title": "T"}',
            key,
            {"dlq.topic": RAW, "dlq.reason": f"bad {key}", "dlq.stage": "extract"},
        )
    producer.close()
    store = OpsStore(tmp_path / "ops.db")
    try:
        queue = DeadLetterQueue(kafka, store)
        waiting = queue.list()
        assert sorted(d.key or "" for d in waiting) == ["a1", "a2"]
        first = next(d for d in waiting if d.key == "a1")
        assert queue.requeue([first.ref]).sent == 1
        reopened = OpsStore(store.path)  # what another web process would see
        assert [d.key for d in DeadLetterQueue(kafka, reopened).list()] == ["a2"]
        reopened.close()
        assert kafka.topic_size(DEAD_LETTER) == 2  # still there, only hidden
        [back] = kafka.read(RAW)
        assert back.key == "a1" and back.headers["requeued_from"].startswith(DEAD_LETTER)
        lag = BusLag(lambda: kafka, {"extract": RAW})
        try:
            assert lag()["extract"].lag == 1
        finally:
            lag.close()
    finally:
        store.close()
