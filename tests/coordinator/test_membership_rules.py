"""One membership rule on every path: distinct states, decisions told with their reason,
re-applying, periodic re-checks (queue, reminder, expiry), and suspension checked wherever a
supplier acts or is acted on."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.bids import selection
from app.bids import service as bids
from app.bids.schemas import DecisionIn, SelectIn
from app.coordinator import membership, service
from app.coordinator.schemas import MembershipChange
from app.engagements import work
from app.errors import Conflict
from app.models import AuditEntry, Membership, Notification, Stage, utcnow
from app.notifications import worker
from tests.bids.conftest import future, make_bid, pass_deadline
from tests.builders import (
    make_engagement,
    make_manufacturer,
    make_need,
    make_staff,
    make_supplier,
)
from tests.engagements.helpers import english, ids


def _change(session, coordinator, supplier, status: str, reason: str = "서류 검토 결과") -> None:
    change = MembershipChange(status=status, reason=reason)
    service.change_membership(session, coordinator, supplier.organization_id, change)


def _notices(session, user, kind: str) -> list[Notification]:
    session.flush()
    query = select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
    return list(session.scalars(query.order_by(Notification.id)))


def test_a_rejected_application_is_rejected_not_suspended_and_the_supplier_is_told(
    session,
) -> None:
    coordinator = make_staff(session)
    applicant = make_supplier(session, membership=Membership.applied)
    _change(session, coordinator, applicant, "rejected", "사례 근거 부족")
    profile = applicant.organization.supplier
    assert profile.membership is Membership.rejected
    told = _notices(session, applicant, "membership_decided")
    assert [n.params for n in told] == [{"state": "rejected", "reason": "사례 근거 부족"}]
    with pytest.raises(Conflict):  # rejecting is not suspending: no such move from applied
        _change(session, coordinator, applicant, "suspended")


def test_the_old_rejection_path_is_gone(session) -> None:
    coordinator = make_staff(session)
    applicant = make_supplier(session, membership=Membership.applied)
    with pytest.raises(Conflict):
        _change(session, coordinator, applicant, "suspended")


@pytest.mark.parametrize("state", ["rejected", "expired"])
def test_rejected_or_expired_suppliers_apply_again(session, state) -> None:
    coordinator = make_staff(session)
    supplier = make_supplier(session, membership=Membership(state))
    membership.reapply(session, supplier)
    assert supplier.organization.supplier.membership is Membership.applied
    assert _notices(session, coordinator, "application_to_review")
    with pytest.raises(Conflict):
        membership.reapply(session, supplier)  # applied already


def test_admitted_or_suspended_suppliers_cannot_reapply(session) -> None:
    for state in (Membership.admitted, Membership.suspended):
        with pytest.raises(Conflict):
            membership.reapply(session, make_supplier(session, membership=state))


def test_admission_carries_a_review_date_from_the_setting(session, settings) -> None:
    coordinator = make_staff(session)
    applicant = make_supplier(session, membership=Membership.applied)
    _change(session, coordinator, applicant, "admitted", "심사 통과")
    profile = applicant.organization.supplier
    expected = profile.membership_changed_at + timedelta(days=settings.membership_review_days)
    assert profile.membership_review_at == expected
    assert _notices(session, applicant, "membership_decided")[0].params["state"] == "admitted"


def test_reviews_queue_reminder_and_expiry(session, settings) -> None:
    coordinator = make_staff(session)
    due, later = make_supplier(session, "재심사대상"), make_supplier(session, "여유")
    now = utcnow()
    due.organization.supplier.membership_review_at = now + timedelta(days=5)
    later.organization.supplier.membership_review_at = now + timedelta(days=200)
    session.flush()
    queue = membership.reviews_due(session, settings, now)
    assert [row.org.id for row in queue.items] == [due.organization_id]
    worker.membership_reviews(session, settings, now)
    worker.membership_reviews(session, settings, now)  # reminded once per review date
    assert len(_notices(session, coordinator, "membership_review_due")) == 1
    assert due.organization.supplier.membership is Membership.admitted
    past_grace = now + timedelta(days=5 + settings.membership_review_grace_days + 1)
    worker.membership_reviews(session, settings, past_grace)
    assert due.organization.supplier.membership is Membership.expired
    assert later.organization.supplier.membership is Membership.admitted
    told = _notices(session, due, "membership_decided")
    assert told[-1].params["state"] == "expired"
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.actor_id) == ("membership.expired", None)


def test_renewing_moves_the_review_date(session, settings) -> None:
    coordinator = make_staff(session)
    supplier = make_supplier(session)
    profile = supplier.organization.supplier
    profile.membership_review_at = utcnow() + timedelta(days=3)
    _change(session, coordinator, supplier, "admitted", "재심사 완료")
    assert profile.membership_review_at > utcnow() + timedelta(days=300)
    assert session.scalars(select(AuditEntry.action).order_by(AuditEntry.id.desc())).first() == (
        "membership.renewed"
    )


def test_unscheduled_admissions_get_a_review_date(session, settings) -> None:
    supplier = make_supplier(session)
    assert supplier.organization.supplier.membership_review_at is None
    membership.schedule_unscheduled(session, settings)
    assert supplier.organization.supplier.membership_review_at is not None


def _selected(session):
    owner, coordinator = make_manufacturer(session), make_staff(session)
    supplier = make_supplier(session)
    need = make_need(session, owner, deadline_at=future())
    make_bid(session, supplier, need)
    pass_deadline(session, need)
    body = SelectIn(supplier_org_id=supplier.organization_id, justification="가격과 실적")
    selection.select_bid(session, owner, need.id, body)
    return owner, coordinator, supplier, need


def test_a_suspended_supplier_s_pending_selection_cannot_be_approved(session) -> None:
    owner, coordinator, supplier, need = _selected(session)
    _change(session, coordinator, supplier, "suspended", "허위 실적")
    with pytest.raises(Conflict) as refused:
        selection.decide_award(session, coordinator, need.id, True, DecisionIn(reason="승인"))
    assert "The selected supplier is suspended" in english(refused.value)
    award = selection.decide_award(session, coordinator, need.id, False, DecisionIn(reason="정지"))
    assert award.status.value == "rejected"


def test_api_approval_is_a_clear_409_and_the_comparison_flags_the_bid(browser, session) -> None:
    owner, coordinator, supplier, need = _selected(session)
    _change(session, coordinator, supplier, "suspended", "허위 실적")
    session.commit()
    browser.login(coordinator)
    approve = browser.api("POST", f"/api/needs/{need.id}/award/approve", {"reason": "승인"})
    assert approve.status_code == 409 and "정지" in approve.json()["message"]
    rows = browser.api("GET", f"/api/needs/{need.id}/bids").json()["bids"]
    assert [r["supplier_membership"] for r in rows] == ["suspended"]
    page = browser.get(f"/needs/{need.id}/bids").text
    assert f"not-admitted-{supplier.organization_id}" in ids(page)


def test_a_suspended_supplier_reads_and_withdraws_its_own_bid(browser, session) -> None:
    owner, coordinator = make_manufacturer(session), make_staff(session)
    supplier = make_supplier(session)
    need = make_need(session, owner, deadline_at=future())
    make_bid(session, supplier, need)
    _change(session, coordinator, supplier, "suspended", "허위 실적")
    session.commit()
    browser.login(supplier)
    page = browser.get(f"/needs/{need.id}/bid")
    assert page.status_code == 200 and {"not-member", "withdraw-form"} <= ids(page.text)
    assert "bid-form" not in ids(page.text)
    assert browser.get("/bids").status_code == 200
    assert browser.api("GET", f"/api/needs/{need.id}/bid").status_code == 200
    withdrawn = browser.api("POST", f"/api/needs/{need.id}/bid/withdraw", {})
    assert withdrawn.status_code == 200
    other = make_need(session, owner, deadline_at=future(), title="다른 수요")
    session.commit()
    refused = browser.get(f"/needs/{other.id}/bid")  # not its own: the membership page
    assert refused.status_code == 403 and "not-member" in ids(refused.text)
    assert "membership-reason" in ids(refused.text)
    session.expire_all()
    assert bids.own_bid(session, supplier, need.id).status.value == "withdrawn"


def test_a_pending_supplier_s_links_end_in_a_helpful_page(browser, session) -> None:
    applicant = make_supplier(session, membership=Membership.applied)
    session.commit()
    browser.login(applicant)
    for url in ("/recommendations", "/needs/1/bid"):
        page = browser.get(url)
        assert page.status_code == 403, url
        assert {"not-member", "next-step"} <= ids(page.text), url
    api = browser.api("GET", "/api/needs/1/bid")
    assert api.status_code == 403 and api.json()["error"] == "not_member"


def test_a_rejected_supplier_reapplies_through_the_page_and_the_api(browser, session) -> None:
    rejected = make_supplier(session, membership=Membership.rejected)
    expired = make_supplier(session, membership=Membership.expired)
    session.commit()
    browser.login(rejected)
    assert "reapply-form" in ids(browser.get("/profile").text)
    assert browser.post("/profile/reapply").status_code == 303
    assert browser.post("/profile/reapply").status_code == 409
    browser.login(expired)
    answer = browser.api("POST", "/api/profile/reapply")
    assert answer.status_code == 200 and answer.json()["membership"] == "applied"


def test_suspension_flags_open_engagements_and_stops_the_supplier_s_work(session) -> None:
    coordinator, owner = make_staff(session), make_manufacturer(session)
    supplier = make_supplier(session)
    engagement = make_engagement(session, owner, supplier)
    other = make_staff(session)
    _change(session, coordinator, supplier, "suspended", "허위 실적")
    flagged = _notices(session, other, "supplier_not_admitted")
    assert [n.link for n in flagged] == [f"/engagements/{engagement.id}"]
    with pytest.raises(Conflict) as refused:
        work.add_milestone(session, supplier, engagement.id, Stage.design, "설계서", "", None)
    assert "readmits it" in english(refused.value)
    work.add_note(session, supplier, engagement.id, "일시 중단 안내 확인했습니다")


def test_the_review_queue_page_and_api(browser, session, settings) -> None:
    coordinator, supplier = make_staff(session), make_supplier(session, "재심사")
    supplier.organization.supplier.membership_review_at = utcnow() + timedelta(days=1)
    session.commit()
    browser.login(coordinator)
    assert f"review-{supplier.organization_id}" in ids(browser.get("/coordinator/reviews").text)
    items = browser.api("GET", "/api/coordinator/reviews").json()["items"]
    assert [i["id"] for i in items] == [supplier.organization_id]
    browser.login(supplier)
    assert browser.get("/coordinator/reviews").status_code == 403
