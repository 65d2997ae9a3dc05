"""Decisions that ask someone to act, read off the audit log as it is written.

Every decision already calls `app.audit.record` in its own transaction; `on_audit` maps the
action to its recipients and writes their notifications (and e-mails) in that same
transaction, so any feature that audits e.g. "bid.invited" notifies without knowing it.
Events recorded without an acting user (demo data, imports) notify nobody.
"""

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.engagements import gates
from app.models import (
    AuditEntry,
    Award,
    Bid,
    BidInvitation,
    BidStatus,
    Clarification,
    Engagement,
    MatchProposal,
    Membership,
    Need,
    Role,
    Stage,
    SupplierProfile,
    User,
)
from app.notifications import decisions, searches
from app.notifications.service import Notice, active_users, coordinators, mark_done, notify


def on_audit(session: Session, entry: AuditEntry, entity: Any) -> None:
    """The decision notices first (they mark earlier requests done), then the requests."""
    if entry.actor_id is None and entry.action not in decisions.SYSTEM_ACTIONS:
        return
    for handlers in (decisions.HANDLERS, HANDLERS):
        handler = handlers.get(entry.action)
        if handler is not None:
            handler(session, entry, entity)


def supplier_users(session: Session, org_ids: set[int]) -> list[User]:
    """Users of these supplier organisations that may still see needs (admitted members)."""
    admitted = select(SupplierProfile.organization_id).where(
        SupplierProfile.organization_id.in_(org_ids),
        SupplierProfile.membership == Membership.admitted,
    )
    return active_users(session, session.scalars(admitted), Role.supplier)


def manufacturer_users(session: Session, need: Need) -> list[User]:
    return active_users(session, [need.organization_id], Role.manufacturer)


def bidder_orgs(session: Session, need_id: int) -> set[int]:
    query = select(Bid.supplier_org_id).where(
        Bid.need_id == need_id, Bid.status == BidStatus.submitted
    )
    return set(session.scalars(query))


def invited_orgs(session: Session, need_id: int) -> set[int]:
    query = select(BidInvitation.supplier_org_id).where(BidInvitation.need_id == need_id)
    return set(session.scalars(query))


def _invited(session: Session, entry: AuditEntry, invitation: BidInvitation) -> None:
    need = session.get_one(Need, invitation.need_id)
    notice = Notice(
        "invited", {"title": need.title}, f"/needs/{need.id}", f"invited:{invitation.id}"
    )
    notify(session, supplier_users(session, {invitation.supplier_org_id}), notice)


def _question_asked(session: Session, entry: AuditEntry, item: Clarification) -> None:
    need = session.get_one(Need, item.need_id)
    notice = Notice("question_asked", {"title": need.title}, f"/needs/{need.id}/questions")
    notify(session, manufacturer_users(session, need), notice, skip=entry.actor_id)


def _question_answered(session: Session, entry: AuditEntry, item: Clarification) -> None:
    """The asker, the bidders and the invited: each learns only that an answer is there."""
    need = session.get_one(Need, item.need_id)
    orgs = {item.asked_by_org_id} | bidder_orgs(session, need.id) | invited_orgs(session, need.id)
    notice = Notice("question_answered", {"title": need.title}, f"/needs/{need.id}/questions")
    notify(session, supplier_users(session, orgs), notice, skip=entry.actor_id)


def _award_selected(session: Session, entry: AuditEntry, award: Award) -> None:
    need = session.get_one(Need, award.need_id)
    notice = Notice("award_to_approve", {"title": need.title}, "/awards")
    notify(session, coordinators(session), notice, skip=entry.actor_id)


def _award_rejected(session: Session, entry: AuditEntry, award: Award) -> None:
    need = session.get_one(Need, award.need_id)
    notice = Notice("award_rejected", {"title": need.title}, f"/needs/{need.id}/bids")
    notify(session, manufacturer_users(session, need), notice, skip=entry.actor_id)


def _proposal(session: Session, entry: AuditEntry, proposal: MatchProposal) -> None:
    need = session.get_one(Need, proposal.need_id)
    notice = Notice("proposal_to_decide", {"title": need.title}, f"/needs/{need.id}/bids")
    notify(session, manufacturer_users(session, need), notice, skip=entry.actor_id)


def _engagement_started(session: Session, entry: AuditEntry, engagement: Engagement) -> None:
    """Bidders learn the outcome as `app.bids.service.outcomes` tells it, at the same moment."""
    need = session.get_one(Need, engagement.need_id)
    winner = engagement.supplier_org_id
    others = bidder_orgs(session, need.id) - {winner}
    chosen = {"title": need.title, "outcome": "selected"}
    notify(
        session,
        supplier_users(session, {winner}),
        Notice("bid_outcome", chosen, f"/engagements/{engagement.id}", f"outcome:{need.id}"),
    )
    told = {"title": need.title, "outcome": "not_selected"}
    notify(
        session,
        supplier_users(session, others),
        Notice("bid_outcome", told, "/bids", f"outcome:{need.id}"),
    )


def stage_ready(engagement: Engagement) -> bool:
    """Everything the gate out of the current stage asks for is there (`gates.ready`)."""
    return gates.ready(engagement)


def _maybe_sign_off(session: Session, entry: AuditEntry, engagement: Engagement) -> None:
    if engagement.stage not in STAGES_WITH_GATES or not stage_ready(engagement):
        return
    params = {"title": engagement.need.title, "stage": engagement.stage.value}
    key = f"signoff:{engagement.id}:{engagement.stage.value}"
    notice = Notice("stage_to_sign_off", params, f"/engagements/{engagement.id}", key)
    notify(session, coordinators(session), notice, skip=entry.actor_id)


def _result_recorded(session: Session, entry: AuditEntry, engagement: Engagement) -> None:
    params = {"title": engagement.need.title, "metric": (entry.after or {}).get("metric", "")}
    notice = Notice("result_to_verify", params, f"/engagements/{engagement.id}")
    notify(session, coordinators(session), notice, skip=entry.actor_id)


def _need_published(session: Session, entry: AuditEntry, need: Need) -> None:
    searches.notify_matches(session, need)


def asker_orgs(session: Session, need_id: int) -> set[int]:
    query = select(Clarification.asked_by_org_id).where(Clarification.need_id == need_id)
    return set(session.scalars(query))


def _need_amended(session: Session, entry: AuditEntry, need: Need) -> None:
    """Bidders (sent to their bid, to confirm or revise it), invitees and askers: each learns
    what changed on the need, never anything about another bid."""
    after = entry.after or {}
    params = {
        "title": need.title,
        "number": after.get("amendment"),
        "fields": after.get("fields", []),
        "reopens": bool(after.get("reopens")),
    }
    bidders = bidder_orgs(session, need.id)
    others = (invited_orgs(session, need.id) | asker_orgs(session, need.id)) - bidders
    key = f"amended:{need.id}:{params['number']}"
    for orgs, link in ((bidders, f"/needs/{need.id}/bid"), (others, f"/needs/{need.id}")):
        notice = Notice("need_amended", params, link, key)
        notify(session, supplier_users(session, orgs), notice, skip=entry.actor_id)


def _bid_answered(session: Session, entry: AuditEntry, bid: Bid) -> None:
    """A confirmed or revised bid answers the addenda its bidder was told about."""
    if not bid.needs_confirmation():
        users = active_users(session, [bid.supplier_org_id], Role.supplier)
        mark_done(session, users, "need_amended", f"/needs/{bid.need_id}/bid")


STAGES_WITH_GATES = (Stage.consulting, Stage.design, Stage.demonstration, Stage.deployment)
HANDLERS: dict[str, Callable[[Session, AuditEntry, Any], None]] = {
    "bid.invited": _invited,
    "clarification.asked": _question_asked,
    "clarification.answered": _question_answered,
    "award.selected": _award_selected,
    "award.rejected": _award_rejected,
    "proposal.created": _proposal,
    "engagement.started": _engagement_started,
    "agreement.confirmed": _maybe_sign_off,
    "engagement.milestone_accepted": _maybe_sign_off,
    "engagement.milestone_added": _maybe_sign_off,
    "engagement.moved": _maybe_sign_off,
    "engagement.planned": _maybe_sign_off,
    "engagement.result_verified": _maybe_sign_off,
    "engagement.result_recorded": _result_recorded,
    "need.published": _need_published,
    "need.amended": _need_amended,
    "bid.confirmed": _bid_answered,
    "bid.edited": _bid_answered,
}
