"""HTML routes for engagements: list, board, detail, and the detail page's forms."""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.datastructures import FormData

from app import vocab
from app.auth import CurrentUser, DbSession, roles
from app.engagements import outcomes, service, stages, work
from app.engagements.board import load_board
from app.engagements.detail import load_detail
from app.engagements.schemas import (
    BoardFilters,
    ListFilters,
    MilestoneIn,
    MoveIn,
    NoteIn,
    PlanIn,
    RejectIn,
    ResultIn,
    ReviewIn,
)
from app.models import ResultPhase, Role, Stage, User
from app.web import Form, form_dict, render, request_locale, submit, validate_form

router = APIRouter(
    dependencies=roles(Role.manufacturer, Role.supplier, Role.coordinator, Role.admin)
)
STAFF = roles(Role.coordinator, Role.admin)


def _query(request: Request) -> dict[str, str]:
    return {k: v.strip() for k, v in request.query_params.items() if v.strip()}


@router.get("/engagements")
def list_engagements(request: Request, session: DbSession, user: CurrentUser) -> Response:
    typed = _query(request)
    filters, errors = validate_form(ListFilters, typed, request_locale(request))
    filters = filters or ListFilters()
    stage = Stage(filters.stage) if filters.stage else None
    page = service.list_engagements(session, user, stage, filters.page)
    context = {"page": page, "form": typed, "errors": errors, "stages": list(Stage)}
    return render(request, "engagements/list.html", {**context, "today": service.today()})


@router.get("/engagements/board", dependencies=STAFF)
def board(request: Request, session: DbSession) -> Response:
    typed = _query(request)
    filters, errors = validate_form(BoardFilters, typed, request_locale(request))
    filters = filters or BoardFilters()
    found = load_board(session, request.app.state.settings.stalled_days, **filters.model_dump())
    context = {"board": found, "form": typed, "errors": errors, "vocab": vocab}
    return render(request, "engagements/board.html", context)


def _detail_page(
    request: Request,
    session: DbSession,
    user: User,
    engagement_id: int,
    failed: tuple[str, dict[str, str], dict[str, Any]] | None = None,
    status: int = 200,
) -> Response:
    detail = load_detail(session, user, engagement_id)
    name, errors, form = failed or ("", {}, {})
    context = {"d": detail, "e": detail.engagement, "failed": name, "errors": errors}
    phases = outcomes.recordable_phases(detail.engagement)
    context |= {"form": form, "phases": phases, "work_stages": service.WORK_STAGES}
    return render(request, "engagements/detail.html", context, status)


@router.get("/engagements/{engagement_id:int}")
def detail(request: Request, engagement_id: int, session: DbSession, user: CurrentUser) -> Response:
    return _detail_page(request, session, user, engagement_id)


def _act(
    request: Request,
    form: FormData,
    session: DbSession,
    user: User,
    engagement_id: int,
    name: str,
    model: type[BaseModel],
    action: Callable[[Any], object],
) -> Response:
    """One detail-page form, then back to its section; on errors, the detail page again with
    what was typed and why it was refused."""
    data = form_dict(form)

    def act(parsed: Any) -> str:
        action(parsed)
        return f"/engagements/{engagement_id}#{name}"

    def again(errors: dict[str, str], status: int) -> Response:
        return _detail_page(request, session, user, engagement_id, (name, errors, data), status)

    return submit(request, session, model, data, act, again)


class Empty(BaseModel):
    pass


@router.post("/engagements/{engagement_id:int}/move", dependencies=STAFF)
def move(
    request: Request, form: Form, engagement_id: int, session: DbSession, user: CurrentUser
) -> Response:
    def go(p: MoveIn) -> object:
        return stages.move_stage(
            session, user, engagement_id, Stage(p.to), p.version, p.reason, p.override
        )

    return _act(request, form, session, user, engagement_id, "move", MoveIn, go)


@router.post("/engagements/{engagement_id:int}/plan")
def plan(
    request: Request, form: Form, engagement_id: int, session: DbSession, user: CurrentUser
) -> Response:
    def go(p: PlanIn) -> object:
        stage = Stage(p.stage)
        return work.set_plan(session, user, engagement_id, stage, p.planned_start, p.planned_end)

    return _act(request, form, session, user, engagement_id, "plan", PlanIn, go)


@router.post("/engagements/{engagement_id:int}/milestones")
def add_milestone(
    request: Request, form: Form, engagement_id: int, session: DbSession, user: CurrentUser
) -> Response:
    def go(p: MilestoneIn) -> object:
        stage = Stage(p.stage)
        return work.add_milestone(
            session, user, engagement_id, stage, p.title, p.deliverable, p.due_date
        )

    return _act(request, form, session, user, engagement_id, "milestones", MilestoneIn, go)


@router.post("/engagements/{engagement_id:int}/milestones/{milestone_id:int}/deliver")
def deliver_milestone(
    request: Request,
    form: Form,
    engagement_id: int,
    milestone_id: int,
    session: DbSession,
    user: CurrentUser,
) -> Response:
    def go(_: Empty) -> object:
        return work.deliver_milestone(session, user, engagement_id, milestone_id)

    return _act(request, form, session, user, engagement_id, "milestones", Empty, go)


@router.post("/engagements/{engagement_id:int}/milestones/{milestone_id:int}/accept")
def accept_milestone(
    request: Request,
    form: Form,
    engagement_id: int,
    milestone_id: int,
    session: DbSession,
    user: CurrentUser,
) -> Response:
    def go(_: Empty) -> object:
        return work.accept_milestone(session, user, engagement_id, milestone_id)

    return _act(request, form, session, user, engagement_id, "milestones", Empty, go)


@router.post("/engagements/{engagement_id:int}/notes")
def add_note(
    request: Request, form: Form, engagement_id: int, session: DbSession, user: CurrentUser
) -> Response:
    def go(p: NoteIn) -> object:
        return work.add_note(session, user, engagement_id, p.text)

    return _act(request, form, session, user, engagement_id, "notes", NoteIn, go)


@router.post("/engagements/{engagement_id:int}/results")
def record_result(
    request: Request, form: Form, engagement_id: int, session: DbSession, user: CurrentUser
) -> Response:
    def go(p: ResultIn) -> object:
        phase = ResultPhase(p.phase)
        return outcomes.record_result(
            session, user, engagement_id, p.kpi_id, phase, p.value, p.evidence
        )

    return _act(request, form, session, user, engagement_id, "results", ResultIn, go)


@router.post("/engagements/{engagement_id:int}/results/{result_id:int}/verify", dependencies=STAFF)
def verify_result(
    request: Request,
    form: Form,
    engagement_id: int,
    result_id: int,
    session: DbSession,
    user: CurrentUser,
) -> Response:
    def go(_: Empty) -> object:
        return outcomes.verify_result(session, user, engagement_id, result_id)

    return _act(request, form, session, user, engagement_id, "results", Empty, go)


@router.post("/engagements/{engagement_id:int}/results/{result_id:int}/reject", dependencies=STAFF)
def reject_result(
    request: Request,
    form: Form,
    engagement_id: int,
    result_id: int,
    session: DbSession,
    user: CurrentUser,
) -> Response:
    def go(p: RejectIn) -> object:
        return outcomes.reject_result(session, user, engagement_id, result_id, p.reason)

    return _act(request, form, session, user, engagement_id, f"reject-{result_id}", RejectIn, go)


@router.post("/engagements/{engagement_id:int}/review")
def write_review(
    request: Request, form: Form, engagement_id: int, session: DbSession, user: CurrentUser
) -> Response:
    def go(p: ReviewIn) -> object:
        return outcomes.write_review(session, user, engagement_id, p.rating, p.text)

    return _act(request, form, session, user, engagement_id, "review", ReviewIn, go)
