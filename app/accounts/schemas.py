from typing import Annotated, Literal

from pydantic import BaseModel, StringConstraints, field_validator

from app.accounts import passwords
from app.schemas import Email, Input, Name, OneLine, Password, Title


class Registration(Input):
    kind: Literal["manufacturer", "supplier"]
    organization_name: Title
    name: Name
    email: Email
    password: Password

    _strong = field_validator("password")(passwords.strong)


class Login(Input):
    email: Email
    password: Annotated[str, StringConstraints(min_length=1, max_length=200), OneLine]


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


class UserOut(BaseModel):
    id: int
    email: str
    name: str
    role: str
    locale: str
    organization_id: int
    organization_name: str


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
