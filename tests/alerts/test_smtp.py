"""SMTP transport security and login against aiosmtpd with a throw-away certificate."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from monitor.alerts.smtp import Mailer, SmtpServer
from monitor.errors import PermanentError, TransientError
from tests.alerts.conftest import MailSink, free_port

# The implicit-TLS server has to be told TLS is not required (see Server); it warns.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def authenticate(
    server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"monitor",
        b"s3cret",
    )
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535


class Server:
    def __init__(self, certificate: tuple[Path, Path], implicit: bool) -> None:
        server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server_ctx.load_cert_chain(*certificate)
        self.sink = MailSink()
        self.port = free_port()
        self.implicit = implicit
        # aiosmtpd 1.4 does not count implicit TLS as TLS when deciding to offer AUTH
        options: dict[str, Any] = (
            {"ssl_context": server_ctx, "auth_require_tls": False}
            if implicit
            else {"tls_context": server_ctx, "require_starttls": True, "auth_require_tls": True}
        )
        self.controller = Controller(
            self.sink,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=authenticate,
            auth_required=True,
            **options,
        )
        self.client_ctx = ssl.create_default_context(cafile=str(certificate[0]))


@pytest.fixture(params=["starttls", "implicit"])
def server(request: pytest.FixtureRequest, certificate: tuple[Path, Path]) -> Iterator[Server]:
    s = Server(certificate, implicit=request.param == "implicit")
    s.controller.start()
    yield s
    s.controller.stop()


def message() -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = "New campaign: Thunder Hawk"
    msg["From"] = "monitor@example.org"
    msg["To"] = "analyst@example.org"
    msg.set_content("body")
    return msg


def test_tls_and_login(server: Server) -> None:
    implicit = server.implicit
    mailer = Mailer(
        SmtpServer(
            "127.0.0.1",
            server.port,
            "monitor",
            "s3cret",
            starttls=not implicit,
            tls=implicit,
            timeout=5,
        ),
        ssl_context=server.client_ctx,
    )
    assert mailer.send(message(), "monitor@example.org", ["analyst@example.org"]) == []
    [mail] = server.sink.wait_for(1)
    assert mail.recipients == ["analyst@example.org"]

    wrong = Mailer(
        SmtpServer(
            "127.0.0.1",
            server.port,
            "monitor",
            "guess",
            starttls=not implicit,
            tls=implicit,
            timeout=5,
        ),
        ssl_context=server.client_ctx,
    )
    with pytest.raises(PermanentError, match="535"):
        wrong.send(message(), "monitor@example.org", ["analyst@example.org"])


def test_an_untrusted_certificate_or_no_server_is_transient(certificate: tuple[Path, Path]) -> None:
    s = Server(certificate, implicit=False)
    s.controller.start()
    try:
        strict = Mailer(
            SmtpServer("127.0.0.1", s.port, "monitor", "s3cret", starttls=True, timeout=5)
        )
        with pytest.raises(TransientError, match="unreachable"):
            strict.send(message(), "monitor@example.org", ["analyst@example.org"])
    finally:
        s.controller.stop()
    nobody = Mailer(SmtpServer("127.0.0.1", free_port(), timeout=2))
    with pytest.raises(TransientError, match="unreachable"):
        nobody.send(message(), "monitor@example.org", ["analyst@example.org"])
