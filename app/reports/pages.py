"""The report downloads: an engagement's 성과보고서 (its parties and staff) and the programme
report (staff, with the dashboard's filters), as pages' links and as API routes."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.auth import CurrentUser, DbSession, roles
from app.dashboard.schemas import Filters
from app.models import Role
from app.reports.engagement import engagement_report
from app.reports.programme import programme_report
from app.schemas import RowId
from app.web import request_locale

router = APIRouter()
api = APIRouter(prefix="/api", tags=["reports"])
STAFF = roles(Role.coordinator, Role.admin)


def pdf(body: bytes, name: str) -> Response:
    disposition = f'attachment; filename="{name}.pdf"'
    return Response(
        body, media_type="application/pdf", headers={"content-disposition": disposition}
    )


def _engagement(
    request: Request, session: DbSession, user: CurrentUser, engagement_id: int
) -> Response:
    settings = request.app.state.settings
    body = engagement_report(session, settings, user, engagement_id, request_locale(request))
    return pdf(body, f"axmatch-engagement-{engagement_id}")


def _programme(request: Request, session: DbSession, filters: Filters) -> Response:
    body = programme_report(session, request.app.state.settings, filters, request_locale(request))
    return pdf(body, "axmatch-programme-report")


@router.get("/engagements/{engagement_id}/report.pdf")
def engagement_pdf(
    request: Request, engagement_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    return _engagement(request, session, user, engagement_id)


@api.get("/engagements/{engagement_id}/report.pdf", response_class=Response)
def engagement_pdf_api(
    request: Request, engagement_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    """성과보고서 (PDF): the engagement's parties and staff; 404 for anyone else."""
    return _engagement(request, session, user, engagement_id)


@router.get("/coordinator/report.pdf", dependencies=STAFF)
def programme_pdf(
    request: Request, filters: Annotated[Filters, Query()], session: DbSession
) -> Response:
    return _programme(request, session, filters)


@api.get("/dashboard/report.pdf", dependencies=STAFF, response_class=Response)
def programme_pdf_api(
    request: Request, filters: Annotated[Filters, Query()], session: DbSession
) -> Response:
    """The programme report (PDF), with the dashboard's filters."""
    return _programme(request, session, filters)
