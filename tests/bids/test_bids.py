"""Submitting, editing and withdrawing bids, in pages and through the API."""

from sqlalchemy import func, select

from app.models import AuditEntry, Bid, BidStatus, BidVersion, Membership
from tests.bids.conftest import bid_body, future, make_bid, pass_deadline
from tests.builders import make_case_study, make_manufacturer, make_need, make_supplier


def form_data(**fields):
    body = bid_body(**fields)
    data = {k: v for k, v in body.items() if k not in ("timeline", "attachments", "case_study_ids")}
    data.update({f"weeks-{row['stage']}": row["weeks"] for row in body["timeline"]})
    data["attachments"] = "\n".join(body["attachments"])
    data["case_study_ids"] = [str(i) for i in body["case_study_ids"]]
    return data


def setup(session):
    supplier = make_supplier(session)
    need = make_need(session, make_manufacturer(session), deadline_at=future())
    return supplier, need


def count(session, model):
    session.expire_all()
    return session.scalar(select(func.count(model.id)))


def test_page_submit_then_edit_keeps_versions(browser, session) -> None:
    supplier, need = setup(session)
    study = make_case_study(session, supplier)
    browser.login(supplier)
    page = browser.get(f"/needs/{need.id}/bid")
    assert page.status_code == 200 and 'id="bid-form"' in page.text
    data = form_data(case_study_ids=[study.id], idempotency_key="k" * 20)
    assert browser.post(f"/needs/{need.id}/bid", data).status_code == 303
    bid = session.scalar(select(Bid))
    assert bid.price_subsidy == 3500 and bid.case_study_ids == [study.id]
    assert bid.timeline[0] == {"stage": "consulting", "weeks": 4}
    edit = form_data(price_total=6000, price_copay=2500, idempotency_key="j" * 20)
    assert browser.post(f"/needs/{need.id}/bid", {**edit, "version": 1}).status_code == 303
    session.refresh(bid)
    assert bid.price_total == 6000 and len(bid.versions) == 2
    history = browser.get(f"/needs/{need.id}/bid")
    assert history.text.count('class="version"') == 2
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "bids"))
    assert list(actions) == ["bid.submitted", "bid.edited"]
    listing = browser.get("/bids")
    assert listing.status_code == 200 and f'id="bid-{bid.id}"' in listing.text


def test_page_validation_keeps_input_and_writes_nothing(browser, session) -> None:
    supplier, need = setup(session)
    browser.login(supplier)
    bad = form_data(price_copay=1, approach="짧음")
    response = browser.post(f"/needs/{need.id}/bid", bad)
    assert response.status_code == 422
    assert 'id="approach-error"' in response.text
    assert count(session, Bid) == 0


def test_page_double_submit_with_one_form_key_creates_one_bid(browser, session) -> None:
    supplier, need = setup(session)
    browser.login(supplier)
    data = form_data(idempotency_key="same-key-123")
    assert browser.post(f"/needs/{need.id}/bid", data).status_code == 303
    assert browser.post(f"/needs/{need.id}/bid", data).status_code == 303
    assert count(session, Bid) == 1 and count(session, BidVersion) == 1


def test_page_withdraw_and_deadline(browser, session) -> None:
    supplier, need = setup(session)
    make_bid(session, supplier, need)
    browser.login(supplier)
    assert browser.confirm(f"/needs/{need.id}/bid/withdraw", {"version": 1}).status_code == 303
    bid = session.scalar(select(Bid))
    session.refresh(bid)
    assert bid.status is BidStatus.withdrawn
    assert (
        session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "bid.withdrawn"
    )
    pass_deadline(session, need)
    late = browser.post(f"/needs/{need.id}/bid", form_data())
    assert late.status_code == 409
    assert 'id="bidding-closed"' in browser.get(f"/needs/{need.id}/bid").text


def test_api_submit_edit_withdraw(browser, session) -> None:
    supplier, need = setup(session)
    browser.login(supplier)
    url = f"/api/needs/{need.id}/bid"
    created = browser.api("PUT", url, bid_body())
    assert created.status_code == 200, created.text
    assert created.json()["status"] == "submitted" and created.json()["shortlisted"] is None
    edited = browser.api("PUT", url, bid_body(price_total=4000, price_subsidy=2500, version=1))
    assert edited.json()["price_total"] == 4000
    stale = browser.api("PUT", url, bid_body(version=1))
    assert stale.status_code == 409
    assert len(browser.api("GET", url + "/versions").json()) == 2
    assert browser.api("POST", url + "/withdraw", {}).json()["status"] == "withdrawn"
    assert [b["status"] for b in browser.api("GET", "/api/bids").json()] == ["withdrawn"]


def test_api_validation_is_422_and_writes_nothing(browser, session) -> None:
    supplier, need = setup(session)
    other = make_supplier(session, "남의공급사")
    foreign = make_case_study(session, other)
    browser.login(supplier)
    url = f"/api/needs/{need.id}/bid"
    for body in (
        bid_body(price_copay=1),
        bid_body(timeline=[{"stage": "consulting", "weeks": 1}] * 2),
        bid_body(price_total="5000"),
        bid_body(attachments=["x"] * 11),
        bid_body(case_study_ids=[foreign.id]),
    ):
        assert browser.api("PUT", url, body).status_code == 422, body
    assert count(session, Bid) == 0


def test_idempotent_retry_and_key_reuse(browser, session) -> None:
    supplier, need = setup(session)
    browser.login(supplier)
    url = f"/api/needs/{need.id}/bid"
    headers = {"Idempotency-Key": "retry-key-0001"}
    first = browser.api("PUT", url, bid_body(), headers=headers)
    again = browser.api("PUT", url, bid_body(), headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.json()["id"] == again.json()["id"] and again.json()["version"] == 1
    other = browser.api(
        "PUT", url, bid_body(price_total=1, price_subsidy=1, price_copay=0), headers=headers
    )
    assert other.status_code == 409
    assert count(session, BidVersion) == 1


def test_only_admitted_suppliers_bid_and_closed_deadline_refuses(browser, session) -> None:
    applicant = make_supplier(session, "신청", membership=Membership.applied)
    supplier, need = setup(session)
    browser.login(applicant)
    assert browser.api("PUT", f"/api/needs/{need.id}/bid", bid_body()).status_code == 403
    pass_deadline(session, need)
    browser.login(supplier)
    assert browser.api("PUT", f"/api/needs/{need.id}/bid", bid_body()).status_code == 409


def test_page_refused_submission_keeps_the_form_key_usable(browser, session) -> None:
    supplier, need = setup(session)
    foreign = make_case_study(session, make_supplier(session, "남의공급사"))
    browser.login(supplier)
    refused = form_data(case_study_ids=[foreign.id], idempotency_key="form-key-0001")
    response = browser.post(f"/needs/{need.id}/bid", refused)
    assert response.status_code == 422 and count(session, Bid) == 0
    fixed = form_data(idempotency_key="form-key-0001")
    assert browser.post(f"/needs/{need.id}/bid", fixed).status_code == 303
    assert count(session, Bid) == 1


def test_bid_page_in_english(browser, session) -> None:
    supplier = make_supplier(session)
    supplier.locale = "en"
    need = make_need(session, make_manufacturer(session), deadline_at=future())
    make_bid(session, supplier, need)
    browser.login(supplier)
    page = browser.get(f"/needs/{need.id}/bid").text
    assert "Submitted" in page and "Consulting" in page and "bid:" not in page


def test_the_subsidy_follows_the_needs_programme(browser, session) -> None:
    supplier = make_supplier(session)
    owner = make_manufacturer(session)
    funded = make_need(session, owner, deadline_at=future(), subsidy_share=70)
    unfunded = make_need(session, owner, deadline_at=future(), subsidy_share=None)
    browser.login(supplier)
    over = bid_body(price_total=5000, price_subsidy=3600, price_copay=1400)
    refused = browser.api("PUT", f"/api/needs/{funded.id}/bid", over)
    assert refused.status_code == 422 and "70%" in refused.json()["message"]
    assert "3,500만 원" in refused.json()["message"]  # in won, not a bare 만원 count
    at_share = bid_body(price_total=5000, price_subsidy=3500, price_copay=1500)
    assert browser.api("PUT", f"/api/needs/{funded.id}/bid", at_share).status_code == 200
    assert browser.api("PUT", f"/api/needs/{unfunded.id}/bid", at_share).status_code == 422
    own_money = bid_body(price_total=5000, price_subsidy=0, price_copay=5000)
    assert browser.api("PUT", f"/api/needs/{unfunded.id}/bid", own_money).status_code == 200
    assert count(session, Bid) == 2
