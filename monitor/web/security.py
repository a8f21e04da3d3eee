"""What every response carries and every state-changing request must show: a content security
policy that allows only the app's own scripts and styles, and the optional token."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
HEADERS = {
    # No inline script or style anywhere: injected markup that slipped past escaping still
    # could not run, and nothing is fetched from elsewhere (the app works offline).
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
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


def install(app: FastAPI, token: str | None) -> None:
    """Add the headers and, for POST/PUT/PATCH/DELETE, refuse requests from other sites and,
    when a token is set, requests without it."""

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.method not in SAFE_METHODS:
            if _cross_site(request):
                return _refuse(403, "cross-site requests cannot change anything here")
            if token is not None:
                given = _presented(request)
                if given is None or not hmac.compare_digest(given.encode(), token.encode()):
                    return _refuse(
                        401,
                        "this needs the monitor's token: send it as "
                        "'Authorization: Bearer <token>' (MONITOR_WEB__TOKEN)",
                    )
        response = await call_next(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def _refuse(status: int, detail: str) -> Response:
    response = JSONResponse({"detail": detail}, status_code=status)
    if status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    for name, value in HEADERS.items():
        response.headers[name] = value
    return response
