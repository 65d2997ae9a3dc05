"""A database that does not answer in time: a clear 503 (a page in the reader's language with
the security headers; JSON under /api), never a hang or a 500. Each case is bounded by the
timeouts it sets (AXMATCH_DB_CONNECT_TIMEOUT 2 s, the least libpq honours; the statement
timeout 1 s), so nothing here waits long."""

import socket
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from app.accounts import service as accounts
from app.config import Settings
from app.db import Database, Timeouts
from app.i18n import gettext
from app.main import create_app
from tests.builders import PASSWORD, business_number, make_manufacturer, make_need
from tests.test_migrations import alembic_config

UNAVAILABLE = "The database is not answering at the moment. Try again soon."
SHORT = Timeouts(connect=2, statement=1)


@contextmanager
def silent_server() -> Iterator[int]:
    """A TCP port on 127.0.0.1 that takes connections (the kernel completes the handshake)
    and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield int(listener.getsockname()[1])


def client_for(settings: Settings, db: Database, tmp_path: Path) -> TestClient:
    update = {"data_dir": tmp_path, "worker_in_app": False}
    return TestClient(create_app(settings.model_copy(update=update), database=db))


def assert_unavailable_page(client: TestClient, path: str) -> None:
    for locale in ("ko", "en"):
        client.cookies.set("lang", locale)
        response = client.get(path)
        assert response.status_code == 503
        assert response.headers["content-type"].startswith("text/html")
        assert gettext(locale, UNAVAILABLE) in response.text
        assert response.headers["x-frame-options"] == "DENY"
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["retry-after"].isdigit()
    client.cookies.delete("lang")


def assert_unavailable_json(response: object) -> None:
    assert response.status_code == 503  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body == {"error": "database_unavailable", "message": gettext("ko", UNAVAILABLE)}


def test_a_server_that_accepts_and_never_answers_is_a_503(
    settings: Settings, tmp_path: Path
) -> None:
    with silent_server() as port:
        db = Database.from_url(f"postgresql+psycopg://postgres@127.0.0.1:{port}/silent", SHORT)
        with client_for(settings, db, tmp_path) as client:
            assert_unavailable_page(client, "/")
            bearer = {"authorization": "Bearer axm_x"}
            assert_unavailable_json(client.get("/api/needs", headers=bearer))
            assert_unavailable_json(client.post("/api/needs", json={}, headers=bearer))
        db.engine.dispose()


@pytest.fixture
def scratch(scratch_url: str) -> Iterator[tuple[str, Database]]:
    command.upgrade(alembic_config(scratch_url), "head")
    database = Database.from_url(scratch_url, SHORT)
    yield scratch_url, database
    database.engine.dispose()


def make_token(db: Database) -> dict[str, str]:
    with db.transaction() as session:
        user = make_manufacturer(session)
        make_need(session, user)
        return {"authorization": f"Bearer {accounts.create_api_token(session, user, 't')[1]}"}


@contextmanager
def table_locked(url: str, table: str) -> Iterator[None]:
    """Another connection holds an exclusive lock on `table` until the block ends."""
    other: Engine = create_engine(url)
    with other.connect() as conn:
        conn.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
        try:
            yield
        finally:
            conn.rollback()
    other.dispose()


def test_a_lock_held_past_the_statement_timeout_is_a_503_on_postgresql(
    scratch: tuple[str, Database], settings: Settings, tmp_path: Path
) -> None:
    url, db = scratch
    if make_url(url).get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL's locks; SQLite's write lock is the next test")
    auth = make_token(db)
    with client_for(settings, db, tmp_path) as client, table_locked(url, "needs"):
        assert_unavailable_page(client, "/")
        assert_unavailable_json(client.get("/api/needs", headers=auth))
    with client_for(settings, db, tmp_path) as client:  # the lock gone, all is well again
        assert client.get("/api/needs", headers=auth).status_code == 200


@contextmanager
def write_locked(url: str) -> Iterator[None]:
    """Another connection holds SQLite's write lock until the block ends."""
    conn = sqlite3.connect(make_url(url).database or "", isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.rollback()
        conn.close()


def registration() -> dict[str, str]:
    return {
        "kind": "manufacturer",
        "organization_name": "잠김정밀",
        "business_number": business_number(),
        "consent": True,
        "name": "담당자",
        "email": "locked@wait.example.kr",
        "password": PASSWORD,
    }


def test_a_write_lock_held_past_the_timeout_is_a_503_on_sqlite(
    scratch: tuple[str, Database], settings: Settings, tmp_path: Path
) -> None:
    url, db = scratch
    if make_url(url).get_backend_name() != "sqlite":
        pytest.skip("SQLite's write lock; PostgreSQL's locks are the test before")
    with client_for(settings, db, tmp_path) as client:
        client.get("/register")  # the CSRF cookie (reads are not blocked in WAL mode)
        token = client.cookies["csrftoken"]
        form, csrf = {"csrftoken": token, **registration()}, {"x-csrftoken": token}
        with write_locked(url):
            assert_unavailable_json(client.post("/api/register", json=registration(), headers=csrf))
            response = client.post("/register", data=form, follow_redirects=False)
            assert response.status_code == 503
            assert gettext("ko", UNAVAILABLE) in response.text
        assert client.post("/api/register", json=registration(), headers=csrf).status_code == 201
