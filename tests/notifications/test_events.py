"""Each decision that asks someone to act notifies exactly the right people (from the audit
log, in the decision's own transaction), with an e-mail unless they opted out."""

from dataclasses import dataclass
from datetime import date

import pytest

from app.bids import dialogue, selection
from app.bids.schemas import DecisionIn, ProposalIn, SelectIn
from app.engagements import outcomes, stages, work
from app.models import Need, ResultPhase, Role, Stage, User
from app.notifications import service
from app.notifications.kinds import describe
from tests.bids.conftest import future, make_bid, pass_deadline
from tests.builders import (
    make_engagement,
    make_manufacturer,
    make_need,
    make_staff,
    make_supplier,
    make_user,
)
from tests.notifications.conftest import mails, notices, recipients


@dataclass
class Market:
    owner: User
    need: Need
    alpha: User
    beta: User
    gamma: User  # an admitted supplier with nothing to do with the need
    coordinators: list[User]


@pytest.fixture
def market(session) -> Market:
    owner = make_manufacturer(session)
    need = make_need(session, owner, deadline_at=future())
    suppliers = [make_supplier(session, name) for name in ("알파AI", "베타AI", "감마AI")]
    return Market(owner, need, *suppliers, [make_staff(session), make_staff(session)])


def ids(*users: User) -> set[int]:
    return {u.id for u in users}


def test_invitation_notifies_every_user_of_the_invited_supplier_only(session, market) -> None:
    colleague = make_user(session, market.alpha.organization, Role.supplier, locale="en")
    dialogue.invite(session, market.owner, market.need.id, market.alpha.organization_id)
    assert recipients(session, "invited") == ids(market.alpha, colleague)
    notice = notices(session, market.alpha)[0]
    assert notice.link == f"/needs/{market.need.id}"
    assert notice.params == {"title": market.need.title}
    korean, english = mails(session, market.alpha)[0], mails(session, colleague)[0]
    assert korean.subject == "[axmatch] " + describe("invited", notice.params, "ko")
    assert "초대" in korean.subject
    assert english.subject.startswith("[axmatch] You are invited to bid on")
    assert f"http://127.0.0.1:8000/needs/{market.need.id}" in english.body
    dialogue.invite(session, market.owner, market.need.id, market.alpha.organization_id)
    assert len(notices(session, kind="invited")) == 2  # inviting twice tells nobody again


def test_opting_out_stops_the_email_not_the_notice(session, market) -> None:
    colleague = make_user(session, market.alpha.organization, Role.supplier)
    service.set_preferences(session, market.alpha, ["invited"])
    dialogue.invite(session, market.owner, market.need.id, market.alpha.organization_id)
    assert recipients(session, "invited") == ids(market.alpha, colleague)
    assert mails(session, market.alpha) == []
    assert len(mails(session, colleague)) == 1
    assert service.preferences(session, market.alpha)["invited"] is False


def test_inactive_users_are_not_notified(session, market) -> None:
    colleague = make_user(session, market.alpha.organization, Role.supplier)
    colleague.is_active = False
    dialogue.invite(session, market.owner, market.need.id, market.alpha.organization_id)
    assert recipients(session, "invited") == ids(market.alpha)


def test_questions_reach_the_manufacturer_and_answers_the_interested_suppliers(
    session, market
) -> None:
    asker = make_supplier(session, "질문AI")
    make_bid(session, market.alpha, market.need)
    dialogue.invite(session, market.owner, market.need.id, market.beta.organization_id)
    question = dialogue.ask(session, asker, market.need.id, "학습 데이터는 몇 장 있나요?")
    assert recipients(session, "question_asked") == ids(market.owner)
    assert notices(session, market.owner)[0].link == f"/needs/{market.need.id}/questions"
    dialogue.answer(session, market.owner, market.need.id, question.id, "약 1만 장입니다.")
    assert recipients(session, "question_answered") == ids(market.alpha, market.beta, asker)
    assert notices(session, market.gamma) == []


def test_sealed_bids_tell_nobody(session, market) -> None:
    make_bid(session, market.alpha, market.need)
    make_bid(session, market.beta, market.need)
    assert notices(session) == [] and mails(session) == []


def select_alpha(session, market: Market) -> None:
    make_bid(session, market.alpha, market.need)
    make_bid(session, market.beta, market.need)
    pass_deadline(session, market.need)
    choice = SelectIn(supplier_org_id=market.alpha.organization_id, justification="실적 우수")
    selection.select_bid(session, market.owner, market.need.id, choice)


def test_a_selection_asks_every_coordinator_to_approve(session, market) -> None:
    select_alpha(session, market)
    assert recipients(session, "award_to_approve") == ids(*market.coordinators)
    assert {n.link for n in notices(session, kind="award_to_approve")} == {"/awards"}
    assert notices(session, market.alpha) == notices(session, market.beta) == []


def test_approval_tells_each_bidder_its_outcome(session, market) -> None:
    select_alpha(session, market)
    decision = DecisionIn(reason="적격합니다")
    selection.decide_award(session, market.coordinators[0], market.need.id, True, decision)
    told = {n.user_id: n for n in notices(session, kind="bid_outcome")}
    assert set(told) == ids(market.alpha, market.beta)
    assert told[market.alpha.id].params["outcome"] == "selected"
    assert told[market.alpha.id].link.startswith("/engagements/")
    assert told[market.beta.id].params["outcome"] == "not_selected"
    assert describe("bid_outcome", told[market.alpha.id].params, "en").startswith("You were")
    assert describe("bid_outcome", told[market.beta.id].params, "en").startswith("Another")
    assert notices(session, market.gamma) == notices(session, market.owner) == []


def test_a_rejected_selection_sends_the_manufacturer_back(session, market) -> None:
    select_alpha(session, market)
    decision = DecisionIn(reason="예산 초과")
    selection.decide_award(session, market.coordinators[0], market.need.id, False, decision)
    assert recipients(session, "award_rejected") == ids(market.owner)
    assert recipients(session, "bid_outcome") == set()


def test_a_proposal_asks_the_manufacturer_to_decide(session, market) -> None:
    data = ProposalIn(
        supplier_org_id=market.alpha.organization_id,
        note="비전 검사 경험",
        end_bidding=True,  # the need is collecting bids: the proposal ends the bidding
        end_reason="지원단이 비전 검사 실적이 있는 공급기업을 직접 제안합니다",
    )
    selection.propose(session, market.coordinators[0], market.need.id, data)
    assert recipients(session, "proposal_to_decide") == ids(market.owner)


def test_events_without_an_actor_notify_nobody(session, market) -> None:
    make_engagement(session, market.owner, market.alpha)  # as the demo data does
    assert notices(session) == []


def deliver_and_accept(session, engagement, supplier: User, owner: User, count: int) -> None:
    """The design stage's milestones (the one planned, and `count` more) delivered and
    accepted one by one: the sign-off notice comes with the last acceptance."""
    planned = list(engagement.milestones)
    items = planned + [
        work.add_milestone(session, supplier, engagement.id, Stage.design, f"설계서 {i}", "", None)
        for i in range(count)
    ]
    for item in items:
        work.deliver_milestone(session, supplier, engagement.id, item.id)
    for n, item in enumerate(items):
        work.accept_milestone(session, owner, engagement.id, item.id)
        done = n == len(items) - 1
        assert bool(notices(session, kind="stage_to_sign_off", stage="design")) is done


def plan_design(session, engagement, coordinator: User, supplier: User) -> None:
    """What the gate into design asks for (a plan): the consulting stage awaits sign-off."""
    work.set_plan(
        session, coordinator, engagement.id, Stage.design, date(2026, 1, 5), date(2026, 2, 5)
    )
    work.add_milestone(session, supplier, engagement.id, Stage.design, "설계 착수", "", None)


def test_a_stage_whose_gate_is_met_awaits_sign_off(session, market) -> None:
    coordinator = market.coordinators[0]
    engagement = make_engagement(session, market.owner, market.alpha)
    plan_design(session, engagement, coordinator, market.alpha)
    consulting = notices(session, kind="stage_to_sign_off")
    assert {n.params["stage"] for n in consulting} == {"consulting"}
    stages.move_stage(session, coordinator, engagement.id, Stage.design, None)
    deliver_and_accept(session, engagement, market.alpha, market.owner, 2)
    assert recipients(session, "stage_to_sign_off", stage="design") == ids(*market.coordinators)
    notice = notices(session, kind="stage_to_sign_off", stage="design")[0]
    assert notice.link == f"/engagements/{engagement.id}"
    assert "On-site design stage" in describe(notice.kind, notice.params, "en")
    extra = work.add_milestone(session, market.alpha, engagement.id, Stage.design, "추가", "", None)
    work.deliver_milestone(session, market.alpha, engagement.id, extra.id)
    work.accept_milestone(session, market.owner, engagement.id, extra.id)
    assert len(notices(session, kind="stage_to_sign_off", stage="design")) == 2  # once a stage


def test_results_await_verification_and_the_demonstration_gate_its_sign_off(
    session, market
) -> None:
    coordinator = market.coordinators[0]
    engagement = make_engagement(session, market.owner, market.alpha)
    plan_design(session, engagement, coordinator, market.alpha)
    stages.move_stage(session, coordinator, engagement.id, Stage.design, None)
    first = engagement.milestones[0]
    work.deliver_milestone(session, market.alpha, engagement.id, first.id)
    work.accept_milestone(session, market.owner, engagement.id, first.id)
    stages.move_stage(session, coordinator, engagement.id, Stage.demonstration, None)
    kpi = engagement.kpis[0]
    result = outcomes.record_result(
        session, market.alpha, engagement.id, kpi.id, ResultPhase.demonstration, 0.8, "측정표"
    )
    assert recipients(session, "result_to_verify") == ids(*market.coordinators)
    notice = notices(session, kind="result_to_verify")[0]
    assert "Defect rate" in describe(notice.kind, notice.params, "en")
    assert "불량률" in describe(notice.kind, notice.params, "ko")
    assert notices(session, kind="stage_to_sign_off", stage="demonstration") == []
    outcomes.verify_result(session, coordinator, engagement.id, result.id)
    signs = notices(session, kind="stage_to_sign_off", stage="demonstration")
    assert {n.user_id for n in signs} == ids(market.coordinators[1])  # not the actor


def test_each_role_chooses_among_its_own_kinds(session, market) -> None:
    assert set(service.preferences(session, market.coordinators[0])) == {
        "award_to_approve",
        "stage_to_sign_off",
        "result_to_verify",
        "proposal_declined",
        "application_to_review",
        "membership_review_due",
        "supplier_not_admitted",
        "need_to_check",
    }
    assert "bids_ready" in service.preferences(session, market.owner)
    assert "need_matched" in service.preferences(session, market.alpha)
