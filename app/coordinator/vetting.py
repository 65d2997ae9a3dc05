"""What a coordinator vets on an application and an organisation page: the organisation's
registration number, who applied, its profile (capabilities, region, industries,
certifications, case studies) and its application documents, loaded in a few queries for a
whole page of applications."""

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.accounts.business import shown
from app.files.service import files_of
from app.models import (
    Attachment,
    AttachmentOwner,
    ManufacturerProfile,
    Organization,
    SupplierProfile,
    User,
)

P = TypeVar("P", SupplierProfile, ManufacturerProfile)


@dataclass
class Vetting:
    org: Organization
    business_number: str  # 123-45-67890, empty when none was given
    applicant: User | None  # the organisation's first user: the one who signed it up
    supplier: SupplierProfile | None  # with its case studies loaded
    manufacturer: ManufacturerProfile | None
    files: list[Attachment]  # the supplier's application documents


def vetting(session: Session, orgs: list[Organization]) -> dict[int, Vetting]:
    ids = [org.id for org in orgs]
    suppliers = _by_org(session, SupplierProfile, ids)
    makers = _by_org(session, ManufacturerProfile, ids)
    owners = [p.id for p in suppliers.values()]
    docs = files_of(session, AttachmentOwner.supplier_application, owners)
    applicants = first_users(session, ids)
    return {
        org.id: Vetting(
            org=org,
            business_number=shown(org.business_number),
            applicant=applicants.get(org.id),
            supplier=suppliers.get(org.id),
            manufacturer=makers.get(org.id),
            files=docs[suppliers[org.id].id] if org.id in suppliers else [],
        )
        for org in orgs
    }


def _by_org(session: Session, model: type[P], ids: list[int]) -> dict[int, P]:
    query = select(model).where(model.organization_id.in_(ids))
    if model is SupplierProfile:
        query = query.options(selectinload(SupplierProfile.case_studies))
    return {p.organization_id: p for p in session.scalars(query)}


def first_users(session: Session, org_ids: list[int]) -> dict[int, User]:
    first = select(func.min(User.id)).where(User.organization_id.in_(org_ids))
    query = select(User).where(User.id.in_(first.group_by(User.organization_id)))
    return {user.organization_id: user for user in session.scalars(query)}
