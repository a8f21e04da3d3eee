"""Chinese feeds in every encoding they come in, declared anywhere or nowhere:
the text comes out right."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from monitor.feeds.encoding import decode

from .conftest import produced, rss

# 镕 and 啰 are in GBK but not GB2312: a page declared GB2312 that uses them is really GBK.
TITLE_GB = "公安部：净网2021专项行动破获案件6.2万起，朱镕基旧居周边啰嗦的诈骗团伙落网"
SUMMARY_GB = "全国公安机关共抓获犯罪嫌疑人10.3万名，捣毁犯罪团伙1.2万个。"
TITLE_BIG5 = "臺灣警政署：打擊詐騙集團，查獲嫌犯一千二百名"
SUMMARY_BIG5 = "刑事警察局偵破跨境詐騙案件，凍結帳戶三百個。"


def _feed(title: str, summary: str, encoding: str, declare: str | None = None) -> bytes:
    return rss(
        [
            {
                "title": title,
                "link": "http://example.org/a/1.html",
                "description": summary,
                "pubDate": "2021-03-05 10:00",
            }
        ],
        encoding=encoding,
        declare=declare,
    )


CASES = [
    # id, title, summary, bytes codec, XML prolog declares, Content-Type header
    (
        "gb2312-header-really-gbk",
        TITLE_GB,
        SUMMARY_GB,
        "gbk",
        "",
        "application/rss+xml; charset=gb2312",
    ),
    ("gbk-prolog-only", TITLE_GB, SUMMARY_GB, "gbk", "gbk", "application/rss+xml"),
    ("gb2312-prolog-really-gbk", TITLE_GB, SUMMARY_GB, "gbk", "gb2312", "text/xml"),
    ("gb18030-prolog", TITLE_GB, SUMMARY_GB, "gb18030", "GB18030", "application/xml"),
    ("big5-header", TITLE_BIG5, SUMMARY_BIG5, "big5", "", "application/rss+xml; charset=big5"),
    ("big5-prolog", TITLE_BIG5, SUMMARY_BIG5, "big5", "big5", "application/xml"),
    (
        "utf8-header-lies-gbk",
        TITLE_GB,
        SUMMARY_GB,
        "utf-8",
        "utf-8",
        "application/rss+xml; charset=gbk",
    ),
    (
        "gbk-header-lies-utf8",
        TITLE_GB,
        SUMMARY_GB,
        "gbk",
        "gbk",
        "application/rss+xml; charset=utf-8",
    ),
    ("gbk-undeclared", TITLE_GB, SUMMARY_GB, "gbk", "", "application/rss+xml"),
    ("big5-undeclared", TITLE_BIG5, SUMMARY_BIG5, "big5", "", "application/rss+xml"),
    ("utf8-undeclared", TITLE_GB, SUMMARY_GB, "utf-8", "", "application/rss+xml"),
]


@pytest.mark.parametrize(
    ("case", "title", "summary", "codec", "declare", "content_type"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_feed_text_comes_out_right(
    httpserver: HTTPServer, make_poller, bus, case, title, summary, codec, declare, content_type
):
    body = _feed(title, summary, codec, declare)
    assert title.encode(codec) in body  # real bytes in that encoding
    httpserver.expect_request("/feed").respond_with_data(body, content_type=content_type)
    poller = make_poller([{"id": "cn", "url": httpserver.url_for("/feed"), "fulltext": "never"}])
    report = poller.poll_all()
    assert report.emitted == 1, report.outcomes[0].error
    (article,) = produced(bus)
    assert article.title == title
    assert article.summary == summary
    assert article.lang == "zh"
    # 10:00 with no zone is Beijing time.
    assert article.published_at.isoformat() == "2021-03-05T02:00:00+00:00"


def test_a_lying_header_is_recorded():
    body = _feed(TITLE_GB, SUMMARY_GB, "utf-8", "utf-8")
    decoded = decode(body, "text/xml; charset=gbk")
    assert decoded.encoding == "utf-8" and decoded.declared == "gbk"


def test_meta_tag_charset_of_a_page():
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        f"</head><body><h1>{TITLE_GB}</h1></body></html>"
    ).encode("gbk")
    decoded = decode(page, "text/html")
    assert decoded.how == "a meta tag"
    assert TITLE_GB in decoded.text


def test_bytes_no_codec_reads_are_replaced_not_fatal():
    broken = TITLE_GB.encode("gbk") + b"\xff\xff" + SUMMARY_GB.encode("gbk")
    decoded = decode(broken, "text/html; charset=gbk")
    assert TITLE_GB[:10] in decoded.text and SUMMARY_GB[-10:] in decoded.text
