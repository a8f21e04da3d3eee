"""Pages behind a script challenge, loaded in headless Chromium: the browser pool of the poller.

One pool per poller: a thread of its own runs an asyncio loop that drives Chromium through
Playwright; poll threads hand it pages to load and wait, in slices, for the rendered HTML, so a
stop or the page's deadline is noticed at once. Each host gets one browser context, kept across
polls, so the cookie a challenge script sets is sent with every later page of that host (and put
back after a restart). Every request the browser makes is checked against the fetch's `Reach`
before it leaves, redirects hop by hop, and refused ones are aborted. A browser that crashes,
hangs or grows past its memory ceiling is killed and started again on the next page.

Failures are `FetchError`s in plain words, like the plain client's, so `monitor feeds list`
shows them the same way.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import ipaddress
import os
import shutil
import signal
import socket
import threading
import time
import uuid
import weakref
from collections.abc import Coroutine
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

from loguru import logger

from monitor.feeds.fetch import FetchError, FetchResult, status_error
from monitor.feeds.transport import Reach

_log = logger.bind(stage="poll")
T = TypeVar("T")

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium")
_SKIPPED = frozenset({"image", "media", "font", "stylesheet"})  # nothing a challenge needs
_SETTLE = 1.5  # seconds a loaded page that looks unfinished may stay quiet before it counts
_LOOKS_DONE = 200  # characters of text: more is a page, less may be a challenge's interstitial
_GRACE = 10.0  # seconds past the deadlines of a load before the browser counts as hung
_SLICE = 0.2

_ARGS = [
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--mute-audio",
]


def find_browser(path: str = "") -> str | None:
    """The Chromium executable to use: `path` when given (and there), else the first found."""
    for candidate in (path,) if path else CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def unavailable(path: str = "") -> str | None:
    """Why no browser can be started here, in plain words; None when one can."""
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return (
            "the Playwright package is not installed: "
            "pip install 'announcement-monitor[browser]' (make install does)"
        )
    if find_browser(path) is None:
        which = path or "chromium"
        return (
            f"no browser: {which} is not installed; install Debian's chromium "
            "(apt-get install chromium, or make system-deps)"
            + ("" if path else ", or set browser_path in [poller] of the sources file")
        )
    return None


def probe(path: str = "", timeout: float = 30.0) -> str:
    """Start the browser once and close it; its version, or `FetchError` saying why not."""
    missing = unavailable(path)
    if missing is not None:
        raise FetchError("browser", missing)

    async def start() -> str:
        from playwright.async_api import async_playwright

        async with async_playwright() as p:
            browser = await p.chromium.launch(
                executable_path=find_browser(path), args=_ARGS, timeout=timeout * 1000
            )
            version = str(browser.version)
            await browser.close()
            return version

    try:
        return asyncio.run(asyncio.wait_for(start(), timeout + 5))
    except Exception as exc:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FetchError("browser", f"{find_browser(path)} does not start: {text}") from None


@dataclass(slots=True)
class _Load:
    """One page load in progress: what its requests may reach and what the document did."""

    reach: Reach
    url: str
    max_redirects: int
    max_bytes: int
    final_url: str = ""
    status: int = 0
    address: str = ""
    reached: set[str] = field(default_factory=set)
    navigated: float = 0.0  # when the main document last arrived (monotonic)
    documents: int = 0
    refused: str = ""
    too_large: str = ""


class BrowserPool:
    """Headless Chromium for `render = "browser"` sources; safe to call from many threads.

    Nothing starts until the first `load`. `close()` ends the browser; it is also ended when
    the interpreter exits.
    """

    def __init__(
        self,
        *,
        path: str = "",
        concurrency: int = 2,
        timeout: float = 30.0,
        memory_mb: int = 1024,
        max_redirects: int = 5,
        stopping: threading.Event | None = None,
    ) -> None:
        self.path = path
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.max_redirects = max_redirects
        self.restarts = 0  # browsers started again after a crash, a hang or the memory ceiling
        self.launches = 0
        self._stopping = stopping or threading.Event()
        self._slots = threading.BoundedSemaphore(concurrency)
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._marker = f"--monitor-browser-pool={uuid.uuid4().hex}"
        self._playwright: Any = None
        self._browser: Any = None
        self._contexts: dict[str, Any] = {}
        self._agent = ""
        self._jobs: dict[Any, _Load] = {}  # the load each open page belongs to
        self._cookies: dict[str, list[Any]] = {}  # per host, put back into a new browser
        self._in_flight = 0
        self._over_ceiling = False
        self._closed = False
        self._starting: asyncio.Lock | None = None
        atexit.register(_close_at_exit, weakref.ref(self))
        # A pool dropped without close() (a one-off command) leaves no browser behind.
        weakref.finalize(self, _reap, self._marker)

    # -- what poll threads call --------------------------------------------------------
    def load(self, url: str, *, reach: Reach, max_bytes: int, wait_for: str = "") -> FetchResult:
        """The page at `url` as the browser rendered it, once any challenge has passed.

        `wait_for` is a CSS selector the finished page has (a list page's items): the load
        is done as soon as it matches. Raises `FetchError` (kind "cancelled" on a stop).
        """
        if self._closed or self._stopping.is_set():
            raise _cancelled()
        missing = unavailable(self.path)
        if missing is not None:
            raise FetchError(
                "browser", f"this source needs a browser (render = browser): {missing}"
            )
        started = time.monotonic()
        while not self._slots.acquire(timeout=_SLICE):
            if self._stopping.is_set():
                raise _cancelled()
            if time.monotonic() - started > self.timeout:
                raise FetchError(
                    "timeout",
                    f"no browser slot became free in {self.timeout:g} s "
                    "(browser_concurrency in [poller] sets how many pages load at once)",
                )
        try:
            job = _Load(reach, url, self.max_redirects, max_bytes)
            return self._wait(self._submit(self._load(job, wait_for)), url)
        finally:
            self._slots.release()

    def close(self, timeout: float = 5.0) -> None:
        """End the browser and its driver; whatever is loading fails as cancelled."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        future = asyncio.run_coroutine_threadsafe(self._shutdown(), loop)
        try:
            future.result(timeout)
        except Exception as exc:  # a hung driver: its processes go the hard way
            _log.warning("the browser did not close in {:g} s ({}); killing it", timeout, exc)
            self._kill(driver=True)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)

    def processes(self) -> list[int]:
        """The process ids of this pool's browser (the browser process and its children)."""
        return _tree(_find_root(self._marker))

    def memory_bytes(self) -> int:
        """What this pool's browser processes hold in memory (proportional set size)."""
        return sum(_pss(pid) for pid in self.processes())

    # -- the loop thread ------------------------------------------------------------------
    def _submit(self, coro: Coroutine[Any, Any, T]) -> Future[T]:
        with self._lock:
            if self._closed:
                coro.close()
                raise _cancelled()
            if self._loop is None or self._thread is None or not self._thread.is_alive():
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=_run_loop, args=(loop,), name="browser", daemon=True
                )
                thread.start()
                self._loop, self._thread = loop, thread
                self._starting = None
                self._playwright = self._browser = None
                self._contexts = {}
            return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def _wait(self, future: Future[T], url: str) -> T:
        patience = 2 * self.timeout + _GRACE  # starting the browser, then the page
        deadline = time.monotonic() + patience
        while True:
            if self._stopping.is_set():
                future.cancel()
                raise _cancelled()
            try:
                return future.result(_SLICE)
            except FutureTimeout:
                if time.monotonic() > deadline:
                    break
        future.cancel()
        # The loop did not answer even after the page's own timeout: the driver or the
        # browser hangs. Kill both and start afresh on the next page.
        _log.warning(
            "the browser hung loading {}; killing it, it starts again on the next page", url
        )
        self._kill(driver=True)
        with self._lock:
            loop, self._loop, self._thread = self._loop, None, None
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)
        self.restarts += 1
        raise FetchError(
            "browser",
            f"the browser hung loading {url} (no answer in {patience:g} s); "
            "it was killed and starts again for the next poll",
        )

    def _kill(self, driver: bool = False) -> None:
        """SIGKILL the browser's processes, and with `driver` Playwright's driver too."""
        root = _find_root(self._marker)
        pids = _tree(root)
        if driver and root is not None:
            pids += [p for p in [_driver_of(root)] if p is not None]
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)

    async def _browser_now(self) -> Any:
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if self._browser is not None and self._browser.is_connected():
                return self._browser
            if self._browser is not None:  # it crashed: what it held is gone
                self._browser = None
                self._contexts = {}
                self.restarts += 1
            from playwright.async_api import async_playwright

            if self._playwright is None:
                self._playwright = await async_playwright().start()
            executable = find_browser(self.path)
            browser = await self._playwright.chromium.launch(
                executable_path=executable,
                headless=True,
                args=[*_ARGS, self._marker],
                timeout=self.timeout * 1000,
                handle_sigint=False,
                handle_sigterm=False,
                handle_sighup=False,
            )
            self.launches += 1
            self._browser = browser
            # The browser's own user agent without "Headless": some sites refuse that word.
            self._agent = ""
            with contextlib.suppress(Exception):
                probe = await browser.new_page()
                self._agent = (await probe.evaluate("navigator.userAgent")).replace("Headless", "")
                await probe.close()
            _log.info("browser started: {} {}", executable, browser.version)
            return browser

    async def _context(self, host: str) -> Any:
        browser = await self._browser_now()
        ctx = self._contexts.get(host)
        if ctx is None:
            ctx = await browser.new_context(user_agent=self._agent or None, service_workers="block")
            # One route for the context, set once: each request finds its page's load.
            await ctx.route("**/*", self._route_any)
            if self._cookies.get(host):
                await ctx.add_cookies(self._cookies[host])
            self._contexts[host] = ctx
        return ctx

    async def _load(self, job: _Load, wait_for: str) -> FetchResult:
        from playwright.async_api import Error as PlaywrightError

        host = (urlsplit(job.url).hostname or "").lower()
        started = time.monotonic()
        self._in_flight += 1
        pages: list[Any] = []

        async def load() -> FetchResult:
            ctx = await self._context(host)
            pages.append(await ctx.new_page())
            self._jobs[pages[0]] = job
            return await self._render(pages[0], job, wait_for, started)

        try:
            try:
                # Starting the browser has a deadline of its own; then one deadline for the
                # page, opening it included: a hung browser never answers even that.
                await asyncio.wait_for(self._browser_now(), self.timeout)
                return await asyncio.wait_for(load(), self.timeout)
            except TimeoutError:
                words = f"the browser did not finish the page in {self.timeout:g} s"
                if job.documents > 1:
                    words += (
                        f" (it loaded {job.documents} times: a challenge the browser did not pass?)"
                    )
                if not await self._responsive():
                    self._kill()
                    self._browser, self._contexts = None, {}
                    self.restarts += 1
                    words += "; the browser itself hung, so it was killed and starts again"
                raise FetchError("timeout", words) from None
            except PlaywrightError as exc:
                raise self._translate(exc, job) from None
        finally:
            self._in_flight -= 1
            for page in pages:
                self._jobs.pop(page, None)
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(page.close(), 2)
            with contextlib.suppress(Exception):
                if host in self._contexts:
                    self._cookies[host] = await asyncio.wait_for(self._contexts[host].cookies(), 2)
            await self._mind_memory()

    async def _responsive(self) -> bool:
        """Whether the browser still answers (a page that timed out may have hung it)."""
        try:
            ctx = await asyncio.wait_for(self._browser.new_context(), 1.5)
            await asyncio.wait_for(ctx.close(), 1.5)
        except Exception:
            return False
        return True

    async def _render(self, page: Any, job: _Load, wait_for: str, started: float) -> FetchResult:
        from playwright.async_api import Error as PlaywrightError

        await page.goto(job.url, wait_until="commit", timeout=self.timeout * 1000)
        while True:
            if job.refused:
                raise FetchError("address", f"not fetched: {job.refused}")
            if job.too_large:
                raise FetchError("too_large", job.too_large)
            try:
                ready = await page.evaluate("document.readyState") == "complete"
                if wait_for:
                    done = await page.query_selector(wait_for) is not None
                else:
                    done = (
                        await page.evaluate("document.body ? document.body.innerText.length : 0")
                        >= _LOOKS_DONE
                    )
            except PlaywrightError:
                # The document changed while we looked (a challenge reloading): look again.
                ready = done = False
            quiet = time.monotonic() - job.navigated
            if ready and (done or quiet >= _SETTLE):
                try:
                    html = await page.content()
                except PlaywrightError:
                    await asyncio.sleep(0.05)
                    continue
                break
            await asyncio.sleep(0.05)
        if job.status >= 400:
            raise status_error(job.status, None)
        return FetchResult(
            status=200,
            url=job.final_url or job.url,
            content=html.encode("utf-8"),
            content_type="text/html; charset=utf-8",
            elapsed=time.monotonic() - started,
            address=job.address,
        )

    async def _route_any(self, route: Any) -> None:
        job = None
        with contextlib.suppress(Exception):  # a request of no page (a worker): refused
            job = self._jobs.get(route.request.frame.page)
        if job is None:
            with contextlib.suppress(Exception):
                await route.abort("blockedbyclient")
            return
        await self._route(job, route)

    async def _route(self, job: _Load, route: Any) -> None:
        """Every request of the page: checked, then fetched here hop by hop so each redirect
        is checked too (the browser would follow a redirect without asking)."""
        from playwright.async_api import Error as PlaywrightError

        request = route.request
        try:
            if request.resource_type in _SKIPPED:
                await route.abort("blockedbyclient")
                return
            main = request.is_navigation_request() and request.frame.parent_frame is None
            url, hops, method = request.url, 0, request.method
            while True:
                if urlsplit(url).scheme not in ("http", "https"):
                    await route.abort("blockedbyclient")
                    return
                reason, address = await self._check(url, job)
                if reason is not None:
                    if main:
                        job.refused = reason
                    await route.abort("blockedbyclient")
                    return
                response = await route.fetch(
                    url=url, method=method, max_redirects=0, timeout=self.timeout * 1000
                )
                location = response.headers.get("location")
                if 300 <= response.status < 400 and location and hops < job.max_redirects:
                    url, hops = urljoin(url, location), hops + 1
                    if response.status in (301, 302, 303) and method != "HEAD":
                        method = "GET"
                    continue
                break
            if main:
                body = await response.body()
                if len(body) > job.max_bytes:
                    job.too_large = (
                        f"the page is larger than the {job.max_bytes:,}-byte cap "
                        f"({len(body):,} bytes); nothing was read from it"
                    )
                    await route.abort("blockedbyclient")
                    return
                job.final_url, job.status, job.address = url, response.status, address
                job.documents += 1
                job.navigated = time.monotonic()
            await route.fulfill(response=response)
        except PlaywrightError as exc:
            # The page went away (closed, navigated on) while its request was out.
            _log.debug("browser request {} ended: {}", request.url, exc)
            with contextlib.suppress(PlaywrightError):
                await route.abort("failed")

    async def _check(self, url: str, job: _Load) -> tuple[str | None, str]:
        """(why `url` may not be fetched or None, the address it resolved to)."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            ips = [ipaddress.ip_address(host)]
        except ValueError:
            loop = asyncio.get_running_loop()
            try:
                infos = await asyncio.wait_for(
                    loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), self.timeout
                )
            except (OSError, TimeoutError):
                return None, ""  # the browser finds out for itself and fails the request
            ips = [ipaddress.ip_address(info[4][0]) for info in infos]
        reasons = []
        for ip in ips:
            reason = job.reach.refusal(host, ip, job.reached)
            if reason is None:
                if host == job.reach.trusted_host:
                    job.reached.add(str(ip))
                return None, str(ip)
            reasons.append(reason)
        return reasons[0], ""

    def _translate(self, exc: Exception, job: _Load) -> FetchError:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if self._stopping.is_set() or self._closed:
            return _cancelled()
        if job.refused:
            return FetchError("address", f"not fetched: {job.refused}")
        if self._browser is None or not self._browser.is_connected():
            return FetchError(
                "browser",
                f"the browser crashed while loading {job.url} ({text}); "
                "it starts again for the next poll",
            )
        for marker, words in (
            ("ERR_NAME_NOT_RESOLVED", "the host name could not be resolved (DNS failure)"),
            (
                "ERR_CONNECTION_REFUSED",
                "the server refused the connection (nothing listens on that port)",
            ),
            ("Timeout", f"the browser did not finish the page in {self.timeout:g} s"),
        ):
            if marker in text:
                kind = "timeout" if marker == "Timeout" else "network"
                return FetchError(kind, words)
        return FetchError("browser", f"the browser could not load {job.url}: {text}")

    async def _mind_memory(self) -> None:
        """Past the ceiling, the browser is closed once no page is loading; the next starts
        afresh (cookies are put back)."""
        if self._browser is None:
            return
        used = await asyncio.to_thread(self.memory_bytes)
        if used > self.memory_mb * 1024 * 1024:
            self._over_ceiling = True
        if self._over_ceiling and self._in_flight == 0:
            self._over_ceiling = False
            _log.warning(
                "the browser holds {:.0f} MB, over browser_memory_mb = {}; restarting it",
                used / 1048576,
                self.memory_mb,
            )
            browser, self._browser, self._contexts = self._browser, None, {}
            with contextlib.suppress(Exception):
                await asyncio.wait_for(browser.close(), 5)
            self.restarts += 1

    async def _shutdown(self) -> None:
        browser, self._browser, self._contexts = self._browser, None, {}
        if browser is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(browser.close(), 3)
        if self._playwright is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._playwright.stop(), 3)
            self._playwright = None


def _cancelled() -> FetchError:
    return FetchError("cancelled", "the page load was cancelled because the monitor is stopping")


def _run_loop(loop: asyncio.AbstractEventLoop) -> None:
    asyncio.set_event_loop(loop)
    try:
        loop.run_forever()
    finally:
        with contextlib.suppress(Exception):
            loop.close()


def _close_at_exit(ref: weakref.ref[BrowserPool]) -> None:
    pool = ref()
    if pool is not None:
        pool.close(timeout=3)


def _reap(marker: str) -> None:
    root = _find_root(marker)
    if root is None:
        return
    pids = _tree(root) + [p for p in [_driver_of(root)] if p is not None]
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


# -- the browser's processes, from /proc (Linux) ------------------------------------------
def _find_root(marker: str) -> int | None:
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if marker.encode() in (entry / "cmdline").read_bytes():
                return int(entry.name)
        except OSError:
            continue
    return None


def _driver_of(root: int) -> int | None:
    """Playwright's driver: the first ancestor of the browser that is not the browser."""
    pid = root
    for _ in range(4):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            cmdline = Path(f"/proc/{parent}/cmdline").read_bytes()
        except (OSError, ValueError):
            return None
        if b"--monitor-browser-pool=" not in cmdline:
            return parent if b"playwright" in cmdline and parent != os.getpid() else None
        pid = parent
    return None


def _tree(root: int | None) -> list[int]:
    if root is None:
        return []
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def _pss(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        try:
            text = Path(f"/proc/{pid}/status").read_text().replace("VmRSS", "Pss")
        except OSError:
            return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0
