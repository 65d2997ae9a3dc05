"""The welcome page after sign-up (issue 14 item 6): registration lands there; it lists what
to do next per role, each step marked done once its record exists, in Korean and English."""

from sqlalchemy import select

from app.accounts.welcome import welcome_steps
from app.models import User
from tests.accounts.test_pages import register_form
from tests.builders import (
    make_case_study,
    make_manufacturer,
    make_need,
    make_staff,
    make_supplier,
    parse,
)


def test_registration_redirects_to_the_welcome_page(browser, session) -> None:
    response = browser.post("/register", register_form())
    assert response.status_code == 303 and response.headers["location"] == "/welcome"
    page = parse(browser.get("/welcome").text)
    assert "김코딩님, 환영합니다" in page.texts["welcome"]
    assert {"welcome-verify", "welcome-profile", "welcome-case_study", "welcome-documents"} <= set(
        page.texts
    )
    assert "역량 프로필 완성하기" in page.texts["welcome-profile"]


def test_a_manufacturer_in_english(browser, session) -> None:
    data = register_form(kind="manufacturer", email="lee@factory.example.kr", name="Lee")
    browser.post("/register", data)
    user = session.scalar(select(User).where(User.email == "lee@factory.example.kr"))
    user.locale = "en"
    session.flush()
    page = parse(browser.get("/welcome").text)
    assert "Welcome, Lee" in page.texts["welcome"]
    assert "Post your first need" in page.texts["welcome-need"]
    assert "/needs/new" in page.hrefs


def test_steps_are_done_once_their_records_exist(session) -> None:
    maker = make_manufacturer(session)
    steps = {s.key: s.done for s in welcome_steps(session, maker)}
    assert steps == {"verify": True, "profile": True, "need": False, "suppliers": False}
    make_need(session, maker)
    assert {s.key: s.done for s in welcome_steps(session, maker)}["need"] is True
    supplier = make_supplier(session)
    make_case_study(session, supplier)
    done = {s.key: s.done for s in welcome_steps(session, supplier)}
    assert done["profile"] and done["case_study"] and not done["documents"]
    assert done["recommendations"]  # the builder's supplier is admitted
    assert [s.key for s in welcome_steps(session, make_staff(session))] == ["verify", "home"]


def test_the_welcome_page_needs_a_login(browser) -> None:
    response = browser.get("/welcome")
    assert response.status_code in (303, 401) or "/login" in str(response.url)
