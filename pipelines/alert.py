"""The alert stage: enriched articles in, alerts recorded in the ledger (before the offset
is committed) and emailed by a background dispatcher, immediately or in digests."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from loguru import logger

from monitor.alerts import open_ledger
from monitor.alerts.dispatch import Clock, Dispatcher
from monitor.alerts.ledger.base import Entry, Ledger
from monitor.alerts.match import Match, Matcher
from monitor.alerts.render import Renderer
from monitor.alerts.rules import AlertsConfig, check_address, load_alerts
from monitor.alerts.smtp import Mailer, SmtpServer
from monitor.bus.base import ENRICHED, Record
from monitor.errors import ConfigError
from monitor.models import EnrichedArticle
from monitor.settings import Settings
from pipelines.runner import Done


@dataclass(frozen=True, slots=True)
class Matched:
    article: EnrichedArticle
    matches: tuple[Match, ...]


class AlertStage:
    name = "alert"
    topic = ENRICHED

    def __init__(
        self, config: AlertsConfig, ledger: Ledger, dispatcher: Dispatcher, clock: Clock
    ) -> None:
        self.config = config
        self.matcher = Matcher(config.rules)
        self.ledger = ledger
        self.dispatcher = dispatcher
        self.clock = clock

    def handle(self, record: Record) -> Matched:
        doc = EnrichedArticle.from_json(record.value)
        return Matched(doc, tuple(self.matcher.matches(doc)))

    def write(self, items: Sequence[Matched]) -> list[Done]:
        now = self.clock()
        entries: list[Entry] = []
        owners: list[int] = []
        for i, item in enumerate(items):
            for m in item.matches:
                immediate = m.rule.delivery == "immediate"
                entries.append(
                    Entry(
                        rule=m.rule.name,
                        kind=m.rule.kind,
                        article=m.article,
                        reason=m.reason,
                        recipients=m.rule.to,
                        campaign=m.campaign,
                        due_at=now + self.config.delivery.gather_seconds if immediate else None,
                    )
                )
                owners.append(i)
        outcomes = self.ledger.record(entries, now) if entries else []
        if any(o == "alerted" for o in outcomes):
            self.dispatcher.wake()
        per_item: list[list[str]] = [[] for _ in items]
        for i, outcome in zip(owners, outcomes, strict=True):
            per_item[i].append(outcome)
        return [
            Done(outcome="duplicate" if seen and all(o == "duplicate" for o in seen) else "ok")
            for seen in per_item
        ]

    def start(self) -> None:
        """Start the dispatcher: it sends due emails, queues digests and retries failures."""
        self.dispatcher.start()

    def tick(self) -> int:
        """One dispatcher round now, in the caller's thread (tests, `monitor ingest`)."""
        return self.dispatcher.tick()

    def close(self) -> None:
        self.dispatcher.close()
        self.ledger.close()


def build_alert_stage(
    settings: Settings, *, clock: Clock | None = None, ledger: Ledger | None = None
) -> AlertStage:
    """The alert stage for these settings; raises `ConfigError` for a bad rules file,
    recipient or sender address."""
    clock = clock or time.time
    config = load_alerts(settings.alerts.rules, settings.alerts.recipients)
    try:
        check_address(settings.smtp.from_)
    except ValueError as exc:
        raise ConfigError(f"smtp.from (MONITOR_SMTP__FROM): {exc}") from None
    active = [r.name for r in config.rules if r.enabled and r.to]
    if not active:
        logger.warning(
            "no alert rule has recipients: set alerts.to (MONITOR_ALERTS__TO) or "
            "`to` in {}; no alerts will be sent",
            config.path,
        )
    ledger = ledger or open_ledger(settings)
    renderer = Renderer(
        settings.web.base_url, settings.smtp.from_, {r.name: r for r in config.rules}
    )
    mailer = Mailer(SmtpServer.of(settings.smtp, timeout=config.delivery.smtp_timeout))
    dispatcher = Dispatcher(ledger, renderer, mailer, config.rules, config.delivery, clock)
    return AlertStage(config, ledger, dispatcher, clock)
