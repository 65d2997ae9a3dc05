"""HTML routes: a coordinator overrides a need's track."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.auth import CurrentUser, DbSession, roles
from app.errors import Conflict
from app.i18n import gettext
from app.models import Need, Role
from app.readiness import service
from app.readiness.schemas import TrackIn
from app.schemas import RowId
from app.web import form_dict, redirect, render, request_locale, validate_form

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
async def override(
    request: Request, need_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    need = service.get_track(session, user, need_id)
    locale = request_locale(request)
    data = form_dict(await request.form())
    parsed, errors = validate_form(TrackIn, data, locale)
    if parsed is None:
        return _page(request, need, data, errors, 422)
    try:
        service.override(session, user, need_id, parsed)
    except Conflict as exc:
        errors = {"__all__": gettext(locale, exc.message, **exc.params)}
        return _page(request, need, data, errors, exc.status)
    return redirect(f"/needs/{need_id}")
