"""Account e-mails (verification, password reset, invitation) in the recipient's language,
queued in the notifications outbox and sent by the worker. The link carries the secret; the
database keeps only its hash (app/accounts/tokens.py)."""

from sqlalchemy.orm import Session

from app.config import get_settings
from app.i18n import gettext, normalize_locale
from app.notifications.service import queue_email


def _(message: str) -> str:
    """Marks a msgid for extraction; translated when the e-mail is written."""
    return message


SUBJECTS = {
    "verify": _("Confirm your e-mail address"),
    "reset": _("Reset your password"),
    "invitation": _("You are invited to join %(org)s"),
}
BODIES = {
    "verify": _(
        "Hello %(name)s,\n\nconfirm that this is your e-mail address by opening the link "
        "below. Until then you cannot publish needs or submit bids.\n\n%(url)s\n\n"
        "The link works once and expires in %(hours)s hours."
    ),
    "reset": _(
        "Hello %(name)s,\n\nsomeone (we hope you) asked to reset the password of your "
        "axmatch account. Open the link below to choose a new one; all your sessions and API "
        "tokens have been or will be signed out.\n\n%(url)s\n\nThe link works once and expires "
        "in %(minutes)s minutes. If you did not ask for this, ignore this e-mail: your password "
        "stays as it is."
    ),
    "invitation": _(
        "Hello,\n\nyou are invited to join %(org)s on axmatch. Open the link below to choose "
        "your name and password.\n\n%(url)s\n\nThe invitation expires in %(days)s days."
    ),
}
SIGNATURE = _("axmatch · Gyeongnam Manufacturing AI Support Group")


def link(path: str) -> str:
    return get_settings().public_url.rstrip("/") + path


def send(session: Session, to: str, kind: str, locale: str, **params: object) -> None:
    locale = normalize_locale(locale)
    subject = gettext(locale, SUBJECTS[kind], **params)
    body = gettext(locale, BODIES[kind], **params) + "\n\n-- \n" + gettext(locale, SIGNATURE)
    queue_email(session, to, f"[axmatch] {subject}", body)
