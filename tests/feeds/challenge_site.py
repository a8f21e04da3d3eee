"""A news site behind a script challenge, on loopback: the way bureau sites answer clients.

Without the clearance cookie every page is a small 521 answer whose script works out a token,
sets it as a cookie and reloads; with the cookie the real list page or article comes back.
A plain HTTP client never gets past the challenge. The site counts what it served, per kind.
"""

from __future__ import annotations

import threading
from collections import Counter
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COOKIE = "__clearance"
SEED = 7919  # the token is SEED * 3 + 12, worked out by the script as such pages do


def _token() -> str:
    return f"ok{SEED * 3 + 12}"


CHALLENGE = f"""<!doctype html><html><head><meta charset="utf-8"></head><body>
<script>
var a = {SEED}, b = a * 3 + 12;
document.cookie = "{COOKIE}=ok" + b + "; path=/; max-age=3600";
setTimeout(function () {{ location.reload(); }}, 50);
</script></body></html>"""

ARTICLES = {
    1: (
        "2021-03-02",
        "省公安厅通报“净网2021”专项行动第一阶段战果",
        "记者从省公安厅获悉，今年以来，全省公安机关深入推进“净网2021”专项行动，"
        "共侦破网络违法犯罪案件1260余起，抓获犯罪嫌疑人2300余名，打掉犯罪团伙85个。"
        "其中，侦破电信网络诈骗案件640起，冻结涉案资金1.2亿元，"
        "查处为诈骗团伙提供银行卡、电话卡的“两卡”违法犯罪人员870名。"
        "省公安厅网安总队负责人表示，下一步将持续保持高压严打态势，"
        "会同通信管理、银行等部门加强源头治理，切实维护人民群众财产安全。",
    ),
    2: (
        "2021-03-09",
        "“断卡”行动：警方捣毁一个跨境帮信团伙",
        "近日，市公安局在“断卡”行动中成功侦破一起帮助信息网络犯罪活动案，"
        "抓获犯罪嫌疑人46名，查获手机卡1.3万张、银行卡2100余张，"
        "涉案流水金额达3亿余元。经查，该团伙长期在境内收购他人银行卡和电话卡，"
        "通过物流寄递至境外，供电信网络诈骗团伙转移赃款使用。"
        "警方提醒广大群众，切勿出租、出借、出售本人的银行卡和电话卡，以免沦为犯罪帮凶。",
    ),
    3: (
        "2021-03-15",
        "公安机关公布十起打击网络谣言典型案例",
        "为营造清朗网络空间，公安机关持续开展打击整治网络谣言专项工作，"
        "依法查处编造传播网络谣言人员三百余名，关停违法违规账号一千二百余个。"
        "公安部网络安全保卫局有关负责人表示，网络不是法外之地，"
        "对编造、故意传播虚假信息扰乱公共秩序的行为，公安机关将坚决依法打击，"
        "希望广大网民自觉抵制网络谣言，共同维护良好网络生态。",
    ),
}


def list_page(link_base: str = "", query: str = "") -> str:
    items = "".join(
        f'<li><a href="{link_base}/xwfb/{n}.html{query}" target="_blank">{title}</a>'
        f'<span class="date">{date}</span></li>'
        for n, (date, title, _) in sorted(ARTICLES.items(), reverse=True)
    )
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>警务要闻</title>'
        '<link rel="stylesheet" href="/style.css"></head><body>'
        '<div class="nav"><a href="/">首页</a></div>'
        f'<div class="list"><ul id="news">{items}</ul></div></body></html>'
    )


def article_page(n: int) -> str:
    date, title, text = ARTICLES[n]
    paragraphs = "".join(f"<p>{p}。</p>" for p in text.split("。") if p)
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
        '<div class="nav"><a href="/">首页</a> &gt; <a href="/xwfb/">警务要闻</a></div>'
        f'<div class="article"><h1>{title}</h1><div class="info">发布时间：{date}</div>'
        f'<div class="content">{paragraphs}</div></div>'
        '<div class="footer">主办单位：公安厅 版权所有</div></body></html>'
    )


class ChallengeSite:
    """The site on 127.0.0.1; `served` counts "challenge", "list", "article" answers."""

    def __init__(self) -> None:
        self.link_base = ""  # e.g. "http://127.0.0.2:PORT": the list page links elsewhere
        self.redirect_to = ""  # where /jump.html redirects (before any challenge)
        self.query = ""  # e.g. "?g=2": appended to the list page's links, so they are new
        self.slow = threading.Event()  # /slow/ answers once this is set (or after 30 s)
        self.served: Counter[str] = Counter()
        self.requests: list[tuple[str, str]] = []  # (path, user agent)
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site.requests.append((self.path, self.headers.get("User-Agent", "")))
                cookie = SimpleCookie(self.headers.get("Cookie", ""))
                passed = COOKIE in cookie and cookie[COOKIE].value == _token()
                path = self.path.split("?")[0]
                if path == "/style.css":
                    return self._send(200, "body{}", "text/css")
                if path == "/jump.html" and site.redirect_to:
                    self.send_response(302)
                    self.send_header("Location", site.redirect_to)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if path == "/slow/":
                    site.served["slow"] += 1
                    site.slow.wait(30)
                    return self._send(200, list_page(site.link_base, site.query))
                if not passed:
                    site.served["challenge"] += 1
                    return self._send(521, CHALLENGE)
                if path in ("/xwfb/", "/xwfb/index.html"):
                    site.served["list"] += 1
                    return self._send(200, list_page(site.link_base, site.query))
                name = path.removeprefix("/xwfb/").removesuffix(".html")
                if name.isdigit() and int(name) in ARTICLES:
                    site.served["article"] += 1
                    return self._send(200, article_page(int(name)))
                return self._send(404, "<html><body>not found</body></html>")

            def _send(self, status: int, text: str, kind: str = "text/html") -> None:
                body = text.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
