"""Addenda and derived statuses on the pages and the API: the amend form, the need page's
addenda, the bidder's confirm step, the comparison's older-version mark, and "awaiting
selection" wherever a need's status is shown."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.hooks import install
from app.models import NeedAmendment, NeedStatus, utcnow
from tests.bids.conftest import make_bid, pass_deadline
from tests.builders import make_manufacturer, make_need, make_staff, make_supplier
from tests.needs.helpers import Landmarks, api_body, need_form, seoul_input


@pytest.fixture
def market(session):
    install()
    owner = make_manufacturer(session)
    need = make_need(session, owner, deadline_at=utcnow() + timedelta(days=10))
    alpha, beta = make_supplier(session, "알파AI"), make_supplier(session, "베타AI")
    make_bid(session, alpha, need)
    make_bid(session, beta, need, approach="베타의 비전 검사 접근 방식")
    session.commit()
    return need, owner, alpha, beta


def addenda(session) -> int:
    return session.scalar(select(func.count(NeedAmendment.id)))


def test_amend_form_creates_an_addendum_shown_on_the_need(browser, session, market) -> None:
    need, owner, alpha, _ = market
    browser.login(owner)
    edit = Landmarks(browser.get(f"/needs/{need.id}/edit").text)
    assert "amendment-rules" in edit.ids
    data = need_form(
        budget_max="4000", amendment_reason="원청 예산 축소", version=str(need.version)
    )
    assert browser.post(f"/needs/{need.id}/edit", data).status_code == 303
    page = Landmarks(browser.get(f"/needs/{need.id}").text)
    assert {"amendments", "amendment-1", "change-1-budget_max"} <= page.ids
    assert "4000" in page.texts["change-1-budget_max"]
    assert "change-1-confidential_notes" not in page.ids  # private: never in an addendum
    browser.login(alpha)
    seen = Landmarks(browser.get(f"/needs/{need.id}").text)
    assert "change-1-budget_max" in seen.ids and "원청 예산 축소" in seen.texts["amendment-1"]


def test_amend_form_refuses_an_earlier_deadline_without_notice(browser, session, market) -> None:
    need, owner, *_ = market
    browser.login(owner)
    data = need_form(deadline_at=seoul_input(1), version=str(need.version))
    response = browser.post(f"/needs/{need.id}/edit", data)
    assert response.status_code == 422 and "deadline_at-error" in Landmarks(response.text).ids
    assert addenda(session) == 0


def test_bidder_confirms_on_the_bid_page(browser, session, market) -> None:
    need, owner, alpha, _ = market
    browser.login(owner)
    browser.post(f"/needs/{need.id}/edit", need_form(version=str(need.version)))
    browser.login(alpha)
    page = Landmarks(browser.get(f"/needs/{need.id}/bid").text)
    assert {"confirm-needed", "confirm-form"} <= page.ids
    mine = browser.get("/bids").text
    assert "confirm-needed" in mine
    confirmed = browser.post(f"/needs/{need.id}/bid/confirm", {"version": page.values["version"]})
    assert confirmed.status_code == 303
    assert "confirm-needed" not in Landmarks(browser.get(f"/needs/{need.id}/bid").text).ids
    again = browser.post(f"/needs/{need.id}/bid/confirm", {})
    assert again.status_code == 409


def test_comparison_marks_bids_made_against_an_older_version(browser, session, market) -> None:
    need, owner, alpha, beta = market
    browser.login(owner)
    response = browser.api("PUT", f"/api/needs/{need.id}", api_body(version=need.version))
    assert response.status_code == 200 and response.json()["amendment"] == 1
    browser.login(alpha)
    confirmed = browser.api("POST", f"/api/needs/{need.id}/bid/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["needs_confirmation"] is False
    assert browser.api("POST", f"/api/needs/{need.id}/bid/confirm").status_code == 409
    session.expire_all()
    pass_deadline(session, need)
    browser.login(owner)
    page = Landmarks(browser.get(f"/needs/{need.id}/bids").text)
    assert f"older-{beta.organization_id}" in page.ids
    assert f"older-{alpha.organization_id}" not in page.ids
    rows = browser.api("GET", f"/api/needs/{need.id}/bids").json()["bids"]
    flags = {row["bid"]["supplier_org_id"]: row["bid"]["needs_confirmation"] for row in rows}
    assert flags == {alpha.organization_id: False, beta.organization_id: True}


def test_amendments_api_and_refusals(browser, session, market) -> None:
    need, owner, alpha, _ = market
    browser.login(owner)
    soon = (utcnow() + timedelta(hours=5)).isoformat()
    early = browser.api("PUT", f"/api/needs/{need.id}", api_body(deadline_at=soon, version=1))
    assert early.status_code == 422 and addenda(session) == 0
    body = api_body(budget_min=1000, amendment_reason="범위 확대", version=need.version)
    assert browser.api("PUT", f"/api/needs/{need.id}", body).status_code == 200
    browser.login(alpha)
    (item,) = browser.api("GET", f"/api/needs/{need.id}/amendments").json()
    assert item["number"] == 1 and item["reopens"] is True and item["reason"] == "범위 확대"
    assert item["changes"]["budget_min"] == {"before": 3000, "after": 1000}
    assert "confidential_notes" not in item["changes"]
    assert browser.api("GET", f"/api/needs/{need.id}/bid").json()["needs_confirmation"] is True
    session.expire_all()
    pass_deadline(session, need)
    browser.login(owner)
    late = browser.api("PUT", f"/api/needs/{need.id}", api_body(version=need.version))
    assert late.status_code == 409
    assert browser.get(f"/needs/{need.id}/edit").status_code == 409


def test_a_need_past_its_deadline_shows_awaiting_selection_everywhere(
    browser, session, market
) -> None:
    need, owner, alpha, _ = market
    pass_deadline(session, need)
    browser.login(owner)
    assert browser.api("GET", f"/api/needs/{need.id}").json()["status"] == "awaiting_selection"
    page = Landmarks(browser.get(f"/needs/{need.id}").text)
    assert page.texts["need-status"] == "마감 · 선정 대기"
    row = Landmarks(browser.get("/needs/mine").text).texts[f"need-{need.id}"]
    assert "마감 · 선정 대기" in row and "입찰 진행 중" not in row
    assert "edit-need" not in Landmarks(browser.get(f"/needs/{need.id}").text).ids
    listed = browser.api("GET", "/api/needs?status=awaiting_selection").json()["items"]
    assert [n["id"] for n in listed] == [need.id]
    assert browser.api("GET", "/api/needs?status=open").json()["items"] == []
    browser.login(alpha)
    assert browser.api("GET", "/api/needs").json()["items"] == []
    assert f"need-{need.id}" not in Landmarks(browser.get("/needs").text).rows
    browser.login(make_staff(session))
    assert "마감 · 선정 대기" in Landmarks(browser.get("/needs").text).texts[f"need-{need.id}"]


def test_publish_needs_a_budget_and_a_kpi_on_the_page_and_the_api(browser, session) -> None:
    owner = make_manufacturer(session)
    deadline = utcnow() + timedelta(days=10)
    no_budget = make_need(
        session, owner, NeedStatus.draft, deadline_at=deadline, budget_min=None, budget_max=None
    )
    no_kpi = make_need(session, owner, NeedStatus.draft, deadline_at=deadline)
    no_kpi.kpis = []
    session.commit()
    browser.login(owner)
    refused = browser.post(f"/needs/{no_budget.id}/publish", {"version": str(no_budget.version)})
    assert refused.status_code == 422 and "need-error" in Landmarks(refused.text).ids
    assert browser.api("POST", f"/api/needs/{no_kpi.id}/publish", {}).status_code == 422
    session.expire_all()
    assert no_budget.status is NeedStatus.draft and no_kpi.status is NeedStatus.draft
    published = make_need(session, owner, deadline_at=deadline)
    session.commit()
    body = api_body(kpis=[], version=published.version)
    assert browser.api("PUT", f"/api/needs/{published.id}", body).status_code == 422
