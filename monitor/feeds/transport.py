"""The poller's connections: each address checked before it is used, each fetch bounded by one
deadline and cancelled when the monitor stops.

httpx opens connections through httpcore's network backend; `GuardedBackend` resolves the host
itself, refuses the addresses the fetch may not reach (`Reach`), and connects to the very address
it checked, so a DNS answer that changes between the check and the connection (rebinding) cannot
slip through; TLS still names the host (SNI) and the Host header is untouched. Every wait on the
network is cut into short slices, so the fetch's deadline and a stop are noticed within a
fraction of a second whatever the server does (answers slowly, trickles a byte a second).

`fetch` opens a `Scope` around each request; a connection taken from the pool is checked again
against the scope of the request that reuses it.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import os
import selectors
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

SLICE = 0.2  # seconds: the longest a blocked socket goes without looking at the clock and stop
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchCancelled(Exception):
    """The monitor is stopping: the fetch was cut off, the server did nothing wrong."""


class Overdue(Exception):
    """The fetch's deadline passed; `phase` says what it was waiting for."""

    def __init__(self, phase: str) -> None:
        super().__init__(phase)
        self.phase = phase


class AddressRefused(Exception):
    """The URL leads to an address this fetch may not reach; the message says which and why."""


def address_kind(ip: IPAddress) -> str | None:
    """None for an address of the public internet, else what it is ("loopback", "private" ...).

    An IPv6 address that carries an IPv4 one (IPv4-mapped, 6to4, NAT64) is judged by that one.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return address_kind(embedded)
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("non-public", not ip.is_global),  # e.g. 100.64.0.0/10, shared by carriers
    )
    return next((kind for kind, hit in checks if hit), None)


@dataclass(frozen=True, slots=True)
class Reach:
    """Which non-public addresses a fetch may reach; public ones it always may.

    `trusted_host` is the host the operator configured (the feed's own URL): whatever it
    resolves to is allowed. `own` are addresses allowed by number: the address the feed was
    fetched from, so an intranet feed's links to its own pages work (on any port of that
    address). `allow_private` (a source's `allow_private = true`) allows every address.
    """

    trusted_host: str | None = None
    own: frozenset[str] = frozenset()
    allow_private: bool = False

    @classmethod
    def of_url(cls, url: str, *, allow_private: bool = False) -> Reach:
        """The reach of a fetch of a URL the operator gave (a source's feed or list page)."""
        host = httpx.URL(url).host if url else ""
        return cls(trusted_host=host.lower() or None, allow_private=allow_private)

    def refusal(self, host: str, ip: IPAddress, extra_own: Iterable[str] = ()) -> str | None:
        """Why `ip` (what `host` resolved to) may not be reached, or None when it may."""
        if self.allow_private or host.lower() == self.trusted_host:
            return None
        kind = address_kind(ip)
        if kind is None or str(ip) in self.own or str(ip) in extra_own:
            return None
        shown = host if _same_address(host, ip) else f"{host} ({ip})"
        return (
            f"{shown} is a {kind} address, which a feed may not make the monitor reach "
            "(allow_private = true on the source allows it)"
        )


def _same_address(host: str, ip: IPAddress) -> bool:
    """Whether `host` is `ip` written out (as a URL gives it, e.g. ::ffff:127.0.0.2)."""
    try:
        return ipaddress.ip_address(host.strip("[]")) == ip
    except ValueError:
        return False


@dataclass(slots=True)
class Scope:
    """One fetch in progress: its deadline and reach, and the addresses it connected to."""

    deadline: float
    reach: Reach
    started: float = field(default_factory=time.monotonic)
    reached: set[str] = field(default_factory=set)  # addresses of the trusted host, as used

    def check(self, host: str, ip: IPAddress) -> None:
        reason = self.reach.refusal(host, ip, self.reached)
        if reason is not None:
            raise AddressRefused(reason)


_scope: ContextVar[Scope | None] = ContextVar("fetch_scope", default=None)


@contextlib.contextmanager
def scope(reach: Reach, timeout: float) -> Iterator[Scope]:
    """Bound the fetches made inside to `timeout` seconds in all, and to `reach`."""
    current = Scope(time.monotonic() + timeout, reach)
    token = _scope.set(current)
    try:
        yield current
    finally:
        _scope.reset(token)


class _Waits:
    """Slices of waiting until the end of one operation, the fetch's deadline or a stop."""

    def __init__(self, cancel: threading.Event | None, timeout: float | None, phase: str) -> None:
        self._cancel = cancel
        self._phase = phase
        current = _scope.get()
        ends = [time.monotonic() + timeout] if timeout is not None else []
        if current is not None:
            ends.append(current.deadline)
        self._end = min(ends) if ends else None

    def next(self) -> float:
        """Seconds to wait now; raises when there is nothing left to wait for."""
        if self._cancel is not None and self._cancel.is_set():
            raise FetchCancelled()
        if self._end is None:
            return SLICE
        left = self._end - time.monotonic()
        if left <= 0:
            raise Overdue(self._phase)
        return min(SLICE, left)


class GuardedStream(httpcore.NetworkStream):
    def __init__(
        self,
        sock: socket.socket,
        host: str,
        ip: IPAddress,
        port: int,
        cancel: threading.Event | None,
    ) -> None:
        self._sock = sock
        self._host = host
        self._ip = ip
        self._port = port
        self._cancel = cancel

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        waits = _Waits(self._cancel, timeout, "waiting for data")
        while True:
            self._sock.settimeout(waits.next())
            try:
                return self._sock.recv(max_bytes)
            except TimeoutError:
                continue
            except OSError as exc:
                raise httpcore.ReadError(str(exc)) from exc

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        current = _scope.get()
        if current is not None:  # a pooled connection serves whoever asks next: check again
            current.check(self._host, self._ip)
        waits = _Waits(self._cancel, timeout, "sending")
        view = memoryview(buffer)
        while view:
            self._sock.settimeout(waits.next())
            try:
                view = view[self._sock.send(view) :]
            except TimeoutError:
                continue
            except OSError as exc:
                raise httpcore.WriteError(str(exc)) from exc

    def close(self) -> None:
        self._sock.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        if self._cancel is not None and self._cancel.is_set():
            raise FetchCancelled()
        # The handshake is not sliced: it is short, and bounded by the time the fetch has left.
        current = _scope.get()
        limits = [t for t in (timeout,) if t is not None]
        if current is not None:
            left = current.deadline - time.monotonic()
            if left <= 0:
                raise Overdue("connecting")
            limits.append(left)
        self._sock.settimeout(min(limits) if limits else None)
        try:
            wrapped = ssl_context.wrap_socket(self._sock, server_hostname=server_hostname)
        except TimeoutError as exc:
            self._sock.close()
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:
            self._sock.close()
            raise httpcore.ConnectError(str(exc)) from exc
        return GuardedStream(wrapped, self._host, self._ip, self._port, self._cancel)

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object" and isinstance(self._sock, ssl.SSLSocket):
            return self._sock._sslobj  # type: ignore[attr-defined]
        if info == "server_addr":  # kept: asked for after the server may have closed
            return (str(self._ip), self._port)
        if info == "client_addr":
            return self._sock.getsockname()
        if info == "socket":
            return self._sock
        if info == "is_readable":
            # An idle pooled connection that is readable was closed by the server.
            with selectors.DefaultSelector() as sel:
                sel.register(self._sock, selectors.EVENT_READ)
                return bool(sel.select(0))
        return None


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's connections, resolved and checked here; `cancel` set stops every wait."""

    def __init__(self, cancel: threading.Event | None = None) -> None:
        self.cancel = cancel

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        waits = _Waits(self.cancel, timeout, "connecting")
        current = _scope.get()
        addresses = self._resolve(host, port, waits)
        refusals = []
        usable = []
        for family, sockaddr in addresses:
            ip = ipaddress.ip_address(sockaddr[0])
            if current is not None:
                try:
                    current.check(host, ip)
                except AddressRefused as exc:
                    refusals.append(str(exc))
                    continue
            usable.append((family, sockaddr, ip))
        if not usable:
            raise AddressRefused(refusals[0] if refusals else f"{host} has no address")
        last: OSError | None = None
        for family, sockaddr, ip in usable:
            try:
                sock = self._connect(family, sockaddr, local_address, socket_options, waits)
            except OSError as exc:
                last = exc
                continue
            if current is not None and host.lower() == current.reach.trusted_host:
                current.reached.add(str(ip))
            return GuardedStream(sock, host, ip, port, self.cancel)
        assert last is not None
        raise httpcore.ConnectError(str(last)) from last

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("the poller does not fetch over Unix sockets")

    def _resolve(self, host: str, port: int, waits: _Waits) -> list[tuple[int, Any]]:
        """getaddrinfo in a helper thread, so a stop or the deadline need not wait for DNS."""
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            pass
        else:  # nothing to look up
            family = socket.AF_INET6 if literal.version == 6 else socket.AF_INET
            return [(family, (str(literal), port))]
        box: list[Any] = []
        done = threading.Event()

        def lookup() -> None:
            try:
                box.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
            except OSError as exc:
                box.append(exc)
            done.set()

        threading.Thread(target=lookup, name="dns", daemon=True).start()
        while not done.wait(waits.next()):
            pass
        if isinstance(box[0], OSError):
            raise httpcore.ConnectError(str(box[0])) from box[0]
        return [(family, sockaddr) for family, _, _, _, sockaddr in box[0]]

    @staticmethod
    def _connect(
        family: int,
        sockaddr: Any,
        local_address: str | None,
        socket_options: Iterable[Any] | None,
        waits: _Waits,
    ) -> socket.socket:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            for option in socket_options or ():
                sock.setsockopt(*option)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if local_address:
                sock.bind((local_address, 0))
            sock.setblocking(False)
            code = sock.connect_ex(sockaddr)
            if code not in (0, errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EALREADY):
                raise OSError(code, errno.errorcode.get(code, str(code)))
            with selectors.DefaultSelector() as sel:
                sel.register(sock, selectors.EVENT_WRITE)
                while code and not sel.select(waits.next()):
                    pass
            code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if code:
                raise OSError(code, os.strerror(code))
            sock.setblocking(True)
            return sock
        except BaseException:
            sock.close()
            raise


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over `GuardedBackend`."""

    def __init__(self, limits: httpx.Limits, cancel: threading.Event | None = None) -> None:
        super().__init__(limits=limits)
        # httpx takes no network backend of its own; httpcore's pool does, so the pool is
        # built again with httpx's settings and ours.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(cancel),
        )
