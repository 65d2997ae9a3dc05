"""The audit log: every state change, written in the same transaction as the change."""

from typing import Any

from sqlalchemy.orm import Session

from app.models import AuditEntry, Base, Organization, User


def record(
    session: Session,
    actor: User | None,
    action: str,
    entity: Base,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEntry:
    session.flush()
    org_id = (
        entity.id if isinstance(entity, Organization) else getattr(entity, "organization_id", None)
    )
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        action=action,
        entity_type=entity.__tablename__,
        entity_id=entity.id,
        organization_id=org_id,
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason,
    )
    session.add(entry)
    _notify(session, entry, entity)
    return entry


def _notify(session: Session, entry: AuditEntry, entity: Base) -> None:
    """Decisions that ask someone to act notify them, in this same transaction."""
    from app.notifications.events import on_audit  # late: it reads the features that audit

    on_audit(session, entry, entity)


def _jsonable(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if data is None:
        return None
    return {
        k: v if isinstance(v, (int, float, bool, list, type(None))) else str(v)
        for k, v in data.items()
    }
