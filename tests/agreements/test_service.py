import pytest
from sqlalchemy import select

from app.agreements import payments, service
from app.agreements.schemas import AmendIn
from app.agreements.settlement import load_settlement
from app.engagements.stages import move_stage
from app.errors import Conflict, Forbidden, Invalid
from app.models import AuditEntry, Award, Bid, Notification, Payment, Stage
from app.money import won
from tests.agreements.helpers import COPAY, SUBSIDY, amendment, priced, tranche
from tests.engagements.helpers import actions, english, plan_design


def test_approval_drafts_the_agreement_from_the_bid_in_won(session) -> None:
    from app.engagements.service import start_engagement
    from tests.builders import make_manufacturer, make_need, make_supplier

    owner, supplier = make_manufacturer(session), make_supplier(session)
    need = make_need(session, owner)
    bid = Bid(
        need_id=need.id,
        supplier_org_id=supplier.organization_id,
        approach="프레스 라인 비전 검사 PoC와 구축",
        timeline=[{"stage": "consulting", "weeks": 3}],
        price_total=11_500,
        price_subsidy=8_625,
        price_copay=2_875,
    )
    session.add(bid)
    session.flush()
    award = Award(need_id=need.id, bid_id=bid.id, supplier_org_id=supplier.organization_id)
    session.add(award)
    session.flush()
    engagement = start_engagement(session, None, need, supplier.organization_id, award=award)
    first = engagement.agreement()
    assert first is not None and first.number == 1 and not first.confirmed()
    assert (first.price_total, first.price_subsidy, first.price_copay) == (
        115_000_000,
        86_250_000,
        28_750_000,
    )
    assert first.schedule == [{"stage": "consulting", "weeks": 3}]
    assert [k["metric"] for k in first.kpis] == ["defect_rate"]
    assert won(first.price_total, "ko") == "1억 1,500만 원"


def test_consulting_cannot_be_signed_off_until_both_sides_confirm(session) -> None:
    c = priced(session)
    plan_design(session, c)
    with pytest.raises(Conflict) as refused:
        move_stage(session, c.coordinator, c.engagement.id, Stage.design, None)
    assert "Agreement version 1 is not yet confirmed by the supplier, the manufacturer" in (
        english(refused.value)
    )
    service.confirm(session, c.supplier, c.engagement.id, 1)
    with pytest.raises(Conflict) as still:
        move_stage(session, c.coordinator, c.engagement.id, Stage.design, None)
    assert "confirmed by the manufacturer." in english(still.value)
    service.confirm(session, c.manufacturer, c.engagement.id, 1)
    move_stage(session, c.coordinator, c.engagement.id, Stage.design, None)
    assert c.engagement.stage is Stage.design
    assert actions(session, c.engagement).count("agreement.confirmed") == 2


def test_only_the_parties_confirm_once_each_and_the_current_version(session) -> None:
    c = priced(session)
    for outsider in (c.coordinator, c.stranger):
        with pytest.raises((Forbidden, Exception)):
            service.confirm(session, outsider, c.engagement.id, 1)
    service.confirm(session, c.supplier, c.engagement.id, 1)
    with pytest.raises(Conflict):
        service.confirm(session, c.supplier, c.engagement.id, 1)
    with pytest.raises(Conflict):
        service.confirm(session, c.manufacturer, c.engagement.id, 2)


def test_confirming_tells_the_other_side(session) -> None:
    c = priced(session)
    service.confirm(session, c.supplier, c.engagement.id, 1)
    told = session.scalars(
        select(Notification.user_id).where(Notification.kind == "agreement_confirmed")
    )
    assert set(told) == {c.manufacturer.id}


def test_an_amendment_is_a_new_version_both_confirm_again(session) -> None:
    c = priced(session, agreed=True)
    amended = service.amend(session, c.coordinator, c.engagement.id, AmendIn(**amendment()))
    assert [v.number for v in c.engagement.agreements] == [1, 2]
    old = c.engagement.agreements[0]
    assert old.price_total == 115_000_000 and old.confirmed()  # the old version stays readable
    assert amended.price_total == 120_000_000 and not amended.confirmed()
    assert amended.programme == "AI 바우처 2026"
    told = session.scalars(
        select(Notification.user_id).where(Notification.kind == "agreement_amended")
    )
    assert set(told) == {c.supplier.id, c.manufacturer.id}
    with pytest.raises(Conflict):  # stale: version 1 was amended
        service.amend(session, c.coordinator, c.engagement.id, AmendIn(**amendment(1)))
    with pytest.raises(Forbidden):
        service.amend(session, c.supplier, c.engagement.id, AmendIn(**amendment(2)))


def test_a_coordinator_records_tranches_with_totals(session) -> None:
    c = priced(session, agreed=True)
    payments.record_payment(session, c.coordinator, c.engagement.id, tranche(c, 40_000_000))
    payments.record_payment(
        session, c.coordinator, c.engagement.id, tranche(c, 28_750_000, "copay")
    )
    found = load_settlement(session, c.manufacturer, c.engagement.id)
    assert found.totals.subsidy_disbursed == 40_000_000
    assert found.totals.subsidy_remaining == SUBSIDY - 40_000_000
    assert found.totals.copay_received == COPAY and found.totals.copay_remaining == 0
    assert actions(session, c.engagement).count("payment.recorded") == 2


def test_a_tranche_past_the_split_is_refused_and_nothing_is_written(session) -> None:
    c = priced(session, agreed=True)
    payments.record_payment(session, c.coordinator, c.engagement.id, tranche(c, 80_000_000))
    with pytest.raises(Invalid) as refused:
        payments.record_payment(session, c.coordinator, c.engagement.id, tranche(c, 6_250_001))
    assert english(refused.value) == (
        "Subsidy disbursed would come to KRW 86,250,001, more than the agreement's KRW 86,250,000."
    )
    assert len(session.scalars(select(Payment)).all()) == 1


def test_payments_are_coordinators_only_and_follow_a_confirmed_agreement(session) -> None:
    c = priced(session)
    with pytest.raises(Conflict):
        payments.record_payment(session, c.coordinator, c.engagement.id, tranche(c, 1_000))
    for party in (c.supplier, c.manufacturer):
        with pytest.raises(Forbidden):
            payments.record_payment(session, party, c.engagement.id, tranche(c, 1_000))


def test_an_amendment_cannot_go_below_what_was_paid(session) -> None:
    c = priced(session, agreed=True)
    payments.record_payment(session, c.coordinator, c.engagement.id, tranche(c, 80_000_000))
    low = amendment(price_total=100_000_000, price_subsidy=70_000_000, price_copay=30_000_000)
    with pytest.raises(Invalid):
        service.amend(session, c.coordinator, c.engagement.id, AmendIn(**low))
    assert len(c.engagement.agreements) == 1
    entries = session.scalars(
        select(AuditEntry.action).where(AuditEntry.action == "agreement.amended")
    )
    assert list(entries) == []
