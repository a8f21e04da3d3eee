"""The sources file is read when the app is made, so the first search does not wait for it,
and read again when it changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from monitor import source_names
from monitor.feeds.sources import FeedsFile
from monitor.index.embedded import EmbeddedIndex
from monitor.web.app import create_app
from tests.web.conftest import corpus, write_sources


def test_the_sources_file_is_read_once_at_start_and_again_when_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[Path] = []
    load_feeds = source_names.load_feeds

    def counted(path: Path, *args: Any, **kwargs: Any) -> FeedsFile:
        reads.append(path)
        return load_feeds(path, *args, **kwargs)

    monkeypatch.setattr(source_names, "load_feeds", counted)
    sources = write_sources(tmp_path / "feeds.toml")
    index = EmbeddedIndex(tmp_path / "index.db")
    try:
        index.upsert_many(corpus())
        client = TestClient(create_app(index, sources_file=sources))
        assert len(reads) == 1
        body = client.get("/api/search").json()
        labels = {b["key"]: b["label"] for b in body["facets"]["source"]}
        assert labels["xinhua-en"] == "Xinhua News Agency (English)"
        client.get("/", params={"q": "fraud"})
        assert len(reads) == 1
        # `monitor feeds add` appends to the file while the app runs
        write_sources(sources, {"xinhua-en": "Xinhua (English service)"})
        body = client.get("/api/search").json()
        labels = {b["key"]: b["label"] for b in body["facets"]["source"]}
        assert labels["xinhua-en"] == "Xinhua (English service)"
        assert len(reads) == 2
    finally:
        index.close()
