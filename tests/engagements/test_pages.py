from datetime import timedelta

from app.engagements.service import today
from app.models import EngagementNote, Milestone, Stage
from tests.builders import make_engagement, make_manufacturer, make_supplier
from tests.engagements.helpers import actions, advance, cast, ids, meet_gate


def _url(c, tail: str = "") -> str:
    return f"/engagements/{c.engagement.id}{tail}"


def test_parties_list_their_own_and_staff_list_all(browser, session) -> None:
    c = cast(session)
    other = make_engagement(session, make_manufacturer(session, "다른공장"), make_supplier(session))
    for user in (c.supplier, c.manufacturer):
        browser.login(user)
        found = ids(browser.get("/engagements").text)
        assert f"engagement-{c.engagement.id}" in found and f"engagement-{other.id}" not in found
    browser.login(c.coordinator)
    found = ids(browser.get("/engagements").text)
    assert {f"engagement-{c.engagement.id}", f"engagement-{other.id}"} <= found
    found = ids(browser.get("/engagements?stage=design").text)
    assert "no-engagements" in found
    assert browser.get("/engagements?stage=bogus").status_code == 200


def test_overdue_engagements_are_flagged(browser, session) -> None:
    c = cast(session)
    c.engagement.stages[0].planned_end = today() - timedelta(days=1)
    session.flush()
    browser.login(c.manufacturer)
    assert "overdue" in browser.get("/engagements").text
    assert "overdue" in ids(browser.get(_url(c)).text)


def test_a_third_organisation_gets_404(browser, session) -> None:
    c = cast(session)
    browser.login(c.stranger)
    assert browser.get(_url(c)).status_code == 404
    assert browser.post(_url(c, "/notes"), {"text": "안녕하세요"}).status_code == 404
    assert session.query(EngagementNote).count() == 0


def test_coordinator_moves_and_cancels_through_the_page(browser, session) -> None:
    c = cast(session)
    browser.login(c.coordinator)
    assert "move-form" in ids(browser.get(_url(c)).text)
    assert "gate-missing" in ids(browser.get(_url(c)).text)  # no plan yet
    assert browser.confirm(_url(c, "/move"), {"to": "design"}).status_code == 409
    meet_gate(session, c, Stage.design)
    session.flush()
    assert "gate-met" in ids(browser.get(_url(c)).text)
    version = c.engagement.version
    response = browser.confirm(_url(c, "/move"), {"to": "design", "version": version})
    assert response.status_code == 303
    session.refresh(c.engagement)
    assert c.engagement.stage is Stage.design
    stale = browser.confirm(_url(c, "/move"), {"to": "demonstration", "version": version})
    assert stale.status_code == 409
    refused = browser.confirm(_url(c, "/move"), {"to": "cancelled"})
    assert refused.status_code == 422 and "engagement-error" in ids(refused.text)
    browser.confirm(_url(c, "/move"), {"to": "cancelled", "reason": "예산 삭감"})
    session.refresh(c.engagement)
    assert c.engagement.stage is Stage.cancelled
    assert actions(session, c.engagement)[-2:] == ["engagement.moved", "engagement.cancelled"]
    assert "cancel-reason" in ids(browser.get(_url(c)).text)


def test_gate_refusal_is_shown_on_the_page(browser, session) -> None:
    c = cast(session)
    advance(session, c, Stage.demonstration)
    browser.login(c.coordinator)
    response = browser.confirm(_url(c, "/move"), {"to": "deployment"})
    assert response.status_code == 409 and "engagement-error" in ids(response.text)


def test_parties_do_not_see_the_move_form(browser, session) -> None:
    c = cast(session)
    browser.login(c.supplier)
    assert "move-form" not in ids(browser.get(_url(c)).text)
    assert browser.confirm(_url(c, "/move"), {"to": "design"}).status_code == 403


def test_planning_and_its_validation(browser, session) -> None:
    c = cast(session)
    browser.login(c.manufacturer)
    bad = {"stage": "design", "planned_start": "2027-03-01", "planned_end": "2027-02-01"}
    response = browser.post(_url(c, "/plan"), bad)
    assert response.status_code == 422
    assert actions(session, c.engagement) == ["engagement.started"]
    good = {"stage": "design", "planned_start": "2027-03-01", "planned_end": "2027-04-30"}
    assert browser.post(_url(c, "/plan"), good).status_code == 303
    session.refresh(c.engagement)
    row = next(s for s in c.engagement.stages if s.stage is Stage.design)
    assert str(row.planned_end) == "2027-04-30"
    assert actions(session, c.engagement)[-1] == "engagement.planned"


def test_milestones_supplier_adds_and_delivers_manufacturer_accepts(browser, session) -> None:
    c = cast(session)
    browser.login(c.supplier)
    form = {"stage": "consulting", "title": "현장 진단 보고서", "due_date": "2027-01-15"}
    assert browser.post(_url(c, "/milestones"), {**form, "title": ""}).status_code == 422
    assert session.query(Milestone).count() == 0
    assert browser.post(_url(c, "/milestones"), form).status_code == 303
    milestone = session.query(Milestone).one()
    browser.login(c.manufacturer)
    tail = f"/milestones/{milestone.id}"
    assert browser.post(_url(c, "/milestones"), form).status_code == 403
    assert browser.confirm(_url(c, tail + "/accept")).status_code == 409  # not delivered yet
    browser.login(c.supplier)
    assert browser.post(_url(c, tail + "/deliver")).status_code == 303
    browser.login(c.manufacturer)
    asked = browser.post(_url(c, tail + "/accept"))
    assert asked.status_code == 200 and "confirm-form" in ids(asked.text)
    assert browser.confirm(_url(c, tail + "/accept")).status_code == 303
    session.refresh(milestone)
    assert milestone.accepted_by_id == c.manufacturer.id
    assert actions(session, c.engagement)[-3:] == [
        "engagement.milestone_added",
        "engagement.milestone_delivered",
        "engagement.milestone_accepted",
    ]


def test_notes_from_all_three_parties(browser, session) -> None:
    c = cast(session)
    for user in (c.supplier, c.manufacturer, c.coordinator):
        browser.login(user)
        assert browser.post(_url(c, "/notes"), {"text": f"메모 {user.id}"}).status_code == 303
    assert browser.post(_url(c, "/notes"), {"text": "  "}).status_code == 422
    assert session.query(EngagementNote).count() == 3
    page = browser.get(_url(c))
    assert sum(1 for i in ids(page.text) if i.startswith("note-")) == 3 + 1  # + the form


def test_results_recorded_verified_and_rejected_in_pages(browser, session) -> None:
    c = cast(session)
    kpi = c.engagement.kpis[0]
    browser.login(c.supplier)
    form = {"kpi_id": kpi.id, "phase": "demonstration", "value": "0.8", "evidence": "측정표"}
    early = browser.post(_url(c, "/results"), form)  # still in consulting
    assert early.status_code == 409 and "실증 결과는 프로젝트가 해당 단계에" in early.text
    advance(session, c, Stage.demonstration)
    assert browser.post(_url(c, "/results"), {**form, "value": "abc"}).status_code == 422
    assert browser.post(_url(c, "/results"), form).status_code == 303
    session.refresh(kpi)
    (result,) = kpi.results
    browser.login(c.coordinator)
    tail = f"/results/{result.id}"
    assert browser.post(_url(c, tail + "/reject"), {"reason": ""}).status_code == 422
    assert browser.confirm(_url(c, tail + "/reject"), {"reason": "근거 부족"}).status_code == 303
    assert browser.confirm(_url(c, tail + "/verify")).status_code == 303
    session.refresh(result)
    assert result.verified_at is not None and result.rejected_reason is None
    assert f"result-{result.id}" in ids(browser.get(_url(c)).text)


def test_reviews_in_pages(browser, session) -> None:
    c = cast(session)
    browser.login(c.supplier)
    assert browser.post(_url(c, "/review"), {"rating": "5"}).status_code == 409
    advance(session, c, Stage.closed)
    assert "review-form" in ids(browser.get(_url(c)).text)
    assert browser.post(_url(c, "/review"), {"rating": "6"}).status_code == 422
    assert browser.post(_url(c, "/review"), {"rating": "4", "text": "협조적"}).status_code == 303
    page = ids(browser.get(_url(c)).text)
    assert "review-form" not in page
    browser.login(c.manufacturer)
    assert "no-reviews" in ids(browser.get(_url(c)).text)  # hidden until both wrote
    browser.post(_url(c, "/review"), {"rating": "5", "text": "우수"})
    assert sum(1 for i in ids(browser.get(_url(c)).text) if i.startswith("review-")) == 2


def test_timeline_lists_every_change(browser, session) -> None:
    c = cast(session)
    advance(session, c, Stage.design)
    browser.login(c.manufacturer)
    page = browser.get(_url(c))
    found = ids(page.text)
    assert len({i for i in found if i.startswith("event-")}) >= 2 and "timeline" in found


def test_board_groups_by_stage_and_filters(browser, session) -> None:
    c = cast(session)
    other = make_engagement(
        session, make_manufacturer(session, "거제공장", region="gn-geoje"), make_supplier(session)
    )
    advance(session, c, Stage.design)
    browser.login(c.coordinator)
    page = browser.get("/engagements/board").text
    assert {"column-design", "column-consulting", f"card-{c.engagement.id}"} <= ids(page)
    assert f'<option value="{c.supplier.organization_id}" >' in page  # the supplier filter
    found = ids(browser.get("/engagements/board?region=gn-geoje").text)
    assert f"card-{other.id}" in found and f"card-{c.engagement.id}" not in found
    url = f"/engagements/board?supplier={c.supplier.organization_id}&industry=30"
    found = ids(browser.get(url).text)
    assert f"card-{c.engagement.id}" in found and f"card-{other.id}" not in found
    browser.login(c.supplier)
    assert browser.get("/engagements/board").status_code == 403


def test_detail_renders_in_english(browser, session) -> None:
    c = cast(session)
    c.manufacturer.locale = "en"
    advance(session, c, Stage.closed)
    browser.login(c.manufacturer)
    page = browser.get(_url(c))
    assert page.status_code == 200 and "Completed" in page.text and "review-form" in ids(page.text)
