"""The index-in-step rule, in one place: what a change touches, and keeping it in step.

Any flush that touches something matching reads marks its owner; just before the
transaction commits, the owners' changed texts are re-embedded and every marked owner is
logged in `index_changes` (which the workers' index caches follow), in the same transaction
as the change itself. What counts, and whose it is:

- a supplier profile or a case study: that supplier (texts, membership, capacity...);
- a need, a manufacturer profile: that need, that manufacturer;
- an engagement (started, moved, closed, cancelled: open engagements use up capacity), an
  engagement KPI or a KPI result (verified results are the track record), a review (public
  reviews are too): the engagement's supplier.

Features never log index changes themselves. Registered by `app.hooks.install`.
"""

from itertools import chain

from sqlalchemy import event, select
from sqlalchemy.orm import Session, UOWTransaction

from app.matches import engine
from app.matches.cache import KINDS
from app.matches.store import MANUFACTURER, NEED, SUPPLIER, sync
from app.models import (
    CaseStudy,
    Engagement,
    EngagementKpi,
    KpiResult,
    ManufacturerProfile,
    Need,
    Review,
    SupplierProfile,
)

PENDING = "axmatch_matching_pending"
ENGAGEMENT, KPI, SUPPLIER_ORG = "engagement", "kpi", "supplier_org"  # resolved before commit


def owner_of(obj: object) -> tuple[str, int] | None:
    """The owner a changed object marks (some are resolved to their supplier later)."""
    if isinstance(obj, SupplierProfile):
        return SUPPLIER, obj.id
    if isinstance(obj, CaseStudy):
        return SUPPLIER, obj.supplier_id
    if isinstance(obj, Need):
        return NEED, obj.id
    if isinstance(obj, ManufacturerProfile):
        return MANUFACTURER, obj.id
    if isinstance(obj, Engagement):
        return SUPPLIER_ORG, obj.supplier_org_id
    if isinstance(obj, (EngagementKpi, Review)):
        return ENGAGEMENT, obj.engagement_id
    if isinstance(obj, KpiResult):
        return KPI, obj.kpi_id
    return None


def _collect(session: Session, _flush: UOWTransaction) -> None:
    pending: set[tuple[str, int]] = session.info.setdefault(PENDING, set())
    for obj in chain(session.new, session.dirty, session.deleted):
        owner = owner_of(obj)
        if owner is not None and owner[1] is not None:
            pending.add(owner)


def _suppliers(session: Session, pending: set[tuple[str, int]]) -> set[int]:
    """Supplier profile ids of the engagements, KPIs and organisations marked."""
    ids = {kind: {i for k, i in pending if k == kind} for kind in (ENGAGEMENT, KPI, SUPPLIER_ORG)}
    orgs = set(ids[SUPPLIER_ORG])
    if ids[KPI]:
        query = select(EngagementKpi.engagement_id).where(EngagementKpi.id.in_(ids[KPI]))
        ids[ENGAGEMENT] |= set(session.scalars(query))
    if ids[ENGAGEMENT]:
        query = select(Engagement.supplier_org_id).where(Engagement.id.in_(ids[ENGAGEMENT]))
        orgs |= set(session.scalars(query))
    if not orgs:
        return set()
    query = select(SupplierProfile.id).where(SupplierProfile.organization_id.in_(orgs))
    return set(session.scalars(query))


def _sync_pending(session: Session) -> None:
    session.flush()  # before_commit runs before the final flush; collect its changes too
    pending: set[tuple[str, int]] = session.info.pop(PENDING, set())
    if not pending:
        return
    pending |= {(SUPPLIER, i) for i in _suppliers(session, pending)}
    embedder = engine.embedder()
    for kind in KINDS:
        ids = sorted(owner for k, owner in pending if k == kind)
        if ids:
            sync(session, embedder, kind, ids)
    session.info.pop(PENDING, None)  # the sync's own flush marks nothing worth another pass


def _forget(session: Session, *_args: object) -> None:
    session.info.pop(PENDING, None)


def install() -> None:
    if not event.contains(Session, "after_flush", _collect):
        event.listen(Session, "after_flush", _collect)
        event.listen(Session, "before_commit", _sync_pending)
        event.listen(Session, "after_rollback", _forget)
