"""JSON routes for invitations and clarification questions."""

from typing import Any

from fastapi import APIRouter

from app.auth import CurrentUser, DbSession, roles
from app.bids import dialogue
from app.bids.schemas import AnswerIn, InvitationOut, InviteIn, QuestionIn, QuestionOut
from app.models import BidInvitation, Clarification, Need, Role
from app.schemas import RowId

router = APIRouter(prefix="/api", tags=["bids"])
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Role not allowed"},
    404: {"description": "Need, supplier or question not found"},
    409: {"description": "Bidding has closed"},
}
SUPPLIER = roles(Role.supplier)
DECIDERS = roles(Role.manufacturer, Role.coordinator, Role.admin)


def invitation_out(invitation: BidInvitation, need: Need) -> InvitationOut:
    return InvitationOut(
        id=invitation.id,
        need_id=need.id,
        need_title=need.title,
        created_at=invitation.created_at,
        seen_at=invitation.seen_at,
    )


def question_out(item: Clarification) -> QuestionOut:
    """Never says who asked."""
    return QuestionOut.model_validate(item, from_attributes=True)


@router.post(
    "/needs/{need_id}/invitations", status_code=201, dependencies=DECIDERS, responses=ERRORS
)
def invite(need_id: RowId, data: InviteIn, session: DbSession, user: CurrentUser) -> InvitationOut:
    """Invite an admitted supplier to bid (inviting twice returns the first invitation)."""
    invitation = dialogue.invite(session, user, need_id, data.supplier_org_id)
    return invitation_out(invitation, session.get_one(Need, need_id))


@router.get("/bid-invitations", dependencies=SUPPLIER, responses=ERRORS)
def my_invitations(session: DbSession, user: CurrentUser) -> list[InvitationOut]:
    return [invitation_out(i, n) for i, n in dialogue.my_invitations(session, user)]


@router.post("/needs/{need_id}/invitation/seen", dependencies=SUPPLIER, responses=ERRORS)
def open_invitation(need_id: RowId, session: DbSession, user: CurrentUser) -> InvitationOut:
    invitation = dialogue.open_invitation(session, user, need_id)
    return invitation_out(invitation, session.get_one(Need, need_id))


@router.get("/needs/{need_id}/questions", responses=ERRORS)
def questions(need_id: RowId, session: DbSession, user: CurrentUser) -> list[QuestionOut]:
    """Every question and answer on the need, without saying who asked."""
    return [question_out(q) for q in dialogue.questions(session, user, need_id)]


@router.post("/needs/{need_id}/questions", status_code=201, dependencies=SUPPLIER, responses=ERRORS)
def ask(need_id: RowId, data: QuestionIn, session: DbSession, user: CurrentUser) -> QuestionOut:
    return question_out(dialogue.ask(session, user, need_id, data.question))


@router.post(
    "/needs/{need_id}/questions/answer",
    dependencies=roles(Role.manufacturer),
    responses=ERRORS,
)
def answer(need_id: RowId, data: AnswerIn, session: DbSession, user: CurrentUser) -> QuestionOut:
    item = dialogue.answer(session, user, need_id, data.question_id, data.answer)
    return question_out(item)
