"""HTML routes for admins: the user list, staff accounts, activation and roles."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.accounts.service import email_taken
from app.admin import service
from app.admin.schemas import StaffIn, UserFilters, UserPatch
from app.auth import CurrentUser, DbSession, roles
from app.errors import Invalid
from app.i18n import gettext
from app.models import Role
from app.schemas import RowId
from app.web import form_dict, redirect, render, request_locale, validate_form

router = APIRouter(prefix="/admin", dependencies=roles(Role.admin))


@router.get("")
def index() -> Response:
    return redirect("/admin/users")


@router.get("/users")
def users(
    request: Request, filters: Annotated[UserFilters, Query()], session: DbSession
) -> Response:
    context = {
        "result": service.list_users(session, filters),
        "form": filters.model_dump(),
        "query": filters.model_dump(exclude_none=True, exclude={"page"}),
        "done": request.query_params.get("done", "")[:20],
    }
    return render(request, "admin/users.html", context)


def _new_user_page(
    request: Request, form: dict[str, Any], errors: dict[str, str], status: int = 200
) -> Response:
    form.pop("password", None)
    return render(request, "admin/new_user.html", {"form": form, "errors": errors}, status)


@router.get("/users/new")
def new_user_form(request: Request) -> Response:
    return _new_user_page(request, {"role": "coordinator"}, {})


@router.post("/users/new")
async def create_user(request: Request, session: DbSession, user: CurrentUser) -> Response:
    locale = request_locale(request)
    data = form_dict(await request.form())
    parsed, errors = validate_form(StaffIn, data, locale)
    if parsed and email_taken(session, parsed.email):
        errors = {"email": gettext(locale, "An account with this e-mail already exists.")}
    if parsed is None or errors:
        return _new_user_page(request, data, errors, 422)
    service.create_staff_user(session, user, parsed)
    return redirect("/admin/users?done=created")


@router.post("/users/{user_id}")
async def update_user(
    request: Request, user_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    """The list's activate/deactivate buttons and role selector post here."""
    patch, _ = validate_form(UserPatch, form_dict(await request.form()), request_locale(request))
    if patch is None:
        raise Invalid("This value is not valid.")
    service.update_user(session, user, user_id, patch)
    return redirect("/admin/users?done=updated")
