"""HTML routes for passwords and addresses: forgotten password, reset link, change,
e-mail verification, withdrawal of consent, and the consent notice."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.accounts import recovery
from app.accounts.pages import account_page
from app.accounts.schemas import PasswordChange, PasswordConfirm, ResetIn, ResetRequest
from app.accounts.tokens import find
from app.auth import SESSION_COOKIE, CurrentUser, DbSession, OptionalUser
from app.models import TokenPurpose
from app.web import Form, client_ip, form_dict, redirect, render, submit

router = APIRouter()


def _password_field(_: object) -> str:
    return "password"


@router.get("/privacy")
def privacy(request: Request, user: OptionalUser) -> Response:
    return render(request, "accounts/privacy.html", {})


@router.get("/password/forgot")
def forgot_form(request: Request, user: OptionalUser) -> Response:
    return render(request, "accounts/forgot.html", {"form": {}, "errors": {}})


@router.post("/password/forgot")
def forgot(request: Request, form: Form, session: DbSession, user: OptionalUser) -> Response:
    """The same page for every address, known or not (throttling aside)."""
    data = form_dict(form)

    def act(parsed: ResetRequest) -> Response:
        recovery.request_reset(session, parsed.email, client_ip(request))
        return render(request, "accounts/forgot.html", {"form": {}, "errors": {}, "sent": True})

    def again(errors: dict[str, str], status: int) -> Response:
        return render(request, "accounts/forgot.html", {"form": data, "errors": errors}, status)

    return submit(request, session, ResetRequest, data, act, again)


@router.get("/reset/{secret}", name="reset_form")
def reset_form(request: Request, secret: str, session: DbSession, user: OptionalUser) -> Response:
    find(session, secret, TokenPurpose.reset)
    return render(request, "accounts/reset.html", {"secret": secret, "errors": {}})


@router.post("/reset/{secret}")
def reset(
    request: Request, secret: str, form: Form, session: DbSession, user: OptionalUser
) -> Response:
    def act(parsed: ResetIn) -> str:
        recovery.reset_password(session, secret, parsed.password)
        return "/login?done=reset"

    def again(errors: dict[str, str], status: int) -> Response:
        context = {"secret": secret, "errors": errors}
        return render(request, "accounts/reset.html", context, status)

    return submit(request, session, ResetIn, form_dict(form), act, again, field=_password_field)


@router.get("/verify/{secret}")
def verify_form(request: Request, secret: str, session: DbSession, user: OptionalUser) -> Response:
    """A page with a button: mail scanners that open links must not spend the secret."""
    find(session, secret, TokenPurpose.verify)
    return render(request, "accounts/verify.html", {"secret": secret})


@router.post("/verify/{secret}")
def verify(secret: str, session: DbSession, user: OptionalUser) -> Response:
    recovery.verify_email(session, secret)
    return redirect("/account?done=verified" if user else "/login?done=verified")


@router.post("/account/verification")
def resend_verification(request: Request, session: DbSession, user: CurrentUser) -> Response:
    recovery.resend_verification(session, user, client_ip(request))
    return redirect("/account?done=verification_sent")


@router.post("/account/password")
def change_password(
    request: Request, form: Form, session: DbSession, user: CurrentUser
) -> Response:
    keep = request.cookies.get(SESSION_COOKIE)

    def act(parsed: PasswordChange) -> str:
        recovery.change_password(session, user, parsed.current_password, parsed.new_password, keep)
        return "/account?done=password"

    def again(errors: dict[str, str], status: int) -> Response:
        return account_page(request, session, user, status, password_errors=errors)

    return submit(request, session, PasswordChange, form_dict(form), act, again,
                  field=_current_or_new)  # fmt: skip


def _current_or_new(exc: object) -> str:
    message = getattr(exc, "message", "")
    return "current_password" if message == recovery.WRONG_PASSWORD else "new_password"


@router.post("/account/withdraw")
def withdraw(request: Request, form: Form, session: DbSession, user: CurrentUser) -> Response:
    def act(parsed: PasswordConfirm) -> Response:
        recovery.withdraw_consent(session, user, parsed.password)
        response = redirect("/?done=withdrawn")
        response.delete_cookie(SESSION_COOKIE)
        return response

    def again(errors: dict[str, str], status: int) -> Response:
        return account_page(request, session, user, status, withdraw_errors=errors)

    return submit(request, session, PasswordConfirm, form_dict(form), act, again,
                  field=_password_field)  # fmt: skip
