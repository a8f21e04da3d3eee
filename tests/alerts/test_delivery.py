"""Digests, header safety and the alert history, read back from a real SMTP server."""

from __future__ import annotations

from pathlib import Path

from monitor.alerts import open_ledger
from monitor.models import EnrichedArticle
from pipelines.alert import AlertStage, Matched, build_alert_stage
from tests.alerts.conftest import (
    CLEAN_INTERNET,
    TO,
    Clock,
    LocalSmtp,
    article,
    figure,
    make_settings,
    utc,
)

DIGEST_RULES = """
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
query = "fraud OR 诈骗"
delivery = "digest"
schedule = { every = "day", at = "08:00", timezone = "Asia/Shanghai" }

[[rule]]
name = "big-arrests"
kind = "figure"
title = "Big arrests"
measure = "arrested"
at_least = 10000
delivery = "digest"
schedule = { every = "day", at = "08:00", timezone = "Asia/Shanghai" }
"""


def feed(stage: AlertStage, *docs: EnrichedArticle) -> None:
    stage.write([Matched(d, tuple(stage.matcher.matches(d))) for d in docs])


def test_a_digest_gathers_the_days_matches_into_one_email(tmp_path: Path, smtp: LocalSmtp) -> None:
    settings = make_settings(tmp_path, smtp.port, DIGEST_RULES)
    clock = Clock(utc(1, 0, 30))  # just after the 08:00 Beijing digest of June 1
    stage = build_alert_stage(settings, clock=clock)
    kunlun = (("Kunlun 2021", "Kunlun 2021", True),)
    thunder = (("Thunder", "雷霆", True),)
    day = [
        (utc(1, 2), article(1, title="Kunlun 2021 strikes at online fraud", campaigns=kunlun)),
        (
            utc(1, 9),
            article(2, title="More Kunlun 2021 results against telecom fraud", campaigns=kunlun),
        ),
        (
            utc(1, 15),
            article(
                3,
                title="广东“雷霆”行动打击电信诈骗",
                lang="zh",
                campaigns=thunder,
                figures=(figure(11000, "people", "arrested", "抓获1.1万名"),),
            ),
        ),
        (utc(1, 23, 50), article(4, title="A fraud case without a campaign")),
    ]
    assert stage.tick() == 0
    for when, doc in day:
        clock.set(when)
        feed(stage, doc)
        assert stage.tick() == 0
    assert smtp.sink.wait_for(1, timeout=0.3) == []

    clock.set(utc(2, 0, 0))  # 08:00 in Beijing
    assert stage.tick() == 1
    clock.set(utc(2, 0, 30))
    feed(stage, article(5, title="Next day's fraud news"))
    assert stage.tick() == 0
    stage.close()

    [mail] = smtp.sink.wait_for(1)
    assert mail.subject == "Daily digest: 5 alerts for Big arrests, Fraud"
    assert mail.recipients == [TO]
    text = mail.part("plain")
    # grouped by rule, then by campaign; articles without a campaign last
    order = [
        "Fraud (search “fraud OR 诈骗”)",
        "[Kunlun 2021]",
        "Kunlun 2021 strikes",
        "More Kunlun 2021 results",
        "[Thunder]",
        "广东“雷霆”行动打击电信诈骗",
        "[Without a campaign]",
        "A fraud case without a campaign",
        "Big arrests (arrested of at least 10,000)",
        "[Thunder]",
        "Why: arrested 11,000 people ≥ 10,000",
        "广东“雷霆”行动打击电信诈骗",
    ]
    at = 0
    for part in order:
        assert part in text[at:], f"{part!r} missing or out of order in:\n{text}"
        at = text.index(part, at) + len(part)
    assert "Next day's fraud news" not in text
    html = mail.part("html")
    assert '<a href="https://monitor.example.org/campaigns/Kunlun%202021">Kunlun 2021</a>' in html

    ledger = open_ledger(settings)
    [waiting] = ledger.waiting()
    assert waiting.articles[0].title == "Next day's fraud news"
    [digest] = ledger.history()
    assert (digest.kind, digest.status, digest.subject) == ("digest", "sent", mail.subject)
    ledger.close()


def test_nothing_in_an_article_can_add_headers_or_recipients(
    tmp_path: Path, smtp: LocalSmtp
) -> None:
    settings = make_settings(tmp_path, smtp.port)
    stage = build_alert_stage(settings)
    evil = article(
        "evil",
        title="Fraud ring busted\r\nBcc: spy@evil.example\r\nX-Injected: yes",
        source="Evil\nTo: spy@evil.example",
        campaigns=(
            ("Operation\r\nCc: spy@evil.example", "Operation\nCc: spy@evil.example", False),
        ),
        agencies=("Agency\r\n\r\n<script>alert(1)</script>",),
    )
    feed(stage, evil)
    stage.tick()
    stage.close()
    [mail] = smtp.sink.wait_for(1)
    assert mail.recipients == [TO]
    headers = {k.lower() for k in mail.message}
    assert not headers & {"bcc", "cc", "x-injected"}
    assert mail.message.get_all("To") == [TO]
    assert "\n" not in mail.subject and "\r" not in mail.subject
    assert mail.subject.startswith("New campaign: Operation Cc: spy@evil.example")
    assert "<script>" not in mail.part("html")
    assert "&lt;script&gt;" in mail.part("html") or "script" not in mail.part("html")


def test_the_history_lists_every_email_with_its_sources_and_status(
    tmp_path: Path, smtp: LocalSmtp
) -> None:
    settings = make_settings(tmp_path, smtp.port)
    stage = build_alert_stage(settings)
    feed(stage, CLEAN_INTERNET)
    stage.tick()
    copy = article(
        "copy",
        title=CLEAN_INTERNET.title,
        body=CLEAN_INTERNET.body,
        source="Xinhua",
        campaigns=(("Clean Internet 2021", "净网2021", False),),
    )
    feed(stage, copy)
    assert stage.tick() == 0
    stage.close()
    assert len(smtp.sink.wait_for(1)) == 1

    ledger = open_ledger(settings)
    [entry] = ledger.history(10)
    ledger.close()
    assert entry.status == "sent" and entry.attempts == 1 and entry.last_error is None
    assert entry.subject.startswith("New campaign: Clean Internet 2021 (净网2021)")
    assert entry.recipients == (TO,) and entry.rules == ("new_campaign",)
    assert [(a.source, a.role) for a in entry.articles] == [
        ("Ministry of Public Security", "first"),
        ("Xinhua", "copy"),
    ]
    assert entry.sent_at is not None and entry.sent_at >= entry.created_at
