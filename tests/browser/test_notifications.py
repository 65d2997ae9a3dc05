"""Notifications in Chromium: a supplier saves a search, a manufacturer publishes a need that
matches it, the supplier's bell counts it, the list opens the need, e-mails can be turned off."""

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import fill_goal, shot
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser
TITLE = "단조 플랜지 표면 균열 비전 검사"


@pytest.fixture
def two(chromium, live_server: str) -> Iterator[tuple[object, object]]:  # type: ignore[no-untyped-def]
    contexts = [chromium.new_context(base_url=live_server, locale="ko-KR") for _ in range(2)]
    pages = [c.new_page() for c in contexts]
    for p in pages:
        p.set_default_timeout(15_000)
    yield pages[0], pages[1]
    for c in contexts:
        c.close()


def save_search(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/saved-searches")
    page.fill("#f-name", "단조 균열 검사")
    page.fill("#f-query", "단조 플랜지 균열 비전 검사")
    page.select_option("#f-region", "gn-changwon")
    page.select_option("#f-level", "low")
    with page.expect_navigation():
        page.click("#new-search button")
    assert "단조 균열 검사" in page.locator("#saved-searches").inner_text()
    shot(page, "notifications-1-saved-search")


def publish_need(page) -> int:  # type: ignore[no-untyped-def]
    page.goto("/needs/new")
    page.fill("#f-title", TITLE)
    page.fill("#f-description", "단조 플랜지 표면의 미세 균열을 작업자가 육안으로 검사합니다.")
    page.select_option("#f-region", "gn-changwon")
    deadline = datetime.now(ZoneInfo("Asia/Seoul")) + timedelta(days=10)
    fill_goal(page)
    page.fill("#f-deadline_at", deadline.strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        page.click("#save-need")
    with page.expect_navigation():
        page.click("#publish-form button[type=submit]")
    return int(re.search(r"/needs/(\d+)", page.url).group(1))  # type: ignore[union-attr]


def test_a_saved_search_brings_a_new_need_to_the_bell(two) -> None:  # type: ignore[no-untyped-def]
    supplier, manufacturer = two
    log_in(supplier, "info@nurivision.example.kr")
    save_search(supplier)
    log_in(manufacturer, "contact@daegwang-autotech.example.kr")
    need_id = publish_need(manufacturer)
    supplier.goto("/recommendations")
    assert int(supplier.locator("#unread-count").inner_text()) >= 1
    supplier.click("#bell")
    item = supplier.locator("li.notification.unread", has_text=TITLE)
    assert "단조 균열 검사" in item.inner_text()
    shot(supplier, "notifications-2-list")
    with supplier.expect_navigation():
        item.locator("button.notice-text").click()
    assert supplier.url.endswith(f"/needs/{need_id}")
    supplier.goto("/notifications?unread=true")
    assert supplier.locator("li.notification", has_text=TITLE).count() == 0
    supplier.goto("/account/notifications")
    supplier.uncheck("#email-need_matched")
    with supplier.expect_navigation():
        supplier.click("#preferences button")
    assert supplier.locator("#saved").is_visible()
    assert not supplier.locator("#email-need_matched").is_checked()
    shot(supplier, "notifications-3-email-settings")
