"""The download route for pages, and the one upload round trip every page form uses."""

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from app.auth import CurrentUser, DbSession
from app.errors import AppError
from app.files import service
from app.files.download import UploadsDep, download
from app.i18n import gettext
from app.models import User
from app.web import Again, redirect, request_locale

router = APIRouter()


@router.get("/files/{attachment_id:int}")
def download_file(
    attachment_id: int, session: DbSession, uploads: UploadsDep, user: CurrentUser
) -> StreamingResponse:
    return download(*service.open_file(session, uploads, user, attachment_id))


def upload(
    request: Request,
    session: Session,
    uploads: service.Uploads,
    user: User,
    form: FormData,
    target: Callable[[], service.Target],
    done: str,
    again: Again,
) -> Response:
    """Attach the form's `file` to the target record, then 303 to `done`; a refused file
    re-renders the page through `again` with the reason under "file" (nothing is stored).
    `target` runs first, so a viewer without access gets the usual error page."""
    found = target()
    file = form.get("file")
    locale = request_locale(request)
    if not isinstance(file, UploadFile) or not file.filename:
        return again({"file": gettext(locale, "Choose a file to upload.")}, 422)
    confidential = form.get("confidential") == "on"
    try:
        service.attach(session, uploads, user, found, file.filename, file.file, confidential)
    except AppError as exc:
        return again({"file": gettext(locale, exc.message, **exc.params)}, exc.status)
    return redirect(done)
