"""Fixtures for the extractor tests: one Extractor for the module, and a helper to run it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from monitor.extract import Extractor
from monitor.models import Article, Extraction

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests" / "data" / "dev"  # a copy of the founding dev set


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor(ROOT / "config" / "campaigns.toml")


@pytest.fixture(scope="session")
def run(extractor: Extractor) -> Callable[[str, str], Extraction]:
    """Extract from a title and body, as the pipeline would."""

    def _run(title: str, body: str = "") -> Extraction:
        return extractor.extract(Article(id="t", title=title, body=body))

    return _run
