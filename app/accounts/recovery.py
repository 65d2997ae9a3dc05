"""Passwords and addresses: change, forgotten-password reset, e-mail verification, and
withdrawal of consent (which deactivates the account).

A reset request answers the same whatever the address: it is throttled per address and per
client before the address is looked up, records an attempt either way, and makes a secret
either way; only a known, active address gets the e-mail.
"""

import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.accounts import mail, passwords, tokens
from app.accounts.service import (
    check_throttle,
    hasher,
    normalize_email,
    password_ok,
    send_verification,
)
from app.audit import record
from app.config import get_settings
from app.errors import Forbidden, Invalid
from app.i18n import Msgid
from app.models import ApiToken, LoginAttempt, TokenPurpose, User, UserSession, utcnow

WRONG_PASSWORD = Msgid("Your current password is not correct.")
UNVERIFIED = Msgid(
    "Confirm your e-mail address first: open the link we sent you, or send it again from "
    "your account page."
)


def _set_password(user: User, password: str) -> None:
    if passwords.is_weak(
        password, passwords.hints_of(user.email, user.name, user.organization.name)
    ):
        raise Invalid(passwords.WEAK)
    user.password_hash = hasher.hash(password)
    user.password_changed_at = utcnow()


def revoke_sessions(
    session: Session, user: User, keep: str | None = None, tokens_too: bool = False
) -> dict[str, int]:
    """End the user's sessions (all but the one whose cookie is `keep`), and API tokens with
    `tokens_too`, so their next request is unauthenticated; returns the counts."""
    now = utcnow()
    models: list[type[UserSession] | type[ApiToken]] = [UserSession]
    counts = {}
    for model in models + ([ApiToken] if tokens_too else []):
        query = update(model).where(model.user_id == user.id, model.revoked_at.is_(None))
        if keep is not None and model is UserSession:
            query = query.where(UserSession.token_hash != tokens.token_hash(keep))
        result = session.execute(
            query.values(revoked_at=now).execution_options(synchronize_session="fetch")
        )
        name = "sessions_revoked" if model is UserSession else "tokens_revoked"
        counts[name] = result.rowcount  # type: ignore[attr-defined]
    return counts


def change_password(session: Session, user: User, current: str, new: str, keep: str | None) -> int:
    """With the current password; every other session of the user is signed out."""
    if not password_ok(user.password_hash, current):
        raise Invalid(WRONG_PASSWORD)
    _set_password(user, new)
    ended = revoke_sessions(session, user, keep)
    record(session, user, "user.password_changed", user, after=ended)
    return ended["sessions_revoked"]


def request_reset(session: Session, email: str, ip: str) -> None:
    email = normalize_email(email)
    check_throttle(session, email, ip, "reset")
    session.add(LoginAttempt(email=email, ip=ip, kind="reset"))
    user = session.scalar(select(User).where(User.email == email))
    if user is None or not user.is_active:
        secrets.token_urlsafe(32)  # the same work as a real request
        return
    send_reset(session, user)


def send_reset(session: Session, user: User) -> None:
    minutes = get_settings().reset_minutes
    secret = tokens.issue(session, user, TokenPurpose.reset, timedelta(minutes=minutes))
    url = mail.link(f"/reset/{secret}")
    mail.send(session, user.email, "reset", user.locale, name=user.name, url=url, minutes=minutes)


def reset_password(session: Session, secret: str, new: str) -> User:
    """Spend the link, set the password, sign out every session and API token; a reset proves
    the address too."""
    user = tokens.spend(session, secret, TokenPurpose.reset)
    _set_password(user, new)
    user.email_verified_at = user.email_verified_at or utcnow()
    ended = revoke_sessions(session, user, tokens_too=True)
    record(session, user, "user.password_reset", user, after=ended)
    return user


def reset_access(session: Session, actor: User, user: User) -> None:
    """An administrator's reset: every session and token ends, and a reset e-mail goes out."""
    ended = revoke_sessions(session, user, tokens_too=True)
    send_reset(session, user)
    record(session, actor, "user.access_reset", user, after=ended)


def verify_email(session: Session, secret: str) -> User:
    user = tokens.spend(session, secret, TokenPurpose.verify)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        record(session, user, "user.email_verified", user, after={"email": user.email})
    return user


def resend_verification(session: Session, user: User, ip: str) -> bool:
    """False when the address is confirmed already (nothing sent)."""
    if user.email_verified_at is not None:
        return False
    check_throttle(session, user.email, ip, "reset")
    session.add(LoginAttempt(email=user.email, ip=ip, kind="reset"))
    send_verification(session, user)
    return True


def require_verified(user: User) -> None:
    """Publishing a need and bidding wait for a confirmed address."""
    if user.email_verified_at is None:
        raise Forbidden(UNVERIFIED)


def withdraw_consent(session: Session, user: User, password: str) -> None:
    """Withdrawal of consent to the use of personal data: the account is deactivated and
    every session and token ends (the records stay, as the programme's rules require)."""
    if not password_ok(user.password_hash, password):
        raise Invalid(WRONG_PASSWORD)
    user.is_active = False
    ended = revoke_sessions(session, user, tokens_too=True)
    record(session, user, "user.consent_withdrawn", user,
           before={"consent_version": user.consent_version}, after=ended)  # fmt: skip
