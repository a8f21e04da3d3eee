"""The alert stage: enriched articles in, alerts recorded in the ledger (before the offset
is committed) and emailed by a background dispatcher, immediately or in digests."""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from dataclasses import dataclass

from loguru import logger

from monitor.alerts import open_ledger
from monitor.alerts.dispatch import Clock, Dispatcher
from monitor.alerts.ledger.base import Entry, Ledger
from monitor.alerts.match import CampaignNamesIn, Levels, Match, Matcher, no_levels
from monitor.alerts.render import Renderer
from monitor.alerts.rules import AlertsConfig, AnyRule, check_address, load_alerts
from monitor.alerts.smtp import Mailer, SmtpServer
from monitor.bus.base import ENRICHED, Record
from monitor.errors import ConfigError
from monitor.models import EnrichedArticle
from monitor.saved import SavedSearches, open_saved_searches
from monitor.settings import Settings
from monitor.web.campaign_names import CampaignNames
from monitor.web.source_names import SourceNames
from pipelines.runner import Done


@dataclass(frozen=True, slots=True)
class Matched:
    article: EnrichedArticle
    matches: tuple[Match, ...]


class AlertStage:
    """Matches each article against the rules of config/alerts.toml and the saved searches
    whose email is on. The saved searches are read again when the store's revision changed,
    checked once per batch, so one saved in the web app counts from the next batch on."""

    name = "alert"
    topic = ENRICHED

    def __init__(
        self,
        config: AlertsConfig,
        ledger: Ledger,
        dispatcher: Dispatcher,
        clock: Clock,
        saved: SavedSearches | None = None,
        levels: Levels | None = None,
        campaign_names: CampaignNamesIn | None = None,
    ) -> None:
        self.config = config
        self.levels = levels or no_levels
        self.campaign_names = campaign_names
        self.matcher = Matcher(config.rules, self.levels, campaign_names)
        self.ledger = ledger
        self.dispatcher = dispatcher
        self.clock = clock
        self.saved = saved
        self._revision: str | None = None
        self._stale = True

    @property
    def rules(self) -> list[AnyRule]:
        return self.matcher.rules

    def refresh(self) -> bool:
        """Read the saved searches again if they changed; True when the rules changed.
        Raises TransientError when the store cannot be read (the batch waits)."""
        if self.saved is None:
            return False
        revision = self.saved.revision()
        if revision == self._revision:
            return False
        searches = self.saved.list()
        saved_rules = [rule for s in searches if (rule := s.rule()) is not None]
        rules: list[AnyRule] = [*self.config.rules, *saved_rules]
        self.matcher = Matcher(rules, self.levels, self.campaign_names)
        self.dispatcher.use_rules(rules)
        self.dispatcher.renderer.use_rules({r.name: r for r in rules})
        logger.bind(stage="alert").info(
            "saved searches read: {} with email on, of {}", len(saved_rules), len(searches)
        )
        self._revision = revision
        return True

    def handle(self, record: Record) -> Matched:
        if self._stale:
            self.refresh()
            self._stale = False
        doc = EnrichedArticle.from_json(record.value)
        return Matched(doc, tuple(self.matcher.matches(doc)))

    def write(self, items: Sequence[Matched]) -> list[Done]:
        self._stale = True  # the next batch looks at the saved searches again
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
        self.refresh()  # the saved searches' digests are queued from the start
        self.dispatcher.start()

    def tick(self) -> int:
        """One dispatcher round now, in the caller's thread (tests, `monitor ingest`)."""
        return self.dispatcher.tick()

    def close(self) -> None:
        self.dispatcher.close()
        self.ledger.close()
        if self.saved is not None:
            self.saved.close()


def build_alert_stage(
    settings: Settings,
    *,
    clock: Clock | None = None,
    ledger: Ledger | None = None,
    saved: SavedSearches | None = None,
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
    saved = saved or open_saved_searches(settings)
    sources = SourceNames(settings.feeds)
    # read once, and only when a saved search with a query needs it (half a second)
    aliases = functools.cache(lambda: CampaignNames.load(settings.campaigns))
    stage = AlertStage(
        config, ledger, dispatcher, clock, saved, sources.levels, lambda q: aliases().named_in(q)
    )
    stage.refresh()
    return stage
