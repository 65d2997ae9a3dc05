"""/healthz names each dependency and its state: 200 when all are up, 503 when one is not."""

from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import Database, Timeouts
from app.models import OutboxMessage, OutboxStatus, utcnow
from tests.builders import make_staff
from tests.test_database_down import SHORT, client_for, silent_server, table_locked
from tests.test_migrations import alembic_config


def outbox_message(session: Session, age: timedelta, error: str | None = None) -> None:
    sent_long_ago = OutboxMessage(
        to_email="old@mail.example.kr", subject="s", body="b", status=OutboxStatus.sent
    )
    waiting = OutboxMessage(
        to_email="who@mail.example.kr",
        subject="s",
        body="b",
        created_at=utcnow() - age,  # written that long ago, rather than waiting here
        attempts=1 if error else 0,
        last_error=error,
    )
    session.add_all([sent_long_ago, waiting])
    session.flush()


def test_all_up_is_200_with_each_dependency(client: TestClient, session: Session) -> None:
    outbox_message(session, timedelta(seconds=30))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "ok"}
    assert body["outbox"] == {
        "status": "ok",
        "pending": 1,
        "oldest_pending_seconds": body["outbox"]["oldest_pending_seconds"],
        "last_error": None,
    }
    assert 30 <= body["outbox"]["oldest_pending_seconds"] < 900
    assert body["index"]["status"] == "ok"
    assert body["index"]["loaded"] is False  # it loads at the first matching request
    assert response.headers["cache-control"] == "no-store"


def test_the_index_says_where_it_came_from_once_loaded(browser, session: Session) -> None:
    browser.login(make_staff(session))
    assert browser.get("/api/match", params={"q": "비전 검사"}).status_code == 200
    index = browser.get("/healthz").json()["index"]
    assert index["loaded"] is True
    assert index["origin"] == "database"
    assert index["seconds_since_save"] is not None
    assert index["unsaved_changes"] == 0


def test_an_e_mail_waiting_too_long_is_a_stuck_outbox_and_a_503(
    client: TestClient, session: Session, settings: Settings
) -> None:
    error = "SMTPRecipientsRefused: {'who@mail.example.kr': (550, b'no such user')}"
    outbox_message(session, timedelta(seconds=settings.health_outbox_max_age + 60), error)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["database"] == {"status": "ok"}
    assert body["outbox"]["status"] == "stuck"
    assert body["outbox"]["pending"] == 1
    assert body["outbox"]["oldest_pending_seconds"] >= settings.health_outbox_max_age
    assert body["outbox"]["last_error"] == "SMTPRecipientsRefused"  # no address in public
    assert "who@" not in response.text


def test_an_index_that_cannot_be_saved_is_failing(app: FastAPI, client: TestClient) -> None:
    cache = app.state.index_cache
    cache.folder.parent.mkdir(parents=True, exist_ok=True)
    cache.folder.write_text("a file where the index folder should be")
    cache.save()
    response = client.get("/healthz")
    assert response.status_code == 503
    index = response.json()["index"]
    assert index["status"] == "failing"
    assert index["save_error"].startswith(("FileExistsError", "NotADirectoryError"))
    assert response.json()["database"] == {"status": "ok"}


def test_a_database_that_never_answers_is_down_within_the_timeout(
    settings: Settings, tmp_path: Path
) -> None:
    with silent_server() as port:
        db = Database.from_url(f"postgresql+psycopg://postgres@127.0.0.1:{port}/silent", SHORT)
        with client_for(settings, db, tmp_path) as client:
            response = client.get("/healthz")
        db.engine.dispose()
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["database"] == {"status": "down", "error": "ConnectionTimeout"}
    assert body["outbox"] == {"status": "unknown"}
    assert body["index"]["status"] == "ok"


def test_a_locked_outbox_table_is_down_after_the_lock_timeout_not_a_hang(
    scratch_url: str, settings: Settings, tmp_path: Path
) -> None:
    """A migration holding the table: the check gives up after its own 2 s lock timeout, well
    before the statement timeout."""
    url = scratch_url
    if make_url(url).get_backend_name() != "postgresql":
        pytest.skip("SQLite readers are not blocked by a writer (WAL)")
    command.upgrade(alembic_config(url), "head")
    slow = Database.from_url(url, Timeouts(connect=2, statement=60))
    with client_for(settings, slow, tmp_path) as client, table_locked(url, "outbox"):
        response = client.get("/healthz")
    slow.engine.dispose()
    assert response.status_code == 503
    assert response.json()["database"] == {"status": "down", "error": "LockNotAvailable"}


def test_the_favicon_is_served_from_static(client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.headers["content-type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO header
