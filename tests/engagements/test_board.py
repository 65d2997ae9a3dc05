"""The pipeline board: days in stage, who the engagement waits for, overdue and stalled."""

from datetime import timedelta

from sqlalchemy import update

from app.engagements import work
from app.engagements.board import load_board, waiting_for
from app.engagements.service import today
from app.models import AuditEntry, Stage, utcnow
from tests.engagements.helpers import advance, cast, ids, plan_design


def whos(engagement) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(w.who, str(w.what)) for w in waiting_for(engagement)]


def card_of(session, engagement, **filters):  # type: ignore[no-untyped-def]
    board = load_board(session, 21, **filters)
    found = [c for cs in board.columns.values() for c in cs if c.engagement.id == engagement.id]
    return found[0] if found else None


def test_a_new_engagement_waits_for_its_plan_then_for_the_sign_off(session) -> None:
    c = cast(session)
    assert whos(c.engagement) == [("supplier", "Plan the work of the stage")]
    plan_design(session, c)
    assert ("coordinator", "Sign off the stage") in whos(c.engagement)
    assert ("supplier", "Deliver a milestone") not in whos(c.engagement)  # a design milestone


def test_a_delivered_milestone_waits_for_the_manufacturer(session) -> None:
    c = cast(session)
    advance(session, c, Stage.design)
    milestone = next(m for m in c.engagement.milestones if m.stage is Stage.design)
    assert ("supplier", "Deliver a milestone") in whos(c.engagement)
    work.deliver_milestone(session, c.supplier, c.engagement.id, milestone.id)
    assert whos(c.engagement)[0] == ("manufacturer", "Accept a delivered milestone")


def test_demonstration_waits_for_results_then_for_their_verification(session) -> None:
    from app.engagements import outcomes
    from app.models import ResultPhase

    c = cast(session)
    advance(session, c, Stage.demonstration)
    assert ("supplier", "Record results") in whos(c.engagement)
    kpi = c.engagement.kpis[0]
    outcomes.record_result(
        session, c.supplier, c.engagement.id, kpi.id, ResultPhase.demonstration, 0.8, "측정"
    )
    assert whos(c.engagement) == [("coordinator", "Verify a result")]


def test_days_in_stage_and_a_late_milestone_makes_it_overdue(session) -> None:
    c = cast(session)
    c.engagement.stages[0].actual_start = today() - timedelta(days=9)
    session.flush()
    card = card_of(session, c.engagement)
    assert card.days_in_stage == 9 and not card.overdue and not card.stalled
    work.add_milestone(
        session, c.supplier, c.engagement.id, Stage.consulting, "진단", "", today() - timedelta(1)
    )
    assert card_of(session, c.engagement).overdue
    assert card_of(session, c.engagement, flag="overdue") is not None
    assert card_of(session, c.engagement, flag="stalled") is None


def test_nothing_recorded_for_the_set_days_is_stalled(session) -> None:
    c = cast(session)
    old = utcnow() - timedelta(days=22)
    session.execute(update(AuditEntry).values(created_at=old))
    c.engagement.created_at = old
    session.flush()
    assert card_of(session, c.engagement).stalled
    assert not card_of(session, c.engagement).overdue
    work.add_note(session, c.supplier, c.engagement.id, "진행 중입니다")
    assert not card_of(session, c.engagement).stalled


def test_closed_engagements_carry_no_chips_nor_flags(session) -> None:
    c = cast(session)
    advance(session, c, Stage.closed)
    card = card_of(session, c.engagement)
    assert card.waiting == [] and not card.overdue and not card.stalled


def test_the_page_shows_columns_chips_and_keeps_the_flag_filter(browser, session) -> None:
    c = cast(session)
    browser.login(c.coordinator)
    page = browser.get("/engagements/board").text
    assert {f"column-{s.value}" for s in Stage} | {f"card-{c.engagement.id}"} <= ids(page)
    assert "waiting-supplier" in page
    # the board needs no script of its own (base.html's upload.js adds progress bars and
    # picker.js searches pickers, on every page)
    assert page.count("<script") == sum(
        page.count(f'<script src="/static/{name}"') for name in ("upload.js", "picker.js")
    )
    filtered = browser.get("/engagements/board?flag=stalled").text
    assert f"card-{c.engagement.id}" not in ids(filtered)
    assert '<option value="stalled" selected>' in filtered
    assert browser.get("/engagements/board?flag=bogus").status_code == 200  # shown, not applied


def test_the_api_returns_cards_with_the_new_fields(browser, session) -> None:
    c = cast(session)
    browser.login(c.coordinator)
    board = browser.api("GET", "/api/engagements/board").json()
    card = board["columns"]["consulting"][0]
    assert board["stalled_days"] == 21
    assert card["id"] == c.engagement.id and card["days_in_stage"] == 0
    assert card["waiting_for"] == [{"who": "supplier", "what": "단계 작업 계획 수립"}]
    assert card["stalled"] is False and card["overdue"] is False
    assert browser.api("GET", "/api/engagements/board?flag=late").status_code == 422
