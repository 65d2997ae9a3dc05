"""Everything the agreement page and GET /api/engagements/{id}/agreement show, in one place."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.agreements.payments import Totals, totals
from app.agreements.service import current, payments_of
from app.engagements.service import get_engagement, is_staff, party_of
from app.files import service as files
from app.models import Agreement, Attachment, AttachmentOwner, Engagement, Payment, User


@dataclass
class Settlement:
    engagement: Engagement
    current: Agreement
    versions: list[Agreement]  # oldest first; the last is `current`
    payments: list[Payment]
    totals: Totals
    side: str | None  # the viewer's: "supplier", "manufacturer", or None for staff
    staff: bool
    signed: dict[int, list[Attachment]]  # signed documents by agreement version id
    evidence: dict[int, list[Attachment]]  # evidence by payment id

    @property
    def to_confirm(self) -> bool:
        """The viewer's side has yet to confirm the current version."""
        return self.side is not None and getattr(self.current, f"{self.side}_confirmed_at") is None


def load_settlement(session: Session, user: User, engagement_id: int) -> Settlement:
    engagement = get_engagement(session, user, engagement_id)
    agreement = current(engagement)
    payments = payments_of(session, engagement)
    versions = list(engagement.agreements)
    return Settlement(
        engagement=engagement,
        current=agreement,
        versions=versions,
        payments=payments,
        totals=totals(agreement, payments),
        side=party_of(user, engagement),
        staff=is_staff(user),
        signed=files.files_of(session, AttachmentOwner.agreement, [v.id for v in versions]),
        evidence=files.files_of(session, AttachmentOwner.payment, [p.id for p in payments]),
    )
