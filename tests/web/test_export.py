"""Export every match: /api/search?format=csv|jsonl streams all matching announcements (not one
page), with the search's filters, validation and campaign names, on each index backend."""

from __future__ import annotations

import csv
import io
import json

from fastapi.testclient import TestClient

from monitor.index.base import Index, Match, SearchRequest
from monitor.web.export import as_csv, figure_text

RELEVANT = 17  # the corpus's announcements about police work


def export(client: TestClient, format: str, **params: str) -> list[dict[str, str]]:
    r = client.get("/api/search", params={**params, "format": format})
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"] == f'attachment; filename="announcements.{format}"'
    if format == "csv":
        assert r.headers["content-type"].startswith("text/csv")
        assert r.text.startswith("\ufeffid,url,title,source,source_id,published,lang,campaigns,")
        return list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert r.headers["content-type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in r.text.splitlines()]


def test_csv_has_every_match_not_one_page(client: TestClient) -> None:
    rows = export(client, "csv", size="2", page="1")
    assert len(rows) == RELEVANT
    assert [r["published"] for r in rows] == sorted((r["published"] for r in rows), reverse=True)
    blue = {r["id"]: r for r in rows}["art-4"]
    assert blue["source"] == "People's Daily" and blue["source_id"] == "people-daily"
    assert blue["campaigns"] == "Blue Sword"
    assert blue["figures"] == "gangs_destroyed 41 gangs in Guangdong; money_seized 2990000000 CNY"
    assert blue["published"] == "2022-01-01T08:00:00Z" and blue["lang"] == "en"


def test_jsonl_takes_the_filters_and_campaign_names(client: TestClient) -> None:
    rows = export(client, "jsonl", q="净网2021")
    assert {r["id"] for r in rows} == {"art-1", "art-2", "art-3"}
    chinese = {r["id"]: r for r in rows}["art-1"]
    assert chinese["campaigns"] == ["Clean Internet 2021"]
    assert chinese["figures"] == ["arrested 17000 people", "arrested 1200 people in Jiangsu"]
    assert chinese["title"] == "公安部部署“净网2021”专项行动"
    three = {r["id"]: r for r in rows}["art-3"]["figures"]
    assert three == ["arrested 25000 people", "cases_solved more_than 6000 cases"]
    rows = export(client, "jsonl", campaign="Blue Sword", date_from="2022-01-15")
    assert [r["id"] for r in rows] == ["art-5"]
    assert export(client, "csv", q="nothing-matches-this") == []


def test_bad_input_is_a_400_before_anything_streams(client: TestClient) -> None:
    for params, words in (
        ({"q": '"open'}, "unbalanced quotes"),
        ({"q": '"!!" fraud'}, "has nothing to search for"),  # refused by the index
        ({"date_from": "yesterday"}, "date_from must be a date"),
        ({"chinese_police": "maybe"}, "chinese_police must be true or false"),
    ):
        r = client.get("/api/search", params={**params, "format": "csv"})
        assert r.status_code == 400, (params, r.text)
        assert words in r.json()["detail"], r.text
    wrong = client.get("/api/search", params={"format": "xml"})
    assert wrong.status_code == 400 and "format" in wrong.text


def test_the_search_page_links_both_exports(client: TestClient) -> None:
    page = client.get("/", params={"q": "净网2021", "size": "1"}).text
    assert 'href="/api/search?q=%E5%87%80%E7%BD%912021&amp;format=csv"' in page
    assert 'href="/api/search?q=%E5%87%80%E7%BD%912021&amp;format=jsonl"' in page


def test_the_index_gives_matches_in_batches(filled_index: Index) -> None:
    batches = list(filled_index.matches(SearchRequest(query="police"), batch=4))
    assert [len(b) for b in batches[:-1]] == [4] * (len(batches) - 1)
    ids = [m.id for b in batches for m in b]
    assert len(ids) == len(set(ids)) == 15  # every 'police' article once, none twice


def test_csv_cells_cannot_become_formulas() -> None:
    hostile = Match(
        id="x",
        url="https://example.cn/a",
        title='=HYPERLINK("http://evil","click")',
        source="+feed",
        source_id="@id",
        published="2021-03-01T00:00:00Z",
        lang="en",
        campaigns=("-Campaign",),
        figures=({"measure": "arrested", "value": 3, "unit": "people"},),
    )
    text = "".join(as_csv([[hostile]]))
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert row["title"] == '\'=HYPERLINK("http://evil","click")'
    assert (row["source"], row["source_id"], row["campaigns"]) == ("'+feed", "'@id", "'-Campaign")
    assert figure_text({"measure": "money_involved", "value": 2.995e9, "unit": "CNY"}) == (
        "money_involved 2995000000 CNY"
    )
