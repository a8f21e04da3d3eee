"""The saved-search store contract, run on the SQLite store and the Elasticsearch store
(against osmem-server, and a real cluster named by MONITOR_ELASTICSEARCH__URL)."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from monitor.saved.base import SavedSearchDraft, SavedSearches
from monitor.saved.elasticsearch import ElasticsearchSavedSearches
from monitor.saved.sqlite import SqliteSavedSearches
from monitor.settings import ElasticsearchSettings, load_settings
from tests.alerts.conftest import ROOT

BACKENDS: list = ["sqlite", "osmem"]
if os.environ.get("MONITOR_ELASTICSEARCH__URL"):
    BACKENDS.append(pytest.param("external", marks=pytest.mark.external))
T0 = 1_700_000_000.0


@pytest.fixture(params=BACKENDS)
def open_store(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[], SavedSearches]]:
    """Opens stores on one backing store: each call is another process (web app, alert stage)."""
    opened: list[SavedSearches] = []
    if request.param == "sqlite":

        def make() -> SavedSearches:
            opened.append(SqliteSavedSearches(tmp_path / "saved.db"))
            return opened[-1]
    else:
        prefix = f"test-{uuid.uuid4().hex[:12]}"
        if request.param == "osmem":
            es = ElasticsearchSettings(
                url=request.getfixturevalue("osmem").url, index_prefix=prefix
            )
        else:
            es = load_settings(ROOT / "config" / "monitor.toml").elasticsearch.model_copy(
                update={"index_prefix": prefix}
            )

        def make() -> SavedSearches:
            opened.append(ElasticsearchSavedSearches(es))
            return opened[-1]

    yield make
    for store in opened:
        store.close()


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
    # nothing changed: the same revision, and asking is cheap (the alert stage asks per batch)
    assert stage.revision() == stage.revision()
    started = time.perf_counter()
    for _ in range(50):
        stage.revision()
    assert (time.perf_counter() - started) / 50 < 0.02
