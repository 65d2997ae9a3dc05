"""The e-mail outbox: claim due messages safely with several workers, send, record.

A claim is a lease: `locked_until` is set in a short transaction by a conditional UPDATE
(rows picked with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so workers pass each other by; on
SQLite writers are serialised by BEGIN IMMEDIATE, so a claim sees every earlier lease), then
the mail is sent outside any transaction and the result written in another. A worker that
dies mid-send leaves a lease that expires, and the message is tried again. Failures back off
exponentially; after the last attempt the message is marked failed with its error.
"""

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session

from app.config import Settings
from app.models import OutboxMessage, OutboxStatus

log = logging.getLogger("axmatch.mail")
LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=6)


@dataclass(frozen=True)
class Mail:
    id: int
    to: str
    subject: str
    body: str


class Sender(Protocol):
    def send(self, mail: Mail) -> None: ...


def _due(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        OutboxMessage.status == OutboxStatus.pending,
        OutboxMessage.next_attempt_at <= now,
        or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
    )


def claim(session: Session, now: datetime, limit: int = 50) -> list[Mail]:
    """Lease up to `limit` due messages to this worker; no two workers get the same one."""
    query = (
        select(OutboxMessage)
        .where(*_due(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    mails = []
    for row in session.scalars(query).all():
        taken = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row.id, *_due(now))
            .values(locked_until=now + LEASE)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            mails.append(Mail(row.id, row.to_email, row.subject, row.body))
    return mails


def backoff(settings: Settings, attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failed ones: base * 2^(attempts - 1)."""
    delay = timedelta(seconds=settings.outbox_backoff_seconds * 2 ** min(attempts - 1, 30))
    return min(delay, MAX_BACKOFF)


def record(
    session: Session, settings: Settings, mail_id: int, error: str | None, now: datetime
) -> OutboxMessage:
    row = session.get_one(OutboxMessage, mail_id)
    row.attempts += 1
    row.locked_until = None
    if error is None:
        row.status, row.sent_at, row.last_error = OutboxStatus.sent, now, None
    elif row.attempts >= settings.outbox_max_attempts:
        row.status, row.last_error = OutboxStatus.failed, error[:1000]
    else:
        row.next_attempt_at, row.last_error = now + backoff(settings, row.attempts), error[:1000]
    session.flush()
    return row


def message(settings: Settings, mail: Mail) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = settings.smtp_from, mail.to, mail.subject
    msg["Message-ID"] = f"<outbox-{mail.id}@axmatch>"  # the same on a retry: receivers dedupe
    msg.set_content(mail.body)
    return msg


class LogSender:
    """Development without a mail server: each e-mail goes to the log."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, mail: Mail) -> None:
        log.info(
            "e-mail (log mode, not sent)\nFrom: %s\nTo: %s\nSubject: %s\n\n%s",
            self.settings.smtp_from,
            mail.to,
            mail.subject,
            mail.body,
        )


class SmtpSender:
    def __init__(self, settings: Settings, client: smtplib.SMTP) -> None:
        self.settings, self.client = settings, client

    def send(self, mail: Mail) -> None:
        self.client.send_message(message(self.settings, mail))


@contextmanager
def sender(settings: Settings) -> Iterator[Sender]:
    """One SMTP connection per batch (or the log); connecting may raise OSError/SMTPException."""
    if not settings.smtp_host:
        yield LogSender(settings)
        return
    s = settings
    with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout) as client:
        if s.smtp_starttls:
            client.starttls()
        if s.smtp_user:
            client.login(s.smtp_user, s.smtp_password)
        yield SmtpSender(settings, client)


def send_all(settings: Settings, mails: list[Mail]) -> dict[int, str | None]:
    """Each mail's error (None when sent). A refusal fails that mail; losing the connection
    fails the rest of the batch."""
    results: dict[int, str | None] = {}
    try:
        with sender(settings) as out:
            for mail in mails:
                try:
                    out.send(mail)
                    results[mail.id] = None
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
                    results[mail.id] = _error(exc)
    except (OSError, smtplib.SMTPException) as exc:
        results |= {m.id: _error(exc) for m in mails if m.id not in results}
        log.warning("outbox: sending failed (%s); will retry", _error(exc))
    return results


def _error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"
