"""The alert stage when saved searches change under it: a store it cannot read, a daily
search switched to each match at once, turned off or deleted, and what it closes."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.errors import TransientError
from monitor.saved import SavedSearchDraft, SavedSearches, open_saved_searches
from monitor.saved.base import SavedSearch
from monitor.settings import Settings
from pipelines.alert import AlertStage, build_alert_stage
from tests.alerts.conftest import TO, Clock, LocalSmtp, make_settings, record, utc
from tests.alerts.test_saved_alerts import HAINAN_FRAUD, JIANGSU_FRAUD, READER, RULES

DOCS = (JIANGSU_FRAUD, HAINAN_FRAUD)
#: The file's rule matches nothing here: every email is a saved search's.
QUIET = RULES.replace('query = "fraud"', 'query = "nothingmatches"')


def draft(delivery: str | None = "daily", to: str = READER) -> SavedSearchDraft:
    email = {"to": to, "delivery": delivery} if delivery else None
    return SavedSearchDraft(name="Scams", q="fraud", email=email)  # type: ignore[arg-type]


def spoil(settings: Settings, search_id: str) -> None:
    """Leave a stored search as a later version, or a stricter parser, would find it."""
    db = sqlite3.connect(settings.data_dir / "saved.db")
    (doc,) = db.execute("SELECT doc FROM saved_searches WHERE id = ?", (search_id,)).fetchone()
    db.execute(
        "UPDATE saved_searches SET doc = ? WHERE id = ?",
        (json.dumps({**json.loads(doc), "q": "(fraud"}), search_id),
    )
    db.execute("UPDATE saved_revision SET revision = revision + 1")
    db.commit()
    db.close()


def test_a_stored_search_that_cannot_be_read_costs_no_article(
    tmp_path: Path, smtp: LocalSmtp
) -> None:
    settings = make_settings(tmp_path, smtp.port, RULES)
    store = open_saved_searches(settings)
    store.create(draft("immediate"), time.time())
    broken = store.create(draft("immediate", to="other@example.org"), time.time())
    spoil(settings, broken.id)
    stage = build_alert_stage(settings, saved=store)
    try:
        done = stage.write([stage.handle(record(d)) for d in DOCS])
        assert [d.outcome for d in done] == ["ok", "ok"]
        assert stage.tick() == 4  # the file's rule and the readable search, two articles each
    finally:
        stage.close()
        store.close()
    mails = smtp.sink.wait_for(4)
    assert sorted(m.recipients[0] for m in mails) == [TO, TO, READER, READER]


class Failing:
    """A store that answers its revision but whose list fails, as a bug would."""

    def __init__(self, store: SavedSearches, error: Exception) -> None:
        self.store = store
        self.error = error
        self.revisions = 0

    def revision(self) -> str:
        self.revisions += 1
        return str(self.revisions)

    def list(self) -> list[SavedSearch]:
        raise self.error

    def close(self) -> None:
        self.store.close()


def test_a_store_that_fails_keeps_the_rules_in_use_and_is_asked_once_per_batch(
    tmp_path: Path, smtp: LocalSmtp
) -> None:
    settings = make_settings(tmp_path, smtp.port, QUIET)
    store = open_saved_searches(settings)
    store.create(draft("immediate"), time.time())
    stage = build_alert_stage(settings, saved=store)
    rules = [r.name for r in stage.rules]
    failing = Failing(store, RuntimeError("the store's documents are not what was expected"))
    stage.saved = failing  # type: ignore[assignment]
    try:
        done = stage.write([stage.handle(record(d)) for d in DOCS])
        assert [d.outcome for d in done] == ["ok", "ok"]
        assert failing.revisions == 1  # one look for the batch of two, none per article
        assert [r.name for r in stage.rules] == rules
        assert stage.tick() == 2  # the saved search read before still emails
        # a store out of reach holds the batch back, before anything of it is recorded
        failing.revision = lambda: (_ for _ in ()).throw(TransientError("down"))  # type: ignore[method-assign]
        with pytest.raises(TransientError):
            stage.write([stage.handle(record(JIANGSU_FRAUD))])
    finally:
        stage.close()
        store.close()
    assert len(smtp.sink.wait_for(2)) == 2


def _daily_stage(settings: Settings, store: SavedSearches) -> tuple[AlertStage, Clock, str]:
    search = store.create(draft("daily"), time.time())
    clock = Clock(utc(1, 1))
    stage = build_alert_stage(settings, clock=clock, saved=store)
    stage.write([stage.handle(record(d)) for d in DOCS])
    assert len(stage.ledger.waiting()) == 2
    return stage, clock, search.id


def test_a_daily_search_switched_to_at_once_sends_what_waited_at_once(
    tmp_path: Path, smtp: LocalSmtp
) -> None:
    settings = make_settings(tmp_path, smtp.port, QUIET)
    store = open_saved_searches(settings)
    stage, clock, search_id = _daily_stage(settings, store)
    try:
        store.update(search_id, draft("immediate"), time.time())
        stage.write([])
        assert stage.ledger.waiting() == []
        assert stage.tick() == 1  # at once, not at the digest's time
        clock.set(datetime(2021, 6, 1, 8, 0, tzinfo=UTC))
        assert stage.tick() == 0
    finally:
        stage.close()
        store.close()
    [mail] = smtp.sink.wait_for(1)
    assert mail.recipients == [READER]
    assert mail.subject == "Daily digest: 2 alerts for Scams"


@pytest.mark.parametrize("change", ["email off", "deleted"])
def test_a_daily_search_turned_off_or_deleted_drops_what_waited(
    tmp_path: Path, smtp: LocalSmtp, change: str
) -> None:
    settings = make_settings(tmp_path, smtp.port, QUIET)
    store = open_saved_searches(settings)
    stage, clock, search_id = _daily_stage(settings, store)
    try:
        if change == "deleted":
            store.delete(search_id)
        else:
            store.update(search_id, draft(None), time.time())
        stage.write([])
        assert stage.ledger.waiting() == []
        clock.set(datetime(2021, 6, 1, 8, 0, tzinfo=UTC))
        assert stage.tick() == 0
        assert stage.ledger.next_due() is None
    finally:
        stage.close()
        store.close()
    assert smtp.sink.wait_for(1, timeout=0.3) == []


def test_a_switch_made_while_no_stage_ran_is_settled_when_one_starts(
    tmp_path: Path, smtp: LocalSmtp
) -> None:
    settings = make_settings(tmp_path, smtp.port, QUIET)
    store = open_saved_searches(settings)
    stage, _, search_id = _daily_stage(settings, store)
    stage.close()
    store.update(search_id, draft("immediate"), time.time())
    again = build_alert_stage(settings, saved=store)
    try:
        assert again.ledger.waiting() == []
        assert again.tick() == 1
    finally:
        again.close()
        store.close()
    assert len(smtp.sink.wait_for(1)) == 1


def test_the_stage_closes_what_it_opened_and_leaves_what_it_was_given(
    tmp_path: Path, smtp: LocalSmtp
) -> None:
    settings = make_settings(tmp_path, smtp.port, QUIET)
    store = open_saved_searches(settings)
    stage = build_alert_stage(settings, saved=store)
    stage.close()
    assert store.list() == []  # still open for the web app that passed it in
    store.close()
