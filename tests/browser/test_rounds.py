"""A full assignment round in Chromium over the demo data: the coordinator selects open needs,
gets a proposal, removes one pair, releases; an invited supplier then sees the invitation."""

import re

import httpx
import pytest

from tests.browser.conftest import shot

pytestmark = pytest.mark.browser
PASSWORD = "axmatch-demo-2026"
COORDINATOR = "coordinator@gn-ai.example.kr"


def log_in(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def snap(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """A README screenshot; Chromium may then miss the next click unless the page scrolls."""
    shot(page, name)
    page.evaluate("window.scrollTo(0, 0)")


def invited_supplier_email(url: str, round_id: int) -> tuple[str, str]:
    """An invited supplier's login and the title of the need it was invited to."""
    body = {"email": COORDINATOR, "password": PASSWORD}
    token = httpx.post(f"{url}/api/tokens/login", json=body, timeout=30).json()["token"]
    headers = {"authorization": f"Bearer {token}"}
    detail = httpx.get(f"{url}/api/rounds/{round_id}", headers=headers, timeout=30).json()
    need = next(n for n in detail["needs"] if n["shortlist"])
    org = need["shortlist"][0]["supplier_org_id"]
    people = httpx.get(f"{url}/api/coordinator/organizations/{org}", headers=headers, timeout=30)
    return people.json()["users"][0]["email"], need["title"]


def test_a_round_from_selection_to_a_suppliers_invitation(page, live_server) -> None:  # type: ignore[no-untyped-def]
    log_in(page, COORDINATOR)
    page.click("nav.mainnav a[href='/coordinator/rounds']")
    page.click("#new-round")
    everywhere = page.locator("#round-needs input[name=need_ids]").count()
    page.select_option("#f-region", "gn-changwon")
    with page.expect_navigation():
        page.click("#apply-filters")
    needs = page.locator("#round-needs input[name=need_ids]").count()
    assert 3 <= needs < everywhere  # Changwon's open needs in the demo data
    page.fill("#f-name", "2026년 11월 경남 라운드")
    page.fill("#f-min_new_suppliers", "3")
    page.fill("#f-new_supplier_days", "90")
    snap(page, "round-1-select")
    with page.expect_navigation():
        page.click("#propose")
    round_id = int(re.search(r"/coordinator/rounds/(\d+)", page.url).group(1))
    assert page.locator("section.round-need").count() == needs
    # every need gets a shortlist (its size follows the fit levels, not a fixed count)
    assert page.locator("table.shortlist tr.pair").count() >= needs
    assert page.locator("section.round-need:not(:has(tr.pair))").count() == 0
    assert page.locator("#changed-by tr").count() >= 2  # the constraints did change top-k
    snap(page, "round-2-proposal")
    first = page.locator("table.shortlist tr.pair").first
    removed = first.get_attribute("id")
    with page.expect_navigation():
        first.locator("form.remove-pair button").click()
    assert "done=removed" in page.url
    assert page.locator(f"table.excluded #{removed}").count() == 1
    release = page.locator("#release")
    count = int(re.search(r"\d+", release.inner_text()).group(0))
    with page.expect_navigation():
        release.click()
    assert str(count) in page.locator("#confirm-happens").inner_text()  # says how many go out
    with page.expect_navigation():
        page.click("#confirm-button")
    assert "done=released" in page.url and page.locator("#withdraw-form").count() == 1
    sent, skipped = map(int, re.findall(r"\d+", page.locator("#released").inner_text())[:2])
    assert sent + skipped == count and sent > 0  # pairs invited before are skipped
    snap(page, "round-3-released")
    email, title = invited_supplier_email(live_server, round_id)
    page.click("#logout")
    log_in(page, email)
    page.click("nav.mainnav a[href='/bids/invitations']")
    assert title in page.locator("#invitations").inner_text()
    snap(page, "round-4-supplier-invitation")
