"""Sending one email over SMTP (plain, STARTTLS or implicit TLS, with login), with smtplib
errors translated: a server away or a 4xx reply is transient, a 5xx reply permanent."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage

from monitor.errors import PermanentError, TransientError
from monitor.settings import SmtpSettings


@dataclass(frozen=True, slots=True)
class SmtpServer:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    tls: bool = False
    timeout: float = 20.0

    @classmethod
    def of(cls, smtp: SmtpSettings, timeout: float = 20.0) -> SmtpServer:
        password = smtp.password.get_secret_value() if smtp.password else None
        return cls(smtp.host, smtp.port, smtp.username, password, smtp.starttls, smtp.tls, timeout)


class Mailer:
    def __init__(self, server: SmtpServer, ssl_context: ssl.SSLContext | None = None) -> None:
        self.server = server
        self.ssl_context = ssl_context or ssl.create_default_context()

    def send(self, msg: EmailMessage, sender: str, recipients: Sequence[str]) -> list[str]:
        """Deliver `msg` to exactly `recipients` (the envelope, never read from headers).
        Returns the recipients the server refused while accepting the others; raises
        `TransientError` or `PermanentError` when nobody got it."""
        s = self.server
        try:
            client: smtplib.SMTP
            if s.tls:
                client = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout, context=self.ssl_context
                )
            else:
                client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            with client:
                if s.starttls and not s.tls:
                    client.starttls(context=self.ssl_context)
                if s.username:
                    client.login(s.username, s.password or "")
                refused = client.send_message(msg, from_addr=sender, to_addrs=list(recipients))
            return sorted(refused)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            detail = "; ".join(f"{a}: {c} {_text(m)}" for a, (c, m) in exc.recipients.items())
            raise _by_code(min(codes), f"every recipient was refused ({detail})") from exc
        except smtplib.SMTPResponseException as exc:
            raise _by_code(exc.smtp_code, f"{exc.smtp_code} {_text(exc.smtp_error)}") from exc
        except smtplib.SMTPAuthenticationError as exc:  # pragma: no cover - a response too
            raise PermanentError(f"SMTP login refused: {exc}") from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise TransientError(
                f"SMTP server {s.host}:{s.port} unreachable: {exc or type(exc).__name__}"
            ) from exc


def _text(message: bytes | str) -> str:
    return message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)


def _by_code(code: int, detail: str) -> TransientError | PermanentError:
    if 400 <= code < 500 or code < 0:
        return TransientError(f"SMTP server said try later: {detail}")
    return PermanentError(f"SMTP server refused: {detail}")
