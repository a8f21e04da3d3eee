"""HTTP for the poller: one pooled httpx client, conditional GET, size cap, plain-words errors.

httpx exceptions stop here: callers see `FetchResult` or `FetchError`, whose message
is what a user reads in `monitor feeds list`. Connections go through `transport`: each
fetch is bounded as a whole by its timeout, may reach only the addresses its `Reach`
allows, and is cut off when the client's cancel event is set.
"""

from __future__ import annotations

import errno
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from monitor.errors import TransientError
from monitor.feeds.transport import (
    AddressRefused,
    FetchCancelled,
    GuardedTransport,
    Overdue,
    Reach,
    scope,
)


class FetchError(TransientError):
    """A fetch that failed; `kind` names the failure, the message says it in plain words."""

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class FetchResult:
    status: int  # 200 or 304
    url: str  # after redirects
    content: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    max_age: float | None = None  # Cache-Control max-age, seconds
    elapsed: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    address: str = ""  # the IP address that served the response (after redirects)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class HostLimiter:
    """At most `per_host` requests at a time to any one host, whatever the sources."""

    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}

    @contextmanager
    def slot(self, url: str) -> Iterator[None]:
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            sem = self._slots.setdefault(host, threading.BoundedSemaphore(self._per_host))
        with sem:
            yield


def make_client(
    user_agent: str,
    timeout: float,
    max_connections: int,
    max_redirects: int,
    *,
    cancel: threading.Event | None = None,
) -> httpx.Client:
    """The poller's client; setting `cancel` cuts off every fetch in flight within moments.

    It connects directly: an HTTP(S)_PROXY of the environment would make the connections,
    and the address checks, its own.
    """
    limits = httpx.Limits(
        max_connections=max_connections, max_keepalive_connections=max_connections
    )
    return httpx.Client(
        headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        transport=GuardedTransport(limits, cancel),
        follow_redirects=True,
        max_redirects=max_redirects,
    )


_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)


def fetch(
    client: httpx.Client,
    url: str,
    *,
    max_bytes: int,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str = _ACCEPT,
    timeout: float | None = None,
    reach: Reach | None = None,
) -> FetchResult:
    """GET `url`, conditionally when validators are given; raise `FetchError` on failure.

    Connecting, redirects, headers and body together take at most `timeout` seconds (default:
    the client's). `reach` says which non-public addresses the fetch may connect to, at every
    redirect (default: whatever `url`'s own host resolves to, as for a configured source).
    """
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    started = time.monotonic()
    allowed = timeout or client.timeout.read or 60.0
    answered, size = False, 0
    try:
        with (
            scope(reach or Reach.of_url(url), allowed),
            client.stream("GET", url, headers=headers, timeout=allowed) as response,
        ):
            answered = True
            if response.status_code == 304:
                response.read()  # an unread response cannot give its connection back
                return _result(response, b"", started)
            if response.status_code >= 400:
                raise _status_error(response)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(max_bytes, f"it announces {int(declared):,} bytes")
            chunks = []
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise _too_large(max_bytes, "it kept sending past that")
                chunks.append(chunk)
            return _result(response, b"".join(chunks), started)
    except FetchError:
        raise
    except FetchCancelled:
        raise FetchError(
            "cancelled", "the fetch was cancelled because the monitor is stopping"
        ) from None
    except Overdue as exc:
        if answered:
            words = (
                f"timed out after {allowed:g} s: the response was still arriving "
                f"({size:,} bytes so far); gave up"
            )
        else:
            words = f"timed out {exc.phase} after {allowed:g} s"
        raise FetchError("timeout", words) from None
    except AddressRefused as exc:
        raise FetchError("address", f"not fetched: {exc}") from None
    except httpx.TooManyRedirects:
        raise FetchError(
            "redirects",
            "too many redirects (the server redirects in a loop or through a long chain)",
        ) from None
    except httpx.TimeoutException as exc:
        phase = {
            "ConnectTimeout": "connecting",
            "ReadTimeout": "waiting for data",
            "WriteTimeout": "sending",
            "PoolTimeout": "waiting for a free connection",
        }
        waited = timeout or client.timeout.read or 0
        during = phase.get(type(exc).__name__, "")
        raise FetchError(
            "timeout", f"timed out {during} after {waited:g} s".replace("  ", " ")
        ) from None
    except httpx.DecodingError as exc:
        raise FetchError("network", f"the response could not be decompressed: {exc}") from None
    except httpx.TransportError as exc:
        raise _transport_error(exc) from None
    except httpx.InvalidURL as exc:
        raise FetchError("url", f"the URL is not valid: {exc}") from None


def _result(response: httpx.Response, content: bytes, started: float) -> FetchResult:
    h = response.headers
    return FetchResult(
        status=response.status_code,
        url=str(response.url),
        content=content,
        content_type=h.get("content-type", ""),
        etag=h.get("etag"),
        last_modified=h.get("last-modified"),
        max_age=_max_age(h.get("cache-control", "")),
        elapsed=time.monotonic() - started,
        headers={k.lower(): v for k, v in h.items()},
        address=_server_address(response),
    )


def _server_address(response: httpx.Response) -> str:
    stream = response.extensions.get("network_stream")
    try:
        return str(stream.get_extra_info("server_addr")[0]) if stream is not None else ""
    except (OSError, TypeError, IndexError):
        return ""


def _max_age(cache_control: str) -> float | None:
    if "no-cache" in cache_control or "no-store" in cache_control:
        return None
    m = re.search(r"max-age\s*=\s*(\d+)", cache_control)
    return float(m.group(1)) if m else None


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now if now is not None else datetime.now(UTC).timestamp()
    return max(0.0, when.timestamp() - current)


_STATUS_WORDS = {
    401: "the server wants a login (401)",
    403: "the server refuses access (403 Forbidden); it may block unknown clients",
    404: "the page was not found (404); the feed may have moved",
    410: "the server says the feed is gone for good (410 Gone); check the URL",
    429: "the server says we ask too often (429 Too Many Requests)",
    500: "the server failed (500 Internal Server Error)",
    502: "the server's gateway failed (502 Bad Gateway)",
    503: "the server is unavailable (503 Service Unavailable)",
    504: "the server's gateway timed out (504 Gateway Timeout)",
}


def _status_error(response: httpx.Response) -> FetchError:
    return status_error(response.status_code, response.headers.get("retry-after"))


def status_error(status: int, retry_after_header: str | None) -> FetchError:
    """The failure an HTTP error status means, in plain words (the browser's pages too)."""
    words = _STATUS_WORDS.get(status) or (
        f"the server failed ({status})" if status >= 500 else f"the server refused ({status})"
    )
    wait = retry_after(retry_after_header)
    if wait is not None and status in (429, 503):
        words += f"; it asks to wait {wait:.0f} s"
    return FetchError("gone" if status == 410 else "http", words, status=status, retry_after=wait)


def _too_large(max_bytes: int, detail: str) -> FetchError:
    return FetchError(
        "too_large",
        f"the response is larger than the {max_bytes:,}-byte cap "
        f"({detail}); nothing was read from it",
    )


def _transport_error(exc: httpx.TransportError) -> FetchError:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return FetchError("dns", "the host name could not be resolved (DNS failure)")
        if isinstance(cause, ConnectionRefusedError) or (
            isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED
        ):
            return FetchError(
                "refused", "the server refused the connection (nothing listens on that port)"
            )
        cause = cause.__cause__ or cause.__context__
    text = str(exc)
    if (
        "Name or service not known" in text
        or "nodename nor servname" in text
        or "Temporary failure in name resolution" in text
    ):
        return FetchError("dns", "the host name could not be resolved (DNS failure)")
    if "Connection refused" in text or "[Errno 111]" in text:
        return FetchError(
            "refused", "the server refused the connection (nothing listens on that port)"
        )
    if isinstance(exc, httpx.RemoteProtocolError):
        return FetchError("network", f"the server broke the HTTP exchange: {text}")
    return FetchError("network", f"network error: {text or type(exc).__name__}")
