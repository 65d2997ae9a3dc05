"""JSON routes for cohorts: coordinators manage them, a sponsor reads its own."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.auth import CurrentUser, DbSession, roles
from app.cohorts import service
from app.cohorts.schemas import (
    CohortDetailOut,
    CohortIn,
    CohortOut,
    CohortUpdate,
    CreatedOut,
    InvitationOut,
    InviteIn,
    MemberIdsIn,
    MemberOut,
    MemberReportOut,
    MembersIn,
    RemovedOut,
    SponsorOut,
)
from app.models import Cohort, ManufacturerProfile, Organization, Role, User
from app.schemas import MAX_ID, RowId

router = APIRouter(prefix="/api", tags=["cohorts"])
READERS = roles(Role.coordinator, Role.admin, Role.sponsor)
STAFF = roles(Role.coordinator, Role.admin)
Version = Annotated[int, Query(ge=1, le=MAX_ID)]


def member_out(org: Organization, profile: ManufacturerProfile | None, viewer: User) -> MemberOut:
    if viewer.role is Role.sponsor:  # its partners' names, nothing of the register
        return MemberOut(
            name=org.name, organization_id=None, external_id=None, region=None, industry=None
        )
    return MemberOut(
        name=org.name,
        organization_id=org.id,
        external_id=org.external_id,
        region=profile.region if profile else None,
        industry=profile.industry if profile else None,
    )


def cohort_out(cohort: Cohort, count: int) -> CohortOut:
    return CohortOut(
        id=cohort.id,
        name=cohort.name,
        description=cohort.description,
        sponsor=SponsorOut(id=cohort.sponsor.id, name=cohort.sponsor.name),
        member_count=count,
        created_at=cohort.created_at,
        version=cohort.version,
    )


def detail_out(session: DbSession, cohort: Cohort, viewer: User) -> CohortDetailOut:
    rows = service.members(session, cohort.id)
    members = [member_out(org, profile, viewer) for org, profile in rows]
    return CohortDetailOut(**cohort_out(cohort, len(rows)).model_dump(), members=members)


@router.get("/cohorts", dependencies=READERS)
def list_cohorts(session: DbSession, user: CurrentUser) -> list[CohortOut]:
    """Coordinators: every cohort; a sponsor: its own."""
    return [cohort_out(c, n) for c, n in service.list_cohorts(session, user)]


@router.post("/cohorts", status_code=201, dependencies=STAFF)
def create_cohort(
    data: CohortIn, request: Request, session: DbSession, user: CurrentUser
) -> CreatedOut:
    """Give `sponsor_org_id` (a registered sponsor) or `sponsor_name` (registers one)."""
    cohort, secret = service.create_cohort(session, user, data)
    url = str(request.url_for("invitation_form", secret=secret)) if secret else None
    return CreatedOut(**detail_out(session, cohort, user).model_dump(), invitation_url=url)


@router.get("/cohorts/{cohort_id}", dependencies=READERS)
def get_cohort(cohort_id: RowId, session: DbSession, user: CurrentUser) -> CohortDetailOut:
    """With the members; a sponsor sees only their names, and only for its own cohorts."""
    return detail_out(session, service.get_cohort(session, user, cohort_id), user)


@router.put("/cohorts/{cohort_id}", dependencies=STAFF)
def update_cohort(
    cohort_id: RowId, data: CohortUpdate, session: DbSession, user: CurrentUser
) -> CohortDetailOut:
    return detail_out(session, service.update_cohort(session, user, cohort_id, data), user)


@router.delete("/cohorts/{cohort_id}", status_code=204, dependencies=STAFF)
def delete_cohort(
    cohort_id: RowId, version: Version, session: DbSession, user: CurrentUser
) -> Response:
    """`version` is the cohort's current one; refused (409) once a round was run for it."""
    service.delete_cohort(session, user, cohort_id, version)
    return Response(status_code=204)


@router.post("/cohorts/{cohort_id}/members", dependencies=STAFF)
def add_members(
    cohort_id: RowId, data: MembersIn, session: DbSession, user: CurrentUser
) -> MemberReportOut:
    """Add manufacturers by id and by pasted business names or external ids; what matched
    nothing (or several) is reported, the rest is added."""
    report = service.add_members(session, user, cohort_id, data)
    return MemberReportOut(
        added=[member_out(org, org.manufacturer, user) for org in report.added],
        already_members=[member_out(org, org.manufacturer, user) for org in report.already],
        unknown=report.unknown,
        ambiguous=report.ambiguous,
    )


@router.post("/cohorts/{cohort_id}/members/remove", dependencies=STAFF)
def remove_members(
    cohort_id: RowId, data: MemberIdsIn, session: DbSession, user: CurrentUser
) -> RemovedOut:
    return RemovedOut(
        removed=service.remove_members(session, user, cohort_id, data.organization_ids)
    )


@router.post("/cohorts/{cohort_id}/invitations", status_code=201, dependencies=STAFF)
def invite(
    cohort_id: RowId, data: InviteIn, request: Request, session: DbSession, user: CurrentUser
) -> InvitationOut:
    """A sign-up link for a user of the cohort's sponsor (shown once)."""
    cohort = service.get_cohort(session, user, cohort_id)
    invitation, secret = service.invite(session, user, cohort, data.email)
    url = str(request.url_for("invitation_form", secret=secret))
    return InvitationOut(
        email=invitation.email, invitation_url=url, expires_at=invitation.expires_at
    )
