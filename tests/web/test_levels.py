"""The issuing level: each article's is its source's, as the sources file declares it; a facet
and a filter (`level`) on the API, the page and the exports, on each index backend."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def search(client: TestClient, **params: Any) -> dict[str, Any]:
    r = client.get("/api/search", params=params)
    assert r.status_code == 200, r.text
    return dict(r.json())


def levels(body: dict[str, Any]) -> dict[str, tuple[int, str]]:
    return {b["key"]: (b["count"], b["label"]) for b in body["facets"]["level"]}


def test_level_facet_counts_articles_by_their_sources_level(client: TestClient) -> None:
    body = search(client)
    assert levels(body) == {
        "province": (12, "provincial department"),
        "press": (2, "press"),
        "ministry": (1, "ministry"),
    }
    assert [b["key"] for b in body["facets"]["level"]] == ["province", "press", "ministry"]
    assert levels(search(client, q="净网2021")) == {
        "press": (2, "press"),
        "ministry": (1, "ministry"),
    }


def test_level_filter_narrows_and_its_facet_stays_clickable(client: TestClient) -> None:
    body = search(client, level="press")
    assert {h["id"] for h in body["hits"]} == {"art-2", "art-3"}
    assert levels(body)["province"][0] == 12  # counted as if the level filter were off
    assert {b["key"] for b in body["facets"]["source"]} == {"xinhua-en", "chinadaily"}
    both = search(client, level=["press", "ministry"], q="净网2021")
    assert {h["id"] for h in both["hits"]} == {"art-1", "art-2", "art-3"}
    assert search(client, level="city")["total"] == 0
    assert search(client, level="press", source="mps")["total"] == 0
    assert search(client, level="press", source="chinadaily")["total"] == 1


def test_level_filter_applies_to_exports_and_figures(client: TestClient) -> None:
    r = client.get("/api/search", params={"level": "ministry", "format": "jsonl"})
    assert r.status_code == 200 and [line for line in r.text.splitlines() if line]
    assert all('"source_id": "mps"' in line for line in r.text.splitlines())
    figures = client.get("/api/figures", params={"level": "press"}).json()["figures"]
    assert figures and all(
        {rep["source"] for rep in f["reports"]} <= {"Xinhua", "China Daily"} for f in figures
    )


def test_a_wrong_level_is_a_400_that_names_the_levels(client: TestClient) -> None:
    for path in ("/api/search", "/api/figures"):
        r = client.get(path, params={"level": "county"})
        assert r.status_code == 400
        assert "level must be ministry, province, city, press, not 'county'" in r.text
    page = client.get("/", params={"level": "county"})
    assert page.status_code == 400 and "level must be" in page.text


def test_the_page_shows_the_level_facet_and_pill(client: TestClient) -> None:
    page = client.get("/", params={"level": "press"}).text
    assert '<section class="facet" data-facet="level"><h2>Issuing level</h2>' in page
    assert "provincial department</a>" in page
    assert "Issuing level: press" in page
    assert 'href="/api/search?level=press&amp;format=csv"' in page
