"""JSON routes for a need's track (the same service functions as the pages)."""

from fastapi import APIRouter, Request

from app.auth import CurrentUser, DbSession, roles
from app.models import Need, Role, User
from app.readiness import service
from app.readiness.schemas import TrackIn, TrackOut
from app.schemas import RowId
from app.web import request_locale

router = APIRouter(prefix="/api", tags=["readiness"])


def track_out(need: Need, viewer: User, locale: str) -> TrackOut:
    shown = service.view(need, viewer, locale)
    return TrackOut(
        need_id=need.id,
        track=need.track,  # type: ignore[arg-type]
        reason=need.track_reason,
        overridden=need.track_overridden_by_id is not None,
        explanation=shown.lines if shown else [],
        required_offers=sorted(service.required_offers(need.track)),
        version=need.version,
    )


@router.get(
    "/needs/{need_id}/track", dependencies=roles(Role.manufacturer, Role.coordinator, Role.admin)
)
def get_track(need_id: RowId, request: Request, session: DbSession, user: CurrentUser) -> TrackOut:
    """Why the need goes to AI suppliers or to the readiness path (its manufacturer and staff)."""
    need = service.get_track(session, user, need_id)
    return track_out(need, user, request_locale(request))


@router.put("/needs/{need_id}/track", dependencies=roles(Role.coordinator, Role.admin))
def put_track(
    need_id: RowId, data: TrackIn, request: Request, session: DbSession, user: CurrentUser
) -> TrackOut:
    """A coordinator's override, with a reason; `version` must be the need's current one."""
    need = service.override(session, user, need_id, data)
    return track_out(need, user, request_locale(request))
