"""JSON routes for assignment rounds and conflicts of interest (coordinators and admins)."""

from typing import Annotated

from fastapi import APIRouter, Query

from app.auth import CurrentUser, DbSession, roles
from app.i18n import normalize_locale
from app.matches.pages import Cache
from app.matches.reasons import level_label
from app.models import Need, Role, Round, RoundPair, User
from app.rounds import conflicts, release, service
from app.rounds.candidates import open_needs
from app.rounds.schemas import (
    ConflictFilters,
    ConflictIn,
    ConflictOut,
    ConflictPageOut,
    ConflictRemove,
    NeedFilters,
    OpenNeedOut,
    PairIn,
    PairOut,
    RoundIn,
    RoundNeedOut,
    RoundOut,
    RoundPageOut,
    RoundSummaryOut,
    SolveIn,
    VersionIn,
    WithdrawIn,
)
from app.rounds.words import shortfall_reason
from app.schemas import RowId

router = APIRouter(prefix="/api", tags=["rounds"], dependencies=roles(Role.coordinator, Role.admin))
PageNumber = Annotated[int, Query(ge=1, le=10_000)]


def _locale(user: User) -> str:
    return normalize_locale(user.locale)


def conflict_out(row: conflicts.ConflictRow) -> ConflictOut:
    c = row.conflict
    return ConflictOut(
        id=c.id,
        supplier_org_id=c.supplier_org_id,
        supplier_name=row.supplier_name,
        manufacturer_org_id=c.manufacturer_org_id,
        manufacturer_name=row.manufacturer_name,
        kind=c.kind.value,
        reason=c.reason,
        created_by_id=c.created_by_id,
        created_at=c.created_at,
    )


def pair_out(pair: RoundPair, locale: str) -> PairOut:
    parts = pair.parts or {}
    level = parts.get("level")
    return PairOut(
        id=pair.id,
        need_id=pair.need_id,
        supplier_org_id=pair.supplier_org_id,
        supplier_name=pair.supplier.name,
        kind=pair.kind,
        rank=pair.rank,
        score=pair.score,
        topk_rank=pair.topk_rank,
        source=pair.source,
        reasons=parts.get("reasons") or [],
        new_supplier=bool(parts.get("new")),
        parts=parts.get("parts") or {},
        flags=parts.get("flags") or [],
        level=level,
        level_label=level_label(level, locale),
    )


def summary_out(round_: Round) -> RoundSummaryOut:
    return RoundSummaryOut(
        id=round_.id,
        name=round_.name,
        status=round_.status.value,
        version=round_.version,
        need_count=len(round_.needs),
        created_at=round_.created_at,
        released_at=round_.released_at,
    )


def round_out(round_: Round, locale: str) -> RoundOut:
    needs = [
        RoundNeedOut(
            need_id=item.need.id,
            title=item.need.title,
            manufacturer_name=item.need.organization.name,
            shortlist=[pair_out(p, locale) for p in item.shortlist],
            alternates=[pair_out(p, locale) for p in item.alternates],
            moved_out=[pair_out(p, locale) for p in item.moved_out],
            excluded=[pair_out(p, locale) for p in item.excluded],
            shortfall=item.shortfall,
            shortfall_reason=shortfall_reason(item.shortfall, locale),
        )
        for item in service.review(round_)
    ]
    return RoundOut(
        **summary_out(round_).model_dump(),
        cohort_id=round_.cohort_id,
        filters=round_.filters,
        **{name: getattr(round_, name) for name in service.SETTINGS},
        stats=round_.stats,
        solved_at=round_.solved_at,
        withdrawn_at=round_.withdrawn_at,
        withdraw_reason=round_.withdraw_reason,
        needs=needs,
    )


def open_need_out(need: Need) -> OpenNeedOut:
    return OpenNeedOut(
        id=need.id,
        title=need.title,
        manufacturer_name=need.organization.name,
        industry=need.industry,
        region=need.region,
        published_at=need.published_at,
        deadline_at=need.deadline_at,
    )


@router.get("/conflicts")
def list_conflicts(
    filters: Annotated[ConflictFilters, Query()], session: DbSession
) -> ConflictPageOut:
    page = conflicts.list_conflicts(session, filters)
    items = [conflict_out(row) for row in page.items]
    return ConflictPageOut(items=items, total=page.total, page=page.page, pages=page.pages)


@router.post("/conflicts", status_code=201)
def declare_conflict(data: ConflictIn, session: DbSession, user: CurrentUser) -> ConflictOut:
    conflict = conflicts.declare(session, user, data)
    return conflict_out(conflicts.row_of(session, conflict))


@router.post("/conflicts/{conflict_id}/remove", status_code=204)
def remove_conflict(
    conflict_id: RowId, data: ConflictRemove, session: DbSession, user: CurrentUser
) -> None:
    conflicts.remove(session, user, conflict_id, data.reason)


@router.get("/rounds")
def list_rounds(session: DbSession, page: PageNumber = 1) -> RoundPageOut:
    result = service.list_rounds(session, page)
    items = [summary_out(r) for r in result.items]
    return RoundPageOut(items=items, total=result.total, page=result.page, pages=result.pages)


@router.get("/rounds/open-needs")
def open_needs_for_round(
    filters: Annotated[NeedFilters, Query()], session: DbSession
) -> list[OpenNeedOut]:
    """The open needs a round with these filters would take."""
    return [open_need_out(n) for n in open_needs(session, filters)]


@router.post("/rounds", status_code=201)
def create_round(data: RoundIn, session: DbSession, cache: Cache, user: CurrentUser) -> RoundOut:
    round_ = service.create_round(session, cache, user, data)
    return round_out(service.get_round(session, round_.id), _locale(user))


@router.get("/rounds/{round_id}")
def get_round(round_id: RowId, session: DbSession, user: CurrentUser) -> RoundOut:
    return round_out(service.get_round(session, round_id), _locale(user))


@router.post("/rounds/{round_id}/solve")
def solve(
    round_id: RowId, data: SolveIn, session: DbSession, cache: Cache, user: CurrentUser
) -> RoundOut:
    return round_out(service.solve(session, cache, user, round_id, data), _locale(user))


@router.post("/rounds/{round_id}/pairs", status_code=201)
def add_pair(
    round_id: RowId, data: PairIn, session: DbSession, cache: Cache, user: CurrentUser
) -> PairOut:
    return pair_out(service.add_pair(session, cache, user, round_id, data), _locale(user))


@router.post("/rounds/{round_id}/pairs/{pair_id}/remove")
def remove_pair(
    round_id: RowId, pair_id: RowId, data: VersionIn, session: DbSession, user: CurrentUser
) -> PairOut:
    return pair_out(service.remove_pair(session, user, round_id, pair_id, data), _locale(user))


@router.post("/rounds/{round_id}/pairs/{pair_id}/force")
def force_pair(
    round_id: RowId, pair_id: RowId, data: VersionIn, session: DbSession, user: CurrentUser
) -> PairOut:
    return pair_out(service.force_pair(session, user, round_id, pair_id, data), _locale(user))


@router.post("/rounds/{round_id}/release")
def release_round(
    round_id: RowId, data: VersionIn, session: DbSession, user: CurrentUser
) -> RoundOut:
    return round_out(release.release(session, user, round_id, data), _locale(user))


@router.post("/rounds/{round_id}/withdraw")
def withdraw_round(
    round_id: RowId, data: WithdrawIn, session: DbSession, user: CurrentUser
) -> RoundOut:
    return round_out(release.withdraw(session, user, round_id, data), _locale(user))
