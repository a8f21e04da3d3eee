"""`monitor feeds list | add URL | check URL|ID | verify`: see, add and try sources.

`list` and `check` only read the state store, `verify` does not touch it; `add` appends to
the sources file after fetching and validating the URL. Errors are printed in plain words;
only this module decides exit codes (2: bad configuration, 1: a source failed).
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import typer
from rich.console import Console
from rich.table import Table

from monitor import logs
from monitor.errors import ConfigError
from monitor.feeds.encoding import decode
from monitor.feeds.fetch import FetchError, fetch, make_client
from monitor.feeds.fulltext import FullTextFetcher
from monitor.feeds.html_list import parse_list_page
from monitor.feeds.parse import NotAFeed, parse_feed
from monitor.feeds.source_poll import Outcome, SourcePoller
from monitor.feeds.sources import (
    FeedsFile,
    PollerLimits,
    Selectors,
    Source,
    load_feeds,
    render_source,
)
from monitor.feeds.state import STATE_FILE, SourceState, SqliteStateStore
from monitor.feeds.transport import Reach
from monitor.feeds.verify import Verified, Verifier
from monitor.settings import Settings, load_settings

app = typer.Typer(help="Manage and test the sources the poller watches.", no_args_is_help=True)


def _out() -> Console:
    # Made per call so COLUMNS and redirection are read when the command runs.
    return Console(soft_wrap=True)


def _err() -> Console:
    return Console(stderr=True, soft_wrap=True)


def _load() -> tuple[Settings, FeedsFile]:
    try:
        settings = load_settings()
        return settings, load_feeds(settings.feeds)
    except ConfigError as exc:
        _err().print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(2) from None


def _ago(ts: float | None, now: float) -> str:
    if not ts:
        return "never"
    delta = ts - now
    span = abs(delta)
    text = (
        f"{span:.0f} s"
        if span < 90
        else f"{span / 60:.0f} min"
        if span < 5400
        else f"{span / 3600:.1f} h"
        if span < 172800
        else f"{span / 86400:.0f} d"
    )
    return f"in {text}" if delta > 0 else f"{text} ago"


def _status(source: Source, state: SourceState | None) -> str:
    if not source.enabled:
        return "[dim]disabled[/dim]"
    if state is None or state.last_attempt is None:
        return "not polled yet"
    if state.failures:
        return f"[red]failing ({state.failures}x)[/red]"
    return "[yellow]ok, with warnings[/yellow]" if state.notes else "[green]ok[/green]"


@app.command("list")
def list_sources() -> None:
    """A table of the sources with their health and when each is polled next."""
    settings, feeds = _load()
    store = SqliteStateStore(settings.data_dir / STATE_FILE, readonly=True)
    states = store.all()
    store.close()
    now = time.time()
    table = Table(title=f"Sources in {settings.feeds}", show_lines=False)
    for column in ("source", "status", "last success", "last error", "items", "next poll"):
        table.add_column(column, overflow="fold")
    for source in feeds.source:
        state = states.get(source.id)
        problem = (
            state.last_error
            if state and state.last_error
            else f"[yellow]{state.notes}[/yellow]"
            if state and state.notes
            else ""
        )
        how = ", ".join(
            part
            for part in (
                source.kind,
                "in the browser" if source.render == "browser" else "",
                source.level or "",
            )
            if part
        )
        table.add_row(
            f"{source.id}\n[dim]{source.name} ({how})[/dim]",
            _status(source, state),
            _ago(state.last_success if state else None, now),
            problem,
            str(state.items if state else 0),
            "-"
            if not source.enabled
            else "at start"
            if not state or not state.next_poll
            else _ago(state.next_poll, now),
        )
    enabled = sum(1 for source in feeds.source if source.enabled)
    table.caption = f"{enabled} of {len(feeds.source)} sources enabled"
    Console(width=max(Console().width, 120)).print(table)
    if not feeds.source:
        _out().print(f"No sources in {settings.feeds}; add one with `monitor feeds add URL`.")


def _detect(
    url: str, limits: PollerLimits, selectors: Selectors | None
) -> tuple[str, str, str, str, list[str]]:
    """(kind, final url, title, language, notes) for a URL, or raise `NotAFeed`/`FetchError`."""
    notes: list[str] = []
    with make_client(limits.user_agent, limits.timeout, 2, limits.max_redirects) as client:
        result = fetch(client, url, max_bytes=limits.max_bytes)
        decoded = decode(result.content, result.content_type)
        if selectors is not None:
            entries = parse_list_page(decoded.text, result.url, selectors)
            notes.append(f"the selectors found {len(entries)} items, e.g. {entries[0].title!r}")
            return "html", url, "", "", notes
        try:
            parsed = parse_feed(decoded, result.url, result.content_type)
        except NotAFeed as exc:
            if not exc.feed_link:
                raise
            notes.append(
                f"{url} is a page; it advertises the feed {exc.feed_link}, which is added instead"
            )
            url = exc.feed_link
            # The page's link is the page's word, not the operator's: same rules as entry links.
            reach = Reach(own=frozenset({result.address} if result.address else ()))
            result = fetch(client, url, max_bytes=limits.max_bytes, reach=reach)
            decoded = decode(result.content, result.content_type)
            parsed = parse_feed(decoded, result.url, result.content_type)
        notes += parsed.problems
        notes.append(
            f"a {parsed.format} feed with {len(parsed.entries)} entries, read as {decoded.encoding}"
        )
        return "feed", url, parsed.title, parsed.language, notes


@app.command("add")
def add(
    url: Annotated[str, typer.Argument(help="the feed, or a page that advertises one")],
    id: Annotated[
        str | None, typer.Option("--id", help="source id (default: from the host)")
    ] = None,
    name: Annotated[str | None, typer.Option(help="display name (default: the feed title)")] = None,
    lang: Annotated[str, typer.Option(help="en, zh or auto")] = "auto",
    interval: Annotated[float, typer.Option(help="seconds between polls")] = 300,
    fulltext: Annotated[str, typer.Option(help="auto, always or never")] = "auto",
    item: Annotated[
        str | None,
        typer.Option(
            help="CSS selector of each item on a list page without a feed (makes an html source)"
        ),
    ] = None,
    link: Annotated[str, typer.Option(help="selector of the link inside an item")] = "a",
    title: Annotated[str, typer.Option(help="selector of the title inside an item")] = "",
    date: Annotated[str, typer.Option(help="selector of the date inside an item")] = "",
) -> None:
    """Fetch URL, detect a feed or a list page, validate it, and append it to the sources file."""
    settings, feeds = _load()
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        _err().print(
            f"[red]Not added: {url!r} is not a web address; give an http(s) URL.[/red]",
            highlight=False,
        )
        raise typer.Exit(2)
    selectors = Selectors(item=item, link=link, title=title, date=date) if item else None
    try:
        kind, final_url, found_title, found_lang, notes = _detect(url, feeds.poller, selectors)
    except (FetchError, NotAFeed) as exc:
        _err().print(f"[red]Not added: {exc}[/red]", highlight=False)
        if isinstance(exc, NotAFeed) and "advertises no feed" in str(exc):
            _err().print(
                "For a list page without a feed, give --item (and --link, --title, "
                "--date) CSS selectors."
            )
        raise typer.Exit(1) from None
    if any(s.url == final_url for s in feeds.source):
        _err().print(f"[red]Not added: {final_url} is already a source.[/red]", highlight=False)
        raise typer.Exit(1)
    source_id = id or _id_for(final_url, {s.id for s in feeds.source})
    if found_lang.startswith("zh") and lang == "auto":
        lang = "zh"
    elif found_lang.startswith("en") and lang == "auto":
        lang = "en"
    try:
        source = Source.model_validate(
            {
                "id": source_id,
                "name": name or found_title or source_id,
                "url": final_url,
                "kind": kind,
                "lang": lang,
                "interval": interval,
                "fulltext": fulltext,
                "selectors": selectors,
            }
        )
    except ValueError as exc:
        _err().print(f"[red]Not added: {exc}[/red]", highlight=False)
        raise typer.Exit(2) from None
    path = Path(settings.feeds)
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(before + render_source(source), encoding="utf-8")
    try:
        load_feeds(path)
    except ConfigError as exc:
        path.write_text(before, encoding="utf-8")
        _err().print(f"[red]Not added, the file would not load: {exc}[/red]", highlight=False)
        raise typer.Exit(2) from None
    for note in notes:
        _out().print(f"- {note}", highlight=False)
    _out().print(f"Added [bold]{source.id}[/bold] ({kind}) to {path}.")


def _id_for(url: str, taken: set[str]) -> str:
    host = (urlsplit(url).hostname or "source").removeprefix("www.")
    base = host.replace(".", "-")[:60]
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


@app.command("check")
def check(
    target: Annotated[str, typer.Argument(help="a source id from the sources file, or a URL")],
    item: Annotated[
        str | None, typer.Option(help="treat URL as a list page: item selector")
    ] = None,
    show: Annotated[int, typer.Option(help="how many would-be articles to list")] = 10,
) -> None:
    """One dry-run poll: what the source would emit now, in plain words. Writes nothing."""
    settings, feeds = _load()
    source = next((s for s in feeds.source if s.id == target), None)
    if source is None:
        if "://" not in target:
            _err().print(
                f"[red]{target!r} is neither a source id in {settings.feeds} nor a URL.[/red]",
                highlight=False,
            )
            raise typer.Exit(2)
        try:
            source = Source(
                id="check",
                name=target,
                url=target,
                kind="html" if item else "feed",
                selectors=Selectors(item=item) if item else None,
            )
        except ValueError as exc:
            _err().print(f"[red]{exc}[/red]", highlight=False)
            raise typer.Exit(2) from None
    limits = feeds.poller
    store = SqliteStateStore(settings.data_dir / STATE_FILE, readonly=True)
    with make_client(limits.user_agent, limits.timeout, 4, limits.max_redirects) as client:
        poller = SourcePoller(
            client=client,
            store=store,
            producer=None,
            limits=limits,
            fulltext=FullTextFetcher(
                client,
                concurrency=limits.fulltext_concurrency,
                timeout=limits.fulltext_timeout,
                max_bytes=limits.max_bytes,
            ),
        )
        try:
            outcome = poller.poll(source, dry_run=True)
        finally:
            poller.close()
    store.close()
    _report(source, outcome, show)
    if outcome.status == "failed":
        raise typer.Exit(1)


def _report(source: Source, o: Outcome, show: int) -> None:
    _out().print(f"[bold]{source.id}[/bold] {source.url}", highlight=False)
    if o.status == "failed":
        _out().print(f"[red]The poll would fail: {o.error}[/red]", highlight=False)
        return
    new = o.emitted - o.changed
    _out().print(
        f"{o.entries} entries (read as {o.encoding or 'n/a'}). It would emit "
        f"{o.emitted} articles: {new} new, {o.changed} changed; {o.duplicates} already "
        f"came from another source; the rest were seen before.",
        highlight=False,
    )
    for problem in o.problems:
        _out().print(f"[yellow]- {problem}[/yellow]", highlight=False)
    for a in o.articles[:show]:
        when = a.published_at.strftime("%Y-%m-%d %H:%M UTC") if a.published_at else "no date"
        text = f"full text {len(a.body)} chars" if a.body else "summary only"
        _out().print(f"  • [{a.lang}] {a.title}  ({when}; {text})\n    {a.url}", highlight=False)
    if len(o.articles) > show:
        _out().print(f"  … and {len(o.articles) - show} more", highlight=False)
    if o.next_poll:
        _out().print(f"The poller would look again {_ago(o.next_poll, time.time())}.")


@app.command("verify")
def verify(
    only: Annotated[
        list[str] | None,
        typer.Option("--source", help="verify only this source id (repeat for more)"),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="one JSON object per source, for machines")
    ] = False,
) -> None:
    """Poll every enabled source once, now, and say for each whether it works.

    Nothing is written: no feed state, nothing on the bus. One line per source: ok or why
    it fails, entries found, the newest entry's date, whether the full text of the newest
    entry came out, and whether the source is read in the browser. Exit 1 when a source fails.
    """
    settings, feeds = _load()
    # The lines below say what the poller found; its own log would say it twice.
    logs.configure(settings.log.model_copy(update={"level": "WARNING"}), stage="verify")
    by_id = {s.id: s for s in feeds.source}
    unknown = [i for i in only or () if i not in by_id]
    if unknown:
        _err().print(
            f"[red]Not a source id in {settings.feeds}: {', '.join(unknown)}[/red]",
            highlight=False,
        )
        raise typer.Exit(2)
    chosen = (
        [by_id[i] for i in dict.fromkeys(only)] if only else [s for s in feeds.source if s.enabled]
    )
    if not chosen:
        _err().print(f"No enabled sources in {settings.feeds}; nothing to verify.")
        return
    err, out = _err(), _out()
    skipped = len(feeds.source) - len(chosen) if not only else 0
    err.print(
        f"Polling {len(chosen)} source{'s' if len(chosen) != 1 else ''} once, up to "
        f"{min(feeds.poller.max_concurrent, len(chosen))} at a time; nothing is written."
        + (f" ({skipped} disabled not polled.)" if skipped else ""),
        highlight=False,
    )
    finished = [0]
    lock = threading.Lock()

    def progress(v: Verified) -> None:
        with lock:
            finished[0] += 1
            state = "ok" if v.ok else "fails"
            err.print(
                f"[{finished[0]}/{len(chosen)}] {v.source.id}: {state} ({v.seconds:.1f} s)",
                highlight=False,
                markup=False,
            )

    width = max(len(s.id) for s in chosen)
    failed: list[str] = []
    verifier = Verifier(feeds.poller)
    try:
        for v in verifier.run(chosen, progress):
            if not v.ok:
                failed.append(v.source.id)
            if as_json:
                print(json.dumps(v.to_json(), ensure_ascii=False), flush=True)
            else:
                out.print(_verified_line(v, width), highlight=False, markup=False)
    except KeyboardInterrupt:
        err.print("Stopped; the sources not listed above were not verified.")
        raise typer.Exit(130) from None
    finally:
        verifier.close()
    works = len(chosen) - len(failed)
    err.print(
        f"{works} of {len(chosen)} source{'s' if len(chosen) != 1 else ''} work"
        + (f"; failing: {', '.join(failed)}" if failed else "."),
        highlight=False,
        markup=False,
    )
    if failed:
        raise typer.Exit(1)


_FULL_TEXT = {
    "in_feed": "full text in the feed",
    "off": "full text not fetched (fulltext = never)",
    "no_entries": "",
}


def _verified_line(v: Verified, width: int) -> str:
    """One line: status, id, then what the poll found, in words."""
    how = "browser" if v.browser else "http"
    if not v.ok:
        return f"FAIL  {v.source.id:<{width}}  {v.error} [{how}]"
    parts = [f"{v.entries} entr{'y' if v.entries == 1 else 'ies'}"]
    if v.entries:
        parts.append(
            f"newest {v.newest.strftime('%Y-%m-%d %H:%M UTC')}" if v.newest else "entries undated"
        )
    if v.full_text == "fetched":
        parts.append(f"full text yes ({v.full_text_chars:,} characters)")
    elif v.full_text in ("failed", "no_link"):
        parts.append(f"full text NO: {v.full_text_error}")
    elif _FULL_TEXT[v.full_text]:
        parts.append(_FULL_TEXT[v.full_text])
    if v.problems:
        parts.append("warnings: " + "; ".join(v.problems))
    return f"ok    {v.source.id:<{width}}  {', '.join(parts)} [{how}]"
