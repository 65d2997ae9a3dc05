"""Arranging what each role's home lists: a need with bids past its deadline, a question,
a delivered milestone, a recorded result."""

from datetime import timedelta

from sqlalchemy.orm import Session

from app.engagements import outcomes, work
from app.models import (
    Bid,
    BidInvitation,
    Clarification,
    Engagement,
    Need,
    ResultPhase,
    Stage,
    User,
    utcnow,
)
from tests.builders import make_need


def bid(session: Session, need: Need, supplier: User, price: int = 5000) -> Bid:
    made = Bid(need_id=need.id, supplier_org_id=supplier.organization_id, price_total=price)
    session.add(made)
    session.flush()
    return made


def past_deadline(session: Session, owner: User, *bidders: User, **fields: object) -> Need:
    """An open need whose deadline has passed, with a bid from each bidder."""
    need = make_need(session, owner, deadline_at=utcnow() - timedelta(hours=2), **fields)
    for supplier in bidders:
        bid(session, need, supplier)
    return need


def open_need(session: Session, owner: User, **fields: object) -> Need:
    return make_need(session, owner, deadline_at=utcnow() + timedelta(days=5), **fields)


def invite(session: Session, need: Need, supplier: User) -> None:
    session.add(BidInvitation(need_id=need.id, supplier_org_id=supplier.organization_id))
    session.flush()


def question(session: Session, need: Need, supplier: User, answer: str | None = None) -> None:
    asked = Clarification(
        need_id=need.id,
        asked_by_org_id=supplier.organization_id,
        asked_by_id=supplier.id,
        question="데이터는 몇 장입니까?",
        answer=answer,
        answered_at=utcnow() if answer else None,
    )
    session.add(asked)
    session.flush()


def delivered_milestone(session: Session, engagement: Engagement, supplier: User) -> None:
    milestone = work.add_milestone(
        session, supplier, engagement.id, engagement.stage, "현장 진단 보고서", "", None
    )
    work.deliver_milestone(session, supplier, engagement.id, milestone.id)


def recorded_result(session: Session, engagement: Engagement, supplier: User) -> None:
    kpi = engagement.kpis[0]
    outcomes.record_result(
        session, supplier, engagement.id, kpi.id, ResultPhase.demonstration, 1.2, "측정 기록"
    )


def put_in(session: Session, engagement: Engagement, stage: Stage) -> None:
    """Place an engagement in a stage directly (the gates are tested in tests/engagements)."""
    engagement.stage = stage
    row = next(r for r in engagement.stages if r.stage is stage)
    row.actual_start = utcnow().date()
    session.flush()
