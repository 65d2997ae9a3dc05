"""HTML routes: own profile (view, edit), case studies, the supplier directory, detail pages."""

from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from app.accounts.business import shown
from app.auth import CurrentUser, DbSession, roles
from app.coordinator import membership
from app.files import service as files
from app.files.download import UploadsDep
from app.files.pages import upload
from app.i18n import Msgid
from app.matches.pages import Cache
from app.models import Role, SupplierProfile, User
from app.profiles import readiness as scoring
from app.profiles import service
from app.profiles.fit import fit_order
from app.profiles.schemas import (
    CaseStudyIn,
    ManufacturerProfileIn,
    SupplierProfileIn,
    SupplierQuery,
)
from app.schemas import RowId
from app.track_record.service import track_record_lines
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
OWNERS = roles(Role.supplier, Role.manufacturer)
SUPPLIERS = roles(Role.supplier)
DIRECTORY = roles(Role.manufacturer, Role.coordinator, Role.admin)
SUPPLIER_LISTS = ("specialties", "ai_techniques", "industries", "processes")
Id = RowId
ANSWERS = {"data": scoring.DATA, "staff": scoring.STAFF, "budget": scoring.BUDGET}


def _present(data: dict[str, Any]) -> dict[str, Any]:
    """Blank form fields are left out so the model's defaults (or 'required') apply."""
    return {key: value for key, value in data.items() if value is not None}


def _by_field(errors: dict[str, str]) -> dict[str, str]:
    """'certifications.2' -> 'certifications': list item errors show next to their field."""
    return {key.split(".")[0]: message for key, message in reversed(errors.items())}


def _supplier_form(form: FormData) -> dict[str, Any]:
    data = form_dict(form, list_fields=SUPPLIER_LISTS)
    lines = (data.get("certifications") or "").splitlines()
    data["certifications"] = [line.strip() for line in lines if line.strip()]
    return data


def _profile_page(
    request: Request,
    session: Session,
    profile: service.Profile,
    viewer: User,
    own: bool,
    errors: tuple[dict[str, str], int] = ({}, 200),
) -> Response:
    org_id = profile.organization_id
    context = {"profile": profile, "own": own, "insider": service.is_insider(viewer, org_id)}
    if isinstance(profile, SupplierProfile):
        context["track_record"] = track_record_lines(session, org_id)
        if context["insider"]:  # the application's documents: its supplier and staff only
            context["application_files"] = files.application_files(session, viewer, org_id)
            context["errors"] = errors[0]
        return render(request, "profiles/supplier.html", context, errors[1])
    context |= {"readiness": service.readiness(profile), "answers": ANSWERS}
    return render(request, "profiles/manufacturer.html", context)


def _form_values(profile: service.Profile) -> dict[str, Any]:
    supplier = isinstance(profile, SupplierProfile)
    fields = service.SUPPLIER_FIELDS if supplier else service.MANUFACTURER_FIELDS
    values = {field: getattr(profile, field) for field in fields}
    number = shown(profile.organization.business_number)
    return {"name": profile.organization.name, "business_number": number or None,
            "version": profile.version, **values}  # fmt: skip


def _edit_page(
    request: Request,
    profile: service.Profile,
    form: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    if not isinstance(profile, SupplierProfile):
        context = {"profile": profile, "form": form, "errors": errors, "answers": ANSWERS}
        return render(request, "profiles/manufacturer_form.html", context, status)
    form = {**form, "certifications": "\n".join(form.get("certifications") or [])}
    context = {"profile": profile, "form": form, "errors": errors}
    return render(request, "profiles/supplier_form.html", context, status)


@router.get("/profile", dependencies=OWNERS)
def my_profile(request: Request, session: DbSession, user: CurrentUser) -> Response:
    return _profile_page(request, session, service.own_profile(session, user), user, own=True)


@router.post("/profile/reapply", dependencies=SUPPLIERS)
def reapply(session: DbSession, user: CurrentUser) -> Response:
    """A rejected or expired supplier applies again (a coordinator reviews it)."""
    membership.reapply(session, user)
    return redirect("/profile?saved=reapplied")


@router.post("/profile/application/files", dependencies=[*SUPPLIERS, Depends(accepts_uploads)])
def upload_application_file(
    request: Request, form: Form, session: DbSession, uploads: UploadsDep, user: CurrentUser
) -> Response:
    """A certificate or company document for the support group's vetting."""

    def again(errors: dict[str, str], status: int) -> Response:
        profile = service.own_profile(session, user)
        return _profile_page(request, session, profile, user, True, (errors, status))

    target = partial(files.application_target, session, user, user.organization_id)
    done = "/profile#application-files"
    return upload(request, session, uploads, user, form, target, done, again)


@router.post("/profile/application/files/{attachment_id:int}/remove", dependencies=SUPPLIERS)
def remove_application_file(attachment_id: int, session: DbSession, user: CurrentUser) -> Response:
    """A wrong or expired document taken off the application (audited; the coordinators'
    history keeps what was vetted)."""
    files.remove_file(session, user, attachment_id)
    return redirect("/profile#application-files")


@router.get("/profile/edit", dependencies=OWNERS)
def edit_profile(request: Request, session: DbSession, user: CurrentUser) -> Response:
    profile = service.own_profile(session, user)
    return _edit_page(request, profile, _form_values(profile), {})


@router.post("/profile/edit", dependencies=OWNERS)
def save_profile(request: Request, form: Form, session: DbSession, user: CurrentUser) -> Response:
    profile = service.own_profile(session, user)
    if isinstance(profile, SupplierProfile):
        data, model = _supplier_form(form), SupplierProfileIn
    else:
        data, model = form_dict(form, list_fields=("systems",)), ManufacturerProfileIn

    def act(parsed: BaseModel) -> str:
        service.update_own_profile(session, user, parsed)  # type: ignore[arg-type]
        return "/profile?saved=1"

    def again(errors: dict[str, str], status: int) -> Response:
        return _edit_page(request, profile, data, _by_field(errors), status)

    return submit(request, session, model, _present(data), act, again)


def _case_page(
    request: Request,
    form: dict[str, Any],
    errors: dict[str, str],
    case_id: int | None = None,
    status: int = 200,
) -> Response:
    context = {"form": form, "errors": errors, "case_id": case_id}
    return render(request, "profiles/case_study_form.html", context, status)


@router.get("/profile/case-studies/new", dependencies=SUPPLIERS)
def new_case_study(request: Request) -> Response:
    return _case_page(request, {}, {})


def _case_form(
    request: Request,
    form: FormData,
    session: DbSession,
    action: Callable[[CaseStudyIn], object],
    case_id: int | None = None,
) -> Response:
    data = form_dict(form)

    def act(parsed: CaseStudyIn) -> str:
        action(parsed)
        return "/profile?saved=1#case-studies"

    def again(errors: dict[str, str], status: int) -> Response:
        return _case_page(request, data, _by_field(errors), case_id, status)

    return submit(request, session, CaseStudyIn, _present(data), act, again)


@router.post("/profile/case-studies", dependencies=SUPPLIERS)
def create_case_study(
    request: Request, form: Form, session: DbSession, user: CurrentUser
) -> Response:
    def go(p: CaseStudyIn) -> object:
        return service.add_case_study(session, user, p)

    return _case_form(request, form, session, go)


@router.get("/profile/case-studies/{case_id}/edit", dependencies=SUPPLIERS)
def edit_case_study(
    request: Request, case_id: Id, session: DbSession, user: CurrentUser
) -> Response:
    study = service.own_case_study(session, user, case_id)
    values = {field: getattr(study, field) for field in service.CASE_STUDY_FIELDS}
    return _case_page(request, values, {}, case_id)


@router.post("/profile/case-studies/{case_id}/edit", dependencies=SUPPLIERS)
def save_case_study(
    request: Request, form: Form, case_id: Id, session: DbSession, user: CurrentUser
) -> Response:
    service.own_case_study(session, user, case_id)  # 404 before validation for others' ids

    def go(p: CaseStudyIn) -> object:
        return service.update_case_study(session, user, case_id, p)

    return _case_form(request, form, session, go, case_id)


@router.post("/profile/case-studies/{case_id}/delete", dependencies=SUPPLIERS)
def delete_case_study(
    request: Request, form: Form, case_id: Id, session: DbSession, user: CurrentUser
) -> Response:
    service.own_case_study(session, user, case_id)  # nothing to confirm for a stranger
    if page := confirm_step(request, form, DELETE_CASE):
        return page
    service.delete_case_study(session, user, case_id)
    return flash(request, "/profile#case-studies", Msgid("The case study is deleted."))


DELETE_CASE = Ask(
    Msgid("Delete this case study?"),
    Msgid("The case study leaves your profile and matching. This cannot be undone."),
    Msgid("Nobody is sent a notice."),
    "/profile#case-studies",
    button=Msgid("Delete"),
)


def _page_url(filters: dict[str, str], page: int) -> str:
    return "/suppliers?" + urlencode({**filters, "page": page})


@router.get("/suppliers", dependencies=DIRECTORY)
def directory(request: Request, session: DbSession, user: CurrentUser, cache: Cache) -> Response:
    fields = SupplierQuery.model_fields
    data = {k: v.strip() for k, v in request.query_params.items() if k in fields and v.strip()}
    filters, errors = validate_form(SupplierQuery, data, request_locale(request))
    order = fit_order(session, cache, user, filters) if filters else None
    scores = order.scores if order else None
    results = service.search_suppliers(session, user, filters, scores) if filters else None
    context = {
        "form": data,
        "errors": errors,
        "results": results,
        "order": order,
        "staff": service.is_staff(user),
        "page_url": lambda page: _page_url({k: v for k, v in data.items() if k != "page"}, page),
    }
    return render(request, "profiles/directory.html", context, 200 if filters else 422)


@router.get("/suppliers/{org_id}")
def supplier_detail(
    request: Request, org_id: Id, session: DbSession, user: CurrentUser
) -> Response:
    profile = service.visible_supplier(session, user, org_id)
    return _profile_page(request, session, profile, user, own=False)


@router.get("/manufacturers/{org_id}")
def manufacturer_detail(
    request: Request, org_id: Id, session: DbSession, user: CurrentUser
) -> Response:
    profile = service.visible_manufacturer(session, user, org_id)
    return _profile_page(request, session, profile, user, own=False)
