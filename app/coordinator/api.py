"""JSON routes for coordinators (admins may use them too)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from app import audit_view
from app.audit import Entry
from app.audit_view import Line
from app.auth import CurrentUser, DbSession, roles
from app.config import Settings, get_settings
from app.coordinator import membership, service
from app.coordinator.schemas import (
    AuditFilters,
    AuditOut,
    AuditPageOut,
    ChoiceFilters,
    ChoiceOut,
    MemberOut,
    MembershipChange,
    MembershipOut,
    OrgDetailOut,
    OrgFilters,
    OrgOut,
    OrgPageOut,
)
from app.models import OrgKind, Role, SupplierProfile, User, utcnow
from app.schemas import RowId

AppSettings = Annotated[Settings, Depends(get_settings)]
router = APIRouter(
    prefix="/api/coordinator",
    tags=["coordinator"],
    dependencies=roles(Role.coordinator, Role.admin),
)


def org_out(row: service.OrgRow) -> OrgOut:
    return OrgOut(
        id=row.org.id,
        name=row.org.name,
        kind=row.org.kind.value,
        region=row.region,
        membership=row.membership.value if row.membership else None,
        user_count=row.user_count,
        created_at=row.org.created_at,
        membership_review_at=row.org.supplier.membership_review_at if row.org.supplier else None,
    )


def audit_out(line: Line) -> AuditOut:
    """The raw entry (from `Entry`'s attributes) and the same in words."""
    readable = {"action_label": line.action, "summary": line.summary}
    readable["changes"] = audit_view.changes_out(line)  # type: ignore[assignment]
    return AuditOut.model_validate(line.entry).model_copy(update=readable)


def audit_outs(
    session: Session, user: User, entries: list[Entry], lang: str | None
) -> list[AuditOut]:
    return [audit_out(line) for line in audit_view.describe(session, user, entries, lang)]


def membership_out(profile: SupplierProfile) -> MembershipOut:
    return MembershipOut(
        organization_id=profile.organization_id,
        membership=profile.membership.value,
        membership_reason=profile.membership_reason,
        membership_changed_at=profile.membership_changed_at,
        membership_review_at=profile.membership_review_at,
        version=profile.version,
    )


def member_out(user: User) -> MemberOut:
    return MemberOut(
        id=user.id,
        name=user.name,
        email=user.email,
        role=user.role.value,
        is_active=user.is_active,
        created_at=user.created_at,
    )


@router.get("/organizations")
def organizations(filters: Annotated[OrgFilters, Query()], session: DbSession) -> OrgPageOut:
    page = service.list_organizations(session, filters)
    items = [org_out(row) for row in page.items]
    return OrgPageOut(items=items, total=page.total, page=page.page, pages=page.pages)


@router.get("/organizations/choices")
def organization_choices(
    filters: Annotated[ChoiceFilters, Query()], session: DbSession
) -> list[ChoiceOut]:
    """A picker's matches (at most 20, by name): the typeahead on forms that name an
    organisation; nothing without `q`."""
    rows = service.organization_choices(session, OrgKind(filters.kind), filters.q)
    return [ChoiceOut(id=i, name=n) for i, n in rows]


@router.get("/applications")
def applications(
    session: DbSession, page: Annotated[int, Query(ge=1, le=10_000)] = 1
) -> OrgPageOut:
    result = service.applications(session, page)
    items = [org_out(row) for row in result.items]
    return OrgPageOut(items=items, total=result.total, page=result.page, pages=result.pages)


@router.get("/reviews")
def reviews(
    session: DbSession, settings: AppSettings, page: Annotated[int, Query(ge=1, le=10_000)] = 1
) -> OrgPageOut:
    """Admitted suppliers due (or soon due) for their periodic re-check, earliest first."""
    result = membership.reviews_due(session, settings, utcnow(), page)
    items = [org_out(row) for row in result.items]
    return OrgPageOut(items=items, total=result.total, page=result.page, pages=result.pages)


# The language of the readable texts (`summary`, `changes`); the caller's own by default.
Lang = Annotated[Literal["ko", "en"] | None, Query()]


@router.get("/organizations/{org_id}")
def organization(
    org_id: RowId, session: DbSession, user: CurrentUser, lang: Lang = None
) -> OrgDetailOut:
    detail = service.get_organization(session, user, org_id)
    return OrgDetailOut(
        **org_out(detail.row).model_dump(),
        supplier=membership_out(detail.supplier) if detail.supplier else None,
        users=[member_out(u) for u in detail.users],
        membership_history=audit_outs(session, user, detail.membership_history, lang),
        audit=audit_outs(session, user, detail.audit, lang),
    )


@router.post(
    "/suppliers/{org_id}/membership",
    responses={404: {"description": "Not a supplier"}, 409: {"description": "Move not allowed"}},
)
def change_membership(
    org_id: RowId, change: MembershipChange, session: DbSession, user: CurrentUser
) -> MembershipOut:
    return membership_out(service.change_membership(session, user, org_id, change))


@router.get("/audit")
def audit(
    filters: Annotated[AuditFilters, Query()],
    session: DbSession,
    user: CurrentUser,
    lang: Lang = None,
) -> AuditPageOut:
    """The log; bid entries before their need's deadline show no content (`sealed`). Each
    entry keeps its raw fields and adds them in words (`summary`, `changes`) in `lang`."""
    page = service.audit_log(session, user, filters)
    items = audit_outs(session, user, page.items, lang)
    return AuditPageOut(items=items, total=page.total, page=page.page, pages=page.pages)
