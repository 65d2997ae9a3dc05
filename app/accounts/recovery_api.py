"""JSON routes for passwords, addresses, consent and the two-step login."""

from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import StringConstraints

from app.accounts import recovery, totp
from app.accounts.schemas import (
    CodeIn,
    MessageOut,
    PasswordChange,
    PasswordConfirm,
    RecoveryCodesOut,
    ResetRequest,
    TotpDisable,
    TotpEnrolment,
)
from app.auth import CurrentUser, DbSession, roles
from app.i18n import Msgid, gettext
from app.models import Role
from app.schemas import Input, OneLine, Password
from app.web import client_ip, request_locale

router = APIRouter(prefix="/api", tags=["accounts"])
Secret = Annotated[str, StringConstraints(min_length=10, max_length=200), OneLine]
SENT = Msgid("If an account uses this address, we sent it a link to reset the password.")


class ResetWithToken(Input):
    token: Secret
    password: Password


class TokenIn(Input):
    token: Secret


def _message(request: Request, text: str) -> MessageOut:
    return MessageOut(message=gettext(request_locale(request), text))


@router.post("/password/forgot", status_code=202, responses={429: {"description": "Throttled"}})
def forgot(data: ResetRequest, request: Request, session: DbSession) -> MessageOut:
    """The same answer for every address, known or not."""
    recovery.request_reset(session, data.email, client_ip(request))
    return _message(request, SENT)


@router.post("/password/reset", responses={404: {"description": "Link not valid or expired"}})
def reset(data: ResetWithToken, request: Request, session: DbSession) -> MessageOut:
    recovery.reset_password(session, data.token, data.password)
    return _message(request, Msgid("Your password is reset: log in with the new one."))


@router.post("/verify", responses={404: {"description": "Link not valid or expired"}})
def verify(data: TokenIn, request: Request, session: DbSession) -> MessageOut:
    recovery.verify_email(session, data.token)
    return _message(request, Msgid("Your e-mail address is confirmed."))


@router.post("/me/verification", status_code=202)
def resend_verification(request: Request, session: DbSession, user: CurrentUser) -> MessageOut:
    sent = recovery.resend_verification(session, user, client_ip(request))
    sent_text = Msgid("We sent you a new confirmation link.")
    return _message(request, sent_text if sent else Msgid("Your e-mail address is confirmed."))


@router.post("/me/password", responses={422: {"description": "Wrong or weak password"}})
def change_password(
    data: PasswordChange, request: Request, session: DbSession, user: CurrentUser
) -> MessageOut:
    """Every browser session of the user ends; API tokens stay."""
    recovery.change_password(session, user, data.current_password, data.new_password, None)
    return _message(request, Msgid("Your password is changed; your other sessions are signed out."))


@router.post("/me/withdraw")
def withdraw(
    data: PasswordConfirm, request: Request, session: DbSession, user: CurrentUser
) -> MessageOut:
    """Withdraw consent to the use of personal data: the account is deactivated."""
    recovery.withdraw_consent(session, user, data.password)
    return _message(request, Msgid("Your consent is withdrawn and your account is deactivated."))


totp_router = APIRouter(
    prefix="/api/me/totp", tags=["accounts"], dependencies=roles(Role.coordinator, Role.admin)
)


@totp_router.post("", status_code=201, responses={409: {"description": "On already"}})
def totp_start(session: DbSession, user: CurrentUser) -> TotpEnrolment:
    """A new secret and its otpauth:// URI for the authenticator app; in force once confirmed."""
    secret = totp.start(session, user)
    return TotpEnrolment(secret=secret, uri=totp.uri(user))


@totp_router.post("/confirm", responses={422: {"description": "Wrong code"}})
def totp_confirm(data: CodeIn, session: DbSession, user: CurrentUser) -> RecoveryCodesOut:
    """The recovery codes are shown this once; only their hashes are kept."""
    return RecoveryCodesOut(recovery_codes=totp.confirm(session, user, data.code))


@totp_router.post("/disable", responses={422: {"description": "Wrong password or code"}})
def totp_disable(
    data: TotpDisable, request: Request, session: DbSession, user: CurrentUser
) -> MessageOut:
    totp.disable(session, user, data.password, data.code)
    return _message(request, Msgid("Two-step login is off."))
