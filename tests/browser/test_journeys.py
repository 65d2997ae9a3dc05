"""The main journeys in Debian's Chromium, one browser context (one person) per journey.

Screenshots of the last page of each journey land in test-artifacts/.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import fill_goal

pytestmark = pytest.mark.browser
DEMO_PASSWORD = "axmatch-demo-2026"


def log_in(page, email: str, password: str = DEMO_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("#f-email", email)
    page.fill("#f-password", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def test_manufacturer_registers_posts_a_korean_need_and_sees_suppliers(  # type: ignore[no-untyped-def]
    page, live_env, mailbox
) -> None:
    from tests.browser.test_accounts import link_in_mail

    page.goto("/register")
    assert page.locator("html").get_attribute("lang") == "ko"
    page.check("input[name=kind][value=manufacturer]")
    page.fill("#f-organization_name", "창원정밀부품")
    page.fill("#f-business_number", "220-81-62517")
    page.fill("#f-name", "이공장")
    page.fill("#f-email", "lee@cw-parts.example.kr")
    page.fill("#f-password", "strong-password-1")
    page.check("#f-consent")
    page.click("form[action='/register'] button[type=submit]")
    page.wait_for_url(lambda url: "/register" not in url)
    page.goto("/profile/edit")
    page.select_option("#f-industry", "30")
    page.select_option("#f-region", "gn-changwon")
    page.select_option("#f-sf_level", "intermediate1")
    page.check("input[name=systems][value=mes]")
    page.click("#save")
    assert page.locator("body").inner_text().count("창원정밀부품") >= 1
    page.goto("/needs/new")
    page.fill("#f-title", "프레스 부품 찍힘 불량 외관 검사 자동화")
    page.fill(
        "#f-description",
        "프레스로 찍어낸 브래킷의 찍힘과 버 불량을 작업자가 눈으로 선별합니다. "
        "카메라 검사로 불량 유출을 줄이고 싶습니다.",
    )
    page.select_option("#f-process", "press")
    page.check("input[name=ai_techniques][value=vision_inspection]")
    deadline = datetime.now(ZoneInfo("Asia/Seoul")) + timedelta(days=14)
    fill_goal(page)
    page.fill("#f-deadline_at", deadline.strftime("%Y-%m-%dT%H:%M"))
    page.click("#save-need")
    page.click("#publish-form button[type=submit]")
    assert "이메일 주소를 확인하세요" in page.locator("main").inner_text()  # not confirmed yet
    need_page = page.url.removesuffix("/publish")  # the refusal is the POST's answer
    page.goto(link_in_mail(live_env, mailbox, "lee@cw-parts.example.kr", "verify"))
    with page.expect_navigation():
        page.click("#verify-form button")
    page.goto(need_page)
    page.click("#publish-form button[type=submit]")
    page.wait_for_selector("#awaiting-check")  # a new organisation's first need is checked first
    assert page.locator("#flash").count() == 1
    coordinator_checks_the_first_need(page, need_page)
    log_in(page, "lee@cw-parts.example.kr", "strong-password-1")
    page.goto(need_page)
    assert page.locator("#awaiting-check").count() == 0
    page.wait_for_selector("#suggested article.match")
    assert page.locator("#suggested article.match").count() >= 3
    assert page.locator("#suggested blockquote").count() >= 1
    page.click("form[action='/lang'] button")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Suggested suppliers" in page.locator("#suggested h2").inner_text()


def coordinator_checks_the_first_need(page, need_page: str) -> None:  # type: ignore[no-untyped-def]
    """Approve from the queue through the confirmation page (no JavaScript), see the message."""
    with page.expect_navigation():
        page.click("#logout")
    log_in(page, "coordinator@gn-ai.example.kr")
    page.goto("/coordinator/checks")
    need_id = need_page.rstrip("/").rsplit("/", 1)[-1]
    with page.expect_navigation():
        page.click(f"#approve-{need_id}")
    assert "공급기업" in page.locator("#confirm-happens").inner_text()
    assert "제조기업" in page.locator("#confirm-told").inner_text()
    with page.expect_navigation():
        page.click("#confirm-button")
    page.wait_for_selector("#flash")
    assert page.locator(f"#need-{need_id}").count() == 0
    with page.expect_navigation():
        page.click("#logout")


def test_coordinator_admits_an_applied_supplier(page) -> None:  # type: ignore[no-untyped-def]
    log_in(page, "coordinator@gn-ai.example.kr")
    page.goto("/coordinator/applications")
    row = page.locator("form.decision", has=page.locator("input[name=reason]")).first
    org_action = row.get_attribute("action")
    row.locator("input[name=reason]").fill("실적과 인증 확인 완료")
    row.locator("button[value=admitted]").click()
    page.goto(org_action.replace("/membership", "").replace("/suppliers/", "/organizations/"))
    assert "승인" in page.locator("body").inner_text() or "admitted" in page.content()


def test_supplier_finds_a_need_by_filter_and_search(page) -> None:  # type: ignore[no-untyped-def]
    log_in(page, "info@nurivision.example.kr")
    page.goto("/needs")
    page.select_option("#f-process", "press")
    with page.expect_navigation():
        page.locator("#f-process").evaluate("el => el.form.requestSubmit()")
    assert "process=press" in page.url
    titles = page.locator("main").inner_text()
    assert "브래킷" in titles or "프레스" in titles
    page.goto("/search?target=needs&q=" + "프레스 손 끼임 사고")
    assert page.locator("#results article.match").count() >= 1
    page.goto("/recommendations")
    assert page.locator("article.match").count() >= 1


def test_new_supplier_fills_a_capability_profile(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/register")
    page.check("input[name=kind][value=supplier]")
    page.fill("#f-organization_name", "Gimhae Vision Labs")
    page.fill("#f-business_number", "1248100998")
    page.fill("#f-name", "Park")
    page.fill("#f-email", "park@gimhae-vision.example.kr")
    page.fill("#f-password", "strong-password-2")
    page.check("#f-consent")
    page.click("form[action='/register'] button[type=submit]")
    page.wait_for_url(lambda url: "/register" not in url)
    page.goto("/profile/edit")
    page.fill("#f-description_en", "Deep-learning surface inspection for stamped and forged parts.")
    page.check("input[name=ai_techniques][value=vision_inspection]")
    page.check("input[name=processes][value=press]")
    page.select_option("#f-region", "gn-gimhae")
    page.fill("#f-capacity", "3")
    page.click("#save")
    page.goto("/profile/case-studies/new")
    page.fill("#f-title", "Bracket dent inspection")
    page.fill("#f-text", "Cameras over a press line found dents; escapes fell by 80%.")
    with page.expect_navigation():
        page.click("#save")
    page.goto("/profile")
    body = page.locator("main").inner_text()
    assert "Bracket dent inspection" in body and "Gimhae Vision Labs" in body
