"""Irreversible page actions ask first (a page, no JavaScript), then act on confirm=1 and
say so on the next page; the JSON API stays one call."""

from app.models import BidStatus, Membership, NeedStatus, Role, Stage
from tests.bids.conftest import bid_body, make_bid
from tests.builders import (
    make_manufacturer,
    make_need,
    make_staff,
    make_supplier,
    parse,
)
from tests.engagements.helpers import cast, meet_gate


def asked(response) -> dict[str, str]:
    """The confirmation page's landmarks: it says what happens and who is told, and its form
    carries confirm=1 and the CSRF token (a browser posts it as it is, without JavaScript)."""
    assert response.status_code == 200
    page = parse(response.text)
    assert {"confirm-form", "confirm-happens", "confirm-told", "confirm-cancel"} <= set(page.texts)
    assert page.hidden["confirm"] == "1" and page.hidden["csrftoken"]
    return page.texts


def test_the_confirmation_form_posts_as_it_is(browser, session) -> None:
    owner = make_manufacturer(session)
    need = make_need(session, owner)
    browser.login(owner)
    fields = parse(browser.post(f"/needs/{need.id}/close", {"reason": "자체 해결"}).text).hidden
    done = browser.client.post(f"/needs/{need.id}/close", data=fields, follow_redirects=False)
    assert done.status_code == 303
    session.refresh(need)
    assert need.status is NeedStatus.closed


def test_closing_a_need_asks_first_then_closes_with_a_message(browser, session) -> None:
    owner = make_manufacturer(session)
    need = make_need(session, owner)
    browser.login(owner)
    form = {"reason": "자체 해결", "version": "1"}
    page = browser.post(f"/needs/{need.id}/close", form)
    asked(page)
    session.refresh(need)
    assert need.status is NeedStatus.open
    assert 'name="reason" value="자체 해결"' in page.text  # the typed fields go along
    done = browser.confirm(f"/needs/{need.id}/close", form)
    assert done.status_code == 303
    session.refresh(need)
    assert need.status is NeedStatus.closed
    after = parse(browser.get(done.headers["location"]).text).texts
    assert after["flash"] == "수요를 마감했습니다."
    assert "flash" not in parse(browser.get(f"/needs/{need.id}").text).texts  # shown once


def test_a_stranger_is_not_asked_to_confirm(browser, session) -> None:
    need = make_need(session, make_manufacturer(session))
    browser.login(make_manufacturer(session, name="남의공장"))
    assert browser.post(f"/needs/{need.id}/close", {"reason": "x"}).status_code == 404


def test_withdrawing_a_bid_asks_first(browser, session) -> None:
    supplier = make_supplier(session)
    need = make_need(session, make_manufacturer(session))
    bid = make_bid(session, supplier, need)
    browser.login(supplier)
    asked(browser.post(f"/needs/{need.id}/bid/withdraw", {"version": "1"}))
    session.refresh(bid)
    assert bid.status is BidStatus.submitted
    assert browser.confirm(f"/needs/{need.id}/bid/withdraw").status_code == 303
    session.refresh(bid)
    assert bid.status is BidStatus.withdrawn


def test_the_api_stays_one_call(browser, session) -> None:
    supplier = make_supplier(session)
    need = make_need(session, make_manufacturer(session))
    browser.login(supplier)
    assert browser.api("PUT", f"/api/needs/{need.id}/bid", bid_body()).status_code == 200
    withdrawn = browser.api("POST", f"/api/needs/{need.id}/bid/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_deactivating_asks_but_a_role_change_does_not(browser, session) -> None:
    admin = make_staff(session, Role.admin)
    target = make_staff(session)
    browser.login(admin)
    asked(browser.post(f"/admin/users/{target.id}", {"is_active": "false"}))
    session.refresh(target)
    assert target.is_active
    assert browser.post(f"/admin/users/{target.id}", {"role": "admin"}).status_code == 303


def test_suspending_asks_but_admitting_does_not(browser, session) -> None:
    supplier = make_supplier(session, membership=Membership.admitted)
    browser.login(make_staff(session))
    url = f"/coordinator/suppliers/{supplier.organization_id}/membership"
    told = asked(browser.post(url, {"status": "suspended", "reason": "서류 위조"}))
    assert "이메일" in told["confirm-told"]
    profile = supplier.organization.supplier
    session.refresh(profile)
    assert profile.membership is Membership.admitted
    done = browser.confirm(url, {"status": "suspended", "reason": "서류 위조"})
    assert done.status_code == 303
    session.refresh(profile)
    assert profile.membership is Membership.suspended


def test_stage_form_offers_the_next_stage_and_cancel_apart(browser, session) -> None:
    c = cast(session)
    meet_gate(session, c, Stage.design)
    browser.login(c.coordinator)
    url = f"/engagements/{c.engagement.id}"
    page = parse(browser.get(url).text).texts
    assert {"move-next", "cancel-form"} <= set(page) and "f-to" not in page
    assert "설계" in page["move-next"]
    asked(browser.post(f"{url}/move", {"to": "design"}))
    asked(browser.post(f"{url}/move", {"to": "cancelled", "reason": "예산 삭감"}))
    session.refresh(c.engagement)
    assert c.engagement.stage is Stage.consulting
    assert browser.confirm(f"{url}/move", {"to": "design"}).status_code == 303
    session.refresh(c.engagement)
    assert c.engagement.stage is Stage.design
