"""Saved searches in Elasticsearch, for the distributed deployment: one small index of
searches and a one-document index whose version is the store's revision, so the web app and
every alert process on any host share them."""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager
from typing import Any

from elasticsearch import ConflictError, NotFoundError
from loguru import logger

from monitor.alerts.ledger.elasticsearch import ensure_indices, translated
from monitor.errors import TransientError
from monitor.index.elasticsearch import connect
from monitor.saved.base import Listing, Reader, SavedSearch, SavedSearchDraft, valid_id
from monitor.settings import ElasticsearchSettings

_MAPPINGS: dict[str, dict[str, Any]] = {
    "searches": {
        "created_at": {"type": "double"},
        "changed_us": {"type": "long"},
        "doc": {"type": "object", "enabled": False},
    },
    "revision": {"changed_at": {"type": "double"}},
}
_REVISION = "revision"
_MAX = 10_000
#: Tries of an update that met a concurrent change (another update wins, a delete stays).
_TRIES = 3


class ElasticsearchSavedSearches:
    def __init__(self, settings: ElasticsearchSettings, *, request_timeout: float = 30.0) -> None:
        self.url = settings.url
        self.client = connect(settings, request_timeout=request_timeout)
        self.names = {kind: f"{settings.index_prefix}-saved-{kind}" for kind in _MAPPINGS}
        self._reader = Reader(self.names["searches"])
        with self._translated("create its indices"):
            ensure_indices(self.client, {self.names[k]: p for k, p in _MAPPINGS.items()})

    def _translated(self, what: str) -> AbstractContextManager[None]:
        return translated(self.url, "saved searches", what)

    def _changed(self, now: float) -> None:
        """Raise the revision document's version. The revision also counts the searches and
        their latest change, so a search written when this bump fails is still seen: the
        write stands and is answered as saved, never as an error a retry would duplicate."""
        try:
            with self._translated("raise its revision"):
                self.client.index(
                    index=self.names["revision"],
                    id=_REVISION,
                    document={"changed_at": now},
                    refresh=True,
                )
        except TransientError as exc:
            logger.warning("saved searches changed, revision not raised: {}", exc)

    def _document(self, saved: SavedSearch) -> dict[str, Any]:
        return {
            "created_at": saved.created_at,
            "changed_us": round(saved.updated_at * 1e6),
            "doc": saved.model_dump(mode="json"),
        }

    def listing(self) -> Listing:
        with self._translated("be read"):
            response = self.client.search(
                index=self.names["searches"],
                query={"match_all": {}},
                sort=[{"created_at": "asc"}],
                size=_MAX,
            )
        return self._reader.listing(
            (h["_id"], h["_source"].get("doc", {})) for h in response["hits"]["hits"]
        )

    def list(self) -> list[SavedSearch]:
        return self.listing().searches

    def _get(self, search_id: str) -> dict[str, Any] | None:
        try:
            hit = self.client.get(index=self.names["searches"], id=search_id)
        except NotFoundError:
            return None
        return dict(hit.body)

    def get(self, search_id: str) -> SavedSearch | None:
        if not valid_id(search_id):
            return None
        with self._translated("be read"):
            hit = self._get(search_id)
        return self._reader.read(search_id, hit["_source"].get("doc", {})) if hit else None

    def create(self, draft: SavedSearchDraft, now: float) -> SavedSearch:
        saved = SavedSearch(
            **draft.model_dump(), id=uuid.uuid4().hex, created_at=now, updated_at=now
        )
        with self._translated("save a search"):
            self.client.index(
                index=self.names["searches"],
                id=saved.id,
                document=self._document(saved),
                op_type="create",
                refresh=True,
            )
        self._changed(now)
        return saved

    def update(self, search_id: str, draft: SavedSearchDraft, now: float) -> SavedSearch | None:
        if not valid_id(search_id):
            return None
        with self._translated("change a saved search"):
            for _ in range(_TRIES):
                # written only over the version read, so a delete in between stays deleted
                hit = self._get(search_id)
                if hit is None:
                    return None
                saved = SavedSearch(
                    **draft.model_dump(),
                    id=search_id,
                    created_at=hit["_source"]["created_at"],
                    updated_at=now,
                )
                try:
                    self.client.index(
                        index=self.names["searches"],
                        id=search_id,
                        document=self._document(saved),
                        if_seq_no=hit["_seq_no"],
                        if_primary_term=hit["_primary_term"],
                        refresh=True,
                    )
                except ConflictError:
                    continue
                break
            else:
                raise TransientError(f"saved search {search_id} kept changing while saved")
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
                version = str(hit["_version"])
            except NotFoundError:
                version = "0"
            latest = self.client.search(
                index=self.names["searches"],
                query={"match_all": {}},
                sort=[{"changed_us": {"order": "desc", "unmapped_type": "long"}}],
                size=1,
                track_total_hits=True,
                source=False,
            )
        hits = latest["hits"]
        top = hits["hits"][0].get("sort", [""])[0] if hits["hits"] else ""
        return f"{version}:{hits['total']['value']}:{top}"

    def close(self) -> None:
        self.client.close()
