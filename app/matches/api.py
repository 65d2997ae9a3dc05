"""JSON routes for matching (same service functions as the pages)."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.auth import CurrentUser, DbSession, roles
from app.matches import service
from app.matches.pages import Cache
from app.matches.schemas import LeftOutOut, Limit, MatchOut, Target, matches_json
from app.models import Role
from app.schemas import OneLine, RowId

router = APIRouter(prefix="/api", tags=["matching"])
MARKET = roles(Role.manufacturer, Role.supplier, Role.coordinator, Role.admin)  # not sponsors


@router.get(
    "/needs/{need_id}/suggestions",
    response_model=list[MatchOut],
    dependencies=roles(Role.manufacturer, Role.coordinator, Role.admin),
)
def suggestions(
    need_id: RowId, session: DbSession, cache: Cache, user: CurrentUser, limit: Limit = 10
) -> Response:
    """Ranked suppliers for a need, with score parts and the sentences that matched."""
    return matches_json(service.suggest_suppliers(session, cache, user, need_id, limit))


@router.get(
    "/needs/{need_id}/suggestions/left-out",
    response_model=list[LeftOutOut],
    dependencies=roles(Role.manufacturer, Role.coordinator, Role.admin),
)
def left_out(
    need_id: RowId, session: DbSession, cache: Cache, user: CurrentUser, limit: Limit = 5
) -> list[LeftOutOut]:
    """The best-ranked suppliers the need's must-have certifications keep out of its
    suggestions, each with the certifications it lacks."""
    items = service.left_out(session, cache, user, need_id, limit)
    return [LeftOutOut(id=i.id, name=i.name, missing=i.missing) for i in items]


@router.get("/recommendations", response_model=list[MatchOut], dependencies=roles(Role.supplier))
def recommendations(
    session: DbSession, cache: Cache, user: CurrentUser, limit: Limit = 10
) -> Response:
    """Open needs the calling supplier should look at."""
    return matches_json(service.recommend_needs(session, cache, user, limit))


@router.get("/match", response_model=list[MatchOut], dependencies=MARKET)
def match(
    session: DbSession,
    cache: Cache,
    user: CurrentUser,
    q: Annotated[str, Query(min_length=2, max_length=500), OneLine],
    target: Target = "suppliers",
    limit: Limit = 10,
) -> Response:
    """Free-text match: supplier organisation ids (or need ids) with scores, best first."""
    return matches_json(service.search(session, cache, user, q.strip(), target, limit))
