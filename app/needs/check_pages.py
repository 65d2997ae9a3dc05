"""HTML routes for the check of new organisations' first needs, beside the applications."""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.auth import CurrentUser, DbSession, roles
from app.i18n import Msgid
from app.models import Role
from app.needs import checks
from app.needs.schemas import CheckIn, ReturnIn
from app.schemas import RowId
from app.web import Ask, Form, confirm_step, flash, form_dict, render, submit

router = APIRouter(prefix="/coordinator/checks", dependencies=roles(Role.coordinator, Role.admin))
QUEUE = "/coordinator/checks"


def _queue(
    request: Request, session: DbSession, errors: dict[str, str], status: int = 200
) -> Response:
    context = {"needs": checks.pending(session), "errors": errors}
    return render(request, "coordinator/checks.html", context, status)


@router.get("")
def queue(request: Request, session: DbSession) -> Response:
    return _queue(request, session, {})


@router.post("/{need_id}/approve")
def approve(
    request: Request, form: Form, need_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    def act(data: CheckIn) -> Response:
        checks.approve(session, user, need_id, data.version, data.reason)
        return flash(request, QUEUE, Msgid("The need is published."))

    return _decide(request, form, session, need_id, CheckIn, act, APPROVE)


@router.post("/{need_id}/return")
def send_back(
    request: Request, form: Form, need_id: RowId, session: DbSession, user: CurrentUser
) -> Response:
    def act(data: ReturnIn) -> Response:
        checks.send_back(session, user, need_id, data.version, data.reason)
        return flash(request, QUEUE, Msgid("The need was returned to the manufacturer."))

    return _decide(request, form, session, need_id, ReturnIn, act, RETURN)


def _decide(
    request: Request,
    form: Form,
    session: DbSession,
    need_id: int,
    model: type[CheckIn],
    act: Callable[[Any], Response],
    words: tuple[Msgid, Msgid, Msgid, Msgid],
) -> Response:
    """Confirmed first; errors and refusals show the queue again with the reason."""

    def again(errors: dict[str, str], status: int) -> Response:
        return _queue(request, session, errors, status)

    def ask(_: CheckIn) -> Response | None:
        checks.waiting(session, need_id)  # nothing to confirm for a need not in the queue
        title, happens, told, button = words
        return confirm_step(request, form, Ask(title, happens, told, QUEUE, button=button))

    return submit(request, session, model, form_dict(form), act, again, ask=ask)


APPROVE = (
    Msgid("Approve and publish this need?"),
    Msgid(
        "The need is published now: readiness routing runs, suppliers see it and alerts"
        " go out. The organisation's later needs publish without a check."
    ),
    Msgid(
        "The manufacturer is sent a notice and an e-mail;"
        " matching suppliers get their usual alerts."
    ),
    Msgid("Approve and publish"),
)
RETURN = (
    Msgid("Return this need to the manufacturer?"),
    Msgid(
        "The need goes back to draft, unseen by suppliers;"
        " the manufacturer may change it and publish again."
    ),
    Msgid("The manufacturer is sent a notice and an e-mail with your reason."),
    Msgid("Return to the manufacturer"),
)
