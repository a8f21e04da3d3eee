"""Saved searches in Elasticsearch, for the distributed deployment: one small index of
searches and a one-document index whose version is the store's revision, so the web app and
every alert process on any host share them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from elastic_transport import ApiError, TransportError
from elasticsearch import NotFoundError

from monitor.errors import ConfigError, TransientError
from monitor.index.elasticsearch import connect
from monitor.saved.base import SavedSearch, SavedSearchDraft, valid_id
from monitor.settings import ElasticsearchSettings

_MAPPINGS: dict[str, dict[str, Any]] = {
    "searches": {"created_at": {"type": "double"}, "doc": {"type": "object", "enabled": False}},
    "revision": {"changed_at": {"type": "double"}},
}
_REVISION = "revision"
_MAX = 10_000


class ElasticsearchSavedSearches:
    def __init__(self, settings: ElasticsearchSettings, *, request_timeout: float = 30.0) -> None:
        self.url = settings.url
        self.client = connect(settings, request_timeout=request_timeout)
        self.names = {kind: f"{settings.index_prefix}-saved-{kind}" for kind in _MAPPINGS}
        with self._translated("create its indices"):
            for kind, properties in _MAPPINGS.items():
                response = self.client.options(ignore_status=400).indices.create(
                    index=self.names[kind], mappings={"properties": properties}
                )
                error = response.get("error") if isinstance(response.body, dict) else None
                if error and error.get("type") != "resource_already_exists_exception":
                    raise ConfigError(f"could not create {self.names[kind]}: {error}")

    @contextmanager
    def _translated(self, what: str) -> Iterator[None]:
        try:
            yield
        except ApiError as exc:
            if exc.meta.status in (401, 403):
                raise ConfigError(
                    f"Elasticsearch at {self.url} refused the credentials "
                    f"({exc.meta.status}) when asked to {what}"
                ) from exc
            raise TransientError(
                f"saved searches in Elasticsearch could not {what} ({exc.meta.status}):"
                f" {exc.message}"
            ) from exc
        except TransportError as exc:
            raise TransientError(
                f"Elasticsearch at {self.url} is unreachable: could not {what}: {exc}"
            ) from exc

    def _changed(self, now: float) -> None:
        # every write of this one document raises its version: the store's revision
        self.client.index(
            index=self.names["revision"], id=_REVISION, document={"changed_at": now}, refresh=True
        )

    def _write(self, saved: SavedSearch) -> None:
        self.client.index(
            index=self.names["searches"],
            id=saved.id,
            document={"created_at": saved.created_at, "doc": saved.model_dump(mode="json")},
            refresh=True,
        )

    def list(self) -> list[SavedSearch]:
        with self._translated("be read"):
            response = self.client.search(
                index=self.names["searches"],
                query={"match_all": {}},
                sort=[{"created_at": "asc"}],
                size=_MAX,
            )
        return [SavedSearch.model_validate(h["_source"]["doc"]) for h in response["hits"]["hits"]]

    def get(self, search_id: str) -> SavedSearch | None:
        if not valid_id(search_id):
            return None
        with self._translated("be read"):
            try:
                hit = self.client.get(index=self.names["searches"], id=search_id)
            except NotFoundError:
                return None
        return SavedSearch.model_validate(hit["_source"]["doc"])

    def create(self, draft: SavedSearchDraft, now: float) -> SavedSearch:
        saved = SavedSearch(
            **draft.model_dump(), id=uuid.uuid4().hex, created_at=now, updated_at=now
        )
        with self._translated("save a search"):
            self._write(saved)
            self._changed(now)
        return saved

    def update(self, search_id: str, draft: SavedSearchDraft, now: float) -> SavedSearch | None:
        current = self.get(search_id)
        if current is None:
            return None
        saved = SavedSearch(
            **draft.model_dump(), id=search_id, created_at=current.created_at, updated_at=now
        )
        with self._translated("change a saved search"):
            self._write(saved)
            self._changed(now)
        return saved

    def delete(self, search_id: str) -> bool:
        if not valid_id(search_id):
            return False
        with self._translated("delete a saved search"):
            try:
                self.client.delete(index=self.names["searches"], id=search_id, refresh=True)
            except NotFoundError:
                return False
            self._changed(0.0)
        return True

    def revision(self) -> str:
        with self._translated("be read"):
            try:
                hit = self.client.get(index=self.names["revision"], id=_REVISION)
            except NotFoundError:
                return "0"
        return str(hit["_version"])

    def close(self) -> None:
        self.client.close()
