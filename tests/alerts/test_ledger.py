"""The alert ledger contract, run on the SQLite ledger and on the Elasticsearch ledger
(against osmem-server, and a real cluster named by MONITOR_ELASTICSEARCH__URL)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from monitor.alerts.ledger.base import Entry, Ledger
from monitor.alerts.ledger.elasticsearch import ElasticsearchLedger
from monitor.alerts.ledger.sqlite import SqliteLedger
from monitor.models import EnrichedArticle
from tests.alerts.conftest import BACKENDS, CLEAN_INTERNET, article, opener

TO = ("a@example.org",)
T0 = 1_000_000.0


@pytest.fixture(params=BACKENDS)
def open_ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Ledger]]:
    """Opens ledgers on one store: each call is another alert process."""
    yield from opener(
        request, tmp_path, lambda folder: SqliteLedger(folder / "alerts.db"), ElasticsearchLedger
    )


def entry(
    doc: EnrichedArticle,
    rule: str = "n",
    campaign: str | None = "Clean Internet 2021",
    due: float | None = T0,
) -> Entry:
    return Entry(
        rule=rule,
        kind="new_campaign" if campaign else "query",
        article=doc,
        reason="r",
        recipients=TO,
        campaign=campaign,
        due_at=due,
    )


COPY = article(
    "copy",
    title=CLEAN_INTERNET.title.upper(),
    body=CLEAN_INTERNET.body,
    source="Xinhua",
    campaigns=(("Clean Internet 2021", "净网2021", False),),
)
LATER = article(
    "later",
    title="Clean Internet 2021, month two",
    campaigns=(("Clean Internet 2021", "净网2021", False),),
)


def test_one_alert_per_campaign_copies_join_and_repeats_are_recorded(
    open_ledger: Callable[[], Ledger],
) -> None:
    ledger = open_ledger()
    assert ledger.record([entry(CLEAN_INTERNET), entry(COPY)], T0) == ["alerted", "joined"]
    assert ledger.record([entry(LATER), entry(CLEAN_INTERNET)], T0 + 1) == ["repeat", "duplicate"]
    [email] = ledger.claim_due("me", T0, lease=60)
    assert email.kind == "immediate" and email.recipients == TO
    [alert] = email.alerts
    assert alert.campaign == "Clean Internet 2021"
    assert [d.source for d in alert.articles] == ["Ministry of Public Security", "Xinhua"]


def test_stories_with_the_same_title_but_other_text_are_separate_alerts(
    open_ledger: Callable[[], Ledger],
) -> None:
    ledger = open_ledger()
    a = article(
        "a",
        title="Police report",
        body="Police in Jiangsu arrested twelve people "
        "suspected of running a fake investment platform out of Suzhou.",
    )
    b = article(
        "b",
        title="Police Report",
        body="Police in Hainan closed nine gambling "
        "websites and froze the accounts of their operators last week.",
    )
    a_copy = article("a2", title="Police report", source="Other", body=a.body)
    outcomes = ledger.record([entry(d, rule="q", campaign=None) for d in (a, b, a_copy)], T0)
    assert outcomes == ["alerted", "alerted", "joined"]
    emails = ledger.claim_due("me", T0, lease=60)
    assert sorted(len(e.alerts[0].articles) for e in emails) == [1, 2]


def test_two_processes_recording_the_same_match_make_one_alert(
    open_ledger: Callable[[], Ledger],
) -> None:
    ledgers = [open_ledger(), open_ledger()]
    results: list[list[str]] = []
    barrier = threading.Barrier(2)

    def work(ledger: Ledger) -> None:
        barrier.wait()
        results.append(list(ledger.record([entry(CLEAN_INTERNET)], T0)))

    threads = [threading.Thread(target=work, args=(ledger,)) for ledger in ledgers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ledgers[0].claim_due("me", T0, lease=60)) == 1
    assert ledgers[1].claim_due("you", T0, lease=60) == []
    assert len(ledgers[1].history()) == 1


def test_the_outbox_leases_retries_and_sends_once(open_ledger: Callable[[], Ledger]) -> None:
    one, two = open_ledger(), open_ledger()
    one.record([entry(CLEAN_INTERNET, due=T0 + 5)], T0)
    assert one.claim_due("one", T0, lease=60) == []  # not due yet
    assert one.next_due() == T0 + 5
    [email] = one.claim_due("one", T0 + 5, lease=60)
    assert two.claim_due("two", T0 + 6, lease=60) == []  # leased to one
    one.mark_failed(email.id, "one", "451 try later", retry_at=T0 + 10)
    [failed] = two.history()
    assert (failed.status, failed.attempts, failed.last_error) == ("pending", 1, "451 try later")
    assert two.claim_due("two", T0 + 9, lease=60) == []
    [again] = two.claim_due("two", T0 + 10, lease=60)
    assert again.attempts == 1
    one.mark_sent(again.id, "one", "wrong owner", "<x@y>", T0 + 11)  # not its lease: ignored
    two.mark_sent(again.id, "two", "New campaign: Clean Internet 2021", "<m@example.org>", T0 + 11)
    assert one.claim_due("one", T0 + 1000, lease=60) == []
    assert one.next_due() is None
    [sent] = one.history()
    assert (sent.status, sent.subject, sent.sent_at, sent.attempts, sent.last_error) == (
        "sent",
        "New campaign: Clean Internet 2021",
        T0 + 11,
        2,
        None,
    )
    assert [(a.id, a.role) for a in sent.articles] == [("art-1", "first")]


def test_a_lease_that_expires_lets_another_process_send(open_ledger: Callable[[], Ledger]) -> None:
    one, two = open_ledger(), open_ledger()
    one.record([entry(CLEAN_INTERNET)], T0)
    assert len(one.claim_due("one", T0, lease=30)) == 1  # ... and "one" dies
    assert two.claim_due("two", T0 + 29, lease=30) == []
    assert len(two.claim_due("two", T0 + 30, lease=30)) == 1


def test_a_digest_takes_what_waited_until_its_time_once(open_ledger: Callable[[], Ledger]) -> None:
    ledger = open_ledger()
    docs = [
        article(i, title=f"Fraud case {i}", body=f"Case {i} text about fraud number {i}.")
        for i in range(3)
    ]
    for i, doc in enumerate(docs):
        assert ledger.record([entry(doc, rule="d", campaign=None, due=None)], T0 + i * 10) == [
            "alerted"
        ]
    assert [a.articles[0].id for a in ledger.waiting()] == ["art-2", "art-1", "art-0"]
    assert ledger.claim_due("me", T0 + 100, lease=60) == []
    assert ledger.close_digest("digest|d|1", ["d"], TO, cutoff=T0 + 15, now=T0 + 100)
    assert not ledger.close_digest("digest|d|1", ["d"], TO, cutoff=T0 + 15, now=T0 + 101)
    assert not ledger.close_digest("digest|x|1", ["x"], TO, cutoff=T0 + 15, now=T0 + 101)
    [digest] = ledger.claim_due("me", T0 + 100, lease=60)
    assert digest.kind == "digest" and digest.rules == ("d",)
    assert [a.articles[0].id for a in digest.alerts] == ["art-0", "art-1"]
    assert [a.articles[0].id for a in ledger.waiting()] == ["art-2"]


def test_an_address_gets_one_immediate_email_per_article_whichever_rules_match(
    open_ledger: Callable[[], Ledger],
) -> None:
    """Rules are recorded in order (config/alerts.toml, then saved searches): a later rule's
    email leaves out the addresses an earlier rule's email already carries the article to."""
    ledger = open_ledger()
    doc = article("fraud", title="Police in Jiangsu break up a telecom fraud ring")
    other = article("other", title="Police in Hainan close gambling websites")

    def query(rule: str, d: EnrichedArticle, *to: str) -> Entry:
        return Entry(rule=rule, kind="query", article=d, reason="r", recipients=to, due_at=T0)

    outcomes = ledger.record(
        [
            query("fraud", doc, "a@example.org", "b@example.org"),
            query("saved:1", doc, "A@example.org"),  # the same address, written otherwise
            query("saved:2", doc, "a@example.org", "c@example.org"),
            query("saved:1", other, "a@example.org"),  # another article: its own email
        ],
        T0,
    )
    assert outcomes == ["alerted", "alerted", "alerted", "alerted"]
    emails = {e.rules[0]: e for e in ledger.claim_due("me", T0, lease=1000)}
    assert {rule: e.recipients for rule, e in emails.items()} == {
        "fraud": ("a@example.org", "b@example.org"),
        "saved:2": ("c@example.org",),
        "saved:1": ("a@example.org",),
    }
    assert emails["saved:1"].alerts[0].articles[0].id == "art-other"
    # the covered alert is kept (a copy joins it and sends nothing) and never waits for a digest
    copy = article("fraud-copy", title=doc.title, body=doc.body, source="Xinhua")
    assert ledger.record([query("saved:1", copy, "a@example.org")], T0 + 1) == ["joined"]
    assert ledger.claim_due("me", T0 + 100, lease=60) == []
    assert ledger.waiting() == []
    # a redelivered batch changes nothing
    assert ledger.record([query("saved:1", doc, "a@example.org")], T0 + 2) == ["duplicate"]
