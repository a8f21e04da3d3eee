"""A real SMTP server on loopback (aiosmtpd), settings pointing at it, article builders, the
stores' backends and the alert stage's clock."""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import pytest
from aiosmtpd.controller import Controller

from monitor.bus.base import ENRICHED, RAW, Record
from monitor.extract import Extractor
from monitor.models import Article, CampaignMention, EnrichedArticle, Extraction, Figure
from monitor.settings import ElasticsearchSettings, Settings, load_settings
from pipelines.extract import ExtractStage
from tests.support.osmem import Osmem, running_osmem

ROOT = Path(__file__).resolve().parents[2]


class Closable(Protocol):
    def close(self) -> None: ...


TO = "analyst@example.org"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        return str(body.get_content())  # type: ignore[attr-defined]


@dataclass
class MailSink:
    """What the SMTP server received; `refuse` > 0 answers 451 to that many DATA commands."""

    received: list[Received] = field(default_factory=list)
    refuse: int = 0
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            if self.refuse > 0:
                self.refuse -= 1
                self.refused += 1
                return "451 4.3.0 Mailbox busy, try again later"
            msg = message_from_bytes(envelope.content, policy=policy.default)
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), msg))  # type: ignore[arg-type]
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.02)
        return list(self.received)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalSmtp:
    def __init__(self) -> None:
        self.port = free_port()
        self.sink = MailSink()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture(scope="session")
def osmem(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Osmem]:
    with running_osmem(tmp_path_factory.mktemp("osmem")) as server:
        yield server


@pytest.fixture
def smtp() -> Iterator[LocalSmtp]:
    server = LocalSmtp()
    server.start()
    yield server
    server.stop()


RULES = """
[delivery]
gather_seconds = 0.0
retry_initial = 0.1
retry_max = 0.5

[[rule]]
name = "new_campaign"
kind = "new_campaign"
"""


def make_settings(tmp_path: Path, port: int, rules: str = RULES, **extra: Any) -> Settings:
    path = tmp_path / "alerts.toml"
    path.write_text(rules, encoding="utf-8")
    return load_settings(
        ROOT / "config" / "monitor.toml",
        data_dir=tmp_path / "data",
        smtp={"host": "127.0.0.1", "port": port, "from": "monitor@example.org"},
        alerts={"to": TO, "rules": path},
        web={"base_url": "https://monitor.example.org"},
        **extra,
    )


@pytest.fixture
def alert_settings(tmp_path: Path, smtp: LocalSmtp) -> Settings:
    return make_settings(tmp_path, smtp.port)


MPS = "Ministry of Public Security"


def article(
    n: int | str,
    *,
    title: str,
    body: str = "",
    source: str = MPS,
    campaigns: tuple[tuple[str, str, bool], ...] = (),
    figures: tuple[Figure, ...] = (),
    regions: tuple[str, ...] = (),
    crime_types: tuple[str, ...] = (),
    agencies: tuple[str, ...] = (MPS,),
    lang: str = "en",
    relevant: bool = True,
    chinese_police: bool = True,
    published: datetime | None = None,
) -> EnrichedArticle:
    """An enriched article; `campaigns` are (canonical, mention, known) triples;
    `chinese_police` false: an operation led by foreign police or an international body."""
    base = Article(
        id=f"art-{n}",
        feed_id=source.lower().replace(" ", "-"),
        source=source,
        url=f"https://news.example.cn/{n}.html",
        title=title,
        body=body or f"{title}. The police announced the results on Monday.",
        lang=lang,  # type: ignore[arg-type]
        published_at=published or datetime(2021, 6, 1, 9, 30, tzinfo=UTC),
    ).with_hash()
    return EnrichedArticle.of(
        base,
        Extraction(
            extractor_version="test",
            campaigns=tuple(
                CampaignMention(canonical=c, mention=m, start=0, end=len(m), known=k)
                for c, m, k in campaigns
            ),
            figures=figures,
            regions=regions,
            crime_types=crime_types,
            agencies=agencies,
            relevance={  # type: ignore[arg-type]
                "score": 1.0 if relevant else 0.0,
                "relevant": relevant,
                "about_chinese_police": chinese_police,
            },
        ),
    )


#: A city bureau's operation: a press source's article reporting it is at city level
BUREAU = "The Guangzhou Municipal Public Security Bureau arrested 25 fraud suspects."


def extracted(source: str, title: str, body: str) -> EnrichedArticle:
    """An article of `source` as the extract stage hands it on: extracted, and stamped with
    the level its source declares (xinhua: press, mps: ministry)."""
    stage = ExtractStage(_extractor(), levels={"xinhua": "press", "mps": "ministry"})
    article = Article(
        id=f"{source}-1",
        feed_id=source,
        source=source,
        url=f"https://{source}.example.cn/1.html",
        title=title,
        body=body,
        lang="en",
        published_at=datetime(2021, 6, 1, 8, tzinfo=UTC),
    ).with_hash()
    return stage.handle(
        Record(topic=RAW, partition=0, offset=0, key=article.id, value=article.to_json())
    )


@cache
def _extractor() -> Extractor:
    return Extractor()


def figure(
    value: float, unit: str, measure: str, quote: str, campaign: str | None = None
) -> Figure:
    return Figure(
        value=value,
        unit=unit,
        measure=measure,
        quote=quote,
        start=0,
        end=len(quote),
        campaign=campaign,
    )


CLEAN_INTERNET = article(
    1,
    title="Ministry of Public Security launches Clean Internet 2021 campaign",
    body=(
        "The Ministry of Public Security launched the “净网2021” special campaign. Police "
        "arrested 17,000 criminal suspects and seized 1.2 billion yuan."
    ),
    campaigns=(("Clean Internet 2021", "净网2021", False),),
    figures=(
        figure(
            17000, "people", "arrested", "arrested 17,000 criminal suspects", "Clean Internet 2021"
        ),
        figure(1.2e9, "CNY", "money_seized", "seized 1.2 billion yuan", "Clean Internet 2021"),
    ),
)


# --- the stores' contracts, on every backend --------------------------------------------------

BACKENDS: list[Any] = ["sqlite", "osmem"]
if os.environ.get("MONITOR_ELASTICSEARCH__URL"):
    BACKENDS.append(pytest.param("external", marks=pytest.mark.external))


def opener(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite: Callable[[Path], Closable],
    elasticsearch: Callable[[ElasticsearchSettings], Closable],
) -> Iterator[Callable[[], Any]]:
    """Opens stores on one backing store (`request.param`: sqlite, osmem or external, the
    cluster of MONITOR_ELASTICSEARCH__URL): each call is another process. Closes them all."""
    opened: list[Closable] = []
    if request.param == "sqlite":

        def make() -> Any:
            opened.append(sqlite(tmp_path))
            return opened[-1]
    else:
        prefix = f"test-{uuid.uuid4().hex[:12]}"
        if request.param == "osmem":
            es = ElasticsearchSettings(
                url=request.getfixturevalue("osmem").url, index_prefix=prefix
            )
        else:
            es = load_settings(ROOT / "config" / "monitor.toml").elasticsearch.model_copy(
                update={"index_prefix": prefix}
            )

        def make() -> Any:
            opened.append(elasticsearch(es))
            return opened[-1]

    yield make
    for store in opened:
        store.close()


# --- the alert stage's clock and input ---------------------------------------------------------


class Clock:
    def __init__(self, when: datetime) -> None:
        self.now = when.timestamp()

    def set(self, when: datetime) -> None:
        self.now = when.timestamp()

    def __call__(self) -> float:
        return self.now


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of June 2021."""
    return datetime(2021, 6, day, hour, minute, tzinfo=UTC)


def record(doc: EnrichedArticle) -> Record:
    """An article as the alert stage reads it from the bus."""
    return Record(ENRICHED, 0, 0, doc.id, doc.to_json())
