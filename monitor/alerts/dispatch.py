"""The outbox worker: queues digests when their time comes and sends due emails, retrying
failed sends with backoff until they go through.

Lifecycle: `start()` runs `tick()` in a thread whenever something is due (or `wake()` is
called); `stop()` only asks; `close()` waits for the email in flight. Exactly-once holds
except in one window: the server accepted an email and the process died before the ledger
said so. That email is sent again, with the same Message-ID.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from loguru import logger

from monitor import metrics
from monitor.alerts.ledger.base import Ledger, OutboxEmail
from monitor.alerts.render import Renderer
from monitor.alerts.rules import AnyRule, Delivery
from monitor.alerts.schedule import last_fire, next_fire
from monitor.alerts.smtp import Mailer
from monitor.errors import MonitorError, PermanentError, TransientError

Clock = Callable[[], float]
LEASE = 300.0  # seconds one process owns an email it is sending; longer than any send


class DigestGroup:
    """Digest rules with the same schedule and recipients: one email per fire time."""

    def __init__(self, rules: Sequence[AnyRule]) -> None:
        self.rules = tuple(sorted(r.name for r in rules))
        self.schedule = rules[0].digest_schedule
        self.recipients = rules[0].to

    def digest_id(self, fire: datetime) -> str:
        return f"digest|{'+'.join(self.rules)}|{fire.astimezone(UTC).isoformat()}"


def digest_groups(rules: Sequence[AnyRule]) -> list[DigestGroup]:
    groups: dict[tuple[object, ...], list[AnyRule]] = {}
    for rule in rules:
        if rule.enabled and rule.to and rule.delivery == "digest":
            groups.setdefault((rule.digest_schedule, rule.to), []).append(rule)
    return [DigestGroup(g) for g in groups.values()]


class Dispatcher:
    def __init__(
        self,
        ledger: Ledger,
        renderer: Renderer,
        mailer: Mailer,
        rules: Sequence[AnyRule],
        delivery: Delivery,
        clock: Clock = time.time,
    ) -> None:
        self.ledger = ledger
        self.renderer = renderer
        self.mailer = mailer
        self.delivery = delivery
        self.groups = digest_groups(rules)
        self.clock = clock
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.log = logger.bind(stage="alert")
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def use_rules(self, rules: Sequence[AnyRule]) -> None:
        """Queue digests for `rules` from now on, and name emails after them (saved searches
        change while the stage runs)."""
        self.groups = digest_groups(rules)
        self.renderer.use_rules({r.name: r for r in rules})
        self._wake.set()

    # -- lifecycle -----------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="alert-dispatch", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def close(self, timeout: float = 30.0) -> None:
        self.stop()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except TransientError as exc:
                self.log.warning("alert outbox unavailable ({}); trying again", exc)
                self._stop.wait(1.0)
            except Exception:  # keep sending whatever one bad email did
                self.log.exception("alert dispatcher failed; trying again")
                self._stop.wait(1.0)
            delay = self.seconds_to_next()
            self._wake.wait(delay)
            self._wake.clear()

    def seconds_to_next(self) -> float:
        """How long the loop may sleep before something is due (at most 5 s)."""
        now = self.clock()
        times = [
            next_fire(g.schedule, datetime.fromtimestamp(now, UTC)).timestamp() for g in self.groups
        ]
        try:
            due = self.ledger.next_due()
        except TransientError:
            due = None
        if due is not None:
            times.append(due)
        return max(0.0, min([now + 5.0, *times]) - now)

    # -- one round -----------------------------------------------------------------
    def tick(self) -> int:
        """Queue the digests whose time has come, then send every due email; returns
        how many were sent."""
        now = self.clock()
        for group in self.groups:
            fire = last_fire(group.schedule, datetime.fromtimestamp(now, UTC))
            if self.ledger.close_digest(
                group.digest_id(fire), group.rules, group.recipients, fire.timestamp(), now
            ):
                self.log.info("digest for {} at {} queued", ",".join(group.rules), fire.isoformat())
        sent = failed = 0
        while not self._stop.is_set():
            # One at a time, so a lease never has to outlast a queue of slow sends.
            claimed = self.ledger.claim_due(self.owner, self.clock(), LEASE, limit=1)
            if not claimed:
                break
            if self._send(claimed[0]):
                sent += 1
            else:
                failed += 1
                break  # the server is struggling: back to the backoff schedule
        if sent or failed:
            self.log.info("alert emails sent={} failed={}", sent, failed)
        return sent

    def _send(self, email: OutboxEmail) -> bool:
        try:
            msg = self.renderer.compose(email, datetime.fromtimestamp(self.clock(), UTC))
            refused = self.mailer.send(msg, self.renderer.sender, email.recipients)
        except (MonitorError, ValueError) as exc:
            wait = min(
                self.delivery.retry_max, self.delivery.retry_initial * 2 ** min(email.attempts, 30)
            )
            if isinstance(exc, PermanentError | ValueError):
                wait = self.delivery.retry_max  # a person must fix something; keep trying
            self.ledger.mark_failed(email.id, self.owner, str(exc), self.clock() + wait)
            metrics.ALERTS.labels("failed").inc()
            self.log.warning(
                "alert email {} not sent (attempt {}): {}; retrying in {:.0f}s",
                email.id,
                email.attempts + 1,
                exc,
                wait,
            )
            return False
        self.ledger.mark_sent(
            email.id, self.owner, str(msg["Subject"]), str(msg["Message-ID"]), self.clock()
        )
        metrics.ALERTS.labels("sent").inc()
        if refused:
            self.log.warning("alert email {} refused for {}", email.id, ", ".join(refused))
        return True
