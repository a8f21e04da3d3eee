"""The stage runner over the embedded bus and index: outcomes, dead letters, retries,
backpressure, redelivery after a crash, clean stop."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from monitor.bus.base import DEAD_LETTER, ENRICHED, RAW, Record
from monitor.bus.embedded import EmbeddedBus
from monitor.errors import TransientError
from monitor.index.base import SearchRequest
from monitor.index.embedded import EmbeddedIndex
from monitor.settings import Settings
from pipelines.runner import Done, RetryPolicy, Runner
from pipelines.stages import build_runner
from tests.conftest import make_article

FAST = RetryPolicy(attempts=3, initial=0.01, maximum=0.02, backoff_ceiling=0.05)


def produce(bus: EmbeddedBus, values: Sequence[tuple[str | None, bytes]], topic: str = RAW) -> None:
    producer = bus.producer()
    for key, value in values:
        producer.produce(topic, value, key)
    producer.flush()


def run_both(settings: Settings, bus: EmbeddedBus, index: EmbeddedIndex) -> tuple[Runner, Runner]:
    extract = build_runner("extract", settings, bus, index)
    idx = build_runner("index", settings, bus, index)
    extract.drain()
    idx.drain()
    extract.close()
    idx.close()
    return extract, idx


def test_articles_flow_from_raw_to_searchable(
    settings: Settings, bus: EmbeddedBus, index: EmbeddedIndex
) -> None:
    articles = [make_article(n) for n in range(50)]
    produce(bus, [(a.id, a.to_json()) for a in articles])
    extract, idx = run_both(settings, bus, index)
    assert extract.counts["ok"] == 50 and idx.counts["ok"] == 50
    assert index.count() == 50
    assert index.search(SearchRequest(query="operation")).total == 50
    assert bus.topic_size(ENRICHED) == 50


def test_poison_messages_are_dead_lettered_with_the_reason(
    settings: Settings, bus: EmbeddedBus, index: EmbeddedIndex
) -> None:
    good = make_article(1)
    huge = make_article(2, body="x" * 20_000_000)
    produce(
        bus,
        [
            ("bad-json", b"{this is not json"),
            (good.id, good.to_json()),
            ("no-id", b'{"title": "an article missing its id"}'),
            (huge.id, huge.to_json()),
        ],
    )
    extract, _ = run_both(settings, bus, index)
    assert extract.counts["dead_lettered"] == 3 and extract.counts["ok"] == 1
    assert index.count() == 1
    dead = {r.key: r.headers for r in bus.read(DEAD_LETTER)}
    assert set(dead) == {"bad-json", "no-id", huge.id}
    assert "Invalid JSON" in dead["bad-json"]["dlq.reason"]
    assert "id: Field required" in dead["no-id"]["dlq.reason"]
    assert "larger than the limit" in dead[huge.id]["dlq.reason"]
    assert dead["no-id"]["dlq.stage"] == "extract"
    assert dead["no-id"]["dlq.topic"] == RAW


def test_redelivered_messages_are_indexed_once(
    settings: Settings, bus: EmbeddedBus, index: EmbeddedIndex
) -> None:
    articles = [make_article(n) for n in range(10)]
    produce(bus, [(a.id, a.to_json()) for a in articles] * 2)  # every article twice
    _, idx = run_both(settings, bus, index)
    assert index.count() == 10
    assert idx.counts["ok"] == 10 and idx.counts["duplicate"] == 10


def test_uncommitted_batch_is_delivered_again(
    settings: Settings, bus: EmbeddedBus, index: EmbeddedIndex
) -> None:
    articles = [make_article(n) for n in range(5)]
    produce(bus, [(a.id, a.to_json()) for a in articles])
    crashed = bus.consumer(RAW, "extract")
    assert len(crashed.poll(100, 1)) == 5  # read, never committed: the process "dies"
    crashed.close()
    extract, _ = run_both(settings, bus, index)
    assert extract.counts["ok"] == 5 and index.count() == 5


class FlakyStage:
    """Fails with a transient error a given number of times, then works."""

    name = "flaky"
    topic = RAW

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.written: list[str] = []

    def handle(self, record: Record) -> str:
        return record.key or ""

    def write(self, items: Sequence[str]) -> list[Done]:
        if self.failures > 0:
            self.failures -= 1
            raise TransientError("index unreachable")
        self.written.extend(items)
        return [Done() for _ in items]


def test_transient_errors_are_retried_then_succeed(bus: EmbeddedBus) -> None:
    produce(bus, [("a", b"1"), ("b", b"2")])
    stage = FlakyStage(failures=2)  # fewer than the policy's attempts
    runner = Runner(stage, bus.consumer(RAW, "flaky"), bus.producer(), retry=FAST)
    runner.drain()
    assert stage.written == ["a", "b"]
    assert runner.counts["retried"] == 2 and runner.counts["ok"] == 2
    runner.close()


def test_a_long_outage_holds_the_batch_and_resumes(bus: EmbeddedBus) -> None:
    produce(bus, [("a", b"1")])
    stage = FlakyStage(failures=12)  # more than the retry policy's attempts
    runner = Runner(stage, bus.consumer(RAW, "flaky"), bus.producer(), retry=FAST)
    runner.drain()
    assert stage.written == ["a"]
    assert runner.counts["ok"] == 1
    runner.close()


def test_stop_during_an_outage_leaves_the_batch_uncommitted(bus: EmbeddedBus) -> None:
    produce(bus, [("a", b"1")])
    stage = FlakyStage(failures=10_000)
    runner = Runner(stage, bus.consumer(RAW, "flaky"), bus.producer(), retry=FAST)
    runner.start()
    time.sleep(0.5)
    started = time.monotonic()
    runner.stop()
    runner.join(5)
    assert time.monotonic() - started < 5
    assert stage.written == []
    again = bus.consumer(RAW, "flaky")
    assert [r.key for r in again.poll(10, 1)] == ["a"]
    again.close()


def test_stop_finishes_the_batch_in_hand(
    settings: Settings, bus: EmbeddedBus, index: EmbeddedIndex
) -> None:
    runner = build_runner("extract", settings, bus, index)
    thread = threading.Thread(target=runner.run)
    thread.start()
    articles = [make_article(n) for n in range(300)]
    produce(bus, [(a.id, a.to_json()) for a in articles])
    time.sleep(0.3)
    runner.stop()
    thread.join(5)
    assert not thread.is_alive()
    taken = runner.counts["ok"]
    assert taken > 0
    assert sum(bus.consumer(RAW, "extract").lag().values()) == 300 - taken


def test_known_campaigns_are_asked_of_the_index_once() -> None:
    from pipelines.extract import KnownCampaigns

    asked: list[str] = []
    registry = {"Blue Sword"}

    def lookup(name: str) -> bool:
        asked.append(name)
        return name.casefold() in {r.casefold() for r in registry}  # as the index: any case

    known = KnownCampaigns(lookup, recheck=0.2)
    assert [known("Blue Sword") for _ in range(3)] == [True] * 3
    assert [known("Kunlun 2030") for _ in range(3)] == [False] * 3
    assert asked == ["Blue Sword", "Kunlun 2030"]
    registry.add("Kunlun 2030")  # indexed meanwhile
    time.sleep(0.25)
    assert known("kunlun 2030") is True
    assert asked[-1] == "kunlun 2030"


def test_off_topic_items_are_dropped_or_hidden_per_source(
    tmp_path, bus: EmbeddedBus, index: EmbeddedIndex
) -> None:
    from monitor.models import Article
    from monitor.settings import load_settings

    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        '[[source]]\nid = "news-drop"\nname = "General news"\nurl = "https://a.example/rss"\n'
        'irrelevant = "drop"\n\n'
        '[[source]]\nid = "news-hide"\nname = "More news"\nurl = "https://b.example/rss"\n'
    )
    settings = load_settings(data_dir=tmp_path / "data", feeds=feeds)
    sport = "The home side won the football final 3-1 in front of 40,000 fans on Sunday."
    police = "Police arrested 1,200 suspects of telecom fraud in the Clean Internet campaign."
    articles = [
        Article(id="s1", feed_id="news-drop", title="Cup final", body=sport),
        Article(id="s2", feed_id="news-hide", title="Cup final", body=sport),
        Article(id="p1", feed_id="news-drop", title="Fraud crackdown", body=police),
    ]
    produce(bus, [(a.id, a.to_json()) for a in articles])
    extract = build_runner("extract", settings, bus, index)
    idx = build_runner("index", settings, bus, index)
    extract.drain()
    idx.drain()
    extract.close()
    idx.close()
    assert extract.counts["dropped"] == 1 and extract.counts["ok"] == 2
    assert index.get("s1") is None  # dropped at extraction
    assert index.get("s2") is not None  # indexed, but hidden by default
    assert [h.id for h in index.search(SearchRequest(query="final")).hits] == []
    shown = index.search(SearchRequest(query="final", include_irrelevant=True))
    assert [h.id for h in shown.hits] == ["s2"]
    assert [h.id for h in index.search(SearchRequest(query="fraud")).hits] == ["p1"]
