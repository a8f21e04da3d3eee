"""The JSON API over each index backend: results, facets, histogram, highlights, paging, the
campaign and figure views, CSV export, and a 400 that says what is wrong."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import CI, XSS_TITLE


def ids(client: TestClient, **params: object) -> list[str]:
    r = client.get("/api/search", params=params)  # type: ignore[arg-type]
    assert r.status_code == 200, r.text
    return [h["id"] for h in r.json()["hits"]]


def test_words_phrases_operators_and_fields(client: TestClient) -> None:
    assert set(ids(client, q="arrested")) == {"art-1", "art-2", "art-3", "art-5"}
    assert ids(client, q='"naked chat"') == ["art-2"]
    assert set(ids(client, q="arrested NOT naked")) == {"art-1", "art-3", "art-5"}
    assert set(ids(client, q="naked OR Guangdong")) == {"art-2", "art-4"}
    assert set(ids(client, q='campaign:"Blue Sword"')) == {"art-4", "art-5"}
    # 净网 is the Clean Internet series' Chinese name: it finds the English reports too
    assert set(ids(client, q="净网")) == {"art-1", "art-2", "art-3"}
    assert ids(client, q="犯罪嫌疑人 江苏") == ["art-1"]


def test_irrelevant_articles_only_on_request(client: TestClient) -> None:
    assert ids(client, q="football") == []
    assert ids(client, q="football", include_irrelevant="true") == ["art-6"]


def test_filters_and_facet_counts(client: TestClient) -> None:
    body = client.get("/api/search", params={"campaign": "Blue Sword"}).json()
    assert {h["id"] for h in body["hits"]} == {"art-4", "art-5"}
    facets = {
        name: {b["key"]: b["count"] for b in buckets} for name, buckets in body["facets"].items()
    }
    # the filtered facet still offers the other campaign, counted without its own filter
    assert facets["campaign"] == {CI: 3, "Blue Sword": 2}
    assert facets["region"] == {"Guangdong": 1}
    assert facets["measure"] == {"arrested": 1, "gangs_destroyed": 1, "money_seized": 1}
    # values of one filter are ORed, different filters ANDed
    both = client.get("/api/search", params=[("campaign", "Blue Sword"), ("campaign", CI)]).json()
    assert both["total"] == 5
    narrowed = client.get("/api/search", params={"campaign": CI, "region": "Jiangsu"}).json()
    assert [h["id"] for h in narrowed["hits"]] == ["art-1"]
    assert ids(client, lang="zh") == ["art-1"]
    assert ids(client, source="chinadaily") == ["art-3"]
    assert ids(client, crime_type="naked chat extortion") == ["art-2"]
    assert set(ids(client, agency="Ministry of Public Security")) == {"art-1", "art-3"}


def test_date_range_is_inclusive_and_histogram_counts_every_hit(client: TestClient) -> None:
    june = client.get(
        "/api/search", params={"date_from": "2021-06-01", "date_to": "2021-06-05", "size": 50}
    ).json()
    assert june["total"] == 5
    assert {h["id"] for h in june["hits"]} == {f"art-{10 + i}" for i in range(5)}
    everything = client.get("/api/search").json()
    assert sum(b["count"] for b in everything["histogram"]) == everything["total"] == 17
    assert everything["interval"] == "month"
    assert {"start": "2021-06", "count": 12} in everything["histogram"]


def test_highlighted_snippets_and_titles_are_escaped(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "naked chat"}).json()["hits"]
    assert "<mark>naked</mark>" in hits[0]["title_html"]
    assert "<mark>chat</mark>" in hits[0]["snippet_html"]
    xss = client.get("/api/search", params={"q": "onerror OR HYPERLINK"}).json()["hits"]
    assert xss, "the markup article is findable"
    assert xss[0]["title"] == XSS_TITLE
    assert "<img" not in xss[0]["title_html"] and "&lt;img" in xss[0]["title_html"]
    assert "<script>" not in xss[0]["snippet_html"]


def test_paging_and_date_sort(client: TestClient) -> None:
    pages = [ids(client, q="fraud", size=5, page=p, sort="date") for p in (1, 2, 3, 4)]
    flat = [i for page in pages for i in page]
    assert [len(p) for p in pages] == [5, 5, 3, 0]
    assert len(set(flat)) == 13
    body = client.get("/api/search", params={"q": "fraud", "size": 5, "sort": "date"}).json()
    dates = [h["published_at"] for h in body["hits"]]
    assert dates == sorted(dates, reverse=True)
    assert body["total"] == 13 and body["page"] == 1 and body["size"] == 5


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"q": "(fraud"}, "parenthesis"),
        ({"q": 'campaign:"Blue'}, "quote"),
        ({"q": "bogus:thing"}, "unknown field"),
        ({"q": "NOT"}, "NOT"),
        ({"q": "fraud AND"}, "AND"),
        ({"page": "0"}, "page"),
        ({"size": "500"}, "size"),
        ({"sort": "popular"}, "sort"),
        ({"page": "101", "size": "100"}, "10,000"),
        ({"date_from": "last tuesday"}, "date_from must be a date"),
        ({"date_from": "2022-01-01", "date_to": "2021-01-01"}, "after"),
        ({"q": "x" * 1001}, "1,000"),
        ({"preset": "soon"}, "bad request: preset must be one of 24h, 7d, 30d, year, not 'soon'"),
        ({"preset": "7D", "q": "fraud"}, "not '7D'"),
    ],
)
def test_bad_requests_answer_400_saying_what_is_wrong(
    client: TestClient, params: dict[str, str], words: str
) -> None:
    r = client.get("/api/search", params=params)
    assert r.status_code == 400, r.text
    assert words.lower() in r.json()["detail"].lower()


def test_a_preset_narrows_the_search_and_figures_as_on_the_search_page(
    client: TestClient,
) -> None:
    # every announcement of the corpus is from 2021 and 2022: none in the last 30 days
    assert client.get("/api/search", params={"q": "fraud"}).json()["total"] == 13
    assert client.get("/api/search", params={"q": "fraud", "preset": "30d"}).json()["total"] == 0
    assert client.get("/api/figures", params={"preset": "year"}).json()["figures"] == []
    # dates other than the preset's own replace it, as the search page's form sends them
    custom = {"q": "fraud", "preset": "7d", "date_from": "2021-06-01", "date_to": "2021-06-30"}
    assert client.get("/api/search", params=custom).json()["total"] == 12
    bad = client.get("/api/figures", params={"preset": "last week"})
    assert bad.status_code == 400
    assert bad.json()["detail"] == (
        "bad request: preset must be one of 24h, 7d, 30d, year, not 'last week'"
    )


def test_article_by_id(client: TestClient) -> None:
    doc = client.get("/api/articles/art-1").json()
    assert doc["title"] == "公安部部署“净网2021”专项行动"
    assert [f["value"] for f in doc["extraction"]["figures"]] == [17000, 1200]
    missing = client.get("/api/articles/nope")
    assert missing.status_code == 404 and "nope" in missing.json()["detail"]


def test_campaign_list_has_both_names_and_latest_figures(client: TestClient) -> None:
    listed = {c["canonical"]: c for c in client.get("/api/campaigns").json()}
    assert set(listed) == {CI, "Blue Sword"}
    ci = listed[CI]
    assert ci["name_zh"] == "净网2021"
    assert ci["first_seen"].startswith("2021-03-02")
    assert ci["article_count"] == 3
    latest = {f["measure"]: f["value"] for f in ci["latest_figures"]}
    assert latest["arrested"] == 25000  # the running total, not 17,000 + 25,000


def test_campaign_figures_over_time_are_distinct_and_never_summed(client: TestClient) -> None:
    c = client.get(f"/api/campaigns/{CI}").json()
    assert c["first_seen"].startswith("2021-03-02") and c["first_article"] == "art-1"
    assert c["sources"] == ["China Daily", "Xinhua", "公安部"]
    assert [a["id"] for a in c["articles"]] == ["art-3", "art-2", "art-1"]
    arrested = [
        (f["value"], f["region"], [r["article_id"] for r in f["reports"]])
        for f in c["figures"]
        if f["measure"] == "arrested"
    ]
    assert arrested == [
        (1200, "Jiangsu", ["art-1"]),
        (17000, None, ["art-1", "art-2"]),  # two announcements, one figure
        (25000, None, ["art-3"]),
    ]
    values = {f["value"] for f in c["figures"]}
    assert 42000 not in values and 43200 not in values
    solved = next(f for f in c["figures"] if f["measure"] == "cases_solved")
    assert solved["label"] == "more than 6,000 cases solved"
    assert client.get("/api/campaigns/clean internet 2021").json()["canonical"] == CI
    assert client.get("/api/campaigns/Operation Nowhere").status_code == 404


def test_figures_json_filters_on_the_figures_themselves(client: TestClient) -> None:
    body = client.get("/api/figures", params={"campaign": CI, "measure": "arrested"}).json()
    assert [(f["value"], len(f["reports"])) for f in body["figures"]] == [
        (1200, 1),
        (17000, 2),
        (25000, 1),
    ]
    assert body["truncated"] is False
    regional = client.get("/api/figures", params={"region": "Guangdong"}).json()["figures"]
    assert [(f["measure"], f["value"]) for f in regional] == [("gangs_destroyed", 41)]
    dated = client.get(
        "/api/figures", params={"date_from": "2021-09-01", "date_to": "2021-12-31"}
    ).json()["figures"]
    assert {f["value"] for f in dated} == {25000, 6000}
    assert client.get("/api/figures", params={"date_to": "soon"}).status_code == 400
    assert client.get("/api/figures", params={"q": "(("}).status_code == 400


def test_figures_csv_opens_in_a_spreadsheet(client: TestClient) -> None:
    r = client.get("/api/figures", params={"format": "csv"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert r.content.startswith("\ufeff".encode())  # UTF-8 BOM: spreadsheets read the 汉字
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 7
    seventeen = next(row for row in rows if row["value"] == "17000")
    assert seventeen["reports"] == "2" and seventeen["article_ids"] == "art-1; art-2"
    assert seventeen["sources"] == "公安部; Xinhua"
    assert seventeen["quote"] == "抓获犯罪嫌疑人1.7万名"
    money = next(row for row in rows if row["measure"] == "money_seized")
    assert money["value"] == "2990000000" and money["unit"] == "CNY"
    hostile = next(
        row for row in rows if row["campaign"] == "Blue Sword" and row["measure"] == "arrested"
    )
    assert hostile["urls"] == "javascript:alert(3)"
    assert not hostile["quote"].startswith("=")
    only = client.get("/api/figures", params={"format": "csv", "campaign": "Blue Sword"})
    assert len(list(csv.DictReader(io.StringIO(only.content.decode("utf-8-sig"))))) == 3


def test_openapi_document_and_no_cdn_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/api/search",
        "/api/articles/{article_id}",
        "/api/campaigns",
        "/api/campaigns/{name}",
        "/api/figures",
    ):
        assert path in spec["paths"], path
    assert "text/csv" in spec["paths"]["/api/figures"]["get"]["responses"]["200"]["content"]
    assert client.get("/docs").status_code == 404  # FastAPI's would load scripts from a CDN
    page = client.get("/api")
    assert page.status_code == 200 and "/api/figures" in page.text


@pytest.mark.parametrize(
    "name",
    [
        "净网2021",  # the spelling the announcement used, listed under the campaign
        "淨網2021",  # the same in traditional characters
        "Jingwang 2021",  # an alias of config/campaigns.toml no announcement used
        "clean internet 2021",
        "净网-2021",
    ],
)
def test_every_alias_in_either_script_opens_the_campaign(client: TestClient, name: str) -> None:
    r = client.get(f"/api/campaigns/{name}")
    assert r.status_code == 200, r.text
    assert r.json()["canonical"] == CI and r.json()["article_count"] == 3
    page = client.get(f"/campaigns/{name}")
    assert page.status_code == 200
    assert f"<h1>{CI}" in page.text


def test_an_alias_of_a_campaign_never_seen_is_still_not_found(client: TestClient) -> None:
    r = client.get("/api/campaigns/净网2030")
    assert r.status_code == 404 and "净网2030" in r.json()["detail"]
    assert client.get("/campaigns/淨網2030").status_code == 404
    assert client.get("/api/campaigns/藍劍").json()["canonical"] == "Blue Sword"
