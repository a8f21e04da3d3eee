"""The Elasticsearch index: a versioned index behind read and write aliases, bulk writes keyed
by article id, searches and the campaign registry translated to the query DSL (es_query.py).

Works on Elasticsearch 8 and 9 and on osmem-server (the in-memory test server): see
`PlainJsonNode` for the one thing that takes.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from elastic_transport import ApiError, HttpHeaders, TransportError, Urllib3HttpNode
from elastic_transport.client_utils import DEFAULT, DefaultType
from elasticsearch import Elasticsearch, UnsupportedProductError
from loguru import logger
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from monitor import issuer
from monitor.errors import ConfigError, MonitorError, TransientError
from monitor.index import es_query, highlight
from monitor.index.base import (
    CampaignSummary,
    Match,
    Outcome,
    Rejected,
    SearchRequest,
    SearchResult,
)
from monitor.index.query import parse, with_campaigns
from monitor.models import EnrichedArticle
from monitor.settings import ElasticsearchSettings

if TYPE_CHECKING:
    from elastic_transport._node import NodeApiResponse

TEMPLATE = Path(__file__).resolve().parents[2] / "config" / "elasticsearch" / "announcements.json"
Refresh = Literal["true", "false", "wait_for"]
_MAX_ID_BYTES = 512  # Elasticsearch refuses the whole bulk request over one longer _id
_VENDOR_TYPE = re.compile(
    r"application/vnd\.elasticsearch\+([\w.-]+)(?:\s*;\s*compatible-with=\d+)?"
)


class PlainJsonNode(Urllib3HttpNode):
    """An HTTP node that sends `application/json` and `application/x-ndjson` as they are.

    The client rewrites both to `application/vnd.elasticsearch+json; compatible-with=N`
    (its major version) before the transport sees them. Elasticsearch has taken the plain
    types since 6.0 and answers them the same; an Elasticsearch of another major version,
    OpenSearch and osmem-server refuse the vendor types (406).
    """

    def perform_request(
        self,
        method: str,
        target: str,
        body: bytes | None = None,
        headers: HttpHeaders | None = None,
        request_timeout: DefaultType | float | None = DEFAULT,
    ) -> NodeApiResponse:
        if headers:
            headers = HttpHeaders(
                {
                    name: _VENDOR_TYPE.sub(r"application/\1", value)
                    if name.lower() in ("accept", "content-type")
                    else value
                    for name, value in headers.items()
                }
            )
        return super().perform_request(method, target, body, headers, request_timeout)


class _Busy(Exception):
    """Some documents of a bulk request were refused as overload (429, 5xx): send them again."""


def connect(
    settings: ElasticsearchSettings, *, request_timeout: float = 30.0, max_retries: int = 3
) -> Elasticsearch:
    """A client for the cluster the settings name, with their credentials and plain JSON."""
    auth: dict[str, Any] = {}
    if settings.api_key:
        auth["api_key"] = settings.api_key.get_secret_value()
    elif settings.username:
        password = settings.password.get_secret_value() if settings.password else ""
        auth["basic_auth"] = (settings.username, password)
    return Elasticsearch(
        settings.url,
        node_class=PlainJsonNode,
        request_timeout=request_timeout,
        max_retries=max_retries,
        retry_on_timeout=True,
        **auth,
    )


class ElasticsearchIndex:
    def __init__(
        self,
        settings: ElasticsearchSettings,
        *,
        refresh: Refresh = "wait_for",
        template: Path = TEMPLATE,
        request_timeout: float = 30.0,
        max_retries: int = 3,
        bulk_attempts: int = 5,
        backoff: float = 0.5,
    ) -> None:
        """Connect and make sure the template, the index and its aliases exist.

        `refresh="wait_for"` makes an upsert return once its documents are searchable, as
        on the embedded index; "false" trades that for throughput. Raises TransientError
        when the cluster cannot be reached, ConfigError when it refuses the credentials.
        """
        self.url = settings.url
        self.prefix = settings.index_prefix
        self.read_alias = self.prefix
        self.write_alias = f"{self.prefix}-write"
        self._refresh = refresh
        self._retrying = Retrying(
            stop=stop_after_attempt(bulk_attempts),
            wait=wait_exponential(multiplier=backoff, max=30),
            retry=retry_if_exception_type(_Busy),
            before_sleep=_log_busy,
            reraise=True,
        )
        self._log = logger.bind(index=self.prefix)
        self.client = connect(settings, request_timeout=request_timeout, max_retries=max_retries)
        body = _load_template(template)
        self.index_name = f"{self.prefix}-v{body['_meta']['schema_version']}"
        with self._translated("set up its index"):
            self._ensure_index(body)

    # -- set-up --------------------------------------------------------------------
    def _ensure_index(self, template: dict[str, Any]) -> None:
        indices = self.client.indices
        indices.put_index_template(
            name=self.prefix, body={**template, "index_patterns": [f"{self.prefix}-v*"]}
        )
        if indices.exists_alias(name=self.write_alias):
            behind = sorted(indices.get_alias(name=self.write_alias))
            if behind != [self.index_name]:
                self._log.warning(
                    "write alias {} points to {}, the template wants {}: reindex into it and "
                    "move both aliases",
                    self.write_alias,
                    behind,
                    self.index_name,
                )
                return
            self._add_new_fields(template["template"]["mappings"]["properties"])
            return
        aliases = {self.read_alias: {}, self.write_alias: {"is_write_index": True}}
        response = self.client.options(ignore_status=400).indices.create(
            index=self.index_name, aliases=aliases
        )
        if "error" in response:
            # Created meanwhile by another process, or left without aliases by a failed start.
            if response["error"].get("type") != "resource_already_exists_exception":
                raise MonitorError(f"could not create {self.index_name}: {response['error']}")
            indices.update_aliases(
                actions=[
                    {"add": {"index": self.index_name, "alias": name, **options}}
                    for name, options in aliases.items()
                ]
            )
        self._log.info(
            "created index {} behind aliases {} and {}",
            self.index_name,
            self.read_alias,
            self.write_alias,
        )

    def _add_new_fields(self, properties: dict[str, Any]) -> None:
        """Fields the template gained since the index was made are added to it (adding is
        compatible, unlike changing one), and the stored documents are indexed again in the
        background so those already holding the field's value become searchable by it."""
        mapping = self.client.indices.get_mapping(index=self.index_name)
        have = mapping[self.index_name]["mappings"].get("properties", {})
        new = sorted(_field_paths(properties) - _field_paths(have))
        if not new:
            return
        self.client.indices.put_mapping(index=self.index_name, properties=properties)
        self.client.update_by_query(
            index=self.index_name, conflicts="proceed", wait_for_completion=False
        )
        self._log.info(
            "added the fields {} to {}; its documents are being indexed again for them",
            ", ".join(new),
            self.index_name,
        )

    def drop(self) -> None:
        """Delete the indices behind the aliases and the template (tests, resets)."""
        with self._translated("drop its index"):
            behind = self.client.indices.get_alias(name=self.write_alias)
            for name in behind:
                self.client.indices.delete(index=name)
            self.client.indices.delete_index_template(name=self.prefix)

    @contextmanager
    def _translated(self, what: str) -> Iterator[None]:
        try:
            yield
        except UnsupportedProductError as exc:
            raise ConfigError(f"{self.url} is not Elasticsearch: {exc}") from exc
        except ApiError as exc:
            status = exc.meta.status
            if status == 429 or status >= 500:
                raise TransientError(
                    f"Elasticsearch at {self.url} is overloaded or failing ({status}): "
                    f"could not {what}: {exc.message}"
                ) from exc
            if status in (401, 403):
                raise ConfigError(
                    f"Elasticsearch at {self.url} refused the credentials ({status}) when asked "
                    f"to {what}: check MONITOR_ELASTICSEARCH__USERNAME/__PASSWORD/__API_KEY"
                ) from exc
            raise MonitorError(f"Elasticsearch refused to {what} ({status}): {exc}") from exc
        except TransportError as exc:
            raise TransientError(
                f"Elasticsearch at {self.url} is unreachable: could not {what}: {exc}"
            ) from exc

    def close(self) -> None:
        self.client.close()

    # -- writing -------------------------------------------------------------------
    def upsert_many(self, docs: Sequence[EnrichedArticle]) -> list[Outcome]:
        started = time.perf_counter()
        outcomes: list[Outcome | None] = [None] * len(docs)
        stored = self._stored_versions([d.id for d in docs])
        pending: dict[int, EnrichedArticle] = {}
        for i, doc in enumerate(docs):
            if len(doc.id.encode("utf-8")) > _MAX_ID_BYTES:
                outcomes[i] = Rejected(f"id is longer than {_MAX_ID_BYTES} bytes")
                continue
            level: list[str] = [found] if (found := issuer.of(doc)) else []
            version = (doc.content_hash, doc.extraction.extractor_version, level)
            if stored.get(doc.id) == version:
                outcomes[i] = "unchanged"
                continue
            stored[doc.id] = version
            pending[i] = doc
        written = len(pending)
        if pending:
            try:
                for attempt in self._retrying.copy():
                    with attempt:
                        self._bulk(pending, outcomes)
            except _Busy as exc:
                raise TransientError(
                    f"Elasticsearch kept refusing {len(pending)} documents as busy: {exc}"
                ) from exc
        done: list[Outcome] = [o for o in outcomes if o is not None]
        rejected = [o for o in done if isinstance(o, Rejected)]
        if rejected:
            self._log.warning("rejected={} first reason: {}", len(rejected), rejected[0].reason)
        self._log.debug(
            "written={} unchanged={} rejected={} took={:.3f}s",
            written,
            done.count("unchanged"),
            len(rejected),
            time.perf_counter() - started,
        )
        return done

    def _stored_versions(self, ids: list[str]) -> dict[str, tuple[str, str, list[str]]]:
        """Per stored id, what decides whether a document is unchanged: its content, extractor
        and issuing level."""
        wanted = [i for i in dict.fromkeys(ids) if len(i.encode("utf-8")) <= _MAX_ID_BYTES]
        if not wanted:
            return {}
        with self._translated("read stored versions"):
            response = self.client.mget(
                index=self.write_alias,
                ids=wanted,
                source_includes=["content_hash", "extraction.extractor_version", "level"],
            )
        return {
            d["_id"]: (
                d["_source"].get("content_hash", ""),
                d["_source"].get("extraction", {}).get("extractor_version", ""),
                d["_source"].get("level", []),
            )
            for d in response["docs"]
            if d.get("found")
        }

    def _bulk(self, pending: dict[int, EnrichedArticle], outcomes: list[Outcome | None]) -> None:
        """Send what is pending; settle each item's outcome; raise _Busy if any were refused
        as overload (they stay pending for the next attempt)."""
        order = list(pending)
        operations: list[dict[str, Any]] = []
        for i in order:
            operations.append({"index": {"_index": self.write_alias, "_id": pending[i].id}})
            operations.append(es_query.to_source(pending[i]))
        with self._translated("write articles"):
            response = self.client.bulk(operations=operations, refresh=self._refresh)
        busy = []
        for i, item in zip(order, response["items"], strict=True):
            result = next(iter(item.values()))
            status = int(result.get("status", 500))
            if 200 <= status < 300:
                outcomes[i] = "created" if result.get("result") == "created" else "updated"
            elif status == 429 or status >= 500:
                busy.append(_reason(result.get("error")))
                continue
            else:
                outcomes[i] = Rejected(_reason(result.get("error")))
            del pending[i]
        if busy:
            raise _Busy(f"{len(busy)} refused, first: {busy[0]}")

    # -- reading -------------------------------------------------------------------
    def get(self, article_id: str) -> EnrichedArticle | None:
        if len(article_id.encode("utf-8")) > _MAX_ID_BYTES:
            return None
        with self._translated("get an article"):
            response = self.client.options(ignore_status=404).get(
                index=self.write_alias, id=article_id
            )
        if not response.get("found"):
            return None
        return EnrichedArticle.model_validate(response["_source"])

    def iter_articles(self, batch: int = 500) -> Iterator[EnrichedArticle]:
        after: list[Any] | None = None
        while True:
            with self._translated("read stored articles"):
                response = self.client.search(
                    index=self.read_alias,
                    query={"match_all": {}},
                    size=batch,
                    sort=[{"id": "asc"}],
                    search_after=after,
                )
            hits = response["hits"]["hits"]
            if not hits:
                return
            for hit in hits:
                yield EnrichedArticle.model_validate(hit["_source"])
            after = hits[-1]["sort"]

    def count(self) -> int:
        with self._translated("count articles"):
            return int(self.client.count(index=self.read_alias)["count"])

    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        node = with_campaigns(parse(request.query), request.campaign_names)
        body = es_query.search_body(request, node)
        with self._translated("search"):
            response = self.client.search(index=self.read_alias, body=body)
        rx, asked = highlight.pattern(node), highlight.campaigns_asked(node)
        hits = [es_query.read_hit(h, rx, asked) for h in response["hits"]["hits"]]
        aggs = response.get("aggregations", {})
        interval, histogram = (
            es_query.read_histogram(aggs, request.histogram) if request.histogram else (None, [])
        )
        return SearchResult(
            total=response["hits"]["total"]["value"],
            page=request.page,
            size=request.size,
            hits=hits,
            facets=es_query.read_facets(aggs) if request.facets else {},
            histogram=histogram,
            interval=interval,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
        )

    def matches(self, request: SearchRequest, batch: int = 1000) -> Iterator[list[Match]]:
        node = with_campaigns(parse(request.query), request.campaign_names)
        body = es_query.matches_body(request, node, batch)
        after: list[Any] | None = None
        while True:
            with self._translated("read matching articles"):
                response = self.client.search(
                    index=self.read_alias,
                    body=body if after is None else {**body, "search_after": after},
                )
            hits = response["hits"]["hits"]
            if not hits:
                return
            yield [es_query.read_match(h) for h in hits]
            if len(hits) < batch:
                return
            after = hits[-1]["sort"]

    # -- campaigns -----------------------------------------------------------------
    def campaign_known(self, canonical: str) -> bool:
        with self._translated("look up a campaign"):
            query = es_query.campaign_query(canonical)
            response = self.client.count(index=self.read_alias, query=query)
        return int(response["count"]) > 0

    def campaigns(self) -> list[CampaignSummary]:
        summaries = self._summaries({"term": {"relevant": True}})
        return sorted(
            summaries, key=lambda s: (s.first_seen is not None, s.first_seen), reverse=True
        )

    def campaign(self, canonical: str) -> CampaignSummary | None:
        wanted = canonical.casefold()
        found = self._summaries(es_query.campaign_query(canonical))
        return next((s for s in found if s.canonical.casefold() == wanted), None)

    def _summaries(self, query: dict[str, Any]) -> list[CampaignSummary]:
        """One summary per campaign named by the relevant documents `query` matches."""
        with self._translated("summarise campaigns"):
            response = self.client.search(
                index=self.read_alias, size=0, query=query, aggs=es_query.CAMPAIGN_AGGS
            )
        return [es_query.read_summary(b) for b in response["aggregations"]["campaigns"]["buckets"]]


def _reason(error: Any) -> str:
    if isinstance(error, dict):
        reason = f"{error.get('type', 'error')}: {error.get('reason', '')}"
        cause = error.get("caused_by")
        if isinstance(cause, dict):
            reason += f" ({cause.get('type')}: {cause.get('reason')})"
        return reason
    return str(error)


def _load_template(path: Path) -> dict[str, Any]:
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        int(body["_meta"]["schema_version"])
    except FileNotFoundError:
        raise ConfigError(f"the Elasticsearch index template {path} does not exist") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"{path} is not an index template with _meta.schema_version: {exc}"
        ) from None
    return dict(body)


def _log_busy(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    logger.warning(
        "bulk attempt {} partly refused as busy ({}); retrying", state.attempt_number, exc
    )


def _field_paths(properties: dict[str, Any], prefix: str = "") -> set[str]:
    """Every field of a mapping by its dotted path, those inside objects and nested ones too
    (`extraction.figures.kind`), so a field added inside an object is seen as new."""
    paths = set()
    for name, spec in properties.items():
        path = prefix + name
        paths.add(path)
        paths |= _field_paths(spec.get("properties", {}), path + ".")
    return paths
