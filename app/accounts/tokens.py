"""Single-use account secrets (reset and verification links, the second login step): the
secret goes to the user, only its SHA-256 is stored; spending one is a conditional UPDATE,
so two requests racing with one secret cannot both succeed."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from app.errors import NotFound
from app.i18n import Msgid
from app.models import AccountToken, TokenPurpose, User, utcnow

NOT_VALID = Msgid("This link is not valid or has expired.")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(session: Session, user: User, purpose: TokenPurpose, lifetime: timedelta) -> str:
    """A new secret for `user`; earlier unspent ones of the same purpose stop working."""
    now = utcnow()
    session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    secret = secrets.token_urlsafe(32)
    session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=token_hash(secret),
            expires_at=now + lifetime,
        )
    )
    session.flush()
    return secret


def find(session: Session, secret: str, purpose: TokenPurpose) -> AccountToken:
    """The live token for `secret`, without spending it; NotFound otherwise."""
    row = session.scalar(
        select(AccountToken)
        .options(joinedload(AccountToken.user).joinedload(User.organization))
        .where(AccountToken.token_hash == token_hash(secret[:200]))
    )
    if (
        row is None
        or row.purpose is not purpose
        or row.used_at is not None
        or row.expires_at <= utcnow()
        or not row.user.is_active
    ):
        raise NotFound(NOT_VALID)
    return row


def spend(session: Session, secret: str, purpose: TokenPurpose) -> User:
    """The user of a live token, which is used up by this call (and by no concurrent one)."""
    row = find(session, secret, purpose)
    taken = session.execute(
        update(AccountToken)
        .where(AccountToken.id == row.id, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(NOT_VALID)
    return row.user
