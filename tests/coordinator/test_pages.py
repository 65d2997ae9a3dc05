import re

import pytest
from sqlalchemy import select

from app.models import AuditEntry, Membership, Role, SupplierProfile
from tests.builders import make_manufacturer, make_staff, make_supplier
from tests.coordinator.helpers import Landmarks, audit_count


def membership_of(session, user) -> SupplierProfile:
    session.expire_all()
    return session.scalar(
        select(SupplierProfile).where(SupplierProfile.organization_id == user.organization_id)
    )


@pytest.fixture
def coordinator(session):
    return make_staff(session, Role.coordinator)


def test_organizations_page_lists_and_filters(browser, session, coordinator) -> None:
    maker = make_manufacturer(session, name="김해금속", region="gn-gimhae")
    applied = make_supplier(session, name="창원비전AI", membership=Membership.applied)
    admitted = make_supplier(session, name="서울딥러닝", region="seoul")
    browser.login(coordinator)
    page = Landmarks(browser.get("/coordinator/organizations").text)
    ids = {f"org-{u.organization_id}" for u in (maker, applied, admitted)}
    assert ids <= page.ids and "org-filters" in page.ids
    filtered = browser.get("/coordinator/organizations?kind=supplier&membership=applied&region=")
    assert filtered.status_code == 200
    rows = Landmarks(filtered.text)
    assert f"org-{applied.organization_id}" in rows.ids and rows.count("org-row") == 1
    searched = Landmarks(browser.get("/coordinator/organizations?q=김해").text)
    assert searched.count("org-row") == 1 and f"org-{maker.organization_id}" in searched.ids
    by_region = Landmarks(browser.get("/coordinator/organizations?region=seoul").text)
    assert by_region.count("org-row") == 1
    assert browser.get("/coordinator/organizations?kind=bank").status_code == 422


def test_organizations_page_paginates_by_20_keeping_filters(browser, session, coordinator) -> None:
    for i in range(21):
        make_manufacturer(session, name=f"제조{i:02d}")
    browser.login(coordinator)
    first = browser.get("/coordinator/organizations?kind=manufacturer")
    page = Landmarks(first.text)
    assert page.count("org-row") == 20 and "next-page" in page.ids
    assert "kind=manufacturer" in first.text and "page=2" in first.text
    second = Landmarks(browser.get("/coordinator/organizations?kind=manufacturer&page=2").text)
    assert second.count("org-row") == 1 and "prev-page" in second.ids


def test_admit_from_the_membership_page(browser, session, coordinator) -> None:
    supplier = make_supplier(session, membership=Membership.applied)
    browser.login(coordinator)
    url = f"/coordinator/suppliers/{supplier.organization_id}/membership"
    form = Landmarks(browser.get(url).text)
    assert "membership-form" in form.ids
    version = membership_of(session, supplier).version
    data = {"status": "admitted", "reason": "서류와 현장 실사 확인", "version": str(version)}
    response = browser.post(url, data)
    assert response.status_code == 303
    assert response.headers["location"].startswith(
        f"/coordinator/organizations/{supplier.organization_id}"
    )
    profile = membership_of(session, supplier)
    assert profile.membership is Membership.admitted
    assert profile.membership_reason == "서류와 현장 실사 확인"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "membership.admitted"))
    assert entry.actor_id == coordinator.id and entry.reason == "서류와 현장 실사 확인"
    page = browser.get(response.headers["location"])
    landmarks = Landmarks(page.text)
    assert {"saved", "org-users", "org-profile", "org-audit-link"} <= landmarks.ids
    assert landmarks.count("audit-entry") == 0  # the history is a link to the audit log
    assert re.search(r"\d{4}\.\d\d\.\d\d\(.\) \d\d:\d\d", page.text)  # app/formats.py


def test_reason_is_required_and_the_form_keeps_input(browser, session, coordinator) -> None:
    supplier = make_supplier(session, membership=Membership.applied)
    browser.login(coordinator)
    url = f"/coordinator/suppliers/{supplier.organization_id}/membership"
    response = browser.post(url, {"status": "admitted", "reason": ""})
    assert response.status_code == 422
    assert "reason-error" in Landmarks(response.text).ids
    too_long = browser.post(url, {"status": "admitted", "reason": "가" * 1001})
    assert too_long.status_code == 422
    assert membership_of(session, supplier).membership is Membership.applied
    assert audit_count(session, "membership.") == 0


def test_refused_move_and_stale_version_rerender_with_409(browser, session, coordinator) -> None:
    supplier = make_supplier(session, membership=Membership.admitted)
    browser.login(coordinator)
    url = f"/coordinator/suppliers/{supplier.organization_id}/membership"
    refused = browser.post(url, {"status": "applied", "reason": "다시 신청으로"})
    assert refused.status_code == 409 and "membership-form" in Landmarks(refused.text).ids
    stale = browser.confirm(url, {"status": "suspended", "reason": "정지 사유", "version": "999"})
    assert stale.status_code == 409
    assert membership_of(session, supplier).membership is Membership.admitted
    assert audit_count(session, "membership.") == 0


def test_applications_queue_admits_and_rejects(browser, session, coordinator) -> None:
    first = make_supplier(session, name="먼저신청", membership=Membership.applied)
    second = make_supplier(session, name="나중신청", membership=Membership.applied)
    make_supplier(session, name="회원사", membership=Membership.admitted)
    browser.login(coordinator)
    queue = Landmarks(browser.get("/coordinator/applications").text)
    assert queue.count("application") == 2
    url = f"/coordinator/suppliers/{first.organization_id}/membership"
    done = browser.post(url, {"status": "admitted", "reason": "적격", "next": "applications"})
    assert done.status_code == 303 and done.headers["location"] == "/coordinator/applications"
    url = f"/coordinator/suppliers/{second.organization_id}/membership"
    browser.confirm(url, {"status": "rejected", "reason": "요건 미달", "next": "applications"})
    assert membership_of(session, second).membership is Membership.rejected  # not suspended
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "membership.rejected"))
    assert "queue-empty" in Landmarks(browser.get("/coordinator/applications").text).ids


def test_audit_page_filters_by_organisation_and_action(browser, session, coordinator) -> None:
    one = make_supplier(session, membership=Membership.applied)
    two = make_supplier(session, membership=Membership.admitted)
    browser.login(coordinator)
    browser.post(
        f"/coordinator/suppliers/{one.organization_id}/membership",
        {"status": "admitted", "reason": "승인"},
    )
    browser.confirm(
        f"/coordinator/suppliers/{two.organization_id}/membership",
        {"status": "suspended", "reason": "정지"},
    )
    everything = Landmarks(browser.get("/coordinator/audit").text)
    assert everything.count("audit-entry") == 2 and "audit-filters" in everything.ids
    by_org = browser.get(f"/coordinator/audit?organization_id={two.organization_id}&action=")
    assert Landmarks(by_org.text).count("audit-entry") == 1
    by_action = browser.get("/coordinator/audit?action=membership.admitted")
    assert Landmarks(by_action.text).count("audit-entry") == 1


def test_pages_follow_the_language(browser, session, coordinator) -> None:
    make_supplier(session, membership=Membership.applied)
    browser.login(coordinator)
    assert "공급기업 가입 신청" in browser.get("/coordinator/applications").text
    coordinator.locale = "en"
    session.flush()
    assert "Supplier applications" in browser.get("/coordinator/applications").text


def test_non_supplier_membership_page_and_unknown_org_are_404(
    browser, session, coordinator
) -> None:
    maker = make_manufacturer(session)
    browser.login(coordinator)
    assert (
        browser.get(f"/coordinator/suppliers/{maker.organization_id}/membership").status_code == 404
    )
    assert browser.get("/coordinator/organizations/999999").status_code == 404


def test_admin_may_use_coordinator_pages(browser, session) -> None:
    browser.login(make_staff(session, Role.admin))
    assert browser.get("/coordinator/organizations").status_code == 200


PAGES = [
    "/coordinator/organizations",
    "/coordinator/organizations/{org}",
    "/coordinator/applications",
    "/coordinator/suppliers/{org}/membership",
    "/coordinator/audit",
]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("maker", [make_manufacturer, make_supplier])
def test_manufacturers_and_suppliers_get_403(browser, session, url, maker) -> None:
    target = make_supplier(session, membership=Membership.applied)
    browser.login(maker(session))
    assert browser.get(url.format(org=target.organization_id)).status_code == 403


def test_membership_post_is_403_for_suppliers_and_login_redirect_for_anonymous(
    browser, session
) -> None:
    target = make_supplier(session, membership=Membership.applied)
    url = f"/coordinator/suppliers/{target.organization_id}/membership"
    anonymous = browser.post(url, {"status": "admitted", "reason": "스스로 승인"})
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    browser.login(target)
    assert browser.post(url, {"status": "admitted", "reason": "스스로 승인"}).status_code == 403
    assert membership_of(session, target).membership is Membership.applied
