"""Planning and collaboration: planned dates per stage, milestones, notes."""

from datetime import date

from sqlalchemy.orm import Session

from app.audit import record
from app.engagements.service import OPEN_STAGES, get_engagement, is_staff, party_of
from app.errors import Conflict, Forbidden, NotFound
from app.i18n import Msgid
from app.matches.eligibility import require_admitted
from app.models import Engagement, EngagementNote, Milestone, Stage, User, utcnow


def open_engagement(session: Session, user: User, engagement_id: int) -> Engagement:
    engagement = get_engagement(session, user, engagement_id)
    if engagement.stage not in OPEN_STAGES:
        raise Conflict("A closed or cancelled engagement is read-only.")
    return engagement


def _touch(engagement: Engagement) -> None:
    engagement.updated_at = utcnow()


def set_plan(
    session: Session,
    user: User,
    engagement_id: int,
    stage: Stage,
    start: date | None,
    end: date | None,
) -> Engagement:
    engagement = open_engagement(session, user, engagement_id)
    row = next(s for s in engagement.stages if s.stage == stage)
    before = {"planned_start": row.planned_start, "planned_end": row.planned_end}
    row.planned_start, row.planned_end = start, end
    _touch(engagement)
    after = {"stage": stage.value, "planned_start": start, "planned_end": end}
    record(session, user, "engagement.planned", engagement, before=before, after=after)
    return engagement


def add_milestone(
    session: Session,
    user: User,
    engagement_id: int,
    stage: Stage,
    title: str,
    deliverable: str,
    due_date: date | None,
) -> Milestone:
    engagement = open_engagement(session, user, engagement_id)
    if party_of(user, engagement) != "supplier":
        raise Forbidden("Only the supplier adds milestones.")
    require_admitted(session, engagement.supplier_org_id, SUPPLIER_PAUSED)
    milestone = Milestone(
        stage=stage,
        position=len(engagement.milestones) + 1,
        title=title,
        deliverable=deliverable,
        due_date=due_date,
    )
    engagement.milestones.append(milestone)
    _touch(engagement)
    session.flush()
    after = {"milestone_id": milestone.id, "title": title, "stage": stage.value}
    record(session, user, "engagement.milestone_added", engagement, after=after)
    return milestone


def _milestone(engagement: Engagement, milestone_id: int) -> Milestone:
    found = next((m for m in engagement.milestones if m.id == milestone_id), None)
    if found is None:
        raise NotFound("Milestone not found.")
    return found


SUPPLIER_PAUSED = Msgid(
    "Your organisation is %(state)s: it cannot add or deliver work on this engagement until "
    "the support group readmits it. You can still read the engagement and write notes."
)

# Who marks a milestone how: the supplier delivers, then the manufacturer accepts.
MARKS = {
    "delivered": ("supplier", Msgid("Only the supplier marks a milestone delivered.")),
    "accepted": ("manufacturer", Msgid("Only the manufacturer accepts a milestone.")),
}


def deliver_milestone(
    session: Session, user: User, engagement_id: int, milestone_id: int
) -> Milestone:
    return _mark(session, user, (engagement_id, milestone_id), "delivered")


def accept_milestone(
    session: Session, user: User, engagement_id: int, milestone_id: int
) -> Milestone:
    return _mark(session, user, (engagement_id, milestone_id), "accepted")


def _mark(session: Session, user: User, ids: tuple[int, int], mark: str) -> Milestone:
    side, refusal = MARKS[mark]
    engagement = open_engagement(session, user, ids[0])
    milestone = _milestone(engagement, ids[1])
    if party_of(user, engagement) != side:
        raise Forbidden(refusal)
    if milestone.accepted_at is not None:
        raise Conflict("This milestone is already accepted.")
    if mark == "delivered":
        require_admitted(session, engagement.supplier_org_id, SUPPLIER_PAUSED)
        milestone.delivered_at = utcnow()
    elif milestone.delivered_at is None:
        raise Conflict("A milestone can be accepted only after it is delivered.")
    else:
        milestone.accepted_at, milestone.accepted_by_id = utcnow(), user.id
    _touch(engagement)
    after = {"milestone_id": milestone.id, "title": milestone.title}
    record(session, user, f"engagement.milestone_{mark}", engagement, after=after)
    return milestone


def add_note(session: Session, user: User, engagement_id: int, text: str) -> EngagementNote:
    """Notes from all three parties: the supplier, the manufacturer and the coordinators."""
    engagement = get_engagement(session, user, engagement_id)
    note = EngagementNote(
        engagement_id=engagement.id,
        author_id=user.id,
        organization_id=user.organization_id,
        text=text,
    )
    session.add(note)
    _touch(engagement)
    session.flush()
    after = {"note_id": note.id, "staff": is_staff(user)}
    record(session, user, "engagement.note_added", engagement, after=after)
    return note
