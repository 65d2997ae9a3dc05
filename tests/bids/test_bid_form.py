"""The supplier's bid form (issue 14 item 6): the need's KPIs and must-haves beside it, the
split computed from the share (by script as one types, by the server without script) and
refused on the server when it does not add up, with nothing saved."""

from sqlalchemy import func, select

from app.models import Bid
from tests.bids.conftest import bid_body, future
from tests.bids.test_bids import form_data
from tests.builders import make_manufacturer, make_need, make_supplier, parse


def setup(session):
    supplier = make_supplier(session)
    need = make_need(session, make_manufacturer(session), deadline_at=future(),
                     must_have=["MES 연동", "현장 설치 지원"])  # fmt: skip
    return supplier, need


def bids(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count(Bid.id)))


def test_form_shows_what_the_need_asks_and_loads_the_split_script(browser, session) -> None:
    supplier, need = setup(session)
    browser.login(supplier)
    response = browser.get(f"/needs/{need.id}/bid")
    page = parse(response.text)
    assert "불량률" in page.texts["brief-kpis"] and "1%" in page.texts["brief-kpis"]
    assert "MES 연동" in page.texts["brief-must-have"]
    assert "split-summary" in page.texts and "f-subsidy_share" in response.text
    assert '<script src="/static/bid-split.js" defer></script>' in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    script = browser.get("/static/bid-split.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]


def test_without_script_the_server_splits_by_the_share(browser, session) -> None:
    supplier, need = setup(session)
    browser.login(supplier)
    data = form_data(price_total=5000, price_subsidy="", price_copay="", subsidy_share=60)
    assert browser.post(f"/needs/{need.id}/bid", data).status_code == 303
    bid = session.scalar(select(Bid))
    assert (bid.price_subsidy, bid.price_copay) == (3000, 2000)
    page = parse(browser.get(f"/needs/{need.id}/bid").text)
    assert page.texts["split-summary"] == ""  # the script writes it; the share is kept


def test_a_split_that_does_not_add_up_is_refused_and_nothing_saved(browser, session) -> None:
    supplier, need = setup(session)
    browser.login(supplier)
    bad = form_data(price_total=5000, price_subsidy=3000, price_copay=1000)
    response = browser.post(f"/needs/{need.id}/bid", bad)
    page = parse(response.text)
    assert response.status_code == 422 and "합은 총액과" in page.texts["price_copay-error"]
    over = form_data(price_total=5000, price_subsidy=4000, price_copay=1000)  # 80% > 75%
    response = browser.post(f"/needs/{need.id}/bid", over)
    page = parse(response.text)
    assert response.status_code == 422 and "3,750만 원" in page.texts["price_subsidy-error"]
    assert bids(session) == 0
    api = browser.api("PUT", f"/api/needs/{need.id}/bid", bid_body(price_copay=1))
    assert api.status_code == 422 and api.json()["detail"][0]["loc"][-1] == "price_copay"
    assert bids(session) == 0
