"""Concurrent writers on real connections (SQLite and PostgreSQL): nothing lost, nothing
duplicated, and a stale edit is refused instead of overwriting."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from alembic import command
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.accounts import service as accounts
from app.accounts.schemas import Registration
from app.db import Database, expect_version
from app.errors import Conflict
from app.models import Need, Organization
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
