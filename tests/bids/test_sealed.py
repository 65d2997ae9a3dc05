"""Sealed bids: two suppliers and two manufacturers, before and after the deadline."""

import pytest

from app.models import Role
from tests.bids.conftest import future, make_bid, pass_deadline
from tests.builders import make_manufacturer, make_need, make_staff, make_supplier


@pytest.fixture
def market(session):
    owner = make_manufacturer(session)
    need = make_need(session, owner, deadline_at=future())
    people = {
        "owner": owner,
        "other_manufacturer": make_manufacturer(session, "남의공장"),
        "alpha": make_supplier(session, "알파AI"),
        "beta": make_supplier(session, "베타AI"),
        "coordinator": make_staff(session),
        "admin": make_staff(session, Role.admin),
    }
    make_bid(session, people["alpha"], need, approach="알파의 비전 검사 접근 방식")
    make_bid(session, people["beta"], need, approach="베타의 비전 검사 접근 방식")
    session.commit()
    return need, people


def api_view(browser, user, need_id):
    browser.login(user)
    if user.role is Role.supplier:
        response = browser.api("GET", f"/api/needs/{need_id}/bid")
        return response.status_code, [response.json()["approach"]]
    response = browser.api("GET", f"/api/needs/{need_id}/bids")
    if response.status_code != 200:
        return response.status_code, None
    body = response.json()
    return body["count"], sorted(row["bid"]["approach"] for row in body["bids"])


def test_sealed_before_deadline(browser, market) -> None:
    need, people = market
    assert api_view(browser, people["alpha"], need.id) == (200, ["알파의 비전 검사 접근 방식"])
    assert api_view(browser, people["beta"], need.id) == (200, ["베타의 비전 검사 접근 방식"])
    assert api_view(browser, people["owner"], need.id) == (None, [])
    assert api_view(browser, people["other_manufacturer"], need.id) == (404, None)
    assert api_view(browser, people["coordinator"], need.id) == (2, [])
    assert api_view(browser, people["admin"], need.id) == (2, [])
    browser.login(people["owner"])
    page = browser.get(f"/needs/{need.id}/bids")
    assert (
        'id="sealed"' in page.text and "알파" not in page.text and 'id="bid-count"' not in page.text
    )
    browser.login(people["coordinator"])
    page = browser.get(f"/needs/{need.id}/bids")
    assert 'id="bid-count"' in page.text and "알파의" not in page.text
    browser.login(people["other_manufacturer"])
    assert browser.get(f"/needs/{need.id}/bids").status_code == 404
    for supplier, other in (("alpha", "베타의"), ("beta", "알파의")):
        browser.login(people[supplier])
        assert browser.get(f"/needs/{need.id}/bids").status_code == 403
        assert browser.api("GET", f"/api/needs/{need.id}/bids").status_code == 403
        assert other not in browser.get(f"/needs/{need.id}/bid").text


def test_open_after_deadline_to_owner_and_staff_only(browser, session, market) -> None:
    need, people = market
    pass_deadline(session, need)
    both = sorted(["알파의 비전 검사 접근 방식", "베타의 비전 검사 접근 방식"])
    assert api_view(browser, people["owner"], need.id) == (2, both)
    assert api_view(browser, people["coordinator"], need.id) == (2, both)
    assert api_view(browser, people["admin"], need.id) == (2, both)
    assert api_view(browser, people["other_manufacturer"], need.id) == (404, None)
    assert api_view(browser, people["alpha"], need.id) == (200, ["알파의 비전 검사 접근 방식"])
    browser.login(people["owner"])
    page = browser.get(f"/needs/{need.id}/bids")
    assert page.text.count('class="bid-col') == 2
    browser.login(people["other_manufacturer"])
    assert browser.get(f"/needs/{need.id}/bids").status_code == 404
    for supplier in ("alpha", "beta"):
        browser.login(people[supplier])
        assert browser.api("GET", f"/api/needs/{need.id}/bids").status_code == 403
        assert browser.get(f"/needs/{need.id}/bids").status_code == 403
        own = browser.get(f"/needs/{need.id}/bid").text
        other = "베타의" if supplier == "alpha" else "알파의"
        assert other not in own


def test_withdrawn_bids_are_not_shown(browser, session, market) -> None:
    need, people = market
    browser.login(people["alpha"])
    browser.api("POST", f"/api/needs/{need.id}/bid/withdraw", {})
    pass_deadline(session, need)
    assert api_view(browser, people["owner"], need.id) == (1, ["베타의 비전 검사 접근 방식"])
