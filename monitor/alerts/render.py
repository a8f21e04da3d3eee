"""Alert emails: subject, plain text and HTML bodies, and headers that nothing in an
article can forge (every header value is one line, every address checked)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote

from monitor.alerts.ledger.base import AlertContent, OutboxEmail
from monitor.alerts.rules import AnyRule, SavedSearchRule, check_address
from monitor.alerts.templates import ENVIRONMENT
from monitor.models import EnrichedArticle, Figure

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_UNITS = {"CNY": "yuan", "percent": "%"}
MAX_SUBJECT = 200


def one_line(text: str, limit: int = MAX_SUBJECT) -> str:
    """`text` with every line break and control character turned into a space."""
    flat = " ".join(_CONTROL.sub(" ", text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def format_value(fig: Figure) -> str:
    value = fig.value
    if abs(value) >= 1e9:
        number = f"{value / 1e9:,.2f}".rstrip("0").rstrip(".") + " billion"
    elif abs(value) >= 1e6:
        number = f"{value / 1e6:,.2f}".rstrip("0").rstrip(".") + " million"
    else:
        number = f"{value:,.2f}".rstrip("0").rstrip(".")
    qualifier = {"more_than": "more than ", "about": "about ", "less_than": "less than "}
    unit = _UNITS.get(fig.unit, fig.unit)
    sep = "" if unit == "%" else " "
    return f"{qualifier.get(fig.approx, '')}{number}{sep}{unit}"


def measure_label(measure: str) -> str:
    return measure.removeprefix("other:").replace("_", " ")


class Renderer:
    def __init__(self, base_url: str, sender: str, rules: Mapping[str, AnyRule]) -> None:
        self.base_url = base_url.rstrip("/")
        self.sender = check_address(sender)
        self.rules = rules

    def use_rules(self, rules: Mapping[str, AnyRule]) -> None:
        """Name emails after `rules` too; a rule gone since keeps the name it had, for the
        emails it left in the outbox."""
        self.rules = {**self.rules, **rules}

    def article_link(self, article_id: str) -> str:
        return f"{self.base_url}/articles/{quote(article_id, safe='')}"

    def campaign_link(self, name: str) -> str:
        return f"{self.base_url}/campaigns/{quote(name, safe='')}"

    # -- the message ---------------------------------------------------------------
    def compose(self, email: OutboxEmail, now: datetime | None = None) -> EmailMessage:
        """The email for `email`; raises ValueError if an address is not a plain address."""
        recipients = [check_address(a) for a in email.recipients]
        subject = self.subject(email)
        context = self.context(email, subject)
        msg = EmailMessage(policy=SMTP)
        msg["Subject"] = subject
        msg["From"] = self.sender
        msg["To"] = ", ".join(recipients)
        msg["Date"] = format_datetime(now or datetime.now(UTC))
        msg["Message-ID"] = self.message_id(email.id)
        msg["Auto-Submitted"] = "auto-generated"
        msg.set_content(ENVIRONMENT.get_template("email.txt").render(context))
        msg.add_alternative(ENVIRONMENT.get_template("email.html").render(context), subtype="html")
        return msg

    def message_id(self, email_id: str) -> str:
        """The same for every attempt at one email, so a client can tell a resend."""
        digest = hashlib.sha256(email_id.encode("utf-8")).hexdigest()[:32]
        return f"<alert.{digest}@{self.sender.rpartition('@')[2]}>"

    def subject(self, email: OutboxEmail) -> str:
        if email.kind == "digest" or len(email.alerts) != 1:
            n = len(email.alerts)
            labels = ", ".join(self._rule_label(r) for r in email.rules)
            every = "Hourly" if self._schedule_every(email) == "hour" else "Daily"
            return one_line(f"{every} digest: {n} alert{'s' if n != 1 else ''} for {labels}")
        alert = email.alerts[0]
        first = alert.articles[0]
        who = _who(first)
        if alert.kind == "new_campaign" and alert.campaign:
            return one_line(f"New campaign: {_campaign_label(first, alert.campaign)}, {who}")
        if alert.kind == "figure":
            fig = self._figure_of(alert, first)
            if fig is not None:
                about = fig.campaign or first.title
                return one_line(
                    f"{measure_label(fig.measure).capitalize()} {format_value(fig)}: {about}, {who}"
                )
        return one_line(f"{self._rule_label(alert.rule)}: {first.title}, {who}")

    def _rule_label(self, name: str) -> str:
        rule = self.rules.get(name)
        return rule.label if rule else name

    def _schedule_every(self, email: OutboxEmail) -> str:
        for name in email.rules:
            rule = self.rules.get(name)
            if rule is not None:
                return rule.digest_schedule.every
        return "day"

    def _figure_of(self, alert: AlertContent, doc: EnrichedArticle) -> Figure | None:
        rule = self.rules.get(alert.rule)
        measure = getattr(rule, "measure", None)
        figures = [f for f in doc.extraction.figures if f.measure == measure]
        return max(figures, key=lambda f: f.value) if figures else None

    # -- the bodies ----------------------------------------------------------------
    def context(self, email: OutboxEmail, subject: str) -> dict[str, Any]:
        digest = email.kind == "digest"
        sections: list[dict[str, Any]] = []
        for name in dict.fromkeys(a.rule for a in email.alerts):
            alerts = [a for a in email.alerts if a.rule == name]
            groups: dict[str, list[AlertContent]] = {}
            for alert in alerts:
                groups.setdefault(_group_of(alert), []).append(alert)
            rule = self.rules.get(name)
            title = f"{rule.label} ({rule.describe()})" if rule else name
            ordered = sorted(groups.items(), key=lambda kv: (not kv[0], kv[0]))
            sections.append(
                {
                    "title": title,
                    "groups": [
                        # one alert: the heading already names the campaign
                        {
                            "name": (group or ("Without a campaign" if len(groups) > 1 else ""))
                            if digest
                            else "",
                            "link": self.campaign_link(group) if group else "",
                            "alerts": [self._item(a, digest) for a in items],
                        }
                        for group, items in ordered
                    ],
                }
            )
        return {
            "heading": subject,
            "sections": sections,
            "digest": digest,
            "base_url": self.base_url,
            "rules": [self._footer_name(name) for name in email.rules],
            "saved_link": f"{self.base_url}/saved"
            if any(isinstance(self.rules.get(n), SavedSearchRule) for n in email.rules)
            else "",
        }

    def _footer_name(self, name: str) -> str:
        rule = self.rules.get(name)
        return f"“{rule.label}” (a saved search)" if isinstance(rule, SavedSearchRule) else name

    def _item(self, alert: AlertContent, digest: bool) -> dict[str, Any]:
        # a digest section already says what its search is; a figure says which number
        said = alert.kind == "figure" or (alert.kind == "query" and not digest)
        return {"reason": alert.reason if said else "", "articles": [self._article(alert.articles)]}

    def _article(self, copies: Sequence[EnrichedArticle]) -> dict[str, Any]:
        first = copies[0]
        items = [
            {"source": d.source or d.feed_id or "unknown source", "date": _date(d), "url": d.url}
            for d in copies
        ]
        campaigns = list(dict.fromkeys(c.canonical for c in first.extraction.campaigns))
        return {
            "title": first.title or "(untitled)",
            "link": self.article_link(first.id),
            "source_items": items,
            "sources": [
                ", ".join(p for p in (i["source"], i["date"], i["url"]) if p) for i in items
            ],
            "campaigns": [
                {"label": _campaign_label(first, c), "link": self.campaign_link(c)}
                for c in campaigns
            ],
            "figures": [
                {
                    "measure": measure_label(f.measure),
                    "value": format_value(f),
                    "campaign": f.campaign,
                    "region": f.region,
                    "quote": f.quote,
                }
                for f in first.extraction.figures
            ],
        }


def _group_of(alert: AlertContent) -> str:
    if alert.campaign:
        return alert.campaign
    campaigns = alert.articles[0].extraction.campaigns if alert.articles else ()
    return campaigns[0].canonical if campaigns else ""


def _campaign_label(doc: EnrichedArticle, canonical: str) -> str:
    """ "Clean Internet 2021 (净网2021)": the name and how the article wrote it, if different."""
    written = [
        m.mention
        for m in doc.extraction.campaigns
        if m.canonical == canonical and m.mention.casefold() != canonical.casefold()
    ]
    return f"{canonical} ({written[0]})" if written else canonical


def _who(doc: EnrichedArticle) -> str:
    return (doc.extraction.agencies[0] if doc.extraction.agencies else "") or doc.source or "?"


def _date(doc: EnrichedArticle) -> str:
    when = doc.published_at or doc.fetched_at
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
