"""The support group checks a new organisation's first need (AXMATCH_FIRST_NEED_CHECK).

A manufacturer that no coordinator has checked yet publishes into "awaiting_check": suppliers
do not see it, no alert or invitation goes out. A coordinator approves it (it then publishes
through the normal path: readiness routing, alerts, and the organisation counts as checked,
so its later needs publish directly) or returns it to draft with a reason. Both decisions
are audited; `app.notifications.decisions` tells the manufacturer.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app import audit
from app.db import expect_version
from app.errors import Conflict, NotFound
from app.models import Need, NeedStatus, User, utcnow
from app.needs import service


def pending(session: Session) -> list[Need]:
    """The queue, oldest first."""
    query = select(Need).where(Need.status == NeedStatus.awaiting_check)
    query = query.options(selectinload(Need.organization), selectinload(Need.kpis))
    return list(session.scalars(query.order_by(Need.updated_at, Need.id)))


def waiting(session: Session, need_id: int) -> Need:
    need = session.get(Need, need_id)
    if need is None:
        raise NotFound("Need not found.")
    if need.status is not NeedStatus.awaiting_check:
        raise Conflict("This need is not waiting for a check.")
    return need


def approve(
    session: Session, actor: User, need_id: int, version: int | None, reason: str | None
) -> Need:
    need = waiting(session, need_id)
    expect_version(need, version)
    need.organization.checked_at = utcnow()
    audit.record(session, actor, "need.check_approved", need, reason=reason)
    return service.move(session, need, NeedStatus.open, actor)


def send_back(
    session: Session, actor: User, need_id: int, version: int | None, reason: str
) -> Need:
    """Back to draft with the reason the manufacturer is told; it may publish again."""
    need = waiting(session, need_id)
    expect_version(need, version)
    return service.move(session, need, NeedStatus.draft, actor, reason)
