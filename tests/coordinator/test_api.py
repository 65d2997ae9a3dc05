import itertools

import pytest
from sqlalchemy import select

from app.coordinator import service
from app.errors import Conflict
from app.models import AuditEntry, Membership, Role, SupplierProfile
from tests.builders import make_manufacturer, make_staff, make_supplier
from tests.coordinator.helpers import audit_count, bearer

ALLOWED = [
    ("applied", "admitted", "membership.admitted"),
    ("applied", "rejected", "membership.rejected"),
    ("admitted", "admitted", "membership.renewed"),
    ("admitted", "suspended", "membership.suspended"),
    ("admitted", "expired", "membership.expired"),
    ("suspended", "admitted", "membership.readmitted"),
    ("expired", "admitted", "membership.readmitted"),
]
ALLOWED_PAIRS = {(frm, to) for frm, to, _ in ALLOWED}
STATES = ["applied", "admitted", "rejected", "suspended", "expired"]
REFUSED = [pair for pair in itertools.product(STATES, repeat=2) if pair not in ALLOWED_PAIRS]


def profile_of(session, user) -> SupplierProfile:
    session.expire_all()
    return session.scalar(
        select(SupplierProfile).where(SupplierProfile.organization_id == user.organization_id)
    )


@pytest.fixture
def coordinator(session):
    return make_staff(session, Role.coordinator)


def move(browser, session, actor, org_id, body):
    return browser.api(
        "POST",
        f"/api/coordinator/suppliers/{org_id}/membership",
        json=body,
        headers=bearer(session, actor),
    )


@pytest.mark.parametrize(("current", "target", "action"), ALLOWED)
def test_every_allowed_move_is_made_and_audited(
    browser, session, coordinator, current, target, action
) -> None:
    supplier = make_supplier(session, membership=Membership(current))
    body = {"status": target, "reason": "현장 실사 결과 반영"}
    response = move(browser, session, coordinator, supplier.organization_id, body)
    assert response.status_code == 200, response.text
    assert response.json()["membership"] == target
    profile = profile_of(session, supplier)
    assert profile.membership == target
    assert profile.membership_reason == "현장 실사 결과 반영"
    assert profile.membership_changed_at is not None
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == action))
    assert entry.actor_id == coordinator.id
    assert entry.organization_id == supplier.organization_id
    assert entry.before == {"membership": current}
    assert entry.after["membership"] == target
    assert (entry.after["review_at"] is not None) is (target == "admitted")  # a re-check date
    assert entry.reason == "현장 실사 결과 반영"


@pytest.mark.parametrize(("current", "target"), REFUSED)
def test_every_move_outside_the_table_is_409_and_writes_nothing(
    browser, session, coordinator, current, target
) -> None:
    supplier = make_supplier(session, membership=Membership(current))
    body = {"status": target, "reason": "시도해 봄"}
    response = move(browser, session, coordinator, supplier.organization_id, body)
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"
    assert profile_of(session, supplier).membership == current
    assert audit_count(session, "membership.") == 0


@pytest.mark.parametrize(
    "body",
    [
        {"status": "admitted"},
        {"status": "admitted", "reason": ""},
        {"status": "admitted", "reason": "  "},
        {"status": "admitted", "reason": "x" * 1001},
        {"status": "member", "reason": "올바른 사유"},
        {"status": 1, "reason": "올바른 사유"},
        {"status": "admitted", "reason": "올바른 사유", "extra": True},
        {"status": "admitted", "reason": "올바른 사유", "version": "1"},
    ],
)
def test_bad_bodies_are_422_and_write_nothing(browser, session, coordinator, body) -> None:
    supplier = make_supplier(session, membership=Membership.applied)
    response = move(browser, session, coordinator, supplier.organization_id, body)
    assert response.status_code == 422
    assert profile_of(session, supplier).membership is Membership.applied
    assert audit_count(session, "membership.") == 0


def test_membership_of_a_non_supplier_or_unknown_org_is_404(browser, session, coordinator) -> None:
    maker = make_manufacturer(session)
    body = {"status": "admitted", "reason": "제조기업에 시도"}
    assert move(browser, session, coordinator, maker.organization_id, body).status_code == 404
    assert move(browser, session, coordinator, 999_999, body).status_code == 404


def test_stale_version_is_409(browser, session, coordinator) -> None:
    supplier = make_supplier(session, membership=Membership.applied)
    version = profile_of(session, supplier).version
    body = {"status": "admitted", "reason": "서류 검토 완료", "version": version}
    assert move(browser, session, coordinator, supplier.organization_id, body).status_code == 200
    body = {"status": "suspended", "reason": "오래된 화면에서", "version": version}
    assert move(browser, session, coordinator, supplier.organization_id, body).status_code == 409
    assert profile_of(session, supplier).membership is Membership.admitted


def test_change_and_audit_share_one_transaction(browser, session, coordinator, monkeypatch) -> None:
    supplier = make_supplier(session, membership=Membership.applied)
    real_record = service.record

    def record_then_fail(*args, **kwargs):
        real_record(*args, **kwargs)
        raise Conflict("simulated failure after the audit entry")

    monkeypatch.setattr(service, "record", record_then_fail)
    body = {"status": "admitted", "reason": "중간에 실패"}
    assert move(browser, session, coordinator, supplier.organization_id, body).status_code == 409
    assert profile_of(session, supplier).membership is Membership.applied
    assert audit_count(session, "membership.") == 0


def test_admin_may_change_membership_too(browser, session) -> None:
    admin = make_staff(session, Role.admin)
    supplier = make_supplier(session, membership=Membership.applied)
    body = {"status": "admitted", "reason": "관리자 승인"}
    assert move(browser, session, admin, supplier.organization_id, body).status_code == 200


def test_organizations_filter_search_and_paginate(client, session, coordinator) -> None:
    auth = bearer(session, coordinator)
    for i in range(22):
        make_manufacturer(session, name=f"김해금속{i:02d}", region="gn-gimhae")
    applied = make_supplier(session, name="창원비전AI", membership=Membership.applied)
    make_supplier(session, name="서울딥러닝", membership=Membership.admitted, region="seoul")
    session.flush()
    url = "/api/coordinator/organizations"
    first = client.get(url, params={"kind": "manufacturer"}, headers=auth).json()
    assert (first["total"], first["pages"], len(first["items"])) == (22, 2, 20)
    second = client.get(url, params={"kind": "manufacturer", "page": 2}, headers=auth).json()
    assert len(second["items"]) == 2
    only = client.get(url, params={"membership": "applied"}, headers=auth).json()["items"]
    assert [o["id"] for o in only] == [applied.organization_id]
    assert only[0]["user_count"] == 1 and only[0]["kind"] == "supplier"
    found = client.get(url, params={"q": "서울"}, headers=auth).json()["items"]
    assert [o["name"] for o in found] == ["서울딥러닝"]
    gimhae = client.get(url, params={"region": "gn-gimhae"}, headers=auth).json()
    assert gimhae["total"] == 22
    assert client.get(url, params={"kind": "bank"}, headers=auth).status_code == 422
    assert client.get(url, params={"page": 0}, headers=auth).status_code == 422


def test_organization_detail_has_users_and_membership_history(
    browser, session, coordinator
) -> None:
    supplier = make_supplier(session, membership=Membership.applied)
    body = {"status": "admitted", "reason": "심사 통과"}
    move(browser, session, coordinator, supplier.organization_id, body)
    url = f"/api/coordinator/organizations/{supplier.organization_id}"
    detail = browser.client.get(url, headers=bearer(session, coordinator)).json()
    assert detail["membership"] == "admitted"
    assert detail["supplier"]["membership_reason"] == "심사 통과"
    assert [u["email"] for u in detail["users"]] == [supplier.email]
    assert [e["action"] for e in detail["membership_history"]] == ["membership.admitted"]
    assert detail["membership_history"][0]["actor_name"] == coordinator.name
    missing = browser.client.get(
        "/api/coordinator/organizations/999999", headers=bearer(session, coordinator)
    )
    assert missing.status_code == 404


def test_audit_endpoint_filters_by_org_and_action(browser, session, coordinator) -> None:
    one = make_supplier(session, membership=Membership.applied)
    two = make_supplier(session, membership=Membership.admitted)
    move(
        browser,
        session,
        coordinator,
        one.organization_id,
        {"status": "admitted", "reason": "승인함"},
    )
    move(
        browser,
        session,
        coordinator,
        two.organization_id,
        {"status": "suspended", "reason": "정지함"},
    )
    auth = bearer(session, coordinator)
    by_org = browser.client.get(
        "/api/coordinator/audit", params={"organization_id": two.organization_id}, headers=auth
    ).json()
    assert [e["action"] for e in by_org["items"]] == ["membership.suspended"]
    by_action = browser.client.get(
        "/api/coordinator/audit", params={"action": "membership.admitted"}, headers=auth
    ).json()
    assert [e["organization_id"] for e in by_action["items"]] == [one.organization_id]
    assert by_action["items"][0]["reason"] == "승인함"


def test_applications_queue_lists_applied_suppliers_oldest_first(
    client, session, coordinator
) -> None:
    first = make_supplier(session, name="먼저신청", membership=Membership.applied)
    second = make_supplier(session, name="나중신청", membership=Membership.applied)
    make_supplier(session, name="이미회원", membership=Membership.admitted)
    session.flush()
    items = client.get("/api/coordinator/applications", headers=bearer(session, coordinator)).json()
    assert [o["id"] for o in items["items"]] == [first.organization_id, second.organization_id]


ENDPOINTS = [
    ("GET", "/api/coordinator/organizations", None),
    ("GET", "/api/coordinator/organizations/{org}", None),
    ("GET", "/api/coordinator/applications", None),
    ("GET", "/api/coordinator/audit", None),
    (
        "POST",
        "/api/coordinator/suppliers/{org}/membership",
        {"status": "admitted", "reason": "직접 승인"},
    ),
]


@pytest.mark.parametrize(("method", "url", "body"), ENDPOINTS)
@pytest.mark.parametrize("maker", [make_manufacturer, make_supplier])
def test_manufacturers_and_suppliers_get_403(browser, session, method, url, body, maker) -> None:
    user = maker(session)
    target = make_supplier(session, membership=Membership.applied)
    response = browser.api(
        method, url.format(org=target.organization_id), json=body, headers=bearer(session, user)
    )
    assert response.status_code == 403
    assert audit_count(session, "membership.") == 0


@pytest.mark.parametrize(("method", "url", "body"), ENDPOINTS)
def test_anonymous_gets_401(client, session, method, url, body) -> None:
    target = make_supplier(session, membership=Membership.applied)
    session.flush()
    response = client.request(method, url.format(org=target.organization_id), json=body)
    assert response.status_code == 401
