"""JSON routes for engagements: the same service functions as the pages."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from app import audit_view, vocab
from app.audit_view import Line
from app.auth import CurrentUser, DbSession, roles
from app.engagements import outcomes, service, stages, work
from app.engagements.board import Card, load_board
from app.engagements.detail import Detail, Gate, load_detail
from app.engagements.schemas import (
    BoardCardOut,
    BoardFilters,
    BoardOut,
    EngagementOut,
    EngagementPage,
    EngagementSummary,
    EventOut,
    GateOut,
    KpiOut,
    ListFilters,
    MilestoneIn,
    MilestoneOut,
    MoveIn,
    NoteIn,
    NoteOut,
    OverrideOut,
    PlanIn,
    PriceOut,
    RejectIn,
    ResultIn,
    ResultOut,
    ReviewIn,
    ReviewOut,
    StageOut,
    WaitingOut,
)
from app.i18n import normalize_locale
from app.models import Engagement, KpiResult, ResultPhase, Role, Stage
from app.schemas import MoneyOut, RowId

STAFF = roles(Role.coordinator, Role.admin)
router = APIRouter(
    prefix="/api",
    tags=["engagements"],
    dependencies=roles(Role.manufacturer, Role.supplier, Role.coordinator, Role.admin),
)
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "Your side of the engagement cannot do this"},
    404: {"description": "Engagement not found, or not yours"},
    409: {"description": "Stale version, move not allowed, or gate not met"},
}


def summary(engagement: Engagement) -> EngagementSummary:
    return EngagementSummary(
        id=engagement.id,
        need_id=engagement.need_id,
        need_title=engagement.need.title,
        supplier_org_id=engagement.supplier_org_id,
        supplier_name=engagement.supplier.name,
        manufacturer_org_id=engagement.manufacturer_org_id,
        manufacturer_name=engagement.manufacturer.name,
        stage=engagement.stage.value,
        overdue=service.is_overdue(engagement),
        version=engagement.version,
        updated_at=engagement.updated_at,
    )


def detail_out(detail: Detail) -> EngagementOut:
    e = detail.engagement
    kpis = [
        KpiOut(
            results=[result_out(r, detail.met.get(r.id)) for r in k.results],
            **{f: getattr(k, f) for f in ("id", "metric", "unit", "baseline", "target")},
            acceptance=k.acceptance,
            lower_is_better=vocab.lower_is_better(k.metric, k.baseline, k.target),
        )
        for k in e.kpis
    ]
    return EngagementOut(
        **summary(e).model_dump(),
        price=price_out(detail),
        cancel_reason=e.cancel_reason,
        gate=gate_out(detail.gate, detail.locale),
        gate_override=override_out(e),
        supplier_membership=detail.membership.value if detail.membership else None,
        closed_at=e.closed_at,
        stages=[StageOut.model_validate(s, from_attributes=True) for s in e.stages],
        milestones=[MilestoneOut.model_validate(m, from_attributes=True) for m in e.milestones],
        kpis=kpis,
        notes=[NoteOut.model_validate(n, from_attributes=True) for n in detail.notes],
        reviews=[ReviewOut.model_validate(r, from_attributes=True) for r in detail.reviews],
        timeline=[event_out(line) for line in detail.history],
    )


def result_out(result: KpiResult, met: bool | None = None) -> ResultOut:
    return ResultOut.model_validate(result, from_attributes=True).model_copy(
        update={"target_met": met}
    )


def event_out(line: Line) -> EventOut:
    """The raw entry and the same in words, as the audit API gives them."""
    event = EventOut.model_validate(line.entry, from_attributes=True)
    readable = {"action_label": line.action, "summary": line.summary}
    return event.model_copy(update={**readable, "changes": audit_view.changes_out(line)})


def price_out(detail: Detail) -> PriceOut | None:
    agreement, paid = detail.engagement.agreement(), detail.paid
    if agreement is None or paid is None:
        return None
    return PriceOut(
        agreement_number=agreement.number,
        confirmed=agreement.confirmed(),
        total=MoneyOut.of(agreement.price_total),
        subsidy=MoneyOut.of(agreement.price_subsidy),
        copay=MoneyOut.of(agreement.price_copay),
        subsidy_disbursed=MoneyOut.of(paid.subsidy_disbursed),
        copay_received=MoneyOut.of(paid.copay_received),
    )


def gate_out(gate: Gate | None, locale: str) -> GateOut | None:
    if gate is None:
        return None
    return GateOut(
        to=gate.to.value,
        condition=gate.condition.label(locale),
        missing=gate.texts(locale),
        overridable=gate.overridable,
    )


def override_out(e: Engagement) -> OverrideOut | None:
    if e.gate_override_at is None or e.gate_override_reason is None:
        return None
    return OverrideOut(
        reason=e.gate_override_reason, by_id=e.gate_override_by_id, at=e.gate_override_at
    )


def fresh(session: DbSession, user: CurrentUser, engagement_id: int) -> EngagementOut:
    session.flush()
    session.expire_all()
    return detail_out(load_detail(session, user, engagement_id))


@router.get("/engagements", responses=ERRORS)
def list_engagements(
    filters: Annotated[ListFilters, Query()], session: DbSession, user: CurrentUser
) -> EngagementPage:
    """The parties: their own engagements; coordinators and admins: all."""
    stage = Stage(filters.stage) if filters.stage else None
    page = service.list_engagements(session, user, stage, filters.page)
    items = [summary(e) for e in page.items]
    return EngagementPage(
        items=items, total=page.total, page=page.page, per_page=page.per_page, pages=page.pages
    )


def card_out(card: Card, locale: str) -> BoardCardOut:
    return BoardCardOut(
        **summary(card.engagement).model_dump() | {"overdue": card.overdue},
        days_in_stage=card.days_in_stage,
        waiting_for=[WaitingOut(who=w.who, what=w.what.label(locale)) for w in card.waiting],  # type: ignore[arg-type]
        stalled=card.stalled,
        last_activity_at=card.last_activity_at,
    )


@router.get("/engagements/board", dependencies=STAFF, responses=ERRORS)
def board(
    request: Request,
    filters: Annotated[BoardFilters, Query()],
    session: DbSession,
    user: CurrentUser,
) -> BoardOut:
    """Cards by stage, with days in stage, who must act next, and overdue/stalled flags."""
    stalled_days = request.app.state.settings.stalled_days
    found = load_board(session, stalled_days, **filters.model_dump())
    locale = normalize_locale(user.locale)
    columns = {s.value: [card_out(c, locale) for c in cs] for s, cs in found.columns.items()}
    return BoardOut(columns=columns, stalled_days=found.stalled_days)


@router.get("/engagements/{engagement_id}", responses=ERRORS)
def get_engagement(engagement_id: RowId, session: DbSession, user: CurrentUser) -> EngagementOut:
    """Stages, milestones, KPIs and results, notes, reviews and the timeline of changes."""
    return detail_out(load_detail(session, user, engagement_id))


@router.post("/engagements/{engagement_id}/moves", responses=ERRORS)
def move(
    engagement_id: RowId, data: MoveIn, session: DbSession, user: CurrentUser
) -> EngagementOut:
    """Coordinators sign off each gate; `version` guards against two at once (409)."""
    stages.move_stage(
        session, user, engagement_id, Stage(data.to), data.version, data.reason, data.override
    )
    return fresh(session, user, engagement_id)


@router.post("/engagements/{engagement_id}/plan", responses=ERRORS)
def plan(
    engagement_id: RowId, data: PlanIn, session: DbSession, user: CurrentUser
) -> EngagementOut:
    stage = Stage(data.stage)
    work.set_plan(session, user, engagement_id, stage, data.planned_start, data.planned_end)
    return fresh(session, user, engagement_id)


@router.post("/engagements/{engagement_id}/milestones", status_code=201, responses=ERRORS)
def add_milestone(
    engagement_id: RowId, data: MilestoneIn, session: DbSession, user: CurrentUser
) -> MilestoneOut:
    milestone = work.add_milestone(
        session, user, engagement_id, Stage(data.stage), data.title, data.deliverable, data.due_date
    )
    return MilestoneOut.model_validate(milestone, from_attributes=True)


@router.post("/engagements/{engagement_id}/milestones/{milestone_id}/deliver", responses=ERRORS)
def deliver_milestone(
    engagement_id: RowId, milestone_id: RowId, session: DbSession, user: CurrentUser
) -> MilestoneOut:
    milestone = work.deliver_milestone(session, user, engagement_id, milestone_id)
    return MilestoneOut.model_validate(milestone, from_attributes=True)


@router.post("/engagements/{engagement_id}/milestones/{milestone_id}/accept", responses=ERRORS)
def accept_milestone(
    engagement_id: RowId, milestone_id: RowId, session: DbSession, user: CurrentUser
) -> MilestoneOut:
    milestone = work.accept_milestone(session, user, engagement_id, milestone_id)
    return MilestoneOut.model_validate(milestone, from_attributes=True)


@router.post("/engagements/{engagement_id}/notes", status_code=201, responses=ERRORS)
def add_note(engagement_id: RowId, data: NoteIn, session: DbSession, user: CurrentUser) -> NoteOut:
    note = work.add_note(session, user, engagement_id, data.text)
    return NoteOut.model_validate(note, from_attributes=True)


@router.post("/engagements/{engagement_id}/results", responses=ERRORS)
def record_result(
    engagement_id: RowId, data: ResultIn, session: DbSession, user: CurrentUser
) -> ResultOut:
    """Recording a phase again before verification replaces the earlier figure."""
    phase = ResultPhase(data.phase)
    result = outcomes.record_result(
        session, user, engagement_id, data.kpi_id, phase, data.value, data.evidence
    )
    return ResultOut.model_validate(result, from_attributes=True)


@router.post(
    "/engagements/{engagement_id}/results/{result_id}/verify", dependencies=STAFF, responses=ERRORS
)
def verify_result(
    engagement_id: RowId, result_id: RowId, session: DbSession, user: CurrentUser
) -> ResultOut:
    result = outcomes.verify_result(session, user, engagement_id, result_id)
    return result_out(result, outcomes.target_met(result))


@router.post(
    "/engagements/{engagement_id}/results/{result_id}/reject", dependencies=STAFF, responses=ERRORS
)
def reject_result(
    engagement_id: RowId, result_id: RowId, data: RejectIn, session: DbSession, user: CurrentUser
) -> ResultOut:
    result = outcomes.reject_result(session, user, engagement_id, result_id, data.reason)
    return ResultOut.model_validate(result, from_attributes=True)


@router.post("/engagements/{engagement_id}/review", status_code=201, responses=ERRORS)
def write_review(
    engagement_id: RowId, data: ReviewIn, session: DbSession, user: CurrentUser
) -> ReviewOut:
    """One review per side after closing; shown once both wrote, or after 14 days."""
    review = outcomes.write_review(session, user, engagement_id, data.rating, data.text)
    return ReviewOut.model_validate(review, from_attributes=True)
