"""JSON routes for bids: the same service functions as the pages."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query
from sqlalchemy.orm import Session

from app.auth import CurrentUser, DbSession, roles
from app.bids import comparison, service
from app.bids.schemas import (
    AgainstOut,
    BidIn,
    BidOut,
    BidsOnNeed,
    ComparisonRow,
    DurationOut,
    StandingOut,
    TimelineOut,
    VersionIn,
    VersionOut,
)
from app.engagements.schemas import TrackLineOut
from app.errors import NotFound
from app.files import service as files
from app.files.schemas import AttachmentOut
from app.matches.pages import Cache
from app.models import Bid, Role, User
from app.needs import service as needs
from app.schemas import RowId

router = APIRouter(prefix="/api", tags=["bids"])
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Role not allowed, or supplier not admitted"},
    404: {"description": "Need or bid not found, or not visible to you"},
    409: {"description": "Deadline passed, stale version, or idempotency key reused"},
}
SUPPLIER = roles(Role.supplier)
READERS = roles(Role.manufacturer, Role.coordinator, Role.admin)
Sort = Annotated[Literal["price", "fit", "duration"], Query(description="price, fit or duration")]
IdemKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=8, max_length=100)]


def bid_out(viewer: User, bid: Bid, told: str | None) -> BidOut:
    """`told` is the outcome the bidder sees (service.outcomes)."""
    deciders = needs.is_staff(viewer) or viewer.organization_id == bid.need.organization_id
    return BidOut(
        need_title=bid.need.title,
        supplier_name=bid.supplier.name,
        status=bid.status.value,
        outcome=told,
        timeline=[TimelineOut(**row) for row in bid.timeline],
        shortlisted=bid.shortlisted if deciders else None,
        needs_confirmation=bid.needs_confirmation(),
        **{f: getattr(bid, f) for f in BID_PLAIN},
    )


def one(session: Session, viewer: User, bid: Bid) -> BidOut:
    return bid_out(viewer, bid, service.outcome(session, bid))


BID_PLAIN = [
    f
    for f in BidOut.model_fields
    if f
    not in {
        "need_title",
        "supplier_name",
        "status",
        "outcome",
        "timeline",
        "shortlisted",
        "needs_confirmation",
    }
]


@router.get("/bids", dependencies=SUPPLIER, responses=ERRORS)
def my_bids(session: DbSession, user: CurrentUser) -> list[BidOut]:
    """This supplier's bids with their status and, once decided, their outcome."""
    bids = service.my_bids(session, user)
    told = service.outcomes(session, bids)
    return [bid_out(user, bid, told[bid.id]) for bid in bids]


@router.get("/needs/{need_id}/bid", dependencies=SUPPLIER, responses=ERRORS)
def get_my_bid(need_id: RowId, session: DbSession, user: CurrentUser) -> BidOut:
    needs.get_need(session, user, need_id)
    bid = service.own_bid(session, user, need_id)
    if bid is None:
        raise NotFound("Bid not found.")
    return one(session, user, bid)


@router.put("/needs/{need_id}/bid", dependencies=SUPPLIER, responses=ERRORS)
def submit_bid(
    need_id: RowId, data: BidIn, session: DbSession, user: CurrentUser, key: IdemKey = None
) -> BidOut:
    """Submit, or edit this supplier's one bid, until the deadline. Send an
    `Idempotency-Key`: a retry with the same body returns the first result; another body, 409."""
    return one(session, user, service.submit_bid(session, user, need_id, data, key))


@router.post("/needs/{need_id}/bid/withdraw", dependencies=SUPPLIER, responses=ERRORS)
def withdraw_bid(
    need_id: RowId, session: DbSession, user: CurrentUser, data: VersionIn | None = None
) -> BidOut:
    version = data.version if data else None
    return one(session, user, service.withdraw_bid(session, user, need_id, version))


@router.post("/needs/{need_id}/bid/confirm", dependencies=SUPPLIER, responses=ERRORS)
def confirm_bid(
    need_id: RowId, session: DbSession, user: CurrentUser, data: VersionIn | None = None
) -> BidOut:
    """Stand by the bid unchanged after an addendum that reopened bids (409 if it already
    answers the latest version; revising it with PUT answers too)."""
    version = data.version if data else None
    return one(session, user, service.confirm_bid(session, user, need_id, version))


@router.get("/needs/{need_id}/bid/versions", dependencies=SUPPLIER, responses=ERRORS)
def bid_versions(need_id: RowId, session: DbSession, user: CurrentUser) -> list[VersionOut]:
    needs.get_need(session, user, need_id)
    bid = service.own_bid(session, user, need_id)
    if bid is None:
        raise NotFound("Bid not found.")
    carried = files.version_files(session, user, bid.id)
    return [
        VersionOut(
            number=v.number,
            created_at=v.created_at,
            snapshot=v.snapshot,
            files=[AttachmentOut.of(r) for r in carried[v.number]],
        )
        for v in bid.versions
    ]


@router.get("/needs/{need_id}/bids", dependencies=READERS, responses=ERRORS)
def bids_on_need(
    need_id: RowId, session: DbSession, cache: Cache, user: CurrentUser, sort: Sort = "price"
) -> BidsOnNeed:
    """Sealed until the deadline (staff see only how many); then every live bid side by side,
    sorted by `sort`, each with its price against the budget and duration against the timeline."""
    view, rows = comparison.compare_bids(session, cache, user, need_id, sort)
    told = service.outcomes(session, [row.bid for row in rows])
    items = [comparison_row(user, row, told[row.bid.id]) for row in rows]
    chosen = comparison.preselected(rows)
    return BidsOnNeed(
        sealed=view.sealed,
        count=view.count,
        bids=items,
        sort=sort,
        preselected_supplier_org_id=chosen,
    )


def comparison_row(user: User, row: comparison.Row, told: str | None) -> ComparisonRow:
    wanted = comparison.wanted_weeks(row.bid.need)
    record = row.record
    return ComparisonRow(
        bid=bid_out(user, row.bid, told),
        score=row.match.score if row.match else None,
        level=row.match.level if row.match else None,
        level_label=row.match.level_label if row.match else None,
        price_vs_budget=AgainstOut.model_validate(row.price, from_attributes=True),
        duration_vs_timeline=DurationOut(
            status=row.duration.status,
            difference=row.duration.difference,
            weeks=row.weeks,
            wanted_weeks=wanted,
        ),
        supplier_record=StandingOut(
            completed_engagements=record.completed,
            case_studies=record.case_studies,
            review_average=record.review_average,
            review_count=record.review_count,
        ),
        reasons=row.reasons,
        case_studies=[{"id": s.id, "title": s.title, "outcome": s.outcome} for s in row.studies],
        track_record=[TrackLineOut.model_validate(t, from_attributes=True) for t in row.track],
        supplier_membership=row.membership.value if row.membership else None,
    )
