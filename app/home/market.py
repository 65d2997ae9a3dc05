"""The marketplace roles' homes: a manufacturer's decisions, answers and acceptances; a
supplier's invitations, answers, results to record and needs at high fit."""

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from app.bids.selection import ACTIVE as ACTIVE_AWARDS
from app.config import Settings
from app.engagements.board import RECORD, waiting_for
from app.engagements.service import OPEN_STAGES
from app.engagements.stages import STAGE_NAMES
from app.home.items import (
    SOON,
    Cache,
    Item,
    Section,
    section,
)
from app.i18n import Msgid
from app.matches import service as matches
from app.matches.cache import IndexCache
from app.models import (
    Award,
    Bid,
    BidInvitation,
    BidStatus,
    Clarification,
    Engagement,
    EngagementKpi,
    MatchProposal,
    Membership,
    Milestone,
    Need,
    NeedStatus,
    ProposalStatus,
    SupplierProfile,
    User,
    utcnow,
)
from app.needs.service import phase_is

# Manufacturer: decide on bids and proposals, answer bidders, accept delivered work.


def manufacturer(session: Session, user: User, settings: Settings, cache: Cache) -> list[Section]:
    org = user.organization_id
    return [
        section(
            "bids_to_compare", Msgid("Bids to compare"), "/needs/mine", _to_compare(session, org)
        ),
        section(
            "proposals_to_answer",
            Msgid("Proposals to answer"),
            "/needs/mine",
            _proposed(session, org),
        ),
        section(
            "questions_to_answer", Msgid("Questions to answer"), "/needs/mine", _asked(session, org)
        ),
        section(
            "milestones_to_accept",
            Msgid("Milestones to accept"),
            "/engagements",
            _delivered(session, org),
        ),
    ]


def _undecided() -> ColumnElement[bool]:
    """A need with neither an active award nor an engagement: its selection is still open."""
    active = select(Award.need_id).where(Award.status.in_(ACTIVE_AWARDS))
    return Need.id.not_in(active) & Need.id.not_in(select(Engagement.need_id))


def _to_compare(session: Session, org: int) -> list[Item]:
    bids = func.count(Bid.id)
    query = (
        select(Need, bids)
        .join(Bid, (Bid.need_id == Need.id) & (Bid.status == BidStatus.submitted))
        .where(Need.organization_id == org, phase_is("awaiting_selection"), _undecided())
        .group_by(Need.id)
        .order_by(Need.deadline_at, Need.id)
    )
    note = Msgid("%(n)s bids; bidding closed")
    return [
        Item(need.title, f"/needs/{need.id}/bids", note, {"n": n}, need.deadline_at)
        for need, n in session.execute(query)
    ]


def _proposed(session: Session, org: int) -> list[Item]:
    query = (
        select(MatchProposal, Need)
        .join(Need, Need.id == MatchProposal.need_id)
        .where(Need.organization_id == org, MatchProposal.status == ProposalStatus.proposed)
        .options(selectinload(MatchProposal.supplier))
        .order_by(MatchProposal.created_at, MatchProposal.id)
    )
    note = Msgid("Proposed supplier: %(supplier)s")
    return [
        Item(
            need.title,
            f"/needs/{need.id}/bids#proposals",
            note,
            {"supplier": p.supplier.name},
            p.created_at,
        )
        for p, need in session.execute(query)
    ]


def _asked(session: Session, org: int) -> list[Item]:
    first = func.min(Clarification.asked_at)
    query = (
        select(Need, func.count(Clarification.id), first)
        .join(Clarification, Clarification.need_id == Need.id)
        .where(Need.organization_id == org, Need.status == NeedStatus.open)
        .where(Clarification.answer.is_(None))
        .group_by(Need.id)
        .order_by(first, Need.id)
    )
    note = Msgid("%(n)s unanswered questions")
    return [
        Item(need.title, f"/needs/{need.id}/questions", note, {"n": n}, asked)
        for need, n, asked in session.execute(query)
    ]


def _delivered(session: Session, org: int) -> list[Item]:
    query = (
        select(Milestone, Engagement.id, Need.title)
        .join(Engagement, Engagement.id == Milestone.engagement_id)
        .join(Need, Need.id == Engagement.need_id)
        .where(Engagement.manufacturer_org_id == org, Engagement.stage.in_(OPEN_STAGES))
        .where(Milestone.delivered_at.is_not(None), Milestone.accepted_at.is_(None))
        .order_by(Milestone.delivered_at, Milestone.id)
    )
    note = Msgid("Delivered for %(need)s")
    return [
        Item(m.title, f"/engagements/{e}#milestones", note, {"need": title}, m.delivered_at)
        for m, e, title in session.execute(query)
    ]


# Supplier: bid where invited, read answers, record results; see what fits best.


def supplier(session: Session, user: User, settings: Settings, cache: Cache) -> list[Section]:
    org = user.organization_id
    sections = [
        section(
            "invitations", Msgid("Invitations to bid"), "/bids/invitations", _invited(session, org)
        ),
        section(
            "questions_answered", Msgid("Questions answered"), "/bids", _answered(session, org)
        ),
        section(
            "results_to_record",
            Msgid("Results to record"),
            "/engagements",
            _to_record(session, org),
        ),
        section(
            "bids_awaiting_decision",
            Msgid("Bids awaiting a decision"),
            "/bids",
            _waiting(session, org),
            False,
        ),
    ]
    if cache is not None:
        high = _high_fit(session, cache, user)
        sections.append(
            section(
                "recommendations", Msgid("Recommended at high fit"), "/recommendations", high, False
            )
        )
    return sections


def _own_bid(org: int) -> ColumnElement[bool]:
    mine = select(Bid.need_id).where(Bid.supplier_org_id == org, Bid.status == BidStatus.submitted)
    return Need.id.in_(mine)


def _invited(session: Session, org: int) -> list[Item]:
    query = (
        select(Need)
        .join(BidInvitation, BidInvitation.need_id == Need.id)
        .where(BidInvitation.supplier_org_id == org, phase_is("open"), ~_own_bid(org))
        .order_by(Need.deadline_at.is_(None), Need.deadline_at, Need.id)
    )
    note = Msgid("Bidding closes at the deadline")
    return [
        Item(n.title, f"/needs/{n.id}/bid", note, at=n.deadline_at) for n in session.scalars(query)
    ]


def _answered(session: Session, org: int) -> list[Item]:
    query = (
        select(Clarification, Need.title)
        .join(Need, Need.id == Clarification.need_id)
        .where(Clarification.asked_by_org_id == org, Clarification.answered_at >= utcnow() - SOON)
        .where(phase_is("open"))
        .order_by(Clarification.answered_at.desc(), Clarification.id.desc())
    )
    note = Msgid("Answered: %(question)s")
    return [
        Item(
            title,
            f"/needs/{q.need_id}/questions",
            note,
            {"question": q.question[:80]},
            q.answered_at,
        )
        for q, title in session.execute(query)
    ]


def _waiting(session: Session, org: int) -> list[Item]:
    query = (
        select(Need)
        .where(
            _own_bid(org),
            phase_is("awaiting_selection"),
            Need.id.not_in(select(Engagement.need_id)),
        )
        .order_by(Need.deadline_at, Need.id)
    )
    note = Msgid("The manufacturer is choosing")
    return [
        Item(n.title, f"/needs/{n.id}/bid", note, at=n.deadline_at) for n in session.scalars(query)
    ]


def _to_record(session: Session, org: int) -> list[Item]:
    query = (
        select(Engagement)
        .where(Engagement.supplier_org_id == org, Engagement.stage.in_(OPEN_STAGES))
        .options(selectinload(Engagement.need), selectinload(Engagement.milestones))
        .options(selectinload(Engagement.kpis).selectinload(EngagementKpi.results))
        .order_by(Engagement.id)
    )
    note = Msgid("Record the measured results of %(stage)s")
    return [
        Item(e.need.title, f"/engagements/{e.id}#kpis", note, {"stage": STAGE_NAMES[e.stage]})
        for e in session.scalars(query)
        if RECORD in waiting_for(e)
    ]


def _high_fit(session: Session, cache: IndexCache, user: User) -> list[Item]:
    """Open needs at high fit the supplier has not bid on (admitted suppliers only)."""
    profile = session.scalar(
        select(SupplierProfile).where(SupplierProfile.organization_id == user.organization_id)
    )
    if profile is None or profile.membership is not Membership.admitted:
        return []
    found = matches.recommend_needs(session, cache, user, limit=20)
    bid_on = set(session.scalars(select(Need.id).where(_own_bid(user.organization_id))))
    note = Msgid("High fit")
    return [
        Item(s.name, f"/needs/{s.id}", note)
        for s in found
        if s.level == "high" and s.id not in bid_on
    ]
