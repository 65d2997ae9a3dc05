"""Suppliers' saved searches, and the notice sent when a newly published need matches one.

Scoring lives in `app.matches.alerts` (the one place that reads vectors and ranks): a search
fires when the need's fit level reaches the search's `min_level`. Each user keeps at most
MAX_PER_USER searches, which bounds the work a publish does.
"""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import Conflict, NotFound
from app.i18n import normalize_locale
from app.matches import alerts, eligibility
from app.matches.cache import IndexCache
from app.matches.service import admitted_supplier_of
from app.models import (
    Membership,
    Need,
    Role,
    SavedSearch,
    SupplierProfile,
    User,
)
from app.notifications.schemas import SavedSearchIn
from app.notifications.service import Notice, notify
from app.schemas import MAX_ID

MAX_PER_USER = 10


def list_searches(session: Session, user: User) -> list[SavedSearch]:
    admitted_supplier_of(session, user)
    query = select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.id)
    return list(session.scalars(query))


def get_search(session: Session, user: User, search_id: int) -> SavedSearch:
    """Another user's search is NotFound, even within the same organisation."""
    admitted_supplier_of(session, user)
    found = session.get(SavedSearch, search_id) if search_id <= MAX_ID else None
    if found is None or found.user_id != user.id:
        raise NotFound("Saved search not found.")
    return found


def create_search(session: Session, user: User, data: SavedSearchIn) -> SavedSearch:
    admitted_supplier_of(session, user)
    count = session.scalar(select(func.count()).where(SavedSearch.user_id == user.id)) or 0
    if count >= MAX_PER_USER:
        raise Conflict("You can keep at most %(n)s saved searches.", n=MAX_PER_USER)
    search = SavedSearch(organization_id=user.organization_id, user_id=user.id, name="")
    _apply(search, data)
    session.add(search)
    session.flush()
    alerts.store_query(session, search)
    return search


def update_search(session: Session, user: User, search_id: int, data: SavedSearchIn) -> SavedSearch:
    search = get_search(session, user, search_id)
    _apply(search, data)
    session.flush()
    alerts.store_query(session, search)
    return search


def delete_search(session: Session, user: User, search_id: int) -> None:
    search = get_search(session, user, search_id)
    alerts.drop_vectors(session, search.id)
    session.delete(search)
    session.flush()


def _apply(search: SavedSearch, data: SavedSearchIn) -> None:
    search.name, search.query, search.min_level = data.name, data.query, data.level
    search.filters = data.filters()


def preview(
    session: Session, cache: IndexCache, user: User, search_id: int
) -> list[alerts.Preview]:
    """The open needs this search would alert on now."""
    search = get_search(session, user, search_id)
    return alerts.preview(session, cache, search, normalize_locale(user.locale))


# --- matching a newly published need ---


def _live_searches(session: Session, need: Need) -> list[SavedSearch]:
    """Searches of active users of admitted suppliers whose filters the need satisfies."""
    query = (
        select(SavedSearch)
        .join(User, User.id == SavedSearch.user_id)
        .join(SupplierProfile, SupplierProfile.organization_id == SavedSearch.organization_id)
        .where(
            User.is_active.is_(True),
            User.role == Role.supplier,
            User.organization_id == SavedSearch.organization_id,
            SupplierProfile.membership == Membership.admitted,
        )
        .order_by(SavedSearch.id)
    )
    return [s for s in session.scalars(query) if alerts.passes(s.filters, need)]


def notify_matches(session: Session, need: Need) -> int:
    """Called when a need is published: one notice per user, naming their best-matching search."""
    searches = _live_searches(session, need)
    allowed = eligibility.eligible_for_need(session, need, {s.organization_id for s in searches})
    searches = [s for s in searches if s.organization_id in allowed]
    if not searches:
        return 0
    scores = alerts.need_scores(session, need, searches)
    best: dict[int, tuple[float, SavedSearch]] = {}
    for search in searches:
        score = scores.get(search.id)
        if not alerts.fires(search, score):
            continue
        if search.user_id not in best or score > best[search.user_id][0]:
            best[search.user_id] = (score, search)
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(list(best))))}
    for user_id, (score, search) in sorted(best.items()):
        params = {
            "title": need.title,
            "search": search.name,
            "score": round(score, 3),
            "level": alerts.level_code(search, score),
        }
        notice = Notice("need_matched", params, f"/needs/{need.id}", f"matched:{need.id}")
        notify(session, [users[user_id]], notice)
    return len(best)
