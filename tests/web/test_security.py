"""The app answers only to its own host names; the optional token guards whatever changes state
and the operators' views; other sites cannot post to the app; every response carries a policy
that allows only the app's own scripts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from monitor.bus.base import DEAD_LETTER, RAW
from monitor.bus.embedded import EmbeddedBus
from monitor.index.base import Index
from monitor.index.embedded import EmbeddedIndex
from monitor.ops.view import Ops
from monitor.settings import Settings, load_settings
from monitor.web.app import create_app
from monitor.web.security import hosts_of
from pipelines.stages import build_runner
from tests.conftest import ROOT, make_article
from tests.web.browser import serve


def _app_with_a_state_change(index: Index, token: str | None) -> TestClient:
    app = create_app(index, token=token)
    changed: list[str] = []

    @app.post("/api/saved-searches")
    def save() -> dict[str, int]:  # stands for any state-changing route added later
        changed.append("saved")
        return {"saved": len(changed)}

    return TestClient(app)


def test_token_protects_state_changes_but_not_reading(filled_index: Index) -> None:
    client = _app_with_a_state_change(filled_index, "s3cret")
    refused = client.post("/api/saved-searches")
    assert refused.status_code == 401
    assert "token" in refused.json()["detail"]
    assert refused.headers["www-authenticate"] == "Bearer"
    assert (
        client.post("/api/saved-searches", headers={"Authorization": "Bearer wrong"}).status_code
        == 401
    )
    ok = client.post("/api/saved-searches", headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200 and ok.json() == {"saved": 1}
    assert (
        client.post("/api/saved-searches", headers={"X-Monitor-Token": "s3cret"}).status_code == 200
    )
    assert client.get("/api/search").status_code == 200


def test_other_sites_cannot_post_even_without_a_token(filled_index: Index) -> None:
    client = _app_with_a_state_change(filled_index, None)
    assert client.post("/api/saved-searches").status_code == 200
    same = client.post("/api/saved-searches", headers={"Origin": "http://testserver"})
    assert same.status_code == 200
    evil = client.post("/api/saved-searches", headers={"Origin": "https://evil.example"})
    assert evil.status_code == 403


def test_responses_carry_a_strict_content_security_policy(client: TestClient) -> None:
    for path in ("/", "/api/search", "/articles/art-5", "/static/style.css"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert headers["x-content-type-options"] == "nosniff"


# -- the Host allow-list and the operators' views ------------------------------------------
TOKEN = "s3cret"


@pytest.fixture
def dead_letter_scene(tmp_path: Path) -> Iterator[tuple[Settings, EmbeddedBus, EmbeddedIndex]]:
    """An embedded bus with one article in the dead-letter queue, put there by the real
    extract stage (too big for a 1 KiB limit), and the index beside it."""
    settings = load_settings(
        ROOT / "config" / "monitor.toml",
        data_dir=tmp_path / "data",
        pipeline={"max_message_bytes": 1024},
    )
    bus = EmbeddedBus(tmp_path / "data" / "bus.db", session_timeout=2)
    index = EmbeddedIndex(tmp_path / "data" / "index.db")
    big = make_article(1, title="Private payload", body="Police arrested 3 suspects. " * 200)
    producer = bus.producer()
    producer.produce(RAW, big.to_json(), big.id)
    producer.close()
    runner = build_runner("extract", settings, bus, index)
    runner.drain()
    runner.close()
    assert bus.topic_size(DEAD_LETTER) == 1
    yield settings, bus, index
    index.close()
    bus.close()


@pytest.fixture
def served_ops(
    dead_letter_scene: tuple[Settings, EmbeddedBus, EmbeddedIndex],
) -> Iterator[Callable[..., str]]:
    """Serve the app over the scene on a real loopback port (no test-client shortcuts)."""
    settings, bus, index = dead_letter_scene
    with ExitStack() as stack:

        def start(**options: Any) -> str:
            ops = Ops.of(settings, bus)
            stack.callback(ops.close)
            return stack.enter_context(serve(create_app(index, ops=ops, **options)))

        yield start


def test_a_foreign_host_can_neither_requeue_nor_read_dead_letters(
    served_ops: Callable[..., str], dead_letter_scene: tuple[Settings, EmbeddedBus, EmbeddedIndex]
) -> None:
    bus = dead_letter_scene[1]
    url = served_ops()
    port = url.rsplit(":", 1)[1]
    # what a page on evil.example sends once its name resolves to 127.0.0.1
    evil = {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"}
    posted = httpx.post(f"{url}/ops/requeue", data={"all": "1"}, headers=evil)
    assert posted.status_code == 400
    assert "does not answer to the host 'evil.example:" in posted.json()["detail"]
    assert "web.allowed_hosts" in posted.json()["detail"]
    assert bus.topic_size(DEAD_LETTER) == 1
    read = httpx.get(f"{url}/api/ops/dead-letters", headers=evil)
    assert read.status_code == 400 and "Private payload" not in read.text
    page = httpx.get(f"{url}/", headers={"Host": "evil.example"})
    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/plain")
    assert page.text.startswith("this monitor does not answer to the host 'evil.example'")

    for host in ("127.0.0.1", f"127.0.0.1:{port}", "localhost", f"LOCALHOST:{port}", "[::1]"):
        assert httpx.get(f"{url}/healthz", headers={"Host": host}).status_code == 200, host
    [dead] = httpx.get(f"{url}/api/ops/dead-letters").json()["dead_letters"]
    assert dead["title"] == "Private payload"


def test_configured_hosts_are_answered_and_a_star_allows_any(
    served_ops: Callable[..., str],
) -> None:
    url = served_ops(allowed_hosts=("monitor.example.org", "Web:8000"))
    for host in ("monitor.example.org", "monitor.example.org:443", "web", "web:8000"):
        assert httpx.get(f"{url}/api/search", headers={"Host": host}).status_code == 200, host
    assert httpx.get(f"{url}/", headers={"Host": "monitor.example.org.evil"}).status_code == 400
    assert httpx.get(f"{url}/", headers={"Host": "a@127.0.0.1"}).status_code == 400
    anything = served_ops(allowed_hosts=("*",))
    assert httpx.get(f"{anything}/", headers={"Host": "whatever.example"}).status_code == 200


def test_allowed_hosts_come_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONITOR_WEB__ALLOWED_HOSTS", "monitor.example.org, web")
    settings = load_settings(
        ROOT / "config" / "monitor.toml",
        data_dir=tmp_path,
        web={"host": "0.0.0.0", "port": 8102, "base_url": "https://news.example.net/monitor"},
    )
    assert settings.web.allowed_hosts == ("monitor.example.org", "web")
    assert set(hosts_of(settings.web)) == {"news.example.net", "monitor.example.org", "web"}
    named = settings.web.model_copy(update={"host": "intranet-box", "allowed_hosts": ()})
    assert set(hosts_of(named)) == {"news.example.net", "intranet-box"}


def test_with_a_token_the_operators_views_need_it_to_be_read(
    served_ops: Callable[..., str],
) -> None:
    url = served_ops(token=TOKEN)
    page = httpx.get(f"{url}/ops")
    assert page.status_code == 401
    assert page.headers["www-authenticate"].startswith("Basic ")  # the browser asks for it
    assert "needs the monitor's token" in page.text and "Private payload" not in page.text
    assert httpx.get(f"{url}/ops", auth=("ops", TOKEN)).status_code == 200
    assert httpx.get(f"{url}/ops", auth=("ops", "wrong")).status_code == 401
    assert httpx.get(f"{url}/ops", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200

    listing = httpx.get(f"{url}/api/ops/dead-letters")
    assert listing.status_code == 401 and listing.headers["www-authenticate"] == "Bearer"
    assert "Private payload" not in listing.text
    allowed = httpx.get(f"{url}/api/ops/dead-letters", headers={"X-Monitor-Token": TOKEN})
    assert allowed.json()["dead_letters"][0]["title"] == "Private payload"
    # Basic credentials open reading only: a browser would send them with a forged post too
    posted = httpx.post(f"{url}/api/ops/dead-letters/requeue", json={"all": True}, auth=("", TOKEN))
    assert posted.status_code == 401

    for open_path in ("/healthz", "/readyz", "/", "/api/search", "/campaigns"):
        assert httpx.get(f"{url}{open_path}").status_code == 200, open_path
