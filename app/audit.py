"""The audit log: every state change, written in the same transaction as the change, and
read back through `readable`, which withholds what the reader may not know yet.

The ground floor: it imports no feature. Features that act on decisions (notifications)
are registered as listeners by the app factory and the CLI (`app.hooks.install`); each is
called with the new entry in the same transaction.
"""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    AuditEntry,
    Base,
    Bid,
    Engagement,
    Need,
    Organization,
    Review,
    User,
    utcnow,
)

Listener = Callable[[Session, AuditEntry, Base], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Call `listener` for every entry recorded from now on (registering twice is a no-op)."""
    if listener not in _listeners:
        _listeners.append(listener)


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
    for listener in _listeners:
        listener(session, entry, entity)
    return entry


def _jsonable(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if data is None:
        return None
    return {
        k: v if isinstance(v, (int, float, bool, list, type(None))) else str(v)
        for k, v in data.items()
    }


# --- Reading: the one path every page, API and export takes to show audit entries ---

REVIEWED = "engagement.reviewed"


@dataclass(frozen=True)
class Entry:
    """One audit entry as this viewer may see it. `sealed`: the content was withheld (a bid
    before its need's deadline, a review rating before the reviews are revealed); it is
    read-time, so the same stored entry shows in full once the rule allows."""

    id: int
    action: str
    entity_type: str
    entity_id: int
    organization_id: int | None
    actor_id: int | None
    actor: User | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    created_at: datetime
    sealed: bool = False

    @property
    def actor_name(self) -> str | None:
        return self.actor.name if self.actor else None


def readable(session: Session, viewer: User, entries: Sequence[AuditEntry]) -> list[Entry]:
    """The entries with what this viewer may not yet know taken out. Bids: until the need's
    deadline only that a bid was made and its status, and who made it only to the bidder's
    own organisation. Reviews: the rating only once reviews are public, or to its author."""
    now = utcnow()
    bids = _bids(session, {e.entity_id for e in entries if e.entity_type == "bids"}, now)
    reviews = _reviews(session, [e for e in entries if e.action == REVIEWED], now)
    shown = []
    for entry in entries:
        view = _view(entry)
        if entry.entity_type == "bids":
            view = _seal_bid(view, bids.get(entry.entity_id), viewer)
        elif entry.action == REVIEWED:
            view = _seal_review(view, reviews.get(_review_id(entry)), viewer)
        shown.append(view)
    return shown


def _view(entry: AuditEntry) -> Entry:
    return Entry(
        id=entry.id,
        action=entry.action,
        entity_type=entry.entity_type,
        entity_id=entry.entity_id,
        organization_id=entry.organization_id,
        actor_id=entry.actor_id,
        actor=entry.actor,
        before=entry.before,
        after=entry.after,
        reason=entry.reason,
        created_at=entry.created_at,
    )


@dataclass(frozen=True)
class _Disclosure:
    """Who wrote the thing (organisation) and whether everyone may now read it."""

    author_org_id: int
    public: bool


def _bids(session: Session, ids: set[int], now: datetime) -> dict[int, _Disclosure]:
    if not ids:
        return {}
    query = select(Bid.id, Bid.supplier_org_id, Need).join(Need).where(Bid.id.in_(ids))
    return {
        bid: _Disclosure(org, need.bids_unsealed(now)) for bid, org, need in session.execute(query)
    }


def _seal_bid(entry: Entry, bid: _Disclosure | None, viewer: User) -> Entry:
    """A bid that no longer exists (its need was deleted) stays sealed."""
    if bid is not None and bid.public:
        return entry
    own = bid is not None and bid.author_org_id == viewer.organization_id
    status = {k: v for k, v in (entry.after or {}).items() if k == "status"}
    return replace(
        entry,
        actor=entry.actor if own else None,
        actor_id=entry.actor_id if own else None,
        before=None,
        after=status or None,
        reason=None,
        sealed=True,
    )


def _review_id(entry: AuditEntry) -> int | None:
    value = (entry.after or {}).get("review_id")
    return value if isinstance(value, int) else None


def _reviews(session: Session, entries: list[AuditEntry], now: datetime) -> dict[int, _Disclosure]:
    engagement_ids = {e.entity_id for e in entries}
    if not engagement_ids:
        return {}
    query = select(Review, Engagement).join(Engagement).where(Engagement.id.in_(engagement_ids))
    rows = [(review, engagement) for review, engagement in session.execute(query)]
    count = Counter(engagement.id for _, engagement in rows)
    return {
        review.id: _Disclosure(
            review.author_org_id, engagement.reviews_public(count[engagement.id], now)
        )
        for review, engagement in rows
    }


def _seal_review(entry: Entry, review: _Disclosure | None, viewer: User) -> Entry:
    if review is not None and (review.public or review.author_org_id == viewer.organization_id):
        return entry
    after = {k: v for k, v in (entry.after or {}).items() if k != "rating"}
    return replace(entry, after=after, sealed=True)
