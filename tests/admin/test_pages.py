import pytest
from sqlalchemy import select

from app.models import AuditEntry, OrgKind, Role, User, UserSession
from tests.builders import PASSWORD, make_manufacturer, make_staff, make_supplier
from tests.coordinator.helpers import Landmarks, audit_count


@pytest.fixture
def admin(session):
    return make_staff(session, Role.admin)


def fresh(session, user) -> User:
    session.expire_all()
    return session.get(User, user.id)


def test_user_list_filters_and_hides_self_actions(browser, session, admin) -> None:
    maker = make_manufacturer(session)
    supplier = make_supplier(session)
    browser.login(admin)
    page = Landmarks(browser.get("/admin/users").text)
    assert {f"user-{maker.id}", f"user-{supplier.id}", f"user-{admin.id}", "new-user"} <= page.ids
    assert f"deactivate-{maker.id}" in page.ids and f"deactivate-{admin.id}" not in page.ids
    only = Landmarks(browser.get("/admin/users?role=supplier&q=").text)
    assert only.count("user-row") == 1 and f"user-{supplier.id}" in only.ids
    searched = Landmarks(browser.get(f"/admin/users?q={maker.email}").text)
    assert searched.count("user-row") == 1 and f"user-{maker.id}" in searched.ids


def test_create_staff_account_from_the_form(browser, session, admin) -> None:
    browser.login(admin)
    assert "new-user-form" in Landmarks(browser.get("/admin/users/new").text).ids
    data = {
        "name": "정코디",
        "email": "jung@gn-ai.example.kr",
        "password": PASSWORD,
        "role": "coordinator",
    }
    response = browser.post("/admin/users/new", data)
    assert (
        response.status_code == 303 and response.headers["location"] == "/admin/users?done=created"
    )
    created = session.scalar(select(User).where(User.email == "jung@gn-ai.example.kr"))
    assert created.role is Role.coordinator and created.organization.kind is OrgKind.support_group
    assert audit_count(session, "user.created") == 1
    assert "done" in Landmarks(browser.get(response.headers["location"]).text).ids


def test_create_form_errors_keep_input_and_write_nothing(browser, session, admin) -> None:
    browser.login(admin)
    data = {"name": "정코디", "email": "bad", "password": "short", "role": "root"}
    response = browser.post("/admin/users/new", data)
    assert response.status_code == 422
    page = Landmarks(response.text)
    assert {"email-error", "password-error", "role-error"} <= page.ids
    assert "정코디" in response.text and "short" not in response.text
    duplicate = {"name": "중복", "email": admin.email, "password": PASSWORD, "role": "admin"}
    again = browser.post("/admin/users/new", duplicate)
    assert again.status_code == 422 and "email-error" in Landmarks(again.text).ids
    assert audit_count(session, "user.created") == 0


def test_deactivate_from_the_list_ends_the_users_sessions(browser, session, admin, client) -> None:
    from app.accounts import service as accounts

    target = make_manufacturer(session)
    accounts.start_session(session, target)
    browser.login(admin)
    response = browser.confirm(f"/admin/users/{target.id}", {"is_active": "false"})
    assert response.status_code == 303
    assert not fresh(session, target).is_active
    sessions = session.scalars(select(UserSession).where(UserSession.user_id == target.id))
    assert all(s.revoked_at for s in sessions)
    assert f"reactivate-{target.id}" in Landmarks(browser.get("/admin/users").text).ids
    browser.post(f"/admin/users/{target.id}", {"is_active": "true"})
    assert fresh(session, target).is_active
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == target.id))
    assert {"user.deactivated", "user.reactivated"} <= set(actions)


def test_self_deactivation_is_refused(browser, session, admin) -> None:
    browser.login(admin)
    assert browser.confirm(f"/admin/users/{admin.id}", {"is_active": "false"}).status_code == 403
    assert fresh(session, admin).is_active
    assert browser.get("/admin/users").status_code == 200


def test_change_role_from_the_list(browser, session, admin) -> None:
    coordinator = make_staff(session, Role.coordinator)
    browser.login(admin)
    assert browser.post(f"/admin/users/{coordinator.id}", {"role": "admin"}).status_code == 303
    assert fresh(session, coordinator).role is Role.admin
    assert browser.post(f"/admin/users/{coordinator.id}", {"role": "boss"}).status_code == 422


@pytest.mark.parametrize("url", ["/admin/users", "/admin/users/new"])
@pytest.mark.parametrize("role", ["coordinator", "manufacturer", "supplier"])
def test_non_admins_get_403(browser, session, url, role) -> None:
    makers = {
        "coordinator": lambda: make_staff(session, Role.coordinator),
        "manufacturer": lambda: make_manufacturer(session),
        "supplier": lambda: make_supplier(session),
    }
    browser.login(makers[role]())
    assert browser.get(url).status_code == 403


def test_coordinator_cannot_post_admin_forms(browser, session) -> None:
    coordinator = make_staff(session, Role.coordinator)
    other = make_manufacturer(session)
    browser.login(coordinator)
    assert browser.confirm(f"/admin/users/{other.id}", {"is_active": "false"}).status_code == 403
    assert fresh(session, other).is_active


def test_anonymous_is_sent_to_login(browser) -> None:
    response = browser.get("/admin/users")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
