"""Saved searches: the search page's query string under a name, with an optional email
(`base.py`: the model and the store interface; `sqlite.py` and `elasticsearch.py` the stores).
The web app keeps them; the alert stage turns those with an email into alert rules."""

from __future__ import annotations

from monitor.saved.base import EmailAlert, SavedSearch, SavedSearchDraft, SavedSearches
from monitor.settings import Settings

SAVED_FILE = "saved.db"


def open_saved_searches(settings: Settings) -> SavedSearches:
    """The store of these settings: in Elasticsearch when the index is (the distributed
    deployment, shared by the web app and every alert process), else SQLite in the data
    folder."""
    if settings.index == "elasticsearch":
        from monitor.saved.elasticsearch import ElasticsearchSavedSearches

        return ElasticsearchSavedSearches(settings.elasticsearch)
    from monitor.saved.sqlite import SqliteSavedSearches

    return SqliteSavedSearches(settings.data_dir / SAVED_FILE)


__all__ = [
    "SAVED_FILE",
    "EmailAlert",
    "SavedSearch",
    "SavedSearchDraft",
    "SavedSearches",
    "open_saved_searches",
]
