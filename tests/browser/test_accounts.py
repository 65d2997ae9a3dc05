"""Account recovery in Chromium: a new supplier registers (consent, 사업자등록번호), confirms
the address from the e-mail, forgets the password and resets it from the e-mail, both caught
by a real SMTP server on 127.0.0.1 (the outbox worker sends them)."""

import re

import pytest

from app.config import get_settings
from app.db import Database
from app.notifications.worker import Worker
from tests.browser.conftest import shot
from tests.notifications.conftest import Sink

pytestmark = pytest.mark.browser
EMAIL = "choi@reset-vision.example.kr"


def deliver(live_env: dict[str, str], mailbox: tuple[Sink, int]) -> None:
    """What `axmatch worker` does: send the outbox of the live server's database."""
    sink, port = mailbox
    settings = get_settings().model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
    db = Database.from_url(live_env["DATABASE_URL"])
    try:
        Worker(db, settings).send_once(limit=500)
    finally:
        db.engine.dispose()


def link_in_mail(live_env, mailbox, to: str, path: str) -> str:  # type: ignore[no-untyped-def]
    """The path of the `path` link in the last e-mail `to` received."""
    deliver(live_env, mailbox)
    sink, _ = mailbox
    bodies = [
        m.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        for m, rcpt in zip(sink.messages, sink.envelopes, strict=True)
        if to in rcpt
    ]
    found = re.findall(rf"https?://\S+?(/{path}/[A-Za-z0-9_-]+)", "\n".join(bodies))
    assert found, f"no /{path}/ link in the e-mails to {to}"
    return found[-1]


def register(page, email: str, kind: str, company: str, number: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/register")
    page.check(f"input[name=kind][value={kind}]")
    page.fill("#f-organization_name", company)
    page.fill("#f-business_number", number)
    page.fill("#f-name", "최대표")
    page.fill("#f-email", email)
    page.fill("#f-password", "strong-password-7")
    page.check("#f-consent")
    with page.expect_navigation():
        page.click("form[action='/register'] button[type=submit]")


def test_a_user_resets_a_forgotten_password_from_the_email(page, live_env, mailbox) -> None:  # type: ignore[no-untyped-def]
    register(page, EMAIL, "supplier", "리셋비전", "120-81-47521")
    page.goto("/account")
    assert page.locator("#resend-verification").is_visible()
    assert "2026-12-02" in page.locator("#consent").inner_text()
    page.goto(link_in_mail(live_env, mailbox, EMAIL, "verify"))
    with page.expect_navigation():
        page.click("#verify-form button")
    assert page.locator("#done").is_visible() and page.locator("#resend-verification").count() == 0
    page.click("form[action='/logout'] button")
    page.goto("/login")
    page.click("#forgot")
    page.fill("#f-email", EMAIL)
    with page.expect_navigation():
        page.click("#forgot-form button")
    assert page.locator("#sent").is_visible()
    shot(page, "accounts-1-reset-sent")
    page.goto(link_in_mail(live_env, mailbox, EMAIL, "reset"))
    page.fill("#f-password", "brand-new-passphrase-8")
    with page.expect_navigation():
        page.click("#reset-form button")
    assert page.locator("#done").is_visible()
    page.fill("#f-email", EMAIL)
    page.fill("#f-password", "strong-password-7")
    page.click("form[action='/login'] button[type=submit]")
    assert page.locator(".alert.error").first.is_visible()  # the old password is gone
    page.fill("#f-email", EMAIL)
    page.fill("#f-password", "brand-new-passphrase-8")
    with page.expect_navigation():
        page.click("form[action='/login'] button[type=submit]")
    page.goto("/account")
    assert EMAIL in page.locator("#me").inner_text()
    shot(page, "accounts-2-account")
