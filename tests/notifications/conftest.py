"""Helpers for the notification tests: what was written, and a real local SMTP sink."""

import os
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.db import Database, make_engine
from app.models import Notification, OutboxMessage, User
from tests.builders import parse  # noqa: F401 - re-exported for the notification tests
from tests.conftest import migrate


def notices(
    session: Session, user: User | None = None, kind: str | None = None, stage: str | None = None
) -> list[Notification]:
    """The notifications written so far (of one user, kind, or stage in their params)."""
    session.flush()
    query = select(Notification).order_by(Notification.id)
    if user is not None:
        query = query.where(Notification.user_id == user.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    found = list(session.scalars(query))
    return [n for n in found if stage is None or n.params.get("stage") == stage]


def recipients(session: Session, kind: str, stage: str | None = None) -> set[int]:
    return {n.user_id for n in notices(session, kind=kind, stage=stage)}


def mails(session: Session, user: User | None = None) -> list[OutboxMessage]:
    session.flush()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if user is not None:
        query = query.where(OutboxMessage.to_email == user.email)
    return list(session.scalars(query))


class Sink:
    """An aiosmtpd handler keeping what it receives (and each mail's envelope recipients); it
    can refuse the first `fail` mails, and for good any recipient in `refuse`."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[list[str]] = []
        self.fail = 0
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, options) -> str:  # noqa: ANN001, N802
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        if self.fail > 0:
            self.fail -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.envelopes.append(list(envelope.rcpt_tos))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_sink() -> Iterator[tuple[Sink, int]]:
    """A real SMTP server on 127.0.0.1 and a free port, for the length of one test."""
    handler, port = Sink(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def scratch_db(tmp_path: Path) -> Iterator[Database]:
    """A migrated database of this suite's own, for workers on real, separate connections
    (on PostgreSQL named after the test database, so parallel runs do not collide)."""
    url = make_url(os.environ["DATABASE_URL"])
    if url.get_backend_name() == "sqlite":
        target = f"sqlite:///{tmp_path / 'outbox.db'}"
    else:
        name = f"{url.database}_outbox"
        _recreate(url.render_as_string(hide_password=False), name)
        target = url.set(database=name).render_as_string(hide_password=False)
    migrate(target)
    db = Database.from_url(target)
    yield db
    db.engine.dispose()


def _recreate(admin_url: str, name: str) -> None:
    admin = make_engine(admin_url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
