"""Invitations to bid, and anonymous clarification questions."""

from sqlalchemy import select

from app.models import AuditEntry, BidInvitation, Clarification, Membership
from tests.bids.conftest import future, pass_deadline
from tests.builders import make_manufacturer, make_need, make_staff, make_supplier


def setup(session):
    owner = make_manufacturer(session)
    need = make_need(session, owner, deadline_at=future())
    return owner, need, make_supplier(session, "알파AI"), make_supplier(session, "베타AI")


def actions(session):
    session.expire_all()
    return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_owner_invites_from_page_and_supplier_opens(browser, session) -> None:
    owner, need, alpha, _ = setup(session)
    browser.login(owner)
    assert browser.get(f"/needs/{need.id}/invite").status_code == 200
    form = {"supplier_org_id": alpha.organization_id}
    assert browser.post(f"/needs/{need.id}/invitations", form).status_code == 303
    assert browser.post(f"/needs/{need.id}/invitations", form).status_code == 303
    assert len(session.scalars(select(BidInvitation)).all()) == 1
    assert "bid.invited" in actions(session)
    browser.login(alpha)
    page = browser.get("/bids/invitations")
    assert page.status_code == 200 and 'class="new"' in page.text
    opened = browser.post(f"/needs/{need.id}/invitation/open")
    assert opened.headers["location"] == f"/needs/{need.id}/bid"
    assert 'class="seen"' in browser.get("/bids/invitations").text


def test_api_invitations_and_ownership(browser, session) -> None:
    owner, need, alpha, _ = setup(session)
    applicant = make_supplier(session, "신청", membership=Membership.applied)
    browser.login(make_manufacturer(session, "남의공장"))
    url = f"/api/needs/{need.id}/invitations"
    assert browser.api("POST", url, {"supplier_org_id": alpha.organization_id}).status_code == 404
    browser.login(make_staff(session))
    assert (
        browser.api("POST", url, {"supplier_org_id": applicant.organization_id}).status_code == 404
    )
    created = browser.api("POST", url, {"supplier_org_id": alpha.organization_id})
    assert created.status_code == 201
    browser.login(alpha)
    assert [i["need_id"] for i in browser.api("GET", "/api/bid-invitations").json()] == [need.id]
    seen = browser.api("POST", f"/api/needs/{need.id}/invitation/seen")
    assert seen.json()["seen_at"] is not None


def test_questions_are_shared_without_the_asker(browser, session) -> None:
    owner, need, alpha, beta = setup(session)
    browser.login(alpha)
    asked = browser.post(f"/needs/{need.id}/questions", {"question": "데이터는 몇 장입니까?"})
    assert asked.status_code == 303
    item = session.scalar(select(Clarification))
    browser.login(owner)
    page = browser.get(f"/needs/{need.id}/questions")
    assert "알파AI" not in page.text and f'id="question-{item.id}"' in page.text
    answer = {"question_id": item.id, "answer": "약 2만 장입니다."}
    assert browser.post(f"/needs/{need.id}/questions/answer", answer).status_code == 303
    browser.login(beta)
    listed = browser.api("GET", f"/api/needs/{need.id}/questions").json()
    assert listed[0]["answer"] == "약 2만 장입니다."
    assert "asked_by_org_id" not in listed[0] and "asked_by_id" not in listed[0]
    assert "알파AI" not in browser.get(f"/needs/{need.id}/questions").text
    assert {"clarification.asked", "clarification.answered"} <= set(actions(session))


def test_question_rules(browser, session) -> None:
    owner, need, alpha, beta = setup(session)
    browser.login(alpha)
    url = f"/api/needs/{need.id}/questions"
    assert browser.api("POST", url, {"question": "짧"}).status_code == 422
    assert browser.post(f"/needs/{need.id}/questions", {"question": ""}).status_code == 422
    created = browser.api("POST", url, {"question": "검사 속도 요구는?"})
    assert created.status_code == 201 and "asked_by_org_id" not in created.json()
    body = {"question_id": created.json()["id"], "answer": "분당 60개"}
    assert browser.api("POST", url + "/answer", body).status_code == 403
    browser.login(make_manufacturer(session, "남의공장"))
    assert browser.api("POST", url + "/answer", body).status_code == 404
    pass_deadline(session, need)
    browser.login(beta)
    assert browser.api("POST", url, {"question": "마감 후 질문입니다"}).status_code == 409


def test_need_page_links_to_bidding(browser, session) -> None:
    owner, need, alpha, _ = setup(session)
    browser.login(alpha)
    assert 'id="bid-link"' in browser.get(f"/needs/{need.id}").text
    browser.login(owner)
    page = browser.get(f"/needs/{need.id}").text
    assert 'id="bids-link"' in page and 'id="invite-link"' in page and 'id="bid-link"' not in page
