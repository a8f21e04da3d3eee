"""The saved-search store contract, run on the SQLite store and the Elasticsearch store
(against osmem-server, and a real cluster named by MONITOR_ELASTICSEARCH__URL)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import elastic_transport
import pytest

from monitor.saved.base import SavedSearchDraft, SavedSearches
from monitor.saved.elasticsearch import ElasticsearchSavedSearches
from monitor.saved.sqlite import SqliteSavedSearches
from tests.alerts.conftest import BACKENDS, opener

T0 = 1_700_000_000.0


@pytest.fixture(params=BACKENDS)
def open_store(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[], SavedSearches]]:
    """Opens stores on one backing store: each call is another process (web app, alert stage)."""
    yield from opener(
        request,
        tmp_path,
        lambda folder: SqliteSavedSearches(folder / "saved.db"),
        ElasticsearchSavedSearches,
    )


FRAUD = SavedSearchDraft(
    name="Fraud in Jiangsu",
    q='fraud OR "telecom scam"',
    filters={"region": ("Jiangsu",), "level": ("province",)},
    date_from="2021-01-01",
    sort="date",
    email={"to": "analyst@example.org", "delivery": "daily", "at": "07:30"},  # type: ignore[arg-type]
)


def test_saved_searches_are_created_read_changed_and_deleted(
    open_store: Callable[[], SavedSearches],
) -> None:
    web, stage = open_store(), open_store()
    assert web.list() == [] and web.get("0" * 32) is None
    first = web.create(FRAUD, T0)
    second = web.create(SavedSearchDraft(name="Kunlun", q="campaign:Kunlun"), T0 + 1)
    assert first.id != second.id
    # another process sees them, oldest first, exactly as saved
    assert [s.id for s in stage.list()] == [first.id, second.id]
    again = stage.get(first.id)
    assert again == first
    assert again.url == (
        "/?q=fraud+OR+%22telecom+scam%22&region=Jiangsu&level=province"
        "&date_from=2021-01-01&sort=date"
    )
    assert again.email is not None and again.email.at == "07:30"

    renamed = stage.update(
        first.id, FRAUD.model_copy(update={"name": "Scams", "email": None}), T0 + 5
    )
    assert renamed is not None
    assert (renamed.name, renamed.email, renamed.created_at, renamed.updated_at) == (
        "Scams",
        None,
        T0,
        T0 + 5,
    )
    assert web.get(first.id) == renamed
    assert web.update("f" * 32, FRAUD, T0) is None

    assert web.delete(second.id) is True
    assert web.delete(second.id) is False
    assert [s.name for s in stage.list()] == ["Scams"]


def test_the_revision_changes_with_every_change_seen_from_another_process(
    open_store: Callable[[], SavedSearches],
) -> None:
    web, stage = open_store(), open_store()
    seen = {stage.revision()}
    saved = web.create(FRAUD, T0)
    assert stage.revision() not in seen
    seen.add(stage.revision())
    web.update(saved.id, FRAUD.model_copy(update={"name": "Other"}), T0 + 1)
    assert stage.revision() not in seen
    seen.add(stage.revision())
    web.delete(saved.id)
    assert stage.revision() not in seen
    # nothing changed: the same revision however often it is asked (the alert stage asks
    # once per batch; bench/saved_searches.py measures what that costs)
    assert len({stage.revision() for _ in range(20)}) == 1


def _store_raw(store: SavedSearches, search_id: str, doc: dict[str, Any], path: Path) -> None:
    """Write a stored document as another version of the monitor would have left it."""
    if isinstance(store, ElasticsearchSavedSearches):
        store.client.index(
            index=store.names["searches"],
            id=search_id,
            document={"created_at": doc["created_at"], "doc": doc},
            refresh=True,
        )
    else:
        db = sqlite3.connect(path / "saved.db")
        db.execute("UPDATE saved_searches SET doc = ? WHERE id = ?", (json.dumps(doc), search_id))
        db.commit()
        db.close()


def test_a_stored_search_that_does_not_validate_is_left_out_not_fatal(
    open_store: Callable[[], SavedSearches], tmp_path: Path
) -> None:
    web, stage = open_store(), open_store()
    kept = web.create(FRAUD, T0)
    newer = web.create(FRAUD.model_copy(update={"name": "Newer"}), T0 + 1)
    doc = newer.model_dump(mode="json")
    _store_raw(web, newer.id, {**doc, "colour": "red"}, tmp_path)  # a field of a later version
    for _ in range(2):
        listing = stage.listing()
        assert [s.id for s in listing.searches] == [kept.id]
        assert listing.unreadable == [newer.id]
    assert [s.id for s in stage.list()] == [kept.id]
    assert stage.get(newer.id) is None
    # saved over, it is readable again; deleted, it is gone
    assert web.update(newer.id, FRAUD, T0 + 2) is not None
    assert [s.id for s in stage.list()] == [kept.id, newer.id]
    _store_raw(web, newer.id, {**doc, "q": "(fraud"}, tmp_path)  # a query now refused
    assert stage.listing().unreadable == [newer.id]
    assert web.delete(newer.id)
    assert stage.listing().unreadable == []


def test_a_delete_between_the_read_and_the_write_of_an_update_stays(
    open_store: Callable[[], SavedSearches],
) -> None:
    web, other = open_store(), open_store()
    saved = web.create(FRAUD, T0)
    if isinstance(web, ElasticsearchSavedSearches):
        read = web._get

        def read_then_deleted(search_id: str) -> dict[str, Any] | None:
            hit = read(search_id)
            other.delete(search_id)  # lands between this update's read and its write
            return hit

        web._get = read_then_deleted  # type: ignore[method-assign]
    else:
        other.delete(saved.id)  # one transaction reads and writes: nothing can land between
    assert web.update(saved.id, FRAUD.model_copy(update={"name": "Back?"}), T0 + 1) is None
    assert other.get(saved.id) is None and other.list() == []


def test_a_search_saved_when_the_revision_cannot_be_raised_is_saved_and_seen(
    open_store: Callable[[], SavedSearches], monkeypatch: pytest.MonkeyPatch
) -> None:
    web, stage = open_store(), open_store()
    before = stage.revision()
    if isinstance(web, ElasticsearchSavedSearches):
        index = web.client.index

        def revision_down(**kwargs: Any) -> Any:
            if kwargs["index"] == web.names["revision"]:
                raise elastic_transport.ConnectionError("the cluster went away")
            return index(**kwargs)

        monkeypatch.setattr(web.client, "index", revision_down)
    # saved, not an error a retry would make into a second copy
    saved = web.create(FRAUD, T0)
    assert [s.id for s in stage.list()] == [saved.id]
    assert stage.revision() != before
    renamed = stage.revision()
    web.update(saved.id, FRAUD.model_copy(update={"name": "Renamed"}), T0 + 1)
    assert stage.revision() != renamed
