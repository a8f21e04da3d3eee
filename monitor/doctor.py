"""`monitor doctor`: is each server the settings name reachable and usable? Said in plain words,
with what to do when it is not."""

from __future__ import annotations

import smtplib
import socket
import ssl
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from monitor.settings import Settings

TIMEOUT = 5.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    advice: str = ""


def run_checks(settings: Settings) -> list[Check]:
    checks: list[Callable[[Settings], Check]] = [_data_dir, _extractor, _bus, _index, _smtp]
    return [check(settings) for check in checks]


def _data_dir(settings: Settings) -> Check:
    path = settings.data_dir
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path):
            pass
    except OSError as exc:
        return Check(
            "data folder",
            False,
            f"{path} is not writable: {exc.strerror or exc}",
            "create it or set MONITOR_DATA_DIR to a folder this user can write",
        )
    return Check("data folder", True, f"{path.resolve()} is writable")


def _extractor(settings: Settings) -> Check:
    from monitor.extract import compiled

    if compiled.stale():
        return Check("extractor", False, compiled.describe(), "run `make compile` in the checkout")
    return Check("extractor", True, compiled.describe())


def _bus(settings: Settings) -> Check:
    if settings.bus == "embedded":
        from monitor.bus.embedded import EmbeddedBus

        try:
            bus = EmbeddedBus(settings.data_dir / "bus.db")
            bus.close()
        except Exception as exc:
            return Check(
                "bus",
                False,
                f"the embedded log in {settings.data_dir} fails: {exc}",
                "check the data folder; delete bus.db only if you accept losing queued messages",
            )
        return Check("bus", True, f"embedded log at {settings.data_dir / 'bus.db'}")
    bootstrap = settings.kafka.bootstrap
    reachable = [hp for hp in bootstrap.split(",") if _tcp(hp.strip())]
    if not reachable:
        return Check(
            "bus",
            False,
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
            False,
            f"Kafka at {bootstrap} answers but does not serve: {exc}",
            "check the broker's advertised listeners and its logs",
        )
    ours = [t for t in topics if t.startswith("announcements.")]
    return Check("bus", True, f"Kafka at {bootstrap}: {len(topics)} topics, {len(ours)} of ours")


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
                False,
                f"the embedded index fails: {exc}",
                "check the data folder; `monitor replay` rebuilds the index from the log",
            )
        return Check("index", True, f"embedded index with {count:,} articles")
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
            False,
            f"Elasticsearch at {es.url} is not reachable: {exc}",
            "start it (docker compose up -d elasticsearch) or fix MONITOR_ELASTICSEARCH__URL",
        )
    if reply.status_code in (401, 403):
        return Check(
            "index",
            False,
            f"Elasticsearch at {es.url} refused the credentials",
            "set MONITOR_ELASTICSEARCH__USERNAME/__PASSWORD or __API_KEY",
        )
    if reply.status_code >= 400:
        return Check(
            "index",
            False,
            f"Elasticsearch at {es.url} answered {reply.status_code}",
            "read the Elasticsearch log",
        )
    status = reply.json().get("status", "unknown")
    ok = status in ("green", "yellow")
    return Check(
        "index",
        ok,
        f"Elasticsearch at {es.url}: cluster {status}",
        "" if ok else "the cluster is red: some shards are unassigned",
    )


def _smtp(settings: Settings) -> Check:
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
            False,
            f"the SMTP server at {where} refused the login",
            "check MONITOR_SMTP__USERNAME and MONITOR_SMTP__PASSWORD",
        )
    except (OSError, smtplib.SMTPException) as exc:
        return Check(
            "smtp",
            False,
            f"no SMTP server usable at {where}: {exc}",
            "alerts will wait in the outbox until it answers; "
            "set MONITOR_SMTP__HOST/__PORT to your mail server",
        )
    extra = " with STARTTLS" if smtp.starttls else " over TLS" if smtp.tls else ""
    return Check("smtp", True, f"SMTP server at {where} answers{extra}")


def _tcp(hostport: str) -> bool:
    host, _, port = hostport.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=TIMEOUT):
            return True
    except OSError:
        return False
