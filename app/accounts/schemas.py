from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, field_validator

from app.accounts import passwords
from app.accounts.business import BusinessNumber
from app.i18n import Msgid
from app.schemas import Email, Input, Name, OneLine, Password, Title

NO_CONSENT = Msgid(
    "To register, agree to the collection and use of personal data (you may refuse, but "
    "then cannot use the service)."
)
AnyPassword = Annotated[str, StringConstraints(min_length=1, max_length=200), OneLine]
# Six digits from the authenticator app, or a recovery code (xxxxx-xxxxx)
Code = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=6, max_length=20), OneLine
]


def _agreed(value: bool) -> bool:
    if value is not True:
        raise ValueError(NO_CONSENT)
    return value


class Registration(Input):
    kind: Literal["manufacturer", "supplier"]
    organization_name: Title
    business_number: BusinessNumber
    name: Name
    email: Email
    password: Password
    # 개인정보 수집·이용 동의, required (the version is the server's); an unticked box sends
    # nothing, so the default is checked too and refused with the consent message.
    consent: bool = Field(False, validate_default=True)

    _strong = field_validator("password")(passwords.strong)
    _consent = field_validator("consent")(_agreed)


class PasswordChange(Input):
    current_password: AnyPassword
    new_password: Password


class ResetRequest(Input):
    email: Email


class ResetIn(Input):
    password: Password


class PasswordConfirm(Input):
    password: AnyPassword


class CodeIn(Input):
    code: Code


class TotpDisable(Input):
    password: AnyPassword
    code: Code


class Login(Input):
    email: Email
    password: AnyPassword


class AcceptInvite(Input):
    name: Name
    password: Password

    _strong = field_validator("password")(passwords.strong)


class InviteIn(Input):
    email: Email


class TokenIn(Input):
    name: Name


class LocaleIn(Input):
    locale: Literal["ko", "en"]


class TokenLogin(Login):
    token_name: Name = "api"
    totp_code: Code | None = None


class UserOut(BaseModel):
    id: int
    email: str
    name: str
    role: str
    locale: str
    organization_id: int
    organization_name: str
    email_verified: bool
    consent_version: str | None
    consent_at: str | None
    totp_enabled: bool


class TotpEnrolment(BaseModel):
    secret: str
    uri: str


class RecoveryCodesOut(BaseModel):
    recovery_codes: list[str]


class MessageOut(BaseModel):
    message: str


class TokenOut(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: str
    last_used_at: str | None
    revoked: bool


class NewTokenOut(TokenOut):
    token: str


class InvitationOut(BaseModel):
    id: int
    email: str
    expires_at: str
    accept_url: str
