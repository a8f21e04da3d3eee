"""The bus contract, as a stage sees it, on every backend (see conftest.py)."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from monitor.bus.base import Bus, dead_letter_headers
from monitor.errors import TransientError
from tests.bus.backends import Backend, poll_for, poll_until, values

REPO = Path(__file__).resolve().parents[2]


def produce(bus: Bus, topic: str, items: list[tuple[str, str]], headers=None) -> None:
    producer = bus.producer()
    for key, value in items:
        producer.produce(topic, value.encode(), key=key, headers=headers)
    producer.flush(timeout=10)
    producer.close()


def test_a_message_comes_back_with_its_key_value_and_headers(bus, topics, member, group):
    topic, _ = topics
    headers = {"source": "mps.gov.cn", "标题": "净网2021"}
    produce(bus, topic, [("article-1", '{"title": "净网"}'), ("article-2", "second")], headers)

    records = poll_until(member(topic, group("extract")), 2)

    by_key = {r.key: r for r in records}
    assert set(by_key) == {"article-1", "article-2"}
    first = by_key["article-1"]
    assert first.value.decode() == '{"title": "净网"}'
    assert first.headers == headers
    assert first.topic == topic
    assert abs(first.timestamp - time.time()) < 60


def test_a_new_member_resumes_after_what_the_group_committed(bus, topics, member, group):
    topic, _ = topics
    produce(bus, topic, [(f"a{i}", f"first-{i}") for i in range(4)])
    first = member(topic, group("index"))
    seen = poll_until(first, 4)
    first.commit(seen)
    first.close()
    produce(bus, topic, [(f"b{i}", f"second-{i}") for i in range(3)])

    later = member(topic, group("index"))
    resumed = poll_until(later, 3) + poll_for(later, 1)

    assert values(resumed) == ["second-0", "second-1", "second-2"]


def test_records_polled_but_not_committed_are_delivered_again_after_close(
    bus, topics, member, group
):
    topic, _ = topics
    produce(bus, topic, [(f"k{i}", f"v{i}") for i in range(5)])
    first = member(topic, group("extract"))
    seen = poll_until(first, 5)
    assert len(seen) == 5
    first.close()

    again = poll_until(member(topic, group("extract")), 5)

    assert sorted((r.partition, r.offset) for r in again) == sorted(
        (r.partition, r.offset) for r in seen
    )


def test_records_of_a_killed_member_are_delivered_again(
    backend: Backend, bus, topics, member, group
):
    topic, _ = topics
    produce(bus, topic, [(f"k{i}", f"v{i}") for i in range(4)])
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.bus.crash_member",
            backend.to_json(),
            topic,
            group("alert"),
            "4",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        ready, _, _ = select.select([child.stdout], [], [], 30)
        assert ready, "the member process did not report what it polled"
        polled = json.loads(child.stdout.readline())
        assert len(polled) == 4
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
        child.stdout.close()

    again = poll_until(member(topic, group("alert")), 4, timeout=30)

    assert sorted([r.partition, r.offset] for r in again) == sorted(polled)


def test_every_group_gets_every_message(bus, topics, member, group):
    topic, _ = topics
    produce(bus, topic, [(f"k{i}", f"v{i}") for i in range(6)])

    index = poll_until(member(topic, group("index")), 6)
    alert = poll_until(member(topic, group("alert")), 6)

    assert values(index) == values(alert) == [f"v{i}" for i in range(6)]


def test_lag_counts_what_the_group_has_not_committed(bus, topics, member, group):
    topic, _ = topics
    produce(bus, topic, [("same-article", f"v{i}") for i in range(5)])
    consumer = member(topic, group("index"))

    assert sum(consumer.lag().values()) == 5
    records = poll_until(consumer, 5)
    assert sum(consumer.lag().values()) == 5, "polling alone does not move the group"
    records.sort(key=lambda r: r.offset)
    consumer.commit(records[:2])
    assert sum(consumer.lag().values()) == 3
    consumer.commit(records)
    assert sum(consumer.lag().values()) == 0


def test_dead_letter_headers_survive_the_trip(bus, topics, member, group):
    topic, dead_letter = topics
    produce(bus, topic, [("article-9", "not json")], {"trace": "t-1"})
    [poisoned] = poll_until(member(topic, group("extract")), 1)

    headers = dead_letter_headers(poisoned, "extract", "无法解析: Expecting value at line 1")
    produce(bus, dead_letter, [(poisoned.key, poisoned.value.decode())], headers)

    assert bus.topic_size(dead_letter) == 1
    [letter] = bus.read(dead_letter)
    assert letter.headers == headers
    assert letter.headers["trace"] == "t-1"
    assert letter.headers["dlq.reason"] == "无法解析: Expecting value at line 1"
    assert letter.headers["dlq.offset"] == str(poisoned.offset)
    assert (letter.key, letter.value) == ("article-9", b"not json")


def test_order_is_kept_per_key(bus, topics, member, group):
    topic, _ = topics
    articles = [f"article-{n}" for n in range(5)]
    produce(bus, topic, [(a, f"{a}:{seq}") for seq in range(12) for a in articles])

    records = poll_until(member(topic, group("extract")), 60)

    assert len(records) == 60
    for article in articles:
        mine = [r for r in records if r.key == article]
        assert [int(r.value.decode().split(":")[1]) for r in mine] == list(range(12))
        assert len({r.partition for r in mine}) == 1


def test_read_looks_without_moving_any_group(bus, topics, member, group):
    topic, _ = topics
    produce(bus, topic, [(f"k{i}", f"v{i}") for i in range(4)])

    assert values(bus.read(topic)) == ["v0", "v1", "v2", "v3"]
    assert len(bus.read(topic, limit=2)) == 2
    assert bus.topic_size(topic) == 4
    assert values(poll_until(member(topic, group("index")), 4)) == ["v0", "v1", "v2", "v3"]


def test_a_stalled_member_loses_its_records_and_its_late_commit_is_refused(
    backend: Backend, bus, topics, member, group
):
    topic, _ = topics
    produce(bus, topic, [(f"k{i}", f"v{i}") for i in range(3)])
    stalled = member(topic, group("index"))
    held = poll_until(stalled, 3)
    time.sleep(backend.member_timeout + 0.5)

    taken = poll_until(member(topic, group("index")), 3, timeout=30)

    assert values(taken) == values(held)
    with pytest.raises(TransientError):
        stalled.commit(held)
