"""`monitor demo`: the bundled sample feeds served on a local port, with a sources file for them."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FEEDS = Path(__file__).parent / "feeds"
SOURCES = (
    ("demo-en", "Sample announcements (English)", "english.xml", "en"),
    ("demo-zh", "示例公安通报 (Chinese)", "chinese.xml", "zh"),
)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_feeds(folder: Path, port: int = 0, interval: float = 10) -> Iterator[Path]:
    """Serve the sample feeds on 127.0.0.1 and yield a feeds file that points at them."""
    handler = functools.partial(_QuietHandler, directory=str(FEEDS))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, name="demo-feeds", daemon=True)
    thread.start()
    folder.mkdir(parents=True, exist_ok=True)
    feeds_file = folder / "feeds.toml"
    base = f"http://127.0.0.1:{server.server_address[1]}"
    tables = [
        f'[[source]]\nid = "{sid}"\nname = "{name}"\nurl = "{base}/{file}"\nlang = "{lang}"\n'
        f'interval = {interval}\nfulltext = "never"\n'
        for sid, name, file, lang in SOURCES
    ]
    feeds_file.write_text(
        "# Written by `monitor demo`: the bundled sample feeds on a local port.\n\n"
        + "\n".join(tables),
        encoding="utf-8",
    )
    try:
        yield feeds_file
    finally:
        server.shutdown()
        server.server_close()
