"""HTML routes for engagements: list, board, detail, and the detail page's forms."""

from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Request
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
from app.files import service as files
from app.files.download import UploadsDep
from app.files.pages import upload
from app.i18n import Msgid
from app.models import ResultPhase, Role, Stage, User
from app.web import (
    Ask,
    Form,
    accepts_uploads,
    confirm_step,
    flash,
    form_dict,
    render,
    request_locale,
    submit,
    validate_form,
)

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
    phases = outcomes.open_phases(detail.engagement)
    open_kpis = outcomes.open_kpis(detail.engagement, phases)
    context |= {"form": form, "phases": phases, "open_kpis": open_kpis}
    context["work_stages"] = service.WORK_STAGES
    return render(request, "engagements/detail.html", context, status)


@router.get("/engagements/{engagement_id:int}")
def detail(request: Request, engagement_id: int, session: DbSession, user: CurrentUser) -> Response:
    return _detail_page(request, session, user, engagement_id)


def section_form(
    request: Request,
    form: FormData,
    session: DbSession,
    user: User,
    engagement_id: int,
    back: str,
    model: type[BaseModel],
    action: Callable[[Any], object],
    again: Callable[[dict[str, Any], dict[str, str], int], Response],
    question: Callable[[Any], Ask] | None = None,
    done: Callable[[Any], Msgid] | None = None,
) -> Response:
    """One form of an engagement's pages (its detail, its agreement), then back to `back`
    (its section, with the `done` message for the parsed form, if any); on errors
    `again(data, errors, status)`: the page with what was typed and why it was refused. With
    a `question` (for the parsed form) a binding step is confirmed first, and only by those
    who may read the engagement."""
    data = form_dict(form)

    def act(parsed: Any) -> Response | str:
        action(parsed)
        return flash(request, back, done(parsed)) if done else back

    def ask(parsed: Any) -> Response | None:
        if question is None:
            return None
        service.get_engagement(session, user, engagement_id)  # nothing to confirm for others
        return confirm_step(request, form, question(parsed))

    def retry(errors: dict[str, str], status: int) -> Response:
        return again(data, errors, status)

    return submit(request, session, model, data, act, retry, ask=ask)


def _act(
    request: Request,
    form: FormData,
    session: DbSession,
    user: User,
    engagement_id: int,
    name: str,
    model: type[BaseModel],
    action: Callable[[Any], object],
    confirm: tuple[Callable[[Any], Ask], Callable[[Any], Msgid]] | None = None,
) -> Response:
    """One detail-page form, back to its section (`#name`)."""

    def again(data: dict[str, Any], errors: dict[str, str], status: int) -> Response:
        return _detail_page(request, session, user, engagement_id, (name, errors, data), status)

    back = f"/engagements/{engagement_id}#{name}"
    question, done = confirm or (None, None)
    return section_form(
        request, form, session, user, engagement_id, back, model, action, again, question, done
    )


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

    def ask(p: MoveIn) -> Ask:
        back = f"/engagements/{engagement_id}#stages"
        if p.to == Stage.cancelled.value:
            return Ask(*CANCEL_WORDS, back, button=Msgid("Cancel the engagement"))
        params = {"stage": stages.STAGE_NAMES[Stage(p.to)]}
        return Ask(*MOVE_WORDS, back, params, Msgid("Sign off and move"))

    def done(p: MoveIn) -> Msgid:
        if p.to == Stage.cancelled.value:
            return Msgid("The engagement is cancelled.")
        return Msgid("The stage is signed off and the engagement has moved on.")

    confirm = (ask, done)
    return _act(request, form, session, user, engagement_id, "move", MoveIn, go, confirm)


MOVE_WORDS = (
    Msgid("Sign off this stage?"),
    Msgid(
        "The current stage is signed off and the engagement moves to %(stage)s;"
        " stages do not move back."
    ),
    Msgid("The manufacturer and the supplier are sent a notice."),
)
CANCEL_WORDS = (
    Msgid("Cancel this engagement?"),
    Msgid("The engagement ends without completion and cannot be reopened."),
    Msgid("The manufacturer and the supplier are sent a notice with your reason."),
)


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

    confirm = _words(engagement_id, ACCEPT_MILESTONE, Msgid("The milestone is accepted."))
    return _act(request, form, session, user, engagement_id, "milestones", Empty, go, confirm)


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

    confirm = _words(engagement_id, VERIFY_RESULT, Msgid("The result is verified."))
    return _act(request, form, session, user, engagement_id, "results", Empty, go, confirm)


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

    confirm = _words(engagement_id, REJECT_RESULT, Msgid("The result is rejected."))
    name = f"reject-{result_id}"
    return _act(request, form, session, user, engagement_id, name, RejectIn, go, confirm)


def _words(
    engagement_id: int, words: tuple[Msgid, Msgid, Msgid, Msgid], done: Msgid
) -> tuple[Callable[[Any], Ask], Callable[[Any], Msgid]]:
    """A fixed question and success message for one of the detail page's binding forms."""
    title, happens, told, button = words
    ask = Ask(title, happens, told, f"/engagements/{engagement_id}", button=button)
    return (lambda _: ask), (lambda _: done)


ACCEPT_MILESTONE = (
    Msgid("Accept this milestone?"),
    Msgid("The delivered milestone is accepted as done; an accepted milestone stays accepted."),
    Msgid("The supplier is sent a notice."),
    Msgid("Accept the milestone"),
)
VERIFY_RESULT = (
    Msgid("Verify this result?"),
    Msgid("The measured value counts as verified for the stage gates and the programme figures."),
    Msgid("The supplier and the manufacturer are sent a notice."),
    Msgid("Verify"),
)
REJECT_RESULT = (
    Msgid("Reject this result?"),
    Msgid("The measured value does not count; the supplier may record it again with evidence."),
    Msgid("The supplier and the manufacturer are sent a notice with your reason."),
    Msgid("Reject the result"),
)


@router.post("/engagements/{engagement_id:int}/review")
def write_review(
    request: Request, form: Form, engagement_id: int, session: DbSession, user: CurrentUser
) -> Response:
    def go(p: ReviewIn) -> object:
        return outcomes.write_review(session, user, engagement_id, p.rating, p.text)

    return _act(request, form, session, user, engagement_id, "review", ReviewIn, go)


@router.post(
    "/engagements/{engagement_id:int}/results/{result_id:int}/files",
    dependencies=[Depends(accepts_uploads)],
)
def upload_evidence(
    request: Request,
    form: Form,
    engagement_id: int,
    result_id: int,
    session: DbSession,
    uploads: UploadsDep,
    user: CurrentUser,
) -> Response:
    name = f"evidence-{result_id}"

    def again(errors: dict[str, str], status: int) -> Response:
        return _detail_page(request, session, user, engagement_id, (name, errors, {}), status)

    target = partial(files.result_target, session, user, engagement_id, result_id)
    done = f"/engagements/{engagement_id}#result-{result_id}"
    return upload(request, session, uploads, user, form, target, done, again)


@router.post(
    "/engagements/{engagement_id:int}/milestones/{milestone_id:int}/files",
    dependencies=[Depends(accepts_uploads)],
)
def upload_deliverable(
    request: Request,
    form: Form,
    engagement_id: int,
    milestone_id: int,
    session: DbSession,
    uploads: UploadsDep,
    user: CurrentUser,
) -> Response:
    name = f"deliverable-{milestone_id}"

    def again(errors: dict[str, str], status: int) -> Response:
        return _detail_page(request, session, user, engagement_id, (name, errors, {}), status)

    target = partial(files.milestone_target, session, user, engagement_id, milestone_id)
    done = f"/engagements/{engagement_id}#milestone-{milestone_id}"
    return upload(request, session, uploads, user, form, target, done, again)
