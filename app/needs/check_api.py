"""JSON routes for the check of new organisations' first needs (coordinators, admins)."""

from fastapi import APIRouter

from app.auth import CurrentUser, DbSession, roles
from app.models import Role
from app.needs import checks
from app.needs.api import ERRORS, need_out
from app.needs.schemas import CheckIn, NeedOut, ReturnIn
from app.schemas import RowId

router = APIRouter(
    prefix="/api/coordinator/checks",
    tags=["coordinator"],
    dependencies=roles(Role.coordinator, Role.admin),
)


@router.get("", responses=ERRORS)
def queue(session: DbSession, user: CurrentUser) -> list[NeedOut]:
    """Needs waiting for the check, oldest first."""
    return [need_out(user, need) for need in checks.pending(session)]


@router.post("/{need_id}/approve", responses=ERRORS)
def approve(need_id: RowId, data: CheckIn, session: DbSession, user: CurrentUser) -> NeedOut:
    """Publish the need (readiness routing, alerts); the organisation's later needs publish
    directly. The manufacturer is told."""
    return need_out(user, checks.approve(session, user, need_id, data.version, data.reason))


@router.post("/{need_id}/return", responses=ERRORS)
def send_back(need_id: RowId, data: ReturnIn, session: DbSession, user: CurrentUser) -> NeedOut:
    """Back to draft with a reason the manufacturer is told."""
    return need_out(user, checks.send_back(session, user, need_id, data.version, data.reason))
