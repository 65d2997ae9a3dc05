"""Unique keys raced by simultaneous requests: one wins, the others get a clear 409 (JSON under
/api, the form again with the message on pages), and the losers write nothing.

On PostgreSQL the race is real (every racer passes the check before any commits); on SQLite
write transactions queue up, so the check itself refuses. The `between` tests make the other
side commit between the check and the insert on both databases, the window the races hit."""

from collections import Counter
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts import service as accounts
from app.bids import selection
from app.bids import service as bids
from app.bids.schemas import BidIn, ProposalIn
from app.config import Settings
from app.db import RACED, Database
from app.engagements import outcomes
from app.errors import Conflict
from app.i18n import gettext
from app.models import (
    Bid,
    ConflictOfInterest,
    Engagement,
    Organization,
    Review,
    Role,
    Stage,
    User,
)
from app.rounds import conflicts
from app.rounds.schemas import ConflictIn
from tests.bids.conftest import bid_body, future
from tests.builders import (
    PASSWORD,
    Browser,
    business_number,
    make_engagement,
    make_manufacturer,
    make_need,
    make_staff,
    make_supplier,
    make_user,
)
from tests.test_migrations import alembic_config
from tests.test_reliability import at_once, serve

RACERS = 6
EMAIL = "race@same-time.example.kr"


@pytest.fixture
def db(scratch_url: str) -> Iterator[Database]:
    command.upgrade(alembic_config(scratch_url), "head")
    database = Database.from_url(scratch_url)
    yield database
    database.engine.dispose()


def registration(email: str = EMAIL) -> dict[str, str]:
    return {
        "kind": "manufacturer",
        "organization_name": "동시가입정밀",
        "business_number": business_number(),
        "consent": True,
        "name": "담당자",
        "email": email,
        "password": PASSWORD,
    }


class Texts(HTMLParser):
    """The text of each element with an id, and of each role="alert"."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.by_id: dict[str, str] = {}
        self.alerts: list[str] = []
        self._open: list[tuple[str | None, bool]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self._open.append((values.get("id"), values.get("role") == "alert"))
        if values.get("id"):
            self.by_id[values["id"] or ""] = ""
        if values.get("role") == "alert":
            self.alerts.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for element_id, alert in self._open:
            if element_id:
                self.by_id[element_id] += data
            if alert:
                self.alerts[-1] += data


def accounts_of(db: Database, email: str = EMAIL) -> tuple[int, int]:
    """(users with the e-mail, organisations named like the registration)."""
    with db.transaction(write=False) as session:
        users = session.scalar(select(func.count(User.id)).where(User.email == email))
        orgs = select(func.count(Organization.id)).where(Organization.name == "동시가입정밀")
        return users or 0, session.scalar(orgs) or 0


def test_the_same_email_registered_at_once_by_api_is_one_account_and_409s(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    with serve(settings, db, tmp_path) as base:

        def register(_: int) -> httpx.Response:
            return httpx.post(f"{base}/api/register", json=registration(), timeout=60)

        responses = at_once(RACERS, register)
    assert Counter(r.status_code for r in responses) == {201: 1, 409: RACERS - 1}
    message = gettext("ko", accounts.EMAIL_TAKEN)
    assert {r.json()["message"] for r in responses if r.status_code == 409} == {message}
    assert accounts_of(db) == (1, 1)


def test_the_same_email_registered_at_once_by_form_is_one_account_and_the_form_again(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    with serve(settings, db, tmp_path) as base:
        clients = [httpx.Client(base_url=base, timeout=60) for _ in range(RACERS)]
        for client in clients:
            client.get("/register").raise_for_status()  # the CSRF cookie

        def register(i: int) -> httpx.Response:
            token = clients[i].cookies["csrftoken"]
            return clients[i].post("/register", data={"csrftoken": token, **registration()})

        responses = at_once(RACERS, register)
        for client in clients:
            client.close()
    assert Counter(r.status_code for r in responses) == {303: 1, 409: RACERS - 1}
    message = gettext("ko", accounts.EMAIL_TAKEN)
    for refused in (r for r in responses if r.status_code == 409):
        page = Texts(refused.text)
        assert page.by_id["email-error"] == message
        assert refused.headers["x-frame-options"] == "DENY"
    assert accounts_of(db) == (1, 1)


def test_a_registration_that_loses_the_race_by_api_is_a_409_that_writes_nothing(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(session, make_manufacturer(session).organization, Role.manufacturer, EMAIL)
    before = session.scalar(select(func.count(Organization.id)))
    monkeypatch.setattr(accounts, "email_taken", lambda s, e: False)  # checked before it landed
    response = client.post("/api/register", json=registration())
    assert response.status_code == 409
    assert response.json() == {"error": "conflict", "message": gettext("ko", accounts.EMAIL_TAKEN)}
    assert session.scalar(select(func.count(Organization.id))) == before
    assert session.scalar(select(func.count(User.id)).where(User.email == EMAIL)) == 1


def test_a_registration_that_loses_the_race_by_form_shows_the_form_again(
    browser: Browser, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(session, make_manufacturer(session).organization, Role.manufacturer, EMAIL)
    before = session.scalar(select(func.count(Organization.id)))
    monkeypatch.setattr(accounts, "email_taken", lambda s, e: False)
    response = browser.post("/register", registration())
    assert response.status_code == 409
    assert Texts(response.text).by_id["email-error"] == gettext("ko", accounts.EMAIL_TAKEN)
    assert session.scalar(select(func.count(Organization.id))) == before
    assert "axm_session" not in response.cookies


def test_a_bid_that_loses_the_race_to_a_colleague_is_a_409_not_a_500(
    browser: Browser, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No service message for this one: the app's unique-key handler answers it."""
    need = make_need(session, make_manufacturer(session), deadline_at=future())
    first = make_supplier(session, "동료입찰AI")
    bids.submit_bid(session, first, need.id, BidIn(**bid_body()))
    colleague = make_user(session, first.organization, Role.supplier)
    monkeypatch.setattr(bids, "own_bid", lambda s, v, n: None)  # looked before the first landed
    browser.login(colleague)
    response = browser.api("PUT", f"/api/needs/{need.id}/bid", json=bid_body())
    assert response.status_code == 409
    assert response.json()["message"] == gettext("ko", RACED)
    assert session.scalar(select(func.count(Bid.id))) == 1


def race(db: Database, act: Callable[[Session, int], object]) -> Counter[str]:
    """`act(session, i)` from RACERS threads at once, each in its own transaction: "done", or
    the message of the Conflict that refused it."""

    def attempt(i: int) -> str:
        try:
            with db.transaction() as session:
                act(session, i)
        except Conflict as refused:
            return refused.message
        return "done"

    return Counter(at_once(RACERS, attempt))


def test_colleagues_reviewing_one_engagement_at_once_write_one_review(db: Database) -> None:
    with db.transaction() as session:
        supplier = make_supplier(session)
        engagement = make_engagement(session, make_manufacturer(session), supplier)
        engagement.stage = Stage.closed
        users = [make_user(session, supplier.organization, Role.supplier).id for _ in range(RACERS)]
        engagement_id = engagement.id

    def review(session: Session, i: int) -> None:
        author = session.get_one(User, users[i])
        outcomes.write_review(session, author, engagement_id, 1 + i % 5, "함께 일해 좋았습니다")

    assert race(db, review) == {"done": 1, outcomes.REVIEWED: RACERS - 1}
    with db.transaction(write=False) as session:
        assert session.scalar(select(func.count(Review.id))) == 1


def test_one_conflict_of_interest_declared_at_once_is_declared_once(db: Database) -> None:
    with db.transaction() as session:
        supplier, owner = make_supplier(session), make_manufacturer(session)
        staff = [make_staff(session).id for _ in range(RACERS)]
        body = ConflictIn(
            supplier_org_id=supplier.organization_id,
            manufacturer_org_id=owner.organization_id,
            reason="대표자가 같습니다",
        )

    def declare(session: Session, i: int) -> None:
        conflicts.declare(session, session.get_one(User, staff[i]), body)

    assert race(db, declare) == {"done": 1, conflicts.DECLARED: RACERS - 1}
    with db.transaction(write=False) as session:
        assert session.scalar(select(func.count(ConflictOfInterest.id))) == 1


def test_two_proposals_accepted_at_once_start_one_engagement(db: Database) -> None:
    with db.transaction() as session:
        owner = make_manufacturer(session)
        need_id = make_need(session, owner, deadline_at=future()).id
        staff = make_staff(session)
        orgs = [make_supplier(session, f"제안{i}AI").organization_id for i in range(RACERS)]
        reason = "두 기업에 제안하기로 하여 입찰을 마감합니다."
        for n, org in enumerate(orgs):  # the first ends the bidding (no proposal while sealed)
            body = ProposalIn(supplier_org_id=org, end_bidding=n == 0, end_reason=reason)
            selection.propose(session, staff, need_id, body)
        owner_id = owner.id

    def accept(i: int) -> str:
        try:
            with db.transaction() as session:
                user = session.get_one(User, owner_id)
                selection.decide_proposal(session, user, need_id, orgs[i % 2], True, None)
        except Conflict:
            return "refused"
        return "accepted"

    assert Counter(at_once(RACERS, accept)) == {"accepted": 1, "refused": RACERS - 1}
    with db.transaction(write=False) as session:
        count = select(func.count(Engagement.id)).where(Engagement.need_id == need_id)
        assert session.scalar(count) == 1
