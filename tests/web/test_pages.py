"""The pages as HTML: markup from a feed shows as text everywhere, links are safe, figures are
highlighted where they stand, and facets, histogram and paging link to narrower searches."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient

from monitor.index.embedded import EmbeddedIndex
from monitor.models import CampaignMention, EnrichedArticle, Extraction, Figure
from monitor.web.app import create_app
from monitor.web.charts import LINE_POINTS
from tests.conftest import enrich, make_article
from tests.web.conftest import CI, XSS_TITLE

PAGES = [
    "/",
    "/?q=onerror",
    "/?campaign=Blue+Sword",
    "/articles/art-5",
    "/campaigns",
    "/campaigns/Blue%20Sword",
    "/?q=HYPERLINK&sort=date",
]


@pytest.mark.parametrize("path", PAGES)
def test_markup_in_an_article_shows_as_text(client: TestClient, path: str) -> None:
    html = client.get(path).text
    assert "<img src=x" not in html
    assert "<script>alert" not in html and "<b>suspects" not in html and "<i>feed" not in html
    assert 'href="javascript:' not in html
    if path != "/campaigns":
        assert "&lt;img src=x onerror=alert(1)&gt;" in html or "&lt;i&gt;feed" in html


def test_every_page_that_names_the_article_shows_its_title_as_text(client: TestClient) -> None:
    for path in ("/?q=onerror", "/articles/art-5", "/campaigns/Blue%20Sword"):
        html = client.get(path).text
        assert XSS_TITLE in unescape(re.sub(r"<mark>|</mark>", "", html)), path


def test_article_page_marks_each_figure_quote_in_the_text(client: TestClient) -> None:
    html = client.get("/articles/art-1").text
    assert (
        '<mark class="fig" id="fig-32" title="17,000 arrested">抓获犯罪嫌疑人1.7万名</mark>' in html
    )
    assert 'id="fig-53"' in html and 'href="#fig-53"' in html  # anchors are offsets
    assert 'lang="zh-CN"' in html
    assert 'href="/campaigns/Clean%20Internet%202021"' in html
    hostile = client.get("/articles/art-5").text
    assert (
        '<mark class="fig" id="fig-74" title="30 arrested">arrested 30 &lt;b&gt;suspects' in hostile
    )


def test_search_page_facets_toggle_filters(client: TestClient) -> None:
    html = client.get("/?q=arrested").text
    links = re.findall(r'<a href="(/\?[^"]+)"[^>]*>Blue Sword</a>', html)
    assert links, "the campaign facet links to a narrower search"
    params = parse_qsl(urlsplit(unescape(links[0])).query)
    assert ("campaign", "Blue Sword") in params and ("q", "arrested") in params
    narrowed = client.get(unescape(links[0])).text
    assert 'class="on" aria-current="true">Blue Sword</a>' in narrowed
    assert "<b>1</b> announcement for" in narrowed  # art-4 does not say "arrested"
    assert 'title="remove this filter">Campaign: Blue Sword' in narrowed


def test_histogram_bars_narrow_the_dates(client: TestClient) -> None:
    html = client.get("/").text
    assert '<svg class="histogram"' in html
    bars = re.findall(r'<a href="([^"]+)"><rect', html)
    assert len(bars) == 12  # 2021-03 .. 2022-02, empty months included
    june = next(unescape(b) for b in bars if "2021-06-01" in b)
    assert dict(parse_qsl(urlsplit(june).query)) == {
        "date_from": "2021-06-01",
        "date_to": "2021-06-30",
    }
    assert "<b>12</b> announcements" in client.get(june).text


def test_paging_links(client: TestClient) -> None:
    assert "page 1 of" not in client.get("/?q=fraud").text  # 13 results, 20 a page
    first = client.get("/?q=fraud&size=5&sort=date").text
    assert "page 1 of 3" in first and "Previous" not in first
    following = unescape(re.findall(r'rel="next" href="([^"]+)"', first)[0])
    assert dict(parse_qsl(urlsplit(following).query)) == {
        "q": "fraud",
        "size": "5",
        "sort": "date",
        "page": "2",
    }
    second = client.get(following).text
    assert "page 2 of 3" in second and 'rel="prev"' in second
    titles = re.compile(r'class="title" href="/articles/([^"]+)"')
    assert not set(titles.findall(first)) & set(titles.findall(second))


def test_bad_query_shows_the_reason_on_the_page(client: TestClient) -> None:
    r = client.get("/?q=(fraud")
    assert r.status_code == 400
    assert "Bad query:" in r.text and "never closed" in r.text
    assert 'value="(fraud"' in r.text  # the reader's query stays in the box to fix
    odd = client.get("/?page=abc")
    assert odd.status_code == 400 and "page must be a whole number" in odd.text


def test_campaign_page_charts_its_figures(client: TestClient) -> None:
    html = client.get(f"/campaigns/{CI}").text
    assert "净网2021" in html
    assert html.count('<svg class="chart"') == 2  # arrested, cases solved
    assert 'data-measure="arrested"' in html
    assert "latest: 25,000</figcaption>" in html
    assert "(2 reports)" in html
    assert "42,000" not in html


def test_campaigns_page_lists_names_in_both_languages(client: TestClient) -> None:
    html = client.get("/campaigns").text
    assert '<span class="zh" lang="zh-CN">净网2021</span>' in html
    assert "25,000 arrested" in html and "2.99 billion yuan seized" in html


def test_unknown_pages_answer_404_as_a_page(client: TestClient) -> None:
    for path in ("/articles/nope", "/campaigns/Nothing", "/nowhere"):
        r = client.get(path)
        assert r.status_code == 404 and "Not found" in r.text, path


def test_assets_are_served_by_the_app(client: TestClient) -> None:
    html = client.get("/").text
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert {"/static/style.css", "/static/app.js"} <= set(assets)
    for asset in assets:
        assert client.get(asset).status_code == 200
    assert not re.search(r'(?:href|src)="(?:https?:)?//', html.split("<main>")[0])


def test_a_campaign_with_many_figures_lists_the_newest_and_links_the_rest(tmp_path: Path) -> None:
    index = EmbeddedIndex(tmp_path / "index.db")
    index.upsert_many(
        [
            enrich(
                make_article(
                    n,
                    body=f"Police arrested {1000 + n} suspects.",
                    published=datetime(2021, 1, 1, tzinfo=UTC) + timedelta(days=n),
                ),
                campaigns=("Big",),
                figures=(
                    Figure(
                        value=1000 + n,
                        unit="people",
                        measure="arrested",
                        quote=f"arrested {1000 + n} suspects",
                        start=0,
                        end=1,
                        campaign="Big",
                    ),
                ),
            )
            for n in range(130)
        ]
    )
    html = TestClient(create_app(index)).get("/campaigns/Big").text
    rows = re.findall(r'<td class="label">([^<]+) <q class="quote">', html)
    assert len(rows) == 100 and rows[0] == "1,129 arrested"
    assert "all 130 as CSV" in html
    # one line of 130 points, thinned to what the chart can show, from the first to the latest
    assert html.count('<circle class="point"') == LINE_POINTS
    assert "2021-01-0" in html and "2021-05-10, national: 1,129 arrested" in html
    assert "The newest 100 announcements are shown" in html
    index.close()


def test_figures_show_every_digit_and_nearly_beside_the_words_they_came_from(
    tmp_path: Path,
) -> None:
    body = "专项行动中，警方抓获犯罪嫌疑人近2000名，查扣涉案资金29.95亿元，破获案件不到300起。"
    art = make_article(1, title="公安机关通报", body=body, lang="zh")
    text = art.text

    def at(quote: str, **kw: object) -> Figure:
        start = text.index(quote)
        return Figure(quote=quote, start=start, end=start + len(quote), campaign="Big", **kw)  # type: ignore[arg-type]

    figures = (
        at("抓获犯罪嫌疑人近2000名", value=2000, unit="people", measure="arrested", approx="about"),
        at("查扣涉案资金29.95亿元", value=2.995e9, unit="CNY", measure="money_seized"),
        # extracted before 近 was read as "about": still shown as nearly
        at("近2000名", value=2000, unit="people", measure="detained", approx="less_than"),
        at(
            "破获案件不到300起", value=300, unit="cases", measure="cases_solved", approx="less_than"
        ),
    )
    index = EmbeddedIndex(tmp_path / "index.db")
    index.upsert_many([enrich(art, campaigns=("Big",), figures=figures)])
    client = TestClient(create_app(index))

    page = unescape(client.get(f"/articles/{art.id}").text)
    rows = re.findall(
        r'<td class="label">([^<]+)</td>.*?<a href="#fig-\d+">([^<]+)</a>', page, re.S
    )
    assert rows == [
        ("nearly 2,000 arrested", "抓获犯罪嫌疑人近2000名"),
        ("2.995 billion yuan seized", "查扣涉案资金29.95亿元"),
        ("nearly 2,000 detained", "近2000名"),
        ("under 300 cases solved", "破获案件不到300起"),
    ]
    assert "3 billion" not in page and "under 2,000" not in page
    assert "2,995,000,000 CNY" in page and "(nearly)" in page and "(under)" in page

    chips = unescape(client.get("/", params={"q": "公安机关"}).text)
    assert (
        '<span class="chip" title="查扣涉案资金29.95亿元">2.995 billion yuan seized</span>' in chips
    )
    campaign = unescape(client.get("/campaigns/Big").text)
    assert (
        '<td class="label">2.995 billion yuan seized <q class="quote">查扣涉案资金29.95亿元</q>'
        in campaign
    )
    listed = unescape(client.get("/campaigns").text)
    assert 'title="抓获犯罪嫌疑人近2000名">nearly 2,000 arrested' in listed
    index.close()


def test_a_spelling_seen_under_an_unlisted_campaign_opens_it(tmp_path: Path) -> None:
    art = make_article(
        1, title="“猎网2023”专项行动", body="公安机关开展“猎网2023”专项行动。", lang="zh"
    )
    doc = EnrichedArticle.of(
        art,
        Extraction(
            extractor_version="test-1",
            campaigns=(
                CampaignMention(canonical="Net Hunt 2023", mention="猎网2023", start=1, end=7),
            ),
        ),
    )
    index = EmbeddedIndex(tmp_path / "index.db")
    index.upsert_many([doc])
    client = TestClient(create_app(index))
    for name in ("猎网2023", "獵網2023", "Net Hunt 2023"):
        page = client.get(f"/campaigns/{name}")
        assert page.status_code == 200, name
        assert "<h1>Net Hunt 2023" in page.text
    assert client.get("/campaigns/猎网2024").status_code == 404
    index.close()


def test_campaigns_and_regions_on_the_article_page_are_separated(tmp_path: Path) -> None:
    art = enrich(
        make_article(1),
        campaigns=("Blue Sword", "Clean Internet 2021", "Kunlun 2022"),
        regions=("Jiangsu", "Inner Mongolia"),
    )
    index = EmbeddedIndex(tmp_path / "index.db")
    index.upsert_many([art])
    html = TestClient(create_app(index)).get(f"/articles/{art.id}").text
    index.close()
    facts = dict(re.findall(r"<dt>([^<]+)</dt><dd>(.*?)</dd>", html))
    text = {name: unescape(re.sub(r"<[^>]+>", "", dd)) for name, dd in facts.items()}
    assert text["Campaigns"] == "Blue Sword, Clean Internet 2021, Kunlun 2022"
    assert text["Regions"] == "Jiangsu, Inner Mongolia"
