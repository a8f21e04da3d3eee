"""Settings: file, environment, and errors that name the wrong setting and where it came from."""

from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.settings import load_settings


def test_defaults_and_file(tmp_path: Path) -> None:
    cfg = tmp_path / "m.toml"
    cfg.write_text('bus = "embedded"\n[web]\nport = 9001\n')
    s = load_settings(cfg)
    assert s.web.port == 9001
    assert s.web.host == "127.0.0.1"
    assert s.kafka.bootstrap == "localhost:9092"


def test_environment_overrides_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "m.toml"
    cfg.write_text("[web]\nport = 9001\n")
    monkeypatch.setenv("MONITOR_WEB__PORT", "9002")
    monkeypatch.setenv("MONITOR_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("MONITOR_ALERTS__TO", "a@example.org, b@example.org")
    s = load_settings(cfg)
    assert s.web.port == 9002
    assert s.data_dir == tmp_path / "d"
    assert s.alerts.recipients == ["a@example.org", "b@example.org"]


def test_settings_are_frozen(tmp_path: Path) -> None:
    s = load_settings()
    with pytest.raises(Exception, match="frozen"):
        s.bus = "kafka"  # type: ignore[misc]


def test_wrong_env_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONITOR_BUS", "rabbitmq")
    with pytest.raises(ConfigError) as exc:
        load_settings()
    assert "bus" in str(exc.value)
    assert "environment variable MONITOR_BUS='rabbitmq'" in str(exc.value)


def test_wrong_file_value_names_the_file_and_key(tmp_path: Path) -> None:
    cfg = tmp_path / "m.toml"
    cfg.write_text('[elasticsearch]\nurl = "not a url"\n')
    with pytest.raises(ConfigError) as exc:
        load_settings(cfg)
    message = str(exc.value)
    assert "elasticsearch.url" in message
    assert f"{cfg}, [elasticsearch] url" in message


def test_typo_in_file_is_an_unknown_setting(tmp_path: Path) -> None:
    cfg = tmp_path / "m.toml"
    cfg.write_text("[web]\nprot = 80\n")
    with pytest.raises(ConfigError, match=r"web.prot: unknown setting"):
        load_settings(cfg)


def test_broken_toml_and_missing_file(tmp_path: Path) -> None:
    cfg = tmp_path / "m.toml"
    cfg.write_text("[web\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(cfg)
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml")


def test_kafka_bootstrap_must_be_host_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONITOR_KAFKA__BOOTSTRAP", "kafka")
    with pytest.raises(ConfigError, match="MONITOR_KAFKA__BOOTSTRAP"):
        load_settings()


def test_base_url_follows_a_changed_port_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONITOR_WEB__PORT", "8123")
    assert load_settings().web.base_url == "http://127.0.0.1:8123"
    monkeypatch.setenv("MONITOR_WEB__BASE_URL", "https://monitor.example.org")
    assert load_settings().web.base_url == "https://monitor.example.org"


def test_origin_names_where_a_setting_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = tmp_path / "m.toml"
    cfg.write_text('feeds = "elsewhere.toml"\n')
    monkeypatch.setenv("MONITOR_CAMPAIGNS", str(tmp_path / "c.toml"))
    s = load_settings(cfg)
    assert s.origin("feeds") == f"{cfg}, feeds"
    assert s.origin("campaigns") == f"environment variable MONITOR_CAMPAIGNS='{tmp_path}/c.toml'"
    assert s.origin("web", "port") == "default"
    with pytest.raises(ConfigError) as exc:
        s.require_files("feeds", "campaigns")
    assert str(exc.value).splitlines()[1:] == [
        f"  feeds: elsewhere.toml does not exist (from {cfg}, feeds)",
        f"  campaigns: {tmp_path}/c.toml does not exist "
        f"(from environment variable MONITOR_CAMPAIGNS='{tmp_path}/c.toml')",
    ]
