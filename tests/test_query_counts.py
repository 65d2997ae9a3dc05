"""Pages built for size: a list page's query count does not grow with its rows.

Each page is rendered with a few rows, then with several more of the same kind; the number of
SQL statements must stay the same (an N+1 lazy load in a row template adds one per row).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from app import audit
from app.models import (
    Bid,
    Cohort,
    CohortMember,
    ConflictKind,
    ConflictOfInterest,
    Membership,
    Need,
    Role,
    User,
    utcnow,
)
from app.notifications.service import Notice, notify
from tests.builders import (
    Browser,
    make_case_study,
    make_engagement,
    make_manufacturer,
    make_need,
    make_staff,
    make_supplier,
)
from tests.cohorts.helpers import make_cohort, make_sponsor


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement sent on `engine` inside the block."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


@dataclass
class World:
    session: Session
    manufacturer: User
    supplier: User
    coordinator: User
    admin: User
    focus: Need
    cohort: Cohort
    counter: int = 0

    def need(self) -> None:
        make_need(self.session, make_manufacturer(self.session, self._name("제조")))

    def my_need(self) -> None:
        make_need(self.session, self.manufacturer)

    def supplier_org(self) -> None:
        other = make_supplier(self.session, self._name("AI"))
        make_case_study(self.session, other)

    def cohort_member(self) -> None:
        member = make_manufacturer(self.session, self._name("협력"))
        self.cohort.members.append(CohortMember(manufacturer_org_id=member.organization_id))
        self.session.flush()

    def my_case_study(self) -> None:
        make_case_study(self.session, self.supplier, title=self._name("사례"))

    def conflict(self) -> None:
        self.session.add(
            ConflictOfInterest(
                supplier_org_id=make_supplier(self.session, self._name("충돌AI")).organization_id,
                manufacturer_org_id=make_manufacturer(
                    self.session, self._name("충돌제조")
                ).organization_id,
                kind=ConflictKind.declared,
                reason="같은 대표",
            )
        )
        self.session.flush()

    def application(self) -> None:
        make_supplier(self.session, self._name("신청"), membership=Membership.applied)

    def engagement(self) -> None:
        make_engagement(
            self.session, make_manufacturer(self.session, self._name("협업")), self.supplier
        )

    def bid(self) -> None:
        need = make_need(self.session, make_manufacturer(self.session, self._name("입찰")))
        self.session.add(
            Bid(need=need, supplier_org_id=self.supplier.organization_id, price_total=5000)
        )
        self.session.flush()

    def bid_on_focus(self) -> None:
        """A bid on the manufacturer's need whose deadline has passed (the comparison)."""
        other = make_supplier(self.session, self._name("응찰"))
        make_case_study(self.session, other)
        self.session.add(
            Bid(need=self.focus, supplier_org_id=other.organization_id, price_total=5000)
        )
        self.session.flush()

    def audit_entry(self) -> None:
        need = make_need(self.session, self.manufacturer)
        audit.record(
            self.session, self.manufacturer, "need.published", need, after={"title": need.title}
        )

    def notification(self) -> None:
        notify(
            self.session,
            [self.supplier],
            Notice("need_amended", {"title": self._name("공지")}, "/needs"),
        )

    def user(self) -> None:
        make_manufacturer(self.session, self._name("사용자"))

    def _name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"


# (page, who reads it, how one more row is made)
PAGES: list[tuple[str, str, Callable[[World], None]]] = [
    ("/needs", "supplier", World.need),
    ("/needs", "coordinator", World.need),
    ("/needs/mine", "manufacturer", World.my_need),
    ("/suppliers", "manufacturer", World.supplier_org),
    ("/coordinator/applications", "coordinator", World.application),
    ("/coordinator/organizations", "coordinator", World.supplier_org),
    ("/engagements", "coordinator", World.engagement),
    ("/engagements", "supplier", World.engagement),
    ("/engagements/board", "coordinator", World.engagement),
    ("/bids", "supplier", World.bid),
    ("/coordinator/audit", "coordinator", World.audit_entry),
    ("/notifications", "supplier", World.notification),
    ("/admin/users", "admin", World.user),
    ("/needs/{focus}", "manufacturer", World.bid_on_focus),
    ("/needs/{focus}", "coordinator", World.bid_on_focus),
    ("/coordinator/dashboard", "coordinator", World.engagement),
    ("/programme", "coordinator", World.engagement),
    ("/suppliers/{supplier}", "manufacturer", World.my_case_study),
    ("/profile", "supplier", World.my_case_study),
    ("/coordinator/conflicts", "coordinator", World.conflict),
    ("/coordinator/conflicts?supplier_q=AI", "coordinator", World.supplier_org),
    ("/coordinator/rounds/new", "coordinator", World.need),
    ("/coordinator/cohorts/{cohort}", "coordinator", World.cohort_member),
]


@pytest.fixture
def world(session: Session) -> World:
    manufacturer = make_manufacturer(session, "기준정밀")
    focus = make_need(session, manufacturer, deadline_at=utcnow() - timedelta(days=1))
    return World(
        session,
        manufacturer,
        make_supplier(session, "기준AI"),
        make_staff(session),
        make_staff(session, Role.admin),
        focus,
        make_cohort(session, make_sponsor(session)),
    )


@pytest.mark.parametrize(("path", "reader", "add"), PAGES, ids=[f"{p} as {r}" for p, r, _ in PAGES])
def test_query_count_does_not_grow_with_rows(
    browser: Browser,
    engine: Engine,
    world: World,
    path: str,
    reader: str,
    add: Callable[[World], None],
) -> None:
    browser.login(getattr(world, reader))
    ids = {"focus": world.focus.id, "cohort": world.cohort.id}
    path = path.format(**ids, supplier=world.supplier.organization_id)
    for _ in range(2):
        add(world)
    browser.get(path)  # warm: first-request work (caches, vocabularies) is not per row
    with statements(engine) as few:
        first = browser.get(path)
    for _ in range(6):
        add(world)
    with statements(engine) as many:
        second = browser.get(path)
    assert first.status_code == second.status_code == 200, (path, first.status_code)
    assert len(many) <= len(few), (
        f"{path} as {reader}: {len(few)} statements with few rows, {len(many)} with 6 more:\n"
        + "\n".join(q.split("\n")[0][:160] for q in many[len(few) - 3 :])
    )
