"""HTML routes: coordinators manage cohorts under /coordinator/cohorts; a sponsor reads its own
cohorts' member lists at /cohorts."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from app.accounts import service as accounts
from app.auth import CurrentUser, DbSession, roles
from app.cohorts import service
from app.cohorts.schemas import CohortIn, CohortUpdate, MemberIdsIn, MembersIn, VersionIn
from app.cohorts.schemas import InviteIn as CohortInviteIn
from app.errors import AppError, Conflict, Invalid
from app.i18n import gettext
from app.models import Cohort, Role, User
from app.schemas import OneLine, RowId
from app.web import form_dict, redirect, render, request_locale, validate_form

router = APIRouter(prefix="/coordinator/cohorts", dependencies=roles(Role.coordinator, Role.admin))
sponsor_router = APIRouter(dependencies=roles(Role.sponsor))
Search = Annotated[str, Query(max_length=100), OneLine]


def _typed(data: dict[str, Any]) -> dict[str, Any]:
    """The fields the user filled in (a blank optional field takes its default)."""
    return {key: value for key, value in data.items() if value is not None}


def _message(request: Request, exc: AppError) -> dict[str, str]:
    return {"__all__": gettext(request_locale(request), exc.message, **exc.params)}


@router.get("")
def cohorts(request: Request, session: DbSession, user: CurrentUser) -> Response:
    rows = service.list_cohorts(session, user)
    return render(request, "cohorts/list.html", {"rows": rows})


def _new_page(
    request: Request, session: DbSession, form: dict[str, Any], errors: dict[str, str], status: int
) -> Response:
    context = {"form": form, "errors": errors, "sponsors": service.sponsors(session)}
    return render(request, "cohorts/new.html", context, status)


@router.get("/new")
def new_cohort(request: Request, session: DbSession) -> Response:
    return _new_page(request, session, {}, {}, 200)


@router.post("/new")
async def create_cohort(request: Request, session: DbSession, user: CurrentUser) -> Response:
    data = form_dict(await request.form())
    parsed, errors = validate_form(CohortIn, _typed(data), request_locale(request))
    if parsed is None:
        return _new_page(request, session, data, errors, 422)
    try:
        cohort, secret = service.create_cohort(session, user, parsed)
    except (Invalid, Conflict) as exc:
        return _new_page(request, session, data, _message(request, exc), exc.status)
    if secret is None:
        return redirect(f"/coordinator/cohorts/{cohort.id}")
    link = str(request.url_for("invitation_form", secret=secret))
    return _detail(request, session, user, cohort, invite_link=link, status=201)


def _detail(
    request: Request,
    session: DbSession,
    user: User,
    cohort: Cohort,
    status: int = 200,
    q: str = "",
    **extra: Any,
) -> Response:
    q = q.strip()
    context = {
        "cohort": cohort,
        "members": service.members(session, cohort.id),
        "q": q,
        "candidates": service.pick_candidates(session, cohort.id, q) if q else [],
        "sponsor_users": accounts.org_users(session, cohort.sponsor_org_id),
        "invitations": accounts.pending_invitations(session, cohort.sponsor_org_id),
        "form": {"name": cohort.name, "description": cohort.description},
        "errors": {},
        **extra,
    }
    return render(request, "cohorts/detail.html", context, status)


@router.get("/{cohort_id}")
def cohort_detail(
    request: Request, cohort_id: RowId, session: DbSession, user: CurrentUser, q: Search = ""
) -> Response:
    return _detail(request, session, user, service.get_cohort(session, user, cohort_id), q=q)


@router.post("/{cohort_id}")
async def update_cohort(
    request: Request, cohort_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    cohort = service.get_cohort(session, user, cohort_id)
    data = form_dict(await request.form())
    parsed, errors = validate_form(CohortUpdate, _typed(data), request_locale(request))
    if parsed is None:
        return _detail(request, session, user, cohort, 422, form=data, errors=errors)
    try:
        service.update_cohort(session, user, cohort_id, parsed)
    except Conflict as exc:
        return _detail(
            request, session, user, cohort, exc.status, form=data, errors=_message(request, exc)
        )
    return redirect(f"/coordinator/cohorts/{cohort_id}")


def _members_form(form: FormData) -> dict[str, Any]:
    data = form_dict(form, list_fields=("organization_ids",))
    data["lines"] = [
        line.strip() for line in (data.get("lines") or "").splitlines() if line.strip()
    ]
    return data


@router.post("/{cohort_id}/members")
async def add_members(
    request: Request, cohort_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    cohort = service.get_cohort(session, user, cohort_id)
    data = _members_form(await request.form())
    parsed, errors = validate_form(MembersIn, data, request_locale(request))
    if parsed is None:
        errors = {"lines": next(iter(errors.values()))}
        form = {"lines": "\n".join(data["lines"])}
        return _detail(request, session, user, cohort, 422, paste=form, paste_errors=errors)
    report = service.add_members(session, user, cohort_id, parsed)
    return _detail(request, session, user, cohort, report=report)


@router.post("/{cohort_id}/members/remove")
async def remove_members(
    request: Request, cohort_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    cohort = service.get_cohort(session, user, cohort_id)
    data = form_dict(await request.form(), list_fields=("organization_ids",))
    parsed, errors = validate_form(MemberIdsIn, data, request_locale(request))
    if parsed is None:
        message = {"__all__": gettext(request_locale(request), "Tick the members to remove.")}
        return _detail(request, session, user, cohort, 422, remove_errors=message)
    service.remove_members(session, user, cohort_id, parsed.organization_ids)
    return redirect(f"/coordinator/cohorts/{cohort_id}")


@router.post("/{cohort_id}/invitations")
async def invite(
    request: Request, cohort_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    cohort = service.get_cohort(session, user, cohort_id)
    locale = request_locale(request)
    parsed, errors = validate_form(CohortInviteIn, form_dict(await request.form()), locale)
    if parsed is not None and accounts.email_taken(session, parsed.email):
        errors = {"email": gettext(locale, "An account with this e-mail already exists.")}
    if parsed is None or errors:
        return _detail(request, session, user, cohort, 422, invite_errors=errors)
    _, secret = service.invite(session, user, cohort, parsed.email)
    link = str(request.url_for("invitation_form", secret=secret))
    return _detail(request, session, user, cohort, 201, invite_link=link)


@router.post("/{cohort_id}/delete")
async def delete_cohort(
    request: Request, cohort_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    cohort = service.get_cohort(session, user, cohort_id)
    parsed, _ = validate_form(VersionIn, form_dict(await request.form()), request_locale(request))
    try:
        if parsed is None:
            raise Invalid("This value is not valid.")
        service.delete_cohort(session, user, cohort_id, parsed.version)
    except (Invalid, Conflict) as exc:
        errors = _message(request, exc)
        return _detail(request, session, user, cohort, exc.status, delete_errors=errors)
    return redirect("/coordinator/cohorts")


@sponsor_router.get("/cohorts")
def my_cohorts(request: Request, session: DbSession, user: CurrentUser) -> Response:
    """A sponsor's cohorts and the names of their members."""
    rows = [
        (cohort, [org.name for org, _ in service.members(session, cohort.id)])
        for cohort, _ in service.list_cohorts(session, user)
    ]
    return render(request, "cohorts/sponsor.html", {"rows": rows})
