"""`html` sources (list pages without a feed), full text of article pages, and Chinese dates."""

from __future__ import annotations

from datetime import UTC, datetime

from pytest_httpserver import HTTPServer

from monitor.feeds.dates import parse_date

from .conftest import produced, rss

LIST_PAGE = """<!DOCTYPE html><html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>警务要闻</title></head>
<body><div class="nav"><a href="/">首页</a></div>
<div class="list"><ul>
<li><a href="/n1/c1001/content.html" title="公安部部署开展净网2021专项行动">
    公安部部署开展净网2021专项行动</a>
    <span>2021年3月5日</span></li>
<li><a href="./c1002/content.html">江苏公安破获“断卡”案件1200起</a>
    <span>2021-03-04 10:00</span></li>
<li><a href="javascript:void(0)">无效链接</a><span>2021-03-03</span></li>
</ul></div></body></html>"""

ARTICLE = """<html><head><meta charset="gbk">
<title>公安部部署开展净网2021专项行动</title></head><body>
<div class="header">首页 | 警务要闻 | 政务公开</div>
<div class="article"><h1>公安部部署开展净网2021专项行动</h1>
<p>3月5日，公安部召开电视电话会议，部署全国公安机关开展“净网2021”专项行动，严厉打击网络违法犯罪。</p>
<p>会议指出，2020年全国公安机关共侦破网络犯罪案件6.2万起，抓获犯罪嫌疑人8万余名，朱镕基旧居周边的诈骗团伙已被捣毁。</p>
<p>会议要求，各地公安机关要坚持依法严打，切实维护人民群众合法权益和网络空间安全稳定。</p>
</div><div class="footer">版权所有 中华人民共和国公安部</div></body></html>"""


def _page_source(url: str, **extra: object) -> dict[str, object]:
    return {
        "id": "mps",
        "kind": "html",
        "url": url,
        "lang": "zh",
        "selectors": {"item": "div.list li", "link": "a", "date": "span"},
        **extra,
    }


def test_list_page_items_with_full_text_in_gbk(httpserver: HTTPServer, make_poller, bus):
    httpserver.expect_request("/n1/index.html").respond_with_data(
        LIST_PAGE.encode("gbk"), content_type="text/html"
    )
    httpserver.expect_request("/n1/c1001/content.html").respond_with_data(
        ARTICLE.encode("gbk"), content_type="text/html"
    )
    httpserver.expect_request("/n1/c1002/content.html").respond_with_data(b"", status=404)
    poller = make_poller([_page_source(httpserver.url_for("/n1/index.html"))])
    report = poller.poll_all()
    outcome = report.outcomes[0]
    assert outcome.status == "new" and outcome.emitted == 2, outcome.error
    articles = {a.title: a for a in produced(bus)}
    first = articles["公安部部署开展净网2021专项行动"]
    assert "朱镕基旧居周边的诈骗团伙已被捣毁" in first.body
    assert "版权所有" not in first.body
    assert first.url == httpserver.url_for("/n1/c1001/content.html")
    assert first.published_at == datetime(2021, 3, 4, 16, 0, tzinfo=UTC)  # 5 March, Beijing
    second = articles["江苏公安破获“断卡”案件1200起"]
    assert second.body == ""  # the article page was missing: the entry is kept without it
    assert second.published_at == datetime(2021, 3, 4, 2, 0, tzinfo=UTC)
    assert any("404" in p and "summary was kept" in p for p in outcome.problems)
    assert poller.poll_all().emitted == 0


def test_a_changed_layout_is_reported(httpserver: HTTPServer, make_poller):
    httpserver.expect_request("/n1/index.html").respond_with_data(
        "<html><body><div class='news'><p>改版了</p></div></body></html>",
        content_type="text/html; charset=utf-8",
    )
    poller = make_poller([_page_source(httpserver.url_for("/n1/index.html"))])
    outcome = poller.poll_all().outcomes[0]
    assert outcome.status == "failed"
    assert "matched nothing on the page" in outcome.error


def test_summary_only_feed_gets_full_text_and_always_refetches(
    httpserver: HTTPServer, make_poller, bus
):
    article_url = httpserver.url_for("/a/1.html")
    feed = rss([{"title": "净网2021", "link": article_url, "description": "摘要。"}])
    httpserver.expect_request("/feed").respond_with_data(feed, content_type="text/xml")
    httpserver.expect_request("/a/1.html").respond_with_data(
        ARTICLE.encode("gbk"), content_type="text/html"
    )
    poller = make_poller(
        [
            {"id": "f", "url": httpserver.url_for("/feed")},
            {"id": "never", "url": httpserver.url_for("/feed"), "fulltext": "never"},
        ],
        max_concurrent=1,
    )
    poller.poll_all()
    (article,) = produced(bus)  # the second source's copy is a duplicate
    assert article.summary == "摘要。"
    assert "6.2万起" in article.body


def test_full_text_timeout_keeps_the_summary(httpserver: HTTPServer, make_poller, bus):
    import time

    from werkzeug import Response

    def slow(request):
        time.sleep(2.5)
        return Response(ARTICLE.encode("gbk"), content_type="text/html")

    article_url = httpserver.url_for("/slow.html")
    httpserver.expect_request("/feed").respond_with_data(
        rss([{"title": "慢页面", "link": article_url, "description": "只有摘要。"}]),
        content_type="text/xml",
    )
    httpserver.expect_request("/slow.html").respond_with_handler(slow)
    poller = make_poller([{"id": "f", "url": httpserver.url_for("/feed")}], fulltext_timeout=1)
    outcome = poller.poll_all().outcomes[0]
    (article,) = produced(bus)
    assert article.summary == "只有摘要。" and article.body == ""
    assert any("timed out" in p for p in outcome.problems)


def test_chinese_dates():
    now = datetime(2021, 3, 10, tzinfo=UTC)
    assert parse_date("2021年3月5日", now=now) == datetime(2021, 3, 4, 16, tzinfo=UTC)
    assert parse_date("发布时间：2021-03-05 10:00", now=now) == datetime(2021, 3, 5, 2, tzinfo=UTC)
    assert parse_date("2021年03月05日 10时30分", now=now) == datetime(2021, 3, 5, 2, 30, tzinfo=UTC)
    assert parse_date("2021/3/5", now=now) == datetime(2021, 3, 4, 16, tzinfo=UTC)
    assert parse_date("[03-05]", now=now) == datetime(2021, 3, 4, 16, tzinfo=UTC)
    assert parse_date("[12-30]", now=now) == datetime(2020, 12, 29, 16, tzinfo=UTC)
    assert parse_date("2021-03-05T10:00:00+00:00") == datetime(2021, 3, 5, 10, tzinfo=UTC)
    assert parse_date("Fri, 05 Mar 2021 10:00:00 GMT") == datetime(2021, 3, 5, 10, tzinfo=UTC)
    assert parse_date("2021-03-05 10:00", tz="UTC") == datetime(2021, 3, 5, 10, tzinfo=UTC)
    assert parse_date("抓获嫌疑人3.5万名") is None
    assert parse_date("") is None


def test_anchor_wrapping_the_list_item(httpserver: HTTPServer, make_poller, bus):
    # The layout of the shipped nxnews-police source: <a> around <li>, date in span#time.
    page = (
        '<html><head><meta charset="utf-8"></head><body><ul id="list">'
        '<a href="202604/t20260415_1.html"><li><p>西夏公安拦截2起电诈挽损300余万元</p>'
        '<span id="time">2026-04-15</span></li></a>'
        '<a href="http://news.cnr.cn/x/2.html"><li><p>宁夏公安破获一起妨害公务案</p>'
        '<span id="time">2026-04-14</span></li></a></ul></body></html>'
    )
    httpserver.expect_request("/sh/jjcz/").respond_with_data(page, content_type="text/html")
    poller = make_poller(
        [
            {
                "id": "nx",
                "kind": "html",
                "url": httpserver.url_for("/sh/jjcz/"),
                "fulltext": "never",
                "selectors": {"item": "#list li", "link": "a", "title": "p", "date": "span"},
            }
        ]
    )
    assert poller.poll_all().emitted == 2
    urls = {a.url for a in produced(bus)}
    assert urls == {
        "http://news.cnr.cn/x/2.html",
        httpserver.url_for("/sh/jjcz/202604/t20260415_1.html"),
    }
