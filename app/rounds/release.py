"""Releasing a round (its shortlists become bid invitations, all in the request's one
transaction) and withdrawing it (invitations nobody has bid on yet are taken back)."""

from collections import Counter

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit
from app.bids.service import bidding_open
from app.db import expect_version
from app.errors import Conflict
from app.matches import eligibility
from app.models import (
    Bid,
    BidInvitation,
    BidStatus,
    Round,
    RoundPair,
    RoundStatus,
    User,
    utcnow,
)
from app.rounds.conflicts import conflicted
from app.rounds.schemas import VersionIn, WithdrawIn
from app.rounds.service import draft_round, get_round


def shortlist_size(session: Session, round_id: int) -> int:
    """How many invitations a release would send at most (the confirmation step says so)."""
    return sum(p.kind == "shortlist" for p in get_round(session, round_id).pairs)


def release(session: Session, actor: User, round_id: int, data: VersionIn) -> Round:
    round_ = draft_round(session, round_id, data.version)
    pairs = [p for p in round_.pairs if p.kind == "shortlist"]
    if not pairs:
        raise Conflict("This round has no shortlist to release.")
    outcome = _invite(session, actor, round_, pairs)
    round_.status, round_.released_by_id, round_.released_at = (
        RoundStatus.released,
        actor.id,
        utcnow(),
    )
    round_.stats = {**round_.stats, "released": dict(outcome)}
    session.flush()
    audit.record(session, actor, "round.released", round_, after=dict(outcome))
    return round_


def _invite(session: Session, actor: User, round_: Round, pairs: list[RoundPair]) -> Counter[str]:
    """One invitation per shortlist pair, skipping (and counting) those that cannot go out."""
    needs = {rn.need_id: rn.need for rn in round_.needs}
    orgs = {p.supplier_org_id for p in pairs}
    states = eligibility.availability(session, orgs)
    conflicts = conflicted(session, orgs, {n.organization_id for n in needs.values()})
    query = select(BidInvitation.need_id, BidInvitation.supplier_org_id).where(
        BidInvitation.need_id.in_(list(needs))
    )
    invited = {(need, org) for need, org in session.execute(query)}
    outcome: Counter[str] = Counter(invited=0)
    for pair in pairs:
        need, org = needs[pair.need_id], pair.supplier_org_id
        checks = (
            ("closed", not bidding_open(need)),
            ("not_admitted", states[org] == eligibility.NOT_ADMITTED),
            ("at_capacity", states[org] == eligibility.AT_CAPACITY),
            ("conflict", (org, need.organization_id) in conflicts),
            ("already_invited", (need.id, org) in invited),
        )
        skip = next((reason for reason, failed in checks if failed), None)
        if skip is None and not _add_invitation(session, actor, round_, pair):
            skip = "already_invited"
        outcome[skip or "invited"] += 1
    return outcome


def _add_invitation(session: Session, actor: User, round_: Round, pair: RoundPair) -> bool:
    invitation = BidInvitation(
        need_id=pair.need_id,
        supplier_org_id=pair.supplier_org_id,
        invited_by_id=actor.id,
        source="round",
        round_id=round_.id,
    )
    try:
        with session.begin_nested():  # someone may invite the same pair at this moment
            session.add(invitation)
    except IntegrityError:
        return False
    after = {
        "need_id": pair.need_id,
        "supplier_org_id": pair.supplier_org_id,
        "round_id": round_.id,
    }
    audit.record(session, actor, "bid.invited", invitation, after=after)
    return True


def withdraw(session: Session, actor: User, round_id: int, data: WithdrawIn) -> Round:
    round_ = get_round(session, round_id)
    expect_version(round_, data.version)
    if round_.status is not RoundStatus.released:
        raise Conflict("Only a released round can be withdrawn.")
    invitations = list(
        session.scalars(select(BidInvitation).where(BidInvitation.round_id == round_.id))
    )
    query = select(Bid.need_id, Bid.supplier_org_id).where(
        Bid.need_id.in_([i.need_id for i in invitations]), Bid.status == BidStatus.submitted
    )
    bids = {(need, org) for need, org in session.execute(query)}
    removed = [i for i in invitations if (i.need_id, i.supplier_org_id) not in bids]
    for invitation in removed:
        before = {"need_id": invitation.need_id, "supplier_org_id": invitation.supplier_org_id}
        audit.record(
            session,
            actor,
            "bid.invitation_withdrawn",
            invitation,
            before=before,
            reason=data.reason,
        )
        session.delete(invitation)
    round_.status, round_.withdrawn_by_id, round_.withdrawn_at = (
        RoundStatus.withdrawn,
        actor.id,
        utcnow(),
    )
    round_.withdraw_reason = data.reason
    outcome = {"removed": len(removed), "kept": len(invitations) - len(removed)}
    round_.stats = {**round_.stats, "withdrawn": outcome}
    session.flush()
    audit.record(session, actor, "round.withdrawn", round_, after=outcome, reason=data.reason)
    return round_
