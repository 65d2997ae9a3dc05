"""Keeps vectors in step with every write path (pages, API, seed, import).

Any flush that touches a supplier profile, a case study or a need marks its owner; just
before the transaction commits, the owners' changed texts are re-embedded and logged in
`index_changes`, in the same transaction as the change itself.
"""

from itertools import chain

from sqlalchemy import event
from sqlalchemy.orm import Session, UOWTransaction

from app.matches import engine
from app.matches.cache import KINDS
from app.matches.store import MANUFACTURER, NEED, SUPPLIER, sync
from app.models import CaseStudy, ManufacturerProfile, Need, SupplierProfile

PENDING = "axmatch_matching_pending"


def owner_of(obj: object) -> tuple[str, int] | None:
    if isinstance(obj, SupplierProfile):
        return SUPPLIER, obj.id
    if isinstance(obj, CaseStudy):
        return SUPPLIER, obj.supplier_id
    if isinstance(obj, Need):
        return NEED, obj.id
    if isinstance(obj, ManufacturerProfile):
        return MANUFACTURER, obj.id
    return None


def _collect(session: Session, _flush: UOWTransaction) -> None:
    pending: set[tuple[str, int]] = session.info.setdefault(PENDING, set())
    for obj in chain(session.new, session.dirty, session.deleted):
        owner = owner_of(obj)
        if owner is not None and owner[1] is not None:
            pending.add(owner)


def _sync_pending(session: Session) -> None:
    session.flush()  # before_commit runs before the final flush; collect its changes too
    pending: set[tuple[str, int]] = session.info.pop(PENDING, set())
    if not pending:
        return
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
