"""The distributed deployment's files, checked for what a user relies on (no Docker engine runs
here): every service, image, health check, the settings each stage gets, ports on loopback."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from monitor.settings import load_settings
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


STAGES = {
    "poll": ["stage", "poll"],
    "extract": ["stage", "extract"],
    "index": ["stage", "index"],
    "alert": ["stage", "alert"],
    "web": ["web"],
}


def test_every_service_is_there_with_a_current_image(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) >= {"kafka", "elasticsearch", "mailpit", *STAGES}
    assert re.fullmatch(r"apache/kafka:[34]\.\d+\.\d+", services["kafka"]["image"])
    es = services["elasticsearch"]["image"]
    assert re.fullmatch(r"docker\.elastic\.co/elasticsearch/elasticsearch:(8|9)\.\d+\.\d+", es)
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    kafka_env = services["kafka"]["environment"]
    assert "controller" in kafka_env["KAFKA_PROCESS_ROLES"]  # KRaft, no ZooKeeper
    assert services["elasticsearch"]["environment"]["discovery.type"] == "single-node"


def test_stages_run_the_monitor_image_with_the_design_settings(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name, command in STAGES.items():
        service = services[name]
        assert service["build"] == "." and service["command"] == command, name
        env = service["environment"]
        assert env["MONITOR_BUS"] == "kafka" and env["MONITOR_INDEX"] == "elasticsearch"
        assert env["MONITOR_KAFKA__BOOTSTRAP"] == "kafka:9092"
        assert env["MONITOR_ELASTICSEARCH__URL"] == "http://elasticsearch:9200"
        assert env["MONITOR_SMTP__HOST"] == "mailpit"
        assert service["depends_on"]["kafka"]["condition"] == "service_healthy"
        # the environment each stage gets is one the monitor accepts
        plain = {k: str(v) for k, v in env.items() if "${" not in str(v)}
        with pytest.MonkeyPatch.context() as mp:
            for key, value in plain.items():
                mp.setenv(key, value)
            settings = load_settings()
        assert settings.bus == "kafka" and settings.smtp.port == 1025
    assert services["extract"]["deploy"]["replicas"] == 2


def test_health_checks_named_volumes_and_loopback_ports(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name, service in services.items():
        assert "healthcheck" in service and service["healthcheck"]["test"], name
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} beyond loopback"
    assert {"kafka-data", "es-data"} <= set(compose["volumes"])
    assert "kafka-data:/var/lib/kafka/data" in services["kafka"]["volumes"]


def test_dockerfile_installs_the_compiled_package_and_runs_monitor() -> None:
    """A build stage with a C compiler makes the wheel (mypyc compiles the extractor, guided by
    a profile of the development corpora); the image installs that wheel with the browser extra
    and Debian's Chromium, without the compiler."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    build, _, image = dockerfile.partition("\nFROM python:3.11-slim\n")
    assert re.search(r"^FROM python:3\.11-slim AS build", build, re.M)
    assert "gcc" in build and re.search(r"^COPY pyproject.toml setup.py ", build, re.M)
    assert re.search(r"^RUN pip wheel .*--wheel-dir /wheels \.$", build, re.M)
    for folder in ("monitor", "pipelines"):
        assert re.search(rf"^COPY {folder} ", build, re.M)
    # the profile-guided build runs the extractor: its corpora, config and dependencies are there
    for folder in ("config", "tests/data/realdev", "tests/data/dev/corpus"):
        assert re.search(rf"^COPY {folder} ", build, re.M)
    assert "--no-build-isolation" in build and "MONITOR_PURE_PYTHON=1 pip install" in build
    assert re.search(r"^COPY config ", image, re.M)
    # with the browser extra, and Debian's Chromium for render = "browser" sources
    assert re.search(r"^RUN wheel=\"\$\(ls /wheels/\*\.whl\)\"", image, re.M)
    assert 'pip install "${wheel}[browser]"' in image
    assert re.search(r"apt-get install -y --no-install-recommends chromium\b", image)
    assert "playwright install" not in image
    assert "gcc" not in image
    assert 'ENTRYPOINT ["monitor"]' in image


def test_prometheus_scrapes_every_stage_and_the_web_app() -> None:
    config = yaml.safe_load((ROOT / "config/prometheus/prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    names = jobs["monitor-stages"]["dns_sd_configs"][0]["names"]
    assert set(names) == {"poll", "extract", "index", "alert"}
    assert jobs["monitor-stages"]["dns_sd_configs"][0]["port"] == 9100
    assert jobs["monitor-web"]["static_configs"][0]["targets"] == ["web:8000"]


def test_grafana_dashboard_charts_only_metrics_the_monitor_exports(
    compose: dict[str, Any],
) -> None:
    from prometheus_client import REGISTRY

    import monitor.metrics  # noqa: F401  (registers the metrics)

    dashboard = json.loads((ROOT / "config/grafana/dashboards/monitor.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    used = {m for e in exprs for m in re.findall(r"\bmonitor_[a-z_]+", e)}
    exported = {metric.name for metric in REGISTRY.collect()}
    exported |= {"monitor_index_documents", "monitor_dead_letter_messages"}  # read at scrape
    missing = {m for m in used if re.sub(r"_(total|bucket|count|sum)$", "", m) not in exported}
    assert not missing, f"the dashboard charts metrics nobody exports: {missing}"
    assert {"monitor_polls_total", "monitor_consumer_lag", "monitor_stage_messages_total"} <= used
    grafana = compose["services"]["grafana"]
    assert "./config/grafana/dashboards:/var/lib/grafana/dashboards:ro" in grafana["volumes"]
