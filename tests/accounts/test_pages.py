from datetime import timedelta
from html.parser import HTMLParser

from sqlalchemy import func, select

from app.accounts import service as accounts
from app.models import (
    AuditEntry,
    Invitation,
    LoginAttempt,
    Membership,
    Role,
    SupplierProfile,
    User,
    UserSession,
    utcnow,
)
from tests.builders import PASSWORD, make_manufacturer, make_staff


class Landmarks(HTMLParser):
    """Collects ids, error messages and the page title from HTML."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.classes: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        self.classes.extend((values.get("class") or "").split())


def register_form(**overrides: str) -> dict[str, str]:
    return {
        "kind": "supplier",
        "organization_name": "창원비전AI",
        "business_number": "220-81-62517",
        "name": "김코딩",
        "email": "kim@vision.example.kr",
        "password": PASSWORD,
        "consent": "true",
        **overrides,
    }


def test_register_creates_applied_supplier_and_logs_in(browser, session) -> None:
    response = browser.post("/register", register_form())
    assert response.status_code == 303
    assert browser.get("/account").status_code == 200
    user = session.scalar(select(User).where(User.email == "kim@vision.example.kr"))
    assert user.role is Role.supplier
    profile = session.scalar(
        select(SupplierProfile).where(SupplierProfile.organization_id == user.organization_id)
    )
    assert profile.membership is Membership.applied
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "organization.registered"))


def test_register_rejects_bad_input_and_keeps_what_was_typed(browser, session) -> None:
    response = browser.post("/register", register_form(email="not-an-email", password="short"))
    assert response.status_code == 422
    page = Landmarks(response.text)
    assert {"email-error", "password-error"} <= page.ids
    assert "창원비전AI" in response.text
    assert session.scalar(select(User).where(User.email == "not-an-email")) is None


def test_register_duplicate_email_is_a_field_error(browser, session) -> None:
    make_manufacturer(session).email  # noqa: B018
    existing = session.scalar(select(User)).email
    response = browser.post("/register", register_form(email=existing))
    assert response.status_code == 409  # as the API says, and as a simultaneous twin gets
    assert "email-error" in Landmarks(response.text).ids


def test_login_logout_revokes_session_server_side(browser, session) -> None:
    user = make_manufacturer(session)
    response = browser.post("/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 303
    token = browser.client.cookies["axm_session"]
    assert browser.get("/account").status_code == 200
    browser.post("/logout")
    browser.client.cookies.set("axm_session", token)  # a stolen cookie replayed after logout
    assert browser.get("/account").status_code == 303
    row = session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    session.refresh(row)
    assert row.revoked_at is not None


def test_wrong_password_then_throttled(browser, session) -> None:
    user = make_manufacturer(session)
    for _ in range(5):
        assert (
            browser.post("/login", {"email": user.email, "password": "wrong-password"}).status_code
            == 401
        )
    assert browser.post("/login", {"email": user.email, "password": PASSWORD}).status_code == 429
    assert session.scalar(select(LoginAttempt).where(LoginAttempt.email == user.email))


def test_form_without_csrf_token_is_refused(browser, session) -> None:
    browser.login(make_manufacturer(session))
    response = browser.client.post("/account/tokens", data={"name": "x"}, follow_redirects=False)
    assert response.status_code == 403


def test_security_headers_on_pages(client) -> None:
    response = client.get("/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_session_cookie_is_httponly_and_samesite(browser, session) -> None:
    user = make_manufacturer(session)
    response = browser.post("/login", {"email": user.email, "password": PASSWORD})
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_invite_a_colleague_who_joins_the_same_organisation(browser, session) -> None:
    owner = make_manufacturer(session)
    browser.login(owner)
    page = browser.post("/account/invitations", {"email": "new@mfr.example.kr"})
    assert page.status_code == 200
    link = page.text.split('id="invite-link">')[1].split("<")[0]
    browser.logout()
    path = link.replace("http://testserver", "")
    assert browser.get(path).status_code == 200
    joining = browser.post(path, {"name": "새직원", "password": PASSWORD})
    assert joining.status_code == 303 and joining.headers["location"] == "/welcome"
    joined = session.scalar(select(User).where(User.email == "new@mfr.example.kr"))
    assert joined.organization_id == owner.organization_id and joined.role is Role.manufacturer
    assert browser.get(path).status_code == 404  # used once


def test_language_switch_is_remembered_per_user(browser, session) -> None:
    user = make_staff(session)
    browser.login(user)
    assert 'lang="ko"' in browser.get("/account").text
    browser.post("/lang", {"locale": "en"}, headers={"referer": "http://testserver/account"})
    session.refresh(user)
    assert user.locale == "en"
    assert 'lang="en"' in browser.get("/account").text


def test_unknown_page_is_a_translated_404(client) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.text


def test_nul_in_a_query_string_is_refused_everywhere(browser, session) -> None:
    browser.login(make_staff(session))
    assert browser.get("/coordinator/organizations?q=%00").status_code == 422
    assert browser.api("GET", "/api/coordinator/organizations?q=%00").status_code == 422


def staff_count(session) -> int:
    return session.scalar(
        select(func.count(User.id)).where(User.role.in_([Role.coordinator, Role.admin]))
    )


def test_a_coordinator_cannot_invite_staff_on_any_path(browser, session) -> None:
    coordinator = make_staff(session)
    before = staff_count(session)
    browser.login(coordinator)
    page = browser.post("/account/invitations", {"email": "co2@gn-ai.example.kr"})
    api = browser.api("POST", "/api/organization/invitations", {"email": "co3@gn-ai.example.kr"})
    assert (page.status_code, api.status_code) == (403, 403)
    assert session.scalar(select(func.count(Invitation.id))) == 0
    # an invitation written by a coordinator before this rule cannot be accepted either
    secret = "old-coordinator-invitation"
    session.add(
        Invitation(
            organization_id=coordinator.organization_id,
            email="co4@gn-ai.example.kr",
            token_hash=accounts.token_hash(secret),
            invited_by_id=coordinator.id,
            expires_at=utcnow() + timedelta(days=1),
        )
    )
    session.commit()
    browser.logout()
    joined = browser.post(f"/invitations/{secret}", {"name": "새코디", "password": PASSWORD})
    assert joined.status_code == 403
    assert staff_count(session) == before


def test_an_admins_invitation_makes_a_coordinator_never_an_admin(browser, session) -> None:
    admin = make_staff(session, Role.admin)
    _, secret = accounts.invite(session, admin, "co5@gn-ai.example.kr")
    session.commit()
    response = browser.post(f"/invitations/{secret}", {"name": "새코디", "password": PASSWORD})
    assert response.status_code == 303
    joined = session.scalar(select(User).where(User.email == "co5@gn-ai.example.kr"))
    assert joined.role is Role.coordinator
