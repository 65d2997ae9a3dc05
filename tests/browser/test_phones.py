"""Phones (issue 14 item 5): each role's main pages in Chromium at 390 x 844 over the demo
data. A page fails when it is wider than the screen (`scrollWidth` > 390: wide tables must
scroll inside their own box) or when the header, menu closed, takes more than HEADER_MAX px;
the menu opens without script (a checkbox and its label: the CSP forbids inline script)."""

from collections.abc import Iterator

import pytest

from tests.browser.conftest import shot
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
HEADER_MAX = 80  # px of an 844 px screen, menu closed (it took 290-480 px before)
# Each role's main pages, then (selector, what) for a record page reached from them.
PAGES = {
    "contact@daegwang-autotech.example.kr": (
        ["/", "/needs/mine", "/needs/new", "/engagements", "/suppliers", "/profile", "/search"],
        [("#home-bids_to_compare li.home-item a", "bid comparison")],
    ),
    "info@nurivision.example.kr": (
        ["/", "/recommendations", "/needs", "/bids", "/bids/invitations", "/engagements",
         "/profile"],
        [("a[href^='/needs/']", "need")],
    ),
    "coordinator@gn-ai.example.kr": (
        ["/", "/needs", "/suppliers", "/coordinator/applications", "/awards", "/engagements/board",
         "/coordinator/rounds", "/coordinator/dashboard", "/coordinator/organizations",
         "/coordinator/audit", "/coordinator/cohorts", "/coordinator/conflicts"],
        [(".board-card a[href^='/engagements/']", "engagement"), ("a[href$='/bids']", "bids")],
    ),
    "admin@gn-ai.example.kr": (["/", "/admin/users", "/coordinator/organizations"], []),
    "sponsor@gn-turbine.example.kr": (["/", "/cohorts", "/sponsor"], []),
}  # fmt: skip


@pytest.fixture
def phone(chromium, live_server: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """One browser context per journey, the size of a phone."""
    context = chromium.new_context(base_url=live_server, locale="ko-KR", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(60_000)  # a first ranking builds the index
    yield page
    context.close()


def fits(page) -> None:  # type: ignore[no-untyped-def]
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= PHONE["width"], f"{page.url} is {wide} px wide at {PHONE['width']} px"


def header_height(page) -> float:  # type: ignore[no-untyped-def]
    return float(page.evaluate("document.querySelector('header.topbar').offsetHeight"))


def visit(page, path: str) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    fits(page)
    assert header_height(page) <= HEADER_MAX, f"{path}: header {header_height(page)} px"


@pytest.mark.parametrize("email", list(PAGES), ids=lambda e: e.split("@")[0])
def test_main_pages_fit_a_phone(phone, email: str) -> None:  # type: ignore[no-untyped-def]
    log_in(phone, email)
    paths, records = PAGES[email]
    found: dict[str, str] = {}
    for path in paths:
        visit(phone, path)
        for selector, what in records:
            link = phone.locator(selector).first
            if what not in found and link.count():
                found[what] = link.get_attribute("href") or ""
    for what, href in found.items():
        visit(phone, href)
        shot(phone, f"phone-{email.split('@')[0]}-{what.replace(' ', '-')}")
    assert {what for _, what in records} <= set(found), f"not reached: {records}"


def test_the_menu_opens_without_script_and_the_comparison_scrolls_in_its_box(phone) -> None:  # type: ignore[no-untyped-def]
    log_in(phone, "contact@daegwang-autotech.example.kr")
    phone.goto("/")
    nav = phone.locator(".mainnav a[href='/needs/mine']")
    assert not nav.is_visible() and not phone.locator("#bell").is_visible()
    phone.click("#menu-button")
    assert nav.is_visible()
    bell = phone.locator("#bell").bounding_box()  # inside the opened menu, on the screen
    assert bell is not None and bell["x"] >= 0 and bell["x"] + bell["width"] <= PHONE["width"]
    fits(phone)
    href = phone.locator("#home-bids_to_compare li.home-item a").first.get_attribute("href")
    phone.goto(href or "")
    table = phone.locator("#comparison")
    assert table.count() == 1
    inner, outer = table.evaluate("t => [t.scrollWidth, t.clientWidth]")
    assert inner > outer and outer <= PHONE["width"]  # wider than the phone, scrolled inside
    first = phone.locator(
        "#comparison tbody tr th"
    ).first  # the attribute column (bids side by side)
    assert first.evaluate("th => getComputedStyle(th).position") == "sticky"
