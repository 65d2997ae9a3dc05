"""Shared bits for the engagement tests: a cast of three organisations, ids in a page, audit."""

from dataclasses import dataclass
from html.parser import HTMLParser

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Engagement, Role, Stage, User
from tests.builders import make_engagement, make_manufacturer, make_staff, make_supplier


@dataclass
class Cast:
    manufacturer: User
    supplier: User
    coordinator: User
    admin: User
    stranger: User  # a third organisation
    engagement: Engagement


def cast(session: Session) -> Cast:
    manufacturer = make_manufacturer(session)
    supplier = make_supplier(session)
    return Cast(
        manufacturer=manufacturer,
        supplier=supplier,
        coordinator=make_staff(session),
        admin=make_staff(session, Role.admin),
        stranger=make_manufacturer(session, name="남의공장"),
        engagement=make_engagement(session, manufacturer, supplier),
    )


def ids(html: str) -> set[str]:
    found: set[str] = set()

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.update(v for k, v in attrs if k == "id" and v)

    Parser().feed(html)
    return found


def actions(session: Session, engagement: Engagement) -> list[str]:
    query = (
        select(AuditEntry.action)
        .where(AuditEntry.entity_type == "engagements", AuditEntry.entity_id == engagement.id)
        .order_by(AuditEntry.id)
    )
    return list(session.scalars(query))


def verify_demonstration(session: Session, c: Cast) -> None:
    """Record and verify a demonstration result for every acceptance KPI."""
    from app.engagements import outcomes
    from app.models import ResultPhase

    for kpi in c.engagement.kpis:
        result = outcomes.record_result(
            session, c.supplier, c.engagement.id, kpi.id, ResultPhase.demonstration, 0.8, "측정"
        )
        outcomes.verify_result(session, c.coordinator, c.engagement.id, result.id)


def advance(session: Session, c: Cast, target: Stage) -> None:
    """Move the cast's engagement forward (through the gate) until it is in `target`."""
    from app.engagements.stages import FORWARD, move_stage

    for move in FORWARD:
        if c.engagement.stage is target:
            return
        if move.target is Stage.deployment:
            verify_demonstration(session, c)
        move_stage(session, c.coordinator, c.engagement.id, move.target, None)
    session.flush()
