"""Feed-health emails: one when a source starts failing or goes silent, one when it recovers.

`FeedHealthAlerts.check()` is run on a schedule by the poller. It compares each source's
health with what the operator was last told (kept in `ops.db`), and sends an email only on a
change. The change is recorded after the server accepted the email, so a failed send is
tried again at the next check; a crash between the two sends that one email twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from loguru import logger

from monitor.alerts.smtp import Mailer
from monitor.errors import MonitorError
from monitor.feeds.sources import Source
from monitor.feeds.state import SourceState
from monitor.ops.health import DEFAULT_HEALTH, FeedHealthConfig, Health, evaluate
from monitor.ops.store import OpsStore, Reported

log = logger.bind(stage="feed-health")
ALARMS = ("failing", "silent")


@dataclass(frozen=True, slots=True)
class Change:
    """One source's change of reported state, and whether the email went out."""

    source_id: str
    before: str
    after: str
    detail: str
    sent: bool


class FeedHealthAlerts:
    def __init__(
        self,
        states: Callable[[], dict[str, SourceState]],
        sources: Sequence[Source],
        store: OpsStore,
        mailer: Mailer,
        *,
        sender: str,
        recipients: Sequence[str],
        config: FeedHealthConfig = DEFAULT_HEALTH,
        ops_url: str = "",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.states = states
        self.sources = {s.id: s for s in sources if s.enabled}
        self.store = store
        self.mailer = mailer
        self.sender = sender
        self.recipients = list(recipients)
        self.config = config
        self.ops_url = ops_url
        self.clock = clock

    def check(self) -> list[Change]:
        """Evaluate every source; email each change of state. Never raises for one source."""
        now = self.clock()
        try:
            states, reported = self.states(), self.store.reported()
        except MonitorError as exc:
            log.warning("feed health not checked: {}", exc)
            return []
        changes = []
        for sid, source in self.sources.items():
            state = states.get(sid)
            before = reported.get(sid, Reported())
            failing = state is not None and state.failures > 0
            since = (before.failing_since or state.last_attempt) if failing else None  # type: ignore[union-attr]
            health = evaluate(state, self.config, now, failing_since=since)
            after = self._reported_as(health, before.reported)
            if after == before.reported:
                if since != before.failing_since:
                    self._record(sid, Reported(before.reported, since))
                continue
            sent = self._send(source, before.reported, after, health)
            if sent or not self.recipients:
                self._record(sid, Reported(after, since))
            changes.append(Change(sid, before.reported, after, health.detail, sent))
        return changes

    @staticmethod
    def _reported_as(health: Health, before: str) -> str:
        if health.status in ALARMS:
            return health.status
        if health.status == "ok":
            return "ok"
        return before  # waiting or disabled: nothing to say either way

    def _record(self, source_id: str, value: Reported) -> None:
        try:
            self.store.set_reported(source_id, value)
        except MonitorError as exc:
            log.warning("feed health of {} not recorded: {}", source_id, exc)

    def _send(self, source: Source, before: str, after: str, health: Health) -> bool:
        if not self.recipients:
            log.info("source {} is now {} (no recipients for feed-health emails)", source.id, after)
            return False
        msg = compose(source, before, after, health, self.sender, self.recipients, self.ops_url)
        try:
            self.mailer.send(msg, self.sender, self.recipients)
        except MonitorError as exc:
            log.warning(
                "feed-health email for {} not sent ({}); trying again at the next check",
                source.id,
                exc,
            )
            return False
        log.bind(feed=source.id).info(
            "feed-health email: {} is {} (was {})", source.id, after, before
        )
        return True


def compose(
    source: Source,
    before: str,
    after: str,
    health: Health,
    sender: str,
    recipients: Sequence[str],
    ops_url: str = "",
) -> EmailMessage:
    if after == "failing":
        subject = f"Source failing: {source.name}"
        lead = f"The monitor cannot poll {source.name}."
    elif after == "silent":
        subject = f"Source silent: {source.name}"
        lead = f"{source.name} has published nothing new for longer than usual."
    else:
        subject = f"Source recovered: {source.name}"
        lead = f"{source.name} is answering again and polled fine (it was {before})."
    lines = [
        lead,
        "",
        f"What the monitor sees: {health.detail}",
        "",
        f"Source: {source.id}",
        f"Address: {source.url}",
    ]
    if ops_url:
        lines += ["", f"Every source's health: {ops_url}"]
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    msg["X-Monitor-Feed-Health"] = f"{source.id} {after}"
    msg.set_content("\n".join(lines) + "\n")
    return msg
