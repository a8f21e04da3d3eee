"""The alert stage end to end: the embedded bus, the runner, the ledger and a real SMTP server."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from monitor.alerts import open_ledger
from monitor.bus.base import ENRICHED, RAW
from monitor.bus.embedded import EmbeddedBus
from monitor.index.embedded import EmbeddedIndex
from monitor.models import Article, EnrichedArticle
from monitor.settings import Settings
from pipelines.alert import AlertStage, Matched, build_alert_stage
from pipelines.runner import Runner
from pipelines.stages import build_runner
from tests.alerts.conftest import CLEAN_INTERNET, TO, LocalSmtp, article, make_settings
from tests.support.osmem import Osmem


@pytest.fixture
def bus(alert_settings: Settings) -> Iterator[EmbeddedBus]:
    b = EmbeddedBus(alert_settings.data_dir / "bus.db", session_timeout=2)
    yield b
    b.close()


def publish(bus: EmbeddedBus, docs: Sequence[EnrichedArticle]) -> None:
    producer = bus.producer()
    for doc in docs:
        producer.produce(ENRICHED, doc.to_json(), doc.id)
    producer.flush()


def run(settings: Settings, bus: EmbeddedBus, stage: AlertStage | None = None) -> AlertStage:
    """Drain the enriched topic through a (new) alert stage, then send what is due."""
    stage = stage or build_alert_stage(settings)
    runner = Runner(stage, bus.consumer(ENRICHED, "alert"), bus.producer(), batch_timeout=0.05)
    runner.drain()
    runner.consumer.close()
    stage.tick()
    return stage


def test_a_new_campaign_sends_exactly_one_email(
    alert_settings: Settings, bus: EmbeddedBus, smtp: LocalSmtp
) -> None:
    publish(bus, [CLEAN_INTERNET])
    run(alert_settings, bus).close()

    [mail] = smtp.sink.wait_for(1)
    assert mail.subject == (
        "New campaign: Clean Internet 2021 (净网2021), Ministry of Public Security"
    )
    assert mail.recipients == [TO]
    assert mail.sender == "monitor@example.org"
    assert mail.message["To"] == TO
    assert mail.message.get_content_type() == "multipart/alternative"
    text, html = mail.part("plain"), mail.part("html")
    for body in (text, html):
        assert "Ministry of Public Security launches Clean Internet 2021 campaign" in body
        assert "2021-06-01 09:30 UTC" in body
        assert "https://monitor.example.org/articles/art-1" in body
        assert "https://monitor.example.org/campaigns/Clean%20Internet%202021" in body
        assert "17,000 people" in body and "1.2 billion yuan" in body
        assert "seized 1.2 billion yuan" in body  # the quote
        assert "https://news.example.cn/1.html" in body
    assert "<table" in html and "<td" in html
    assert smtp.sink.wait_for(2, timeout=0.5) == [mail]


def test_the_same_articles_again_send_nothing(
    alert_settings: Settings, bus: EmbeddedBus, smtp: LocalSmtp
) -> None:
    later = article(
        2,
        title="Clean Internet 2021: results of the first month",
        source="Xinhua",
        campaigns=(("Clean Internet 2021", "净网2021", False),),
    )
    publish(bus, [CLEAN_INTERNET])
    run(alert_settings, bus).close()
    assert len(smtp.sink.wait_for(1)) == 1

    # The same article redelivered, and a later article of the same campaign that the
    # extractor still thought new (it was extracted before the first was indexed).
    publish(bus, [CLEAN_INTERNET, later, CLEAN_INTERNET])
    run(alert_settings, bus).close()
    assert len(smtp.sink.wait_for(2, timeout=1.0)) == 1


def test_a_restart_between_send_and_commit_sends_nothing(
    alert_settings: Settings, bus: EmbeddedBus, smtp: LocalSmtp
) -> None:
    publish(bus, [CLEAN_INTERNET])
    stage = build_alert_stage(alert_settings)
    consumer = bus.consumer(ENRICHED, "alert")
    records = consumer.poll(10, 1.0)
    stage.write([stage.handle(r) for r in records])
    stage.tick()
    assert len(smtp.sink.wait_for(1)) == 1
    consumer.close()  # the process dies here: the offset was never committed
    stage.close()

    restarted = run(alert_settings, bus)
    restarted.close()
    assert bus.consumer(ENRICHED, "alert").lag() == {0: 0}
    assert len(smtp.sink.wait_for(2, timeout=1.0)) == 1


def test_two_alert_processes_send_one_email(alert_settings: Settings, smtp: LocalSmtp) -> None:
    stages = [build_alert_stage(alert_settings) for _ in range(2)]
    barrier = threading.Barrier(2)

    def work(stage: AlertStage) -> None:
        barrier.wait()
        stage.write([_matched(stage, CLEAN_INTERNET)])
        stage.tick()

    threads = [threading.Thread(target=work, args=(s,)) for s in stages]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stages:
        s.close()
    assert len(smtp.sink.wait_for(2, timeout=1.0)) == 1


def _matched(stage: AlertStage, doc: EnrichedArticle) -> Matched:
    return Matched(doc, tuple(stage.matcher.matches(doc)))


def test_syndicated_copies_make_one_alert_listing_every_source(
    alert_settings: Settings, bus: EmbeddedBus, smtp: LocalSmtp
) -> None:
    title = "Police crack down on “Thunder Hawk” telecom fraud ring"
    body = (
        "Police in Guangdong launched the “Thunder Hawk” operation against telecom "
        "fraud, arresting 1,200 suspects and closing 300 websites across the province "
        "in three weeks of raids."
    )
    campaign = (("Thunder Hawk", "Thunder Hawk", False),)
    first = article(
        "a", title=title, body=body, source="Guangdong Public Security", campaigns=campaign
    )
    copy = article(
        "b",
        title=title.upper(),
        body=body + " (Reprinted from Guangdong police.)",
        source="China Daily",
        campaigns=campaign,
    )
    late_copy = article("c", title=title, body=body, source="Xinhua", campaigns=campaign)
    publish(bus, [first, copy])
    stage = run(alert_settings, bus)

    [mail] = smtp.sink.wait_for(1)
    assert mail.subject.startswith("New campaign: Thunder Hawk, ")
    for body_text in (mail.part("plain"), mail.part("html")):
        assert "Guangdong Public Security" in body_text and "China Daily" in body_text

    publish(bus, [late_copy])
    run(alert_settings, bus, stage).close()
    assert len(smtp.sink.wait_for(2, timeout=1.0)) == 1


FOREIGN_RULES = """
[delivery]
gather_seconds = 0.0
retry_initial = 0.1
retry_max = 0.5

[[rule]]
name = "new_campaign"
kind = "new_campaign"

[[rule]]
name = "fraud-anywhere"
kind = "query"
title = "Online fraud anywhere"
query = "fraud"
"""


def test_an_operation_led_abroad_sends_no_new_campaign_email(
    tmp_path: Path, smtp: LocalSmtp
) -> None:
    settings = make_settings(tmp_path, smtp.port, FOREIGN_RULES)
    led_abroad = article(
        "interpol",
        title="INTERPOL operation HAECHI IV seizes USD 300 million from online fraudsters",
        body=(
            "An INTERPOL-coordinated operation across 34 countries, HAECHI IV, led to about "
            "3,500 arrests and the seizure of USD 300 million in assets tied to online fraud. "
            "Police in Hong Kong and mainland China took part."
        ),
        source="INTERPOL news",
        agencies=("INTERPOL",),
        campaigns=(("HAECHI IV", "HAECHI IV", False),),
        chinese_police=False,
    )
    led_at_home = article(
        "home",
        title="Police in Zhejiang launch the “Sharp Blade” operation against online fraud",
        body="The Zhejiang public security department opened the “Sharp Blade” operation "
        "against online fraud and arrested 640 suspects in its first month.",
        source="Zhejiang Public Security",
        agencies=("Zhejiang Provincial Public Security Department",),
        campaigns=(("Sharp Blade", "利刃", False),),
    )
    bus = EmbeddedBus(settings.data_dir / "bus.db", session_timeout=2)
    publish(bus, [led_abroad])
    try:
        stage = run(settings, bus)
        # the saved search still reports it; only the new-Chinese-campaign email stays quiet
        [mail] = smtp.sink.wait_for(1)
        assert mail.subject.startswith("Online fraud anywhere")
        assert "HAECHI IV" in mail.part("plain")
        assert not any(m.subject.startswith("New campaign") for m in smtp.sink.wait_for(2, 0.5))

        publish(bus, [led_at_home])
        run(settings, bus, stage).close()
        # both rules match it for the same address: one email, from the rule listed first
        subjects = [m.subject for m in smtp.sink.wait_for(2)]
        assert subjects == [
            "Online fraud anywhere: INTERPOL operation HAECHI IV seizes USD 300 million from"
            " online fraudsters, INTERPOL",
            # the file's new-campaign rule, listed before the saved search, names the email
            "New campaign: Sharp Blade (利刃), Zhejiang Provincial Public Security Department",
        ]
        assert len(smtp.sink.wait_for(3, timeout=0.5)) == 2
    finally:
        bus.close()


def test_an_smtp_server_away_for_a_while_gets_the_mail_once_back(
    tmp_path: Path, smtp: LocalSmtp
) -> None:
    settings = make_settings(tmp_path, smtp.port)
    smtp.stop()
    stage = build_alert_stage(settings)
    stage.start()
    try:
        stage.write([_matched(stage, CLEAN_INTERNET)])
        [pending] = stage.ledger.history(10)
        assert pending.status == "pending"
        _wait(lambda: stage.ledger.history(10)[0].attempts >= 2)
        failed = stage.ledger.history(10)[0]
        assert failed.status == "pending" and "unreachable" in (failed.last_error or "")

        smtp.start()
        [mail] = smtp.sink.wait_for(1)
        assert mail.subject.startswith("New campaign: Clean Internet 2021")
        _wait(lambda: stage.ledger.history(10)[0].status == "sent")
    finally:
        stage.close()
    assert len(smtp.sink.wait_for(2, timeout=1.0)) == 1
    ledger = open_ledger(settings)
    [sent] = ledger.history(10)
    ledger.close()
    assert sent.status == "sent" and sent.last_error is None and sent.attempts >= 3


def test_a_server_that_says_try_later_gets_the_mail_delivered_once(
    alert_settings: Settings, smtp: LocalSmtp
) -> None:
    smtp.sink.refuse = 3
    stage = build_alert_stage(alert_settings)
    stage.start()
    try:
        stage.write([_matched(stage, CLEAN_INTERNET)])
        [mail] = smtp.sink.wait_for(1)
    finally:
        stage.close()
    assert smtp.sink.refused == 3
    assert mail.subject.startswith("New campaign: Clean Internet 2021")
    assert len(smtp.sink.wait_for(2, timeout=1.0)) == 1


def _wait(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_on_the_elasticsearch_ledger_a_redelivered_campaign_alerts_once(
    tmp_path: Path, smtp: LocalSmtp, osmem: Osmem
) -> None:
    settings = make_settings(
        tmp_path,
        smtp.port,
        index="elasticsearch",
        elasticsearch={"url": osmem.url, "index_prefix": f"test-{uuid.uuid4().hex[:8]}"},
    )
    bus = EmbeddedBus(settings.data_dir / "bus.db", session_timeout=2)
    try:
        publish(bus, [CLEAN_INTERNET])
        consumer = bus.consumer(ENRICHED, "alert")
        first = build_alert_stage(settings)
        first.write([first.handle(r) for r in consumer.poll(10, 1.0)])
        first.tick()
        consumer.close()  # dies before committing
        first.close()
        run(settings, bus).close()  # another alert process gets the message again
    finally:
        bus.close()
    [mail] = smtp.sink.wait_for(1)
    assert mail.subject.startswith("New campaign: Clean Internet 2021 (净网2021)")
    assert len(smtp.sink.wait_for(2, timeout=1.0)) == 1
    ledger = open_ledger(settings)
    assert [e.status for e in ledger.history()] == ["sent"]
    ledger.close()


def test_through_the_pipeline_a_new_campaign_alerts_once_however_often_it_is_ingested(
    alert_settings: Settings, bus: EmbeddedBus, smtp: LocalSmtp
) -> None:
    index = EmbeddedIndex(alert_settings.data_dir / "index.db")
    raw = [
        Article(
            id=f"raw-{n}",
            feed_id="mps",
            source="Ministry of Public Security",
            url=f"https://www.mps.gov.cn/{n}.html",
            title=title,
            body=body,
            lang="en",
        ).with_hash()
        for n, title, body in [
            (
                1,
                "Ministry launches “Thunder Hawk” campaign against online fraud",
                "The Ministry of Public Security on Monday launched the “Thunder Hawk” special "
                "campaign against telecom and online fraud, arresting 12,000 suspects.",
            ),
            (
                2,
                "“Thunder Hawk” campaign: first results",
                "Police across the country continued the “Thunder Hawk” campaign against telecom "
                "fraud this week.",
            ),
        ]
    ]
    producer = bus.producer()

    def ingest(articles: Sequence[Article]) -> None:
        for a in articles:
            producer.produce(RAW, a.to_json(), a.id)
        producer.flush()
        for name in ("extract", "index", "alert"):
            runner = build_runner(name, alert_settings, bus, index)
            runner.drain()
            runner.consumer.close()
            if isinstance(runner.stage, AlertStage):
                runner.stage.tick()
                runner.stage.close()

    ingest(raw[:1])
    ingest(raw)  # the same article again, and a later one of the same campaign
    index.close()
    [mail] = smtp.sink.wait_for(1)
    assert mail.subject == "New campaign: Thunder Hawk, Ministry of Public Security"
    assert "https://monitor.example.org/articles/raw-1" in mail.part("plain")
    assert len(smtp.sink.wait_for(2, timeout=1.0)) == 1
