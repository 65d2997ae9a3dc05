"""Amendments, not silent edits: after publication a change to a need is a numbered addendum,
shown with what changed, told to every bidder, invitee and asker (in-app and e-mail, in each
reader's language, never revealing another bid); a change to budget, deadline, KPIs or
requirements reopens bids for confirmation; a deadline moves earlier only with the minimum
notice; once the deadline has passed the need awaits selection and cannot be amended."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.bids import dialogue
from app.bids import service as bids
from app.errors import AppError, Conflict, Invalid
from app.hooks import install
from app.models import AuditEntry, Need, NeedAmendment, NeedStatus, Role, User, utcnow
from app.needs import service
from app.needs.schemas import NeedUpdate
from app.notifications.kinds import describe
from tests.bids.conftest import bid_body, make_bid
from tests.builders import make_manufacturer, make_need, make_staff, make_supplier, make_user
from tests.notifications.conftest import mails, notices


@dataclass
class Market:
    owner: User
    need: Need
    bidder: User  # bid before the addendum
    rival: User  # another bidder: its bid must never show in the bidder's notice
    invitee: User
    asker: User
    outsider: User


@pytest.fixture
def market(session) -> Market:
    install()
    owner = make_manufacturer(session)
    need = make_need(session, owner, deadline_at=utcnow() + timedelta(days=10))
    bidder, rival, invitee, asker, outsider = (
        make_supplier(session, name)
        for name in ("알파AI", "베타AI", "감마AI", "델타AI", "엡실론AI")
    )
    make_bid(session, bidder, need, price_total=5000)
    make_bid(session, rival, need, price_total=4321, price_subsidy=3000, price_copay=1321)
    dialogue.invite(session, owner, need.id, invitee.organization_id)
    dialogue.ask(session, asker, need.id, "검사 대상 부품은 몇 종류입니까?")
    return Market(owner, need, bidder, rival, invitee, asker, outsider)


def change(need: Need, **fields: Any) -> NeedUpdate:
    current = {f: getattr(need, f) for f in service.FIELDS}
    current["kpis"] = [
        {"metric": k.metric, "unit": k.unit, "baseline": k.baseline, "target": k.target}
        for k in need.kpis
    ]
    return NeedUpdate.model_validate({**current, **fields, "version": need.version}, strict=False)


def amend(session, market: Market, **fields: Any) -> Need:
    return service.update_need(session, market.owner, market.need.id, change(market.need, **fields))


def test_budget_change_is_an_addendum_that_reopens_bids_and_tells_everyone(session, market) -> None:
    amend(session, market, budget_max=4000, amendment_reason="예산 조정")
    (addendum,) = market.need.amendments
    assert (addendum.number, addendum.reopens, addendum.reason) == (1, True, "예산 조정")
    assert addendum.changes == {"budget_max": {"before": 8000, "after": 4000}}
    assert market.need.amendment == market.need.confirm_from == 1
    assert all(
        b.needs_confirmation()
        for b in (bids.own_bid(session, u, market.need.id) for u in (market.bidder, market.rival))
    )
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "need.amended"))
    assert entry.after == {"amendment": 1, "fields": ["budget_max"], "reopens": True}
    told = {n.user_id: n for n in notices(session, kind="need_amended")}
    assert set(told) == {m.id for m in (market.bidder, market.rival, market.invitee, market.asker)}
    assert told[market.bidder.id].link == f"/needs/{market.need.id}/bid"
    assert told[market.invitee.id].link == f"/needs/{market.need.id}"
    assert told[market.bidder.id].params == {
        "title": market.need.title,
        "number": 1,
        "fields": ["budget_max"],
        "reopens": True,
    }


def test_the_notice_is_bilingual_by_email_and_reveals_no_other_bid(session, market) -> None:
    english = make_user(session, market.bidder.organization, Role.supplier, locale="en")
    amend(session, market, must_have=["현장 설치", "야간 무인 운전"])
    korean_mail, english_mail = mails(session, market.bidder)[-1], mails(session, english)[-1]
    assert "변경" in korean_mail.subject or "수정" in korean_mail.subject
    assert "Must-have requirements" in english_mail.subject
    assert "confirmed or revised" in english_mail.subject + english_mail.body
    for mail in (korean_mail, english_mail):
        text = mail.subject + mail.body
        assert "4321" not in text and "4,321" not in text and "베타AI" not in text
    notice = notices(session, market.bidder, "need_amended")[0]
    assert describe("need_amended", notice.params, "ko") != describe(
        "need_amended", notice.params, "en"
    )


def test_a_change_bidders_did_not_price_against_does_not_reopen_bids(session, market) -> None:
    amend(session, market, title="프레스 찍힘 불량 검사 자동화")
    (addendum,) = market.need.amendments
    assert addendum.reopens is False and market.need.confirm_from == 0
    assert not bids.own_bid(session, market.bidder, market.need.id).needs_confirmation()
    assert len(notices(session, kind="need_amended")) == 4


def test_confidential_notes_and_drafts_change_without_an_addendum(session, market) -> None:
    amend(session, market, confidential_notes="원청 감사 대응")
    draft = make_need(session, market.owner, status=NeedStatus.draft)
    service.update_need(session, market.owner, draft.id, change(draft, budget_max=9000))
    assert session.scalar(select(func.count(NeedAmendment.id))) == 0
    assert notices(session, kind="need_amended") == []


def test_confirming_or_revising_answers_the_addendum_and_marks_the_notice_done(
    session, market
) -> None:
    amend(session, market, kpis=[{"metric": "defect_rate", "unit": "%", "target": 0.5}])
    bid = bids.confirm_bid(session, market.bidder, market.need.id, None)
    assert bid.need_amendment == 1 and not bid.needs_confirmation()
    assert all(n.read_at is not None for n in notices(session, market.bidder, "need_amended"))
    with pytest.raises(Conflict):
        bids.confirm_bid(session, market.bidder, market.need.id, None)
    assert bids.own_bid(session, market.rival, market.need.id).needs_confirmation()
    revised = bids.submit_bid(
        session,
        market.rival,
        market.need.id,
        bids.BidIn(
            **bid_body(
                price_total=4000,
                price_subsidy=3000,
                price_copay=1000,
                version=bids.own_bid(session, market.rival, market.need.id).version,
            )
        ),
    )
    assert not revised.needs_confirmation()
    assert all(n.read_at is not None for n in notices(session, market.rival, "need_amended"))
    actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert "bid.confirmed" in actions


def test_deadline_moves_earlier_only_with_the_minimum_notice(session, market) -> None:
    too_soon = utcnow() + timedelta(hours=24)  # default notice: 72 hours
    with pytest.raises(Invalid) as refused:
        amend(session, market, deadline_at=too_soon)
    assert refused.value.params == {"hours": 72}
    assert market.need.amendment == 0 and market.need.amendments == []
    assert notices(session, kind="need_amended") == []
    amend(session, market, deadline_at=utcnow() + timedelta(days=5))
    assert market.need.amendment == 1 and market.need.amendments[0].reopens


def test_a_reopening_change_needs_the_notice_left_before_the_deadline(session, market) -> None:
    market.need.deadline_at = utcnow() + timedelta(hours=30)
    session.flush()
    with pytest.raises(Invalid):
        amend(session, market, budget_min=1000)
    amend(session, market, title="제목만 고칩니다")  # no bid depends on the title
    later = utcnow() + timedelta(days=4)
    amend(session, market, budget_min=1000, deadline_at=later)  # moved later: enough notice
    assert [a.number for a in market.need.amendments] == [1, 2]


def test_the_notice_is_a_setting(session, market, monkeypatch) -> None:
    from app.config import get_settings

    monkeypatch.setattr(get_settings(), "amend_min_notice_hours", 12)
    amend(session, market, deadline_at=utcnow() + timedelta(hours=13))
    assert market.need.amendment == 1


def test_after_the_deadline_the_need_awaits_selection_and_cannot_be_amended(
    session, market
) -> None:
    market.need.deadline_at = utcnow() - timedelta(minutes=1)
    session.flush()
    assert market.need.phase() == "awaiting_selection"
    with pytest.raises(Conflict):
        amend(session, market, deadline_at=utcnow() + timedelta(days=10), budget_max=20000)
    assert market.need.amendments == []


def test_staff_and_suppliers_cannot_amend(session, market) -> None:
    for user in (make_staff(session), market.bidder):
        with pytest.raises(AppError) as refused:
            service.update_need(session, user, market.need.id, change(market.need, budget_max=9000))
        assert refused.value.status in (403, 404)
    assert market.need.amendments == []
