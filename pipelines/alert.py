"""The alert stage: enriched articles in, alerts recorded in the ledger (before the offset
is committed) and emailed by a background dispatcher, immediately or in digests."""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from loguru import logger

from monitor.alerts import open_ledger
from monitor.alerts.dispatch import Clock, Dispatcher
from monitor.alerts.ledger.base import Entry, Ledger
from monitor.alerts.match import CampaignNamesIn, Match, Matcher
from monitor.alerts.render import Renderer
from monitor.alerts.rules import AlertsConfig, AnyRule, check_address, load_alerts
from monitor.alerts.smtp import Mailer, SmtpServer
from monitor.bus.base import ENRICHED, Record
from monitor.campaign_names import CampaignNames
from monitor.errors import ConfigError, TransientError
from monitor.models import EnrichedArticle
from monitor.saved import SavedSearches, open_saved_searches
from monitor.settings import Settings
from pipelines.runner import Done


class Closable(Protocol):
    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Matched:
    """One article of a batch; `matches` None until the batch's rules are known (`write`)."""

    article: EnrichedArticle
    matches: tuple[Match, ...] | None = None


class AlertStage:
    """Matches each article against the rules of config/alerts.toml and the saved searches
    whose email is on. The saved searches are read again when the store's revision changed,
    checked once per batch, so one saved in the web app counts from the next batch on.

    The stage closes only what it opened (`owned`): a ledger or store passed in stays open."""

    name = "alert"
    topic = ENRICHED

    def __init__(
        self,
        config: AlertsConfig,
        ledger: Ledger,
        dispatcher: Dispatcher,
        clock: Clock,
        saved: SavedSearches | None = None,
        campaign_names: CampaignNamesIn | None = None,
        owned: Sequence[Closable] = (),
    ) -> None:
        self.config = config
        self.campaign_names = campaign_names
        self.matcher = Matcher(config.rules, campaign_names)
        self.ledger = ledger
        self.dispatcher = dispatcher
        self.clock = clock
        self.saved = saved
        self.owned = tuple(owned)
        self._revision: str | None = None
        self.log = logger.bind(stage="alert")

    @property
    def rules(self) -> list[AnyRule]:
        return self.matcher.rules

    def refresh(self) -> bool:
        """Read the saved searches again if they changed; True when the rules changed.
        Raises TransientError when the store cannot be reached (the batch waits). A store
        that answers but cannot be read is logged and the rules in use are kept, so it never
        costs an article."""
        if self.saved is None:
            return False
        revision = self.saved.revision()
        if revision == self._revision:
            return False
        try:
            searches = self.saved.list()
            saved_rules = [rule for s in searches if (rule := s.rule()) is not None]
        except TransientError:
            raise
        except Exception as exc:  # a bug or a bad store must not dead-letter every article
            self.log.opt(exception=exc).error(
                "saved searches could not be read ({}); keeping the {} rules in use",
                exc,
                len(self.rules),
            )
            self._revision = revision
            return False
        rules: list[AnyRule] = [*self.config.rules, *saved_rules]
        self.matcher = Matcher(rules, self.campaign_names)
        self.dispatcher.use_rules(rules)
        self.settle_digests()
        self.log.info(
            "saved searches read: {} with email on, of {}", len(saved_rules), len(searches)
        )
        self._revision = revision
        return True

    def settle_digests(self) -> None:
        """Alerts waiting for the digest of a rule that no longer sends digests: a rule now
        emailing each match at once sends them at once in one last digest; a rule gone (its
        search deleted, its email off) drops them. Read from the ledger, so a change made
        while no stage ran is settled too."""
        digest = {r.name for r in self.rules if r.enabled and r.to and r.delivery == "digest"}
        immediate = {r.name: r for r in self.rules if r.enabled and r.to and r.delivery != "digest"}
        stranded = self.ledger.waiting_rules() - digest
        if not stranded:
            return
        now = self.clock()
        at = datetime.fromtimestamp(now, UTC).isoformat()
        for name in sorted(stranded & immediate.keys()):
            if self.ledger.close_digest(
                f"digest|{name}|last|{at}", [name], immediate[name].to, now, now
            ):
                self.log.info("rule {} sends each match at once now: last digest queued", name)
        if gone := sorted(stranded - immediate.keys()):
            dropped = self.ledger.drop_waiting(gone)
            self.log.info(
                "{} alerts waiting for a digest dropped: {} no longer send email",
                dropped,
                ", ".join(gone),
            )
        self.dispatcher.wake()

    def handle(self, record: Record) -> Matched:
        return Matched(EnrichedArticle.from_json(record.value))

    def write(self, items: Sequence[Matched]) -> list[Done]:
        self.refresh()  # once per batch, before anything of it is recorded
        now = self.clock()
        entries: list[Entry] = []
        owners: list[int] = []
        for i, item in enumerate(items):
            matches = item.matches
            if matches is None:
                matches = tuple(self.matcher.matches(item.article))
            for m in matches:
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
        for resource in self.owned:
            resource.close()


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
    owned: list[Closable] = []
    if ledger is None:
        ledger = open_ledger(settings)
        owned.append(ledger)
    renderer = Renderer(
        settings.web.base_url, settings.smtp.from_, {r.name: r for r in config.rules}
    )
    mailer = Mailer(SmtpServer.of(settings.smtp, timeout=config.delivery.smtp_timeout))
    dispatcher = Dispatcher(ledger, renderer, mailer, config.rules, config.delivery, clock)
    if saved is None:
        saved = open_saved_searches(settings)
        owned.append(saved)
    # read once, and only when a saved search with a query needs it (half a second)
    aliases = functools.cache(lambda: CampaignNames.load(settings.campaigns))
    stage = AlertStage(
        config,
        ledger,
        dispatcher,
        clock,
        saved,
        lambda q: aliases().named_in(q),
        owned,
    )
    stage.refresh()
    return stage
