"""The coordinators' CSV import of suppliers and manufacturers (/coordinator/import): the
same validation and writes as `axmatch import` (app/matches/importer), with a dry run that
makes every write, reports the problems by line, and rolls everything back."""

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from app.auth import CurrentUser, DbSession, roles
from app.matches.importer import CSV_MODELS, InvalidImport, import_csv
from app.models import Role
from app.web import Form, accepts_uploads, render, request_locale

router = APIRouter(prefix="/coordinator", dependencies=roles(Role.coordinator, Role.admin))


def _page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    base = {"kinds": list(CSV_MODELS), "form": {"kind": "suppliers", "dry_run": True}}
    return render(request, "coordinator/import.html", {**base, **context}, status)


@router.get("/import")
def import_form(request: Request) -> Response:
    return _page(request, {})


def _text(upload: Any) -> tuple[str, str] | None:
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    try:
        return upload.filename, upload.file.read().decode("utf-8")
    except UnicodeDecodeError:
        return None


@router.post("/import", dependencies=[Depends(accepts_uploads)])
def import_file(request: Request, form: Form, session: DbSession, user: CurrentUser) -> Response:
    kind = str(form.get("kind", ""))
    typed = {"kind": kind, "dry_run": bool(form.get("dry_run")), "admit": bool(form.get("admit"))}
    source = _text(form.get("file"))
    if kind not in CSV_MODELS or source is None:
        return _page(request, {"form": typed, "unreadable": True}, 422)
    name, text = source
    try:
        count = import_csv(
            session, user, kind, name, text, admit=typed["admit"], dry_run=typed["dry_run"]
        )
    except InvalidImport as exc:
        problems = exc.problems_in(request_locale(request))
        return _page(request, {"form": typed, "problems": problems}, 422)
    return _page(request, {"form": typed, "done": {"count": count, "dry_run": typed["dry_run"]}})
