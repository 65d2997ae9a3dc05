"""Bids: submit, edit and withdraw until the deadline, idempotent retries, and the one rule
that decides who sees which bid (sealed until the need's deadline).

Every function takes the session first and only flushes; the request owns the transaction.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app import audit
from app.accounts.recovery import require_verified
from app.bids.schemas import BidIn
from app.db import expect_version
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.i18n import Msgid
from app.models import (
    Bid,
    BidStatus,
    BidVersion,
    CaseStudy,
    Engagement,
    IdempotencyKey,
    Need,
    NeedStatus,
    Role,
    SupplierProfile,
    User,
    utcnow,
)
from app.money import MANWON, Won
from app.needs import service as needs

FIELDS = (
    "approach",
    "team",
    "timeline",
    "price_total",
    "price_subsidy",
    "price_copay",
    "case_study_ids",
    "attachments",
)


def deadline_passed(need: Need) -> bool:
    """Bids unseal only once the deadline has passed, checked at the moment of the request."""
    return need.bids_unsealed(utcnow())


def bidding_open(need: Need) -> bool:
    return need.status is NeedStatus.open and not deadline_passed(need)


def require_bidder(viewer: User) -> None:
    if viewer.role is not Role.supplier:
        raise Forbidden("Only admitted suppliers can bid.")
    if not needs.may_browse(viewer):
        raise needs.not_member(viewer, "Only admitted suppliers can bid.")


def _require_open(need: Need) -> None:
    if not bidding_open(need):
        raise Conflict("Bidding on this need has closed.")


def snapshot(bid: Bid) -> dict[str, Any]:
    return {field: getattr(bid, field) for field in FIELDS} | {"status": bid.status.value}


def own_bid(session: Session, viewer: User, need_id: int) -> Bid | None:
    query = select(Bid).where(Bid.need_id == need_id, Bid.supplier_org_id == viewer.organization_id)
    return session.scalar(query.options(selectinload(Bid.versions)))


def _check_case_studies(session: Session, viewer: User, ids: list[int]) -> None:
    if not ids:
        return
    query = (
        select(func.count(CaseStudy.id))
        .join(SupplierProfile, CaseStudy.supplier_id == SupplierProfile.id)
        .where(CaseStudy.id.in_(ids), SupplierProfile.organization_id == viewer.organization_id)
    )
    if session.scalar(query) != len(set(ids)):
        raise Invalid("Reference only your own case studies.")


def _claim_key(session: Session, viewer: User, key: str, scope: str, digest: str) -> IdempotencyKey:
    """Record the key; a retry finds the first one (with its result), another body conflicts."""
    row = IdempotencyKey(user_id=viewer.id, key=key, scope=scope, request_hash=digest)
    try:
        with session.begin_nested():
            session.add(row)
        return row
    except IntegrityError:
        pass
    found = session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.user_id == viewer.id, IdempotencyKey.key == key)
    )
    if found is None or found.scope != scope or found.request_hash != digest:
        raise Conflict("This idempotency key was already used for a different request.")
    return found


def body_hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def submit_bid(
    session: Session, viewer: User, need_id: int, data: BidIn, key: str | None = None
) -> Bid:
    """Create or edit this supplier's one bid on the need; every save is a new version."""
    require_bidder(viewer)
    require_verified(viewer)
    need = needs.get_need(session, viewer, need_id)
    with session.begin_nested():  # a refused submission leaves no idempotency key behind
        return _submit(session, viewer, need, data, key)


def _submit(session: Session, viewer: User, need: Need, data: BidIn, key: str | None) -> Bid:
    claim = None
    if key is not None:
        claim = _claim_key(session, viewer, key, f"bid:{need.id}", body_hash(data.body()))
        if claim.resource_id is not None:
            return session.get_one(Bid, claim.resource_id)
    _require_open(need)
    _check_split(need, data)
    _check_case_studies(session, viewer, data.case_study_ids)
    bid = _save(session, viewer, need, data)
    if claim is not None:
        claim.resource_id = bid.id
    session.flush()
    return bid


def _check_split(need: Need, data: BidIn) -> None:
    """The subsidy is what the need's government programme pays: none without one, and at
    most the programme's share of the total with one (the schema checks that it adds up)."""
    if need.subsidy_share is None:
        if data.price_subsidy:
            raise Invalid(NO_PROGRAMME)
        return
    if data.price_subsidy * 100 > data.price_total * need.subsidy_share:
        raise Invalid(
            OVER_SHARE,
            share=need.subsidy_share,
            max=Won(data.price_total * need.subsidy_share // 100 * MANWON),
        )


NO_PROGRAMME = Msgid("This need has no government programme: the subsidy must be 0.")
OVER_SHARE = Msgid(
    "The programme pays at most %(share)s%% of the price: a subsidy of at most %(max)s."
)
SPLIT_REFUSALS = (NO_PROGRAMME, OVER_SHARE)  # what a form marks on the subsidy field


def _save(session: Session, viewer: User, need: Need, data: BidIn) -> Bid:
    bid = own_bid(session, viewer, need.id)
    values = data.model_dump(mode="json", exclude={"version"})
    if bid is None:
        bid = Bid(need_id=need.id, supplier_org_id=viewer.organization_id, **values)
        session.add(bid)
        action, before = "bid.submitted", None
    else:
        expect_version(bid, data.version)
        before = snapshot(bid)
        for field, value in values.items():
            setattr(bid, field, value)
        bid.status, bid.withdrawn_at, bid.updated_at = BidStatus.submitted, None, utcnow()
        action = "bid.edited"
    bid.need_amendment = need.amendment  # a revision answers every addendum so far
    session.flush()
    number = len(bid.versions) + 1
    bid.versions.append(BidVersion(number=number, snapshot=snapshot(bid), created_by_id=viewer.id))
    audit.record(session, viewer, action, bid, before=before, after=snapshot(bid))
    return bid


def withdrawable_bid(session: Session, viewer: User, need_id: int) -> Bid:
    """The viewer's own bid on an open need (a supplier that was suspended or expired since
    still withdraws its own bid); what withdrawing, and its confirmation step, act on."""
    if viewer.role is not Role.supplier:
        raise Forbidden("Only admitted suppliers can bid.")
    need = needs.get_need(session, viewer, need_id)
    bid = own_bid(session, viewer, need.id)
    if bid is None:
        raise NotFound("Bid not found.")
    _require_open(need)
    return bid


def withdraw_bid(session: Session, viewer: User, need_id: int, version: int | None) -> Bid:
    bid = withdrawable_bid(session, viewer, need_id)
    expect_version(bid, version)
    if bid.status is BidStatus.withdrawn:
        raise Conflict("This bid is already withdrawn.")
    bid.status, bid.withdrawn_at = BidStatus.withdrawn, utcnow()
    audit.record(session, viewer, "bid.withdrawn", bid, after={"status": "withdrawn"})
    session.flush()
    return bid


def confirm_bid(session: Session, viewer: User, need_id: int, version: int | None) -> Bid:
    """The bidder stands by its bid unchanged after an addendum that reopened bids."""
    require_bidder(viewer)
    need = needs.get_need(session, viewer, need_id)
    bid = own_bid(session, viewer, need.id)
    if bid is None or bid.status is not BidStatus.submitted:
        raise NotFound("Bid not found.")
    _require_open(need)
    expect_version(bid, version)
    if not bid.needs_confirmation():
        raise Conflict("Your bid already answers the latest version of this need.")
    before = {"need_amendment": bid.need_amendment}
    bid.need_amendment, bid.updated_at = need.amendment, utcnow()
    after = {"need_amendment": need.amendment, "status": bid.status.value}
    audit.record(session, viewer, "bid.confirmed", bid, before=before, after=after)
    session.flush()
    return bid


def my_bids(session: Session, viewer: User) -> list[Bid]:
    query = select(Bid).where(Bid.supplier_org_id == viewer.organization_id)
    return list(session.scalars(query.options(selectinload(Bid.need)).order_by(Bid.id.desc())))


def outcomes(session: Session, bids: list[Bid]) -> dict[int, str | None]:
    """What each bidder is told: nothing until its need has an engagement (approved award or
    accepted proposal), then selected / not selected."""
    need_ids = {bid.need_id for bid in bids}
    query = select(Engagement.need_id, Engagement.supplier_org_id).where(
        Engagement.need_id.in_(need_ids)
    )
    winners = {need: org for need, org in session.execute(query)} if need_ids else {}
    return {bid.id: _told(winners.get(bid.need_id), bid) for bid in bids}


def _told(winner: int | None, bid: Bid) -> str | None:
    if winner is None:
        return None
    return "selected" if winner == bid.supplier_org_id else "not_selected"


def outcome(session: Session, bid: Bid) -> str | None:
    return outcomes(session, [bid])[bid.id]


@dataclass(frozen=True)
class BidView:
    """What a viewer may know about the bids on one need."""

    sealed: bool
    count: int | None  # how many bids exist; staff only
    bids: list[Bid]


def visible_bids(session: Session, viewer: User, need_id: int) -> BidView:
    """The one sealed-bid rule. Suppliers: only their own bid, always. The need's manufacturer
    and staff: every non-withdrawn bid, only after the deadline; before it, staff learn how many."""
    need = needs.get_need(session, viewer, need_id)
    sealed = not deadline_passed(need)
    if viewer.role is Role.supplier:
        bid = own_bid(session, viewer, need.id)
        return BidView(sealed, None, [bid] if bid else [])
    if not needs.can_see_confidential(viewer, need):
        raise NotFound("Need not found.")
    live = select(Bid).where(Bid.need_id == need.id, Bid.status == BidStatus.submitted)
    count = session.scalar(select(func.count()).select_from(live.subquery()))
    shown_count = count if needs.is_staff(viewer) or not sealed else None
    if sealed:
        return BidView(True, shown_count, [])
    bids = list(session.scalars(live.options(selectinload(Bid.supplier)).order_by(Bid.price_total)))
    return BidView(False, shown_count, bids)


def exportable_bids(viewer: User, need_id: int | None = None) -> Select[tuple[Bid]]:
    """`visible_bids` for many needs at once, as one query: a supplier its own bids; the
    need's manufacturer and staff the submitted bids of needs whose deadline has passed
    (the SQL form of `Need.bids_unsealed`: no deadline stays sealed)."""
    query = select(Bid).join(Need, Need.id == Bid.need_id)
    if viewer.role is Role.supplier:
        query = query.where(Bid.supplier_org_id == viewer.organization_id)
    elif viewer.role is Role.manufacturer or needs.is_staff(viewer):
        unsealed = Need.deadline_at.is_not(None) & (Need.deadline_at <= utcnow())
        query = query.where(unsealed, Bid.status == BidStatus.submitted)
        if not needs.is_staff(viewer):
            query = query.where(Need.organization_id == viewer.organization_id)
    else:
        raise Forbidden("Your role cannot use this page.")
    if need_id is not None:
        query = query.where(Bid.need_id == need_id)
    loads = (selectinload(Bid.need), selectinload(Bid.supplier))
    return query.options(*loads).order_by(Bid.need_id.desc(), Bid.price_total, Bid.id)


def case_studies(session: Session, bids: list[Bid]) -> dict[int, CaseStudy]:
    ids = {i for bid in bids for i in bid.case_study_ids}
    if not ids:
        return {}
    return {c.id: c for c in session.scalars(select(CaseStudy).where(CaseStudy.id.in_(ids)))}
