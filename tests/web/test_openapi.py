"""Schemathesis generates requests from the OpenAPI document and sends them to the app itself:
no operation may answer with a server error, and what it answers matches the document.

(schemathesis' lazy pytest fixture loader does not run under pytest 9, so each operation's
strategy is drawn from with Hypothesis directly.)"""

from __future__ import annotations

import re

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from monitor.index.base import Index
from monitor.web.app import create_app

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
OPERATIONS = [
    "GET /api/search",
    "GET /api/articles/{article_id}",
    "GET /api/campaigns",
    "GET /api/campaigns/{name}",
    "GET /api/campaigns/{name}/timeline",
    "GET /api/figures",
]


@pytest.fixture(scope="module")
def api_schema(filled_index: Index) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(filled_index))


def test_the_document_lists_every_operation(api_schema: schemathesis.BaseSchema) -> None:
    assert sorted(op.ok().label for op in api_schema.get_all_operations()) == sorted(OPERATIONS)


CASES = [(label, GenerationMode.POSITIVE) for label in OPERATIONS] + [
    # only these have parameters a request can get wrong (a path segment is any string)
    ("GET /api/search", GenerationMode.NEGATIVE),
    ("GET /api/figures", GenerationMode.NEGATIVE),
]


@pytest.mark.parametrize(("label", "mode"), CASES)
def test_no_request_makes_a_server_error(
    api_schema: schemathesis.BaseSchema, label: str, mode: GenerationMode
) -> None:
    operation = next(op.ok() for op in api_schema.get_all_operations() if op.ok().label == label)
    checks = CHECKS if mode is GenerationMode.POSITIVE else [not_a_server_error]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=checks)

    check()


def test_every_parameter_of_every_operation_is_described(filled_index: Index) -> None:
    document = create_app(filled_index).openapi()
    undescribed = [
        f"{method.upper()} {path}: {param['name']}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for param in operation.get("parameters", [])
        if not param.get("description", "").strip()
    ]
    assert undescribed == []
    assert (
        sum(
            len(op.get("parameters", []))
            for ops in document["paths"].values()
            for op in ops.values()
        )
        > 20
    )


def test_the_api_page_shows_a_description_for_every_parameter(client: TestClient) -> None:
    page = client.get("/api").text
    rows = re.findall(
        r"<tr><td><code>([^<]+)</code>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td></tr>", page
    )
    assert len(rows) > 20
    assert [name for name, _, meaning in rows if not meaning.strip()] == []
