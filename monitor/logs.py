"""Logging set-up: readable lines on a terminal, JSON lines with `log.format = "json"`.

Every line carries the `stage` (and, where it applies, the `source`) it was bound with.
"""

from __future__ import annotations

import sys

from loguru import logger

from monitor.settings import LogSettings

_TEXT = (
    "<green>{time:YYYY-MM-DD HH:mm:ss}</green> <level>{level: <7}</level> "
    "<cyan>{extra[stage]}</cyan> {message}"
)


def configure(settings: LogSettings, *, stage: str = "monitor") -> None:
    """Replace loguru's default sink; called once, by the CLI."""
    logger.remove()
    logger.configure(extra={"stage": stage})
    if settings.format == "json":
        logger.add(sys.stderr, level=settings.level, serialize=True, enqueue=False)
    else:
        logger.add(sys.stderr, level=settings.level, format=_TEXT, colorize=None)
    # Third-party libraries that log through the standard library (uvicorn, kafka) stay on
    # their own handlers; their warnings still reach the terminal.
