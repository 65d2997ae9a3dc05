from sqlalchemy import select

from app.models import Attachment, AttachmentOwner, Payment
from tests.agreements.helpers import SUBSIDY, amendment, priced

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _url(c, tail: str = "") -> str:
    return f"/api/engagements/{c.engagement.id}{tail}"


def _pay(c, amount: int, kind: str = "subsidy") -> dict[str, object]:
    return {
        "milestone_id": c.engagement.milestones[0].id,
        "kind": kind,
        "amount": amount,
        "paid_on": "2026-03-02",
        "reference": "AIV-2026-0042",
    }


def test_the_engagement_shows_the_awarded_price_in_won(browser, session) -> None:
    c = priced(session)
    browser.login(c.manufacturer)
    price = browser.api("GET", _url(c)).json()["price"]
    assert price["total"] == {"won": 115_000_000, "ko": "1억 1,500만 원", "en": "KRW 115,000,000"}
    assert price["subsidy"]["won"] == SUBSIDY and price["confirmed"] is False


def test_both_parties_confirm_then_a_coordinator_records_a_disbursement(browser, session) -> None:
    c = priced(session)
    for party in (c.supplier, c.manufacturer):
        browser.login(party)
        done = browser.api("POST", _url(c, "/agreement/confirm"), {"number": 1})
        assert done.status_code == 200
    assert done.json()["current"]["confirmed"] is True
    browser.login(c.supplier)
    assert browser.api("POST", _url(c, "/payments"), _pay(c, 1_000)).status_code == 403
    browser.login(c.coordinator)
    paid = browser.api("POST", _url(c, "/payments"), _pay(c, 40_000_000))
    assert paid.status_code == 201
    totals = paid.json()["totals"]
    assert totals["subsidy_disbursed"]["ko"] == "4,000만 원"
    assert totals["subsidy_remaining"]["en"] == "KRW 46,250,000"
    assert paid.json()["payments"][0]["reference"] == "AIV-2026-0042"
    assert browser.api("GET", _url(c)).json()["price"]["subsidy_disbursed"]["won"] == 40_000_000


def test_a_tranche_past_the_split_is_a_422_and_nothing_is_kept(browser, session) -> None:
    c = priced(session, agreed=True)
    browser.login(c.coordinator)
    refused = browser.api("POST", _url(c, "/payments"), _pay(c, SUBSIDY + 1))
    assert refused.status_code == 422
    assert "8,625만 원" in refused.json()["message"]  # the coordinator reads Korean
    assert session.scalars(select(Payment)).all() == []


def test_amending_makes_version_two_and_keeps_version_one(browser, session) -> None:
    c = priced(session, agreed=True)
    browser.login(c.manufacturer)
    assert browser.api("POST", _url(c, "/agreement/amend"), amendment()).status_code == 403
    browser.login(c.coordinator)
    body = browser.api("POST", _url(c, "/agreement/amend"), amendment()).json()
    assert [v["number"] for v in body["versions"]] == [1, 2]
    assert body["versions"][0]["price_total"]["won"] == 115_000_000
    assert body["current"]["confirmed"] is False
    uneven = amendment(2, price_subsidy=1)
    assert browser.api("POST", _url(c, "/agreement/amend"), uneven).status_code == 422
    stale = browser.api("POST", _url(c, "/agreement/amend"), amendment(1))
    assert stale.status_code == 409


def test_a_party_attaches_the_signed_document_others_cannot_read_it(browser, session) -> None:
    c = priced(session)
    browser.login(c.supplier)
    files = {"file": ("협약서.pdf", PDF, "application/pdf")}
    sent = browser.client.post(
        _url(c, "/agreement/files"), files=files, headers={"x-csrftoken": browser.csrf()}
    )
    assert sent.status_code == 201, sent.text
    row = session.scalars(select(Attachment)).one()
    assert row.owner_kind is AttachmentOwner.agreement
    listed = browser.api("GET", _url(c, "/agreement")).json()["current"]["files"]
    assert listed == [row.id]
    assert browser.get(f"/api/files/{row.id}").status_code == 200
    browser.login(c.stranger)
    assert browser.get(f"/api/files/{row.id}").status_code == 404
