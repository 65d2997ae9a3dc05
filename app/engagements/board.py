"""The pipeline board: each engagement as a card in its stage's column, with the days it has
spent there, who must act next ("waiting for") and the overdue and stalled flags. The page,
GET /api/engagements/board and the coordinators' home read it from here."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.engagements import gates
from app.engagements.service import (
    OPEN_STAGES,
    SEOUL,
    current_stage_row,
    engaged_suppliers,
    is_overdue,
    today,
)
from app.engagements.service import board as by_stage
from app.i18n import Msgid
from app.models import AuditEntry, Engagement, ResultPhase, Stage, utcnow

PHASE_OF = {
    Stage.demonstration: ResultPhase.demonstration,
    Stage.deployment: ResultPhase.deployment,
}


@dataclass(frozen=True)
class Waiting:
    """Who must act next on an engagement (supplier, manufacturer or coordinator), and how."""

    who: str
    what: Msgid


ACCEPT = Waiting("manufacturer", Msgid("Accept a delivered milestone"))
DELIVER = Waiting("supplier", Msgid("Deliver a milestone"))
RECORD = Waiting("supplier", Msgid("Record results"))
VERIFY = Waiting("coordinator", Msgid("Verify a result"))
SIGN_OFF = Waiting("coordinator", Msgid("Sign off the stage"))
DECIDE = Waiting("coordinator", Msgid("Decide on a missed target"))
PLAN = Waiting("supplier", Msgid("Plan the work of the stage"))


@dataclass(frozen=True)
class Card:
    engagement: Engagement
    days_in_stage: int
    waiting: list[Waiting]
    overdue: bool
    stalled: bool
    last_activity_at: datetime


@dataclass(frozen=True)
class Board:
    columns: dict[Stage, list[Card]]
    suppliers: list[tuple[int, str]]  # the supplier filter's choices
    stalled_days: int


def waiting_for(engagement: Engagement) -> list[Waiting]:
    """Every party an open engagement waits for, the one who can unblock it first."""
    if engagement.stage not in OPEN_STAGES:
        return []
    found = []
    stage_items = [m for m in engagement.milestones if m.stage is engagement.stage]
    if any(m.delivered_at and not m.accepted_at for m in engagement.milestones):
        found.append(ACCEPT)
    if any(not m.delivered_at for m in stage_items):
        found.append(DELIVER)
    if _results_missing(engagement):
        found.append(RECORD)
    if any(
        r.verified_at is None and not r.rejected_reason for k in engagement.kpis for r in k.results
    ):
        found.append(VERIFY)
    if gates.ready(engagement):
        found.append(SIGN_OFF)
    elif not found and engagement.stage is Stage.demonstration:
        found.append(DECIDE)
    elif not found:
        found.append(PLAN)
    return found


def _results_missing(engagement: Engagement) -> bool:
    phase = PHASE_OF.get(engagement.stage)
    if phase is None:
        return False
    kpis = gates.acceptance_kpis(engagement)
    return any(not any(r.phase is phase and not r.rejected_reason for r in k.results) for k in kpis)


def last_activity(session: Session, ids: list[int]) -> dict[int, datetime]:
    """The latest audited change per engagement: every write to one is audited against it."""
    if not ids:
        return {}
    query = (
        select(AuditEntry.entity_id, func.max(AuditEntry.created_at))
        .where(AuditEntry.entity_type == Engagement.__tablename__, AuditEntry.entity_id.in_(ids))
        .group_by(AuditEntry.entity_id)
    )
    return {entity: at for entity, at in session.execute(query)}


def days_in_stage(engagement: Engagement, on: date) -> int:
    row = current_stage_row(engagement)
    if row is not None and row.actual_start is not None:
        since = row.actual_start
    else:
        moment = engagement.closed_at or engagement.created_at
        since = moment.astimezone(SEOUL).date()  # days as `today()` counts them, in Seoul
    return max((on - since).days, 0)


def cards(session: Session, engagements: list[Engagement], stalled_days: int) -> list[Card]:
    activity = last_activity(session, [e.id for e in engagements])
    day, quiet_since = today(), utcnow() - timedelta(days=stalled_days)
    made = []
    for e in engagements:
        last = max(activity.get(e.id, e.created_at), e.created_at)
        is_open = e.stage in OPEN_STAGES
        made.append(
            Card(
                engagement=e,
                days_in_stage=days_in_stage(e, day),
                waiting=waiting_for(e),
                overdue=is_open and is_overdue(e, day),
                stalled=is_open and last < quiet_since,
                last_activity_at=last,
            )
        )
    return made


def load_board(
    session: Session,
    stalled_days: int,
    industry: str | None = None,
    region: str | None = None,
    supplier: int | None = None,
    flag: str | None = None,
) -> Board:
    """The columns in stage order; `flag` ("overdue" or "stalled") keeps only flagged cards."""
    columns = {}
    for stage, engagements in by_stage(session, industry, region, supplier).items():
        found = cards(session, engagements, stalled_days)
        columns[stage] = [c for c in found if flag is None or getattr(c, flag)]
    return Board(columns, engaged_suppliers(session), stalled_days)
