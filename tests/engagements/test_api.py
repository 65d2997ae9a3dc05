from app.models import EngagementNote, KpiResult, Milestone, Review, Stage
from tests.engagements.helpers import actions, advance, cast, meet_gate


def _url(c, tail: str = "") -> str:
    return f"/api/engagements/{c.engagement.id}{tail}"


def test_list_and_detail(browser, session) -> None:
    c = cast(session)
    browser.login(c.supplier)
    page = browser.api("GET", "/api/engagements").json()
    assert [item["id"] for item in page["items"]] == [c.engagement.id]
    assert page["items"][0]["stage"] == "consulting" and page["items"][0]["overdue"] is False
    assert browser.api("GET", "/api/engagements?stage=closed").json()["total"] == 0
    assert browser.api("GET", "/api/engagements?stage=bogus").status_code == 422
    detail = browser.api("GET", _url(c)).json()
    assert [s["stage"] for s in detail["stages"]] == [
        "consulting",
        "design",
        "demonstration",
        "deployment",
    ]
    assert detail["kpis"][0]["metric"] == "defect_rate"
    assert [e["action"] for e in detail["timeline"]] == ["engagement.started"]


def test_a_third_organisation_gets_404(browser, session) -> None:
    c = cast(session)
    browser.login(c.stranger)
    assert browser.api("GET", _url(c)).status_code == 404
    assert browser.api("POST", _url(c, "/notes"), {"text": "hi"}).status_code == 404
    assert browser.api("GET", "/api/engagements").json()["total"] == 0


def test_moves_with_version_and_gate(browser, session) -> None:
    c = cast(session)
    browser.login(c.coordinator)
    early = browser.api("POST", _url(c, "/moves"), {"to": "design"})
    assert early.status_code == 409 and "설계 단계" in early.json()["message"]
    meet_gate(session, c, Stage.design)
    session.flush()
    version = c.engagement.version
    moved = browser.api("POST", _url(c, "/moves"), {"to": "design", "version": version})
    assert moved.status_code == 200 and moved.json()["stage"] == "design"
    stale = browser.api("POST", _url(c, "/moves"), {"to": "demonstration", "version": version})
    assert stale.status_code == 409
    refused = browser.api("POST", _url(c, "/moves"), {"to": "closed"})
    assert refused.status_code == 409
    message = "현장 맞춤형 설계 단계의 프로젝트는 완료 단계로 이동할 수 없습니다."
    assert refused.json()["message"] == message
    assert browser.api("POST", _url(c, "/moves"), {"to": "cancelled"}).status_code == 422
    session.expire_all()
    meet_gate(session, c, Stage.demonstration)
    session.flush()
    assert browser.api("POST", _url(c, "/moves"), {"to": "demonstration"}).status_code == 200
    gate = browser.api("POST", _url(c, "/moves"), {"to": "deployment"})
    assert (
        gate.status_code == 409
        and "검증된 실증 결과가 아직 없습니다: 불량률" in gate.json()["message"]
    )
    c.coordinator.locale = "en"
    session.flush()
    refused = browser.api("POST", _url(c, "/moves"), {"to": "design"}).json()["message"]
    assert refused == "An engagement in Demonstration cannot move to On-site design."
    gate = browser.api("POST", _url(c, "/moves"), {"to": "deployment"}).json()["message"]
    assert "No verified demonstration result yet: Defect rate." in gate
    browser.login(c.supplier)
    assert browser.api("POST", _url(c, "/moves"), {"to": "deployment"}).status_code == 403


def test_validation_writes_nothing(browser, session) -> None:
    c = cast(session)
    kpi = c.engagement.kpis[0]
    browser.login(c.supplier)
    bad = [
        ("/plan", {"stage": "closed"}),
        ("/plan", {"stage": "design", "planned_start": "2027-05-01", "planned_end": "2027-04-01"}),
        ("/milestones", {"stage": "design", "title": "x" * 201}),
        ("/notes", {"text": ""}),
        ("/notes", {"text": "a", "extra": 1}),
        ("/results", {"kpi_id": kpi.id, "phase": "demonstration", "value": "1", "evidence": "e"}),
        ("/results", {"kpi_id": kpi.id, "phase": "later", "value": 1.0, "evidence": "e"}),
        ("/review", {"rating": 0}),
    ]
    for tail, body in bad:
        assert browser.api("POST", _url(c, tail), body).status_code == 422, (tail, body)
    assert actions(session, c.engagement) == ["engagement.started"]
    for model in (Milestone, EngagementNote, KpiResult, Review):
        assert session.query(model).count() == 0


def test_collaboration_and_outcomes(browser, session) -> None:
    c = cast(session)
    kpi = c.engagement.kpis[0]
    browser.login(c.supplier)
    plan = {"stage": "consulting", "planned_start": "2027-01-01", "planned_end": "2027-01-31"}
    assert browser.api("POST", _url(c, "/plan"), plan).status_code == 200
    milestone = browser.api(
        "POST", _url(c, "/milestones"), {"stage": "consulting", "title": "진단"}
    )
    assert milestone.status_code == 201
    mid = milestone.json()["id"]
    assert browser.api("POST", _url(c, f"/milestones/{mid}/deliver")).status_code == 200
    assert browser.api("POST", _url(c, "/notes"), {"text": "착수"}).status_code == 201
    body = {"kpi_id": kpi.id, "phase": "demonstration", "value": 0.8, "evidence": "측정표"}
    assert browser.api("POST", _url(c, "/results"), body).status_code == 409  # in consulting
    session.expire_all()  # the requests above changed the engagement (its version)
    advance(session, c, Stage.demonstration)
    result = browser.api("POST", _url(c, "/results"), body).json()
    browser.login(c.manufacturer)
    accepted = browser.api("POST", _url(c, f"/milestones/{mid}/accept")).json()
    assert accepted["accepted_at"] is not None
    browser.login(c.coordinator)
    tail = f"/results/{result['id']}"
    assert browser.api("POST", _url(c, tail + "/reject"), {}).status_code == 422
    verified = browser.api("POST", _url(c, tail + "/verify")).json()
    assert verified["verified_at"] is not None
    assert browser.api("POST", _url(c, tail + "/verify")).status_code == 409
    # with the two stage moves and what their gates asked for (a plan, a design milestone)
    assert len(actions(session, c.engagement)) == 14


def test_reviews_and_board(browser, session) -> None:
    c = cast(session)
    advance(session, c, Stage.closed)
    browser.login(c.manufacturer)
    review = browser.api("POST", _url(c, "/review"), {"rating": 5, "text": "우수"})
    assert review.status_code == 201
    assert browser.api("POST", _url(c, "/review"), {"rating": 4}).status_code == 409
    browser.login(c.supplier)
    assert browser.api("GET", _url(c)).json()["reviews"] == []
    browser.login(c.coordinator)
    board = browser.api("GET", "/api/engagements/board").json()["columns"]
    assert [e["id"] for e in board["closed"]] == [c.engagement.id]
    assert browser.api("GET", "/api/engagements/board?region=nowhere").status_code == 422
