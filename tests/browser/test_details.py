"""Issue 14 item 6's detail pages in Chromium, in Korean and English, at 1280 and 390 px:
the engagement's stepper, a supplier application as a coordinator vets it and the welcome
page after sign-up. A page fails when it is wider than its viewport."""

from collections.abc import Iterator

import pytest

from tests.browser.conftest import shot
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser
COORDINATOR = "coordinator@gn-ai.example.kr"
SIZES = {"wide": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
CASES = [(locale, size) for locale in ("ko", "en") for size in SIZES]
WORDS = {
    "ko": {"current": "진행 중", "done": "완료"},
    "en": {"current": "In progress", "done": "Done"},
}


@pytest.fixture
def viewer(chromium, live_server: str, request: pytest.FixtureRequest) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """One context per journey at the case's size; English users are set back to Korean."""
    locale, size = request.param
    context = chromium.new_context(base_url=live_server, locale="ko-KR", viewport=SIZES[size])
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.case = (locale, size)
    yield page
    if locale == "en" and "/login" not in page.url:
        set_language(page, "ko")
    context.close()


def set_language(page, locale: str) -> None:  # type: ignore[no-untyped-def]
    """The header's language button (inside the phone menu, so posted as the button would)."""
    token = page.locator("form[action='/lang'] input[name=csrftoken]").get_attribute("value")
    page.request.post("/lang", form={"locale": locale, "csrftoken": token})
    page.reload()
    assert page.locator("html").get_attribute("lang") == locale


def fits(page) -> None:  # type: ignore[no-untyped-def]
    wide = page.evaluate("document.documentElement.scrollWidth")
    width = page.viewport_size["width"]
    assert wide <= width, f"{page.url} is {wide} px wide at {width} px"


def sign_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    log_in(page, email)
    if page.case[0] == "en":
        set_language(page, "en")


@pytest.mark.parametrize("viewer", CASES, indirect=True, ids=lambda c: "-".join(c))
def test_the_engagement_stepper(viewer) -> None:  # type: ignore[no-untyped-def]
    locale, size = viewer.case
    sign_in(viewer, COORDINATOR)
    viewer.goto("/engagements/board")
    card = viewer.locator("#column-demonstration a[href^='/engagements/']").first
    viewer.goto(card.get_attribute("href"))
    steps = viewer.locator("#stepper li.step")
    assert steps.count() == 4
    current = viewer.locator("#stepper li[aria-current=step]")
    assert current.get_attribute("id") == "stage-demonstration"
    assert WORDS[locale]["current"] in current.inner_text()
    assert WORDS[locale]["done"] in viewer.locator("#stage-consulting").inner_text()
    assert "—" not in viewer.locator("#stepper").inner_text()
    fits(viewer)
    shot(viewer, f"details-stepper-{locale}-{size}")


VETTED = {
    "ko": ("사업자등록번호", "신청자", "레퍼런스·구축 사례"),
    "en": ("Business registration number", "Applicant", "References and case studies"),
}


@pytest.mark.parametrize("viewer", CASES, indirect=True, ids=lambda c: "-".join(c))
def test_an_application_as_a_coordinator_vets_it(viewer) -> None:  # type: ignore[no-untyped-def]
    locale, size = viewer.case
    sign_in(viewer, COORDINATOR)
    viewer.goto("/coordinator/applications")
    card = viewer.locator("section.application").first
    text = card.inner_text()
    for label in VETTED[locale]:
        assert label in text, label
    assert card.locator(".applicant").inner_text().strip() != ""
    assert card.locator(".specialties .tag").count() >= 1  # labels, not codes
    fits(viewer)
    shot(viewer, f"details-applications-{locale}-{size}")
    viewer.goto(card.locator("h2 a").get_attribute("href"))
    assert viewer.locator("#org-profile").count() == 1
    assert viewer.locator("#org-audit-link").count() == 1
    fits(viewer)


FIRST_STEP = {"ko": "역량 프로필 완성하기", "en": "Complete your capability profile"}


@pytest.mark.parametrize("viewer", CASES, indirect=True, ids=lambda c: "-".join(c))
def test_the_welcome_page_after_sign_up(viewer) -> None:  # type: ignore[no-untyped-def]
    from tests.builders import business_number

    locale, size = viewer.case
    n = CASES.index((locale, size))
    viewer.goto("/register")
    viewer.check("input[name=kind][value=supplier]")
    viewer.fill("#f-organization_name", f"환영비전{n}")
    viewer.fill("#f-business_number", business_number(777_000 + n))
    viewer.fill("#f-name", "정환영")
    viewer.fill("#f-email", f"welcome{n}@welcome-vision.example.kr")
    viewer.fill("#f-password", "strong-password-9")
    viewer.check("#f-consent")
    with viewer.expect_navigation():
        viewer.locator("form[action='/register'] button[type=submit]").click()
    assert viewer.url.endswith("/welcome")
    if locale == "en":
        set_language(viewer, "en")
    assert viewer.locator("#welcome-steps li").count() == 5
    assert FIRST_STEP[locale] in viewer.locator("#welcome-profile").inner_text()
    fits(viewer)
    shot(viewer, f"details-welcome-{locale}-{size}")
