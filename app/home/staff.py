"""The staff and sponsor homes: a coordinator's queues and the engagements to chase, an
admin's accounts, a sponsor's partners in aggregate."""

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.admin.service import pending_invitations
from app.bids.selection import pending_awards
from app.cohorts.service import list_cohorts
from app.config import Settings
from app.coordinator import membership
from app.coordinator.service import OrgRow, applications
from app.engagements.board import SIGN_OFF, Card, load_board
from app.engagements.gates import NEXT
from app.engagements.service import OPEN_STAGES
from app.engagements.stages import STAGE_NAMES
from app.home.items import (
    NAV_LIMIT,
    NEW_ACCOUNT,
    PHASE_NAMES,
    Cache,
    Item,
    Section,
    section,
)
from app.i18n import Msgid
from app.models import (
    PUBLISHED_NEEDS,
    CohortMember,
    Engagement,
    EngagementKpi,
    KpiResult,
    Need,
    Stage,
    User,
    utcnow,
)
from app.needs import checks as need_checks
from app.vocab import KPI_METRICS

# Coordinator: admit, approve, verify, sign off; chase what is late or quiet.


def coordinator(session: Session, user: User, settings: Settings, cache: Cache) -> list[Section]:
    board = load_board(session, settings.stalled_days)
    open_cards = [c for stage in OPEN_STAGES for c in board.columns[stage]]
    due = membership.reviews_due(session, settings, utcnow())
    pending = applications(session)
    return [
        section(
            "selections_to_approve", Msgid("Selections to approve"), "/awards", _selections(session)
        ),
        section(
            "needs_to_check",
            Msgid("First needs to check"),
            "/coordinator/checks",
            _to_check(session),
        ),
        section(
            "applications",
            Msgid("Applications"),
            "/coordinator/applications",
            _orgs(applications(session).items),
            total=pending.total,
        ),
        section(
            "results_to_verify",
            Msgid("Results to verify"),
            "/engagements/board",
            _unverified(session),
        ),
        section(
            "stages_to_sign_off",
            Msgid("Stages to sign off"),
            "/engagements/board",
            _ready(open_cards),
        ),
        section(
            "overdue",
            Msgid("Overdue engagements"),
            "/engagements/board?flag=overdue",
            _flagged(open_cards, "overdue"),
        ),
        section(
            "stalled",
            Msgid("Stalled engagements"),
            "/engagements/board?flag=stalled",
            _flagged(open_cards, "stalled"),
        ),
        section(
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


def _to_check(session: Session) -> list[Item]:
    note = Msgid("From %(manufacturer)s")
    return [
        Item(
            n.title,
            f"/coordinator/checks#need-{n.id}",
            note,
            {"manufacturer": n.organization.name},
            n.updated_at,
        )
        for n in need_checks.pending(session)
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


def admin(session: Session, user: User, settings: Settings, cache: Cache) -> list[Section]:
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
        section("new_accounts", Msgid("New accounts"), "/admin/users", users, total=total),
        section(
            "invitations_pending",
            Msgid("Invitations not yet accepted"),
            "/admin/invitations",
            invited,
            False,
        ),
    ]


def sponsor(session: Session, user: User, settings: Settings, cache: Cache) -> list[Section]:
    note = Msgid(
        "%(members)s partners: %(posted)s posted a need, %(engaged)s in an engagement, "
        "%(done)s completed"
    )
    items = [
        Item(cohort.name, f"/sponsor?cohort={cohort.id}", note, _progress(session, cohort.id))
        for cohort, _ in list_cohorts(session, user)
    ]
    return [section("partners", Msgid("Partners' progress"), "/sponsor", items, False)]


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
        "posted": firms_with(Need.organization_id, Need.status.in_(PUBLISHED_NEEDS)),
        "engaged": firms_with(Engagement.manufacturer_org_id, Engagement.stage.in_(OPEN_STAGES)),
        "done": firms_with(Engagement.manufacturer_org_id, Engagement.stage == Stage.closed),
    }
