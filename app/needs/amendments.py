"""Addenda: once a need is published it changes only by a numbered addendum that says what
changed, is shown on the need, and is told to every bidder, invitee and asker (the
"need.amended" audit entry; app/notifications/events.py). An addendum to budget, deadline,
KPIs or requirements reopens bids for confirmation (`Need.confirm_from`; `Bid.needs_confirmation`).

The rules, checked before anything is written:
- once the deadline has passed the need is awaiting selection and can no longer be amended
  (its bids are open to the manufacturer; changing the terms then would be unfair);
- a deadline moved earlier, and any addendum that reopens bids, must leave bidders at least
  `AXMATCH_AMEND_MIN_NOTICE_HOURS` (default 72) before the deadline.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app import audit, formats, vocab
from app.config import get_settings
from app.errors import Conflict, Invalid
from app.i18n import gettext
from app.models import Need, NeedAmendment, User, utcnow


def _(message: str) -> str:
    """Marks a msgid for extraction; translated when shown."""
    return message


# What each field is called on the need form (the same msgids).
LABELS = {
    "title": _("Title"),
    "description": _("Problem description"),
    "industry": _("Industry (KSIC)"),
    "process": _("Process"),
    "ai_techniques": _("AI techniques"),
    "specialties": _("Specialty fields"),
    "region": _("Region"),
    "prefer_in_province": _("Prefer suppliers from Gyeongnam"),
    "kpis": _("Goal KPIs"),
    "budget_min": _("Budget from (10,000 KRW)"),
    "budget_max": _("Budget to (10,000 KRW)"),
    "timeline_months": _("Desired timeline (months)"),
    "subsidy_share": _("Government programme share (%)"),
    "deadline_at": _("Bidding deadline"),
    "data_available": _("Data available"),
    "must_have": _("Must-have requirements"),
    "nice_to_have": _("Nice-to-have requirements"),
}
CODES = {
    "industry": vocab.INDUSTRIES,
    "process": vocab.PROCESSES,
    "region": vocab.REGIONS,
    "ai_techniques": vocab.AI_TECHNIQUES,
    "specialties": vocab.SPECIALTIES,
}

# What bidders priced and planned against: a change here reopens bids for confirmation.
REOPENING = (
    "budget_min",
    "budget_max",
    "subsidy_share",
    "timeline_months",
    "deadline_at",
    "kpis",
    "must_have",
    "nice_to_have",
)
PRIVATE = frozenset({"confidential_notes"})  # never in an addendum: bidders cannot see it


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field -> {"before", "after"} for every public field that differs (JSON-ready)."""
    return {
        field: {"before": _plain(before[field]), "after": _plain(after[field])}
        for field in after
        if field not in PRIVATE and after[field] != before[field]
    }


def reopens(changed: dict[str, Any]) -> bool:
    return any(field in changed for field in REOPENING)


def require_amendable(need: Need) -> None:
    if need.bids_unsealed(utcnow()):
        raise Conflict(
            "Bidding on this need has closed: it awaits selection and can no longer be amended."
        )


def check(need: Need, changed: dict[str, Any], deadline: datetime | None) -> None:
    """Refuse an addendum the rules above do not allow (nothing has been written yet)."""
    now = utcnow()
    require_amendable(need)
    if deadline is None or deadline <= now:
        raise Invalid("Set a bidding deadline in the future.")
    hours = get_settings().amend_min_notice_hours
    earlier = need.deadline_at is not None and deadline < need.deadline_at
    if (earlier or reopens(changed)) and deadline < now + timedelta(hours=hours):
        raise Invalid(
            "An amendment that moves the deadline earlier or changes budget, deadline, KPIs or "
            "requirements must leave bidders at least %(hours)s hours: set the deadline later.",
            hours=hours,
        )


def record(
    session: Session, user: User, need: Need, changed: dict[str, Any], reason: str | None
) -> NeedAmendment:
    """Number the addendum, mark bids for confirmation if it reopens them, and audit it (which
    notifies the bidders, invitees and askers)."""
    need.amendment += 1
    reopening = reopens(changed)
    if reopening:
        need.confirm_from = need.amendment
    addendum = NeedAmendment(
        number=need.amendment,
        changes=changed,
        reopens=reopening,
        reason=reason,
        created_by_id=user.id,
    )
    need.amendments.append(addendum)
    session.flush()
    after = {"amendment": addendum.number, "fields": list(changed), "reopens": reopening}
    audit.record(session, user, "need.amended", need, after=after, reason=reason)
    return addendum


@dataclass(frozen=True)
class Line:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Addendum:
    """One addendum as the need page shows it, in the reader's language."""

    number: int
    created_at: datetime
    reopens: bool
    reason: str | None
    lines: list[Line]


def addenda(need: Need, locale: str) -> list[Addendum]:
    """Newest first."""
    return [
        Addendum(
            a.number,
            a.created_at,
            a.reopens,
            a.reason,
            [
                Line(
                    field,
                    label(field, locale),
                    shown(field, c["before"], locale),
                    shown(field, c["after"], locale),
                )
                for field, c in a.changes.items()
            ],
        )
        for a in reversed(need.amendments)
    ]


def label(field: str, locale: str) -> str:
    return gettext(locale, LABELS.get(field, field))


def labels(fields: list[str], locale: str) -> str:
    return ", ".join(label(field, locale) for field in fields)


def shown(field: str, value: Any, locale: str) -> str:
    """A before/after value as the reader reads it: labels for codes, Seoul time, KPI rows."""
    if value is None or value == []:
        return "—"
    if field == "deadline_at":
        return formats.when(datetime.fromisoformat(value), locale)
    if field == "kpis":
        return "; ".join(_kpi(row, locale) for row in value)
    if field in CODES:
        terms = CODES[field]
        codes = value if isinstance(value, list) else [value]
        return ", ".join(terms[c].label(locale) if c in terms else str(c) for c in codes)
    if isinstance(value, bool):
        return gettext(locale, "Yes") if value else gettext(locale, "No")
    if isinstance(value, list):
        return " / ".join(str(v) for v in value)
    return str(value)


def _kpi(row: dict[str, Any], locale: str) -> str:
    metric = row.get("metric", "")
    name = vocab.KPI_METRICS[metric].label(locale) if metric in vocab.KPI_METRICS else metric
    unit = row.get("unit") or ""
    shown = [formats.measure(row.get(k), unit, locale) for k in ("baseline", "target")]
    return f"{name} {shown[0]} → {shown[1]}"
