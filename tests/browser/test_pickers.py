"""Searched pickers in Chromium over the demo data: the conflict form's organisations are
found by typing (static/picker.js over the JSON source) at 1280 and 390 px, and without
script by the search form that fills the selects."""

from collections.abc import Iterator

import pytest

from tests.browser.test_journeys import log_in
from tests.browser.test_phones import fits

pytestmark = pytest.mark.browser
COORDINATOR = "coordinator@gn-ai.example.kr"


@pytest.fixture(params=[1280, 390], ids=["desktop", "phone"])
def coordinator(chromium, live_server: str, request: pytest.FixtureRequest) -> Iterator[object]:  # type: ignore[no-untyped-def]
    size = {"width": request.param, "height": 900}
    context = chromium.new_context(base_url=live_server, locale="ko-KR", viewport=size)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, COORDINATOR)
    yield page
    context.close()


def pick(page, name: str, typed: str, option: str) -> None:  # type: ignore[no-untyped-def]
    page.fill(f"#f-{name}-search", typed)
    page.wait_for_function(
        "([id, text]) => [...document.getElementById(id).options].some(o => o.text === text)",
        arg=[f"f-{name}", option],
    )
    page.select_option(f"#f-{name}", label=option)


def test_the_typeahead_finds_each_organisation(coordinator) -> None:  # type: ignore[no-untyped-def]
    page = coordinator
    page.goto("/coordinator/conflicts")
    assert page.locator("#conflict-find").is_hidden()  # the script replaces the search form
    assert page.locator("#f-supplier_org_id option").count() == 1  # nothing listed up front
    pick(page, "supplier_org_id", "누리", "㈜누리비전")
    pick(page, "manufacturer_org_id", "대광", "대광오토텍㈜")
    if page.viewport_size["width"] == 390:
        fits(page)
    page.fill("#f-reason", "대표이사 겸직")
    with page.expect_navigation():
        page.click("#declare")
    assert "done=declared" in page.url
    row = page.locator("#conflicts tbody tr", has_text="㈜누리비전").first
    assert "대광오토텍㈜" in row.inner_text()
    with page.expect_navigation():  # leave the demo data as it was for the other journeys
        row.locator("input[name=reason]").fill("테스트 종료")
        row.locator("button").click()


def test_without_script_the_search_form_fills_the_pickers(chromium, live_server) -> None:  # type: ignore[no-untyped-def]
    context = chromium.new_context(base_url=live_server, locale="ko-KR", java_script_enabled=False)
    page = context.new_page()
    log_in(page, COORDINATOR)
    page.goto("/coordinator/conflicts")
    page.fill("#f-supplier_q", "누리")
    page.fill("#f-manufacturer_q", "대광")
    with page.expect_navigation():
        page.click("#find-orgs")
    page.select_option("#f-supplier_org_id", label="㈜누리비전")
    page.select_option("#f-manufacturer_org_id", label="대광오토텍㈜")
    page.fill("#f-reason", "계열사 관계")
    with page.expect_navigation():
        page.click("#declare")
    assert "done=declared" in page.url
    row = page.locator("#conflicts tbody tr", has_text="㈜누리비전").first
    with page.expect_navigation():
        row.locator("input[name=reason]").fill("테스트 종료")
        row.locator("button").click()
    context.close()
