"""Everything the detail page and GET /api/engagements/{id} show, loaded in one place."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit_view
from app.agreements.payments import Totals, totals
from app.agreements.service import payments_of
from app.audit import Entry, readable
from app.audit_view import Line
from app.engagements import gates
from app.engagements.outcomes import target_met, visible_reviews
from app.engagements.service import (
    WORK_STAGES,
    get_engagement,
    is_overdue,
    is_staff,
    party_of,
    timeline,
)
from app.engagements.stages import next_moves
from app.files import service as files
from app.i18n import Msgid, gettext, normalize_locale
from app.matches.eligibility import standing
from app.models import (
    Attachment,
    AttachmentOwner,
    Engagement,
    EngagementNote,
    EngagementStage,
    Membership,
    Review,
    Stage,
    User,
)


@dataclass
class Step:
    """One stage of the stepper: done, current, stopped (cancelled there) or upcoming."""

    stage: Stage
    state: str
    row: EngagementStage | None  # its planned and actual dates and sign-off


def steps_of(engagement: Engagement) -> list[Step]:
    rows = {row.stage: row for row in engagement.stages}
    here, state = _position(engagement, rows)
    return [
        Step(stage, "done" if i < here else state if i == here else "upcoming", rows.get(stage))
        for i, stage in enumerate(WORK_STAGES)
    ]


def _position(engagement: Engagement, rows: dict[Stage, EngagementStage]) -> tuple[int, str]:
    """The index of the stage the engagement is in (past the end once closed) and its state."""
    if engagement.stage is Stage.cancelled:  # stopped in the last stage it had started
        started = [i for i, s in enumerate(WORK_STAGES) if s in rows and rows[s].actual_start]
        return (started[-1] if started else 0), "stopped"
    if engagement.stage in WORK_STAGES:
        return WORK_STAGES.index(engagement.stage), "current"
    return len(WORK_STAGES), "current"  # closed: every stage done


@dataclass
class Gate:
    """The gate out of the current stage: its stated condition and what is still missing."""

    to: Stage
    condition: Msgid
    missing: list[gates.Shortfall]
    overridable: bool

    def texts(self, locale: str) -> list[str]:
        return [gettext(locale, m.message, **m.params) for m in self.missing]


@dataclass
class Detail:
    engagement: Engagement
    side: str | None  # "supplier", "manufacturer" or None for staff
    staff: bool
    overdue: bool
    moves: list[Stage]
    notes: list[EngagementNote]
    reviews: list[Review]
    reviewed: bool  # the viewer's organisation has written its review
    timeline: list[Entry]  # read through audit.readable: ratings hidden until reveal
    history: list[Line]  # the timeline in words (app/audit_view.py)
    gate: Gate | None  # None once closed or cancelled
    membership: Membership | None  # the supplier's, flagged to everyone when not admitted
    locale: str  # the viewer's, for texts the API returns ready to show
    evidence: dict[int, list[Attachment]]  # files on each KPI result, by result id
    deliverables: dict[int, list[Attachment]]  # files on each milestone, by milestone id
    paid: Totals | None  # the agreement's split and what is paid of it; None: no agreement
    steps: list[Step]  # the stepper: the four work stages and where the engagement is
    met: dict[int, bool | None]  # each verified result against its target, by result id


def notes_of(session: Session, engagement: Engagement) -> list[EngagementNote]:
    query = select(EngagementNote).where(EngagementNote.engagement_id == engagement.id)
    return list(session.scalars(query.order_by(EngagementNote.id)))


def load_detail(session: Session, user: User, engagement_id: int) -> Detail:
    engagement = get_engagement(session, user, engagement_id)
    reviews = visible_reviews(session, user, engagement)
    trail = readable(session, user, timeline(session, engagement))
    return Detail(
        engagement=engagement,
        side=party_of(user, engagement),
        staff=is_staff(user),
        overdue=is_overdue(engagement),
        moves=next_moves(engagement, user),
        notes=notes_of(session, engagement),
        reviews=reviews,
        reviewed=any(r.author_org_id == user.organization_id for r in reviews),
        timeline=trail,
        history=audit_view.describe(session, user, trail),
        gate=gate_of(engagement),
        membership=standing(session, [engagement.supplier_org_id])[engagement.supplier_org_id],
        locale=normalize_locale(user.locale),
        evidence=evidence_of(session, engagement),
        deliverables=deliverables_of(session, engagement),
        paid=paid_of(session, engagement),
        steps=steps_of(engagement),
        met=verdicts(engagement),
    )


def verdicts(engagement: Engagement) -> dict[int, bool | None]:
    results = (r for k in engagement.kpis for r in k.results if r.verified_at is not None)
    return {r.id: target_met(r) for r in results}


def paid_of(session: Session, engagement: Engagement) -> Totals | None:
    agreement = engagement.agreement()
    return totals(agreement, payments_of(session, engagement)) if agreement else None


def evidence_of(session: Session, engagement: Engagement) -> dict[int, list[Attachment]]:
    ids = [r.id for k in engagement.kpis for r in k.results]
    return files.files_of(session, AttachmentOwner.kpi_result, ids)


def deliverables_of(session: Session, engagement: Engagement) -> dict[int, list[Attachment]]:
    ids = [m.id for m in engagement.milestones]
    return files.files_of(session, AttachmentOwner.milestone, ids)


def gate_of(engagement: Engagement) -> Gate | None:
    following = gates.NEXT.get(engagement.stage)
    if following is None:
        return None
    missing = gates.shortfalls(engagement, following)
    overridable = (engagement.stage, following) == gates.OVERRIDABLE and bool(missing)
    return Gate(following, gates.STATED[following], missing, overridable)
