"""Selection: the manufacturer shortlists and selects after the deadline; a coordinator
approves or rejects; a coordinator may also propose a supplier directly.

Sealed bidding stays fair: a proposal on a need still collecting bids is refused until the
deadline, or ends the bidding explicitly (a reason, every bidder and invitee told, the bids
unsealed at that moment); a need is never both "started" and "sealed". A selection whose
supplier is no longer admitted cannot be approved (409 naming its state).

Decisions are conditional UPDATEs (`... WHERE status = 'pending'`), so of two coordinators
acting at once exactly one wins and the other gets a Conflict; selections and acceptances
check the need under its row lock, so one need never gets two active awards.
"""

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from app import audit
from app.bids.dialogue import require_member
from app.bids.schemas import DecisionIn, ProposalIn, SelectIn
from app.bids.service import bidding_open, deadline_passed
from app.db import expect_version
from app.engagements.service import start_engagement
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.i18n import Msgid
from app.matches.eligibility import require_admitted
from app.models import (
    Award,
    AwardStatus,
    Bid,
    BidStatus,
    Engagement,
    MatchProposal,
    Need,
    NeedStatus,
    ProposalStatus,
    User,
    utcnow,
)
from app.needs import service as needs

ACTIVE = (AwardStatus.pending, AwardStatus.approved)
DECIDED = "This selection was already decided by someone else."


def _own_unsealed_need(session: Session, viewer: User, need_id: int) -> Need:
    need = needs.get_own_need(session, viewer, need_id)
    if not deadline_passed(need):
        raise Conflict("Bids are sealed until the deadline.")
    return need


def _live_bid(session: Session, need: Need, supplier_org_id: int) -> Bid:
    query = select(Bid).where(
        Bid.need_id == need.id,
        Bid.supplier_org_id == supplier_org_id,
        Bid.status == BidStatus.submitted,
    )
    bid = session.scalar(query)
    if bid is None:
        raise NotFound("Bid not found.")
    return bid


def latest_award(session: Session, need_id: int) -> Award | None:
    query = select(Award).where(Award.need_id == need_id).order_by(Award.id.desc()).limit(1)
    return session.scalar(query)


def _require_free(session: Session, need: Need) -> None:
    """A need gets one engagement: no active award, no engagement yet, and still open.
    Takes the need's row lock (to the end of the transaction) before checking, so of
    simultaneous selections or acceptances each sees what the one before it wrote."""
    session.refresh(need, with_for_update=True)
    if need.status is not NeedStatus.open:
        raise Conflict("This need is closed.")
    award = latest_award(session, need.id)
    if award is not None and award.status in ACTIVE:
        raise Conflict("A selection is already waiting for approval or approved.")
    if engagement_of(session, need.id) is not None:
        raise Conflict("This need already has an engagement.")


def engagement_of(session: Session, need_id: int) -> int | None:
    """The id of the need's engagement, once an award is approved or a proposal accepted."""
    return session.scalar(select(Engagement.id).where(Engagement.need_id == need_id))


def toggle_shortlist(session: Session, viewer: User, need_id: int, supplier_org_id: int) -> Bid:
    need = _own_unsealed_need(session, viewer, need_id)
    bid = _live_bid(session, need, supplier_org_id)
    bid.shortlisted = not bid.shortlisted
    action = "bid.shortlisted" if bid.shortlisted else "bid.unshortlisted"
    audit.record(session, viewer, action, bid, after={"shortlisted": bid.shortlisted})
    session.flush()
    return bid


def select_bid(session: Session, viewer: User, need_id: int, data: SelectIn) -> Award:
    need = _own_unsealed_need(session, viewer, need_id)
    _require_free(session, need)
    bid = _live_bid(session, need, data.supplier_org_id)
    award = Award(
        need_id=need.id,
        bid_id=bid.id,
        supplier_org_id=bid.supplier_org_id,
        justification=data.justification,
        selected_by_id=viewer.id,
    )
    session.add(award)
    after = {"need_id": need.id, "supplier_org_id": bid.supplier_org_id, "status": "pending"}
    audit.record(session, viewer, "award.selected", award, after=after, reason=data.justification)
    return award


def pending_awards(session: Session) -> list[Award]:
    query = select(Award).where(Award.status == AwardStatus.pending).order_by(Award.selected_at)
    return list(session.scalars(query.options(selectinload(Award.need), selectinload(Award.bid))))


def _claim(
    session: Session,
    model: type[Award] | type[MatchProposal],
    row_id: int,
    frm: str,
    to: str,
    viewer: User,
) -> None:
    """Move a pending row to its decision only if it is still pending (one winner)."""
    result = session.execute(
        update(model)
        .where(model.id == row_id, model.status == frm)
        .values(status=to, decided_by_id=viewer.id, decided_at=utcnow(), version=model.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(DECIDED)


def decide_award(
    session: Session, viewer: User, need_id: int, approve: bool, data: DecisionIn
) -> Award:
    if not needs.is_staff(viewer):
        raise Forbidden("Only a coordinator approves or rejects a selection.")
    need = needs.get_need(session, viewer, need_id)
    award = latest_award(session, need.id)
    if award is None or award.status is not AwardStatus.pending:
        raise Conflict(DECIDED)
    expect_version(award, data.version)
    if approve:
        require_admitted(session, award.supplier_org_id, NOT_APPROVABLE)
    status = AwardStatus.approved if approve else AwardStatus.rejected
    _claim(session, Award, award.id, AwardStatus.pending, status, viewer)
    session.refresh(award)
    award.decision_reason = data.reason
    if approve:
        _start(session, viewer, need, award.supplier_org_id, award=award)
    action = "award.approved" if approve else "award.rejected"
    audit.record(session, viewer, action, award, after={"status": status.value}, reason=data.reason)
    session.flush()
    return award


def _start(
    session: Session, viewer: User, need: Need, supplier_org_id: int, **source: object
) -> None:
    if engagement_of(session, need.id) is not None:
        raise Conflict("This need already has an engagement.")
    start_engagement(session, viewer, need, supplier_org_id, **source)  # type: ignore[arg-type]
    if need.status is NeedStatus.open:
        needs.move(session, need, NeedStatus.closed, viewer, "matched")


NOT_APPROVABLE = Msgid(
    "The selected supplier is %(state)s: its selection cannot be approved. Reject it with a "
    "reason so the manufacturer can select another bid, or readmit the supplier first."
)
COLLECTING = Msgid(
    "This need is collecting sealed bids until its deadline: a direct proposal would start the "
    "project while bids are sealed. Wait for the deadline, or end the bidding now with a "
    "reason (every bidder is told)."
)


def end_bidding(session: Session, viewer: User, need: Need, reason: str | None) -> None:
    """Close the bidding now: the deadline becomes this moment (the bids unseal), and the
    reason is kept on the need and told to every bidder and invitee."""
    if not reason or len(reason) < 10:
        raise Invalid("Give the bidders a reason for ending the bidding (at least 10 characters).")
    before = {"deadline_at": need.deadline_at}
    need.deadline_at = need.bidding_ended_at = utcnow()
    need.bidding_end_reason = reason
    session.flush()
    audit.record(
        session,
        viewer,
        "need.bidding_ended",
        need,
        before=before,
        after={"deadline_at": need.deadline_at},
        reason=reason,
    )


def propose(session: Session, viewer: User, need_id: int, data: ProposalIn) -> MatchProposal:
    if not needs.is_staff(viewer):
        raise Forbidden("Only a coordinator proposes a match.")
    need = needs.get_need(session, viewer, need_id)
    _require_free(session, need)
    require_member(session, data.supplier_org_id)
    if bidding_open(need):
        if not data.end_bidding:
            raise Conflict(COLLECTING)
        end_bidding(session, viewer, need, data.end_reason)
    if proposal_for(session, need.id, data.supplier_org_id) is not None:
        raise Conflict("This supplier was already proposed for this need.")
    proposal = MatchProposal(
        need_id=need.id,
        supplier_org_id=data.supplier_org_id,
        proposed_by_id=viewer.id,
        note=data.note,
    )
    session.add(proposal)
    after = {"need_id": need.id, "supplier_org_id": data.supplier_org_id}
    audit.record(
        session, viewer, "proposal.created", proposal, after=after, reason=data.note or None
    )
    return proposal


def proposal_for(session: Session, need_id: int, supplier_org_id: int) -> MatchProposal | None:
    query = select(MatchProposal).where(
        MatchProposal.need_id == need_id, MatchProposal.supplier_org_id == supplier_org_id
    )
    return session.scalar(query)


def proposals(session: Session, viewer: User, need_id: int) -> list[MatchProposal]:
    need = needs.get_need(session, viewer, need_id)
    if not needs.can_see_confidential(viewer, need):
        raise NotFound("Need not found.")
    query = select(MatchProposal).where(MatchProposal.need_id == need.id)
    return list(session.scalars(query.order_by(MatchProposal.id)))


def own_proposal(
    session: Session, viewer: User, need_id: int, supplier_org_id: int
) -> tuple[Need, MatchProposal]:
    """A proposal on the viewer's own need: what deciding, and its confirmation, act on."""
    need = needs.get_own_need(session, viewer, need_id)
    proposal = proposal_for(session, need.id, supplier_org_id)
    if proposal is None:
        raise NotFound("Proposal not found.")
    return need, proposal


def decide_proposal(
    session: Session,
    viewer: User,
    need_id: int,
    supplier_org_id: int,
    accept: bool,
    version: int | None,
) -> MatchProposal:
    need, proposal = own_proposal(session, viewer, need_id, supplier_org_id)
    expect_version(proposal, version)
    if accept:
        _require_free(session, need)
        require_member(session, supplier_org_id)  # suspended or full since the proposal: no
        if not deadline_passed(need):
            raise Conflict(COLLECTING)
    status = ProposalStatus.accepted if accept else ProposalStatus.declined
    _claim(session, MatchProposal, proposal.id, ProposalStatus.proposed, status, viewer)
    session.refresh(proposal)
    if accept:
        _start(session, viewer, need, supplier_org_id, proposal=proposal)
    audit.record(
        session, viewer, f"proposal.{status.value}", proposal, after={"status": status.value}
    )
    session.flush()
    return proposal
