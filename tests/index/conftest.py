"""Fixtures of the index contract suite: every test runs on the embedded index and on
ElasticsearchIndex against an osmem-server started once per session.

When MONITOR_ELASTICSEARCH__URL names a real Elasticsearch, the suite runs against it too
(marker `external`); each test writes to its own index prefix and drops it afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.index.base import Index
from monitor.index.elasticsearch import ElasticsearchIndex
from monitor.index.embedded import EmbeddedIndex
from monitor.settings import ElasticsearchSettings, load_settings
from tests.support.osmem import Osmem, running_osmem

ROOT = Path(__file__).resolve().parents[2]
BACKENDS: list = ["embedded", "osmem"]
if os.environ.get("MONITOR_ELASTICSEARCH__URL"):
    BACKENDS.append(pytest.param("external", marks=pytest.mark.external))


@pytest.fixture(scope="session")
def osmem(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Osmem]:
    with running_osmem(tmp_path_factory.mktemp("osmem")) as server:
        yield server


def es_settings(request: pytest.FixtureRequest, backend: str) -> ElasticsearchSettings:
    """Settings for a fresh index: its own prefix, on osmem or on the external cluster."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    if backend == "osmem":
        server: Osmem = request.getfixturevalue("osmem")
        return ElasticsearchSettings(url=server.url, index_prefix=prefix)
    # The external cluster's URL and credentials come from MONITOR_ELASTICSEARCH__*.
    configured = load_settings(ROOT / "config" / "monitor.toml").elasticsearch
    return configured.model_copy(update={"index_prefix": prefix})


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def index(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[Index]:
    if backend == "embedded":
        embedded = EmbeddedIndex(tmp_path / "index.db")
        yield embedded
        embedded.close()
        return
    es = ElasticsearchIndex(es_settings(request, backend))
    yield es
    es.drop()
    es.close()
