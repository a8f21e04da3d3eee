"""The `monitor` command: the composition root that reads settings and wires the parts."""

from __future__ import annotations

import errno
import functools
import gc
import json
import signal
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any

import typer
from loguru import logger
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from monitor import logs
from monitor.errors import ConfigError, MonitorError, QuerySyntaxError
from monitor.feeds.cli import app as feeds_app
from monitor.settings import DEFAULT_CONFIG, Settings, load_settings

if TYPE_CHECKING:  # imported where used: the commands start faster
    from monitor.extract import Extractor
    from monitor.models import Article

app = typer.Typer(
    help="Monitor China's public-security announcements: campaigns, figures, search, alerts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(feeds_app, name="feeds")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="settings file (default config/monitor.toml)")
]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]


def _settings(config: Path | None, stage: str = "monitor", **overrides: Any) -> Settings:
    try:
        settings = load_settings(config, **overrides)
        if config is None and not overrides:
            settings = _follow_demo(settings)
    except ConfigError as exc:
        err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
        raise typer.Exit(2) from None
    logs.configure(settings.log, stage=stage)
    return settings


# commands that only read the index: while the demo runs they read its data (see _follow_demo)
_READERS = frozenset({"search", "campaigns"})
_invoked: dict[str, str | None] = {"command": None}


@app.callback()
def _root(context: typer.Context) -> None:
    _invoked["command"] = context.invoked_subcommand


def _follow_demo(settings: Settings) -> Settings:
    """While `monitor demo` runs on the default data folder, `search` and `campaigns` read the
    demo's folder (and say so), unless a data folder was chosen (MONITOR_DATA_DIR, --config)."""
    from monitor.demo import running_demo

    if _invoked["command"] not in _READERS:
        return settings
    if settings.origin("data_dir") not in ("default", f"{DEFAULT_CONFIG}, data_dir"):
        return settings
    folder = running_demo(settings.data_dir)
    if folder is None:
        return settings
    err.print(
        f"the demo is running: reading its data in {folder} "
        f"(MONITOR_DATA_DIR={settings.data_dir} reads the monitor's own)",
        highlight=False,
    )
    return load_settings(data_dir=folder)


@contextmanager
def _friendly_errors() -> Iterator[None]:
    try:
        yield
    except (ConfigError, QuerySyntaxError) as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None
    except MonitorError as exc:
        from monitor.ingest import IngestError

        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2 if isinstance(exc, IngestError) else 1) from None
    except OSError as exc:
        # the data folder or a file the settings name: unwritable, full, gone
        where = f": {exc.filename}" if exc.filename else ""
        err.print(f"[red]error:[/red] {exc.strerror or exc}{where}", highlight=False)
        raise typer.Exit(1) from None


def _stop_on_signals(stop: Any) -> None:
    """First SIGINT/SIGTERM asks to stop cleanly; a second one exits at once."""
    asked = {"n": 0}

    def handler(signum: int, frame: FrameType | None) -> None:
        asked["n"] += 1
        if asked["n"] > 1:
            err.print("stopping now, without waiting")
            raise SystemExit(130)
        err.print("stopping after the batch in hand (Ctrl+C again to force)")
        stop()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


# -- running ---------------------------------------------------------------------------
def _serve(
    settings: Settings, *, poll: bool = True, on_listening: Callable[[str], None] | None = None
) -> None:
    """Run every stage and the web app until a signal; `on_listening(url)` is called once the
    web app's port is bound (the demo's banner)."""
    import uvicorn

    from monitor.wiring import open_bus, open_index
    from pipelines.app import Pipeline

    class Server(uvicorn.Server):
        # uvicorn re-raises SIGINT/SIGTERM once it has stopped, which would kill the process
        # before the stages finish their batches; the CLI owns the signals instead.
        @contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    web = settings.web
    sock = _listen(web.host, web.port, "web.port / MONITOR_WEB__PORT")
    bus, index = open_bus(settings), open_index(settings)
    pipeline = Pipeline(settings, bus, index, poll=poll)
    application = _web_app(settings, index, bus)
    server = Server(
        uvicorn.Config(
            application,
            host=web.host,
            port=web.port,
            log_level="warning",
            timeout_graceful_shutdown=3,
        )
    )

    def stop() -> None:
        server.should_exit = True
        pipeline.stop()

    _stop_on_signals(stop)
    pipeline.start()
    logger.info("web app on {}", _address(sock))
    if on_listening is not None:
        on_listening(_address(sock))
    try:
        server.run(sockets=[sock])
    finally:
        logger.info("shutting down: finishing the batches in hand")
        pipeline.stop()
        pipeline.close()
        application.state.ops.close()
        application.state.saved.close()
        index.close()
        bus.close()
        logger.info("stopped")


def _listen(host: str, port: int, setting: str) -> socket.socket:
    """The web app's socket, bound before anything else starts, so that a port in use is a
    plain message naming the setting to change rather than an OS error after start-up."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise ConfigError(f"cannot listen on {host!r}: {exc.strerror} (web.host)") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise ConfigError(_bind_problem(exc, host, port, setting)) from None
    return sock


def _bind_problem(exc: OSError, host: str, port: int, setting: str) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"port {port} is in use ({setting}): another program listens there; "
            "stop it or choose a free port"
        )
    return f"cannot listen on {host}:{port}: {exc.strerror or exc} ({setting})"


def _address(sock: socket.socket) -> str:
    """The URL a browser on this machine opens for a listening socket."""
    host, port = sock.getsockname()[:2]
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _web_app(settings: Settings, index: Any, bus: Any = None) -> Any:
    """The web app, reporting the sizes of the index and dead letters on its /metrics."""
    from monitor import metrics
    from monitor.bus.base import DEAD_LETTER
    from monitor.ops.view import Ops
    from monitor.saved import open_saved_searches
    from monitor.web.app import create_app
    from monitor.web.security import hosts_of

    metrics.watch_backends(
        (lambda: bus.topic_size(DEAD_LETTER)) if bus is not None else None, index.count
    )
    token = settings.web.token.get_secret_value() if settings.web.token else None
    ops = Ops.of(settings, bus)  # with a bus: every stage is in this process (`monitor run`)
    ops.start()
    saved = open_saved_searches(settings)
    application = create_app(
        index,
        token=token,
        ops=ops,
        allowed_hosts=hosts_of(settings.web),
        campaigns_file=settings.campaigns,
        sources_file=settings.feeds,
        saved=saved,
    )
    # closed by whoever serves the app
    application.state.ops, application.state.saved = ops, saved
    return application


def _serve_metrics(settings: Settings) -> None:
    from monitor import metrics

    if not settings.metrics.port:
        return
    try:
        metrics.serve(settings.metrics.port, settings.metrics.host)
    except OSError as exc:
        raise ConfigError(
            _bind_problem(
                exc,
                settings.metrics.host,
                settings.metrics.port,
                "metrics.port / MONITOR_METRICS__PORT; 0 turns /metrics off",
            )
        ) from None
    logger.info("metrics on http://{}:{}/metrics", settings.metrics.host, settings.metrics.port)


@app.command()
def run(config: ConfigOption = None) -> None:
    """Every stage, the poller and the web app in one process (the embedded deployment)."""
    settings = _settings(config)
    with _friendly_errors():
        settings.require_files("feeds", "campaigns")
        _serve(settings)


@app.command()
def demo(
    config: ConfigOption = None,
    port: Annotated[int, typer.Option(help="port of the local sample-feed server (0: any)")] = 0,
) -> None:
    """Serve the bundled sample feeds locally and run the monitor on them, offline.

    Its data is kept in the demo folder of the data folder; `monitor search` and
    `monitor campaigns` read it while the demo runs."""
    from monitor.demo import announced, serve_feeds

    base = _settings(config)
    folder = base.data_dir / "demo"
    with _friendly_errors(), ExitStack() as stack:
        feeds_file = stack.enter_context(serve_feeds(folder, port=port))
        settings = _settings(config, feeds=feeds_file, data_dir=folder)
        settings.require_files("campaigns")

        def banner(url: str) -> None:
            stack.enter_context(announced(base.data_dir, folder, url))
            out.print(
                f"Demo: sample feeds served locally; open [bold]{url}[/bold] (Ctrl+C stops)\n"
                f"Its data is in {folder.resolve()}; `monitor search` and `monitor campaigns` "
                "read it while the demo runs.",
                highlight=False,
            )

        _serve(settings, on_listening=banner)


@app.command()
def web(config: ConfigOption = None) -> None:
    """The web app alone, over the index the settings name (the distributed deployment)."""
    import uvicorn

    from monitor.wiring import open_index, open_patiently

    settings = _settings(config, stage="web")
    with _friendly_errors():
        web = settings.web
        sock = _listen(web.host, web.port, "web.port / MONITOR_WEB__PORT")
        index = open_patiently(lambda: open_index(settings), "index")
        application = _web_app(settings, index)
        server = uvicorn.Server(
            uvicorn.Config(application, host=web.host, port=web.port, log_level="warning")
        )
        logger.info("web app on {}", _address(sock))
        try:
            server.run(sockets=[sock])
        finally:
            application.state.ops.close()
            application.state.saved.close()
            index.close()


@app.command()
def doctor(
    quiet: Annotated[bool, typer.Option("--quiet", help="print only problems")] = False,
    config: ConfigOption = None,
) -> None:
    """Check the config files, the data folder, the extractor, the bus, the index and SMTP.

    The settings, sources, campaigns and alert rules files, then each server, in plain words.
    Exits 1 when something fails; a note (an optional part that is off) is not a failure."""
    from monitor.doctor import run_checks

    settings = _settings(config, stage="doctor")
    checks = run_checks(settings)
    marks = {
        "ok": "[green]ok[/green]  ",
        "note": "[yellow]note[/yellow]",
        "fail": "[red]FAIL[/red]",
    }
    indent = " " * 18
    for check in checks:
        if check.status != "fail" and quiet:
            continue
        detail = check.detail.replace("\n", "\n" + indent)
        out.print(f"{marks[check.status]} {check.name:<12} {detail}", highlight=False)
        if check.status != "ok" and check.advice:
            out.print(f"{indent}what to do: {check.advice}", highlight=False)
    if not all(c.ok for c in checks):
        raise typer.Exit(1)


# the config files a stage cannot do without (the alert rules file is optional)
_FILES_OF_STAGE = {"poll": ("feeds",), "extract": ("campaigns",)}


@app.command()
def stage(
    name: Annotated[str, typer.Argument(help="poll, extract, index or alert")],
    config: ConfigOption = None,
) -> None:
    """Run one stage in this process (the distributed deployment runs one per process)."""
    from monitor.wiring import open_bus, open_index, open_patiently
    from pipelines.poll import build_poller
    from pipelines.stages import CONSUMER_STAGES, build_runner

    if name not in ("poll", *CONSUMER_STAGES):
        err.print(
            f"[red]error:[/red] unknown stage {name!r}; stages are poll, "
            f"{', '.join(CONSUMER_STAGES)}"
        )
        raise typer.Exit(2)
    settings = _settings(config, stage=name)
    with _friendly_errors():
        settings.require_files(*_FILES_OF_STAGE.get(name, ()))
        _serve_metrics(settings)
    with _friendly_errors():
        bus = open_patiently(lambda: open_bus(settings), "bus")
        if name == "poll":
            poller = build_poller(settings, bus.producer())
            _stop_on_signals(poller.stop)
            poller.start()
            signal.pause()
            poller.close()
            return
        index = open_patiently(lambda: open_index(settings), "index")
        runner = build_runner(name, settings, bus, index)
        _stop_on_signals(runner.stop)
        runner.run()
        index.close()
        bus.close()


@app.command()
def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(help="text files (title on the first line) or JSON lines of articles"),
    ],
    source: Annotated[str, typer.Option(help="source name recorded on each article")] = "ingest",
    config: ConfigOption = None,
) -> None:
    """Put article files through the pipeline (backfills); returns once they are searchable.

    Every good article is ingested; each refused line or file is named with the reason, and
    the exit status is 1 when anything was refused or dead-lettered (2: a path that is not a
    file, and nothing is ingested)."""
    from monitor.bus.base import RAW
    from monitor.ingest import IngestError, check_file, read_articles
    from monitor.wiring import open_bus, open_index

    settings = _settings(config, stage="ingest")
    # a mistyped path stops the backfill before anything is written
    unreadable = []
    for path in paths:
        try:
            check_file(path)
        except IngestError as exc:
            unreadable.append(str(exc))
    if unreadable:
        for problem in unreadable:
            err.print(f"[red]error:[/red] {problem}", highlight=False)
        raise typer.Exit(2)
    with _friendly_errors(), Progress(*_PROGRESS, console=err) as progress:
        bus = open_bus(settings)
        producer = bus.producer()
        sent: dict[str, str] = {}  # article id -> where it was read
        refused = 0
        task = progress.add_task("reading", total=len(paths))
        for path in paths:
            try:
                for entry in read_articles(path, source=source):
                    if entry.article is None:
                        refused += 1
                        err.print(f"refused {entry.where}: {entry.refused}", highlight=False)
                        continue
                    producer.produce(RAW, entry.article.to_json(), entry.article.id)
                    sent[entry.article.id] = entry.where
                    if len(sent) % 500 == 0:
                        producer.flush()
            except IngestError as exc:
                refused += 1
                err.print(f"refused {exc}", highlight=False)
            progress.advance(task)
        producer.flush()
        if settings.bus != "embedded":
            progress.stop()
            out.print(
                f"produced {len(sent)} articles to {RAW}"
                + (f", refused {refused}" if refused else "")
                + "; the running stages index them"
            )
            bus.close()
            if refused:
                raise typer.Exit(1)
            return
        index = open_index(settings)
        dead = {key: why for key, why in _drain(settings, bus, index, progress) if key in sent}
        progress.stop()
        for key, why in dead.items():
            err.print(f"dead-lettered {sent[key]}: {why}", highlight=False)
        ingested = len(sent) - len(dead)
        problems = (f", refused {refused}" if refused else "") + (
            f", dead-lettered {len(dead)}" if dead else ""
        )
        out.print(f"ingested {ingested} articles{problems}; the index holds {index.count()}")
        index.close()
        bus.close()
    if refused or dead:
        raise typer.Exit(1)


_PROGRESS = (
    TextColumn("{task.description}"),
    BarColumn(),
    MofNCompleteColumn(),
    TimeElapsedColumn(),
)


def _drain(settings: Settings, bus: Any, index: Any, progress: Progress) -> list[tuple[str, str]]:
    """Run the extract and index stages here until the topics are empty (embedded bus).

    Returns the key of each message a stage dead-lettered, with the stage and the reason."""
    from pipelines.runner import Poison
    from pipelines.stages import build_runner

    runners = [build_runner(n, settings, bus, index) for n in ("extract", "index")]
    dead: list[tuple[str, str]] = []

    def stop() -> None:
        for runner in runners:
            runner.stop()

    def on_batch(task: Any, stage: str, records: Any, results: Any) -> None:
        progress.advance(task, len(records))
        for record, result in zip(records, results, strict=True):
            if isinstance(result, Poison) and record.key:
                dead.append((record.key, f"{result.reason} (stage {stage})"))

    _stop_on_signals(stop)
    for runner in runners:
        lag = sum(runner.consumer.lag().values())
        task = progress.add_task(f"{runner.stage.name:<8}", total=lag)
        runner.on_batch = functools.partial(on_batch, task, runner.stage.name)
        runner.drain(idle_batches=2)
        left = sum(runner.consumer.lag().values())
        runner.close()
        if left:
            err.print(
                f"{left} messages wait for stage {runner.stage.name}: another "
                "monitor process holds it and will process them"
            )
    return dead


# -- reading ---------------------------------------------------------------------------
@app.command()
def search(
    query: Annotated[str, typer.Argument(help='words, "phrases", AND/OR/NOT, field:value')] = "",
    campaign: Annotated[list[str] | None, typer.Option(help="only this campaign")] = None,
    region: Annotated[list[str] | None, typer.Option()] = None,
    agency: Annotated[list[str] | None, typer.Option()] = None,
    measure: Annotated[list[str] | None, typer.Option()] = None,
    source: Annotated[
        list[str] | None, typer.Option(help="source id, as `monitor feeds list` shows it")
    ] = None,
    lang: Annotated[list[str] | None, typer.Option()] = None,
    crime_type: Annotated[list[str] | None, typer.Option("--crime-type")] = None,
    level: Annotated[
        list[str] | None,
        typer.Option(help="issuing level of the article: ministry, province, city or press"),
    ] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help="2021-03-01 or an ISO 8601 time")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", metavar="DATE", help="inclusive; a date is its whole day")
    ] = None,
    sort: Annotated[str, typer.Option(help="relevance or date")] = "relevance",
    size: Annotated[str, typer.Option(metavar="N", help="results per page, 0 to 100")] = "10",
    page: Annotated[str, typer.Option(metavar="N", help="page of results, 1 to 1000")] = "1",
    all_: Annotated[bool, typer.Option("--all", help="include items judged not relevant")] = False,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Search the index from the terminal."""
    from monitor.campaign_names import CampaignNames
    from monitor.index.highlight import strip_marks
    from monitor.index.selection import CLI, BadInput, search_request
    from monitor.source_names import chosen_levels
    from monitor.web.service import search as search_service
    from monitor.wiring import open_index

    settings = _settings(config)
    filters = {
        "campaign": campaign,
        "region": region,
        "agency": agency,
        "measure": measure,
        "source": source,
        "lang": lang,
        "crime_type": crime_type,
    }
    with _friendly_errors():
        try:
            request = search_request(
                query, filters, date_from, date_to, sort, page, size, all_, names=CLI
            )
            levels = chosen_levels(level)
        except BadInput as exc:  # the same checks and words as the web app's
            raise QuerySyntaxError(str(exc)) from None
        index = open_index(settings)
        # as the web app searches: campaign names in either script, the issuing levels
        result = search_service(
            index, request, names=CampaignNames.load(settings.campaigns), levels=levels
        )
    if as_json:
        out.print_json(result.model_dump_json())
        return
    out.print(f"{result.total} result{'s' if result.total != 1 else ''} ({result.took_ms:.0f} ms)")
    for hit in result.hits:
        date = hit.published_at.strftime("%Y-%m-%d") if hit.published_at else "          "
        out.print(f"[bold]{hit.title}[/bold]", highlight=False)
        out.print(
            f"  {date}  {hit.source}  {', '.join(hit.campaigns)}  id={hit.id}",
            style="dim",
            highlight=False,
        )
        out.print(f"  {strip_marks(hit.snippet_html)}", highlight=False)


@app.command()
def campaigns(as_json: JsonOption = False, config: ConfigOption = None) -> None:
    """Campaigns seen so far: first seen, article count, latest figures."""
    from monitor.terminal import campaigns_table
    from monitor.wiring import open_index

    settings = _settings(config)
    with _friendly_errors():
        found = open_index(settings).campaigns()
    if as_json:
        out.print_json(json.dumps([c.model_dump(mode="json") for c in found], ensure_ascii=False))
        return
    if not found:
        out.print(f"no campaigns yet in the index of {settings.data_dir}")
        return
    out.print(campaigns_table(found))


_EXTRACT_BLOCK = 64  # articles read, extracted and written together by `monitor extract --json`


def _write_extractions(
    extractor: Extractor, articles: list[tuple[str, Article]], as_json: bool, flush: bool
) -> None:
    """Extract each (where, article) and print a table each, or write a JSON line each."""
    from monitor.terminal import extraction_view

    extracted = [(where, article, extractor.extract(article)) for where, article in articles]
    if not as_json:
        for where, article, extraction in extracted:
            out.print(extraction_view(where, article, extraction))
        return
    sys.stdout.write(
        "".join(
            f'{{"file": {json.dumps(where, ensure_ascii=False)}, '
            f'"extraction": {extraction.model_dump_json()}}}\n'
            for where, _, extraction in extracted
        )
    )
    if flush:
        sys.stdout.flush()


@app.command("extract")
def extract_files(
    # strings, made paths below: typer would build a pydantic validator for every Path given,
    # which over thousands of files cost more than reading them
    paths: Annotated[
        list[str], typer.Argument(help="text files (title on the first line) or JSON lines")
    ],
    as_json: Annotated[
        bool,
        typer.Option("--json", help='one JSON object per file, {"file": ..., "extraction": {...}}'),
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Extraction only, nothing stored: a table per file, or JSON lines with --json.

    The table shows campaigns, agencies, regions and figures. A file that cannot be read is
    named on stderr, the others are still extracted, and the exit status is 2."""
    from monitor.extract import Extractor
    from monitor.ingest import IngestError, read_articles

    settings = _settings(config)
    failed = False
    with _friendly_errors():
        extractor = Extractor(settings.campaigns)
        # what start-up built (modules, the extractor's tables) lives to the end: the collector's
        # full passes, which the first Chinese text's tables set off, need not walk it again
        gc.freeze()
        # a terminal sees each file's line at once; a pipe gets them in blocks of articles, each
        # read, then extracted, then written: one kind of work at a time keeps the processor's
        # caches warm for it (reading between extractions cost twice what it does alone)
        flush = sys.stdout.isatty() or not as_json
        block = 1 if flush else _EXTRACT_BLOCK
        articles: list[tuple[str, Article]] = []
        for name in paths:
            try:
                entries = list(read_articles(Path(name)))
            except IngestError as exc:
                err.print(f"[red]error:[/red] {exc}", highlight=False)
                failed = True
                continue
            for entry in entries:
                if entry.article is None:
                    err.print(f"[red]error:[/red] {entry.where}: {entry.refused}", highlight=False)
                    failed = True
                    continue
                articles.append((entry.where, entry.article))
                if len(articles) >= block:
                    _write_extractions(extractor, articles, as_json, flush)
                    articles = []
        _write_extractions(extractor, articles, as_json, flush)
    if failed:
        raise typer.Exit(2)


@app.command("eval")
def evaluate_extraction(
    gold: Annotated[
        Path,
        typer.Argument(
            help="a gold file (JSON list, one object per text), or a folder holding corpus/ "
            "and gold*.json"
        ),
    ],
    corpus: Annotated[
        Path | None, typer.Argument(help="folder of the annotated texts (with a gold file)")
    ] = None,
    scripts: Annotated[
        bool,
        typer.Option(
            "--scripts",
            help="instead of scores: how far the folder's simplified Chinese texts, converted "
            "to Hong Kong and Taiwan traditional script, give the same extraction",
        ),
    ] = False,
    as_json: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Precision, recall and F1 of the extraction against gold annotations.

    With one folder (corpus/ and gold*.json): scores overall and by class (English, Chinese
    simplified, Chinese traditional, negatives).
    """
    from monitor.extract import Extractor
    from monitor.extract.evaluate import evaluate, evaluate_folder

    settings = _settings(config)
    folder = corpus is None
    if folder and not gold.is_dir():
        err.print(
            f"[red]error:[/red] {gold}: not a folder holding corpus/ and gold*.json "
            "(or give a gold file and the folder of its texts)",
            highlight=False,
        )
        raise typer.Exit(2)
    if corpus is not None and not corpus.is_dir():
        err.print(f"[red]error:[/red] {corpus}: not a folder of text files", highlight=False)
        raise typer.Exit(2)
    if scripts and not folder:
        err.print("[red]error:[/red] --scripts takes one folder, not GOLD CORPUS", highlight=False)
        raise typer.Exit(2)
    report: Any
    with _friendly_errors():
        extractor = Extractor(settings.campaigns)
        if scripts:
            from monitor.extract.agreement import script_agreement

            report = script_agreement(gold, extractor)
        elif corpus is None:
            report = evaluate_folder(gold, extractor)
        else:
            report = evaluate(gold, corpus, extractor)
        if not scripts and not report.documents:
            raise ConfigError(f"{gold}: no annotated documents in the gold file")
    if as_json:
        out.print_json(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        out.print(report.render(), highlight=False, markup=False)


@app.command()
def replay(
    force: Annotated[
        bool, typer.Option(help="re-extract every article, not only older ones")
    ] = False,
    config: ConfigOption = None,
) -> None:
    """Re-extract and re-index stored articles after an extractor upgrade; store each one's
    issuing level from its source's level in the sources file and what it names."""
    from monitor import issuer
    from monitor.extract import Extractor
    from monitor.feeds.sources import load_feeds
    from monitor.models import Article, EnrichedArticle
    from monitor.wiring import open_index

    settings = _settings(config, stage="replay")
    with _friendly_errors():
        declared = {s.id: s.level for s in load_feeds(settings.feeds).source if s.level}
        index = open_index(settings)
        extractor = Extractor(settings.campaigns, is_known=index.campaign_known)
        total = index.count()
        seen = changed = levels = 0
        pending: list[tuple[EnrichedArticle, bool]] = []

        def write() -> int:
            """Writes what is pending; the number of articles written for their level alone."""
            outcomes = index.upsert_many([doc for doc, _ in pending])
            alone = [o for (_, fresh), o in zip(pending, outcomes, strict=True) if not fresh]
            pending.clear()
            return sum(o != "unchanged" for o in alone)

        with Progress(*_PROGRESS, console=err) as progress:
            task = progress.add_task("replaying", total=total)
            for doc in index.iter_articles():
                seen += 1
                progress.advance(task)
                outdated = force or doc.extraction.extractor_version != extractor.version
                if outdated:
                    article = Article.model_validate(doc.model_dump(exclude={"extraction"}))
                    fresh = EnrichedArticle.of(article, extractor.extract(article))
                    fresh = fresh.model_copy(update={"source_level": doc.source_level})
                    if fresh.extraction.model_dump(exclude={"extractor_version"}) != (
                        doc.extraction.model_dump(exclude={"extractor_version"})
                    ):
                        changed += 1
                    doc = fresh
                # every article: the index writes those whose issuing level is not stored yet
                pending.append((issuer.stamped(doc, declared), outdated))
                if len(pending) >= 200:
                    levels += write()
            if pending:
                levels += write()
        out.print(
            f"replayed {seen:,} articles with extractor {extractor.version}: "
            f"{changed:,} changed what was extracted, {levels:,} more had their issuing level "
            "brought up to date"
        )
        index.close()


def main() -> None:
    if sys.argv[1:] in ([], ["--help"]):
        app.info.epilog = _where_data_lives()
    app()


def _where_data_lives() -> str:
    """The data folder, for `monitor --help`: the demo's is a different one."""
    try:
        settings = load_settings()
    except ConfigError:
        return ""  # the command itself says what is wrong
    data = settings.data_dir.resolve()
    return (
        f"Data folder: {data} (data_dir, from {settings.origin('data_dir')}). "
        f"`monitor demo` keeps its data in {data / 'demo'}; search and campaigns read that "
        "one while the demo runs."
    )


if __name__ == "__main__":
    main()
