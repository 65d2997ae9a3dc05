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


def verify_phase(session: Session, c: Cast, phase, value: float = 0.8) -> None:
    """Record and verify a result of `phase` for every acceptance KPI (0.8: meets the
    default defect-rate target of 1.0 from a baseline of 3.0)."""
    from app.engagements import outcomes

    for kpi in c.engagement.kpis:
        result = outcomes.record_result(
            session, c.supplier, c.engagement.id, kpi.id, phase, value, "측정"
        )
        outcomes.verify_result(session, c.coordinator, c.engagement.id, result.id)


def verify_demonstration(session: Session, c: Cast, value: float = 0.8) -> None:
    from app.models import ResultPhase

    verify_phase(session, c, ResultPhase.demonstration, value)


def plan_design(session: Session, c: Cast) -> None:
    """What the gate into design asks for: the design stage's dates and a milestone."""
    from datetime import date

    from app.engagements import work

    work.set_plan(
        session, c.coordinator, c.engagement.id, Stage.design, date(2026, 1, 5), date(2026, 2, 5)
    )
    work.add_milestone(session, c.supplier, c.engagement.id, Stage.design, "설계서", "", None)


def accept_all(session: Session, c: Cast, stage: Stage) -> None:
    from app.engagements import work

    for milestone in c.engagement.milestones:
        if milestone.stage is stage and milestone.accepted_at is None:
            work.deliver_milestone(session, c.supplier, c.engagement.id, milestone.id)
            work.accept_milestone(session, c.manufacturer, c.engagement.id, milestone.id)


def meet_gate(session: Session, c: Cast, target: Stage) -> None:
    """Put in place everything the gate from the current stage to `target` asks for."""
    from app.models import ResultPhase

    if target is Stage.design:
        plan_design(session, c)
    elif target is Stage.demonstration:
        accept_all(session, c, Stage.design)
    elif target is Stage.deployment:
        accept_all(session, c, Stage.demonstration)
        verify_demonstration(session, c)
    elif target is Stage.closed:
        verify_phase(session, c, ResultPhase.deployment)


def advance(session: Session, c: Cast, target: Stage) -> None:
    """Move the cast's engagement forward (through each gate) until it is in `target`."""
    from app.engagements.stages import FORWARD, move_stage

    for move in FORWARD:
        if c.engagement.stage is target:
            return
        meet_gate(session, c, move.target)
        move_stage(session, c.coordinator, c.engagement.id, move.target, None)
    session.flush()


def english(error: Exception) -> str:
    """A domain error's message as an English reader sees it."""
    from app.i18n import gettext

    return gettext("en", error.message, **error.params)  # type: ignore[attr-defined]
