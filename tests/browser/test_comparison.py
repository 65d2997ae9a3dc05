"""The bid comparison and the bid form in Chromium (issue 14 item 6), over the demo data, in
Korean and English at 1280 and 390 px: bids side by side sorted by price through a link,
the page no wider than a phone (the bids scroll inside their box, the attribute column
stays put), and the split computed as a supplier types a total and a share."""

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import make_engine
from app.models import Need, NeedStatus, utcnow
from tests.browser.conftest import shot
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser
MANUFACTURER = "contact@daegwang-autotech.example.kr"
SUPPLIER = "info@nurivision.example.kr"
SIZES = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}


@pytest.fixture(params=[(size, locale) for size in SIZES for locale in ("ko", "en")],
                ids=lambda p: f"{p[0]}px-{p[1]}")  # fmt: skip
def sized(chromium, live_server: str, request: pytest.FixtureRequest) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """One browser context per journey, at the size and in the language of the parameter."""
    size, locale = request.param
    context = chromium.new_context(base_url=live_server, locale="ko-KR", viewport=SIZES[size])
    page = context.new_page()
    page.set_default_timeout(60_000)  # a first ranking builds the index
    page.size, page.lang = int(size), locale
    yield page
    if page.lang != "ko" and page.locator("html").get_attribute("lang") == page.lang:
        page.lang = "ko"  # the language is kept on the demo account: later journeys read Korean
        in_language(page)
    context.close()


def in_language(page) -> None:  # type: ignore[no-untyped-def]
    """The language is kept on the account, so switch whichever way the journey needs."""
    if page.locator("html").get_attribute("lang") != page.lang:
        if page.locator("#menu-button").is_visible():
            page.click("#menu-button")  # a phone's header menu opens first
        with page.expect_navigation():
            page.click(f"button[name=locale][value={page.lang}]")
    assert page.locator("html").get_attribute("lang") == page.lang


def fits(page) -> None:  # type: ignore[no-untyped-def]
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= page.size, f"{page.url} is {wide} px wide at {page.size} px"


def open_need(env: dict[str, str]) -> int:
    """A demo need still taking bids, with a government programme (so a share to type)."""
    engine = make_engine(env["DATABASE_URL"])
    with Session(engine) as session:
        query = select(Need.id).where(
            Need.status == NeedStatus.open,
            Need.deadline_at > utcnow(),
            Need.subsidy_share.is_not(None),
        )
        need_id = session.scalars(query.order_by(Need.id)).first()
    engine.dispose()
    assert need_id is not None, "the demo data has no need open for bids with a programme"
    return need_id


def test_comparison_side_by_side_sorted_by_price(sized) -> None:  # type: ignore[no-untyped-def]
    page = sized
    log_in(page, MANUFACTURER)
    in_language(page)
    href = page.locator("#home-bids_to_compare li.home-item a").first.get_attribute("href")
    assert href and href.endswith("/bids"), href
    page.goto(href + "?sort=fit")
    assert page.locator("#comparison th.bid-col").count() >= 2
    with page.expect_navigation():
        page.click("#sort-price")
    assert page.url.endswith("?sort=price")
    assert page.locator("#sort-price").get_attribute("aria-current") == "true"
    columns = page.locator("#comparison th.bid-col").evaluate_all("cells => cells.map(c => c.id)")
    need_id = href.split("/")[2]
    body = page.request.get(f"/api/needs/{need_id}/bids?sort=price").json()
    prices = [row["bid"]["price_total"] for row in body["bids"]]
    assert prices == sorted(prices)
    assert columns == [f"bid-{row['bid']['supplier_org_id']}" for row in body["bids"]]
    assert page.locator("#row-budget td").count() == len(columns)
    fits(page)
    label = page.locator("#row-price th")
    assert label.evaluate("e => getComputedStyle(e).position") == "sticky"
    shot(page, f"comparison-{page.size}-{page.lang}")


def test_supplier_types_a_total_and_share_and_sees_the_split(sized, live_env) -> None:  # type: ignore[no-untyped-def]
    page = sized
    log_in(page, SUPPLIER)
    in_language(page)
    page.goto(f"/needs/{open_need(live_env)}/bid")
    assert page.locator("#need-brief #brief-kpis li").count() >= 1
    page.fill("#f-price_total", "5000")
    page.fill("#f-subsidy_share", "50")
    assert page.input_value("#f-price_subsidy") == "2500"
    assert page.input_value("#f-price_copay") == "2500"
    summary = page.locator("#split-summary").inner_text()
    assert ("2,500만 원" if page.lang == "ko" else "KRW 25,000,000") in summary, summary
    page.fill("#f-price_copay", "2000")
    assert page.locator("#split-summary.mismatch").count() == 1
    brief, form = (
        page.locator("#need-brief").bounding_box(),
        page.locator("#bid-form").bounding_box(),
    )
    assert brief and form
    if page.size == 390:
        assert brief["y"] < form["y"]  # above the form on a phone
    else:
        assert brief["x"] > form["x"]  # beside it on a wide screen
    fits(page)
    shot(page, f"bid-form-{page.size}-{page.lang}")
