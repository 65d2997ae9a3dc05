"""Concurrent writers on real connections (SQLite and PostgreSQL): nothing lost, nothing
duplicated, and a stale edit is refused instead of overwriting."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.accounts import recovery, tokens
from app.accounts import service as accounts
from app.accounts.schemas import Registration
from app.config import get_settings
from app.db import Database, expect_version
from app.errors import Conflict, NotFound, Throttled
from app.models import Need, Organization, OutboxMessage, TokenPurpose
from tests.builders import PASSWORD, business_number, make_manufacturer, make_need
from tests.test_migrations import alembic_config

WORKERS = 20


@pytest.fixture
def db(scratch_url: str) -> Database:
    command.upgrade(alembic_config(scratch_url), "head")
    database = Database.from_url(scratch_url)
    yield database
    database.engine.dispose()


def register(db: Database, n: int) -> None:
    data = Registration(
        kind="manufacturer",
        organization_name=f"동시가입 {n}",
        business_number=business_number(n),
        name="담당",
        email=f"c{n}@same-time.example.kr",
        password=PASSWORD,
        consent=True,
    )
    with db.transaction() as session:
        accounts.register(session, data, "ko")


def test_simultaneous_registrations_all_land(db: Database) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda n: register(db, n), range(WORKERS)))
    with db.transaction(write=False) as session:
        assert session.scalar(select(func.count(Organization.id))) == WORKERS


def test_the_same_email_registered_twice_at_once_lands_once(db: Database) -> None:
    def attempt(_: int) -> bool:
        try:
            register(db, 0)
        except (Conflict, IntegrityError):  # the unique index is the last line of defence
            return False
        return True

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(attempt, range(4)))
    assert results.count(True) == 1


def increment(db: Database, need_id: int) -> None:
    """Read-modify-write with optimistic locking, retried until it lands."""
    while True:
        try:
            with db.transaction() as session:
                need = session.get(Need, need_id)
                need.timeline_months = (need.timeline_months or 0) + 1
            return
        except StaleDataError:
            continue


def test_concurrent_read_modify_write_loses_no_update(db: Database) -> None:
    with db.transaction() as session:
        need_id = make_need(session, make_manufacturer(session), timeline_months=0).id
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: increment(db, need_id), range(WORKERS)))
    with db.transaction(write=False) as session:
        assert session.get(Need, need_id).timeline_months == WORKERS


def test_an_edit_based_on_an_old_version_is_refused(db: Database) -> None:
    with db.transaction() as session:
        need_id = make_need(session, make_manufacturer(session)).id
    with db.transaction() as session:
        seen = session.get(Need, need_id).version
        session.get(Need, need_id).title = "먼저 저장한 제목"
    with pytest.raises(Conflict), db.transaction() as session:
        need = session.get(Need, need_id)
        expect_version(need, seen)
    with db.transaction(write=False) as session:
        assert session.get(Need, need_id).title == "먼저 저장한 제목"


def _outcome(call) -> str:  # type: ignore[no-untyped-def]
    try:
        call()
    except (Throttled, NotFound, Conflict):
        return "refused"
    except IntegrityError:
        return "duplicate"
    return "done"


def test_simultaneous_reset_requests_stay_within_the_limit(db: Database) -> None:
    """The throttle counts under the same locks as logins: 20 at once, exactly the limit pass."""
    with db.transaction() as session:
        email = make_manufacturer(session).email

    def ask() -> None:
        with db.transaction() as session:
            recovery.request_reset(session, email, "10.0.0.9")

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda _: _outcome(ask), range(WORKERS)))
    limit = get_settings().reset_max_requests
    assert outcomes.count("done") == limit and outcomes.count("refused") == WORKERS - limit
    with db.transaction() as session:
        sent = select(func.count(OutboxMessage.id)).where(OutboxMessage.to_email == email)
        assert session.scalar(sent) == limit


def test_one_reset_link_used_twice_at_once_works_once(db: Database) -> None:
    with db.transaction() as session:
        user = make_manufacturer(session)
        secret = tokens.issue(session, user, TokenPurpose.reset, timedelta(hours=1))

    def use(n: int) -> None:
        with db.transaction() as session:
            recovery.reset_password(session, secret, f"fresh-passphrase-{n}-xyz")

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(lambda n: _outcome(lambda: use(n)), range(4)))
    assert outcomes.count("done") == 1, outcomes


def test_one_business_number_registered_twice_at_once_lands_once(db: Database) -> None:
    def one(n: int) -> None:
        data = Registration(
            kind="supplier",
            organization_name=f"같은번호 {n}",
            business_number="2208162517",
            name="담당",
            email=f"same-number{n}@x.example.kr",
            password=PASSWORD,
            consent=True,
        )
        with db.transaction() as session:
            accounts.register(session, data, "ko")

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(lambda n: _outcome(lambda: one(n)), range(4)))
    assert outcomes.count("done") == 1, outcomes
    with db.transaction() as session:
        query = select(func.count(Organization.id)).where(
            Organization.business_number == "2208162517"
        )
        assert session.scalar(query) == 1
