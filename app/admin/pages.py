"""HTML routes for admins: the user list, staff accounts, activation and roles."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.accounts.service import email_taken
from app.accounts.service import resend_invitation as resend
from app.admin import service
from app.admin.schemas import StaffIn, UserFilters, UserPatch
from app.auth import CurrentUser, DbSession, roles
from app.errors import AppError, Invalid
from app.i18n import Msgid
from app.models import Role, utcnow
from app.schemas import RowId
from app.web import (
    Ask,
    Form,
    confirm_step,
    flash,
    form_dict,
    redirect,
    render,
    request_locale,
    submit,
    validate_form,
)

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
def create_user(request: Request, form: Form, session: DbSession, user: CurrentUser) -> Response:
    data = form_dict(form)

    def act(parsed: StaffIn) -> str:
        if email_taken(session, parsed.email):
            raise Invalid("An account with this e-mail already exists.")
        service.create_staff_user(session, user, parsed)
        return "/admin/users?done=created"

    def again(errors: dict[str, str], status: int) -> Response:
        return _new_user_page(request, data, errors, status)

    return submit(request, session, StaffIn, data, act, again, field=_email_field)


def _email_field(_: AppError) -> str:
    return "email"


@router.post("/users/{user_id}")
def update_user(
    request: Request, form: Form, user_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    """The list's activate/deactivate buttons and role selector post here."""
    patch, _ = validate_form(UserPatch, form_dict(form), request_locale(request))
    if patch is None:
        raise Invalid("This value is not valid.")
    if patch.is_active is False and (page := confirm_step(request, form, DEACTIVATE)):
        return page
    service.update_user(session, user, user_id, patch)
    if patch.is_active is False:
        return flash(request, "/admin/users", Msgid("The account is deactivated."))
    return redirect("/admin/users?done=updated")


DEACTIVATE = Ask(
    Msgid("Deactivate this account?"),
    Msgid(
        "The person can no longer log in or use the API"
        " until an administrator reactivates the account."
    ),
    Msgid("Nobody is sent a notice; tell the person yourself if they should know why."),
    "/admin/users",
    button=Msgid("Deactivate"),
)


@router.post("/users/{user_id}/reset-access")
def reset_access(user_id: RowId, session: DbSession, user: CurrentUser) -> Response:
    service.reset_access(session, user, user_id)
    return redirect("/admin/users?done=reset")


@router.get("/invitations")
def invitations(request: Request, session: DbSession) -> Response:
    context = {
        "invitations": service.pending_invitations(session),
        "now": utcnow(),
        "done": request.query_params.get("done", "")[:20],
    }
    return render(request, "admin/invitations.html", context)


@router.post("/invitations/{invitation_id}/resend")
def resend_invitation(invitation_id: RowId, session: DbSession, user: CurrentUser) -> Response:
    resend(session, user, invitation_id)
    return redirect("/admin/invitations?done=resent")
