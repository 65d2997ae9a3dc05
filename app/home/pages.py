"""The landing page and the health check."""

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from app.auth import DbSession, OptionalUser
from app.home import health, service
from app.web import render

router = APIRouter()
FAVICON = Path(__file__).resolve().parent.parent / "static" / "favicon.ico"


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
