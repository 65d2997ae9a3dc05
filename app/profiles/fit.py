"""The directory's sort by fit: a manufacturer sees the suppliers that fit one of its open
needs best first, scored by the matching code (`app.matches.service.supplier_fits`)."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.matches.cache import IndexCache
from app.matches.service import supplier_fits
from app.models import Need, NeedStatus, Role, User
from app.profiles.schemas import SupplierQuery


@dataclass
class FitOrder:
    needs: list[Need]  # the viewer's open needs: what it may sort by
    need: Need | None  # the one sorted by, None when sorted by name
    scores: dict[int, float] | None  # fit by organisation id, None when sorted by name


def open_needs(session: Session, viewer: User) -> list[Need]:
    if viewer.role is not Role.manufacturer:
        return []
    query = select(Need).where(
        Need.organization_id == viewer.organization_id, Need.status == NeedStatus.open
    )
    return list(session.scalars(query.order_by(Need.id.desc())))


def fit_order(
    session: Session, cache: IndexCache, viewer: User, filters: SupplierQuery
) -> FitOrder:
    needs = open_needs(session, viewer)
    if filters.sort != "fit" or not needs:
        return FitOrder(needs, None, None)
    need = next((n for n in needs if n.id == filters.need), needs[0])
    return FitOrder(needs, need, supplier_fits(session, cache, viewer, need.id))
