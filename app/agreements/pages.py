"""HTML routes for the agreement page: read the terms and every version, confirm (parties),
attach the signed document, amend and record tranches (coordinators)."""

from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel

from app.agreements import payments, service
from app.agreements.schemas import AmendIn, ConfirmIn, PaymentIn
from app.agreements.settlement import load_settlement
from app.auth import CurrentUser, DbSession, roles
from app.engagements.pages import section_form
from app.files import service as files
from app.files.download import UploadsDep
from app.files.pages import upload
from app.i18n import Msgid
from app.models import Role, User
from app.web import Ask, Form, accepts_uploads, render

router = APIRouter(
    dependencies=roles(Role.manufacturer, Role.supplier, Role.coordinator, Role.admin)
)
STAFF = roles(Role.coordinator, Role.admin)
Failed = tuple[str, dict[str, str], dict[str, Any]]


def _page(
    request: Request,
    session: DbSession,
    user: User,
    engagement_id: int,
    failed: Failed | None = None,
    status: int = 200,
) -> Response:
    found = load_settlement(session, user, engagement_id)
    name, errors, form = failed or ("", {}, {})
    context = {"s": found, "e": found.engagement, "a": found.current, "failed": name}
    context |= {"errors": errors, "form": form, "kinds": payments.KIND_NAMES}
    return render(request, "agreements/page.html", context, status)


@router.get("/engagements/{engagement_id:int}/agreement")
def page(request: Request, engagement_id: int, session: DbSession, user: CurrentUser) -> Response:
    return _page(request, session, user, engagement_id)


def _act(
    request: Request,
    form: Form,
    session: DbSession,
    user: User,
    ids: tuple[int, str],
    model: type[BaseModel],
    action: Callable[[Any], object],
    ask: Ask | None = None,
) -> Response:
    """One form of the agreement page, back to its section (with a message once done)."""
    engagement_id, name = ids

    def again(data: dict[str, Any], errors: dict[str, str], status: int) -> Response:
        return _page(request, session, user, engagement_id, (name, errors, data), status)

    back = f"/engagements/{engagement_id}/agreement#{name}"
    message = DONE.get(name)
    return section_form(
        request,
        form,
        session,
        user,
        engagement_id,
        back,
        model,
        action,
        again,
        (lambda parsed: ask) if ask is not None else None,
        (lambda parsed: message) if message is not None else None,
    )


DONE = {
    "confirm": Msgid("You confirmed the agreement."),
    "amend": Msgid("The agreement is amended; both parties are asked to confirm it again."),
}
CONFIRM_WORDS = (
    Msgid("Confirm this agreement?"),
    Msgid(
        "Your organisation agrees to this version's scope, price and split, schedule and KPIs;"
        " a confirmation is not withdrawn (an amendment makes a new version)."
    ),
    Msgid("The other party is sent a notice."),
    Msgid("Confirm the agreement"),
)


@router.post("/engagements/{engagement_id:int}/agreement/confirm")
def confirm(
    request: Request, form: Form, engagement_id: int, session: DbSession, user: CurrentUser
) -> Response:
    def go(p: ConfirmIn) -> object:
        return service.confirm(session, user, engagement_id, p.number)

    title, happens, told, button = CONFIRM_WORDS
    back = f"/engagements/{engagement_id}/agreement"
    ask = Ask(title, happens, told, back, button=button)
    return _act(request, form, session, user, (engagement_id, "confirm"), ConfirmIn, go, ask)


@router.post("/engagements/{engagement_id:int}/agreement/amend", dependencies=STAFF)
def amend(
    request: Request, form: Form, engagement_id: int, session: DbSession, user: CurrentUser
) -> Response:
    def go(p: AmendIn) -> object:
        return service.amend(session, user, engagement_id, p)

    return _act(request, form, session, user, (engagement_id, "amend"), AmendIn, go)


@router.post("/engagements/{engagement_id:int}/payments", dependencies=STAFF)
def record_payment(
    request: Request, form: Form, engagement_id: int, session: DbSession, user: CurrentUser
) -> Response:
    def go(p: PaymentIn) -> object:
        return payments.record_payment(session, user, engagement_id, p)

    return _act(request, form, session, user, (engagement_id, "payments"), PaymentIn, go)


@router.post(
    "/engagements/{engagement_id:int}/agreement/files", dependencies=[Depends(accepts_uploads)]
)
def upload_signed(
    request: Request,
    form: Form,
    engagement_id: int,
    session: DbSession,
    uploads: UploadsDep,
    user: CurrentUser,
) -> Response:
    def again(errors: dict[str, str], status: int) -> Response:
        return _page(request, session, user, engagement_id, ("signed", errors, {}), status)

    target = partial(files.agreement_target, session, user, engagement_id)
    done = f"/engagements/{engagement_id}/agreement#signed"
    return upload(request, session, uploads, user, form, target, done, again)


@router.post(
    "/engagements/{engagement_id:int}/payments/{payment_id:int}/files",
    dependencies=[*STAFF, Depends(accepts_uploads)],
)
def upload_evidence(
    request: Request,
    form: Form,
    engagement_id: int,
    payment_id: int,
    session: DbSession,
    uploads: UploadsDep,
    user: CurrentUser,
) -> Response:
    name = f"evidence-{payment_id}"

    def again(errors: dict[str, str], status: int) -> Response:
        return _page(request, session, user, engagement_id, (name, errors, {}), status)

    target = partial(files.payment_target, session, user, engagement_id, payment_id)
    done = f"/engagements/{engagement_id}/agreement#payment-{payment_id}"
    return upload(request, session, uploads, user, form, target, done, again)
