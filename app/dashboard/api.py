"""JSON routes of the programme dashboard: the same figures as the pages, the same filters."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.auth import CurrentUser, DbSession, roles
from app.dashboard import report
from app.dashboard.pages import AppSettings
from app.dashboard.schemas import (
    DashboardOut,
    Filters,
    PublicDashboardOut,
    SponsorDashboardOut,
)
from app.models import Role

router = APIRouter(prefix="/api", tags=["dashboard"])
ERRORS: dict[int | str, dict[str, Any]] = {404: {"description": "Cohort not found, or not yours"}}


@router.get("/dashboard", dependencies=roles(Role.coordinator, Role.admin), responses=ERRORS)
def dashboard(
    filters: Annotated[Filters, Query()], session: DbSession, settings: AppSettings
) -> DashboardOut:
    """Funnel, breakdowns, time in stage, goals, award concentration and verified outcomes
    of the needs the filters select (`from`/`to`: when the need was posted, KST)."""
    return report.coordinator_dashboard(session, settings, filters)


@router.get("/dashboard/public")
def public_dashboard(session: DbSession, settings: AppSettings) -> PublicDashboardOut:
    """The public programme summary: aggregates only, no company and no budget."""
    return report.public_dashboard(session, settings)


@router.get("/sponsor/dashboard", dependencies=roles(Role.sponsor), responses=ERRORS)
def sponsor_dashboard(
    filters: Annotated[Filters, Query()],
    session: DbSession,
    user: CurrentUser,
    settings: AppSettings,
) -> SponsorDashboardOut:
    """The sponsor's own cohorts (or one of them): aggregate progress and verified outcomes."""
    return report.sponsor_dashboard(session, settings, user, filters)
