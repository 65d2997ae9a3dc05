"""Public programme figures for the landing page (no private data)."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import ManufacturerProfile, Membership, Need, NeedStatus, SupplierProfile
from app.needs.service import phase_is


@dataclass(frozen=True)
class Summary:
    suppliers: int
    supplier_goal: int
    manufacturers: int
    open_needs: int
    needs: int


def programme_summary(session: Session, supplier_goal: int) -> Summary:
    admitted = select(func.count(SupplierProfile.id)).where(
        SupplierProfile.membership == Membership.admitted
    )
    open_needs = select(func.count(Need.id)).where(phase_is("open"))
    published = select(func.count(Need.id)).where(Need.status != NeedStatus.draft)
    return Summary(
        suppliers=session.scalar(admitted) or 0,
        supplier_goal=supplier_goal,
        manufacturers=session.scalar(select(func.count(ManufacturerProfile.id))) or 0,
        open_needs=session.scalar(open_needs) or 0,
        needs=session.scalar(published) or 0,
    )
