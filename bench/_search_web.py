"""The web app alone over an embedded index file, for bench/search.py to measure as a separate
process (its latency over HTTP and its resident memory), as `monitor web` serves it.

    .venv/bin/python bench/_search_web.py INDEX_DB PORT
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import uvicorn
from loguru import logger

from monitor.index.embedded import EmbeddedIndex
from monitor.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    db, port = Path(sys.argv[1]), int(sys.argv[2])
    logger.remove()
    logger.add(sys.stderr, level="WARNING")
    index = EmbeddedIndex(db)
    app = create_app(index, sources_file=ROOT / "config" / "feeds.toml")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
