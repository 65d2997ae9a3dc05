"""Payment tranches: the programme's subsidy disbursed and the manufacturer's co-payment
received, each tied to a milestone and recorded by a coordinator with its date and
reference (voucher / programme number). Neither total may pass the agreement's split: a
tranche that would is refused (422) and nothing is written."""

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from app.agreements.schemas import PaymentIn
from app.agreements.service import current, paid, payments_of
from app.audit import record
from app.engagements.service import get_engagement, is_staff
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.i18n import Msgid
from app.models import Agreement, Engagement, Payment, PaymentKind, User, utcnow
from app.money import Won

KIND_NAMES = {
    PaymentKind.subsidy: Msgid("Subsidy disbursed"),
    PaymentKind.copay: Msgid("Co-payment received"),
}


@dataclass(frozen=True)
class Totals:
    """What the current agreement splits, and what has been paid of each part."""

    subsidy_agreed: int
    subsidy_disbursed: int
    copay_agreed: int
    copay_received: int

    @property
    def subsidy_remaining(self) -> int:
        return self.subsidy_agreed - self.subsidy_disbursed

    @property
    def copay_remaining(self) -> int:
        return self.copay_agreed - self.copay_received


def totals(agreement: Agreement, payments: list[Payment]) -> Totals:
    return Totals(
        agreement.price_subsidy,
        paid(payments, PaymentKind.subsidy),
        agreement.price_copay,
        paid(payments, PaymentKind.copay),
    )


def _cap(agreement: Agreement, kind: PaymentKind) -> int:
    return agreement.price_subsidy if kind is PaymentKind.subsidy else agreement.price_copay


def record_payment(session: Session, user: User, engagement_id: int, data: PaymentIn) -> Payment:
    if not is_staff(user):
        raise Forbidden("Only a coordinator records payments.")
    engagement = get_engagement(session, user, engagement_id)
    agreement = current(engagement)
    if not agreement.confirmed():
        raise Conflict("Payments follow a confirmed agreement: both parties confirm it first.")
    _milestone(engagement, data.milestone_id)
    kind = PaymentKind(data.kind)
    after_this = paid(payments_of(session, engagement), kind) + data.amount
    if after_this > _cap(agreement, kind):
        raise Invalid(
            "%(kind)s would come to %(total)s, more than the agreement's %(cap)s.",
            kind=KIND_NAMES[kind],
            total=Won(after_this),
            cap=Won(_cap(agreement, kind)),
        )
    terms = data.model_dump(exclude={"kind", "note"})
    payment = Payment(engagement_id=engagement.id, recorded_by_id=user.id, kind=kind, **terms)
    payment.note = data.note or ""
    session.add(payment)
    engagement.updated_at = utcnow()
    session.flush()
    after = {"payment_id": payment.id, "kind": kind.value, "amount": data.amount}
    after |= {
        "paid_on": data.paid_on,
        "reference": data.reference,
        "milestone_id": data.milestone_id,
    }
    record(session, user, "payment.recorded", engagement, after=after)
    return payment


def _milestone(engagement: Engagement, milestone_id: int) -> None:
    if not any(m.id == milestone_id for m in engagement.milestones):
        raise NotFound("Milestone not found.")


def get_payment(session: Session, user: User, engagement_id: int, payment_id: int) -> Payment:
    engagement = get_engagement(session, user, engagement_id)
    payment = session.get(Payment, payment_id)
    if payment is None or payment.engagement_id != engagement.id:
        raise NotFound("Payment not found.")
    return payment


def payments_query(user: User, engagement_id: int | None = None) -> Select[tuple[Payment]]:
    """Every recorded tranche of the engagements `user` may see (staff: all), for exports."""
    query = (
        select(Payment)
        .join(Engagement, Engagement.id == Payment.engagement_id)
        .options(selectinload(Payment.milestone))
    )
    if not is_staff(user):
        org = user.organization_id
        query = query.where(
            (Engagement.supplier_org_id == org) | (Engagement.manufacturer_org_id == org)
        )
    if engagement_id is not None:
        query = query.where(Engagement.id == engagement_id)
    return query.order_by(Engagement.id, Payment.paid_on, Payment.id)
