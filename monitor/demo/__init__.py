"""`monitor demo`: the bundled sample feeds served on a local port, with a sources file for them,
and a note in the data folder that the demo runs, so that `monitor search` finds its articles.

The demo keeps its data in `<data_dir>/demo`, apart from what `monitor run` collects; while
it runs, `<data_dir>/demo.running` names that folder and the demo's process.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from monitor.errors import ConfigError

FEEDS = Path(__file__).parent / "feeds"
RUNNING = "demo.running"
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
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        raise ConfigError(
            f"the sample feeds cannot be served on port {port} (--port): {exc.strerror}"
        ) from None
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


@contextmanager
def announced(data_dir: Path, demo_dir: Path, url: str) -> Iterator[None]:
    """Record in `data_dir` that the demo runs on `demo_dir` until the block ends."""
    note = data_dir / RUNNING
    data_dir.mkdir(parents=True, exist_ok=True)
    note.write_text(
        json.dumps({"pid": os.getpid(), "data_dir": str(demo_dir.resolve()), "url": url}),
        encoding="utf-8",
    )
    try:
        yield
    finally:
        note.unlink(missing_ok=True)


def running_demo(data_dir: Path) -> Path | None:
    """The data folder of the demo running on `data_dir`, if one runs (a note left by a demo
    that was killed names a process that is gone, and is ignored)."""
    try:
        note = json.loads((data_dir / RUNNING).read_text(encoding="utf-8"))
        pid, folder = int(note["pid"]), Path(note["data_dir"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # another user's process: it exists
    return folder
