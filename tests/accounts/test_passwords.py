"""Weak passwords are refused on every path that makes an account, with a message in the
reader's language, and nothing is written."""

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from app.accounts import service as accounts
from app.admin import service as admin_service
from app.cli import cli
from app.errors import Invalid
from app.models import User
from tests.builders import PASSWORD, make_manufacturer, make_staff

EMAIL = "kim@vision.example.kr"
WEAK = ["aaaaaaaaaa", "password12", EMAIL, "kim@vision"]
KO = "추측하기 쉬운 비밀번호입니다"
EN = "This password is too easy to guess"


def users(session) -> int:
    return session.scalar(select(func.count(User.id)))


def registration(password: str) -> dict[str, object]:
    return {
        "kind": "supplier",
        "organization_name": "창원비전AI",
        "business_number": "2208162517",
        "name": "김코딩",
        "email": EMAIL,
        "password": password,
        "consent": True,
    }


@pytest.mark.parametrize("password", [*WEAK, "창원비전AI12345"])  # the organisation's name
def test_registration_page_and_api_refuse_a_weak_password(browser, session, password) -> None:
    before = users(session)
    page = browser.post("/register", registration(password))
    assert page.status_code == 422 and KO in page.text and 'id="password-error"' in page.text
    api = browser.api("POST", "/api/register", registration(password))
    assert api.status_code == 422
    assert [e["loc"][-1] for e in api.json()["detail"]] == ["password"]
    assert users(session) == before


def test_the_message_follows_the_language(browser) -> None:
    browser.client.cookies.set("lang", "en")
    assert EN in browser.post("/register", registration("password12")).text


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "new@mfr.example.kr"])
def test_joining_by_invitation_refuses_a_weak_password(browser, session, password) -> None:
    owner = make_manufacturer(session)
    _, secret = accounts.invite(session, owner, "new@mfr.example.kr")
    session.commit()
    before = users(session)
    page = browser.post(f"/invitations/{secret}", {"name": "새직원", "password": password})
    assert page.status_code == 422 and KO in page.text and 'id="password-error"' in page.text
    assert users(session) == before
    assert browser.get(f"/invitations/{secret}").status_code == 200  # still open


@pytest.mark.parametrize("password", WEAK)
def test_admins_cannot_create_staff_with_a_weak_password(browser, session, password) -> None:
    admin = make_staff(session, accounts.Role.admin)
    before = users(session)
    browser.login(admin)
    body = {"name": "이코디", "email": EMAIL, "password": password, "role": "coordinator"}
    assert browser.api("POST", "/api/admin/users", body).status_code == 422
    page = browser.post("/admin/users/new", body)
    assert page.status_code == 422 and KO in page.text
    assert users(session) == before


def test_create_admin_refuses_a_weak_password_clearly(session) -> None:
    with pytest.raises(Invalid) as caught:
        admin_service.create_admin(session, "root@gn-ai.example.kr", "password12", "관리자")
    assert caught.value.message.startswith(EN)
    result = CliRunner().invoke(
        cli,
        ["create-admin", "--email", "root@gn-ai.example.kr", "--name", "관리자"],
        input="aaaaaaaaaa\naaaaaaaaaa\n",
    )
    assert result.exit_code != 0 and EN in result.output


def test_every_account_passes_the_check_in_the_service(session) -> None:
    owner = make_manufacturer(session)
    email = "lee@mfr.example.kr"
    with pytest.raises(Invalid):
        accounts.create_user(session, owner.organization, email, email, "이", owner.role)
    assert accounts.create_user(
        session, owner.organization, "lee@mfr.example.kr", PASSWORD, "이", owner.role
    )
