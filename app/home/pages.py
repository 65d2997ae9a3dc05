"""The landing page and the health check."""

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from app.auth import DbSession, OptionalUser
from app.home import service
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
def healthz(session: DbSession) -> Response:
    service.ping(session)
    return PlainTextResponse("ok")
