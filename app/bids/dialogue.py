"""Invitations to bid, and clarification questions that every bidder reads anonymously."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit
from app.bids.service import bidding_open, require_bidder
from app.errors import Conflict, Forbidden, NotFound
from app.matches import eligibility
from app.models import (
    BidInvitation,
    Clarification,
    Need,
    User,
    utcnow,
)
from app.needs import service as needs


def _deciding_need(session: Session, viewer: User, need_id: int) -> Need:
    """The need's own manufacturer, or a coordinator/admin; anyone else gets NotFound."""
    need = needs.get_need(session, viewer, need_id)
    if not (needs.is_staff(viewer) or needs.can_edit(viewer, need)):
        raise NotFound("Need not found.")
    return need


def require_member(session: Session, org_id: int) -> None:
    """An admitted supplier with room for new work (see `app.matches.eligibility`)."""
    eligibility.require_available(session, org_id)


def invite(session: Session, viewer: User, need_id: int, supplier_org_id: int) -> BidInvitation:
    """Invite a supplier to bid; inviting twice returns the first invitation."""
    need = _deciding_need(session, viewer, need_id)
    if not bidding_open(need):
        raise Conflict("Bidding on this need has closed.")
    require_member(session, supplier_org_id)
    query = select(BidInvitation).where(
        BidInvitation.need_id == need.id, BidInvitation.supplier_org_id == supplier_org_id
    )
    found = session.scalar(query)
    if found is not None:
        return found
    invitation = BidInvitation(
        need_id=need.id, supplier_org_id=supplier_org_id, invited_by_id=viewer.id
    )
    try:
        with session.begin_nested():
            session.add(invitation)
    except IntegrityError:
        return session.scalars(query).one()
    after = {"need_id": need.id, "supplier_org_id": supplier_org_id}
    audit.record(session, viewer, "bid.invited", invitation, after=after)
    return invitation


def invited_orgs(session: Session, viewer: User, need_id: int) -> set[int]:
    need = _deciding_need(session, viewer, need_id)
    query = select(BidInvitation.supplier_org_id).where(BidInvitation.need_id == need.id)
    return set(session.scalars(query))


def my_invitations(session: Session, viewer: User) -> list[tuple[BidInvitation, Need]]:
    query = (
        select(BidInvitation, Need)
        .join(Need, Need.id == BidInvitation.need_id)
        .where(BidInvitation.supplier_org_id == viewer.organization_id)
        .order_by(BidInvitation.id.desc())
    )
    return [(inv, need) for inv, need in session.execute(query)]


def open_invitation(session: Session, viewer: User, need_id: int) -> BidInvitation:
    query = select(BidInvitation).where(
        BidInvitation.need_id == need_id, BidInvitation.supplier_org_id == viewer.organization_id
    )
    invitation = session.scalar(query)
    if invitation is None:
        raise NotFound("Invitation not found.")
    if invitation.seen_at is None:
        invitation.seen_at = utcnow()
        session.flush()
    return invitation


def questions(session: Session, viewer: User, need_id: int) -> list[Clarification]:
    need = needs.get_need(session, viewer, need_id)
    query = select(Clarification).where(Clarification.need_id == need.id)
    return list(session.scalars(query.order_by(Clarification.id)))


def ask(session: Session, viewer: User, need_id: int, question: str) -> Clarification:
    require_bidder(viewer)
    need = needs.get_need(session, viewer, need_id)
    if not bidding_open(need):
        raise Conflict("Bidding on this need has closed.")
    item = Clarification(
        need_id=need.id,
        asked_by_org_id=viewer.organization_id,
        asked_by_id=viewer.id,
        question=question,
    )
    session.add(item)
    audit.record(session, viewer, "clarification.asked", item, after={"need_id": need.id})
    return item


def answer(
    session: Session, viewer: User, need_id: int, question_id: int, text: str
) -> Clarification:
    need = needs.get_need(session, viewer, need_id)
    if not needs.can_edit(viewer, need):
        raise Forbidden("Only the need's manufacturer answers questions.")
    item = session.get(Clarification, question_id)
    if item is None or item.need_id != need.id:
        raise NotFound("Question not found.")
    before = {"answer": item.answer}
    item.answer, item.answered_by_id, item.answered_at = text, viewer.id, utcnow()
    audit.record(
        session, viewer, "clarification.answered", item, before=before, after={"answer": text}
    )
    return item
