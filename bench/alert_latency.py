"""Alert latency on the embedded deployment: from a new item appearing in a local feed
(polled every second) to its new-campaign email arriving at a local SMTP server.

Runs the real poller, extract and index stages and the alert stage (shipped
config/alerts.toml, so its [delivery] gather_seconds counts) against a feed served on
loopback and aiosmtpd; prints p50 / p95 / max over the items.

    .venv/bin/python bench/alert_latency.py [--items 100] [--every 0.3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402
from loguru import logger  # noqa: E402

from monitor.bus.base import ENRICHED  # noqa: E402
from monitor.settings import load_settings  # noqa: E402
from monitor.wiring import open_bus, open_index  # noqa: E402
from pipelines.alert import build_alert_stage  # noqa: E402
from pipelines.poll import build_poller  # noqa: E402
from pipelines.runner import Runner  # noqa: E402
from pipelines.stages import build_runner  # noqa: E402

ADJECTIVES = [
    "Iron",
    "Jade",
    "Silver",
    "Golden",
    "Crimson",
    "Azure",
    "Swift",
    "Silent",
    "Bright",
    "Stone",
]
ANIMALS = [
    "Falcon",
    "Tiger",
    "Crane",
    "Dragon",
    "Leopard",
    "Eagle",
    "Wolf",
    "Heron",
    "Panther",
    "Hawk",
]


def campaign_name(n: int) -> str:
    return f"{ADJECTIVES[n // 10 % 10]} {ANIMALS[n % 10]}"


class Feed:
    """An RSS feed whose items the benchmark adds while the poller watches it."""

    def __init__(self) -> None:
        self.items: list[tuple[int, float]] = []
        self.lock = threading.Lock()

    def add(self, n: int) -> float:
        with self.lock:
            appeared = time.perf_counter()
            self.items.append((n, time.time()))
        return appeared

    def render(self, base: str) -> tuple[str, bytes]:
        with self.lock:
            items = list(reversed(self.items))
        parts = []
        for n, when in items:
            name = campaign_name(n)
            title = f"Ministry of Public Security launches “{name}” campaign against online fraud"
            body = (
                f"The Ministry of Public Security on Monday launched the “{name}” special "
                f"campaign against telecom and online fraud across the country."
            )
            parts.append(
                f"<item><title>{escape(title)}</title><link>{base}/item/{n}</link>"
                f"<guid>{base}/item/{n}</guid>"
                f"<pubDate>{format_datetime(datetime.fromtimestamp(when, UTC))}</pubDate>"
                f"<description>{escape(body)}</description></item>"
            )
        xml = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Bench feed</title><link>{base}/</link>"
            f"<description>bench</description>{''.join(parts)}</channel></rss>"
        )
        return f'"{len(items)}"', xml.encode("utf-8")


def serve_feed(feed: Feed) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            etag, body = feed.render(base)
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class Inbox:
    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        now = time.perf_counter()
        subject = str(message_from_bytes(envelope.content, policy=policy.default)["Subject"])
        with self.lock:
            self.count += 1
            self.arrived.setdefault(subject, now)
        return "250 OK"


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--items", type=int, default=100)
    ap.add_argument("--every", type=float, default=0.3, help="seconds between new items")
    args = ap.parse_args()
    logger.remove()
    logger.add(sys.stderr, level="WARNING")

    data = Path(tempfile.mkdtemp(prefix="bench-alert-"))
    feed, inbox = Feed(), Inbox()
    http = serve_feed(feed)
    smtp = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    feeds = data / "feeds.toml"
    feeds.write_text(
        '[poller]\nmin_interval = 1.0\n\n[[source]]\nid = "bench"\nname = "Bench feed"\n'
        f'url = "http://127.0.0.1:{http.server_address[1]}/feed.xml"\nlang = "en"\n'
        'interval = 1.0\nmin_interval = 1.0\nmax_interval = 1.0\nfulltext = "never"\n',
        encoding="utf-8",
    )
    settings = load_settings(
        ROOT / "config" / "monitor.toml",
        data_dir=data / "var",
        feeds=feeds,
        smtp={"host": "127.0.0.1", "port": smtp.port, "from": "monitor@example.org"},
        alerts={"to": "bench@example.org", "rules": ROOT / "config" / "alerts.toml"},
    )
    bus, index = open_bus(settings), open_index(settings)
    stage = build_alert_stage(settings)
    p = settings.pipeline
    runners = [
        build_runner("extract", settings, bus, index),
        build_runner("index", settings, bus, index),
        Runner(
            stage,
            bus.consumer(ENRICHED, "alert"),
            bus.producer(),
            batch_size=p.batch_size,
            batch_timeout=p.batch_timeout,
        ),
    ]
    poller = build_poller(settings, bus.producer())
    stage.start()
    for runner in runners:
        runner.start()
    poller.start()

    appeared: dict[str, float] = {}
    for n in range(args.items):
        subject_start = f"New campaign: {campaign_name(n)},"
        appeared[subject_start] = feed.add(n)
        time.sleep(args.every)
    deadline = time.perf_counter() + 60
    while time.perf_counter() < deadline:
        with inbox.lock:
            if len(inbox.arrived) >= args.items:
                break
        time.sleep(0.05)
    time.sleep(2.0)  # anything sent twice would arrive now

    poller.stop()
    for runner in runners:
        runner.stop()
    for runner in runners:
        runner.join(10)
    poller.close()
    stage.close()
    smtp.stop()
    http.shutdown()

    latencies = []
    with inbox.lock:
        for subject, t1 in inbox.arrived.items():
            for start, t0 in appeared.items():
                if subject.startswith(start):
                    latencies.append(t1 - t0)
        total = inbox.count
    if not latencies:
        print("no email arrived")
        sys.exit(1)
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    print(
        f"items                     {args.items} (one every {args.every:.2f} s; feed polled "
        f"every 1 s)"
    )
    print(f"emails received           {total} ({len(latencies)} matched to items)")
    print(
        f"latency feed -> inbox     p50 {p50:.2f} s   p95 {p95:.2f} s   max {max(latencies):.2f} s"
    )
    print(
        f"target (p95 < 5 s, one email per item): "
        f"{'met' if p95 < 5 and total == args.items == len(latencies) else 'NOT met'}"
    )


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


if __name__ == "__main__":
    main()
