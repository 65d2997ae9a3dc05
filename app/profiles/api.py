"""JSON routes for profiles, case studies and the supplier directory."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy.orm import Session

from app import vocab
from app.auth import CurrentUser, DbSession, roles
from app.coordinator import membership
from app.engagements.schemas import TrackLineOut
from app.matches.pages import Cache
from app.models import CaseStudy, ManufacturerProfile, Role, SupplierProfile, User
from app.profiles import service
from app.profiles.fit import fit_order
from app.profiles.schemas import (
    CaseStudyIn,
    CaseStudyOut,
    ManufacturerProfileOut,
    ProfileIn,
    ProfileOut,
    ReadinessOut,
    ReadinessPartOut,
    ReadinessStepOut,
    SupplierPageOut,
    SupplierProfileOut,
    SupplierQuery,
    SupplierSummaryOut,
)
from app.schemas import RowId
from app.track_record.service import track_record_lines

router = APIRouter(prefix="/api", tags=["profiles"])
OWNERS = roles(Role.supplier, Role.manufacturer)
DIRECTORY = roles(Role.manufacturer, Role.coordinator, Role.admin)
Id = RowId
NOT_FOUND = {404: {"description": "Not found, or not visible to you"}}


def case_study_out(study: CaseStudy) -> CaseStudyOut:
    return CaseStudyOut.model_validate(study, from_attributes=True)


def supplier_out(session: Session, profile: SupplierProfile, viewer: User) -> SupplierProfileOut:
    insider = service.is_insider(viewer, profile.organization_id)
    track = track_record_lines(session, profile.organization_id)
    return SupplierProfileOut.model_validate(
        {
            **{f: getattr(profile, f) for f in service.SUPPLIER_FIELDS},
            "organization_id": profile.organization_id,
            "name": profile.organization.name,
            "business_number": profile.organization.business_number,
            "in_province": vocab.is_in_province(profile.region),
            "membership": profile.membership.value,
            "membership_reason": profile.membership_reason if insider else None,
            "membership_changed_at": profile.membership_changed_at,
            "updated_at": profile.updated_at,
            "version": profile.version,
            "case_studies": [case_study_out(s) for s in profile.case_studies],
            "track_record": [TrackLineOut.model_validate(t, from_attributes=True) for t in track],
        }
    )


def manufacturer_out(profile: ManufacturerProfile) -> ManufacturerProfileOut:
    score = service.readiness(profile)
    parts = [ReadinessPartOut.model_validate(p, from_attributes=True) for p in score.parts]
    return ManufacturerProfileOut.model_validate(
        {
            **{f: getattr(profile, f) for f in service.MANUFACTURER_FIELDS},
            "organization_id": profile.organization_id,
            "name": profile.organization.name,
            "business_number": profile.organization.business_number,
            "readiness": ReadinessOut(
                score=score.score,
                parts=parts,
                band=score.band,
                next_steps=[
                    ReadinessStepOut(key=s.key, points=s.points) for s in score.next_steps()
                ],
            ),
            "updated_at": profile.updated_at,
            "version": profile.version,
        }
    )


def summary_out(profile: SupplierProfile) -> SupplierSummaryOut:
    fields = ("description_ko", "description_en", "specialties", "ai_techniques", "industries")
    more = ("processes", "region", "capacity", "price_min", "price_max")
    return SupplierSummaryOut.model_validate(
        {
            **{f: getattr(profile, f) for f in fields + more},
            "organization_id": profile.organization_id,
            "name": profile.organization.name,
            "in_province": vocab.is_in_province(profile.region),
            "membership": profile.membership.value,
        }
    )


def profile_out(
    session: Session, profile: service.Profile, viewer: User
) -> SupplierProfileOut | ManufacturerProfileOut:
    if isinstance(profile, SupplierProfile):
        return supplier_out(session, profile, viewer)
    return manufacturer_out(profile)


@router.get("/profile", dependencies=OWNERS, response_model=ProfileOut)
def get_profile(
    session: DbSession, user: CurrentUser
) -> SupplierProfileOut | ManufacturerProfileOut:
    """Your organisation's profile (supplier or manufacturer, by your role)."""
    return profile_out(session, service.own_profile(session, user), user)


@router.put(
    "/profile",
    dependencies=OWNERS,
    response_model=ProfileOut,
    responses={409: {"description": "Based on an old version"}},
)
def put_profile(
    data: ProfileIn, session: DbSession, user: CurrentUser
) -> SupplierProfileOut | ManufacturerProfileOut:
    """Replace your profile; `kind` must match your organisation, `version` its current version."""
    return profile_out(session, service.update_own_profile(session, user, data), user)


@router.post("/profile/reapply", dependencies=roles(Role.supplier))
def reapply(session: DbSession, user: CurrentUser) -> dict[str, str | None]:
    """A rejected or expired supplier applies again: its membership is "applied" (409 from
    any other state); coordinators are told."""
    profile = membership.reapply(session, user)
    return {"membership": profile.membership.value, "membership_reason": profile.membership_reason}


@router.post("/profile/case-studies", status_code=201, dependencies=roles(Role.supplier))
def create_case_study(data: CaseStudyIn, session: DbSession, user: CurrentUser) -> CaseStudyOut:
    study = service.add_case_study(session, user, data)
    return case_study_out(study)


@router.put(
    "/profile/case-studies/{case_id}", dependencies=roles(Role.supplier), responses=NOT_FOUND
)
def update_case_study(
    case_id: Id, data: CaseStudyIn, session: DbSession, user: CurrentUser
) -> CaseStudyOut:
    return case_study_out(service.update_case_study(session, user, case_id, data))


@router.delete(
    "/profile/case-studies/{case_id}",
    status_code=204,
    dependencies=roles(Role.supplier),
    responses=NOT_FOUND,
)
def delete_case_study(case_id: Id, session: DbSession, user: CurrentUser) -> Response:
    service.delete_case_study(session, user, case_id)
    return Response(status_code=204)


@router.get("/suppliers", dependencies=DIRECTORY)
def list_suppliers(
    filters: Annotated[SupplierQuery, Query()],
    session: DbSession,
    user: CurrentUser,
    cache: Cache,
) -> SupplierPageOut:
    """Suppliers you may see (manufacturers: admitted ones), filtered and paged; by name, or
    with `sort=fit` (a manufacturer with an open need) best fit to `need` first."""
    order = fit_order(session, cache, user, filters)
    page = service.search_suppliers(session, user, filters, order.scores)
    items = [summary_out(p) for p in page.items]
    return SupplierPageOut(
        items=items, total=page.total, page=page.page, per_page=page.per_page, pages=page.pages
    )


@router.get("/suppliers/{org_id}", responses=NOT_FOUND)
def get_supplier(org_id: Id, session: DbSession, user: CurrentUser) -> SupplierProfileOut:
    return supplier_out(session, service.visible_supplier(session, user, org_id), user)


@router.get("/manufacturers/{org_id}", responses=NOT_FOUND)
def get_manufacturer(org_id: Id, session: DbSession, user: CurrentUser) -> ManufacturerProfileOut:
    return manufacturer_out(service.visible_manufacturer(session, user, org_id))
