"""A poison message lands in the dead-letter view with its reason and, requeued once its cause is
fixed, is indexed once: the real embedded bus, the real stages (build_runner) and the real index."""

from __future__ import annotations

from collections.abc import Callable

from monitor.bus.base import DEAD_LETTER, RAW
from monitor.bus.embedded import EmbeddedBus
from monitor.index.base import SearchRequest
from monitor.index.embedded import EmbeddedIndex
from monitor.ops.view import Ops
from monitor.settings import Settings
from pipelines.stages import build_runner
from tests.conftest import make_article
from tests.ops.conftest import big_article, produce


def _drain(settings: Settings, bus: EmbeddedBus, index: EmbeddedIndex) -> None:
    for name in ("extract", "index"):
        runner = build_runner(name, settings, bus, index)
        runner.drain()
        runner.close()


def test_a_poison_message_is_shown_then_requeued_and_indexed_once(
    bus: EmbeddedBus,
    index: EmbeddedIndex,
    make_settings: Callable[..., Settings],
    make_ops: Callable[..., Ops],
) -> None:
    strict = make_settings(pipeline={"max_message_bytes": 1024})
    poison, fine = big_article(1), make_article(2)
    produce(bus, poison, fine)
    _drain(strict, bus, index)
    assert index.count() == 1

    ops = make_ops(strict, bus)
    [dead] = ops.dead_letters()
    assert dead.stage == "extract" and dead.topic == RAW and dead.key == poison.id
    assert dead.title == "Long announcement 1"
    assert "larger than the limit of 1,024 (pipeline.max_message_bytes)" in dead.reason

    fixed = make_settings()  # the cause: a limit set too low
    result = ops.requeue([dead.ref])
    assert (result.sent, result.skipped) == (1, ())
    assert ops.dead_letters() == []
    assert bus.topic_size(DEAD_LETTER) == 0
    again = ops.requeue([dead.ref])  # a second click finds nothing to send
    assert again.sent == 0 and "not waiting" in again.skipped[0]

    _drain(fixed, bus, index)
    _drain(fixed, bus, index)
    assert index.count() == 2
    stored = index.get(poison.id)
    assert stored is not None and stored.title == "Long announcement 1"
    hits = index.search(SearchRequest(query='"Long announcement"', include_irrelevant=True))
    assert [h.id for h in hits.hits] == [poison.id]


def test_requeue_all_skips_what_has_no_known_origin(
    bus: EmbeddedBus, make_settings: Callable[..., Settings], make_ops: Callable[..., Ops]
) -> None:
    producer = bus.producer()
    producer.produce(DEAD_LETTER, b"{}", "k1", {"dlq.topic": RAW, "dlq.reason": "bad"})
    producer.produce(DEAD_LETTER, b"{}", "k2", {"dlq.reason": "written by hand"})
    producer.close()
    ops = make_ops(make_settings(), bus)
    assert [d.reason for d in ops.dead_letters()] == ["written by hand", "bad"]
    result = ops.requeue(None)
    assert result.sent == 1 and "origin unknown" in result.skipped[0]
    [back] = bus.read(RAW)
    assert back.key == "k1" and not any(h.startswith("dlq.") for h in back.headers)
    assert [d.key for d in ops.dead_letters()] == ["k2"]
