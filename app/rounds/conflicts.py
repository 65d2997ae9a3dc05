"""Conflicts of interest between a supplier and a manufacturer: declared, listed and lifted by
coordinators (audited). A conflicted pair is never proposed in a round."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from app import audit
from app.db import Page, paginate, unique_or_conflict
from app.errors import Conflict, NotFound
from app.i18n import Msgid
from app.models import ConflictKind, ConflictOfInterest, Organization, OrgKind, User
from app.rounds.schemas import ConflictFilters, ConflictIn

PER_PAGE = 50
DECLARED = Msgid("This conflict of interest is already declared.")


@dataclass(frozen=True)
class ConflictRow:
    conflict: ConflictOfInterest
    supplier_name: str
    manufacturer_name: str


def list_conflicts(session: Session, filters: ConflictFilters) -> Page[ConflictRow]:
    supplier, manufacturer = aliased(Organization), aliased(Organization)
    query = (
        select(ConflictOfInterest, supplier.name, manufacturer.name)
        .join(supplier, supplier.id == ConflictOfInterest.supplier_org_id)
        .join(manufacturer, manufacturer.id == ConflictOfInterest.manufacturer_org_id)
        .order_by(ConflictOfInterest.id.desc())
    )
    if filters.org_id:
        query = query.where(
            or_(
                ConflictOfInterest.supplier_org_id == filters.org_id,
                ConflictOfInterest.manufacturer_org_id == filters.org_id,
            )
        )
    page = paginate(session, query, filters.page, PER_PAGE, rows=True)
    return Page([ConflictRow(*row) for row in page.items], page.total, page.page, page.per_page)


def _org(session: Session, org_id: int, kind: OrgKind) -> Organization:
    org = session.get(Organization, org_id)
    if org is None or org.kind is not kind:
        if kind is OrgKind.supplier:
            raise NotFound("Supplier not found.")
        raise NotFound("Manufacturer not found.")
    return org


def declare(session: Session, actor: User, data: ConflictIn) -> ConflictOfInterest:
    _org(session, data.supplier_org_id, OrgKind.supplier)
    _org(session, data.manufacturer_org_id, OrgKind.manufacturer)
    kind = ConflictKind(data.kind)
    found = session.scalar(
        select(ConflictOfInterest.id).where(
            ConflictOfInterest.supplier_org_id == data.supplier_org_id,
            ConflictOfInterest.manufacturer_org_id == data.manufacturer_org_id,
            ConflictOfInterest.kind == kind,
        )
    )
    if found is not None:
        raise Conflict(DECLARED)
    conflict = ConflictOfInterest(
        supplier_org_id=data.supplier_org_id,
        manufacturer_org_id=data.manufacturer_org_id,
        kind=kind,
        reason=data.reason,
        created_by_id=actor.id,
    )
    with unique_or_conflict(session, DECLARED):  # another coordinator at this moment
        session.add(conflict)
    audit.record(session, actor, "conflict.declared", conflict, after=snapshot(conflict))
    return conflict


def row_of(session: Session, conflict: ConflictOfInterest) -> ConflictRow:
    ids = [conflict.supplier_org_id, conflict.manufacturer_org_id]
    query = select(Organization.id, Organization.name).where(Organization.id.in_(ids))
    names = {org: name for org, name in session.execute(query)}
    return ConflictRow(conflict, names[ids[0]], names[ids[1]])


def snapshot(conflict: ConflictOfInterest) -> dict[str, object]:
    return {
        "supplier_org_id": conflict.supplier_org_id,
        "manufacturer_org_id": conflict.manufacturer_org_id,
        "kind": conflict.kind.value,
        "reason": conflict.reason,
    }


def get_conflict(session: Session, conflict_id: int) -> ConflictOfInterest:
    conflict = session.get(ConflictOfInterest, conflict_id)
    if conflict is None:
        raise NotFound("Conflict of interest not found.")
    return conflict


def remove(session: Session, actor: User, conflict_id: int, reason: str) -> None:
    conflict = get_conflict(session, conflict_id)
    audit.record(
        session, actor, "conflict.removed", conflict, before=snapshot(conflict), reason=reason
    )
    session.delete(conflict)
    session.flush()


def conflicted(
    session: Session, supplier_orgs: Iterable[int], manufacturer_orgs: Iterable[int]
) -> set[tuple[int, int]]:
    """(supplier org, manufacturer org) pairs with any conflict of interest between them."""
    query = select(
        ConflictOfInterest.supplier_org_id, ConflictOfInterest.manufacturer_org_id
    ).where(
        ConflictOfInterest.supplier_org_id.in_(list(supplier_orgs)),
        ConflictOfInterest.manufacturer_org_id.in_(list(manufacturer_orgs)),
    )
    return {(s, m) for s, m in session.execute(query)}
