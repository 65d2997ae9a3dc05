"""HTML routes: a coordinator overrides a need's track."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.auth import CurrentUser, DbSession, roles
from app.models import Need, Role
from app.readiness import service
from app.readiness.schemas import TrackIn
from app.schemas import RowId
from app.web import Form, form_dict, render, submit

router = APIRouter(prefix="/coordinator/needs", dependencies=roles(Role.coordinator, Role.admin))


def _page(
    request: Request, need: Need, form: dict[str, object], errors: dict[str, str], status: int
) -> Response:
    context = {"need": need, "form": form, "errors": errors}
    return render(request, "readiness/override.html", context, status)


@router.get("/{need_id}/track")
def track_form(request: Request, need_id: RowId, session: DbSession, user: CurrentUser) -> Response:
    need = service.get_track(session, user, need_id)
    other = service.AI if need.track == service.READINESS else service.READINESS
    return _page(request, need, {"track": other, "version": need.version}, {}, 200)


@router.post("/{need_id}/track")
def override(
    request: Request, form: Form, need_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    need = service.get_track(session, user, need_id)
    data = form_dict(form)

    def act(parsed: TrackIn) -> str:
        service.override(session, user, need_id, parsed)
        return f"/needs/{need_id}"

    def again(errors: dict[str, str], status: int) -> Response:
        return _page(request, need, data, errors, status)

    return submit(request, session, TrackIn, data, act, again)
