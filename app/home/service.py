"""The landing page's public programme figures (no private data), and each role's home:
what needs the signed-in user's action now, most urgent first (the page, GET /api/home and
the nav's counts all read `load_home`)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from app.admin.service import pending_invitations
from app.bids.selection import ACTIVE as ACTIVE_AWARDS
from app.bids.selection import pending_awards
from app.cohorts.service import list_cohorts
from app.config import Settings
from app.coordinator import membership
from app.coordinator.service import OrgRow, applications
from app.engagements.board import RECORD, SIGN_OFF, Card, load_board, waiting_for
from app.engagements.gates import NEXT
from app.engagements.service import OPEN_STAGES
from app.i18n import Msgid, gettext
from app.matches import service as matches
from app.matches.cache import IndexCache
from app.models import (
    Award,
    Bid,
    BidInvitation,
    BidStatus,
    Clarification,
    CohortMember,
    Engagement,
    EngagementKpi,
    KpiResult,
    ManufacturerProfile,
    MatchProposal,
    Membership,
    Milestone,
    Need,
    NeedStatus,
    ProposalStatus,
    ResultPhase,
    Role,
    Stage,
    SupplierProfile,
    User,
    utcnow,
)
from app.needs.service import phase_is
from app.vocab import KPI_METRICS

Cache = IndexCache | None
STAGE_NAMES = {
    Stage.consulting: Msgid("Consulting"),
    Stage.design: Msgid("On-site design"),
    Stage.demonstration: Msgid("Demonstration"),
    Stage.deployment: Msgid("Deployment"),
    Stage.closed: Msgid("Completed"),
    Stage.cancelled: Msgid("Cancelled"),
}
PHASE_NAMES = {
    ResultPhase.demonstration: Msgid("After demonstration"),
    ResultPhase.deployment: Msgid("After deployment"),
    ResultPhase.follow_up: Msgid("Follow-up"),
}


@dataclass(frozen=True)
class Summary:
    suppliers: int
    supplier_goal: int
    manufacturers: int
    open_needs: int
    needs: int


def programme_summary(session: Session, supplier_goal: int) -> Summary:
    admitted = select(func.count(SupplierProfile.id)).where(
        SupplierProfile.membership == Membership.admitted
    )
    open_needs = select(func.count(Need.id)).where(phase_is("open"))
    published = select(func.count(Need.id)).where(Need.status != NeedStatus.draft)
    return Summary(
        suppliers=session.scalar(admitted) or 0,
        supplier_goal=supplier_goal,
        manufacturers=session.scalar(select(func.count(ManufacturerProfile.id))) or 0,
        open_needs=session.scalar(open_needs) or 0,
        needs=session.scalar(published) or 0,
    )


# --- Each role's home: what needs the user's action now, most urgent first ---

SOON = timedelta(days=14)  # answers a supplier got, accounts an admin may look at: this recent
NEW_ACCOUNT = timedelta(days=7)  # an admin's list of accounts to look over
NAV_LIMIT = 50  # items listed per section (the count is of every one)


@dataclass(frozen=True)
class Item:
    """One thing to act on: what it is, where to act, and why it is listed."""

    title: str
    href: str
    note: Msgid | None = None
    params: dict[str, Any] = field(default_factory=dict)
    at: datetime | None = None  # when it began waiting, or its deadline
    flags: tuple[str, ...] = ()

    def text(self, locale: str) -> str:
        return gettext(locale, self.note, **self.params) if self.note else ""


@dataclass(frozen=True)
class Section:
    kind: str
    title: Msgid
    href: str  # the page listing every item of the kind
    items: list[Item]
    action: bool = True  # False: status to read, not a task (left out of the nav's count)
    total: int | None = None  # when more wait than are listed

    @property
    def count(self) -> int:
        return len(self.items) if self.total is None else self.total


@dataclass(frozen=True)
class Home:
    role: str
    sections: list[Section]

    @property
    def total(self) -> int:
        return sum(s.count for s in self.sections if s.action)

    def counts(self) -> dict[str, int]:
        return {s.kind: s.count for s in self.sections}


def load_home(
    session: Session, user: User, settings: Settings, cache: IndexCache | None = None
) -> Home:
    """The viewer's lists, in the order to work through them; `cache` (the index) adds a
    supplier's recommendations at high fit, which the nav's count leaves out."""
    build = BUILDERS[user.role]
    sections = build(session, user, settings, cache)
    return Home(user.role.value, sections)


def nav_counts(session: Session, user: User, settings: Settings) -> Home:
    return load_home(session, user, settings, None)


def _section(
    kind: str,
    title: Msgid,
    href: str,
    items: list[Item],
    action: bool = True,
    total: int | None = None,
) -> Section:
    count = len(items) if total is None else total
    return Section(kind, title, href, items[:NAV_LIMIT], action, count)


# Manufacturer: decide on bids and proposals, answer bidders, accept delivered work.


def _manufacturer(session: Session, user: User, settings: Settings, cache: Cache) -> list[Section]:
    org = user.organization_id
    return [
        _section(
            "bids_to_compare", Msgid("Bids to compare"), "/needs/mine", _to_compare(session, org)
        ),
        _section(
            "proposals_to_answer",
            Msgid("Proposals to answer"),
            "/needs/mine",
            _proposed(session, org),
        ),
        _section(
            "questions_to_answer", Msgid("Questions to answer"), "/needs/mine", _asked(session, org)
        ),
        _section(
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


def _supplier(session: Session, user: User, settings: Settings, cache: Cache) -> list[Section]:
    org = user.organization_id
    sections = [
        _section(
            "invitations", Msgid("Invitations to bid"), "/bids/invitations", _invited(session, org)
        ),
        _section(
            "questions_answered", Msgid("Questions answered"), "/bids", _answered(session, org)
        ),
        _section(
            "results_to_record",
            Msgid("Results to record"),
            "/engagements",
            _to_record(session, org),
        ),
        _section(
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
            _section(
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


# Coordinator: admit, approve, verify, sign off; chase what is late or quiet.


def _coordinator(session: Session, user: User, settings: Settings, cache: Cache) -> list[Section]:
    board = load_board(session, settings.stalled_days)
    open_cards = [c for stage in OPEN_STAGES for c in board.columns[stage]]
    due = membership.reviews_due(session, settings, utcnow())
    pending = applications(session)
    return [
        _section(
            "selections_to_approve", Msgid("Selections to approve"), "/awards", _selections(session)
        ),
        _section(
            "applications",
            Msgid("Applications"),
            "/coordinator/applications",
            _orgs(applications(session).items),
            total=pending.total,
        ),
        _section(
            "results_to_verify",
            Msgid("Results to verify"),
            "/engagements/board",
            _unverified(session),
        ),
        _section(
            "stages_to_sign_off",
            Msgid("Stages to sign off"),
            "/engagements/board",
            _ready(open_cards),
        ),
        _section(
            "overdue",
            Msgid("Overdue engagements"),
            "/engagements/board?flag=overdue",
            _flagged(open_cards, "overdue"),
        ),
        _section(
            "stalled",
            Msgid("Stalled engagements"),
            "/engagements/board?flag=stalled",
            _flagged(open_cards, "stalled"),
        ),
        _section(
            "rechecks_due",
            Msgid("Membership re-checks due"),
            "/coordinator/reviews",
            _orgs(due.items),
            total=due.total,
        ),
    ]


def _selections(session: Session) -> list[Item]:
    note = Msgid("Selected: %(supplier)s")
    return [
        Item(
            a.need.title,
            f"/awards#award-{a.id}",
            note,
            {"supplier": a.bid.supplier.name},
            a.selected_at,
        )
        for a in pending_awards(session)
    ]


def _orgs(rows: Sequence[OrgRow]) -> list[Item]:
    return [
        Item(r.org.name, f"/coordinator/suppliers/{r.org.id}/membership", at=r.org.created_at)
        for r in rows
    ]


def _unverified(session: Session) -> list[Item]:
    query = (
        select(KpiResult, EngagementKpi.metric, Engagement.id, Need.title)
        .join(EngagementKpi, EngagementKpi.id == KpiResult.kpi_id)
        .join(Engagement, Engagement.id == EngagementKpi.engagement_id)
        .join(Need, Need.id == Engagement.need_id)
        .where(KpiResult.verified_at.is_(None), KpiResult.rejected_reason.is_(None))
        .where(Engagement.stage != Stage.cancelled)
        .order_by(KpiResult.recorded_at, KpiResult.id)
    )
    note = Msgid("%(metric)s (%(phase)s)")
    return [
        Item(
            title,
            f"/engagements/{e}#kpis",
            note,
            {"metric": KPI_METRICS[metric], "phase": PHASE_NAMES[r.phase]},
            r.recorded_at,
        )
        for r, metric, e, title in session.execute(query)
    ]


def _ready(cards: list[Card]) -> list[Item]:
    note = Msgid("Ready for %(stage)s")
    return [
        Item(
            c.engagement.need.title,
            f"/engagements/{c.engagement.id}#gate",
            note,
            {"stage": STAGE_NAMES[NEXT[c.engagement.stage]]},
        )
        for c in cards
        if SIGN_OFF in c.waiting
    ]


def _flagged(cards: list[Card], flag: str) -> list[Item]:
    note = Msgid("%(stage)s, %(n)s days in stage")
    found = [c for c in cards if getattr(c, flag)]
    found.sort(key=lambda c: c.last_activity_at)
    return [
        Item(
            c.engagement.need.title,
            f"/engagements/{c.engagement.id}",
            note,
            {"stage": STAGE_NAMES[c.engagement.stage], "n": c.days_in_stage},
            c.last_activity_at,
            tuple(f for f in ("overdue", "stalled") if getattr(c, f)),
        )
        for c in found
    ]


# Admin: the accounts. Sponsor: its partners' progress, in aggregate only.


def _admin(session: Session, user: User, settings: Settings, cache: Cache) -> list[Section]:
    recent = select(User).where(User.created_at >= utcnow() - NEW_ACCOUNT)
    total = session.scalar(select(func.count()).select_from(recent.subquery())) or 0
    recent = recent.order_by(User.created_at.desc(), User.id.desc())
    note = Msgid("New account: %(email)s")
    users = [
        Item(u.name, f"/admin/users?q={quote(u.email)}", note, {"email": u.email}, u.created_at)
        for u in session.scalars(recent.limit(NAV_LIMIT))
    ]
    now = utcnow()
    invited = [
        Item(
            i.email,
            "/admin/invitations",
            Msgid("Invited to %(org)s"),
            {"org": i.organization.name},
            i.created_at,
        )
        for i in pending_invitations(session)
        if i.expires_at > now
    ]
    return [
        _section("new_accounts", Msgid("New accounts"), "/admin/users", users, total=total),
        _section(
            "invitations_pending",
            Msgid("Invitations not yet accepted"),
            "/admin/invitations",
            invited,
            False,
        ),
    ]


def _sponsor(session: Session, user: User, settings: Settings, cache: Cache) -> list[Section]:
    note = Msgid(
        "%(members)s partners: %(posted)s posted a need, %(engaged)s in an engagement, "
        "%(done)s completed"
    )
    items = [
        Item(cohort.name, f"/sponsor?cohort={cohort.id}", note, _progress(session, cohort.id))
        for cohort, _ in list_cohorts(session, user)
    ]
    return [_section("partners", Msgid("Partners' progress"), "/sponsor", items, False)]


def _progress(session: Session, cohort_id: int) -> dict[str, int]:
    """How many partner firms reached each step: counts only, no firm is named."""
    members = select(CohortMember.manufacturer_org_id).where(CohortMember.cohort_id == cohort_id)

    def firms_with(column: Any, *where: Any) -> int:
        return (
            session.scalar(
                select(func.count(func.distinct(column))).where(column.in_(members), *where)
            )
            or 0
        )

    return {
        "members": session.scalar(select(func.count()).select_from(members.subquery())) or 0,
        "posted": firms_with(Need.organization_id, Need.status != NeedStatus.draft),
        "engaged": firms_with(Engagement.manufacturer_org_id, Engagement.stage.in_(OPEN_STAGES)),
        "done": firms_with(Engagement.manufacturer_org_id, Engagement.stage == Stage.closed),
    }


BUILDERS: dict[Role, Callable[[Session, User, Settings, Cache], list[Section]]] = {
    Role.manufacturer: _manufacturer,
    Role.supplier: _supplier,
    Role.coordinator: _coordinator,
    Role.admin: _admin,
    Role.sponsor: _sponsor,
}
