"""The outbox worker against a real local SMTP server (aiosmtpd): delivery, retry with
backoff after a failing server, giving up, leases, two workers at once, log mode, the CLI."""

import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from app.cli import cli
from app.config import Settings, get_settings
from app.db import Database
from app.models import OutboxMessage, OutboxStatus, User, utcnow
from app.notifications import outbox
from app.notifications.service import Notice, notify
from app.notifications.worker import Worker
from tests.builders import make_manufacturer, make_user
from tests.notifications.conftest import free_port

NOTICE = Notice("bids_ready", {"title": "프레스 불량 검사", "count": 2}, "/needs/7/bids")


def smtp(settings: Settings, port: int, **more: object) -> Settings:
    return settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port, **more})


def queued(session, users: list[User]) -> list[OutboxMessage]:
    notify(session, users, NOTICE)
    session.commit()
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def state(session, row: OutboxMessage) -> OutboxMessage:
    session.expire_all()
    return session.get_one(OutboxMessage, row.id)


def test_a_message_is_delivered_over_smtp_once(session, database, settings, smtp_sink) -> None:
    sink, port = smtp_sink
    owner = make_manufacturer(session)
    english = make_user(session, owner.organization, owner.role, locale="en")
    rows = queued(session, [owner, english])
    worker = Worker(database, smtp(settings, port))
    assert worker.send_once() == {rows[0].id: None, rows[1].id: None}
    assert worker.send_once() == {}
    by_to = {m["To"]: m for m in sink.messages}
    assert set(by_to) == {owner.email, english.email}
    assert "프레스 불량 검사" in by_to[owner.email]["Subject"]
    assert "입찰" in by_to[owner.email].get_content()
    assert by_to[english.email]["Subject"].startswith("[axmatch] Bidding on")
    assert "http://127.0.0.1:8000/needs/7/bids" in by_to[english.email].get_content()
    sent = state(session, rows[0])
    assert sent.status is OutboxStatus.sent and sent.attempts == 1 and sent.sent_at is not None


def test_a_failing_server_is_retried_with_backoff(session, database, settings, smtp_sink) -> None:
    sink, port = smtp_sink
    (row,) = queued(session, [make_manufacturer(session)])
    down = Worker(database, smtp(settings, free_port()))  # nothing listens there
    before = utcnow()
    (error,) = down.send_once().values()
    assert error is not None and "Connection" in error
    failed = state(session, row)
    assert failed.status is OutboxStatus.pending and failed.attempts == 1
    assert failed.last_error == error and failed.locked_until is None
    assert (
        before + timedelta(seconds=29) < failed.next_attempt_at < utcnow() + timedelta(seconds=31)
    )
    assert down.send_once() == {}  # not due yet
    sink.fail = 1  # the server answers 451 once
    up = Worker(database, smtp(settings, port))
    (error,) = up.send_once(utcnow() + timedelta(seconds=31)).values()
    assert error is not None and "451" in error
    assert state(session, row).attempts == 2
    assert state(session, row).next_attempt_at > utcnow() + timedelta(seconds=59)
    assert up.send_once(utcnow() + timedelta(seconds=200)) == {row.id: None}
    assert state(session, row).status is OutboxStatus.sent and state(session, row).attempts == 3
    assert len(sink.messages) == 1


def test_a_refused_mail_does_not_hold_up_the_rest(session, database, settings, smtp_sink):
    sink, port = smtp_sink
    owner = make_manufacturer(session)
    first, second = queued(session, [owner, make_user(session, owner.organization, owner.role)])
    sink.fail = 1
    results = Worker(database, smtp(settings, port)).send_once()
    assert "451" in (results[first.id] or "") and results[second.id] is None
    assert [m["To"] for m in sink.messages] == [second.to_email]
    assert state(session, first).status is OutboxStatus.pending


def test_it_gives_up_after_the_last_attempt(session, database, settings) -> None:
    (row,) = queued(session, [make_manufacturer(session)])
    worker = Worker(database, smtp(settings, free_port(), outbox_max_attempts=2))
    worker.send_once()
    worker.send_once(utcnow() + timedelta(hours=1))
    gave_up = state(session, row)
    assert gave_up.status is OutboxStatus.failed and gave_up.attempts == 2
    assert gave_up.last_error
    assert worker.send_once(utcnow() + timedelta(days=1)) == {}


def test_backoff_doubles_up_to_a_ceiling(settings) -> None:
    delays = [outbox.backoff(settings, n).total_seconds() for n in (1, 2, 3, 40)]
    assert delays == [30, 60, 120, 6 * 3600]


def test_a_claim_is_a_lease(session, database) -> None:
    (row,) = queued(session, [make_manufacturer(session)])
    now = utcnow()
    with database.transaction() as s:
        assert [m.id for m in outbox.claim(s, now)] == [row.id]
    with database.transaction() as s:
        assert outbox.claim(s, now) == []
    with database.transaction() as s:  # a worker that died mid-send: the lease runs out
        assert [m.id for m in outbox.claim(s, now + timedelta(minutes=6))] == [row.id]


def test_log_mode_writes_the_email_to_the_log(session, database, settings, caplog) -> None:
    owner = make_manufacturer(session)
    (row,) = queued(session, [owner])
    with caplog.at_level(logging.INFO, logger="axmatch.mail"):
        assert Worker(database, settings.model_copy(update={"smtp_host": ""})).send_once() == {
            row.id: None
        }
    assert f"To: {owner.email}" in caplog.text and "Subject: [axmatch]" in caplog.text
    assert state(session, row).status is OutboxStatus.sent


def test_log_mode_in_production_keeps_one_time_links_out_of_the_log(
    session, database, settings, caplog
) -> None:
    from app.accounts import recovery

    owner = make_manufacturer(session)
    recovery.send_reset(session, owner)
    session.commit()
    production = settings.model_copy(update={"smtp_host": "", "environment": "production"})
    with caplog.at_level(logging.INFO, logger="axmatch.mail"):
        Worker(database, production).send_once()
    assert f"To: {owner.email}" in caplog.text and "/reset/" not in caplog.text


def test_two_workers_at_once_send_each_message_once(scratch_db: Database, settings, smtp_sink):
    sink, port = smtp_sink
    with scratch_db.transaction() as session:
        owner = make_manufacturer(session)
        people = [owner] + [make_user(session, owner.organization, owner.role) for _ in range(29)]
        notify(session, people, NOTICE)
    start = threading.Barrier(2)

    def drain() -> int:
        worker, sent = Worker(scratch_db, smtp(settings, port)), 0
        start.wait()
        while results := worker.send_once(limit=3):
            sent += len(results)
        return sent

    totals: list[int] = []
    threads = [threading.Thread(target=lambda: totals.append(drain())) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(totals) == 30
    ids = [m["Message-ID"] for m in sink.messages]
    assert len(ids) == len(set(ids)) == 30
    with scratch_db.transaction(write=False) as session:
        rows = list(session.scalars(select(OutboxMessage)))
        assert {(r.status, r.attempts) for r in rows} == {(OutboxStatus.sent, 1)}


@pytest.fixture
def scratch_settings(scratch_db: Database, monkeypatch, request) -> Database:
    monkeypatch.setenv("DATABASE_URL", scratch_db.engine.url.render_as_string(False))
    monkeypatch.setenv("AXMATCH_SMTP_HOST", "")
    get_settings.cache_clear()
    request.addfinalizer(get_settings.cache_clear)  # runs before the environment is restored
    return scratch_db


def test_the_worker_command_runs_one_pass(scratch_settings: Database) -> None:
    with scratch_settings.transaction() as session:
        notify(session, [make_manufacturer(session)], NOTICE)
    result = CliRunner().invoke(cli, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "1 e-mails sent, 0 failed" in result.output
    with scratch_settings.transaction(write=False) as session:
        assert session.scalar(select(OutboxMessage.status)) is OutboxStatus.sent


CRLF = Notice("bids_ready", {"title": "프레스 검사\r\nBcc: evil@example.kr", "count": 2}, "/x")


def a_bad_batch(session, sink) -> dict[str, list[OutboxMessage]]:
    """Good mails around three bad ones: a title with CR/LF stored before titles refused it,
    an address no e-mail can be built for, and a recipient the server refuses."""
    owner = make_manufacturer(session)
    good = queued(session, [owner, make_user(session, owner.organization, owner.role)])
    crlf_user = make_user(session, owner.organization, owner.role)
    notify(session, [crlf_user], CRLF)
    session.add(OutboxMessage(to_email="bad\r\n@example.kr", subject="s", body="b"))
    refused_user = make_user(session, owner.organization, owner.role)
    sink.refuse = {refused_user.email}
    notify(session, [refused_user], NOTICE)
    notify(session, [make_user(session, owner.organization, owner.role)], NOTICE)
    session.commit()
    rows = list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    by_to = {r.to_email: r for r in rows}
    return {
        "good": good + [rows[-1]],
        "crlf": [by_to[crlf_user.email]],
        "unbuildable": [by_to["bad\r\n@example.kr"]],
        "refused": [by_to[refused_user.email]],
    }


def test_one_bad_message_fails_alone_and_the_rest_go_out_once_across_a_restart(
    session, database, settings, smtp_sink
) -> None:
    sink, port = smtp_sink
    batch = a_bad_batch(session, sink)
    results = Worker(database, smtp(settings, port)).send_once()
    assert len(results) == 6
    restarted = Worker(database, smtp(settings, port))  # after every lease would have run out
    again = restarted.send_once(utcnow() + outbox.LEASE + timedelta(minutes=1))
    assert set(again) == {batch["refused"][0].id}  # only the refused one is due again
    delivered = [m["Message-ID"] for m in sink.messages]
    expected = [f"<outbox-{r.id}@axmatch>" for r in batch["good"] + batch["crlf"]]
    assert sorted(delivered) == sorted(expected)  # each exactly once
    crlf = next(m for m in sink.messages if m["To"] == batch["crlf"][0].to_email)
    assert crlf["Bcc"] is None and "\n" not in crlf["Subject"] and "프레스 검사" in crlf["Subject"]
    assert all(
        envelope == [m["To"]] for envelope, m in zip(sink.envelopes, sink.messages, strict=True)
    )
    for row in batch["good"] + batch["crlf"]:
        assert state(session, row).status is OutboxStatus.sent and state(session, row).attempts == 1
    unbuildable = state(session, batch["unbuildable"][0])
    assert unbuildable.status is OutboxStatus.failed and unbuildable.attempts == 1
    assert "recipient" in unbuildable.last_error
    refused = state(session, batch["refused"][0])
    assert refused.status is OutboxStatus.pending and "550" in refused.last_error


def test_an_unexpected_error_fails_that_message_alone(
    session, database, settings, smtp_sink, monkeypatch, caplog
) -> None:
    sink, port = smtp_sink
    owner = make_manufacturer(session)
    rows = queued(session, [owner, make_user(session, owner.organization, owner.role)])
    build = outbox.message

    def broken_for_the_first(settings: Settings, mail: outbox.Mail):  # noqa: ANN202
        if mail.id == rows[0].id:
            raise LookupError("a codec this message needs is missing")
        return build(settings, mail)

    monkeypatch.setattr(outbox, "message", broken_for_the_first)
    with caplog.at_level(logging.ERROR, logger="axmatch.mail"):
        results = Worker(database, smtp(settings, port)).send_once()
    assert "LookupError" in (results[rows[0].id] or "") and results[rows[1].id] is None
    assert state(session, rows[0]).status is OutboxStatus.failed
    assert "LookupError" in caplog.text and len(sink.messages) == 1


def test_the_running_worker_survives_a_bad_message(session, database, settings, smtp_sink):
    sink, port = smtp_sink
    batch = a_bad_batch(session, sink)
    quick = smtp(settings, port, worker_poll_seconds=0.05, worker_scan_seconds=3600)
    stop = threading.Event()
    thread = threading.Thread(target=Worker(database, quick).run, args=(stop,), daemon=True)
    thread.start()
    for _ in range(200):  # bounded: at most 10 s
        if len(sink.messages) >= len(batch["good"]) + 1 or not thread.is_alive():
            break
        stop.wait(0.05)
    alive = thread.is_alive()
    stop.set()
    thread.join(timeout=10)
    assert alive and len(sink.messages) == len(batch["good"]) + 1
