"""The landing page (each role's home once signed in), the nav's counts, the favicon and
the health check."""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from sqlalchemy.orm import object_session

from app.auth import DbSession, OptionalUser
from app.home import health, service
from app.models import User
from app.web import env, render

router = APIRouter()
FAVICON = Path(__file__).resolve().parent.parent / "static" / "favicon.ico"


# Nav links that carry the count of a home section (several sections may share one link).
NAV_KINDS = {
    "/needs/mine": ("bids_to_compare", "proposals_to_answer", "questions_to_answer"),
    "/bids/invitations": ("invitations",),
    "/awards": ("selections_to_approve",),
    "/coordinator/applications": ("applications",),
    "/engagements/board": ("results_to_verify", "stages_to_sign_off", "overdue", "stalled"),
}


def nav_counts(request: Request) -> dict[str, int]:
    """The nav's counts: "/" for the home's total, else per link. Only while the request's own
    transaction is open (error pages rendered after it closed show none)."""
    user: User | None = getattr(request.state, "user", None)
    session = object_session(user) if user is not None else None
    if user is None or session is None or not session.in_transaction():
        return {}
    found = getattr(request.state, "home", None)  # the home page has its lists already
    if found is None:
        found = service.load_home(session, user, request.app.state.settings)
    counts = found.counts()
    links = {href: sum(counts.get(k, 0) for k in kinds) for href, kinds in NAV_KINDS.items()}
    return {"/": found.total, **links}


env.globals["nav_counts"] = nav_counts


@router.get("/")
def home(request: Request, session: DbSession, user: OptionalUser) -> Response:
    """A signed-in user's home (its lists); anyone else the marketing page."""
    state = request.app.state
    if user is not None:
        found = service.load_home(session, user, state.settings, state.index_cache)
        request.state.home = found
        return render(request, "home/role.html", {"home": found})
    stats = service.programme_summary(session, state.settings.programme_supplier_goal)
    return render(request, "home.html", {"stats": stats})


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    """Browsers ask every site for it; served from app/static, cached for a day."""
    headers = {"Cache-Control": "public, max-age=86400"}
    return FileResponse(FAVICON, media_type="image/x-icon", headers=headers)


@router.get("/healthz", include_in_schema=False)
def healthz(request: Request) -> Response:
    """200 when every dependency is up, else 503; per-dependency status JSON either way."""
    state = request.app.state
    found = health.check(state.db, state.index_cache, state.settings)
    return JSONResponse(found.body(), status_code=200 if found.ok else 503)
