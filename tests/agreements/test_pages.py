from tests.agreements.helpers import priced
from tests.builders import parse


def _url(c, tail: str = "") -> str:
    return f"/engagements/{c.engagement.id}{tail}"


def test_the_engagement_page_shows_the_price_in_the_readers_language(browser, session) -> None:
    c = priced(session)
    browser.login(c.manufacturer)
    page = parse(browser.get(_url(c)).text)
    assert page.texts["price-total"].strip() == "1억 1,500만 원"
    c.manufacturer.locale = "en"
    session.flush()
    page = parse(browser.get(_url(c)).text)
    assert page.texts["price-total"].strip() == "KRW 115,000,000"


def test_a_party_confirms_on_the_page_after_the_confirmation_step(browser, session) -> None:
    c = priced(session)
    browser.login(c.supplier)
    page = parse(browser.get(_url(c, "/agreement")).text)
    assert "confirm-agreement" in page.texts and "amend" not in page.texts
    asked = browser.post(_url(c, "/agreement/confirm"), {"number": "1"})
    assert asked.status_code == 200 and "confirm-form" in parse(asked.text).texts
    done = browser.confirm(_url(c, "/agreement/confirm"), {"number": "1"})
    assert done.status_code == 303
    page = parse(browser.get(_url(c, "/agreement")).text)
    assert "confirm-agreement" not in page.texts
    assert page.texts["supplier-confirmed"].strip().startswith("확인")


def test_a_coordinator_records_a_payment_and_an_overpayment_re_renders(browser, session) -> None:
    c = priced(session, agreed=True)
    browser.login(c.coordinator)
    form = {
        "milestone_id": str(c.engagement.milestones[0].id),
        "kind": "copay",
        "amount": "28750000",
        "paid_on": "2026-03-02",
        "reference": "입금-0042",
        "note": "",  # an empty field, as a browser sends it
    }
    assert browser.post(_url(c, "/payments"), form).status_code == 303
    page = parse(browser.get(_url(c, "/agreement")).text)
    assert "2,875만 원" in page.texts["totals-copay"]
    again = browser.post(_url(c, "/payments"), {**form, "amount": "1"})
    assert again.status_code == 422
    assert "기업부담금 입금" in parse(again.text).texts["agreement-error"]


def test_parties_do_not_get_the_coordinators_forms(browser, session) -> None:
    c = priced(session, agreed=True)
    browser.login(c.manufacturer)
    page = parse(browser.get(_url(c, "/agreement")).text)
    assert "payment-form" not in page.texts and "amend-form" not in page.texts
    assert browser.post(_url(c, "/payments"), {}).status_code == 403


def test_a_coordinator_amends_on_the_page_with_fields_left_empty(browser, session) -> None:
    from tests.agreements.helpers import amendment

    c = priced(session, agreed=True)
    browser.login(c.coordinator)
    form = {k: str(v) for k, v in amendment().items()} | {"programme": "", "starts_on": ""}
    assert browser.post(_url(c, "/agreement/amend"), form).status_code == 303
    page = parse(browser.get(_url(c, "/agreement")).text)
    assert "1억 2,000만 원" in page.texts["current-terms"]
    assert "version-1" in page.texts and "version-2" in page.texts
    assert c.engagement.agreements[-1].programme == ""
