"""Membership over time: a rejected or expired supplier applies again; every admission carries
a review date (`membership_review_days` after it), coordinators see the suppliers due for a
re-check in a queue and are reminded `membership_review_notice_days` before; an admission
nobody renewed `membership_review_grace_days` after its date expires (by the worker)."""

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings
from app.coordinator.service import (
    PAGE_SIZE,
    REAPPLY,
    OrgRow,
    _org_rows,
    set_membership,
    supplier_for,
)
from app.db import Page, paginate
from app.errors import Conflict, Forbidden
from app.models import Membership, Role, SupplierProfile, User

REAPPLIED = "다시 신청함 / Applied again"
EXPIRED_REASON = (
    "재심사 기한까지 재확인되지 않아 만료되었습니다. 다시 신청할 수 있습니다. "
    "/ Not re-checked by the review date; you may apply again."
)


def reapply(session: Session, user: User) -> SupplierProfile:
    """The supplier's own application again, after a rejection or an expiry."""
    if user.role is not Role.supplier:
        raise Forbidden("Only a supplier applies to the support group.")
    profile = supplier_for(session, user.organization_id)
    if profile.membership not in REAPPLY:
        raise Conflict("Only a rejected or expired supplier can apply again.")
    set_membership(session, user, profile, Membership.applied, "membership.reapplied", REAPPLIED)
    return profile


def _due(now: datetime, settings: Settings) -> object:
    ahead = now + timedelta(days=settings.membership_review_notice_days)
    return (SupplierProfile.membership == Membership.admitted) & (
        SupplierProfile.membership_review_at <= ahead
    )


def reviews_due(session: Session, settings: Settings, now: datetime, page: int = 1) -> Page[OrgRow]:
    """Admitted suppliers whose re-check is due (or soon), the earliest first: the queue."""
    query = _org_rows().where(_due(now, settings))  # type: ignore[arg-type]
    query = query.order_by(SupplierProfile.membership_review_at, SupplierProfile.id)
    result = paginate(session, query, page, PAGE_SIZE, rows=True)
    return replace(result, items=[OrgRow(*row) for row in result.items])


def due_profiles(session: Session, settings: Settings, now: datetime) -> list[SupplierProfile]:
    query = select(SupplierProfile).where(_due(now, settings))  # type: ignore[arg-type]
    return list(session.scalars(query.order_by(SupplierProfile.id)))


def schedule_unscheduled(session: Session, settings: Settings) -> int:
    """Admissions from before review dates existed get one, counted from their admission."""
    query = select(SupplierProfile).where(
        SupplierProfile.membership == Membership.admitted,
        SupplierProfile.membership_review_at.is_(None),
    )
    found = list(session.scalars(query))
    for profile in found:
        start = profile.membership_changed_at or profile.updated_at
        profile.membership_review_at = start + timedelta(days=settings.membership_review_days)
    session.flush()
    return len(found)


def expire_overdue(session: Session, settings: Settings, now: datetime) -> list[SupplierProfile]:
    """Admissions not renewed `membership_review_grace_days` after their review date."""
    limit = now - timedelta(days=settings.membership_review_grace_days)
    query = select(SupplierProfile).where(
        SupplierProfile.membership == Membership.admitted,
        SupplierProfile.membership_review_at < limit,
    )
    found = list(session.scalars(query.order_by(SupplierProfile.id)))
    for profile in found:
        set_membership(
            session, None, profile, Membership.expired, "membership.expired", EXPIRED_REASON
        )
    session.flush()
    return found
