"""The one Settings object: `config/monitor.toml` (or `$MONITOR_CONFIG`), overridden by
`MONITOR_*` environment variables nested with `__` (`MONITOR_WEB__PORT=8080`).

`load_settings()` is the only reader. A wrong value raises `ConfigError` naming the
setting and whether it came from the file or the environment; components receive the
frozen object (or plain values from it) and never read the environment themselves.
"""

from __future__ import annotations

import contextlib
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from monitor.errors import ConfigError

DEFAULT_CONFIG = Path("config/monitor.toml")
ENV_PREFIX = "MONITOR_"


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _check_url(value: str, schemes: tuple[str, ...]) -> str:
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.hostname:
        raise ValueError(f"{value!r} is not a {'/'.join(schemes)} URL with a host")
    return value.rstrip("/")


def _check_hostports(value: str) -> str:
    for item in value.split(","):
        host, sep, port = item.strip().rpartition(":")
        if not sep or not host or not port.isdigit():
            raise ValueError(f"{item.strip()!r} is not host:port")
    return value


class KafkaSettings(_Section):
    bootstrap: str = "localhost:9092"
    partitions: int = Field(default=6, ge=1)
    replication: int = Field(default=1, ge=1)
    client_id: str = "announcement-monitor"
    # consumer-group timing: a member that stops polling for max_poll_interval_ms loses its
    # partitions to the others (Apache Kafka refuses sessions under 6 s by default)
    session_timeout_ms: int = Field(default=10_000, ge=100)
    heartbeat_interval_ms: int = Field(default=3_000, ge=50)
    max_poll_interval_ms: int = Field(default=300_000, ge=100)
    request_timeout_ms: int = Field(default=30_000, ge=100)

    _bootstrap = field_validator("bootstrap")(_check_hostports)


class ElasticsearchSettings(_Section):
    url: str = "http://localhost:9200"
    username: str | None = None
    password: SecretStr | None = None
    api_key: SecretStr | None = None
    index_prefix: str = "announcements"
    # "false": a batch is searchable at the next refresh (1 s by default) and the index
    # stage does not wait for it; "wait_for" makes each write wait (slower, read-your-writes)
    refresh: Literal["false", "wait_for", "true"] = "false"

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _check_url(value, ("http", "https"))


class SmtpSettings(_Section):
    host: str = "localhost"
    port: int = Field(default=25, ge=1, le=65535)
    username: str | None = None
    password: SecretStr | None = None
    starttls: bool = False
    tls: bool = False
    from_: str = Field(default="monitor@localhost", alias="from")

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


_DEFAULT_BASE_URL = "http://127.0.0.1:8000"


class WebSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    base_url: str = _DEFAULT_BASE_URL
    token: SecretStr | None = None
    # Host names the app answers to besides `host`, base_url's host and localhost; a page
    # elsewhere whose DNS name is rebound to this machine sends its own name and is refused.
    # "*" allows any. The environment variable takes a comma-separated list.
    allowed_hosts: Annotated[tuple[str, ...], NoDecode] = ()

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _check_url(value, ("http", "https"))

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _host_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(name.strip() for name in value.split(",") if name.strip())
        return value

    @model_validator(mode="after")
    def _base_url_follows_port(self) -> WebSettings:
        # The shipped base_url names the shipped port: with only web.port changed, links in
        # emails would point at a port nothing listens on. A base_url set on purpose stays.
        if self.base_url == _DEFAULT_BASE_URL and self.port not in (0, 8000):
            host = "127.0.0.1" if self.host in ("", "0.0.0.0", "::") else self.host
            host = f"[{host}]" if ":" in host else host
            object.__setattr__(self, "base_url", f"http://{host}:{self.port}")
        return self


class AlertSettings(_Section):
    to: str = ""
    rules: Path = Path("config/alerts.toml")

    @property
    def recipients(self) -> list[str]:
        return [a.strip() for a in self.to.split(",") if a.strip()]


class MetricsSettings(_Section):
    """Where a `monitor stage` process serves /metrics (the web app serves its own)."""

    host: str = "127.0.0.1"
    port: int = Field(default=9100, ge=0, le=65535)  # 0: no metrics endpoint


class FeedHealthConfig(_Section):
    """Thresholds of the feed-health alerts (`[feed_health]`, `MONITOR_FEED_HEALTH__*`).

    `failing_after`: a source failing for this many seconds is reported (the poller keeps
    retrying it with back-off regardless). A source is silent when nothing new was published
    for `silent_factor` times its usual gap between publications (the median of the last
    ones on record), and never before `silent_min`: a ministry page that published daily and
    has said nothing for three days is silent with the default factor of 3.
    """

    failing_after: float = Field(default=3600.0, ge=0)
    silent_factor: float = Field(default=3.0, gt=1)
    silent_min: float = Field(default=12 * 3600.0, ge=0)
    check_every: float = Field(default=60.0, gt=0)  # seconds between checks in the poller
    recipients: tuple[str, ...] = ()  # empty: alerts.to


class LogSettings(_Section):
    level: Literal["TRACE", "DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["text", "json"] = "text"

    @field_validator("level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value


class PipelineSettings(_Section):
    batch_size: int = Field(default=200, ge=1, le=10_000)
    batch_timeout: float = Field(default=0.2, gt=0, le=60)
    max_message_bytes: int = Field(default=5_000_000, ge=1024)
    retries: int = Field(default=4, ge=0, le=20)
    retention_hours: float = Field(default=168, gt=0)
    session_timeout: float = Field(default=10, gt=0)


class Settings(BaseSettings):
    """Everything configurable; the names are the contract of DESIGN.md."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        frozen=True,
        extra="forbid",
        populate_by_name=True,
    )

    data_dir: Path = Path("./var")
    bus: Literal["embedded", "kafka"] = "embedded"
    index: Literal["embedded", "elasticsearch"] = "embedded"
    feeds: Path = Path("config/feeds.toml")
    campaigns: Path = Path("config/campaigns.toml")
    kafka: KafkaSettings = KafkaSettings()
    elasticsearch: ElasticsearchSettings = ElasticsearchSettings()
    smtp: SmtpSettings = SmtpSettings()
    web: WebSettings = WebSettings()
    alerts: AlertSettings = AlertSettings()
    log: LogSettings = LogSettings()
    metrics: MetricsSettings = MetricsSettings()
    feed_health: FeedHealthConfig = FeedHealthConfig()
    pipeline: PipelineSettings = PipelineSettings()

    @field_validator("data_dir")
    @classmethod
    def _folder(cls, value: Path) -> Path:
        if value.exists() and not value.is_dir():
            raise ValueError(f"{value} is a file, not a folder")
        return value

    def origin(self, *loc: str) -> str:
        """Where a setting came from, for messages: "environment variable MONITOR_FEEDS='x'",
        "config/monitor.toml, feeds" or "default"."""
        bound = type(self).model_config.get("toml_file")
        path = bound if isinstance(bound, Path) else DEFAULT_CONFIG
        file_data: dict[str, Any] = {}
        if isinstance(bound, Path):
            # read once at load already; only the wording of the origin depends on it here
            with contextlib.suppress(OSError, ValueError):
                file_data = tomllib.loads(bound.read_text(encoding="utf-8"))
        return _origin(list(loc), os.environ, file_data, path)

    def require_files(self, *names: str) -> None:
        """Raise `ConfigError` naming each of these file settings (`feeds`, `campaigns`)
        whose file does not exist, and where the setting came from."""
        problems = [
            f"{name}: {getattr(self, name)} does not exist (from {self.origin(name)})"
            for name in names
            if not Path(getattr(self, name)).is_file()
        ]
        if problems:
            raise ConfigError("missing file:\n  " + "\n  ".join(problems))

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))


def load_settings(config: Path | str | None = None, **overrides: Any) -> Settings:
    """Read the settings once; raise `ConfigError` that names each wrong setting's origin.

    The file is `config`, else `$MONITOR_CONFIG`, else `config/monitor.toml` when it
    exists (the built-in defaults otherwise); `overrides` win over everything.
    """
    env = os.environ
    named = config or env.get("MONITOR_CONFIG")
    path = Path(named or DEFAULT_CONFIG)
    file_data: dict[str, Any] = {}
    if path.is_file():
        try:
            file_data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}") from None
        except OSError as exc:
            raise ConfigError(f"config file {path} cannot be read: {exc.strerror}") from None
    elif named and path.is_dir():
        raise ConfigError(f"config file {path} is a directory, not a settings file")
    elif named:
        raise ConfigError(f"config file {path} does not exist")

    # The file is bound through a subclass so that each load reads its own file.
    bound = type(
        "Settings",
        (Settings,),
        {
            "__module__": __name__,
            "model_config": {**Settings.model_config, "toml_file": path if file_data else None},
        },
    )
    try:
        settings: Settings = bound(**overrides)
    except ValidationError as exc:
        lines = [_describe(err, env, file_data, path) for err in exc.errors()]
        raise ConfigError("invalid settings:\n  " + "\n  ".join(lines)) from None
    return settings


def _describe(err: Any, env: Mapping[str, str], file_data: dict[str, Any], path: Path) -> str:
    loc = [str(p) for p in err["loc"]]
    dotted = ".".join(loc)
    message = "unknown setting" if err["type"] == "extra_forbidden" else err["msg"]
    message = message.removeprefix("Value error, ")
    return f"{dotted}: {message} (from {_origin(loc, env, file_data, path)})"


def _origin(loc: list[str], env: Mapping[str, str], file_data: dict[str, Any], path: Path) -> str:
    var = ENV_PREFIX + "__".join(p.upper() for p in loc)
    if var in env:
        return f"environment variable {var}={env[var]!r}"
    if _lookup(file_data, loc) is not _MISSING:
        section = f"[{'.'.join(loc[:-1])}] " if len(loc) > 1 else ""
        return f"{path}, {section}{loc[-1]}"
    return "default"


_MISSING = object()


def _lookup(data: dict[str, Any], loc: list[str]) -> Any:
    node: Any = data
    for part in loc:
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node
