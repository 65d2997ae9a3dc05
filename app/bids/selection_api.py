"""JSON routes for shortlist, selection, coordinator approval and direct proposals."""

from typing import Any

from fastapi import APIRouter
from sqlalchemy.orm import Session

from app.auth import CurrentUser, DbSession, roles
from app.bids import selection
from app.bids.schemas import AwardOut, DecisionIn, ProposalIn, ProposalOut, SelectIn, VersionIn
from app.errors import NotFound
from app.models import MatchProposal, Role, User
from app.needs import service as needs
from app.schemas import RowId

router = APIRouter(prefix="/api", tags=["bids"])
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Role not allowed"},
    404: {"description": "Need, bid or proposal not found"},
    409: {"description": "Sealed, already decided (another coordinator won), or stale version"},
}
MANUFACTURER = roles(Role.manufacturer)
STAFF = roles(Role.coordinator, Role.admin)
READERS = roles(Role.manufacturer, Role.coordinator, Role.admin)


def award_out(award: Any) -> AwardOut:
    return AwardOut.model_validate(award, from_attributes=True)


def proposal_out(proposal: MatchProposal) -> ProposalOut:
    fields = {f: getattr(proposal, f) for f in ProposalOut.model_fields if f != "supplier_name"}
    return ProposalOut(supplier_name=proposal.supplier.name, **fields)


@router.post(
    "/needs/{need_id}/bids/{org_id}/shortlist", dependencies=MANUFACTURER, responses=ERRORS
)
def shortlist(
    need_id: RowId, org_id: RowId, session: DbSession, user: CurrentUser
) -> dict[str, bool]:
    """Toggles the supplier's bid on or off the shortlist (after the deadline)."""
    bid = selection.toggle_shortlist(session, user, need_id, org_id)
    return {"shortlisted": bid.shortlisted}


@router.post("/needs/{need_id}/award", status_code=201, dependencies=MANUFACTURER, responses=ERRORS)
def select_bid(need_id: RowId, data: SelectIn, session: DbSession, user: CurrentUser) -> AwardOut:
    """Select one bid with a justification: a pending award for a coordinator to decide."""
    return award_out(selection.select_bid(session, user, need_id, data))


@router.get("/needs/{need_id}/award", dependencies=READERS, responses=ERRORS)
def get_award(need_id: RowId, session: DbSession, user: CurrentUser) -> AwardOut:
    need = needs.get_need(session, user, need_id)
    award = selection.latest_award(session, need.id)
    if award is None or not needs.can_see_confidential(user, need):
        raise NotFound("Selection not found.")
    return award_out(award)


@router.get("/awards", dependencies=STAFF, responses=ERRORS)
def award_queue(session: DbSession) -> list[AwardOut]:
    """Selections waiting for a coordinator, oldest first."""
    return [award_out(a) for a in selection.pending_awards(session)]


@router.post("/needs/{need_id}/award/approve", dependencies=STAFF, responses=ERRORS)
def approve(need_id: RowId, data: DecisionIn, session: DbSession, user: CurrentUser) -> AwardOut:
    """Approve the pending selection: starts the engagement and closes the need."""
    return award_out(selection.decide_award(session, user, need_id, True, data))


@router.post("/needs/{need_id}/award/reject", dependencies=STAFF, responses=ERRORS)
def reject(need_id: RowId, data: DecisionIn, session: DbSession, user: CurrentUser) -> AwardOut:
    """Reject the pending selection: the manufacturer may select again."""
    return award_out(selection.decide_award(session, user, need_id, False, data))


@router.get("/needs/{need_id}/proposals", dependencies=READERS, responses=ERRORS)
def list_proposals(need_id: RowId, session: DbSession, user: CurrentUser) -> list[ProposalOut]:
    return [proposal_out(p) for p in selection.proposals(session, user, need_id)]


@router.post("/needs/{need_id}/proposals", status_code=201, dependencies=STAFF, responses=ERRORS)
def propose(need_id: RowId, data: ProposalIn, session: DbSession, user: CurrentUser) -> ProposalOut:
    return proposal_out(selection.propose(session, user, need_id, data))


def _answer(
    session: Session, user: User, ids: tuple[int, int], data: VersionIn | None, accept: bool
) -> ProposalOut:
    version = data.version if data else None
    proposal = selection.decide_proposal(session, user, *ids, accept, version)
    return proposal_out(proposal)


@router.post(
    "/needs/{need_id}/proposals/{org_id}/accept", dependencies=MANUFACTURER, responses=ERRORS
)
def accept_proposal(
    need_id: RowId,
    org_id: RowId,
    session: DbSession,
    user: CurrentUser,
    data: VersionIn | None = None,
) -> ProposalOut:
    """Accept a coordinator's proposal: starts the engagement and closes the need."""
    return _answer(session, user, (need_id, org_id), data, True)


@router.post(
    "/needs/{need_id}/proposals/{org_id}/decline", dependencies=MANUFACTURER, responses=ERRORS
)
def decline_proposal(
    need_id: RowId,
    org_id: RowId,
    session: DbSession,
    user: CurrentUser,
    data: VersionIn | None = None,
) -> ProposalOut:
    return _answer(session, user, (need_id, org_id), data, False)
