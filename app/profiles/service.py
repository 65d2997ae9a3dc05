"""Supplier and manufacturer profiles, case studies, and who may see them.

The one module other features import: profile look-ups and visibility, updates (with
`apply_*_profile` for loaders that bypass the version check), case studies, and the
re-exported `readiness` score and `search_suppliers` directory query.
"""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.service import require_new_business_number
from app.audit import record
from app.db import expect_version
from app.errors import Forbidden, Invalid, NotFound
from app.models import (
    CaseStudy,
    ManufacturerProfile,
    Membership,
    Role,
    SupplierProfile,
    User,
    utcnow,
)
from app.profiles.directory import STAFF_ROLES
from app.profiles.directory import Page as Page
from app.profiles.directory import search_suppliers as search_suppliers
from app.profiles.readiness import Readiness as Readiness
from app.profiles.readiness import readiness as readiness
from app.profiles.schemas import CaseStudyIn, ManufacturerProfileIn, SupplierProfileIn
from app.profiles.schemas import SupplierQuery as SupplierQuery

MAX_CASE_STUDIES = 50
SUPPLIER_FIELDS = (
    "description_ko",
    "description_en",
    "specialties",
    "ai_techniques",
    "industries",
    "processes",
    "region",
    "team_size",
    "capacity",
    "price_min",
    "price_max",
    "min_sf_level",
    "certifications",
    "founded_year",
    "website",
)
MANUFACTURER_FIELDS = (
    "description",
    "industry",
    "region",
    "employees",
    "revenue_band",
    "sf_level",
    "systems",
    "readiness_data",
    "readiness_staff",
    "readiness_budget",
)
CASE_STUDY_FIELDS = ("title", "text", "industry", "process", "outcome", "year")
Profile = SupplierProfile | ManufacturerProfile


def is_staff(user: User) -> bool:
    return user.role in STAFF_ROLES


def is_insider(viewer: User, org_id: int) -> bool:
    """Staff and the organisation's own users see its private details."""
    return is_staff(viewer) or viewer.organization_id == org_id


def supplier_profile_for_org(session: Session, org_id: int) -> SupplierProfile:
    query = select(SupplierProfile).where(SupplierProfile.organization_id == org_id)
    profile = session.scalar(query)
    if profile is None:
        raise NotFound("Supplier not found.")
    return profile


def manufacturer_profile_for_org(session: Session, org_id: int) -> ManufacturerProfile:
    query = select(ManufacturerProfile).where(ManufacturerProfile.organization_id == org_id)
    profile = session.scalar(query)
    if profile is None:
        raise NotFound("Manufacturer not found.")
    return profile


def visible_supplier(session: Session, viewer: User, org_id: int) -> SupplierProfile:
    """Admitted suppliers are public to logged-in users; others only to insiders (else 404)."""
    if viewer.role is Role.sponsor:
        raise Forbidden("Your role cannot use this page.")  # sponsors see only their cohort
    profile = supplier_profile_for_org(session, org_id)
    if profile.membership is not Membership.admitted and not is_insider(viewer, org_id):
        raise NotFound("Supplier not found.")
    return profile


def visible_manufacturer(session: Session, viewer: User, org_id: int) -> ManufacturerProfile:
    if not is_insider(viewer, org_id):
        raise NotFound("Manufacturer not found.")
    return manufacturer_profile_for_org(session, org_id)


def own_profile(session: Session, user: User) -> Profile:
    if user.role is Role.supplier:
        return supplier_profile_for_org(session, user.organization_id)
    if user.role is Role.manufacturer:
        return manufacturer_profile_for_org(session, user.organization_id)
    raise NotFound("Profile not found.")


def _apply(
    session: Session, actor: User | None, profile: Profile, fields: tuple[str, ...], values: Any
) -> Profile:
    """Write the changed fields (and the organisation's name and 사업자등록번호, kept when
    not given) and audit them; no-op if unchanged."""
    org = profile.organization
    number = values.business_number or org.business_number
    new = {
        "name": values.name,
        "business_number": number,
        **{f: getattr(values, f) for f in fields},
    }
    old = {"name": org.name, "business_number": org.business_number,
           **{f: getattr(profile, f) for f in fields}}  # fmt: skip
    changed = [key for key in new if new[key] != old[key]]
    if not changed:
        return profile
    if "business_number" in changed and number is not None:
        require_new_business_number(session, number, but=org.id)
    org.name, org.business_number = values.name, number
    for key in changed:
        if key not in ("name", "business_number"):
            setattr(profile, key, new[key])
    profile.updated_at = utcnow()  # bumps the version even when only the name changed
    before, after = {k: old[k] for k in changed}, {k: new[k] for k in changed}
    record(session, actor, "profile.updated", profile, before=before, after=after)
    return profile


def apply_supplier_profile(
    session: Session, profile: SupplierProfile, data: SupplierProfileIn, actor: User | None
) -> SupplierProfile:
    """Write a validated profile without a version check (the seed loader's entry point)."""
    _apply(session, actor, profile, SUPPLIER_FIELDS, data)
    return profile


def apply_manufacturer_profile(
    session: Session, profile: ManufacturerProfile, data: ManufacturerProfileIn, actor: User | None
) -> ManufacturerProfile:
    _apply(session, actor, profile, MANUFACTURER_FIELDS, data)
    return profile


def update_own_profile(
    session: Session, actor: User, data: SupplierProfileIn | ManufacturerProfileIn
) -> Profile:
    """The actor's organisation profile, changed as `data` says if it is based on its version."""
    profile = own_profile(session, actor)
    if isinstance(profile, SupplierProfile) != isinstance(data, SupplierProfileIn):
        raise Invalid("This profile type does not match your organisation.")
    expect_version(profile, data.version)
    fields = SUPPLIER_FIELDS if isinstance(profile, SupplierProfile) else MANUFACTURER_FIELDS
    return _apply(session, actor, profile, fields, data)


def own_case_study(session: Session, actor: User, case_id: int) -> CaseStudy:
    study = session.get(CaseStudy, case_id)
    if study is None or study.supplier.organization_id != actor.organization_id:
        raise NotFound("Case study not found.")
    return study


def _audit_case(
    session: Session, actor: User, action: str, study: CaseStudy, **change: Any
) -> None:
    entry = record(session, actor, action, study, **change)
    entry.organization_id = actor.organization_id


def _case_values(study: CaseStudy) -> dict[str, Any]:
    return {field: getattr(study, field) for field in CASE_STUDY_FIELDS}


def add_case_study(session: Session, actor: User, data: CaseStudyIn) -> CaseStudy:
    profile = supplier_profile_for_org(session, actor.organization_id)
    if len(profile.case_studies) >= MAX_CASE_STUDIES:
        raise Invalid("A supplier can keep at most %(n)s case studies.", n=MAX_CASE_STUDIES)
    last = session.scalar(
        select(func.max(CaseStudy.position)).where(CaseStudy.supplier_id == profile.id)
    )
    study = CaseStudy(position=(last or 0) + 1, **data.model_dump())
    profile.case_studies.append(study)
    _audit_case(session, actor, "case_study.created", study, after=_case_values(study))
    return study


def update_case_study(session: Session, actor: User, case_id: int, data: CaseStudyIn) -> CaseStudy:
    study = own_case_study(session, actor, case_id)
    old, new = _case_values(study), data.model_dump()
    changed = [key for key in CASE_STUDY_FIELDS if old[key] != new[key]]
    for key in changed:
        setattr(study, key, new[key])
    if changed:
        before, after = {k: old[k] for k in changed}, {k: new[k] for k in changed}
        _audit_case(session, actor, "case_study.updated", study, before=before, after=after)
    return study


def delete_case_study(session: Session, actor: User, case_id: int) -> None:
    study = own_case_study(session, actor, case_id)
    _audit_case(session, actor, "case_study.deleted", study, before=_case_values(study))
    study.supplier.case_studies.remove(study)
    session.flush()
