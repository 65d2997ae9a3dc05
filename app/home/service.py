"""The landing page's public programme figures (no private data), and each role's home:
what needs the signed-in user's action now, most urgent first (the page, GET /api/home and
the nav's counts all read `load_home`)."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.home.items import Cache, Home, Item, Section  # noqa: F401  (the home's types)
from app.home.market import manufacturer, supplier
from app.home.staff import admin, coordinator, sponsor
from app.matches.cache import IndexCache
from app.models import (
    PUBLISHED_NEEDS,
    ManufacturerProfile,
    Membership,
    Need,
    Role,
    SupplierProfile,
    User,
)
from app.needs.service import phase_is


@dataclass(frozen=True)
class Summary:
    suppliers: int
    supplier_goal: int
    manufacturers: int
    open_needs: int
    needs: int


def programme_summary(session: Session, supplier_goal: int) -> Summary:
    admitted = select(func.count(SupplierProfile.id)).where(
        SupplierProfile.membership == Membership.admitted
    )
    open_needs = select(func.count(Need.id)).where(phase_is("open"))
    published = select(func.count(Need.id)).where(Need.status.in_(PUBLISHED_NEEDS))
    return Summary(
        suppliers=session.scalar(admitted) or 0,
        supplier_goal=supplier_goal,
        manufacturers=session.scalar(select(func.count(ManufacturerProfile.id))) or 0,
        open_needs=session.scalar(open_needs) or 0,
        needs=session.scalar(published) or 0,
    )


def load_home(
    session: Session, user: User, settings: Settings, cache: IndexCache | None = None
) -> Home:
    """The viewer's lists, in the order to work through them; `cache` (the index) adds a
    supplier's recommendations at high fit, which the nav's count leaves out."""
    build = BUILDERS[user.role]
    sections = build(session, user, settings, cache)
    return Home(user.role.value, sections)


BUILDERS: dict[Role, Callable[[Session, User, Settings, Cache], list[Section]]] = {
    Role.manufacturer: manufacturer,
    Role.supplier: supplier,
    Role.coordinator: coordinator,
    Role.admin: admin,
    Role.sponsor: sponsor,
}
