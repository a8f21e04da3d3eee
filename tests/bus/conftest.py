"""Fixtures of the bus contract suite: every test runs on the embedded log and on Tansu.

When MONITOR_KAFKA__BOOTSTRAP names a real Kafka, the suite runs against it too (marker
`external`).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest

from monitor.bus.base import Bus, Consumer
from tests.bus.backends import EXTERNAL_TUNING, TANSU_TUNING, Backend
from tests.support.tansu import Tansu, tansu_broker

BACKENDS: list = ["embedded", "tansu"]
if os.environ.get("MONITOR_KAFKA__BOOTSTRAP"):
    BACKENDS.append(pytest.param("external", marks=pytest.mark.external))


@pytest.fixture(scope="session")
def tansu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tansu]:
    with tansu_broker(tmp_path_factory.mktemp("tansu")) as broker:
        yield broker


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path) -> Backend:
    if request.param == "embedded":
        return Backend("embedded", str(tmp_path / "bus.sqlite3"), {"session_timeout": 2})
    if request.param == "tansu":
        broker: Tansu = request.getfixturevalue("tansu")
        return Backend("kafka", broker.bootstrap, dict(TANSU_TUNING))
    return Backend("kafka", os.environ["MONITOR_KAFKA__BOOTSTRAP"], dict(EXTERNAL_TUNING))


@pytest.fixture
def topics() -> tuple[str, str]:
    """Two topics no other test uses: the one under test and a dead-letter one."""
    tag = uuid.uuid4().hex[:10]
    return f"test.{tag}.main", f"test.{tag}.dlq"


@pytest.fixture
def group(topics: tuple[str, str]) -> Callable[[str], str]:
    """Group names no other test uses: a Kafka group spans topics, and a member left
    behind by one test would hold up the next test's rebalance."""
    return lambda name: f"{topics[0]}.{name}"


@pytest.fixture
def bus(backend: Backend, topics: tuple[str, str]) -> Iterator[Bus]:
    opened = backend.open(topics)
    yield opened
    opened.close()


@pytest.fixture
def member(bus: Bus) -> Iterator[Callable[[str, str], Consumer]]:
    """Opens consumers that are closed after the test, whatever happened."""
    opened: list[Consumer] = []

    def open_member(topic: str, group: str) -> Consumer:
        consumer = bus.consumer(topic, group)
        opened.append(consumer)
        return consumer

    yield open_member
    for consumer in opened:
        consumer.close()
