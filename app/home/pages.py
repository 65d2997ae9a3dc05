"""The landing page and the health check."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from app.auth import DbSession, OptionalUser
from app.home import health, service
from app.web import render

router = APIRouter()


@router.get("/")
def home(request: Request, session: DbSession, user: OptionalUser) -> Response:
    return render(
        request,
        "home.html",
        {
            "stats": service.programme_summary(
                session, request.app.state.settings.programme_supplier_goal
            )
        },
    )


@router.get("/healthz", include_in_schema=False)
def healthz(request: Request) -> Response:
    """200 when every dependency is up, else 503; per-dependency status JSON either way."""
    state = request.app.state
    found = health.check(state.db, state.index_cache, state.settings)
    return JSONResponse(found.body(), status_code=200 if found.ok else 503)
