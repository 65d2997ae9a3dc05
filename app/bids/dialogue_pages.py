"""HTML routes for invitations and clarification questions."""

from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from app.auth import CurrentUser, DbSession, roles
from app.bids import dialogue
from app.bids.schemas import AnswerIn, InviteIn, QuestionIn
from app.bids.service import bidding_open
from app.files import service as files
from app.files.download import UploadsDep
from app.files.pages import upload
from app.matches import service as matches
from app.matches.pages import Cache
from app.models import Role, User
from app.needs import service as needs
from app.schemas import RowId
from app.web import (
    Form,
    M,
    accepts_uploads,
    form_dict,
    redirect,
    render,
    request_locale,
    submit,
    validate_form,
)

router = APIRouter()
SUPPLIER = roles(Role.supplier)
DECIDERS = roles(Role.manufacturer, Role.coordinator, Role.admin)
MANUFACTURER = roles(Role.manufacturer)


@router.get("/needs/{need_id:int}/invite", dependencies=DECIDERS)
def invite_page(
    request: Request, need_id: RowId, session: DbSession, cache: Cache, user: CurrentUser
) -> Response:
    invited = dialogue.invited_orgs(session, user, need_id)
    context = {
        "need": needs.get_need(session, user, need_id),
        "suggestions": matches.suggest_suppliers(session, cache, user, need_id, limit=10),
        "invited": invited,
    }
    return render(request, "bids/invite.html", context)


@router.post("/needs/{need_id:int}/invitations", dependencies=DECIDERS)
def invite(
    request: Request, form: Form, need_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    parsed, _ = validate_form(InviteIn, form_dict(form), request_locale(request))
    dialogue.invited_orgs(session, user, need_id)  # ownership before validation
    if parsed is not None:
        dialogue.invite(session, user, need_id, parsed.supplier_org_id)
    return redirect(f"/needs/{need_id}/invite")


@router.get("/bids/invitations", dependencies=SUPPLIER)
def my_invitations(request: Request, session: DbSession, user: CurrentUser) -> Response:
    items = dialogue.my_invitations(session, user)
    return render(request, "bids/invitations.html", {"items": items})


@router.post("/needs/{need_id:int}/invitation/open", dependencies=SUPPLIER)
def open_invitation(need_id: RowId, session: DbSession, user: CurrentUser) -> Response:
    dialogue.open_invitation(session, user, need_id)
    return redirect(f"/needs/{need_id}/bid")


def _questions_page(
    request: Request,
    session: DbSession,
    user: User,
    need_id: int,
    errors: dict[str, str] | None = None,
    form: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    need = needs.get_need(session, user, need_id)
    context = {
        "need": need,
        "items": dialogue.questions(session, user, need_id),
        "can_ask": user.role is Role.supplier and bidding_open(need),
        "can_answer": needs.can_edit(user, need),
        "errors": errors or {},
        "form": form or {},
        "files": files.answer_files(session, user, need_id),
    }
    return render(request, "bids/questions.html", context, status)


@router.get("/needs/{need_id:int}/questions")
def questions(request: Request, need_id: RowId, session: DbSession, user: CurrentUser) -> Response:
    return _questions_page(request, session, user, need_id)


def _question_form(
    request: Request,
    form: FormData,
    session: DbSession,
    user: User,
    need_id: int,
    model: type[M],
    action: Callable[[M], object],
) -> Response:
    data = form_dict(form)

    def act(parsed: M) -> str:
        action(parsed)
        return f"/needs/{need_id}/questions"

    def again(errors: dict[str, str], status: int) -> Response:
        return _questions_page(request, session, user, need_id, errors, data, status)

    return submit(request, session, model, data, act, again)


@router.post("/needs/{need_id:int}/questions", dependencies=SUPPLIER)
def ask(
    request: Request, form: Form, need_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    def go(p: QuestionIn) -> object:
        return dialogue.ask(session, user, need_id, p.question)

    return _question_form(request, form, session, user, need_id, QuestionIn, go)


@router.post("/needs/{need_id:int}/questions/answer", dependencies=MANUFACTURER)
def answer(
    request: Request, form: Form, need_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    def go(p: AnswerIn) -> object:
        return dialogue.answer(session, user, need_id, p.question_id, p.answer)

    return _question_form(request, form, session, user, need_id, AnswerIn, go)


@router.post(
    "/needs/{need_id:int}/questions/{question_id:int}/files",
    dependencies=[*MANUFACTURER, Depends(accepts_uploads)],
)
def upload_answer_file(
    request: Request,
    form: Form,
    need_id: RowId,
    question_id: RowId,
    session: DbSession,
    uploads: UploadsDep,
    user: CurrentUser,
) -> Response:
    def again(errors: dict[str, str], status: int) -> Response:
        shown = {"question_id": str(question_id)}
        return _questions_page(request, session, user, need_id, errors, shown, status)

    target = partial(files.answer_target, session, user, need_id, question_id)
    done = f"/needs/{need_id}/questions#question-{question_id}"
    return upload(request, session, uploads, user, form, target, done, again)
