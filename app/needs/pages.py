"""HTML routes for needs: post, edit, publish, close, list and read."""

from functools import partial
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.auth import CurrentUser, DbSession, roles
from app.config import get_settings
from app.errors import AppError, Conflict, Forbidden, Invalid
from app.files import service as files
from app.files.download import UploadsDep
from app.files.pages import upload
from app.i18n import Msgid, gettext
from app.matches import service as matches
from app.matches.pages import Cache
from app.matches.service import Suggestion
from app.models import Need, NeedStatus, Role, User
from app.needs import amendments, service
from app.needs.schemas import SEOUL, CloseIn, NeedFilters, NeedIn, NeedUpdate, PublishIn
from app.readiness import service as readiness
from app.web import (
    Ask,
    Form,
    accepts_uploads,
    confirm_step,
    flash,
    form_dict,
    redirect,
    render,
    request_locale,
    submit,
    validate_form,
)

router = APIRouter()
MANUFACTURER = roles(Role.manufacturer)
KPI_ROWS = 8
KPI_KEYS = ("metric", "unit", "baseline", "target")
LINE_FIELDS = ("must_have", "nice_to_have")


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def parse_need_form(form: FormData) -> tuple[dict[str, Any], dict[str, Any]]:
    """(what the user typed, for re-rendering; the data for NeedIn/NeedUpdate)."""
    raw = form_dict(form, list_fields=("ai_techniques", "specialties"))
    rows = [{k: raw.pop(f"kpi-{i}-{k}", None) for k in KPI_KEYS} for i in range(KPI_ROWS)]
    for key in [k for k in raw if k.startswith("kpi-")]:
        raw.pop(key)
    raw["kpis"] = [row for row in rows if any(row.values())]
    data = {k: v for k, v in raw.items() if v is not None}
    data["kpis"] = [{k: v for k, v in row.items() if v is not None} for row in raw["kpis"]]
    for field in LINE_FIELDS:
        data[field] = _lines(raw.get(field))
    return raw, data


def _field_errors(errors: dict[str, str]) -> dict[str, str]:
    """List items report under their list (`must_have.3` -> `must_have`); KPI rows keep theirs."""
    out: dict[str, str] = {}
    for key, message in errors.items():
        parts = key.split(".")
        out.setdefault(".".join(parts[:3]) if parts[0] == "kpis" else parts[0], message)
    return out


def _number(value: float | None) -> str | None:
    return None if value is None else f"{value:g}"


def need_form(need: Need) -> dict[str, Any]:
    form: dict[str, Any] = {field: getattr(need, field) for field in service.FIELDS}
    for field in LINE_FIELDS:
        form[field] = "\n".join(form[field])
    if need.deadline_at is not None:
        form["deadline_at"] = need.deadline_at.astimezone(SEOUL).strftime("%Y-%m-%dT%H:%M")
    form["kpis"] = [
        {
            "metric": k.metric,
            "unit": k.unit,
            "baseline": _number(k.baseline),
            "target": _number(k.target),
        }
        for k in need.kpis
    ]
    form["version"] = need.version
    return form


def _form_page(
    request: Request,
    form: dict[str, Any],
    errors: dict[str, str],
    need: Need | None,
    status: int = 200,
) -> Response:
    rows = min(KPI_ROWS, max(3, len(form.get("kpis") or []) + 1))
    hours = get_settings().amend_min_notice_hours
    context = {"form": form, "errors": errors, "need": need, "kpi_rows": rows, "notice": hours}
    return render(request, "needs/form.html", context, status)


def _detail_page(
    request: Request,
    session: Session,
    user: User,
    need: Need,
    errors: dict[str, str] | None = None,
    status: int = 200,
    suggestions: list[Suggestion] | None = None,
) -> Response:
    confidential = service.can_see_confidential(user, need)
    context = {
        "need": need,
        "suggestions": suggestions or [],
        "errors": errors or {},
        "confidential": confidential,
        "editable": service.can_edit(user, need),
        "track": readiness.view(need, user, request_locale(request)) if confidential else None,
        "addenda": amendments.addenda(need, request_locale(request)),
        "will_wait": service.publish_status(need) is NeedStatus.awaiting_check,
        "files": files.need_files(session, user, need.id),
    }
    return render(request, "needs/detail.html", context, status)


def _filters(request: Request) -> tuple[NeedFilters, dict[str, Any], dict[str, str]]:
    typed = {k: v.strip() for k, v in request.query_params.items() if v.strip()}
    parsed, errors = validate_form(NeedFilters, typed, request_locale(request))
    return parsed or NeedFilters(), typed, _field_errors(errors)


def _list_context(request: Request, session: DbSession, user: User) -> dict[str, Any]:
    filters, typed, errors = _filters(request)
    page = service.search_needs(session, user, filters)
    base = urlencode({k: v for k, v in typed.items() if k != "page"})
    return {"page": page, "form": typed, "errors": errors, "query": base}


@router.get("/needs")
def list_needs(request: Request, session: DbSession, user: CurrentUser) -> Response:
    if user.role is Role.manufacturer:
        return redirect("/needs/mine")
    if not service.may_browse(user):
        return render(request, "needs/list.html", {"refused": True}, 403)
    context = _list_context(request, session, user)
    return render(request, "needs/list.html", {**context, "staff": service.is_staff(user)})


@router.get("/needs/mine", dependencies=MANUFACTURER)
def my_needs(request: Request, session: DbSession, user: CurrentUser) -> Response:
    context = _list_context(request, session, user)
    return render(request, "needs/mine.html", {**context, "statuses": list(NeedStatus)})


@router.get("/needs/new", dependencies=MANUFACTURER)
def new_need_form(request: Request, user: CurrentUser) -> Response:
    return _form_page(request, {"kpis": [], **service.profile_defaults(user)}, {}, None)


@router.post("/needs/new", dependencies=MANUFACTURER)
def create_need(request: Request, form: Form, session: DbSession, user: CurrentUser) -> Response:
    raw, data = parse_need_form(form)

    def act(parsed: NeedIn) -> str:
        return f"/needs/{service.create_need(session, user, parsed).id}"

    def again(errors: dict[str, str], status: int) -> Response:
        return _form_page(request, raw, _field_errors(errors), None, status)

    return submit(request, session, NeedIn, data, act, again)


@router.get("/needs/{need_id:int}")
def need_detail(
    request: Request, need_id: int, session: DbSession, cache: Cache, user: CurrentUser
) -> Response:
    need = service.get_need(session, user, need_id)
    top = []
    if service.can_see_confidential(user, need):  # the owner and staff, never suppliers
        top = matches.suggest_suppliers(session, cache, user, need.id, limit=5)
    return _detail_page(request, session, user, need, suggestions=top)


@router.get("/needs/{need_id:int}/edit", dependencies=MANUFACTURER)
def edit_need_form(
    request: Request, need_id: int, session: DbSession, user: CurrentUser
) -> Response:
    need = service.get_own_need(session, user, need_id)
    if need.status is NeedStatus.closed:
        raise Conflict("A closed need is read-only.")
    if need.status is NeedStatus.open:
        amendments.require_amendable(need)
    return _form_page(request, need_form(need), {}, need)


def _deadline_or_form(exc: AppError) -> str:
    """The only Invalid an update raises is about an open need's deadline."""
    return "deadline_at" if isinstance(exc, Invalid) else "__all__"


@router.post("/needs/{need_id:int}/edit", dependencies=MANUFACTURER)
def update_need(
    request: Request, form: Form, need_id: int, session: DbSession, user: CurrentUser
) -> Response:
    need = service.get_own_need(session, user, need_id)
    raw, data = parse_need_form(form)

    def act(parsed: NeedUpdate) -> str:
        service.update_need(session, user, need_id, parsed)
        return f"/needs/{need_id}"

    def again(errors: dict[str, str], status: int) -> Response:
        return _form_page(request, raw, _field_errors(errors), need, status)

    return submit(request, session, NeedUpdate, data, act, again, field=_deadline_or_form)


@router.post("/needs/{need_id:int}/publish", dependencies=MANUFACTURER)
def publish_need(
    request: Request, form: Form, need_id: int, session: DbSession, user: CurrentUser
) -> Response:
    parsed, _ = validate_form(PublishIn, form_dict(form), request_locale(request))
    try:
        with session.begin_nested():
            need = service.publish_need(session, user, need_id, parsed.version if parsed else None)
    except (Invalid, Conflict, Forbidden) as exc:  # Forbidden: an unconfirmed e-mail address
        return _refused(request, session, user, need_id, exc)
    if need.status is NeedStatus.awaiting_check:
        return flash(request, f"/needs/{need_id}", Msgid("Sent to the support group's check."))
    return flash(request, f"/needs/{need_id}", Msgid("The need is published."))


@router.post("/needs/{need_id:int}/close", dependencies=MANUFACTURER)
def close_need(
    request: Request, form: Form, need_id: int, session: DbSession, user: CurrentUser
) -> Response:
    def act(parsed: CloseIn) -> Response:
        service.close_need(session, user, need_id, parsed.reason, parsed.version)
        return flash(request, f"/needs/{need_id}", Msgid("The need is closed."))

    def again(errors: dict[str, str], status: int) -> Response:
        need = service.get_own_need(session, user, need_id)
        return _detail_page(request, session, user, need, _field_errors(errors), status)

    def ask(_: CloseIn) -> Response | None:
        service.get_own_need(session, user, need_id)  # nothing to confirm for a stranger
        return confirm_step(request, form, _close_ask(need_id))

    return submit(request, session, CloseIn, form_dict(form), act, again, ask=ask)


def _close_ask(need_id: int) -> Ask:
    return Ask(
        Msgid("Close this need?"),
        Msgid("The need stops taking bids and leaves suppliers' lists. This cannot be undone."),
        Msgid("Suppliers who bid or were invited see it closed on their bids page."),
        f"/needs/{need_id}",
        button=Msgid("Close the need"),
    )


def _refused(
    request: Request, session: DbSession, user: User, need_id: int, exc: AppError
) -> Response:
    message = gettext(request_locale(request), exc.message, **exc.params)
    need = service.get_own_need(session, user, need_id)
    return _detail_page(request, session, user, need, {"__all__": message}, exc.status)


@router.post("/needs/{need_id:int}/files", dependencies=[*MANUFACTURER, Depends(accepts_uploads)])
def upload_need_file(
    request: Request,
    need_id: int,
    form: Form,
    session: DbSession,
    uploads: UploadsDep,
    user: CurrentUser,
) -> Response:
    def again(errors: dict[str, str], status: int) -> Response:
        need = service.get_need(session, user, need_id)
        return _detail_page(request, session, user, need, errors, status)

    target = partial(files.need_target, session, user, need_id)
    return upload(request, session, uploads, user, form, target, f"/needs/{need_id}#files", again)


@router.post("/needs/{need_id:int}/files/{attachment_id:int}/remove", dependencies=MANUFACTURER)
def remove_need_file(
    need_id: int, attachment_id: int, session: DbSession, user: CurrentUser
) -> Response:
    files.remove_file(session, user, attachment_id)
    return redirect(f"/needs/{need_id}#files")
