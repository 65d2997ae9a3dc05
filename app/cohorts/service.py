"""Cohorts: a sponsor (a large company) and the partner manufacturers it backs.

Coordinators register a sponsor with its cohort, keep the member list (picking
organisations, or pasting business names / external ids, unknown ones reported) and invite
the sponsor's users. A sponsor reads its own cohorts' member names and nothing else;
rounds and the dashboard restrict themselves to a cohort through `member_org_ids`.
"""

import re
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, selectinload

from app import audit
from app.accounts import service as accounts
from app.cohorts.schemas import CohortIn, CohortUpdate, MembersIn
from app.db import Page, expect_version
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.models import (
    Cohort,
    CohortMember,
    Invitation,
    ManufacturerProfile,
    Organization,
    OrgKind,
    Role,
    Round,
    User,
)
from app.schemas import MAX_ID

STAFF = frozenset({Role.coordinator, Role.admin})
PICK_LIMIT = 50
# Business names are pasted with or without the company-form marks and spaces.
COMPANY_MARKS = ("㈜", "(주)", "주식회사", " ")


def member_org_ids(session: Session, cohort_id: int) -> set[int]:
    """The cohort's manufacturer organisation ids (for rounds and dashboard filters)."""
    query = select(CohortMember.manufacturer_org_id).where(CohortMember.cohort_id == cohort_id)
    return set(session.scalars(query))


def _require_staff(actor: User) -> None:
    if actor.role not in STAFF:
        raise Forbidden("Only coordinators can manage cohorts.")


def _visible(viewer: User) -> ColumnElement[bool]:
    if viewer.role in STAFF:
        return Cohort.id.is_not(None)
    if viewer.role is Role.sponsor:
        return Cohort.sponsor_org_id == viewer.organization_id
    raise Forbidden("Your role cannot use this page.")


def list_cohorts(session: Session, viewer: User) -> list[tuple[Cohort, int]]:
    """(cohort, member count): all of them for staff, a sponsor's own for a sponsor."""
    counts = (
        select(CohortMember.cohort_id, func.count(CohortMember.id).label("n"))
        .group_by(CohortMember.cohort_id)
        .subquery()
    )
    query = (
        select(Cohort, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.cohort_id == Cohort.id)
        .where(_visible(viewer))
        .options(selectinload(Cohort.sponsor))
        .order_by(Cohort.name, Cohort.id)
    )
    return [(cohort, count) for cohort, count in session.execute(query)]


def get_cohort(session: Session, viewer: User, cohort_id: int) -> Cohort:
    """A cohort the viewer may see (another sponsor's is NotFound)."""
    query = select(Cohort).where(Cohort.id == cohort_id, _visible(viewer))
    cohort = session.scalar(query) if 1 <= cohort_id <= MAX_ID else None
    if cohort is None:
        raise NotFound("Cohort not found.")
    return cohort


def members(
    session: Session, cohort_id: int
) -> list[tuple[Organization, ManufacturerProfile | None]]:
    query = (
        select(Organization, ManufacturerProfile)
        .join(CohortMember, CohortMember.manufacturer_org_id == Organization.id)
        .outerjoin(ManufacturerProfile, ManufacturerProfile.organization_id == Organization.id)
        .where(CohortMember.cohort_id == cohort_id)
    )
    rows = [(org, profile) for org, profile in session.execute(query)]
    return sorted(rows, key=lambda row: (normalize_name(row[0].name), row[0].id))  # ㈜ aside


def members_page(
    session: Session, cohort_id: int, page: int, per_page: int
) -> Page[tuple[Organization, ManufacturerProfile | None]]:
    """One page of `members`, in the same order: every member's name is read to sort them
    (a cohort may hold a whole province), only the page's rows and profiles are loaded."""
    names = select(Organization.id, Organization.name).join(
        CohortMember, CohortMember.manufacturer_org_id == Organization.id
    )
    found = session.execute(names.where(CohortMember.cohort_id == cohort_id)).all()
    found.sort(key=lambda row: (normalize_name(row.name), row.id))
    ids = [row.id for row in found[(page - 1) * per_page : page * per_page]]
    query = (
        select(Organization, ManufacturerProfile)
        .outerjoin(ManufacturerProfile, ManufacturerProfile.organization_id == Organization.id)
        .where(Organization.id.in_(ids))
    )
    rows = {org.id: (org, profile) for org, profile in session.execute(query)}
    return Page([rows[i] for i in ids], len(found), page, per_page)


def sponsors(session: Session) -> list[Organization]:
    query = select(Organization).where(Organization.kind == OrgKind.sponsor)
    return list(session.scalars(query.order_by(Organization.name)))


def _sponsor(session: Session, data: CohortIn, actor: User) -> Organization:
    if data.sponsor_org_id is not None:
        org = session.get(Organization, data.sponsor_org_id)
        if org is None or org.kind is not OrgKind.sponsor:
            raise Invalid("Choose a registered sponsor.")
        return org
    org = Organization(kind=OrgKind.sponsor, name=data.sponsor_name)
    session.add(org)
    session.flush()
    audit.record(session, actor, "sponsor.registered", org, after={"name": org.name})
    return org


def create_cohort(session: Session, actor: User, data: CohortIn) -> tuple[Cohort, str | None]:
    """The cohort (registering its sponsor if named) and, when an e-mail is given, the
    secret of an invitation for the sponsor's first user."""
    _require_staff(actor)
    if data.sponsor_email and accounts.email_taken(session, data.sponsor_email):
        raise Conflict("An account with this e-mail already exists.")
    sponsor = _sponsor(session, data, actor)
    cohort = Cohort(
        sponsor=sponsor, name=data.name, description=data.description, created_by_id=actor.id
    )
    session.add(cohort)
    session.flush()
    audit.record(session, actor, "cohort.created", cohort, after=_snapshot(cohort))
    secret = invite(session, actor, cohort, data.sponsor_email)[1] if data.sponsor_email else None
    return cohort, secret


def _snapshot(cohort: Cohort) -> dict[str, object]:
    return {"name": cohort.name, "description": cohort.description, "sponsor": cohort.sponsor.name}


def update_cohort(session: Session, actor: User, cohort_id: int, data: CohortUpdate) -> Cohort:
    _require_staff(actor)
    cohort = get_cohort(session, actor, cohort_id)
    expect_version(cohort, data.version)
    before = _snapshot(cohort)
    cohort.name, cohort.description = data.name, data.description
    after = _snapshot(cohort)
    if after != before:
        audit.record(session, actor, "cohort.updated", cohort, before=before, after=after)
    session.flush()
    return cohort


def delete_cohort(session: Session, actor: User, cohort_id: int, version: int) -> None:
    _require_staff(actor)
    cohort = get_cohort(session, actor, cohort_id)
    expect_version(cohort, version)
    if session.scalar(select(Round.id).where(Round.cohort_id == cohort.id).limit(1)):
        raise Conflict("Rounds were run for this cohort: it cannot be deleted.")
    audit.record(session, actor, "cohort.deleted", cohort, before=_snapshot(cohort))
    session.delete(cohort)
    session.flush()


def invite(session: Session, actor: User, cohort: Cohort, email: str) -> tuple[Invitation, str]:
    """An invitation into the cohort's sponsor organisation (the joiner gets the sponsor role)."""
    _require_staff(actor)
    return accounts.invite(session, actor, email, organization=cohort.sponsor)


@dataclass
class MemberReport:
    added: list[Organization] = field(default_factory=list)
    already: list[Organization] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)


def _locked(session: Session, actor: User, cohort_id: int) -> Cohort:
    """The cohort, row-locked so concurrent member edits of one cohort queue up."""
    _require_staff(actor)
    cohort = get_cohort(session, actor, cohort_id)
    session.execute(select(Cohort.id).where(Cohort.id == cohort.id).with_for_update())
    return cohort


def add_members(session: Session, actor: User, cohort_id: int, data: MembersIn) -> MemberReport:
    cohort = _locked(session, actor, cohort_id)
    report = MemberReport()
    found = _by_ids(session, data.organization_ids, report) + _by_lines(session, data.lines, report)
    current = member_org_ids(session, cohort.id)
    for org in dict.fromkeys(found):  # keeps the first mention of each organisation
        (report.already if org.id in current else report.added).append(org)
    session.add_all(CohortMember(cohort=cohort, manufacturer=org) for org in report.added)
    if report.added:
        after = {"added": [org.id for org in report.added]}
        audit.record(session, actor, "cohort.members_added", cohort, after=after)
    session.flush()
    return report


def _manufacturers() -> Select[Organization]:
    return select(Organization).where(Organization.kind == OrgKind.manufacturer)


def _by_ids(session: Session, ids: list[int], report: MemberReport) -> list[Organization]:
    found = {o.id: o for o in session.scalars(_manufacturers().where(Organization.id.in_(ids)))}
    report.unknown += [f"#{i}" for i in dict.fromkeys(ids) if i not in found]
    return [found[i] for i in ids if i in found]


def normalize_name(name: str) -> str:
    for mark in COMPANY_MARKS:
        name = name.replace(mark, "")
    return re.sub(r"\s+", "", name).lower()


def _normalized_column() -> ColumnElement[str]:
    column: ColumnElement[str] = Organization.name  # type: ignore[assignment]
    for mark in COMPANY_MARKS:
        column = func.replace(column, mark, "")
    return func.lower(column)


def _by_lines(session: Session, lines: list[str], report: MemberReport) -> list[Organization]:
    """Each line is an external id or a business name (company marks and spaces ignored)."""
    wanted = [line for line in dict.fromkeys(lines) if line]
    ids, names = {w.lower() for w in wanted}, {normalize_name(w) for w in wanted}
    query = _manufacturers().where(
        func.lower(Organization.external_id).in_(ids) | _normalized_column().in_(names)
    )
    candidates = list(session.scalars(query))
    found = []
    for line in wanted:
        by_id = [o for o in candidates if (o.external_id or "").lower() == line.lower()]
        matches = by_id or [o for o in candidates if normalize_name(o.name) == normalize_name(line)]
        if len(matches) == 1:
            found.append(matches[0])
        else:
            (report.ambiguous if matches else report.unknown).append(line)
    return found


def remove_members(session: Session, actor: User, cohort_id: int, org_ids: list[int]) -> int:
    cohort = _locked(session, actor, cohort_id)
    rows = session.scalars(
        select(CohortMember).where(
            CohortMember.cohort_id == cohort.id, CohortMember.manufacturer_org_id.in_(org_ids)
        )
    ).all()
    for row in rows:
        session.delete(row)
    if rows:
        before = {"removed": sorted(row.manufacturer_org_id for row in rows)}
        audit.record(session, actor, "cohort.members_removed", cohort, before=before)
    session.flush()
    return len(rows)


def pick_candidates(
    session: Session, cohort_id: int, q: str
) -> list[tuple[Organization, ManufacturerProfile]]:
    """Manufacturers outside the cohort whose name or external id contains `q`."""
    inside = select(CohortMember.manufacturer_org_id).where(CohortMember.cohort_id == cohort_id)
    query = (
        select(Organization, ManufacturerProfile)
        .join(ManufacturerProfile, ManufacturerProfile.organization_id == Organization.id)
        .where(
            Organization.id.not_in(inside),
            Organization.name.icontains(q, autoescape=True)
            | Organization.external_id.icontains(q, autoescape=True),
        )
        .order_by(Organization.name, Organization.id)
        .limit(PICK_LIMIT)
    )
    return [(org, profile) for org, profile in session.execute(query)]
