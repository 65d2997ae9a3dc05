"""Shortlist, selection, coordinator approval/rejection and direct proposals."""

from datetime import date

import pytest
from sqlalchemy import select

from app.engagements import outcomes, work
from app.engagements.stages import move_stage
from app.models import (
    AuditEntry,
    Award,
    AwardStatus,
    Engagement,
    NeedStatus,
    ResultPhase,
    Stage,
    utcnow,
)
from tests.bids.conftest import future, make_bid, pass_deadline
from tests.builders import (
    make_engagement,
    make_manufacturer,
    make_need,
    make_staff,
    make_supplier,
)


@pytest.fixture
def decided(session):
    owner = make_manufacturer(session)
    need = make_need(session, owner, deadline_at=future())
    alpha, beta = make_supplier(session, "알파AI"), make_supplier(session, "베타AI")
    make_bid(session, alpha, need)
    make_bid(session, beta, need, price_total=4000, price_subsidy=3000, price_copay=1000)
    pass_deadline(session, need)
    return owner, need, alpha, beta, make_staff(session)


def actions(session):
    session.expire_all()
    return [a for a in session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))]


def test_pages_shortlist_select_approve(browser, session, decided) -> None:
    owner, need, alpha, beta, coordinator = decided
    browser.login(owner)
    url = f"/needs/{need.id}"
    assert browser.post(f"{url}/bids/{alpha.organization_id}/shortlist").status_code == 303
    page = browser.get(f"{url}/bids")
    assert 'class="bid-col shortlisted"' in page.text and 'id="select-form"' in page.text
    bad = browser.confirm(f"{url}/award", {"supplier_org_id": alpha.organization_id})
    assert bad.status_code == 422 and session.scalar(select(Award)) is None
    form = {"supplier_org_id": alpha.organization_id, "justification": "실적과 가격이 적정"}
    assert browser.confirm(f"{url}/award", form).status_code == 303
    browser.login(coordinator)
    assert 'id="award-queue"' in browser.get("/awards").text
    assert browser.confirm(f"{url}/award/approve", {"reason": "적격"}).status_code == 303
    session.expire_all()
    engagement = session.scalar(select(Engagement))
    assert engagement.supplier_org_id == alpha.organization_id
    assert need.status is NeedStatus.closed
    again = browser.confirm(f"{url}/award/approve", {"reason": "적격"})
    assert again.status_code == 409
    browser.login(beta)
    assert 'id="bid-outcome"' in browser.get(f"{url}/bid").text
    assert browser.api("GET", "/api/bids").json()[0]["outcome"] == "not_selected"
    browser.login(alpha)
    assert browser.api("GET", "/api/bids").json()[0]["outcome"] == "selected"
    assert {"bid.shortlisted", "award.selected", "award.approved", "engagement.started"} <= set(
        actions(session)
    )


def test_api_reject_returns_to_selection(browser, session, decided) -> None:
    owner, need, alpha, beta, coordinator = decided
    browser.login(owner)
    url = f"/api/needs/{need.id}"
    body = {"supplier_org_id": beta.organization_id, "justification": "최저가"}
    assert browser.api("POST", f"{url}/award", body).status_code == 201
    assert browser.api("POST", f"{url}/award", body).status_code == 409
    browser.login(coordinator)
    assert len(browser.api("GET", "/api/awards").json()) == 1
    rejected = browser.api("POST", f"{url}/award/reject", {"reason": "역량 부족"})
    assert rejected.json()["status"] == "rejected"
    assert browser.api("POST", f"{url}/award/approve", {"reason": "x" * 3}).status_code == 409
    browser.login(owner)
    body["supplier_org_id"] = alpha.organization_id
    assert browser.api("POST", f"{url}/award", body).status_code == 201
    browser.login(alpha)
    assert browser.api("GET", "/api/bids").json()[0]["outcome"] is None
    assert "award.rejected" in actions(session)


def test_selection_rules(browser, session) -> None:
    owner = make_manufacturer(session)
    need = make_need(session, owner, deadline_at=future())
    alpha = make_supplier(session)
    make_bid(session, alpha, need)
    browser.login(owner)
    url = f"/api/needs/{need.id}"
    body = {"supplier_org_id": alpha.organization_id, "justification": "사전 선정"}
    assert browser.api("POST", f"{url}/award", body).status_code == 409  # still sealed
    pass_deadline(session, need)
    browser.login(make_manufacturer(session, "남의공장"))
    assert browser.api("POST", f"{url}/award", body).status_code == 404
    browser.login(alpha)
    assert browser.api("POST", f"{url}/award", body).status_code == 403
    browser.login(make_staff(session))
    assert browser.api("POST", f"{url}/award/approve", {"reason": "없음"}).status_code == 409


def test_direct_proposal_accept_and_decline(browser, session) -> None:
    owner = make_manufacturer(session)
    need = make_need(session, owner, deadline_at=future())
    alpha, beta = make_supplier(session, "알파AI"), make_supplier(session, "베타AI")
    make_bid(session, beta, need)
    browser.login(make_staff(session))
    url = f"/api/needs/{need.id}/proposals"
    sealed = browser.api("POST", url, {"supplier_org_id": alpha.organization_id})
    assert sealed.status_code == 409 and "입찰" in sealed.json()["message"]  # collecting bids
    body = {"supplier_org_id": alpha.organization_id, "end_bidding": True, "end_reason": "짧음"}
    assert browser.api("POST", url, body).status_code == 422  # ending needs a real reason
    body["end_reason"] = "입찰이 한 건뿐이라 지원단이 적합 공급기업을 직접 제안합니다"
    assert browser.api("POST", url, body).status_code == 201
    form = {"supplier_org_id": beta.organization_id, "note": "지역 전문"}
    assert browser.post(f"/needs/{need.id}/proposals", form).status_code == 303
    assert browser.api("POST", url, {"supplier_org_id": alpha.organization_id}).status_code == 409
    browser.login(owner)
    assert len(browser.api("GET", url).json()) == 2
    declined = browser.confirm(f"/needs/{need.id}/proposals/{beta.organization_id}/decline")
    assert declined.status_code == 303
    accepted = browser.api("POST", f"{url}/{alpha.organization_id}/accept", {"version": 1})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    session.expire_all()
    assert session.scalar(select(Engagement)).proposal_id == accepted.json()["id"]
    assert {"proposal.created", "proposal.declined", "proposal.accepted"} <= set(actions(session))
    browser.login(beta)
    assert browser.api("GET", "/api/bids").json()[0]["outcome"] == "not_selected"


def test_award_version_conflict(browser, session, decided) -> None:
    owner, need, alpha, _, coordinator = decided
    browser.login(owner)
    body = {"supplier_org_id": alpha.organization_id, "justification": "적정"}
    browser.api("POST", f"/api/needs/{need.id}/award", body)
    browser.login(coordinator)
    stale = browser.api(
        "POST", f"/api/needs/{need.id}/award/approve", {"reason": "ok", "version": 9}
    )
    assert stale.status_code == 409
    assert session.scalar(select(Award)).status is AwardStatus.pending


def verified_result(session, supplier, coordinator) -> None:
    """A finished demonstration of `supplier` elsewhere, with one verified KPI result."""
    engagement = make_engagement(session, make_manufacturer(session, "예전고객"), supplier)
    design = next(s for s in engagement.stages if s.stage is Stage.design)
    design.planned_start, design.planned_end = date(2026, 1, 5), date(2026, 2, 5)
    milestone = work.add_milestone(session, supplier, engagement.id, Stage.design, "설계", "", None)
    move_stage(session, coordinator, engagement.id, Stage.design, None)
    work.deliver_milestone(session, supplier, engagement.id, milestone.id)
    milestone.accepted_at = utcnow()  # accepted by the manufacturer (not in this cast)
    move_stage(session, coordinator, engagement.id, Stage.demonstration, None)
    kpi = engagement.kpis[0]
    result = outcomes.record_result(
        session, supplier, engagement.id, kpi.id, ResultPhase.demonstration, 0.8, "측정"
    )
    outcomes.verify_result(session, coordinator, engagement.id, result.id)
    session.commit()


def test_comparison_shows_the_verified_track_record(browser, session, decided) -> None:
    owner, need, alpha, beta, coordinator = decided
    verified_result(session, alpha, coordinator)
    browser.login(owner)
    rows = browser.api("GET", f"/api/needs/{need.id}/bids").json()["bids"]
    track = {row["bid"]["supplier_org_id"]: row["track_record"] for row in rows}
    assert [line["metric"] for line in track[alpha.organization_id]] == ["defect_rate"]
    assert track[beta.organization_id] == []
    page = browser.get(f"/needs/{need.id}/bids").text
    assert "불량률 3% → 0.8%" in page and page.count('class="track"') == 2


def test_proposals_by_name_then_a_link_to_the_engagement(browser, session) -> None:
    owner = make_manufacturer(session)
    need = make_need(session, owner, deadline_at=future())
    alpha = make_supplier(session, "알파AI")
    coordinator = make_staff(session)
    session.commit()
    browser.login(coordinator)
    page = browser.get(f"/needs/{need.id}/bids").text
    assert 'id="propose-form"' in page and f'<option value="{alpha.organization_id}"' in page
    form = {"supplier_org_id": alpha.organization_id, "note": "지역 전문", "end_bidding": "true"}
    form["end_reason"] = "입찰이 없어 지원단이 직접 제안합니다"  # bids are sealed until then
    assert browser.post(f"/needs/{need.id}/proposals", form).status_code == 303
    again = browser.post(f"/needs/{need.id}/proposals", form)
    assert again.status_code == 409 and 'id="selection-error"' in again.text
    browser.login(owner)
    page = browser.get(f"/needs/{need.id}/bids").text
    assert "알파AI" in page and 'id="engagement-link"' not in page
    proposals = browser.api("GET", f"/api/needs/{need.id}/proposals").json()
    assert proposals[0]["supplier_name"] == "알파AI"
    url = f"/needs/{need.id}/proposals/{alpha.organization_id}/accept"
    assert browser.confirm(url, {"version": 1}).status_code == 303
    assert 'id="engagement-link"' in browser.get(f"/needs/{need.id}/bids").text
    session.expire_all()
    assert session.scalar(select(Engagement)).proposal_id == proposals[0]["id"]
