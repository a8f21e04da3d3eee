"""What only the Elasticsearch backend has: its template, versioned index and aliases, per-document
rejections, plain JSON media types, and the errors an operator sees when the cluster is wrong.

Runs on osmem-server, and on the cluster named by MONITOR_ELASTICSEARCH__URL when set."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from elastic_transport import HttpHeaders
from elastic_transport.client_utils import url_to_node_config
from pytest_httpserver import HTTPServer

from monitor.errors import ConfigError, TransientError
from monitor.index import es_query
from monitor.index.base import Rejected, SearchRequest
from monitor.index.elasticsearch import TEMPLATE, ElasticsearchIndex, PlainJsonNode
from monitor.models import Article
from monitor.settings import ElasticsearchSettings
from tests.conftest import enrich, make_article
from tests.index.conftest import BACKENDS, es_settings

ES_BACKENDS = [b for b in BACKENDS if b != "embedded"]


@pytest.fixture(params=ES_BACKENDS)
def settings_es(request: pytest.FixtureRequest) -> ElasticsearchSettings:
    return es_settings(request, request.param)


@pytest.fixture
def opened(settings_es: ElasticsearchSettings) -> Iterator[list[ElasticsearchIndex]]:
    """Indexes a test opens; the first one drops what they all wrote."""
    indexes: list[ElasticsearchIndex] = []
    yield indexes
    if indexes:
        indexes[0].drop()
    for ix in indexes:
        ix.close()


def open_index(
    opened: list[ElasticsearchIndex], settings: ElasticsearchSettings, **kw: object
) -> ElasticsearchIndex:
    ix = ElasticsearchIndex(settings, **kw)  # type: ignore[arg-type]
    opened.append(ix)
    return ix


def test_start_up_creates_a_versioned_index_behind_two_aliases(
    settings_es: ElasticsearchSettings, opened: list[ElasticsearchIndex]
) -> None:
    ix = open_index(opened, settings_es)
    prefix = settings_es.index_prefix
    assert ix.index_name == f"{prefix}-v1"
    aliases = ix.client.indices.get_alias(index=ix.index_name)[ix.index_name]["aliases"]
    assert set(aliases) == {prefix, f"{prefix}-write"}
    assert aliases[f"{prefix}-write"].get("is_write_index") is True
    template = ix.client.indices.get_index_template(name=prefix)["index_templates"][0]
    assert template["index_template"]["index_patterns"] == [f"{prefix}-v*"]
    mapping = ix.client.indices.get_mapping(index=ix.index_name)[ix.index_name]["mappings"]
    assert mapping["dynamic"] in (False, "false")
    assert mapping["properties"]["extraction"]["properties"]["figures"]["type"] == "nested"
    assert ix.upsert_many([enrich(make_article(1))]) == ["created"]

    again = open_index(opened, settings_es)  # a restart: same index, nothing lost
    assert again.count() == 1
    assert again.upsert_many([enrich(make_article(1))]) == ["unchanged"]


def test_an_index_left_without_aliases_is_adopted(
    settings_es: ElasticsearchSettings, opened: list[ElasticsearchIndex]
) -> None:
    first = open_index(opened, settings_es)
    prefix = settings_es.index_prefix
    first.client.indices.update_aliases(
        actions=[  # as if a start-up was cut short
            {"remove": {"index": first.index_name, "alias": name}}
            for name in (prefix, f"{prefix}-write")
        ]
    )
    ix = open_index(opened, settings_es)
    assert ix.upsert_many([enrich(make_article(1))]) == ["created"]
    assert [h.id for h in ix.search(SearchRequest(query="police")).hits] == ["art-1"]


def test_a_newer_template_leaves_the_aliased_index_in_use(
    settings_es: ElasticsearchSettings, opened: list[ElasticsearchIndex], tmp_path: Path
) -> None:
    open_index(opened, settings_es).upsert_many([enrich(make_article(1))])
    body = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    body["_meta"]["schema_version"] = 2
    newer = tmp_path / "v2.json"
    newer.write_text(json.dumps(body), encoding="utf-8")

    ix = open_index(opened, settings_es, template=newer)
    assert ix.index_name.endswith("-v2")
    assert not ix.client.indices.exists(index=ix.index_name)  # reindexing is an operator's step
    assert [h.id for h in ix.search(SearchRequest(query="police")).hits] == ["art-1"]


def test_a_document_the_mapping_refuses_is_rejected_and_the_rest_lands(
    settings_es: ElasticsearchSettings, opened: list[ElasticsearchIndex], tmp_path: Path
) -> None:
    body = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    body["template"]["mappings"]["properties"]["source"] = {"type": "long"}
    strict = tmp_path / "strict.json"
    strict.write_text(json.dumps(body), encoding="utf-8")
    ix = open_index(opened, settings_es, template=strict)

    outcomes = ix.upsert_many(
        [
            enrich(make_article(1, source="Ministry of Public Security")),
            enrich(make_article(2, source="42")),
        ]
    )
    assert isinstance(outcomes[0], Rejected)
    assert "source" in outcomes[0].reason
    assert outcomes[1] == "created"
    assert ix.get("art-1") is None and ix.get("art-2") is not None


def test_an_id_elasticsearch_cannot_store_is_rejected_alone(
    settings_es: ElasticsearchSettings, opened: list[ElasticsearchIndex]
) -> None:
    ix = open_index(opened, settings_es)
    long_id = "诈" * 200  # 600 bytes: Elasticsearch would refuse the whole bulk request
    article = Article(id=long_id, title="Police statement", body="Police arrested 3.").with_hash()
    outcomes = ix.upsert_many([enrich(article), enrich(make_article(2))])
    assert outcomes[0] == Rejected("id is longer than 512 bytes")
    assert outcomes[1] == "created"
    assert ix.get(long_id) is None
    assert ix.count() == 1


def test_the_node_sends_plain_json_media_types(settings_es: ElasticsearchSettings) -> None:
    node = PlainJsonNode(url_to_node_config(settings_es.url))
    vendor = "application/vnd.elasticsearch+json; compatible-with=9"
    response = node.perform_request(
        "GET", "/", headers=HttpHeaders({"accept": vendor, "content-type": vendor})
    )
    node.close()
    assert response.meta.status == 200


def test_an_unreachable_cluster_is_a_transient_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = ElasticsearchSettings(url=f"http://127.0.0.1:{port}", index_prefix="nowhere")
    with pytest.raises(TransientError, match="unreachable"):
        ElasticsearchIndex(settings, max_retries=0, request_timeout=2)


def test_a_server_that_is_not_elasticsearch_is_a_config_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/_index_template/elsewhere").respond_with_json({"ok": True})
    settings = ElasticsearchSettings(url=httpserver.url_for("/"), index_prefix="elsewhere")
    with pytest.raises(ConfigError, match="is not Elasticsearch"):
        ElasticsearchIndex(settings, max_retries=0)


def test_an_index_made_before_source_ids_and_chinese_police_gains_both(
    settings_es: ElasticsearchSettings, opened: list[ElasticsearchIndex], tmp_path: Path
) -> None:
    body = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    for name in ("feed_id", "chinese_police"):
        del body["template"]["mappings"]["properties"][name]
    older = tmp_path / "older.json"
    older.write_text(json.dumps(body), encoding="utf-8")
    old = open_index(opened, settings_es, template=older)
    for n, feed in ((1, "js-police"), (2, "js-police"), (3, "xinhua-en")):
        doc = enrich(make_article(n, source=f"Source {feed}"))
        stored = es_query.to_source(doc.model_copy(update={"feed_id": feed}))
        del stored["chinese_police"]  # what this version did not write
        old.client.index(index=old.write_alias, id=doc.id, document=stored, refresh=True)
    assert old.search(SearchRequest()).facets["source"] == []

    ix = open_index(opened, settings_es)
    ix.client.indices.refresh(index=ix.index_name)
    facets = ix.search(SearchRequest()).facets
    assert {b.key: b.count for b in facets["source"]} == {"js-police": 2, "xinhua-en": 1}
    assert {b.key: b.count for b in facets["chinese_police"]} == {"true": 3}
    assert ix.search(SearchRequest(filters={"chinese_police": ("true",)})).total == 3
    assert ix.search(SearchRequest(filters={"chinese_police": ("false",)})).total == 0


def test_an_index_made_before_figure_kinds_can_filter_on_them(
    settings_es: ElasticsearchSettings, opened: list[ElasticsearchIndex], tmp_path: Path
) -> None:
    body = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    figures = body["template"]["mappings"]["properties"]["extraction"]["properties"]["figures"]
    del figures["properties"]["kind"]
    older = tmp_path / "older.json"
    older.write_text(json.dumps(body), encoding="utf-8")
    open_index(opened, settings_es, template=older)

    ix = open_index(opened, settings_es)
    mapping = ix.client.indices.get_mapping(index=ix.index_name)[ix.index_name]["mappings"]
    extraction = mapping["properties"]["extraction"]["properties"]
    assert extraction["figures"]["properties"]["kind"] == {"type": "keyword"}


def test_an_index_made_before_issuing_levels_gains_the_field_and_rewrites_on_replay(
    settings_es: ElasticsearchSettings, opened: list[ElasticsearchIndex], tmp_path: Path
) -> None:
    body = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    del body["template"]["mappings"]["properties"]["level"]
    older = tmp_path / "older.json"
    older.write_text(json.dumps(body), encoding="utf-8")
    old = open_index(opened, settings_es, template=older)
    doc = enrich(make_article(1)).model_copy(update={"source_level": "press"})
    stored = es_query.to_source(doc)
    del stored["level"], stored["source_level"]  # what this version did not write
    old.client.index(index=old.write_alias, id=doc.id, document=stored, refresh=True)

    ix = open_index(opened, settings_es)
    mapping = ix.client.indices.get_mapping(index=ix.index_name)[ix.index_name]["mappings"]
    assert mapping["properties"]["level"] == {"type": "keyword"}
    assert ix.search(SearchRequest(filters={"level": ("press",)})).total == 0
    # the same content and extractor, now with its level (as `monitor replay` writes it)
    assert ix.upsert_many([doc]) == ["updated"]
    assert ix.upsert_many([doc]) == ["unchanged"]
    facets = ix.search(SearchRequest()).facets
    assert {b.key: b.count for b in facets["level"]} == {"press": 1}
