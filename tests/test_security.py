"""Hostile checks of the request edge: multipart without a boundary, server errors, caching of
confidential pages, body size limits and who may speak through X-Forwarded-For."""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import Depends
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.main import UPLOAD_ENVELOPE, create_app
from app.models import LoginAttempt
from app.web import accepts_uploads
from tests.builders import make_manufacturer

HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options")


@pytest.fixture
def loose(app):
    """A client that shows a server error as the response a browser would get."""
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(
    "kind",
    ["multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=x"],
)
@pytest.mark.parametrize("path", ["/login", "/register", "/api/register", "/lang"])
def test_multipart_without_a_token_is_a_clear_403(loose, kind, path) -> None:
    loose.get("/login")  # a CSRF cookie, as a browser would have
    response = loose.post(path, content=b"--x\r\n\r\n--x--", headers={"content-type": kind})
    assert response.status_code == 403
    assert all(h in response.headers for h in HEADERS)


def test_a_server_error_carries_the_security_headers(settings, database, tmp_path) -> None:
    app = create_app(settings.model_copy(update={"data_dir": tmp_path}), database=database)

    @app.get("/api/boom")
    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        api, page = client.get("/api/boom"), client.get("/boom")
    assert (api.status_code, page.status_code) == (500, 500)
    assert api.json()["error"] == "server_error"
    for response in (api, page):
        assert all(h in response.headers for h in HEADERS)
        assert response.headers["cache-control"] == "no-store"


def test_confidential_and_signed_in_responses_are_not_stored(browser, session) -> None:
    owner = make_manufacturer(session)
    browser.login(owner)
    page = browser.post("/account/invitations", {"email": "new@mfr.example.kr"})
    link = page.text.split('id="invite-link">')[1].split("<")[0].replace("http://testserver", "")
    for path in ("/account", "/needs/mine", "/api/me"):
        assert browser.get(path).headers["cache-control"] == "no-store", path
    browser.logout()
    assert browser.get(link).headers["cache-control"] == "no-store"
    assert browser.get("/login").headers["cache-control"] == "no-store"
    assert "no-store" not in browser.get("/static/app.css").headers.get("cache-control", "")


def drive(app, path: str, chunks: int, chunk: bytes, headers: list) -> tuple[int, int]:
    """Send `chunks` chunks straight to the ASGI app; (status, bytes the app pulled)."""
    pulled, status = 0, 0
    sent = iter(range(chunks))

    async def receive():
        nonlocal pulled
        if next(sent, None) is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    # In a thread of its own: a browser test earlier in the run may keep Playwright's event
    # loop running in this one, and asyncio.run refuses to start inside a running loop.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return status, pulled


@pytest.mark.parametrize(
    ("path", "kind"),
    [("/api/register", b"application/json"), ("/login", b"application/x-www-form-urlencoded")],
)
def test_a_streamed_body_stops_at_the_limit(app, path, kind) -> None:
    limit = app.state.settings.max_body_bytes
    chunk = b"a" * 65_536
    status, pulled = drive(app, path, 1600, chunk, [(b"content-type", kind)])  # 100 MiB
    assert status == 413
    assert pulled <= limit + len(chunk)


def test_a_declared_length_over_the_limit_is_refused_unread(app, client) -> None:
    too_big = str(app.state.settings.max_body_bytes + 1).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", too_big)]
    assert drive(app, "/api/register", 10, b"{}", headers) == (413, 0)
    response = client.post("/api/register", content=b"x" * (app.state.settings.max_body_bytes + 1))
    assert response.status_code == 413 and response.json()["error"] == "too_large"
    assert "content-security-policy" in response.headers


def test_only_routes_that_take_uploads_may_receive_more(settings, database, tmp_path) -> None:
    limits = {"data_dir": tmp_path, "max_body_bytes": 2048, "max_upload_bytes": 8192}
    app = create_app(settings.model_copy(update=limits), database=database)

    @app.post("/api/upload", dependencies=[Depends(accepts_uploads)])
    @app.post("/api/plain")
    async def take(request: dict) -> dict:
        return {"keys": len(request)}

    body = json.dumps({"blob": "x" * 4000}).encode()
    headers = {"content-type": "application/json", "authorization": "Bearer none"}
    with TestClient(app) as client:
        assert client.post("/api/upload", content=body, headers=headers).status_code == 200
        assert client.post("/api/plain", content=body, headers=headers).status_code == 413
        big = json.dumps({"blob": "x" * (8192 + UPLOAD_ENVELOPE)}).encode()
        assert client.post("/api/upload", content=big, headers=headers).status_code == 413


def failed_login_ip(app, database, forwarded: str) -> str:
    with TestClient(app, client=("10.0.0.7", 4000)) as client:
        body = {"email": "nobody@x.example.kr", "password": "wrong-password"}
        client.post("/api/tokens/login", json=body, headers={"x-forwarded-for": forwarded})
    with database.transaction() as s:
        return s.scalars(select(LoginAttempt.ip).order_by(LoginAttempt.id.desc())).first()


def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(
    settings, database, tmp_path
) -> None:
    plain = create_app(settings.model_copy(update={"data_dir": tmp_path}), database=database)
    assert failed_login_ip(plain, database, "203.0.113.9") == "10.0.0.7"
    behind = settings.model_copy(update={"data_dir": tmp_path, "trusted_proxies": ("10.0.0.0/8",)})
    proxied = create_app(behind, database=database)
    # the client wrote the left entry itself; the proxy appended the address it saw
    assert failed_login_ip(proxied, database, "198.51.100.1, 203.0.113.9") == "203.0.113.9"
    assert failed_login_ip(proxied, database, "198.51.100.1, 203.0.113.9, 10.1.2.3") == (
        "203.0.113.9"
    )


def test_the_server_does_not_rewrite_the_client_from_forwarded_headers(monkeypatch) -> None:
    """uvicorn trusted X-Forwarded-For from any local client; the app decides now (above)."""
    import uvicorn
    from typer.testing import CliRunner

    from app.cli import cli

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.update(kwargs))
    assert CliRunner().invoke(cli, ["serve"]).exit_code == 0
    assert seen["proxy_headers"] is False and "forwarded_allow_ips" not in seen
