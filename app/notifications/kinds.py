"""What each kind of notification says, to whom it can go, and its e-mail.

A notification stores its kind and params; the text is rendered in the reader's locale when
it is read (pages, API) and in the recipient's `User.locale` when its e-mail is written.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app import formats, vocab
from app.i18n import gettext, normalize_locale
from app.matches.reasons import level_label
from app.models import Role
from app.needs import amendments


def _(message: str) -> str:
    """Marks a msgid for extraction; translated when rendered."""
    return message


SUPPLIER, MANUFACTURER, COORDINATOR = (Role.supplier,), (Role.manufacturer,), (Role.coordinator,)
PARTIES = (Role.supplier, Role.manufacturer)


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # what the e-mail preference is called
    text: str  # the notice, with %(params)s
    roles: tuple[Role, ...]  # who can receive it (the preferences page lists these)


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind(
            "invited",
            _("Invitations to bid"),
            _("You are invited to bid on “%(title)s”."),
            SUPPLIER,
        ),
        Kind(
            "question_answered",
            _("Answers to questions on needs you bid on or were invited to"),
            _("A question on “%(title)s” was answered."),
            SUPPLIER,
        ),
        Kind(
            "deadline_near",
            _("Bidding deadlines coming up"),
            _("Bidding on “%(title)s” closes at %(deadline)s."),
            SUPPLIER,
        ),
        Kind(
            "bid_outcome",
            _("The outcome of your bids"),
            _("Another supplier was selected for “%(title)s”. Thank you for your bid."),
            SUPPLIER,
        ),
        Kind(
            "need_matched",
            _("New needs matching your saved searches"),
            _("A new need matches your saved search “%(search)s” (fit: %(level)s): “%(title)s”."),
            SUPPLIER,
        ),
        Kind(
            "need_amended",
            _("Amendments to needs you bid on, were invited to or asked about"),
            _("“%(title)s” was amended (addendum %(number)s): %(fields)s."),
            SUPPLIER,
        ),
        Kind(
            "question_asked",
            _("Questions from suppliers"),
            _("A supplier asked a question on “%(title)s”: answer it for every bidder."),
            MANUFACTURER,
        ),
        Kind(
            "bids_ready",
            _("Bids ready to compare after the deadline"),
            _("Bidding on “%(title)s” has closed with %(count)s bids: compare them and select."),
            MANUFACTURER,
        ),
        Kind(
            "proposal_to_decide",
            _("Suppliers proposed by a coordinator"),
            _("A coordinator proposed a supplier for “%(title)s”: accept or decline."),
            MANUFACTURER,
        ),
        Kind(
            "award_rejected",
            _("Selections a coordinator did not approve"),
            _("A coordinator did not approve your selection for “%(title)s”: select again."),
            MANUFACTURER,
        ),
        Kind(
            "award_to_approve",
            _("Selections to approve"),
            _("A selection for “%(title)s” waits for your approval."),
            COORDINATOR,
        ),
        Kind(
            "stage_to_sign_off",
            _("Stages ready for sign-off"),
            _("The %(stage)s stage of “%(title)s” is ready for sign-off."),
            COORDINATOR,
        ),
        Kind(
            "result_to_verify",
            _("Results to verify"),
            _("A %(metric)s result for “%(title)s” waits for verification."),
            COORDINATOR,
        ),
        Kind(
            "stage_moved",
            _("Stage moves of your engagements"),
            _("“%(title)s” moved to the %(stage)s stage (signed off by a coordinator)."),
            PARTIES,
        ),
        Kind(
            "engagement_cancelled",
            _("Cancelled engagements"),
            _("“%(title)s” was cancelled by a coordinator: %(reason)s"),
            PARTIES,
        ),
        Kind(
            "agreement_confirmed",
            _("Agreements the other side confirmed"),
            _("%(side)s confirmed version %(number)s of the agreement for “%(title)s”."),
            PARTIES,
        ),
        Kind(
            "agreement_amended",
            _("Amended agreements to confirm again"),
            _(
                "The agreement for “%(title)s” was amended (version %(number)s): read it and "
                "confirm it again."
            ),
            PARTIES,
        ),
        Kind(
            "milestone_delivered",
            _("Milestones delivered to you"),
            _("The supplier delivered “%(milestone)s” for “%(title)s”: review and accept it."),
            MANUFACTURER,
        ),
        Kind(
            "milestone_accepted",
            _("Milestones the manufacturer accepted"),
            _("The manufacturer accepted “%(milestone)s” for “%(title)s”."),
            SUPPLIER,
        ),
        Kind(
            "result_verified",
            _("Results a coordinator verified"),
            _("The %(metric)s result for “%(title)s” was verified by a coordinator."),
            PARTIES,
        ),
        Kind(
            "result_rejected",
            _("Results a coordinator did not accept"),
            _(
                "The %(metric)s result for “%(title)s” was not accepted: %(reason)s "
                "Record it again with evidence."
            ),
            PARTIES,
        ),
        Kind(
            "bidding_ended",
            _("Bidding ended early by a coordinator"),
            _(
                "Bidding on “%(title)s” was ended early by a coordinator, who proposes a "
                "supplier directly: %(reason)s"
            ),
            SUPPLIER,
        ),
        Kind(
            "membership_decided",
            _("Decisions on your membership"),
            _("Your membership of the support group is now: %(state)s. Reason: %(reason)s"),
            SUPPLIER,
        ),
        Kind(
            "proposal_declined",
            _("Proposals a manufacturer declined"),
            _("The manufacturer declined the supplier proposed for “%(title)s”."),
            COORDINATOR,
        ),
        Kind(
            "application_to_review",
            _("Supplier applications to review"),
            _("%(name)s applied to the support group again: review the application."),
            COORDINATOR,
        ),
        Kind(
            "need_to_check",
            _("First needs of new organisations to check"),
            _("%(name)s, a new organisation, published its first need “%(title)s”: check it."),
            COORDINATOR,
        ),
        Kind(
            "need_checked",
            _("The support group's check of your first need"),
            _("The support group checked “%(title)s”: it is published."),
            MANUFACTURER,
        ),
        Kind(
            "need_returned",
            _("Needs the support group returned to you"),
            _("The support group returned “%(title)s” to draft. Reason: %(reason)s"),
            MANUFACTURER,
        ),
        Kind(
            "membership_review_due",
            _("Admissions due for a re-check"),
            _(
                "The admission of %(name)s is due for a re-check by %(deadline)s; "
                "renew it, suspend it, or it expires."
            ),
            COORDINATOR,
        ),
        Kind(
            "supplier_not_admitted",
            _("Engagements whose supplier is no longer admitted"),
            _(
                "The supplier of “%(title)s” is %(state)s: cancel the engagement with a reason, "
                "or readmit the supplier."
            ),
            COORDINATOR,
        ),
    )
}
STATES = {
    "applied": _("applied, waiting for review"),
    "admitted": _("admitted"),
    "rejected": _("rejected"),
    "suspended": _("suspended"),
    "expired": _("expired (not re-checked in time)"),
}
SELECTED = _("You were selected for “%(title)s”: the engagement has started.")
UNLEVELLED = _("A new need matches your saved search “%(search)s”: “%(title)s”.")  # before levels
REOPENED = _(
    "“%(title)s” was amended (addendum %(number)s): %(fields)s. A bid made before it must be "
    "confirmed or revised before the deadline."
)
SIDES = {"supplier": _("The supplier"), "manufacturer": _("The manufacturer")}
STAGES = {
    "consulting": _("Consulting"),
    "design": _("On-site design"),
    "demonstration": _("Demonstration"),
    "deployment": _("Deployment"),
    "closed": _("Completed"),
}


def kinds_for(role: Role) -> list[Kind]:
    return [k for k in KINDS.values() if role in k.roles]


def _localised(params: dict[str, Any], locale: str) -> dict[str, Any]:
    """Codes in params become labels in the reader's language; dates become Seoul time."""
    values = dict(params)
    if "stage" in values:
        values["stage"] = gettext(locale, STAGES.get(values["stage"], values["stage"]))
    if "side" in values:
        values["side"] = gettext(locale, SIDES.get(values["side"], values["side"]))
    if "state" in values:
        values["state"] = gettext(locale, STATES.get(values["state"], values["state"]))
    if "metric" in values and values["metric"] in vocab.KPI_METRICS:
        values["metric"] = vocab.KPI_METRICS[values["metric"]].label(locale)
    if "level" in values:
        values["level"] = level_label(
            values["level"] if values["level"] != "none" else None, locale
        )
    if isinstance(values.get("fields"), list):
        values["fields"] = amendments.labels(values["fields"], locale)
    if "deadline" in values:
        values["deadline"] = formats.when(datetime.fromisoformat(values["deadline"]), locale)
    return values


def describe(kind: str, params: dict[str, Any], locale: str) -> str:
    """The notice in `locale`; an unknown kind (from a newer version) shows its code."""
    found = KINDS.get(kind)
    if found is None:
        return kind
    text = found.text
    if kind == "bid_outcome" and params.get("outcome") == "selected":
        text = SELECTED
    if kind == "need_matched" and "level" not in params:
        text = UNLEVELLED
    if kind == "need_amended" and params.get("reopens"):
        text = REOPENED
    try:
        return gettext(normalize_locale(locale), text, **_localised(params, locale))
    except (KeyError, ValueError, TypeError):
        return gettext(normalize_locale(locale), found.label)


def email(
    kind: str, params: dict[str, Any], link: str, locale: str, base_url: str
) -> dict[str, str]:
    """Subject and plain-text body of the e-mail for one notification, in `locale`."""
    locale = normalize_locale(locale)
    text = describe(kind, params, locale)
    root = base_url.rstrip("/")
    body = "\n\n".join(
        [
            text,
            gettext(locale, "Open it here: %(url)s", url=root + (link or "/notifications")),
            "-- \n"
            + gettext(locale, "axmatch · Gyeongnam Manufacturing AI Support Group")
            + "\n"
            + gettext(
                locale, "Choose which e-mails you get: %(url)s", url=root + "/account/notifications"
            ),
        ]
    )
    return {"subject": f"[axmatch] {text}"[:300], "body": body}
