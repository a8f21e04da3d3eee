"""Shared fixtures: settings on a temporary data folder, the embedded bus and index."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.bus.embedded import EmbeddedBus
from monitor.index.embedded import EmbeddedIndex
from monitor.models import Article, CampaignMention, EnrichedArticle, Extraction, Figure
from monitor.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "dev" / "corpus"  # the founding dev set, copied


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compiled extractor modules older than their sources would test outdated rules."""
    from monitor.extract import compiled

    try:
        compiled.check()
    except RuntimeError as stale:
        pytest.exit(str(stale), returncode=3)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(ROOT / "config" / "monitor.toml", data_dir=tmp_path / "data")


@pytest.fixture
def bus(settings: Settings) -> Iterator[EmbeddedBus]:
    b = EmbeddedBus(settings.data_dir / "bus.db", session_timeout=2)
    yield b
    b.close()


@pytest.fixture
def index(settings: Settings) -> Iterator[EmbeddedIndex]:
    ix = EmbeddedIndex(settings.data_dir / "index.db")
    yield ix
    ix.close()


def make_article(
    n: int,
    *,
    title: str | None = None,
    body: str = "",
    lang: str = "en",
    source: str = "test",
    published: datetime | None = None,
) -> Article:
    return Article(
        id=f"art-{n}",
        feed_id="test",
        source=source,
        url=f"https://example.org/{n}",
        title=title or f"Announcement number {n}",
        body=body or f"Police arrested {n} suspects in operation number {n}.",
        lang=lang,  # type: ignore[arg-type]
        published_at=published or datetime(2021, 3, 1 + n % 28, tzinfo=UTC),
    ).with_hash()


def enrich(
    article: Article,
    *,
    campaigns: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    figures: tuple[Figure, ...] = (),
    relevant: bool = True,
    version: str = "test-1",
) -> EnrichedArticle:
    return EnrichedArticle.of(
        article,
        Extraction(
            extractor_version=version,
            campaigns=tuple(
                CampaignMention(canonical=c, mention=c, start=0, end=len(c)) for c in campaigns
            ),
            regions=regions,
            figures=figures,
            relevance={"score": 1.0 if relevant else 0.0, "relevant": relevant},  # type: ignore[arg-type]
        ),
    )
