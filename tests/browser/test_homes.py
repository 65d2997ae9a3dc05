"""Each role's home in Chromium over the demo data: log in, see what needs action, follow an
item to where one acts; at 1280 and 390 px wide the page is never wider than the screen.
The coordinator also finds the demo's overdue and stalled engagements on the board."""

import pytest

from tests.browser.conftest import shot
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser
PHONE = 390
WIDTHS = (1280, PHONE)
ROLES = (
    ("manufacturer", "contact@daegwang-autotech.example.kr", "home-bids_to_compare"),
    ("supplier", "info@nurivision.example.kr", "home-invitations"),
    ("coordinator", "coordinator@gn-ai.example.kr", "home-applications"),
    ("admin", "admin@gn-ai.example.kr", "home-new_accounts"),
    ("sponsor", "sponsor@gn-turbine.example.kr", "home-partners"),
)


def fits(page, width: int) -> None:  # type: ignore[no-untyped-def]
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{page.url} is {wide} px wide at {width} px"


@pytest.mark.parametrize(("role", "email", "section"), ROLES, ids=[r[0] for r in ROLES])
def test_each_role_follows_an_item_from_its_home(page, role: str, email: str, section: str) -> None:  # type: ignore[no-untyped-def]
    log_in(page, email)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844})
        page.goto("/")
        assert page.locator("#nav-home").count() == 1
        item = page.locator(f"#{section} li.home-item a").first
        assert item.count() == 1, f"{role}'s home lists nothing under {section}"
        fits(page, width)
        shot(page, f"home-{role}-{width}")
        href = item.get_attribute("href") or ""
        with page.expect_navigation(
            timeout=60_000
        ) as navigation:  # a first ranking builds the index
            item.click(timeout=60_000)
        response = navigation.value
        assert response is not None and response.status == 200, href
        assert page.url.endswith(href), (page.url, href)
        fits(page, width)  # the pages items lead to fit phones too (issue 14 item 5)
    every_kind_leads_somewhere(page)
    in_english(page)


def every_kind_leads_somewhere(page) -> None:  # type: ignore[no-untyped-def]
    """Each kind of item on the home (each section's first), on a phone: its page opens and
    fits the screen."""
    page.goto("/")
    links = page.locator(".home-section li.home-item a")
    hrefs: dict[str, str] = {}
    for n in range(links.count()):
        link = links.nth(n)
        section = link.evaluate("a => a.closest('section').id")
        hrefs.setdefault(section, link.get_attribute("href") or "")
    for section, href in hrefs.items():
        response = page.goto(href, timeout=60_000)
        assert response is not None and response.status == 200, (section, href)
        fits(page, PHONE)


def in_english(page) -> None:  # type: ignore[no-untyped-def]
    """The same home in English: translated titles, no raw codes; then back to Korean (the
    language is kept on the demo account)."""
    page.goto("/")
    korean = page.locator(".home-section h2").all_inner_texts()
    switch(page, "en")
    try:
        assert page.locator("html").get_attribute("lang") == "en"
        english = page.locator(".home-section h2").all_inner_texts()
        assert len(english) == len(korean) and english != korean
        text = page.locator("main").inner_text()
        assert not any("\uac00" <= ch <= "\ud7a3" for ch in " ".join(english)), english
        for raw in ("_to_", "bids_to_compare", "new_accounts", "None"):
            assert raw not in text, raw
        fits(page, PHONE)
    finally:
        switch(page, "ko")


def switch(page, lang: str) -> None:  # type: ignore[no-untyped-def]
    if page.locator("#menu-button").is_visible():
        page.click("#menu-button")  # a phone's header menu opens first
    with page.expect_navigation():
        page.click(f"button[name=locale][value={lang}]")


def test_the_coordinator_sees_overdue_and_stalled_cards_on_the_board(page) -> None:  # type: ignore[no-untyped-def]
    log_in(page, "coordinator@gn-ai.example.kr")
    page.goto("/")
    assert page.locator("#home-overdue li.home-item").count() >= 1
    assert page.locator("#home-stalled li.home-item").count() >= 1
    assert int(page.locator("#nav-home .count").inner_text()) >= 3
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844})
        page.goto("/engagements/board")
        assert page.locator(".board-column").count() == 6
        assert page.locator(".board-card .badge.flag.overdue").count() >= 1
        assert page.locator(".board-card .badge.flag.stalled").count() >= 1
        assert page.locator(".board-card .chips li").count() >= 1
        fits(page, width)
        shot(page, f"board-{width}")
    page.select_option("#f-flag", "stalled")
    with page.expect_navigation():
        page.click("#board-apply")
    assert "flag=stalled" in page.url
    assert page.locator("#f-flag").input_value() == "stalled"
    cards = page.locator(".board-card")
    assert cards.count() >= 1 and cards.count() == page.locator(".board-card.is-stalled").count()


def test_the_coordinator_reads_the_history_in_words(page) -> None:  # type: ignore[no-untyped-def]
    """The audit log over the demo data: entries in words (no action codes, no raw field
    names, no bare ids), filtered by an action label, at both widths."""
    log_in(page, "coordinator@gn-ai.example.kr")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844})
        page.goto("/coordinator/audit")
        entries = page.locator(".audit-entry")
        assert entries.count() >= 5
        text = page.locator("main").inner_text()
        for raw in ("supplier_org_id", "need.published", "engagement.started", "_id:"):
            assert raw not in text, raw
        fits(page, width)
        if width == PHONE:  # cards a line wide, not six squeezed columns
            box = entries.first.locator("td").first.bounding_box()  # "when": a whole line
            assert box is not None and box["width"] >= 300, box
        shot(page, f"history-{width}")
    page.select_option("#f-action", "engagement.started")
    with page.expect_navigation():
        page.locator("#audit-filters button").click()
    assert "action=engagement.started" in page.url
    assert page.locator(".audit-entry").count() >= 1
