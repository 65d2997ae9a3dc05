"""Password change and reset, e-mail verification before publishing or bidding, consent."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts import service as accounts
from app.models import (
    AccountToken,
    ApiToken,
    AuditEntry,
    NeedStatus,
    OutboxMessage,
    TokenPurpose,
    User,
    UserSession,
    utcnow,
)
from tests.bids.conftest import bid_body, future
from tests.builders import PASSWORD, make_manufacturer, make_need, make_supplier

NEW = "a-new-long-passphrase-42"
REGISTRATION = {
    "kind": "manufacturer",
    "organization_name": "김해금속",
    "business_number": "220-81-62517",
    "name": "박대표",
    "email": "park@gimhae.example.kr",
    "password": PASSWORD,
    "consent": True,
}


def mails_to(session, email: str) -> list[OutboxMessage]:
    session.expire_all()
    query = select(OutboxMessage).where(OutboxMessage.to_email == email)
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def link_in(mail: OutboxMessage, path: str) -> str:
    found = re.search(rf"https?://[^\s]+(/{path}/[A-Za-z0-9_-]+)", mail.body)
    assert found, mail.body
    return found.group(1)


def secret_of(link: str) -> str:
    return link.rsplit("/", 1)[1]


def live_sessions(session, user: User) -> int:
    query = select(func.count(UserSession.id)).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
    )
    return session.scalar(query) or 0


# --- password reset ---


def test_reset_by_api_mails_a_link_that_works_once_and_signs_out_everywhere(
    browser, session
) -> None:
    user = make_manufacturer(session)
    browser.login(user)
    token = accounts.create_api_token(session, user, "t")[0]
    response = browser.api("POST", "/api/password/forgot", {"email": user.email.upper()})
    assert response.status_code == 202
    [mail] = mails_to(session, user.email)
    assert "비밀번호" in mail.subject  # the user's language (ko)
    secret = secret_of(link_in(mail, "reset"))
    stored = session.scalars(select(AccountToken.token_hash)).all()
    assert secret not in stored and accounts.token_hash(secret) in stored  # only the hash
    done = browser.api("POST", "/api/password/reset", {"token": secret, "password": NEW})
    assert done.status_code == 200
    session.expire_all()
    assert accounts.authenticate(session, user.email, NEW, "1.2.3.4") is not None
    assert live_sessions(session, user) == 0
    assert session.get(ApiToken, token.id).revoked_at is not None
    assert browser.get("/account").status_code in (302, 303, 401)
    again = browser.api("POST", "/api/password/reset", {"token": secret, "password": NEW + "x"})
    assert again.status_code == 404
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "user.password_reset"))


def test_unknown_and_known_addresses_get_the_same_answer(browser, session) -> None:
    user = make_manufacturer(session)
    known = browser.api("POST", "/api/password/forgot", {"email": user.email})
    unknown = browser.api("POST", "/api/password/forgot", {"email": "nobody@nowhere.example.kr"})
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    page_known = browser.post("/password/forgot", {"email": user.email})
    page_unknown = browser.post("/password/forgot", {"email": "nobody@nowhere.example.kr"})
    assert page_known.status_code == page_unknown.status_code == 200
    assert 'id="sent"' in page_known.text and 'id="sent"' in page_unknown.text
    assert mails_to(session, "nobody@nowhere.example.kr") == []
    assert len(mails_to(session, user.email)) == 2


def test_reset_requests_are_throttled_per_address_known_or_not(browser, session, settings) -> None:
    user = make_manufacturer(session)
    for email in (user.email, "ghost@nowhere.example.kr"):
        codes = [
            browser.api("POST", "/api/password/forgot", {"email": email}).status_code
            for _ in range(settings.reset_max_requests + 1)
        ]
        assert codes == [202] * settings.reset_max_requests + [429]
    assert len(mails_to(session, user.email)) == settings.reset_max_requests


def test_a_new_link_spends_the_old_one_and_an_expired_link_fails(browser, session) -> None:
    user = make_manufacturer(session)
    browser.api("POST", "/api/password/forgot", {"email": user.email})
    browser.api("POST", "/api/password/forgot", {"email": user.email})
    first, second = (secret_of(link_in(m, "reset")) for m in mails_to(session, user.email))
    assert browser.get(f"/reset/{first}").status_code == 404
    assert browser.get(f"/reset/{second}").status_code == 200
    row = session.scalar(select(AccountToken).where(AccountToken.used_at.is_(None)))
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.flush()
    assert browser.get(f"/reset/{second}").status_code == 404
    body = {"token": second, "password": NEW}
    assert browser.api("POST", "/api/password/reset", body).status_code == 404


def test_reset_page_refuses_a_weak_password_and_changes_nothing(browser, session) -> None:
    user = make_manufacturer(session)
    browser.post("/password/forgot", {"email": user.email})
    link = link_in(mails_to(session, user.email)[0], "reset")
    weak = browser.post(link, {"password": "password123"})
    assert weak.status_code == 422 and 'id="password-error"' in weak.text
    session.expire_all()
    assert accounts.authenticate(session, user.email, PASSWORD, "1.2.3.4") is not None
    done = browser.post(link, {"password": NEW})
    assert done.status_code == 303 and done.headers["location"] == "/login?done=reset"
    assert browser.get(link).status_code == 404


def test_the_reset_mail_follows_the_users_language(browser, session) -> None:
    user = make_manufacturer(session)
    user.locale = "en"
    session.flush()
    browser.api("POST", "/api/password/forgot", {"email": user.email})
    [mail] = mails_to(session, user.email)
    assert mail.subject == "[axmatch] Reset your password" and "expires in 60 minutes" in mail.body


# --- password change ---


def test_change_needs_the_current_password_and_signs_out_other_sessions(browser, session) -> None:
    user = make_manufacturer(session)
    other = accounts.start_session(session, user)
    browser.login(user)
    wrong = browser.post(
        "/account/password", {"current_password": "not-it-at-all", "new_password": NEW}
    )
    assert wrong.status_code == 422 and 'id="current_password-error"' in wrong.text
    weak = browser.post(
        "/account/password", {"current_password": PASSWORD, "new_password": "password123"}
    )
    assert weak.status_code == 422 and 'id="new_password-error"' in weak.text
    assert live_sessions(session, user) == 2
    done = browser.post("/account/password", {"current_password": PASSWORD, "new_password": NEW})
    assert done.status_code == 303
    assert browser.get("/account?done=password").status_code == 200  # this session stays
    assert accounts.user_for_session(session, other) is None
    assert live_sessions(session, user) == 1


def test_change_by_api(browser, session) -> None:
    user = make_supplier(session)
    browser.login(user)
    body = {"current_password": "wrong-password-0", "new_password": NEW}
    assert browser.api("POST", "/api/me/password", body).status_code == 422
    body["current_password"] = PASSWORD
    assert browser.api("POST", "/api/me/password", body).status_code == 200
    session.expire_all()
    assert accounts.authenticate(session, user.email, NEW, "1.2.3.4") is not None


# --- e-mail verification ---


def test_a_registered_user_is_refused_publishing_until_verified(browser, session) -> None:
    response = browser.api("POST", "/api/register", REGISTRATION)
    assert response.status_code == 201
    headers = {"authorization": f"Bearer {response.json()['token']}"}
    me = browser.api("GET", "/api/me", headers=headers).json()
    assert me["email_verified"] is False and me["consent_version"] == accounts.CONSENT_VERSION
    user = session.get(User, me["id"])
    need = make_need(session, user, status=NeedStatus.draft, deadline_at=future())
    refused = browser.api("POST", f"/api/needs/{need.id}/publish", headers=headers)
    assert refused.status_code == 403 and "이메일 주소를 확인하세요" in refused.json()["message"]
    [mail] = mails_to(session, REGISTRATION["email"])
    secret = secret_of(link_in(mail, "verify"))
    assert browser.api("POST", "/api/verify", {"token": secret}).status_code == 200
    assert browser.api("POST", "/api/verify", {"token": secret}).status_code == 404
    published = browser.api("POST", f"/api/needs/{need.id}/publish", headers=headers)
    assert published.status_code == 200


def test_the_publish_page_says_why_and_the_account_page_resends(browser, session) -> None:
    browser.post("/register", {**REGISTRATION, "consent": "true"})
    user = session.scalar(select(User).where(User.email == REGISTRATION["email"]))
    need = make_need(session, user, status=NeedStatus.draft, deadline_at=future())
    refused = browser.post(f"/needs/{need.id}/publish", {"version": need.version})
    assert refused.status_code == 403 and "이메일 주소를 확인하세요" in refused.text
    assert session.get(type(need), need.id).status is NeedStatus.draft
    account = browser.get("/account")
    assert 'id="resend-verification"' in account.text and 'id="consent"' in account.text
    assert browser.post("/account/verification").status_code == 303
    first, second = mails_to(session, user.email)
    assert browser.get(link_in(first, "verify")).status_code == 404  # replaced by the new one
    link = link_in(second, "verify")
    assert browser.get(link).status_code == 200  # a button: opening the link spends nothing
    assert browser.post(link).headers["location"] == "/account?done=verified"
    session.expire_all()
    assert session.get(User, user.id).email_verified_at is not None


def test_an_unverified_supplier_cannot_bid(browser, session) -> None:
    supplier = make_supplier(session)
    supplier.email_verified_at = None
    session.flush()
    need = make_need(session, make_manufacturer(session), deadline_at=future())
    browser.login(supplier)
    refused = browser.api("PUT", f"/api/needs/{need.id}/bid", bid_body())
    assert refused.status_code == 403
    page = browser.post(f"/needs/{need.id}/bid", {"approach": "x"})
    assert page.status_code in (403, 422)
    supplier.email_verified_at = utcnow()
    session.flush()
    assert browser.api("PUT", f"/api/needs/{need.id}/bid", bid_body()).status_code in (200, 201)


def test_invited_users_count_as_verified(browser, session) -> None:
    owner = make_manufacturer(session)
    _, secret = accounts.invite(session, owner, "joiner@mfr.example.kr")
    [mail] = mails_to(session, "joiner@mfr.example.kr")  # the invitation is e-mailed too
    assert f"/invitations/{secret}" in mail.body
    browser.post(f"/invitations/{secret}", {"name": "합류자", "password": NEW})
    joined = session.scalar(select(User).where(User.email == "joiner@mfr.example.kr"))
    assert joined.email_verified_at is not None


# --- consent ---


def test_registration_requires_consent_and_records_its_version(browser, session) -> None:
    body = {**REGISTRATION, "consent": False}
    refused = browser.api("POST", "/api/register", body)
    assert refused.status_code == 422
    assert [e["loc"][-1] for e in refused.json()["detail"]] == ["consent"]
    page = browser.post("/register", {k: v for k, v in REGISTRATION.items() if k != "consent"})
    assert page.status_code == 422 and 'id="consent-error"' in page.text
    assert session.scalar(select(User).where(User.email == REGISTRATION["email"])) is None
    browser.post("/register", {**REGISTRATION, "consent": "true"})
    user = session.scalar(select(User).where(User.email == REGISTRATION["email"]))
    assert user.consent_version == accounts.CONSENT_VERSION and user.consent_at is not None
    assert accounts.CONSENT_VERSION in browser.get("/privacy").text


def test_withdrawing_consent_deactivates_after_the_password(browser, session) -> None:
    user = make_manufacturer(session)
    browser.login(user)
    wrong = browser.post("/account/withdraw", {"password": "not-my-password"})
    assert wrong.status_code == 422 and 'id="password-error"' in wrong.text
    done = browser.post("/account/withdraw", {"password": PASSWORD})
    assert done.status_code == 303
    session.expire_all()
    assert session.get(User, user.id).is_active is False
    assert live_sessions(session, user) == 0
    assert accounts.authenticate(session, user.email, PASSWORD, "1.2.3.4") is None


def test_withdrawing_by_api(browser, session) -> None:
    user = make_supplier(session)
    browser.login(user)
    assert browser.api("POST", "/api/me/withdraw", {"password": PASSWORD}).status_code == 200
    session.expire_all()
    assert session.get(User, user.id).is_active is False


@pytest.mark.parametrize("purpose", [TokenPurpose.reset, TokenPurpose.verify])
def test_a_link_of_a_deactivated_user_is_dead(browser, session, purpose) -> None:
    from app.accounts import tokens

    user = make_manufacturer(session)
    secret = tokens.issue(session, user, purpose, timedelta(hours=1))
    user.is_active = False
    session.flush()
    path = "reset" if purpose is TokenPurpose.reset else "verify"
    assert browser.get(f"/{path}/{secret}").status_code == 404
