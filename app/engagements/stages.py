"""The stage machine: one table of allowed moves, one function that makes a move.

Parties (supplier, manufacturer) ask for a move in a note; the coordinator signs off every
gate, so only staff make moves. Each forward move checks its gate (`app.engagements.gates`);
the deployment gate alone may be overridden, with a written reason that is kept on the
engagement and audited. No forward move while the supplier is not admitted (suspended,
expired): cancel with a reason, or readmit it. Closing or cancelling frees the supplier's
capacity.
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.audit import record
from app.db import expect_version
from app.engagements import gates
from app.engagements.service import (
    OPEN_STAGES,
    STAFF_ROLES,
    get_engagement,
    today,
)
from app.errors import Conflict, Forbidden, Invalid
from app.i18n import Msgid
from app.matches.eligibility import require_admitted
from app.models import Engagement, Role, Stage, User, utcnow


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
    Move(Stage.demonstration, Stage.deployment),  # gated: targets met, or overridden
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
    override: bool = False,
) -> Engagement:
    engagement = get_engagement(session, actor, engagement_id)
    expect_version(engagement, version)
    missed = check_move(session, engagement, actor, target, reason, override)
    source = engagement.stage
    _sign_off(engagement, actor, target, reason)
    after: dict[str, object] = {"stage": target.value}
    if missed:
        engagement.gate_override_reason = reason
        engagement.gate_override_by_id, engagement.gate_override_at = actor.id, utcnow()
        after |= {"override": True, "shortfalls": missed}
    session.flush()  # the version check: a concurrent move makes this a 409
    action = "engagement.cancelled" if target is Stage.cancelled else "engagement.moved"
    before = {"stage": source.value}
    record(session, actor, action, engagement, before=before, after=after, reason=reason)
    return engagement


def check_move(
    session: Session,
    engagement: Engagement,
    actor: User,
    target: Stage,
    reason: str | None,
    override: bool = False,
) -> list[str]:
    """Refuse a move its gate does not allow; returns the shortfalls an override passed
    (English, for the audit entry), empty when the gate was met."""
    rule = MOVES.get((engagement.stage, target))
    if rule is None:
        raise Conflict(
            "An engagement in %(source)s cannot move to %(target)s.",
            source=STAGE_NAMES[engagement.stage],
            target=STAGE_NAMES[target],
        )
    if actor.role not in rule.by:
        raise Forbidden("Only a coordinator signs off stage moves.")
    if target is Stage.cancelled:
        if not reason:
            raise Invalid("Give a reason for cancelling.")
        return []
    require_admitted(session, engagement.supplier_org_id, SUPPLIER_NOT_ADMITTED)
    missing = gates.shortfalls(engagement, target)
    if not missing:
        return []
    if not override or (engagement.stage, target) != gates.OVERRIDABLE:
        raise Conflict(
            "The gate to %(target)s is not met. %(missing)s",
            target=STAGE_NAMES[target],
            missing=gates.Missing(tuple(missing)),
        )
    if len(reason or "") < gates.MIN_OVERRIDE_REASON:
        raise Invalid(
            "Moving on although the gate is not met needs a written reason "
            "(at least %(count)s characters).",
            count=gates.MIN_OVERRIDE_REASON,
        )
    return [item.message % {k: _english(v) for k, v in item.params.items()} for item in missing]


def _english(value: object) -> object:
    label = getattr(value, "label", None)
    return label("en") if callable(label) else value


SUPPLIER_NOT_ADMITTED = Msgid(
    "The supplier is %(state)s: its engagement cannot move on. Cancel the engagement with a "
    "reason, or readmit the supplier first."
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
