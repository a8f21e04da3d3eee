"""The optional token guards whatever changes state, other sites cannot post to the app, and
every response carries a policy that allows only the app's own scripts."""

from __future__ import annotations

from fastapi.testclient import TestClient

from monitor.index.base import Index
from monitor.web.app import create_app


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
