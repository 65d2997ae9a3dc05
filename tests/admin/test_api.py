import pytest
from sqlalchemy import select

from app.accounts import service as accounts
from app.admin import service
from app.errors import Conflict, Invalid
from app.models import ApiToken, AuditEntry, OrgKind, Role, User, UserSession
from tests.builders import PASSWORD, make_manufacturer, make_staff, make_supplier
from tests.coordinator.helpers import audit_count, bearer


@pytest.fixture
def admin(session):
    return make_staff(session, Role.admin)


def call(browser, session, actor, method, url, body=None):
    return browser.api(method, url, json=body, headers=bearer(session, actor))


def fresh(session, user) -> User:
    session.expire_all()
    return session.get(User, user.id)


def test_list_users_filters_by_role_and_search(browser, session, admin) -> None:
    maker = make_manufacturer(session)
    make_supplier(session)
    coordinator = make_staff(session, Role.coordinator)
    listing = call(browser, session, admin, "GET", "/api/admin/users").json()
    assert listing["total"] == 4
    coords = call(browser, session, admin, "GET", "/api/admin/users?role=coordinator").json()
    assert [u["id"] for u in coords["items"]] == [coordinator.id]
    found = call(browser, session, admin, "GET", f"/api/admin/users?q={maker.email}").json()
    assert [u["id"] for u in found["items"]] == [maker.id]
    assert call(browser, session, admin, "GET", "/api/admin/users?role=root").status_code == 422


def test_create_staff_account_joins_support_group_and_is_audited(browser, session, admin) -> None:
    body = {
        "name": "이코디",
        "email": "Lee@GN-AI.example.kr",
        "password": PASSWORD,
        "role": "coordinator",
    }
    response = call(browser, session, admin, "POST", "/api/admin/users", body)
    assert response.status_code == 201, response.text
    created = session.get(User, response.json()["id"])
    assert created.email == "lee@gn-ai.example.kr" and created.role is Role.coordinator
    assert created.organization.kind is OrgKind.support_group
    assert created.organization_id == admin.organization_id
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "user.created"))
    assert entry.actor_id == admin.id and entry.after == {
        "email": created.email,
        "role": "coordinator",
    }
    assert accounts.authenticate(session, created.email, PASSWORD, "127.0.0.1") is not None
    again = call(browser, session, admin, "POST", "/api/admin/users", body)
    assert again.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "email": "a@b.kr", "password": PASSWORD, "role": "manufacturer"},
        {"name": "x", "email": "a@b.kr", "password": "short", "role": "admin"},
        {"name": "x", "email": "not-an-email", "password": PASSWORD, "role": "admin"},
        {"name": "", "email": "a@b.kr", "password": PASSWORD, "role": "admin"},
        {"name": "x", "email": "a@b.kr", "password": PASSWORD, "role": "admin", "org": 1},
    ],
)
def test_create_rejects_bad_bodies(browser, session, admin, body) -> None:
    response = call(browser, session, admin, "POST", "/api/admin/users", body)
    assert response.status_code == 422
    assert audit_count(session, "user.created") == 0


def test_deactivation_revokes_sessions_and_tokens(browser, session, admin) -> None:
    target = make_supplier(session)
    _, token = accounts.create_api_token(session, target, "client")
    browser.login(target)
    assert browser.get("/account").status_code == 200
    assert (
        browser.client.get("/api/me", headers={"authorization": f"Bearer {token}"}).status_code
        == 200
    )
    response = call(
        browser, session, admin, "PATCH", f"/api/admin/users/{target.id}", {"is_active": False}
    )
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert browser.get("/account").status_code == 303  # the session cookie no longer logs in
    assert (
        browser.client.get("/api/me", headers={"authorization": f"Bearer {token}"}).status_code
        == 401
    )
    session.expire_all()
    assert all(
        s.revoked_at
        for s in session.scalars(select(UserSession).where(UserSession.user_id == target.id))
    )
    assert all(
        t.revoked_at for t in session.scalars(select(ApiToken).where(ApiToken.user_id == target.id))
    )
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "user.deactivated"))
    assert entry.after == {"is_active": False, "sessions_revoked": 1, "tokens_revoked": 1}
    assert accounts.authenticate(session, target.email, PASSWORD, "127.0.0.2") is None


def test_reactivation_lets_the_user_log_in_again(browser, session, admin) -> None:
    target = make_manufacturer(session)
    target.is_active = False
    session.flush()
    response = call(
        browser, session, admin, "PATCH", f"/api/admin/users/{target.id}", {"is_active": True}
    )
    assert response.status_code == 200
    assert fresh(session, target).is_active
    assert audit_count(session, "user.reactivated") == 1
    assert accounts.authenticate(session, target.email, PASSWORD, "127.0.0.3") is not None


def test_self_deactivation_and_self_role_change_are_refused(browser, session, admin) -> None:
    url = f"/api/admin/users/{admin.id}"
    assert call(browser, session, admin, "PATCH", url, {"is_active": False}).status_code == 403
    assert call(browser, session, admin, "PATCH", url, {"role": "coordinator"}).status_code == 403
    assert fresh(session, admin).is_active and admin.role is Role.admin
    assert audit_count(session, "user.") == 0


def test_role_change_between_staff_roles_only(browser, session, admin) -> None:
    coordinator = make_staff(session, Role.coordinator)
    maker = make_manufacturer(session)
    url = f"/api/admin/users/{coordinator.id}"
    response = call(browser, session, admin, "PATCH", url, {"role": "admin"})
    assert response.status_code == 200 and response.json()["role"] == "admin"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "user.role_changed"))
    assert entry.before == {"role": "coordinator"} and entry.after == {"role": "admin"}
    refused = call(
        browser, session, admin, "PATCH", f"/api/admin/users/{maker.id}", {"role": "admin"}
    )
    assert refused.status_code == 409
    assert fresh(session, maker).role is Role.manufacturer


def test_combined_patch_is_all_or_nothing(browser, session, admin) -> None:
    maker = make_manufacturer(session)
    body = {"is_active": False, "role": "admin"}
    response = call(browser, session, admin, "PATCH", f"/api/admin/users/{maker.id}", body)
    assert response.status_code == 409
    assert fresh(session, maker).is_active and audit_count(session, "user.") == 0


@pytest.mark.parametrize("body", [{}, {"is_active": "false"}, {"role": "supplier"}, {"name": "x"}])
def test_patch_rejects_bad_bodies(browser, session, admin, body) -> None:
    target = make_manufacturer(session)
    response = call(browser, session, admin, "PATCH", f"/api/admin/users/{target.id}", body)
    assert response.status_code == 422


def test_patch_unknown_user_is_404(browser, session, admin) -> None:
    response = call(
        browser, session, admin, "PATCH", "/api/admin/users/999999", {"is_active": False}
    )
    assert response.status_code == 404


ENDPOINTS = [
    ("GET", "/api/admin/users", None),
    (
        "POST",
        "/api/admin/users",
        {"name": "x", "email": "x@y.kr", "password": PASSWORD, "role": "admin"},
    ),
    ("PATCH", "/api/admin/users/{user}", {"role": "admin"}),
]


@pytest.mark.parametrize(("method", "url", "body"), ENDPOINTS)
@pytest.mark.parametrize("role", ["coordinator", "manufacturer", "supplier"])
def test_non_admins_get_403(browser, session, method, url, body, role) -> None:
    makers = {
        "coordinator": lambda: make_staff(session, Role.coordinator),
        "manufacturer": lambda: make_manufacturer(session),
        "supplier": lambda: make_supplier(session),
    }
    actor = makers[role]()
    other = make_staff(session, Role.coordinator)
    response = call(browser, session, actor, method, url.format(user=other.id), body)
    assert response.status_code == 403
    assert fresh(session, other).role is Role.coordinator
    assert audit_count(session, "user.") == 0


def test_create_admin_for_the_cli(session) -> None:
    user = service.create_admin(session, "root@gn-ai.example.kr", PASSWORD, "최관리")
    assert user.role is Role.admin and user.organization.kind is OrgKind.support_group
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "user.created"))
    assert entry.actor_id is None and entry.entity_id == user.id
    with pytest.raises(Conflict):
        service.create_admin(session, "ROOT@gn-ai.example.kr", PASSWORD, "중복")
    assert session.scalar(select(User).where(User.name == "중복")) is None


def test_create_admin_rejects_bad_input_with_a_domain_error(session) -> None:
    with pytest.raises(Invalid) as caught:
        service.create_admin(session, "not-an-email", "short", "관리자")
    assert caught.value.params == {"fields": "email, password"}
