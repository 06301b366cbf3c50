"""Error responses carry the same security headers as pages, and a server error shows our page, not a trace."""

from __future__ import annotations

import warnings

import pytest

warnings.filterwarnings("ignore", message=".*httpx.*", category=DeprecationWarning)
pytest.importorskip("fastapi", reason="fastapi is not installed (pip install -e .)")
from fastapi.testclient import TestClient  # noqa: E402

from parallax.web import create_app, pages  # noqa: E402
from parallax.web.security import CSP  # noqa: E402


def broken(*_args, **_kwargs):
    raise RuntimeError("secret internals: /etc/parallax.conf")


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setattr(pages, "stories_page", broken)
    monkeypatch.setattr(pages, "quotes_page", broken)
    return create_app(str(tmp_path / "empty.db"))


def assert_guarded(response):
    assert response.headers.get("content-security-policy") == CSP, response.status_code
    assert response.headers.get("x-content-type-options") == "nosniff"
    assert response.headers.get("x-frame-options") == "DENY"
    assert response.headers.get("referrer-policy") == "no-referrer"


def test_every_error_carries_the_security_headers(app):
    client = TestClient(app, raise_server_exceptions=False)
    responses = {
        "500 page": client.get("/stories"),
        "500 api": client.get("/api/quotes"),
        "404 route": client.get("/no/such/page"),
        "404 api": client.get("/api/stories/424242"),
        "404 actor": client.get("/actors/nobody"),
        "405": client.post("/stories"),
        "422": client.get("/api/stories/not-a-number"),
    }
    assert [r.status_code for r in responses.values()] == [500, 500, 404, 404, 404, 405, 422]
    for response in responses.values():
        assert_guarded(response)


def test_a_server_error_shows_our_page_without_internals(app):
    client = TestClient(app, raise_server_exceptions=False)
    page = client.get("/stories")
    assert page.headers["content-type"].startswith("text/html") and "Back to the stories" in page.text
    assert "secret internals" not in page.text and "Traceback" not in page.text
    data = client.get("/api/quotes")
    assert data.json() == {"detail": "the server failed to build this page"}


def test_a_server_error_is_still_behind_the_token(tmp_path, monkeypatch):
    monkeypatch.setattr(pages, "stories_page", broken)
    client = TestClient(create_app(str(tmp_path / "empty.db"), token="s3cret"), raise_server_exceptions=False)
    denied = client.get("/stories")
    assert denied.status_code == 401 and "secret internals" not in denied.text
    assert_guarded(denied)
    failed = client.get("/stories", headers={"Authorization": "Bearer s3cret"})
    assert failed.status_code == 500
    assert_guarded(failed)


@pytest.mark.parametrize("path", ["/stories/9223372036854775808", "/api/stories/99999999999999999999999",
                                  "/statements/9223372036854775808", "/api/statements/-9223372036854775809",
                                  "/articles/18446744073709551616", "/api/articles/0"])
def test_an_id_no_database_can_hold_is_not_found(tmp_path, path):
    client = TestClient(create_app(str(tmp_path / "empty.db")), raise_server_exceptions=False)
    response = client.get(path)
    assert response.status_code == 404, (path, response.text[:200])
    assert_guarded(response)
    if path.startswith("/api/"):
        assert response.json()["detail"].startswith("no ")


@pytest.mark.parametrize("path, expected", [
    ("/%2F%2Fevil.example/x", "/evil.example/x"),
    ("/%5Cevil.example", "/evil.example"),
    ("/%2F%5C%2Fevil.example", "/evil.example"),
    ("/outlets/%C5%BEivot%20Daily", "/outlets/%C5%BEivot%20Daily"),
])
def test_the_token_redirect_never_leaves_this_site(tmp_path, path, expected):
    client = TestClient(create_app(str(tmp_path / "empty.db"), token="s3cret"), raise_server_exceptions=False,
                        follow_redirects=False)
    response = client.get(path + "?token=s3cret&page=2")
    assert response.status_code == 303
    assert response.headers["location"] == expected + "?page=2"
    assert_guarded(response)
