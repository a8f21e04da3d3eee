"""What every request must show and every response carries: a Host the app answers to, the
optional token for whatever changes state or reads the operators' views, and a content security
policy that allows only the app's own scripts and styles."""

from __future__ import annotations

import base64
import binascii
import hmac
import re
from collections.abc import Awaitable, Callable, Collection
from urllib.parse import urlsplit

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from loguru import logger

from monitor.settings import WebSettings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Names of this machine that no other site can make a browser send.
LOCALHOST = ("localhost", "127.0.0.1", "::1")
ANY_HOST = "*"
_EVERY_ADDRESS = ("", "0.0.0.0", "::")
_HOST = re.compile(r"(?:\[(?P<ip6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9_.-]+))(?::(?P<port>\d{1,5}))?")
# TestClient runs the app in-process and names itself "testclient" in the scope; a request over
# a socket carries its peer's address there, so its Host is only ever accepted from it.
_TEST_CLIENT, _TEST_HOST = "testclient", "testserver"
# Where operators read dead letters (article payloads) and sources, and where saved searches
# (with their email addresses) are kept: private once a token is set.
_PRIVATE = ("/ops", "/api/ops", "/saved", "/api/saved")
HEADERS = {
    # No inline script or style anywhere: injected markup that slipped past escaping still
    # could not run, and nothing is fetched from elsewhere (the app works offline).
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    # "same-origin", not "no-referrer": under no-referrer a browser posts a plain form with
    # "Origin: null", which the guard must refuse as cross-site; links to other sites carry none
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def _presented(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-monitor-token")


def _cross_site(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin == "null"
    return urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower()


def hosts_of(web: WebSettings) -> tuple[str, ...]:
    """The Host names the app answers to under `web`: its listening host (unless that is every
    address), base_url's host and `allowed_hosts`; `install` adds the localhost forms."""
    names = [urlsplit(web.base_url).hostname or "", *web.allowed_hosts]
    if web.host not in _EVERY_ADDRESS:
        names.append(web.host)
    return tuple(dict.fromkeys(name for name in names if name))


def host_name(value: str) -> str | None:
    """The name in a Host header or an allowed-hosts entry: lower case, without port, brackets
    or a final dot; None when `value` is not a host."""
    text = value.strip().lower()
    if text.count(":") > 1 and not text.startswith("["):
        text = f"[{text}]"  # a bare IPv6 address, as written in settings
    m = _HOST.fullmatch(text)
    if m is None or (m["port"] is not None and int(m["port"]) > 65535):
        return None
    return m["ip6"] or m["name"].rstrip(".") or None


def _private(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in _PRIVATE)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def _basic_password(request: Request) -> str | None:
    """The password of HTTP Basic credentials: what a browser sends after asking for it."""
    auth = request.headers.get("authorization", "")
    if not auth.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(auth[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded.partition(":")[2]


def _token_matches(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def _shows_token(request: Request, token: str) -> bool:
    if _token_matches(_presented(request), token):
        return True
    # Basic credentials only for reading: a browser sends them by itself, cross-site too
    return request.method in SAFE_METHODS and _token_matches(_basic_password(request), token)


def install(app: FastAPI, token: str | None, allowed_hosts: Collection[str] = ()) -> None:
    """Add the headers; refuse (400) a request whose Host is neither a localhost form nor one
    of `allowed_hosts` ("*": any); for POST/PUT/PATCH/DELETE refuse requests from other sites;
    when a token is set, refuse state changes and reads of the operators' views without it."""
    names = set(LOCALHOST)
    for entry in allowed_hosts:
        name = host_name(entry)
        if name is not None:
            names.add(name)
        elif entry != ANY_HOST:
            logger.warning("web.allowed_hosts: {!r} is not a host name; it is ignored", entry)
    any_host = ANY_HOST in allowed_hosts

    def host_allowed(request: Request) -> bool:
        name = host_name(request.headers.get("host", ""))
        if name is None:
            return False
        if name in names or any_host:
            return True
        client = request.client
        return name == _TEST_HOST and client is not None and client.host == _TEST_CLIENT

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if not host_allowed(request):
            host = request.headers.get("host", "")[:200]
            return _refuse(
                request,
                400,
                f"this monitor does not answer to the host {host!r}: open it at its own address,"
                " or add the name to web.allowed_hosts (MONITOR_WEB__ALLOWED_HOSTS)"
                if host
                else "the request has no Host header",
            )
        reading = request.method in SAFE_METHODS
        if not reading and _cross_site(request):
            return _refuse(request, 403, "cross-site requests cannot change anything here")
        guarded = not reading or _private(request.url.path)
        if token is not None and guarded and not _shows_token(request, token):
            page = reading and not _wants_json(request)
            return _refuse(
                request,
                401,
                "this needs the monitor's token (MONITOR_WEB__TOKEN): send it as "
                "'Authorization: Bearer <token>'"
                + (", or give it as the password when the browser asks" if page else ""),
                basic=page,
            )
        response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def _refuse(request: Request, status: int, detail: str, *, basic: bool = False) -> Response:
    response: Response
    if _wants_json(request) or request.method not in SAFE_METHODS:
        response = JSONResponse({"detail": detail}, status_code=status)
    else:
        response = PlainTextResponse(detail + "\n", status_code=status)
    if status == 401:
        challenge = 'Basic realm="announcement monitor", charset="UTF-8"'
        response.headers["WWW-Authenticate"] = challenge if basic else "Bearer"
    for name, value in HEADERS.items():
        response.headers[name] = value
    return response
