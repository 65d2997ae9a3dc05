"""Coordinator work: the organisation register, supplier membership and the audit log.

Membership is a state machine: `MOVES` lists every allowed (from, to) pair with the
audit action it records; `change_membership` (coordinators) and `app.coordinator.membership`
(re-applying, the periodic re-check) move it, all through `set_membership`.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from app.audit import Entry, readable, record
from app.config import get_settings
from app.coordinator.schemas import AuditFilters, MembershipChange, OrgFilters
from app.db import Page, expect_version, paginate
from app.errors import Conflict, NotFound
from app.formats import SEOUL
from app.models import (
    AuditEntry,
    ManufacturerProfile,
    Membership,
    Organization,
    OrgKind,
    SupplierProfile,
    User,
    utcnow,
)

PAGE_SIZE = 20
CHOICES = 20  # a picker's matches: a search, never the whole country
TRAIL_SIZE = 20

MOVES: dict[tuple[Membership, Membership], str] = {
    (Membership.applied, Membership.admitted): "membership.admitted",
    (Membership.applied, Membership.rejected): "membership.rejected",
    (Membership.admitted, Membership.admitted): "membership.renewed",  # the re-check, done
    (Membership.admitted, Membership.suspended): "membership.suspended",
    (Membership.admitted, Membership.expired): "membership.expired",
    (Membership.suspended, Membership.admitted): "membership.readmitted",
    (Membership.expired, Membership.admitted): "membership.readmitted",
}
# The supplier's own move: a rejected or expired supplier applies again.
REAPPLY = {Membership.rejected, Membership.expired}


def allowed_moves(current: Membership) -> list[Membership]:
    return [to for (frm, to) in MOVES if frm is current]


@dataclass
class OrgRow:
    org: Organization
    membership: Membership | None
    region: str | None
    user_count: int


@dataclass
class OrgDetail:
    row: OrgRow
    supplier: SupplierProfile | None
    users: list[User]
    membership_history: list[Entry]
    audit: list[Entry] = field(default_factory=list)


def _org_rows() -> Select[Any]:
    users = (
        select(User.organization_id, func.count(User.id).label("n"))
        .group_by(User.organization_id)
        .subquery()
    )
    region = func.coalesce(SupplierProfile.region, ManufacturerProfile.region)
    return (
        select(Organization, SupplierProfile.membership, region, func.coalesce(users.c.n, 0))
        .outerjoin(SupplierProfile, SupplierProfile.organization_id == Organization.id)
        .outerjoin(ManufacturerProfile, ManufacturerProfile.organization_id == Organization.id)
        .outerjoin(users, users.c.organization_id == Organization.id)
    )


def list_organizations(session: Session, filters: OrgFilters) -> Page[OrgRow]:
    query = _org_rows()
    if filters.kind:
        query = query.where(Organization.kind == OrgKind(filters.kind))
    if filters.membership:
        query = query.where(SupplierProfile.membership == Membership(filters.membership))
    if filters.region:
        region = func.coalesce(SupplierProfile.region, ManufacturerProfile.region)
        query = query.where(region == filters.region)
    if filters.q:
        query = query.where(Organization.name.icontains(filters.q, autoescape=True))
    query = query.order_by(Organization.created_at.desc(), Organization.id.desc())
    page = paginate(session, query, filters.page, PAGE_SIZE, rows=True)
    page = replace(page, items=[OrgRow(*row) for row in page.items])
    return page


def organization_choices(
    session: Session, kind: OrgKind, q: str | None, chosen: int | None = None
) -> list[tuple[int, str]]:
    """(id, name) of at most CHOICES organisations of `kind` whose name contains `q` (none
    without `q`), by name; the `chosen` one first when it is of that kind (a form re-shown)."""
    of_kind = select(Organization.id, Organization.name).where(Organization.kind == kind)
    rows: list[tuple[int, str]] = []
    if chosen is not None:
        rows += [(i, n) for i, n in session.execute(of_kind.where(Organization.id == chosen))]
    if q:
        query = of_kind.where(Organization.name.icontains(q, autoescape=True))
        query = query.order_by(Organization.name, Organization.id).limit(CHOICES)
        rows += [(i, n) for i, n in session.execute(query) if i != chosen]
    return rows


def applications(session: Session, page: int = 1) -> Page[OrgRow]:
    """Applied suppliers, oldest application first: the review queue."""
    query = _org_rows().where(SupplierProfile.membership == Membership.applied)
    query = query.order_by(Organization.created_at, Organization.id)
    result = paginate(session, query, page, PAGE_SIZE, rows=True)
    result = replace(result, items=[OrgRow(*row) for row in result.items])
    return result


def get_organization(session: Session, viewer: User, org_id: int) -> OrgDetail:
    found = session.execute(_org_rows().where(Organization.id == org_id)).first()
    if found is None:
        raise NotFound("Organisation not found.")
    row = OrgRow(*found)
    users = session.scalars(select(User).where(User.organization_id == org_id).order_by(User.id))
    trail = audit_query(AuditFilters(organization_id=org_id))
    history = trail.where(AuditEntry.action.startswith("membership."))
    return OrgDetail(
        row=row,
        supplier=row.org.supplier,
        users=list(users),
        membership_history=readable(session, viewer, list(session.scalars(history))),
        audit=readable(session, viewer, list(session.scalars(trail.limit(TRAIL_SIZE)))),
    )


def supplier_for(session: Session, org_id: int) -> SupplierProfile:
    profile = session.scalar(
        select(SupplierProfile).where(SupplierProfile.organization_id == org_id)
    )
    if profile is None:
        raise NotFound("Supplier not found.")
    return profile


def change_membership(
    session: Session, actor: User, org_id: int, change: MembershipChange
) -> SupplierProfile:
    """Move a supplier's membership along `MOVES`, recording who, when and why."""
    profile = supplier_for(session, org_id)
    expect_version(profile, change.version)
    before = profile.membership
    target = Membership(change.status)
    action = MOVES.get((before, target))
    if action is None:
        raise Conflict("This membership change is not allowed from the supplier's current status.")
    set_membership(session, actor, profile, target, action, change.reason)
    return profile


def set_membership(
    session: Session,
    actor: User | None,
    profile: SupplierProfile,
    target: Membership,
    action: str,
    reason: str,
) -> None:
    """The one place a membership changes: state, reason, review date, audit entry (which
    tells the supplier, `app.notifications.events`)."""
    before = profile.membership
    now = utcnow()
    profile.membership, profile.membership_reason, profile.membership_changed_at = (
        target,
        reason,
        now,
    )
    days = get_settings().membership_review_days
    profile.membership_review_at = (
        now + timedelta(days=days) if target is Membership.admitted else None
    )
    record(
        session,
        actor,
        action,
        profile,
        before={"membership": before.value},
        after={"membership": target.value, "review_at": profile.membership_review_at},
        reason=reason,
    )


def audit_query(filters: AuditFilters) -> Select[Any]:
    query = select(AuditEntry).options(selectinload(AuditEntry.actor))
    if filters.organization_id:
        query = query.where(AuditEntry.organization_id == filters.organization_id)
    if filters.organization:
        named = Organization.name.icontains(filters.organization, autoescape=True)
        query = query.where(AuditEntry.organization_id.in_(select(Organization.id).where(named)))
    if filters.actor:
        found = User.name.icontains(filters.actor, autoescape=True) | User.email.icontains(
            filters.actor, autoescape=True
        )
        query = query.where(AuditEntry.actor_id.in_(select(User.id).where(found)))
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.date_from:
        query = query.where(AuditEntry.created_at >= _seoul_midnight(filters.date_from))
    if filters.date_to:
        next_day = filters.date_to + timedelta(days=1)
        query = query.where(AuditEntry.created_at < _seoul_midnight(next_day))
    return query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())


def _seoul_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=SEOUL)


def audit_log(session: Session, viewer: User, filters: AuditFilters) -> Page[Entry]:
    """A page of the log, read through `audit.readable` (sealed bids stay sealed)."""
    page = paginate(session, audit_query(filters), filters.page, PAGE_SIZE)
    return replace(page, items=readable(session, viewer, page.items))


def organization_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = select(Organization.id, Organization.name).where(Organization.id.in_(ids))
    return {row.id: row.name for row in session.execute(query)}
