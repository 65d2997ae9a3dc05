"""Needs: who may see and change them, the draft -> open -> closed machine, search.

Every function takes the session first and only flushes; the request owns the transaction.
`viewer` is the acting User: ownership is checked here, by organisation (another
organisation's private need is NotFound, never Forbidden).
"""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, func, or_, select, true
from sqlalchemy.orm import Session, selectinload

from app import audit, vocab
from app.accounts.recovery import require_verified
from app.config import get_settings
from app.db import Page, expect_version, paginate
from app.errors import Conflict, Forbidden, Invalid, NotFound, NotMember
from app.models import (
    PUBLISHED_NEEDS,
    Bid,
    Engagement,
    Membership,
    Need,
    NeedKpi,
    NeedStatus,
    Organization,
    Role,
    User,
    utcnow,
)
from app.needs import amendments
from app.needs.schemas import NeedFilters, NeedIn, NeedUpdate
from app.readiness import service as readiness
from app.schemas import MAX_ID

STAFF = frozenset({Role.coordinator, Role.admin})
FIELDS = tuple(f for f in NeedIn.model_fields if f != "kpis")

# The state machine: allowed moves, and the audit action each move records.
MOVES: dict[NeedStatus, frozenset[NeedStatus]] = {
    NeedStatus.draft: frozenset({NeedStatus.open, NeedStatus.awaiting_check}),
    NeedStatus.awaiting_check: frozenset({NeedStatus.open, NeedStatus.draft}),
    NeedStatus.open: frozenset({NeedStatus.closed}),
    NeedStatus.closed: frozenset(),
}
ACTIONS = {
    NeedStatus.awaiting_check: "need.check_requested",
    NeedStatus.open: "need.published",
    NeedStatus.draft: "need.check_returned",  # the one way back to draft
    NeedStatus.closed: "need.closed",
}


def is_staff(viewer: User) -> bool:
    return viewer.role in STAFF


def may_browse(viewer: User) -> bool:
    """Suppliers browse needs only once the support group has admitted them."""
    if viewer.role is not Role.supplier:
        return True
    profile = viewer.organization.supplier
    return profile is not None and profile.membership is Membership.admitted


def not_member(viewer: User, message: str) -> NotMember:
    """The refusal for a supplier that is not an admitted member, with its state and reason."""
    profile = viewer.organization.supplier
    if profile is None:
        return NotMember(message)
    return NotMember(message, profile.membership.value, profile.membership_reason)


def is_owner(viewer: User, need: Need) -> bool:
    return viewer.organization_id == need.organization_id


def can_see_confidential(viewer: User, need: Need) -> bool:
    return is_staff(viewer) or is_owner(viewer, need)


def can_edit(viewer: User, need: Need) -> bool:
    return viewer.role is Role.manufacturer and is_owner(viewer, need)


def _visible(viewer: User, one: bool = False) -> ColumnElement[bool]:
    """What the viewer may see. A supplier that is not (or no longer) admitted cannot browse,
    but still reads the needs it bid on or works on (`one`: reading a single need)."""
    if is_staff(viewer):
        return true()
    if viewer.role is Role.manufacturer:
        return Need.organization_id == viewer.organization_id
    if viewer.role is Role.supplier:
        if may_browse(viewer):
            return Need.status.in_(PUBLISHED_NEEDS)
        if not one:
            raise not_member(viewer, "Only admitted members of the support group can browse needs.")
        return Need.id.in_(_own_work(viewer.organization_id))
    raise Forbidden("Your role cannot use this page.")  # sponsors see only their cohort


def _own_work(org_id: int) -> Any:
    bids = select(Bid.need_id).where(Bid.supplier_org_id == org_id)
    return bids.union(select(Engagement.need_id).where(Engagement.supplier_org_id == org_id))


def get_need(session: Session, viewer: User, need_id: int) -> Need:
    if not 1 <= need_id <= MAX_ID:
        raise NotFound("Need not found.")
    query = select(Need).where(Need.id == need_id, _visible(viewer, one=True))
    need = session.scalar(query.options(selectinload(Need.kpis)))
    if need is None and viewer.role is Role.supplier and not may_browse(viewer):
        raise not_member(viewer, "Only admitted members of the support group can browse needs.")
    if need is None:
        raise NotFound("Need not found.")
    return need


def get_own_need(session: Session, viewer: User, need_id: int) -> Need:
    need = get_need(session, viewer, need_id)
    if not can_edit(viewer, need):
        raise NotFound("Need not found.")
    return need


def profile_defaults(viewer: User) -> dict[str, Any]:
    return org_defaults(viewer.organization)


def org_defaults(org: Organization) -> dict[str, Any]:
    profile = org.manufacturer
    if profile is None:
        return {}
    return {"industry": profile.industry, "region": profile.region}


def snapshot(need: Need) -> dict[str, Any]:
    values = {field: getattr(need, field) for field in FIELDS}
    values["kpis"] = [
        {"metric": k.metric, "unit": k.unit, "baseline": k.baseline, "target": k.target}
        for k in need.kpis
    ]
    return values


def _apply(need: Need, data: NeedIn) -> None:
    for field in FIELDS:
        setattr(need, field, getattr(data, field))
    kpis = [k.model_dump() for k in data.kpis]
    if kpis != snapshot(need)["kpis"]:
        need.kpis = [NeedKpi(position=i, **k) for i, k in enumerate(kpis)]


def create_need(session: Session, user: User, data: NeedIn) -> Need:
    if user.role is not Role.manufacturer:
        raise Forbidden("Only manufacturers can post needs.")
    return new_need(session, user.organization, user, data)


def new_need(
    session: Session,
    org: Organization,
    actor: User | None,
    data: NeedIn,
    external_id: str | None = None,
) -> Need:
    """A draft of `org`'s; region and industry default to its profile. `actor`: who posts it
    (the manufacturer, or the operator of an import)."""
    creator = actor.id if actor is not None and actor.organization_id == org.id else None
    need = Need(organization=org, created_by_id=creator, external_id=external_id, title="")
    need.kpis = []
    _apply(need, data)
    for field, value in org_defaults(org).items():
        if getattr(need, field) is None:
            setattr(need, field, value)
    session.add(need)
    audit.record(session, actor, "need.created", need, after=snapshot(need))
    return need


def _require_future_deadline(deadline: datetime | None) -> None:
    if deadline is None or deadline <= utcnow():
        raise Invalid("Set a bidding deadline in the future.")


def require_publishable(values: dict[str, Any]) -> None:
    """What bidders price against and what the engagement is verified by: a published need
    has a future deadline, a budget and at least one goal KPI with a target."""
    _require_future_deadline(values["deadline_at"])
    if values["budget_min"] is None and values["budget_max"] is None:
        raise Invalid("Set a budget before publishing.")
    if not any(k["target"] is not None for k in values["kpis"]):
        raise Invalid("Add at least one goal KPI with a target before publishing.")


def proposed(data: NeedIn) -> dict[str, Any]:
    """The snapshot the need would have after `data`, computed without touching it."""
    values = {field: getattr(data, field) for field in FIELDS}
    return values | {"kpis": [k.model_dump() for k in data.kpis]}


def _write(session: Session, actor: User | None, need: Need, data: NeedIn) -> None:
    """Apply `data` and audit the fields that changed (before and after)."""
    before = snapshot(need)
    _apply(need, data)
    after = snapshot(need)
    changed = [k for k in after if after[k] != before[k]]
    if changed:
        need.updated_at = utcnow()  # bumps the version even when only KPI rows changed
        audit.record(
            session,
            actor,
            "need.updated",
            need,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )


def update_draft(session: Session, actor: User | None, need: Need, data: NeedIn) -> Need:
    """A draft changes freely (the import's way to refresh one it wrote)."""
    if need.status is not NeedStatus.draft:
        raise Conflict("Only a draft need can be replaced; a published one changes by amendment.")
    _write(session, actor, need, data)
    session.flush()
    return need


def _same_minute(need: Need, data: NeedUpdate) -> NeedUpdate:
    """The form shows the deadline to the minute: the same minute keeps the stored value."""
    new, old = data.deadline_at, need.deadline_at
    if (
        new is None
        or old is None
        or new.replace(second=0, microsecond=0) != old.replace(second=0, microsecond=0)
    ):
        return data
    return data.model_copy(update={"deadline_at": old})


def update_need(session: Session, user: User, need_id: int, data: NeedUpdate) -> Need:
    """A draft changes freely; a published need only by an addendum (app/needs/amendments)."""
    need = get_own_need(session, user, need_id)
    if need.status is NeedStatus.closed:
        raise Conflict("A closed need is read-only.")
    expect_version(need, data.version)
    data = _same_minute(need, data)
    before = snapshot(need)
    public = amendments.changes(before, proposed(data))
    if need.status is NeedStatus.open:
        if public:
            amendments.check(need, public, data.deadline_at)
        require_publishable(proposed(data))
    _write(session, user, need, data)
    if public and need.status is NeedStatus.open:
        amendments.record(session, user, need, public, data.amendment_reason)
    session.flush()
    return need


def _refusal(to_status: NeedStatus) -> Conflict:
    if to_status in (NeedStatus.open, NeedStatus.awaiting_check):
        return Conflict("Only a draft need can be published.")
    if to_status is NeedStatus.closed:
        return Conflict("Only an open need can be closed.")
    return Conflict("A need cannot go back to draft.")


def move(
    session: Session, need: Need, to_status: NeedStatus, actor: User, reason: str | None = None
) -> Need:
    """The one way a need changes status: checks the move, stamps it, audits who/when/why."""
    if to_status not in MOVES[need.status]:
        raise _refusal(to_status)
    if to_status in (NeedStatus.open, NeedStatus.awaiting_check):
        require_publishable(snapshot(need))
    if to_status is NeedStatus.open:
        need.published_at = utcnow()
        readiness.route(session, need)
    if to_status is NeedStatus.closed:
        need.closed_at = utcnow()
    before = {"status": need.status.value}
    need.status = to_status
    after = {"status": to_status.value}
    if to_status is NeedStatus.open:
        after |= {"track": need.track, "track_reason": need.track_reason}
    audit.record(
        session, actor, ACTIONS[to_status], need, before=before, after=after, reason=reason
    )
    session.flush()
    return need


def publish_need(session: Session, user: User, need_id: int, version: int | None = None) -> Need:
    """Only a user whose e-mail address is confirmed publishes."""
    need = get_own_need(session, user, need_id)
    require_verified(user)
    expect_version(need, version)
    return publish(session, need, user)


def publish(session: Session, need: Need, actor: User, reason: str | None = None) -> Need:
    """The one publish path (pages, API, import): a need of an organisation the support group
    has not checked yet waits for a coordinator's check instead (AXMATCH_FIRST_NEED_CHECK)."""
    return move(session, need, publish_status(need), actor, reason)


def publish_status(need: Need) -> NeedStatus:
    if get_settings().first_need_check and need.organization.checked_at is None:
        return NeedStatus.awaiting_check
    return NeedStatus.open


def close_need(
    session: Session, user: User, need_id: int, reason: str | None, version: int | None = None
) -> Need:
    need = get_own_need(session, user, need_id)
    expect_version(need, version)
    return move(session, need, NeedStatus.closed, user, reason or None)


def _conditions(viewer: User, f: NeedFilters) -> list[ColumnElement[bool]]:
    where = [_visible(viewer)]
    if viewer.role is Role.supplier:  # open for bids; awaiting selection leaves the list
        where.append(phase_is("open"))
    if f.status is not None:
        where.append(phase_is(f.status))
    exact = {
        Need.industry: f.industry,
        Need.process: f.process,
        Need.region: f.region,
    }
    where += [column == value for column, value in exact.items() if value is not None]
    if f.ai_technique:
        # JSON lists are stored as text on both backends; codes are quoted words
        as_text = cast(Need.ai_techniques, String)
        where.append(as_text.contains(f'"{f.ai_technique}"', autoescape=True))
    if f.in_province:
        province = [code for code, term in vocab.REGIONS.items() if term.group == "gyeongnam"]
        where.append(or_(Need.prefer_in_province.is_(True), Need.region.in_(province)))
    where += _budget(f.budget_min, f.budget_max)
    if f.upcoming:
        where.append(or_(Need.deadline_at.is_(None), Need.deadline_at > utcnow()))
    if f.q:
        text = [Need.title.icontains(f.q, autoescape=True)]
        where.append(or_(*text, Need.description.icontains(f.q, autoescape=True)))
    return where


def phase_is(phase: str) -> ColumnElement[bool]:
    """Need.phase() as SQL: the deadline splits stored "open" into open / awaiting selection."""
    passed = Need.deadline_at.is_not(None) & (Need.deadline_at <= utcnow())
    if phase == "open":
        return (Need.status == NeedStatus.open) & ~passed
    if phase == "awaiting_selection":
        return (Need.status == NeedStatus.open) & passed
    return Need.status == NeedStatus(phase)


def _budget(low: int | None, high: int | None) -> list[ColumnElement[bool]]:
    """Needs whose budget range overlaps [low, high]; an unset bound is open-ended."""
    if low is None and high is None:
        return []
    where = [or_(Need.budget_min.is_not(None), Need.budget_max.is_not(None))]
    if low is not None:
        where.append(or_(Need.budget_max.is_(None), Need.budget_max >= low))
    if high is not None:
        where.append(or_(Need.budget_min.is_(None), Need.budget_min <= high))
    return where


def search_needs(session: Session, viewer: User, filters: NeedFilters) -> Page[Need]:
    return paginate(session, needs_query(viewer, filters), filters.page, filters.per_page)


def needs_query(viewer: User, filters: NeedFilters) -> Select[tuple[Need]]:
    """The list page's query, unpaged (the export streams it)."""
    where = _conditions(viewer, filters)
    if filters.sort == "deadline":
        order = [Need.deadline_at.is_(None), Need.deadline_at.asc(), Need.id.asc()]
    else:
        order = [func.coalesce(Need.published_at, Need.created_at).desc(), Need.id.desc()]
    loads = (selectinload(Need.kpis), selectinload(Need.organization))
    return select(Need).where(*where).order_by(*order).options(*loads)
