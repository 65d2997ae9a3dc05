"""The optional second factor of staff accounts: TOTP (RFC 6238, through pyotp) and ten
single-use recovery codes, stored as argon2 hashes.

Enrolment shows the secret and its otpauth:// URI as text (no QR image, no outside asset);
the factor is on once a first code from the app is confirmed. A code is accepted for the
step before and after the current one (clock drift) and never twice.
"""

import secrets
import time
from datetime import timedelta

import pyotp
from sqlalchemy.orm import Session

from app.accounts import tokens
from app.accounts.service import check_throttle, hasher, password_ok
from app.audit import record
from app.config import get_settings
from app.errors import Conflict, Forbidden, Invalid
from app.i18n import Msgid
from app.models import LoginAttempt, Role, TokenPurpose, User, utcnow

ISSUER = "axmatch"
STEP = 30  # seconds, the RFC's and every authenticator app's default
RECOVERY_CODES = 10
MAY_ENROL = (Role.coordinator, Role.admin)
WRONG_CODE = Msgid("This code is not correct.")


def enabled(user: User) -> bool:
    return user.totp_enabled_at is not None


def uri(user: User) -> str:
    assert user.totp_secret is not None
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def start(session: Session, user: User) -> str:
    """A new secret, not in force until `confirm`; returns it."""
    if user.role not in MAY_ENROL:
        raise Forbidden("Two-step login is for coordinators and administrators.")
    if enabled(user):
        raise Conflict("Two-step login is on already: turn it off first.")
    user.totp_secret = pyotp.random_base32()
    return user.totp_secret


def _totp_step(user: User, code: str) -> int | None:
    """The time step `code` is valid for (now, or one step either side), else None."""
    if user.totp_secret is None or not code.isdigit() or len(code) != 6:
        return None
    totp, now = pyotp.TOTP(user.totp_secret), int(time.time())
    for step in (now // STEP, now // STEP - 1, now // STEP + 1):
        if secrets.compare_digest(totp.at(step * STEP), code):
            return step
    return None


def confirm(session: Session, user: User, code: str) -> list[str]:
    """Turn the factor on with a first code; returns the recovery codes (shown once)."""
    if user.totp_secret is None or enabled(user):
        raise Conflict("Start the set-up of two-step login first.")
    step = _totp_step(user, code)
    if step is None:
        raise Invalid(WRONG_CODE)
    codes = [
        f"{secrets.token_hex(3)[:5]}-{secrets.token_hex(3)[:5]}" for _ in range(RECOVERY_CODES)
    ]
    user.totp_last_step, user.totp_enabled_at = step, utcnow()
    user.recovery_hashes = [hasher.hash(c) for c in codes]
    record(session, user, "user.totp_enabled", user)
    return codes


def check(user: User, code: str) -> bool:
    """A current code not used before, or an unused recovery code (which is spent)."""
    if not enabled(user):
        return False
    step = _totp_step(user, code)
    if step is not None and (user.totp_last_step is None or step > user.totp_last_step):
        user.totp_last_step = step
        return True
    for stored in user.recovery_hashes:
        if password_ok(stored, code.lower()):
            user.recovery_hashes = [h for h in user.recovery_hashes if h != stored]
            return True
    return False


def disable(session: Session, user: User, password: str, code: str) -> None:
    if not enabled(user):
        raise Conflict("Two-step login is off.")
    if not password_ok(user.password_hash, password) or not check(user, code):
        raise Invalid("The password or the code is not correct.")
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    user.recovery_hashes = []
    record(session, user, "user.totp_disabled", user)


def begin_login(session: Session, user: User) -> str:
    """The password was right: a short-lived secret for the code step (a cookie)."""
    minutes = get_settings().second_factor_minutes
    return tokens.issue(session, user, TokenPurpose.second_factor, timedelta(minutes=minutes))


def pending_login(session: Session, secret: str) -> User:
    return tokens.find(session, secret, TokenPurpose.second_factor).user


def passes(session: Session, user: User, code: str | None, ip: str) -> bool:
    """Whether `code` completes the login of `user`; wrong codes are throttled like
    passwords (the failure is recorded: the caller must not roll it back)."""
    check_throttle(session, user.email, ip, "second_factor")
    if code and check(user, code):
        return True
    session.add(LoginAttempt(email=user.email, ip=ip, kind="second_factor"))
    return False


def finish_login(session: Session, secret: str, code: str, ip: str) -> User | None:
    """The user once the code is right (the step's secret is spent), else None."""
    user = pending_login(session, secret)
    if not passes(session, user, code, ip):
        return None
    return tokens.spend(session, secret, TokenPurpose.second_factor)
