"""The stage machine: one table of allowed moves, one function that makes a move.

Parties (supplier, manufacturer) ask for a move in a note; the coordinator signs off every
gate, so only staff make moves. Closing or cancelling frees the supplier's capacity.
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.audit import record
from app.db import expect_version
from app.engagements.service import (
    OPEN_STAGES,
    STAFF_ROLES,
    get_engagement,
    today,
)
from app.errors import Conflict, Forbidden, Invalid
from app.i18n import Labels, Msgid
from app.models import Engagement, ResultPhase, Role, Stage, User, utcnow
from app.vocab import KPI_METRICS


@dataclass(frozen=True)
class Move:
    source: Stage
    target: Stage
    by: tuple[Role, ...] = STAFF_ROLES  # who may make (and so signs off) the move


STAGE_NAMES = {
    Stage.consulting: Msgid("Consulting"),
    Stage.design: Msgid("On-site design"),
    Stage.demonstration: Msgid("Demonstration"),
    Stage.deployment: Msgid("Deployment"),
    Stage.closed: Msgid("Completed"),
    Stage.cancelled: Msgid("Cancelled"),
}
FORWARD = [
    Move(Stage.consulting, Stage.design),
    Move(Stage.design, Stage.demonstration),
    Move(Stage.demonstration, Stage.deployment),  # gated: verified acceptance KPIs
    Move(Stage.deployment, Stage.closed),
]
MOVES: dict[tuple[Stage, Stage], Move] = {
    (m.source, m.target): m
    for m in FORWARD + [Move(stage, Stage.cancelled) for stage in OPEN_STAGES]
}


def next_moves(engagement: Engagement, user: User) -> list[Stage]:
    return [m.target for m in MOVES.values() if m.source == engagement.stage and user.role in m.by]


def move_stage(
    session: Session,
    actor: User,
    engagement_id: int,
    target: Stage,
    version: int | None,
    reason: str | None = None,
) -> Engagement:
    engagement = get_engagement(session, actor, engagement_id)
    expect_version(engagement, version)
    check_move(engagement, actor, target, reason)
    source = engagement.stage
    _sign_off(engagement, actor, target, reason)
    session.flush()  # the version check: a concurrent move makes this a 409
    action = "engagement.cancelled" if target is Stage.cancelled else "engagement.moved"
    before, after = {"stage": source.value}, {"stage": target.value}
    record(session, actor, action, engagement, before=before, after=after, reason=reason)
    return engagement


def check_move(engagement: Engagement, actor: User, target: Stage, reason: str | None) -> None:
    rule = MOVES.get((engagement.stage, target))
    if rule is None:
        raise Conflict(
            "An engagement in %(source)s cannot move to %(target)s.",
            source=STAGE_NAMES[engagement.stage],
            target=STAGE_NAMES[target],
        )
    if actor.role not in rule.by:
        raise Forbidden("Only a coordinator signs off stage moves.")
    if target is Stage.cancelled and not reason:
        raise Invalid("Give a reason for cancelling.")
    if rule.source is Stage.demonstration and rule.target is Stage.deployment:
        check_acceptance(engagement)


def check_acceptance(engagement: Engagement) -> None:
    """Deployment needs a verified demonstration result for every acceptance KPI."""
    missing = [
        KPI_METRICS[kpi.metric]
        for kpi in engagement.kpis
        if kpi.acceptance
        and not any(
            r.phase is ResultPhase.demonstration and r.verified_at is not None for r in kpi.results
        )
    ]
    if missing:
        raise Conflict(
            "Deployment needs a verified demonstration result for every acceptance KPI "
            "(missing: %(metrics)s).",
            metrics=Labels(tuple(missing)),
        )


def _sign_off(engagement: Engagement, actor: User, target: Stage, reason: str | None) -> None:
    day, now = today(), utcnow()
    rows = {row.stage: row for row in engagement.stages}
    current = rows.get(engagement.stage)
    if current is not None:
        current.actual_start = current.actual_start or day
        current.actual_end = day
        current.signed_off_by_id = actor.id
        current.signed_off_at = now
    following = rows.get(target)
    if following is not None and following.actual_start is None:
        following.actual_start = day
    if target not in OPEN_STAGES:
        engagement.closed_at = now
    if target is Stage.cancelled:
        engagement.cancel_reason = reason
    engagement.stage = target
    engagement.updated_at = now
