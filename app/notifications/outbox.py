"""The e-mail outbox: claim due messages safely with several workers, send, record.

A claim is a lease: `locked_until` is set in a short transaction by a conditional UPDATE
(rows picked with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so workers pass each other by; on
SQLite writers are serialised by BEGIN IMMEDIATE, so a claim sees every earlier lease), then
the mail is sent outside any transaction and its result written at once in a short one of
its own, so a delivered mail is never sent again whatever happens to the rest of the batch.
A worker that dies mid-send leaves a lease that expires, and the message is tried again.
Refusals back off exponentially; after the last attempt the message is marked failed with its
error. A message that cannot be built fails at once, alone. Header values are made single
lines at send time, whatever was stored.
"""

import email.errors
import logging
import smtplib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from app.config import Settings
from app.models import OutboxMessage, OutboxStatus
from app.schemas import has_controls, one_line_of

log = logging.getLogger("axmatch.mail")
LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=6)
# What building one message can raise from its stored data: it will never build, so it fails.
UNBUILDABLE = (ValueError, TypeError, email.errors.MessageError)
# The server refused this one message (recipient, sender, content): try it again later.
REFUSED = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPResponseException,
    smtplib.SMTPNotSupportedError,
)
Recorder = Callable[[int, str | None, bool], None]  # mail id, error or None, final


class BadAddress(ValueError):
    """A stored recipient no e-mail can be built for (kept as the message's error)."""


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


@dataclass(frozen=True)
class Backlog:
    """What waits to be sent: how many, since when, and the newest error among them (its kind
    only, "SMTPRecipientsRefused": the details name recipients and stay in the log)."""

    pending: int
    oldest_at: datetime | None
    last_error: str | None


PENDING = OutboxMessage.status == OutboxStatus.pending
WAITING = select(func.count(OutboxMessage.id), func.min(OutboxMessage.created_at)).where(PENDING)
NEWEST_ERROR = (
    select(OutboxMessage.last_error)
    .where(PENDING, OutboxMessage.last_error.is_not(None))
    .order_by(OutboxMessage.id.desc())
    .limit(1)
)


def backlog(session: Session) -> Backlog:
    """Over the pending messages only (few, by the status index), however many were sent; one
    query when none waits (the usual case: /healthz asks this often)."""
    count, oldest = session.execute(WAITING).one()
    error = session.scalar(NEWEST_ERROR) if count else None
    return Backlog(count, oldest, error.split(":", 1)[0] if error else None)


def backoff(settings: Settings, attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failed ones: base * 2^(attempts - 1)."""
    delay = timedelta(seconds=settings.outbox_backoff_seconds * 2 ** min(attempts - 1, 30))
    return min(delay, MAX_BACKOFF)


def record(
    session: Session,
    settings: Settings,
    mail_id: int,
    error: str | None,
    now: datetime,
    final: bool = False,
) -> OutboxMessage:
    """One attempt's result: sent, failed for good (`final`, or the last attempt), or due
    again after a backoff."""
    row = session.get_one(OutboxMessage, mail_id)
    row.attempts += 1
    row.locked_until = None
    if error is None:
        row.status, row.sent_at, row.last_error = OutboxStatus.sent, now, None
    elif final or row.attempts >= settings.outbox_max_attempts:
        row.status, row.last_error = OutboxStatus.failed, error[:1000]
    else:
        row.next_attempt_at, row.last_error = now + backoff(settings, row.attempts), error[:1000]
    session.flush()
    return row


def message(settings: Settings, mail: Mail) -> EmailMessage:
    """The e-mail; a recipient address with spaces or control characters is refused
    (never repaired: that could reach someone else)."""
    if has_controls(mail.to) or any(c.isspace() for c in mail.to):
        raise BadAddress("the recipient address holds spaces or control characters")
    msg = EmailMessage()
    msg["From"], msg["To"] = settings.smtp_from, mail.to
    msg["Subject"] = one_line_of(mail.subject)
    msg["Message-ID"] = f"<outbox-{mail.id}@axmatch>"  # the same on a retry: receivers dedupe
    msg.set_content(mail.body)
    return msg


class LogSender:
    """Development without a mail server: each e-mail goes to the log."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, mail: Mail) -> None:
        """Bodies carry one-time links (password resets): shown in development and tests
        only, never written to a production log."""
        body = mail.body if self.settings.environment != "production" else "(body withheld)"
        log.info(
            "e-mail (log mode, not sent)\nFrom: %s\nTo: %s\nSubject: %s\n\n%s",
            self.settings.smtp_from,
            one_line_of(mail.to),
            one_line_of(mail.subject),
            body,
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


def send_all(settings: Settings, mails: list[Mail], record: Recorder) -> dict[int, str | None]:
    """Send each mail and `record` its result at once; returns each mail's error (None when
    sent). A mail that cannot be built, or that the server refuses, fails alone; losing the
    connection fails the rest of the batch (to be retried)."""
    results: dict[int, str | None] = {}

    def done(mail: Mail, error: str | None, final: bool = False) -> None:
        results[mail.id] = error
        record(mail.id, error, final)

    try:
        with sender(settings) as out:
            for mail in mails:
                done(mail, *_send_one(out, mail))
    except (OSError, smtplib.SMTPException) as exc:
        for mail in mails:
            if mail.id not in results:
                done(mail, _error(exc))
        log.warning("outbox: sending failed (%s); will retry", _error(exc))
    return results


def _send_one(out: Sender, mail: Mail) -> tuple[str | None, bool]:
    """(error or None, whether the failure is final) for one mail; a lost connection raises."""
    try:
        out.send(mail)
    except UNBUILDABLE as exc:
        log.error("outbox: message %s cannot be built (%s); failed", mail.id, _error(exc))
        return _error(exc), True
    except REFUSED as exc:
        return _error(exc), False
    except (OSError, smtplib.SMTPException):
        raise  # the connection, not this message: the caller fails the rest of the batch
    except Exception as exc:  # noqa: BLE001 - the one place a message's own fault is contained
        # Anything else this message's data triggers must fail this message alone, logged
        # with its traceback, and never stop the worker or the rest of the batch.
        log.exception("outbox: message %s failed unexpectedly", mail.id)
        return _error(exc), True
    return None, False


def _error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"
