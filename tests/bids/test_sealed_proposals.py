"""A coordinator's direct proposal never cuts across sealed bidding: refused until the
deadline, or it ends the bidding explicitly (a reason, every bidder and invitee told)."""

import pytest
from sqlalchemy import select

from app.bids import dialogue, selection, service
from app.bids.schemas import ProposalIn
from app.errors import Conflict, Invalid
from app.models import AuditEntry, MatchProposal, Notification, utcnow
from tests.bids.conftest import future, make_bid
from tests.builders import make_manufacturer, make_need, make_staff, make_supplier
from tests.engagements.helpers import english, ids

REASON = "입찰이 한 건뿐이라 지원단이 적합 공급기업을 직접 제안합니다"


@pytest.fixture
def market(session):
    owner, coordinator = make_manufacturer(session), make_staff(session)
    bidder, invitee, proposed = (make_supplier(session, n) for n in ("입찰사", "초대사", "제안사"))
    need = make_need(session, owner, deadline_at=future())
    make_bid(session, bidder, need)
    dialogue.invite(session, owner, need.id, invitee.organization_id)
    return owner, coordinator, bidder, invitee, proposed, need


def test_a_proposal_on_a_need_collecting_bids_is_refused(session, market) -> None:
    owner, coordinator, bidder, invitee, proposed, need = market
    body = ProposalIn(supplier_org_id=proposed.organization_id)
    with pytest.raises(Conflict) as refused:
        selection.propose(session, coordinator, need.id, body)
    assert "collecting sealed bids until its deadline" in english(refused.value)
    assert session.scalar(select(MatchProposal)) is None


def test_ending_the_bidding_needs_a_reason_and_tells_every_bidder(session, market) -> None:
    owner, coordinator, bidder, invitee, proposed, need = market
    body = ProposalIn(supplier_org_id=proposed.organization_id, end_bidding=True)
    with pytest.raises(Invalid):
        selection.propose(session, coordinator, need.id, body)
    assert need.bidding_ended_at is None
    body = ProposalIn(supplier_org_id=proposed.organization_id, end_bidding=True, end_reason=REASON)
    selection.propose(session, coordinator, need.id, body)
    assert need.deadline_at <= utcnow() and need.bidding_end_reason == REASON
    assert service.visible_bids(session, owner, need.id).sealed is False
    session.flush()
    told = session.scalars(select(Notification).where(Notification.kind == "bidding_ended"))
    assert {n.user_id for n in told} == {bidder.id, invitee.id}
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "need.bidding_ended"))
    assert entry.reason == REASON and entry.actor_id == coordinator.id


def test_accepting_while_bids_are_sealed_is_refused(session, market) -> None:
    """A proposal made before bidding reopened (or before this rule) cannot start the
    project while the bids are sealed."""
    owner, coordinator, bidder, invitee, proposed, need = market
    session.add(MatchProposal(need_id=need.id, supplier_org_id=proposed.organization_id))
    session.flush()
    with pytest.raises(Conflict):
        selection.decide_proposal(session, owner, need.id, proposed.organization_id, True, None)
    assert selection.engagement_of(session, need.id) is None


def test_never_both_started_and_sealed(session, market) -> None:
    owner, coordinator, bidder, invitee, proposed, need = market
    body = ProposalIn(supplier_org_id=proposed.organization_id, end_bidding=True, end_reason=REASON)
    selection.propose(session, coordinator, need.id, body)
    selection.decide_proposal(session, owner, need.id, proposed.organization_id, True, None)
    assert selection.engagement_of(session, need.id) is not None
    assert service.visible_bids(session, owner, need.id).sealed is False


def test_pages_offer_ending_the_bidding_and_show_why(browser, session, market) -> None:
    owner, coordinator, bidder, invitee, proposed, need = market
    session.commit()
    browser.login(coordinator)
    page = browser.get(f"/needs/{need.id}/bids").text
    assert "end-bidding" in ids(page)
    refused = browser.post(
        f"/needs/{need.id}/proposals", {"supplier_org_id": proposed.organization_id}
    )
    assert refused.status_code == 409
    form = {
        "supplier_org_id": proposed.organization_id,
        "end_bidding": "true",
        "end_reason": REASON,
    }
    assert browser.post(f"/needs/{need.id}/proposals", form).status_code == 303
    browser.login(bidder)
    assert "bidding-ended" in ids(browser.get(f"/needs/{need.id}/bid").text)
    browser.login(owner)
    assert "bidding-ended" in ids(browser.get(f"/needs/{need.id}").text)
    assert "sealed" not in ids(browser.get(f"/needs/{need.id}/bids").text)
