"""Bidding and approval on real connections: nothing lost, nothing duplicated, one winner."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import func, select

from app.bids import selection, service
from app.bids.schemas import BidIn, DecisionIn, SelectIn
from app.db import Database
from app.errors import Conflict
from app.models import (
    AuditEntry,
    Award,
    AwardStatus,
    Bid,
    BidVersion,
    Engagement,
    IdempotencyKey,
    User,
    utcnow,
)
from tests.bids.conftest import bid_body, future
from tests.builders import make_manufacturer, make_need, make_staff, make_supplier
from tests.test_migrations import alembic_config

WORKERS = 8


@pytest.fixture
def db(scratch_url: str) -> Database:
    command.upgrade(alembic_config(scratch_url), "head")
    database = Database.from_url(scratch_url)
    yield database
    database.engine.dispose()


def submit(db: Database, user_id: int, need_id: int, key: str | None = None) -> int:
    with db.transaction() as session:
        user = session.get_one(User, user_id)
        return service.submit_bid(session, user, need_id, BidIn(**bid_body()), key).id


def test_fifty_suppliers_bidding_at_once_make_fifty_bids(db: Database) -> None:
    with db.transaction() as session:
        need_id = make_need(session, make_manufacturer(session), deadline_at=future()).id
        users = [make_supplier(session, f"동시입찰 {n}").id for n in range(50)]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(lambda uid: submit(db, uid, need_id), users))
    with db.transaction(write=False) as session:
        assert session.scalar(select(func.count(Bid.id))) == 50
        assert session.scalar(select(func.count(BidVersion.id))) == 50


def test_retried_submissions_with_one_key_make_one_bid(db: Database) -> None:
    with db.transaction() as session:
        need_id = make_need(session, make_manufacturer(session), deadline_at=future()).id
        user_id = make_supplier(session).id
    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(lambda _: submit(db, user_id, need_id, "one-key-retry"), range(8)))
    assert len(set(ids)) == 1
    with db.transaction(write=False) as session:
        assert session.scalar(select(func.count(BidVersion.id))) == 1
        assert session.scalar(select(func.count(IdempotencyKey.id))) == 1


def approve(db: Database, staff_id: int, need_id: int) -> bool:
    try:
        with db.transaction() as session:
            user = session.get_one(User, staff_id)
            selection.decide_award(session, user, need_id, True, DecisionIn(reason="승인합니다"))
    except Conflict:
        return False
    return True


def test_twenty_simultaneous_approvals_have_one_winner(db: Database) -> None:
    with db.transaction() as session:
        owner = make_manufacturer(session)
        need = make_need(session, owner, deadline_at=future())
        supplier = make_supplier(session)
        service.submit_bid(session, supplier, need.id, BidIn(**bid_body()))
        need.deadline_at = utcnow() - timedelta(minutes=1)
        session.flush()
        body = SelectIn(supplier_org_id=supplier.organization_id, justification="적정합니다")
        selection.select_bid(session, owner, need.id, body)
        staff = [make_staff(session).id for _ in range(20)]
        need_id = need.id
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(lambda sid: approve(db, sid, need_id), staff))
    assert results.count(True) == 1
    with db.transaction(write=False) as session:
        assert session.scalar(select(func.count(Engagement.id))) == 1
        assert session.scalar(select(Award.status)) is AwardStatus.approved
        approvals = select(func.count(AuditEntry.id)).where(AuditEntry.action == "award.approved")
        assert session.scalar(approvals) == 1
