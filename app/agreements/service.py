"""Agreements (협약): the terms of an engagement, versioned, confirmed by both parties.

Approval starts the engagement with version 1 drafted from the awarded bid
(`app.engagements.service.first_agreement`). Each party confirms the current version (and
may attach the signed document); consulting cannot be signed off until both have
(`app.engagements.gates.agreement_shortfalls`). A coordinator amends: a new version, the old
ones kept as they were, and both parties confirm again. Every write is audited on the
engagement, so it shows in its timeline and notifies the other side.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agreements.schemas import AmendIn
from app.audit import record
from app.engagements.service import get_engagement, is_staff, party_of, today
from app.errors import Conflict, Forbidden, Invalid
from app.models import Agreement, Engagement, Payment, PaymentKind, Stage, User, utcnow
from app.money import Won

STALE = "The agreement was amended since you read it: read the new version first."


def current(engagement: Engagement) -> Agreement:
    found = engagement.agreement()
    if found is None:
        raise Conflict("The engagement has no agreement yet.")
    return found


def _expect(agreement: Agreement, number: int) -> None:
    if agreement.number != number:
        raise Conflict(STALE)


def confirm(session: Session, user: User, engagement_id: int, number: int) -> Agreement:
    """The viewer's side confirms the current version (once: a second time is a 409)."""
    engagement = get_engagement(session, user, engagement_id)
    side = party_of(user, engagement)
    if side is None:
        raise Forbidden("Only the supplier or the manufacturer confirms the agreement.")
    agreement = current(engagement)
    _expect(agreement, number)
    if getattr(agreement, f"{side}_confirmed_at") is not None:
        raise Conflict("Your side has already confirmed this version.")
    setattr(agreement, f"{side}_confirmed_at", utcnow())
    setattr(agreement, f"{side}_confirmed_by_id", user.id)
    engagement.updated_at = utcnow()
    if agreement.confirmed():
        consulting_begins(engagement)
    after = {"number": agreement.number, "side": side, "both": agreement.confirmed()}
    record(session, user, "agreement.confirmed", engagement, after=after)
    return agreement


def consulting_begins(engagement: Engagement) -> None:
    """Consulting starts the day the agreement is first confirmed by both sides (the
    programme's rule: no work before the 협약); a later version confirmed again keeps it."""
    for row in engagement.stages:
        if row.stage is Stage.consulting and row.actual_start is None:
            row.actual_start = today()


def amend(session: Session, user: User, engagement_id: int, data: AmendIn) -> Agreement:
    """A coordinator writes the changed terms as a new version; paid tranches must still fit."""
    if not is_staff(user):
        raise Forbidden("Only a coordinator amends an agreement.")
    engagement = get_engagement(session, user, engagement_id)
    previous = current(engagement)
    _expect(previous, data.number)
    _still_covers(session, engagement, data.price_subsidy, data.price_copay)
    terms = data.model_dump(exclude={"number", "reason", "programme", "reference"})
    terms |= {"programme": data.programme or "", "reference": data.reference or ""}
    agreement = Agreement(
        number=previous.number + 1,
        schedule=previous.schedule,
        kpis=previous.kpis,
        reason=data.reason,
        created_by_id=user.id,
        **terms,
    )
    engagement.agreements.append(agreement)
    engagement.updated_at = utcnow()
    session.flush()
    before = _terms(previous)
    after = {"number": agreement.number} | _terms(agreement)
    record(
        session,
        user,
        "agreement.amended",
        engagement,
        before=before,
        after=after,
        reason=data.reason,
    )
    return agreement


def _terms(agreement: Agreement) -> dict[str, object]:
    fields = ("price_total", "price_subsidy", "price_copay", "starts_on", "ends_on", "programme")
    return {f: getattr(agreement, f) for f in fields}


def payments_of(session: Session, engagement: Engagement) -> list[Payment]:
    query = select(Payment).where(Payment.engagement_id == engagement.id)
    return list(session.scalars(query.order_by(Payment.paid_on, Payment.id)))


def paid(payments: list[Payment], kind: PaymentKind) -> int:
    return sum(p.amount for p in payments if p.kind is kind)


def _still_covers(session: Session, engagement: Engagement, subsidy: int, copay: int) -> None:
    done = payments_of(session, engagement)
    for kind, cap in ((PaymentKind.subsidy, subsidy), (PaymentKind.copay, copay)):
        if paid(done, kind) > cap:
            raise Invalid(
                "Already paid: %(paid)s, more than the amended amount %(cap)s.",
                paid=Won(paid(done, kind)),
                cap=Won(cap),
            )
