"""Notices of decisions the people concerned must know of, read off the audit log like
`app.notifications.events` (which merges `HANDLERS`): stage moves and sign-offs, milestones
delivered and accepted, results verified or rejected, membership decisions (with their reason),
bidding ended early, proposals declined, agreements confirmed and amended. A notice asking
someone to act is marked done (read) for everyone once the action is taken."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import (
    AuditEntry,
    Bid,
    BidInvitation,
    BidStatus,
    Engagement,
    MatchProposal,
    Membership,
    Need,
    NeedStatus,
    Notification,
    Role,
    Stage,
    SupplierProfile,
    User,
    utcnow,
)
from app.notifications.service import Notice, active_users, coordinators, notify

OPEN_STAGES = (Stage.consulting, Stage.design, Stage.demonstration, Stage.deployment)


def mark_done(session: Session, kind: str, link: str) -> None:
    """Every unread notice of `kind` pointing at `link`: its action was taken."""
    session.execute(
        update(Notification)
        .where(Notification.kind == kind, Notification.link == link)
        .where(Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def _parties(session: Session, engagement: Engagement) -> list[User]:
    orgs = [engagement.supplier_org_id, engagement.manufacturer_org_id]
    return active_users(session, orgs)


def _link(engagement: Engagement) -> str:
    return f"/engagements/{engagement.id}"


def _moved(session: Session, entry: AuditEntry, engagement: Engagement) -> None:
    """Both parties learn of every sign-off; the sign-off request is done."""
    mark_done(session, "stage_to_sign_off", _link(engagement))
    if engagement.stage is Stage.cancelled:
        params = {"title": engagement.need.title, "reason": entry.reason or ""}
        notice = Notice("engagement_cancelled", params, _link(engagement))
    else:
        params = {"title": engagement.need.title, "stage": engagement.stage.value}
        notice = Notice("stage_moved", params, _link(engagement))
    notify(session, _parties(session, engagement), notice, skip=entry.actor_id)


def _agreement_confirmed(session: Session, entry: AuditEntry, engagement: Engagement) -> None:
    """The other side learns that one side confirmed; a version both confirmed is done."""
    after = entry.after or {}
    side = str(after.get("side"))
    other = "manufacturer" if side == "supplier" else "supplier"
    link = f"{_link(engagement)}/agreement"
    params = {"title": engagement.need.title, "number": after.get("number"), "side": side}
    org = getattr(engagement, f"{other}_org_id")
    notify(session, active_users(session, [org]), Notice("agreement_confirmed", params, link))
    if after.get("both"):
        mark_done(session, "agreement_amended", link)


def _agreement_amended(session: Session, entry: AuditEntry, engagement: Engagement) -> None:
    """Both parties: the new version waits for each to confirm it again."""
    params = {"title": engagement.need.title, "number": (entry.after or {}).get("number")}
    notice = Notice("agreement_amended", params, f"{_link(engagement)}/agreement")
    notify(session, _parties(session, engagement), notice, skip=entry.actor_id)


def _milestone(entry: AuditEntry) -> str:
    return str((entry.after or {}).get("title", ""))


def _delivered(session: Session, entry: AuditEntry, engagement: Engagement) -> None:
    params = {"title": engagement.need.title, "milestone": _milestone(entry)}
    users = active_users(session, [engagement.manufacturer_org_id], Role.manufacturer)
    notify(session, users, Notice("milestone_delivered", params, _link(engagement)))


def _accepted(session: Session, entry: AuditEntry, engagement: Engagement) -> None:
    mark_done(session, "milestone_delivered", _link(engagement))
    params = {"title": engagement.need.title, "milestone": _milestone(entry)}
    users = active_users(session, [engagement.supplier_org_id], Role.supplier)
    notify(session, users, Notice("milestone_accepted", params, _link(engagement)))


def _result(session: Session, entry: AuditEntry, engagement: Engagement) -> None:
    """The parties (who record results) learn the verdict; the verification request is done
    once no result of the engagement waits any more."""
    if not any(
        r.verified_at is None and not r.rejected_reason for k in engagement.kpis for r in k.results
    ):
        mark_done(session, "result_to_verify", _link(engagement))
    verified = entry.action == "engagement.result_verified"
    params = {"title": engagement.need.title, "metric": (entry.after or {}).get("metric", "")}
    if not verified:
        params["reason"] = entry.reason or ""
    kind = "result_verified" if verified else "result_rejected"
    notify(session, _parties(session, engagement), Notice(kind, params, _link(engagement)))


def _membership(session: Session, entry: AuditEntry, profile: SupplierProfile) -> None:
    """The supplier is told each decision with its reason (whatever its state now: a rejected
    or suspended supplier must still learn why); suspension or expiry flags its open
    engagements to the coordinators."""
    state = profile.membership.value
    params = {"state": state, "reason": entry.reason or ""}
    users = active_users(session, [profile.organization_id], Role.supplier)
    notify(session, users, Notice("membership_decided", params, "/profile"))
    if profile.membership in (Membership.suspended, Membership.expired):
        flag_engagements(session, profile, entry.actor_id)


def flag_engagements(session: Session, profile: SupplierProfile, actor_id: int | None) -> None:
    query = select(Engagement).where(
        Engagement.supplier_org_id == profile.organization_id, Engagement.stage.in_(OPEN_STAGES)
    )
    for engagement in session.scalars(query.order_by(Engagement.id)):
        params = {"title": engagement.need.title, "state": profile.membership.value}
        key = f"not_admitted:{engagement.id}:{profile.membership_changed_at}"
        notice = Notice("supplier_not_admitted", params, _link(engagement), key[:100])
        notify(session, coordinators(session), notice, skip=actor_id)


def _reapplied(session: Session, entry: AuditEntry, profile: SupplierProfile) -> None:
    params = {"name": profile.organization.name}
    notice = Notice("application_to_review", params, "/coordinator/applications")
    notify(session, coordinators(session), notice)


def _bidding_ended(session: Session, entry: AuditEntry, need: Need) -> None:
    """Every bidder and invitee (admitted or not: a bid is theirs) learns why."""
    bids = select(Bid.supplier_org_id).where(
        Bid.need_id == need.id, Bid.status == BidStatus.submitted
    )
    invited = select(BidInvitation.supplier_org_id).where(BidInvitation.need_id == need.id)
    orgs = set(session.scalars(bids)) | set(session.scalars(invited))
    params = {"title": need.title, "reason": entry.reason or ""}
    notice = Notice("bidding_ended", params, f"/needs/{need.id}/bid", f"bidding_ended:{need.id}")
    notify(session, active_users(session, orgs, Role.supplier), notice)


def _declined(session: Session, entry: AuditEntry, proposal: MatchProposal) -> None:
    need = session.get_one(Need, proposal.need_id)
    mark_done(session, "proposal_to_decide", f"/needs/{need.id}/bids")
    notice = Notice("proposal_declined", {"title": need.title}, f"/needs/{need.id}")
    notify(session, coordinators(session), notice, skip=entry.actor_id)


def _accepted_proposal(session: Session, entry: AuditEntry, proposal: MatchProposal) -> None:
    mark_done(session, "proposal_to_decide", f"/needs/{proposal.need_id}/bids")


def _check_requested(session: Session, entry: AuditEntry, need: Need) -> None:
    params = {"name": need.organization.name, "title": need.title}
    notice = Notice("need_to_check", params, f"/coordinator/checks#need-{need.id}")
    notify(session, coordinators(session), notice, skip=entry.actor_id)


def _checked(session: Session, entry: AuditEntry, need: Need) -> None:
    """The manufacturer learns the decision on its first need; the check request is done."""
    mark_done(session, "need_to_check", f"/coordinator/checks#need-{need.id}")
    returned = need.status is NeedStatus.draft
    params = {"title": need.title, "reason": entry.reason or ""}
    notice = Notice("need_returned" if returned else "need_checked", params, f"/needs/{need.id}")
    users = active_users(session, [need.organization_id], Role.manufacturer)
    notify(session, users, notice, skip=entry.actor_id)


DECIDED = ("admitted", "rejected", "suspended", "readmitted", "renewed", "expired")
HANDLERS: dict[str, Callable[[Session, AuditEntry, Any], None]] = {
    "engagement.moved": _moved,
    "engagement.cancelled": _moved,
    "agreement.confirmed": _agreement_confirmed,
    "agreement.amended": _agreement_amended,
    "engagement.milestone_delivered": _delivered,
    "engagement.milestone_accepted": _accepted,
    "engagement.result_verified": _result,
    "engagement.result_rejected": _result,
    "membership.reapplied": _reapplied,
    "need.bidding_ended": _bidding_ended,
    "proposal.declined": _declined,
    "proposal.accepted": _accepted_proposal,
    "need.check_requested": _check_requested,
    "need.check_approved": _checked,
    "need.check_returned": _checked,
    **{f"membership.{action}": _membership for action in DECIDED},
}
# Recorded by the worker (no acting user) and still told: nobody else would tell them.
SYSTEM_ACTIONS = frozenset({"membership.expired"})
