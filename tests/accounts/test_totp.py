"""The optional two-step login of staff: enrol, confirm, log in with a code, recovery codes."""

import time

import pyotp
from sqlalchemy import select

from app.accounts import totp
from app.models import LoginAttempt, Role, User
from tests.builders import PASSWORD, make_manufacturer, make_staff


def code(user: User, ahead: int = 0) -> str:
    return pyotp.TOTP(user.totp_secret).at(int(time.time()) + ahead * totp.STEP)


def enrol(browser, session, user: User) -> list[str]:
    browser.login(user)
    page = browser.post("/account/two-step/start")
    assert page.status_code == 200 and 'id="totp-uri"' in page.text
    session.expire_all()
    user = session.get(User, user.id)
    assert f"secret={user.totp_secret}" in page.text and "otpauth://totp/axmatch:" in page.text
    assert "<img" not in page.text  # no QR picture, no outside asset
    wrong = browser.post("/account/two-step/confirm", {"code": "000000"})
    assert wrong.status_code == 422 and totp.enabled(session.get(User, user.id)) is False
    done = browser.post("/account/two-step/confirm", {"code": code(user)})
    assert done.status_code == 200 and 'id="recovery-codes"' in done.text
    codes = [c for c in done.text.split("<code>")[1:]]
    return [c.split("</code>")[0] for c in codes if "-" in c.split("</code>")[0]]


def test_a_coordinator_enrols_and_recovery_codes_are_stored_hashed(browser, session) -> None:
    user = make_staff(session)
    codes = enrol(browser, session, user)
    session.expire_all()
    user = session.get(User, user.id)
    assert len(codes) == totp.RECOVERY_CODES and totp.enabled(user)
    assert not set(codes) & set(user.recovery_hashes)
    assert all(h.startswith("$argon2") for h in user.recovery_hashes)


def test_login_then_asks_for_the_code_and_refuses_a_wrong_one(browser, session) -> None:
    user = make_staff(session, Role.admin)
    enrol(browser, session, user)
    browser.logout()
    step = browser.post("/login", {"email": user.email, "password": PASSWORD})
    assert step.status_code == 303 and step.headers["location"].startswith("/login/code")
    assert "axm_session" not in browser.client.cookies
    assert browser.get("/account").status_code != 200
    assert browser.get("/login/code").status_code == 200
    wrong = browser.post("/login/code", {"code": "123456"})
    assert wrong.status_code == 401 and 'id="code-error"' in wrong.text
    attempts = select(LoginAttempt).where(LoginAttempt.kind == "second_factor")
    assert len(session.scalars(attempts).all()) == 1  # kept for throttling
    session.expire_all()
    user = session.get(User, user.id)
    right = browser.post("/login/code", {"code": code(user, ahead=1)})
    assert right.status_code == 303 and "axm_session" in right.cookies
    assert browser.get("/account").status_code == 200


def test_a_code_is_never_accepted_twice_and_a_recovery_code_once(session) -> None:
    user = make_staff(session)
    totp.start(session, user)
    codes = totp.confirm(session, user, code(user))
    assert not totp.check(user, code(user))  # the one just used for confirming
    assert totp.check(user, codes[0]) and not totp.check(user, codes[0])
    assert len(user.recovery_hashes) == totp.RECOVERY_CODES - 1


def test_api_token_login_needs_the_code(client, session) -> None:
    user = make_staff(session)
    totp.start(session, user)
    totp.confirm(session, user, code(user))
    session.commit()
    body = {"email": user.email, "password": PASSWORD}
    missing = client.post("/api/tokens/login", json=body)
    assert missing.status_code == 401 and missing.json()["error"] == "second_factor"
    ok = client.post("/api/tokens/login", json={**body, "totp_code": code(user, ahead=1)})
    assert ok.status_code == 201 and ok.json()["token"].startswith("axm_")


def test_only_staff_may_enrol(browser, session) -> None:
    browser.login(make_manufacturer(session))
    assert browser.post("/account/two-step/start").status_code == 403
    assert browser.api("POST", "/api/me/totp").status_code == 403


def test_enrol_and_disable_by_api(browser, session) -> None:
    user = make_staff(session)
    browser.login(user)
    started = browser.api("POST", "/api/me/totp")
    assert started.status_code == 201
    secret = started.json()["secret"]
    assert started.json()["uri"].startswith("otpauth://totp/") and secret in started.json()["uri"]
    now = pyotp.TOTP(secret).now()
    codes = browser.api("POST", "/api/me/totp/confirm", {"code": now}).json()["recovery_codes"]
    assert len(codes) == totp.RECOVERY_CODES
    again = browser.api("POST", "/api/me/totp")
    assert again.status_code == 409
    wrong = browser.api(
        "POST", "/api/me/totp/disable", {"password": "nope-nope-nope", "code": codes[0]}
    )
    assert wrong.status_code == 422
    off = browser.api("POST", "/api/me/totp/disable", {"password": PASSWORD, "code": codes[1]})
    assert off.status_code == 200
    session.expire_all()
    assert session.get(User, user.id).totp_secret is None
