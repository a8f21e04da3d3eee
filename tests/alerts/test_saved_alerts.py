"""Saved searches with their email on, end to end: the web app's store, the alert stage, the
ledger shared with the rules of config/alerts.toml, and a real SMTP server."""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from monitor.alerts import open_ledger
from monitor.bus.base import ENRICHED
from monitor.bus.embedded import EmbeddedBus
from monitor.models import EnrichedArticle
from monitor.saved import SavedSearchDraft, open_saved_searches
from monitor.settings import Settings
from pipelines.alert import AlertStage, build_alert_stage
from pipelines.runner import Runner
from tests.alerts.conftest import TO, Clock, LocalSmtp, article, make_settings, record, utc

READER = "reader@example.org"
RULES = """
[delivery]
gather_seconds = 0.0

[[rule]]
name = "new_campaign"
kind = "new_campaign"
enabled = false

[[rule]]
name = "fraud"
kind = "query"
title = "Fraud"
query = "fraud"
"""
JIANGSU_FRAUD = article(
    "js",
    title="Jiangsu police break up a telecom fraud ring",
    body="Police in Jiangsu arrested 40 suspects of a telecom fraud ring based in Suzhou.",
    regions=("Jiangsu",),
)
HAINAN_FRAUD = article(
    "hn",
    title="Hainan police close a fraud call centre",
    body="Police in Hainan closed a call centre that ran investment fraud.",
    regions=("Hainan",),
)


def settings_for(backend: str, tmp_path: Path, smtp: LocalSmtp, request: Any) -> Settings:
    extra: dict[str, Any] = {}
    if backend == "osmem":
        extra = {
            "index": "elasticsearch",
            "elasticsearch": {
                "url": request.getfixturevalue("osmem").url,
                "index_prefix": f"test-{uuid.uuid4().hex[:8]}",
            },
        }
    return make_settings(tmp_path, smtp.port, RULES, **extra)


def save(
    settings: Settings, name: str, to: str | None, delivery: str = "immediate", **search: Any
) -> str:
    """Save a search as the web app does, in the store of these settings."""
    store = open_saved_searches(settings)
    email = {"to": to, "delivery": delivery} if to else None
    try:
        return store.create(SavedSearchDraft(name=name, email=email, **search), time.time()).id  # type: ignore[arg-type]
    finally:
        store.close()


def publish(bus: EmbeddedBus, docs: Sequence[EnrichedArticle]) -> None:
    producer = bus.producer()
    for doc in docs:
        producer.produce(ENRICHED, doc.to_json(), doc.id)
    producer.flush()


def drain(settings: Settings, bus: EmbeddedBus) -> None:
    """One alert process reads the topic to its end, sends what is due and stops."""
    stage = build_alert_stage(settings)
    runner = Runner(stage, bus.consumer(ENRICHED, "alert"), bus.producer(), batch_timeout=0.05)
    runner.drain()
    runner.consumer.close()
    stage.tick()
    stage.close()


@pytest.mark.parametrize("backend", ["sqlite", "osmem"])
def test_a_saved_search_emails_once_and_never_twice_beside_a_rule_of_the_file(
    backend: str, tmp_path: Path, smtp: LocalSmtp, request: pytest.FixtureRequest
) -> None:
    settings = settings_for(backend, tmp_path, smtp, request)
    # the same address as the file's "fraud" rule, and a reader of their own
    save(settings, "Fraud in Jiangsu, for the team", TO, q="fraud", filters={"region": ["Jiangsu"]})
    save(settings, "Fraud in Jiangsu", READER, q="fraud", filters={"region": ["Jiangsu"]})
    save(settings, "Without email", None, q="fraud")
    bus = EmbeddedBus(settings.data_dir / "bus.db", session_timeout=2)
    try:
        publish(bus, [JIANGSU_FRAUD, HAINAN_FRAUD])
        drain(settings, bus)
        publish(bus, [JIANGSU_FRAUD])  # the same article again
        drain(settings, bus)
    finally:
        bus.close()
    mails = smtp.sink.wait_for(3)
    assert len(smtp.sink.wait_for(4, timeout=1.0)) == 3
    to_team = sorted(m.subject.strip() for m in mails if m.recipients == [TO])
    assert to_team == [
        "Fraud: Hainan police close a fraud call centre, Ministry of Public Security",
        "Fraud: Jiangsu police break up a telecom fraud ring, Ministry of Public Security",
    ]
    [to_reader] = [m for m in mails if m.recipients == [READER]]
    assert to_reader.subject.strip() == (
        "Fraud in Jiangsu: Jiangsu police break up a telecom fraud ring,"
        " Ministry of Public Security"
    )
    text = to_reader.part("plain")
    assert "Why: search “fraud”, region is Jiangsu" in text
    assert "https://monitor.example.org/articles/art-js" in text
    assert "because of the rule “Fraud in Jiangsu” (a saved search)." in text
    assert "Change or stop it: https://monitor.example.org/saved" in text
    assert '<a href="https://monitor.example.org/saved">Change or stop it</a>' in to_reader.part(
        "html"
    )
    ledger = open_ledger(settings)
    assert sorted(e.status for e in ledger.history()) == ["sent", "sent", "sent"]
    ledger.close()


def test_a_search_saved_while_the_stage_runs_counts_from_its_next_batch(
    tmp_path: Path, smtp: LocalSmtp
) -> None:
    settings = make_settings(tmp_path, smtp.port, RULES)
    bus = EmbeddedBus(settings.data_dir / "bus.db", session_timeout=2)
    stage = build_alert_stage(settings)
    handled: list[str] = []
    runner = Runner(
        stage,
        bus.consumer(ENRICHED, "alert"),
        bus.producer(),
        batch_timeout=0.05,
        on_batch=lambda records, _: handled.extend(r.key or "" for r in records),
    )
    runner.start()
    try:
        publish(bus, [article("k1", title="Kunlun 2021 strikes at food crime")])
        wait_until(lambda: handled == ["art-k1"])
        save(settings, "Kunlun", READER, q="kunlun")  # in the web app, while the stage runs
        publish(bus, [article("k2", title="Kunlun 2021: second wave of arrests")])
        [mail] = smtp.sink.wait_for(1)
    finally:
        runner.stop()
        runner.join(10)
        bus.close()
    assert mail.recipients == [READER]
    assert mail.subject.strip().startswith("Kunlun: Kunlun 2021: second wave of arrests")
    assert len(smtp.sink.wait_for(2, timeout=0.5)) == 1


def test_a_saved_search_with_a_daily_digest_sends_the_days_matches_at_its_time(
    tmp_path: Path, smtp: LocalSmtp
) -> None:
    settings = make_settings(tmp_path, smtp.port, RULES.replace('query = "fraud"', 'query = "x"'))
    save(settings, "Scams", READER, delivery="daily", q="fraud OR scam")
    clock = Clock(utc(1, 1))
    stage: AlertStage = build_alert_stage(settings, clock=clock)
    stage.write([stage.handle(record(d)) for d in (JIANGSU_FRAUD, HAINAN_FRAUD)])
    assert stage.tick() == 0
    clock.set(datetime(2021, 6, 1, 8, 0, tzinfo=UTC))
    assert stage.tick() == 1
    stage.close()
    [mail] = smtp.sink.wait_for(1)
    assert mail.recipients == [READER]
    assert mail.subject == "Daily digest: 2 alerts for Scams"
    assert "Scams (search “fraud OR scam”)" in mail.part("plain")


def wait_until(done: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
