"""`monitor doctor`: is each config file valid and each server the settings name reachable and
usable? Said in plain words, with what to do when it is not. A part that is optional and off
(no alert recipients, so no mail server needed) is a note, not a failure."""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import httpx

from monitor.errors import ConfigError
from monitor.settings import ENV_PREFIX, Settings

TIMEOUT = 5.0


@dataclass(frozen=True)
class Check:
    name: str
    status: Literal["ok", "note", "fail"]
    detail: str
    advice: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "fail"


def run_checks(settings: Settings) -> list[Check]:
    checks: list[Callable[[Settings], Check]] = [
        _settings_file,
        _data_dir,
        _extractor,
        _sources,
        _browser,
        _campaigns,
        _gazetteer,
        _alert_rules,
        _bus,
        _index,
        _smtp,
    ]
    return [check(settings) for check in checks]


def _settings_file(settings: Settings) -> Check:
    path = type(settings).model_config.get("toml_file")
    variables = sorted(v for v in os.environ if v.startswith(ENV_PREFIX))
    env = f", and {len(variables)} MONITOR_* variables" if variables else ""
    if path:
        return Check("settings", "ok", f"read {path}{env}")
    return Check("settings", "ok", f"no settings file: the built-in defaults{env}")


def _sources(settings: Settings) -> Check:
    from monitor.feeds.sources import load_feeds

    path = settings.feeds
    if not path.is_file():
        return Check(
            "sources",
            "fail",
            f"the sources file {path} does not exist (from {settings.origin('feeds')})",
            "point MONITOR_FEEDS at your sources file, or create one with `monitor feeds add URL`",
        )
    try:
        sources = load_feeds(path).source
    except ConfigError as exc:
        return Check("sources", "fail", str(exc), f"fix {path}")
    enabled = sum(s.enabled for s in sources)
    if not enabled:
        return Check(
            "sources",
            "note",
            f"{path} has no enabled source: nothing will be polled",
            "add one with `monitor feeds add URL`",
        )
    return Check("sources", "ok", f"{path}: {enabled} of {len(sources)} sources enabled")


def _browser(settings: Settings) -> Check:
    """Whether the browser of `render = "browser"` sources starts; needed only if one is on."""
    from monitor.feeds.browser import find_browser, probe, unavailable
    from monitor.feeds.fetch import FetchError
    from monitor.feeds.sources import load_feeds

    try:
        feeds = load_feeds(settings.feeds)
    except ConfigError:
        return Check("browser", "note", "not checked: the sources file does not load")
    path = feeds.poller.browser_path
    needing = [s.id for s in feeds.source if s.enabled and s.render == "browser"]
    shown = ", ".join(needing[:5]) + (f" and {len(needing) - 5} more" if len(needing) > 5 else "")
    advice = "apt-get install chromium (or make system-deps), or set browser_path in [poller]"
    if not needing:
        missing = unavailable(path)
        if missing is not None:
            return Check(
                "browser", "note", f"no source needs one (render = browser); {missing}", advice
            )
        return Check(
            "browser", "ok", f"no source needs one yet; {find_browser(path)} is there if one does"
        )
    try:
        version = probe(path, timeout=min(feeds.poller.browser_timeout, 30.0))
    except FetchError as exc:
        return Check(
            "browser",
            "fail",
            f"{_sources_word(len(needing))} {'needs' if len(needing) == 1 else 'need'} "
            f"a browser ({shown}), but {exc}; "
            "they fail until it does, the other sources poll as usual",
            advice,
        )
    return Check(
        "browser",
        "ok",
        f"Chromium {version} at {find_browser(path)} starts, "
        f"for {_sources_word(len(needing))} ({shown})",
    )


def _sources_word(n: int) -> str:
    return f"{n} enabled source" + ("" if n == 1 else "s")


def _campaigns(settings: Settings) -> Check:
    from monitor.extract.config import load_campaigns

    path = settings.campaigns
    if not path.is_file():
        return Check(
            "campaigns",
            "fail",
            f"the campaigns file {path} does not exist (from {settings.origin('campaigns')})",
            "point MONITOR_CAMPAIGNS at config/campaigns.toml of the checkout",
        )
    try:
        known = load_campaigns(path)
    except ConfigError as exc:
        return Check("campaigns", "fail", str(exc), f"fix {path}")
    return Check("campaigns", "ok", f"{path}: {len(known)} known campaigns")


def _gazetteer(settings: Settings) -> Check:
    """config/regions.toml and config/agencies.toml, as the extractor reads them."""
    from monitor.extract import gazetteer

    try:
        known = gazetteer.load()
    except ConfigError as exc:
        return Check("gazetteer", "fail", str(exc), "fix the entry it names")
    files = " and ".join(str(path) for path in known.files)
    return Check(
        "gazetteer",
        "ok",
        f"{files}: {len(known.regions):,} places, {len(known.agencies):,} agencies",
    )


def _alert_rules(settings: Settings) -> Check:
    from monitor.alerts.rules import load_alerts

    path = settings.alerts.rules
    try:
        rules = [r for r in load_alerts(path, settings.alerts.recipients).rules if r.enabled]
    except ConfigError as exc:
        return Check("alert rules", "fail", str(exc), "correct what the message names")
    where = f"{path}: {len(rules)} rules on" if path.is_file() else f"no {path}: built-in rule"
    if not _recipients(settings):
        return Check(
            "alert rules",
            "note",
            f"{where}, but no recipients: alerts are recorded, no email is sent",
            "set MONITOR_ALERTS__TO (or `to` in a rule) to have them mailed",
        )
    return Check("alert rules", "ok", f"{where}")


def _recipients(settings: Settings) -> bool:
    """Whether any email is to go out (a rule or feed health with recipients)."""
    from monitor.alerts.rules import load_alerts

    if settings.feed_health.recipients or settings.alerts.recipients:
        return True
    try:
        rules = load_alerts(settings.alerts.rules).rules
    except ConfigError:
        return False
    return any(r.to for r in rules if r.enabled)


def _data_dir(settings: Settings) -> Check:
    path = settings.data_dir
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path):
            pass
    except OSError as exc:
        return Check(
            "data folder",
            "fail",
            f"{path} is not writable: {exc.strerror or exc}",
            "create it or set MONITOR_DATA_DIR to a folder this user can write",
        )
    return Check("data folder", "ok", f"{path.resolve()} is writable")


def _extractor(settings: Settings) -> Check:
    from monitor.extract import compiled

    if compiled.stale():
        return Check("extractor", "fail", compiled.describe(), "run `make compile` in the checkout")
    return Check("extractor", "ok", compiled.describe())


def _bus(settings: Settings) -> Check:
    if settings.bus == "embedded":
        from monitor.bus.embedded import EmbeddedBus

        try:
            bus = EmbeddedBus(settings.data_dir / "bus.db")
            bus.close()
        except Exception as exc:
            return Check(
                "bus",
                "fail",
                f"the embedded log in {settings.data_dir} fails: {exc}",
                "check the data folder; delete bus.db only if you accept losing queued messages",
            )
        return Check("bus", "ok", f"embedded log at {settings.data_dir / 'bus.db'}")
    bootstrap = settings.kafka.bootstrap
    reachable = [hp for hp in bootstrap.split(",") if _tcp(hp.strip())]
    if not reachable:
        return Check(
            "bus",
            "fail",
            f"no Kafka broker answers at {bootstrap}",
            "start Kafka (docker compose up -d kafka) or fix MONITOR_KAFKA__BOOTSTRAP",
        )
    try:
        from kafka import KafkaAdminClient

        admin = KafkaAdminClient(
            bootstrap_servers=bootstrap,
            request_timeout_ms=int(TIMEOUT * 1000),
            client_id="monitor-doctor",
        )
        topics = admin.list_topics()
        admin.close()
    except Exception as exc:  # kafka-python raises many kinds; all mean "not usable"
        return Check(
            "bus",
            "fail",
            f"Kafka at {bootstrap} answers but does not serve: {exc}",
            "check the broker's advertised listeners and its logs",
        )
    ours = [t for t in topics if t.startswith("announcements.")]
    return Check("bus", "ok", f"Kafka at {bootstrap}: {len(topics)} topics, {len(ours)} of ours")


def _index(settings: Settings) -> Check:
    if settings.index == "embedded":
        from monitor.index.embedded import EmbeddedIndex

        try:
            index = EmbeddedIndex(settings.data_dir / "index.db")
            count = index.count()
            index.close()
        except Exception as exc:
            return Check(
                "index",
                "fail",
                f"the embedded index fails: {exc}",
                "check the data folder; `monitor replay` rebuilds the index from the log",
            )
        return Check("index", "ok", f"embedded index with {count:,} articles")
    es = settings.elasticsearch
    headers = {"Accept": "application/json"}
    auth = None
    if es.api_key:
        headers["Authorization"] = f"ApiKey {es.api_key.get_secret_value()}"
    elif es.username:
        auth = (es.username, es.password.get_secret_value() if es.password else "")
    try:
        reply = httpx.get(f"{es.url}/_cluster/health", headers=headers, auth=auth, timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        return Check(
            "index",
            "fail",
            f"Elasticsearch at {es.url} is not reachable: {exc}",
            "start it (docker compose up -d elasticsearch) or fix MONITOR_ELASTICSEARCH__URL",
        )
    if reply.status_code in (401, 403):
        return Check(
            "index",
            "fail",
            f"Elasticsearch at {es.url} refused the credentials",
            "set MONITOR_ELASTICSEARCH__USERNAME/__PASSWORD or __API_KEY",
        )
    if reply.status_code >= 400:
        return Check(
            "index",
            "fail",
            f"Elasticsearch at {es.url} answered {reply.status_code}",
            "read the Elasticsearch log",
        )
    status = reply.json().get("status", "unknown")
    ok = status in ("green", "yellow")
    return Check(
        "index",
        "ok" if ok else "fail",
        f"Elasticsearch at {es.url}: cluster {status}",
        "" if ok else "the cluster is red: some shards are unassigned",
    )


def _smtp(settings: Settings) -> Check:
    check = _smtp_server(settings)
    if check.ok or _recipients(settings):
        return check
    return Check(
        "smtp",
        "note",
        f"not needed yet (no alert has recipients); {check.detail}",
        "set MONITOR_SMTP__HOST/__PORT when you set MONITOR_ALERTS__TO",
    )


def _smtp_server(settings: Settings) -> Check:
    smtp = settings.smtp
    where = f"{smtp.host}:{smtp.port}"
    try:
        if smtp.tls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                smtp.host, smtp.port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT)
        with client:
            client.ehlo()
            if smtp.starttls:
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if smtp.username:
                password = smtp.password.get_secret_value() if smtp.password else ""
                client.login(smtp.username, password)
            client.noop()
    except smtplib.SMTPAuthenticationError:
        return Check(
            "smtp",
            "fail",
            f"the SMTP server at {where} refused the login",
            "check MONITOR_SMTP__USERNAME and MONITOR_SMTP__PASSWORD",
        )
    except (OSError, smtplib.SMTPException) as exc:
        return Check(
            "smtp",
            "fail",
            f"no SMTP server usable at {where}: {exc}",
            "alerts will wait in the outbox until it answers; "
            "set MONITOR_SMTP__HOST/__PORT to your mail server",
        )
    extra = " with STARTTLS" if smtp.starttls else " over TLS" if smtp.tls else ""
    return Check("smtp", "ok", f"SMTP server at {where} answers{extra}")


def _tcp(hostport: str) -> bool:
    host, _, port = hostport.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=TIMEOUT):
            return True
    except OSError:
        return False
