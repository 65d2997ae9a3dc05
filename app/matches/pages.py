"""HTML routes: suggested suppliers for a need, recommended needs, free-text search."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from app.auth import CurrentUser, DbSession, roles
from app.matches import service
from app.matches.cache import IndexCache
from app.models import Role
from app.readiness import service as readiness
from app.schemas import OneLine, RowId
from app.web import render, request_locale


async def index_cache(request: Request) -> IndexCache:  # no I/O: no thread hop
    return request.app.state.index_cache  # type: ignore[no-any-return]


Cache = Annotated[IndexCache, Depends(index_cache)]
router = APIRouter()
MARKET = roles(Role.manufacturer, Role.supplier, Role.coordinator, Role.admin)  # not sponsors


@router.get(
    "/needs/{need_id}/suggestions",
    dependencies=roles(Role.manufacturer, Role.coordinator, Role.admin),
)
def suggestions(
    request: Request, need_id: RowId, session: DbSession, cache: Cache, user: CurrentUser
) -> Response:
    need = service.visible_need(session, user, need_id)
    items = service.suggest_suppliers(session, cache, user, need_id, limit=20)
    left_out = service.left_out(session, cache, user, need_id)
    track = readiness.view(need, user, request_locale(request))
    context = {"need": need, "items": items, "track": track, "left_out": left_out}
    return render(request, "matches/suggestions.html", context)


@router.get("/recommendations", dependencies=roles(Role.supplier))
def recommendations(
    request: Request, session: DbSession, cache: Cache, user: CurrentUser
) -> Response:
    items = service.recommend_needs(session, cache, user, limit=20)
    return render(request, "matches/recommendations.html", {"items": items})


@router.get("/search", dependencies=MARKET)
def search(
    request: Request,
    session: DbSession,
    cache: Cache,
    user: CurrentUser,
    q: Annotated[str, Query(max_length=500), OneLine] = "",
    target: str = "",
) -> Response:
    default = "needs" if user.role is Role.supplier else "suppliers"
    target = target if target in ("suppliers", "needs", "manufacturers") else default
    query = q.strip()
    items = service.search(session, cache, user, query, target, 20) if len(query) >= 2 else []
    context = {"q": query, "target": target, "items": items, "searched": len(query) >= 2}
    return render(request, "matches/search.html", context)
